"""The journey in Chromium: a contributor sees a duplicate hint and submits anyway (after a
refused attempt that keeps what was typed), others comment and vote, an expert scores, a
moderator advances the idea and promotes it to a demand."""

import re
from typing import Any

import pytest
from django.test import Client

from zhongyan.accounts.models import User
from zhongyan.demands.models import Demand
from zhongyan.ideas import services, similar
from zhongyan.ideas.models import Idea
from zhongyan.ideas.tests.factories import make_campaign, make_idea
from zhongyan.orgs.models import Membership
from zhongyan.orgs.tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_idea_journey_from_hint_to_demand(
    page: Any,
    live_server: Any,
    operator: User,
    owner: User,
    teammate: User,
    solver: User,
    reviewer: User,
    owner_org: Any,
    monkeypatch: Any,
) -> None:
    # The token-overlap hints: deterministic and without loading the embedding model.
    monkeypatch.setattr(similar, "TextMatcher", None)
    moderator = User.objects.create_user(email="moderator@example.com", password="x")
    MembershipFactory(organisation=owner_org, user=moderator, role=Membership.Role.ADMIN)
    campaign = make_campaign(operator, moderators=[moderator], experts=[reviewer])
    existing = make_idea(campaign, teammate)  # 高炉富氢喷吹降低焦比

    # A contributor starts typing and sees the similar idea.
    _as(page, live_server, owner)
    page.goto(f"/ideas/campaigns/{campaign.public_id}/new/")
    page.locator("[name=title_zh_hans]").press_sequentially("高炉富氢喷吹", delay=30)
    hints = page.locator("#similar-hints [data-hints=ideas]")
    hints.wait_for()
    assert "高炉富氢喷吹降低焦比" in hints.inner_text()
    assert hints.locator(f"[data-join='{existing.public_id}']").count() == 1

    # Submitting without a title is refused in Chinese; the description stays.
    page.locator("[name=title_zh_hans]").fill("")
    page.locator("[name=description_zh_hans]").fill("在喷煤系统中混入氢气，并用数字孪生控制炉温。")
    page.locator("button[name=action][value=submit]").click()
    page.locator(".alert-danger").wait_for()
    assert "中文或英文" in page.content()
    assert page.locator("[name=description_zh_hans]").input_value() == "在喷煤系统中混入氢气，并用数字孪生控制炉温。"

    # Submit anyway, with a different angle.
    page.locator("[name=title_zh_hans]").fill("高炉喷氢与数字孪生炉温控制")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r".*/ideas/i/\w+/$"))
    idea = Idea.objects.exclude(pk=existing.pk).get()
    assert idea.status == Idea.Status.SUBMITTED

    # Others comment and vote.
    _as(page, live_server, solver)
    page.goto(f"/ideas/i/{idea.public_id}/")
    page.locator("#id_body").fill("我们有回旋区模型，@owner 可以一起评估喷氢上限。")
    page.locator("#comment-form button[type=submit]").click()
    page.locator(".comment-body", has_text="回旋区模型").wait_for()
    page.locator("#vote-button").click()
    page.locator("#vote-button[aria-pressed=true]").wait_for()
    assert page.locator("#vote-count").inner_text() == "1"
    _as(page, live_server, teammate)
    page.goto(f"/ideas/i/{idea.public_id}/")
    page.locator("#vote-button").click()
    page.locator("#vote-button[aria-pressed=true]").wait_for()
    assert page.locator("#vote-count").inner_text() == "2"

    # The expert scores every criterion (a missing score is refused first).
    _as(page, live_server, reviewer)
    page.goto(f"/en/ideas/i/{idea.public_id}/evaluate/")
    selects = page.locator("select[name^=score_]")
    for n in range(selects.count() - 1):
        selects.nth(n).select_option("4")
    page.locator("textarea[name=note]").fill("Promising; check the raceway temperature.")
    page.get_by_role("button", name="Save evaluation").click()
    assert "Score every criterion from 1 to 5." in page.content()
    assert page.locator("textarea[name=note]").input_value() == "Promising; check the raceway temperature."
    selects.nth(selects.count() - 1).select_option("5")
    page.get_by_role("button", name="Save evaluation").click()
    page.wait_for_url(re.compile(r".*/en/ideas/i/\w+/$"))
    assert "Your weighted score" in page.content()

    # The moderator moves it to "selected" and promotes it to a demand.
    _as(page, live_server, moderator)
    page.goto(f"/ideas/i/{idea.public_id}/")
    page.locator("#move-stage").select_option(label="入选")
    page.locator("form[action$='/stage/'] button[type=submit]").click()
    page.locator("[data-stage]", has_text="入选").wait_for()
    page.get_by_role("link", name="转化为需求").click()
    page.locator("form button[type=submit].btn-success").click()
    page.wait_for_url(re.compile(r".*/demands/\w+/$"))
    idea.refresh_from_db()
    demand = Demand.objects.get()
    assert idea.promoted_demand == demand and demand.organisation == owner_org
    page.goto(f"/ideas/i/{idea.public_id}/")
    assert page.locator("[data-demand-link]").get_attribute("href") == f"/demands/{demand.public_id}/"


def test_demand_page_links_back_to_its_idea_and_moderators_hide_ideas(
    page: Any, live_server: Any, operator: User, owner: User, teammate: User, owner_org: Any
) -> None:
    moderator = User.objects.create_user(email="moderator@example.com", password="x")
    campaign = make_campaign(operator, moderators=[moderator])
    promoted = make_idea(campaign, teammate)
    services.advance_idea(actor=operator, idea=promoted, stage=list(campaign.stages.all())[-2])
    demand = services.promote_idea(actor=operator, idea=promoted, organisation=owner_org)

    # The demand page (a lower module) loads the "promoted from" line from the ideas module by htmx.
    _as(page, live_server, owner)
    page.goto(f"/demands/{demand.public_id}/")
    link = page.locator("#demand-source [data-idea-link]")
    link.wait_for()
    assert link.inner_text() == "高炉富氢喷吹降低焦比"
    link.click()
    page.wait_for_url(f"**/ideas/i/{promoted.public_id}/")

    # A moderator hides another idea with a reason; its author reads the reason, others lose it.
    other = make_idea(campaign, teammate, title={"zh-hans": "转炉煤气回收", "en": "Converter gas recovery"})
    _as(page, live_server, moderator)
    page.goto(f"/ideas/i/{other.public_id}/")
    page.get_by_role("link", name="隐藏此创意").click()
    page.locator("[name=reason]").fill("与已有创意重复")
    page.get_by_role("button", name="隐藏此创意").click()
    page.locator("#idea-hidden").wait_for()
    _as(page, live_server, teammate)
    page.goto(f"/ideas/i/{other.public_id}/")
    assert "与已有创意重复" in page.locator("#idea-hidden").inner_text()
    _as(page, live_server, owner)
    page.goto(f"/ideas/campaigns/{campaign.public_id}/")
    assert "转炉煤气回收" not in page.locator("main").inner_text()
