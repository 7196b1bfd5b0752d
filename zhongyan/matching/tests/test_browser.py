"""The matching journey of issue 4 in Chromium: the owner opens a demand, sees recommended experts
with the reasons, invites one with one click; the invited expert finds the demand under "for you"."""

import re
from typing import Any

import pytest

from zhongyan.accounts.tests.factories import PASSWORD
from zhongyan.core.content import localized
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
