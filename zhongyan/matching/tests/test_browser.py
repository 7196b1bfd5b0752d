"""The matching journey of issue 4 in Chromium: the owner opens a demand, sees recommended experts
with the reasons, invites one with one click; the invited expert finds the demand under "for you"."""

import re
from typing import Any

import pytest

from zhongyan.accounts.tests.factories import PASSWORD
from zhongyan.core.content import bilingual, localized
from zhongyan.demands.models import Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r".*/en/(?!accounts/login).*"))


def test_owner_invites_a_recommended_expert_who_then_sees_the_demand_for_them(
    page, owner, bf_demand, experts, tmp_path
):
    ada = experts["solver"]
    sign_in(page, owner.email)
    page.goto(f"/en/demands/{bf_demand.public_id}/")
    row = page.locator(f".match-expert[data-expert='{ada.public_id}']")
    row.wait_for()
    assert "Shared fields" in row.inner_text()
    assert "Matching terms" in row.inner_text() or "Closest passage" in row.inner_text()
    excluded = page.locator(f".match-excluded[data-expert='{experts['busy'].public_id}']")
    assert "Not available for new work" in (excluded.text_content() or "")
    page.screenshot(path=str(tmp_path / "owner.png"), full_page=True)

    row.get_by_role("button", name="Invite").click()
    page.locator(f".match-expert[data-expert='{ada.public_id}'] .badge.text-bg-success").wait_for()
    invitation = Invitation.objects.get(demand=bf_demand)
    assert invitation.invitee == ada and invitation.invited_by == owner

    sign_in(page, ada.email)
    page.goto("/en/dashboard/")
    invited = page.locator(".for-you-invited", has_text=localized(bf_demand.title, "en"))
    invited.wait_for()
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=str(tmp_path / "for-you.png"), full_page=True)
    invited.get_by_role("link").click()
    page.wait_for_url(f"**/en/demands/{bf_demand.public_id}/")


def test_owner_sees_partner_organisations_in_both_languages(
    page, owner, owner_org, bf_demand, experts, partner, tmp_path
):
    owner_org.description = bilingual(
        zh="高炉喷煤与降低焦比的生产实践。", en="Blast furnace coal injection in production."
    )
    owner_org.save()
    sign_in(page, owner.email)
    for language, prefix, heading, reason in (
        ("en", "/en", "Partner organisations", "The demand owner's own organisation (conflict of interest)"),
        ("zh-hans", "", "推荐合作单位", "需求方本单位（利益冲突）"),  # the default language has no prefix
    ):
        page.goto(f"{prefix}/demands/{bf_demand.public_id}/")
        row = page.locator(f".match-organisation[data-organisation='{partner.public_id}']")
        row.wait_for()
        assert heading in page.locator("#match-organisations").inner_text()
        assert "Oxygen-enriched coal injection lance" in row.locator(".match-organisation-offerings").inner_text()
        page.locator("#match-organisations details summary").click()
        excluded = page.locator(f".match-organisation-excluded[data-organisation='{owner_org.public_id}']")
        assert reason in excluded.inner_text()
        page.locator("#match-organisations").screenshot(path=str(tmp_path / f"organisations-{language}.png"))
