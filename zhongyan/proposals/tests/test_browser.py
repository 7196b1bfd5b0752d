"""The journey of issue 3 in Chromium: the owner posts an NDA demand; a solver accepts the NDA,
asks a question, submits a proposal and downloads the receipt; a reviewer scores; the owner
awards a rival; the unsuccessful solver reads the feedback."""

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhongyan.accounts.tests.factories import PASSWORD, UserFactory
from zhongyan.demands import services as demand_services
from zhongyan.demands.models import Demand
from zhongyan.proposals import services
from zhongyan.proposals.models import Proposal
from zhongyan.proposals.receipts import content_hash
from zhongyan.proposals.tests.helpers import accept_nda, content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r".*/en/(?!accounts/login).*"))


def test_nda_demand_from_posting_to_feedback(page, owner, owner_org, solver, reviewer, tmp_path):
    owner_org.requires_demand_review = False
    owner_org.save(update_fields=["requires_demand_review"])

    # The owner posts an NDA demand and publishes it.
    sign_in(page, owner.email)
    page.goto("/en/demands/new/")
    page.fill("input[name=title_zh_hans]", "冷轧带钢表面缺陷在线检测")
    page.fill("textarea[name=summary_zh_hans]", "需要在线检测冷轧带钢表面缺陷的方法。")
    page.fill("textarea[name=background_zh_hans]", "机密：现有系统漏检率 8%。")
    deadline = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    page.fill("input[name=deadline]", deadline)
    page.check("input[name=modes][value=commissioned]")
    page.select_option("select[name=ip_terms]", "non_exclusive_licence")
    page.check("input[name=confidentiality][value=nda]")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/en/demands/[a-z0-9]{16}/$"))
    demand = Demand.objects.get()
    page.goto(f"/en/demands/{demand.public_id}/status/submit/")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**/en/demands/{demand.public_id}/")
    demand.refresh_from_db()
    assert demand.status == Demand.Status.PUBLISHED

    # A rival has already proposed (set up through the services).
    rival = UserFactory(email="rival@example.com")
    accept_nda(rival, demand)
    services.submit_proposal(actor=rival, demand=demand, content=content("对手的方案"))

    # The solver accepts the NDA, asks a question and submits a proposal.
    sign_in(page, solver.email)
    page.goto(f"/en/demands/{demand.public_id}/")
    assert "现有系统漏检率" not in page.content()
    page.get_by_role("link", name="Read and accept the NDA").click()
    page.check("input[name=agree]")
    page.get_by_role("button", name="Accept the NDA").click()
    page.wait_for_url(f"**/en/demands/{demand.public_id}/")
    assert "现有系统漏检率" in page.content()
    page.fill("textarea[name=body]", "检测速度需要达到多少？")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_url(f"**/en/demands/{demand.public_id}/**")
    assert demand.questions.filter(body="检测速度需要达到多少？").exists()

    page.goto(f"/en/demands/{demand.public_id}/")
    page.get_by_role("link", name="Start a proposal").click()
    # htmx binds the autosave trigger when the page has loaded: typing before that sends nothing.
    page.wait_for_url(f"**/en/demands/{demand.public_id}/proposal/")
    page.wait_for_load_state()
    page.fill("textarea[name=approach_zh_hans]", "基于深度学习的在线表面检测")
    page.locator("#autosave-status").get_by_text("Draft saved at").wait_for()
    assert Proposal.objects.get(solver=solver).approach == {"zh-hans": "基于深度学习的在线表面检测"}
    page.fill("input[name=budget]", "450000")
    page.get_by_role("button", name="Submit proposal").click()
    page.locator("#submit-confirm").get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_url("**/receipt/")
    number = page.locator("#receipt-number").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download receipt (JSON)").click()
    path = tmp_path / "receipt.json"
    download_info.value.save_as(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["number"] == number
    assert content_hash(document["content"]) == document["sha256"]

    # Anyone can verify the downloaded receipt.
    page.context.clear_cookies()
    page.goto("/en/receipts/verify/")
    page.set_input_files("input[name=receipt_file]", str(path))
    page.get_by_role("button", name="Verify").click()
    assert page.locator("#verify-result").get_attribute("data-result") == "match"

    # The deadline passes; the scheduled task closes the demand.
    Demand.objects.filter(pk=demand.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    demand_services.close_expired_demands()

    # The owner assigns a reviewer, who declares no conflict and scores both proposals.
    sign_in(page, owner.email)
    page.goto(f"/en/demands/{demand.public_id}/ranking/")
    page.fill("input[name=email]", reviewer.email)
    page.get_by_role("button", name="Assign reviewer").click()
    sign_in(page, reviewer.email)
    page.goto("/en/reviews/")
    page.get_by_role("link", name=re.compile("Conflict of interest not yet declared")).click()
    page.check("input[name=has_conflict][value=no]")
    page.get_by_role("button", name="Declare").click()
    workspace = page.url
    mine = Proposal.objects.get(solver=solver)
    theirs = Proposal.objects.get(solver=rival)
    for proposal, value, comment in ((mine, "2", "缺少产线验证数据"), (theirs, "5", "方案成熟")):
        page.goto(workspace)
        page.locator(f"a[href*='/proposals/{proposal.public_id}/']").click()
        for group in page.locator("#score-form fieldset").all():
            group.locator(f"input[type=radio][value='{value}']").check()
        page.locator("#score-form fieldset textarea").first.fill(comment)
        page.get_by_role("button", name="Submit review").click()
        page.get_by_text("You submitted your review").wait_for()

    # The owner awards the rival and releases the comment on the solver's proposal.
    sign_in(page, owner.email)
    page.goto(f"/en/demands/{demand.public_id}/ranking/")
    page.check(f"#win-{theirs.public_id}")
    page.get_by_label(re.compile("缺少产线验证数据")).check()
    page.get_by_role("button", name="Award the selected proposals").click()
    page.locator("#award-confirm").get_by_role("button", name="Award", exact=True).click()
    page.locator("#decision-made").wait_for()
    demand.refresh_from_db()
    assert demand.status == Demand.Status.AWARDED

    # The unsuccessful solver reads the feedback.
    sign_in(page, solver.email)
    page.goto("/en/proposals/mine/")
    page.get_by_role("link", name=re.compile("Not awarded")).click()
    page.get_by_role("link", name="Read the feedback").click()
    assert page.url.endswith(f"/proposals/{mine.public_id}/feedback/")
    table = page.locator("#feedback-scores").inner_text()
    assert "2.00" in table
    assert "缺少产线验证数据" in page.content()
    assert "方案成熟" not in page.content()
