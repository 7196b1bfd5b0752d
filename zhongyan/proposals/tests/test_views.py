import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from zhongyan.proposals import services
from zhongyan.proposals.models import Proposal, ProposalAttachment
from zhongyan.proposals.tests.helpers import content, submit

pytestmark = pytest.mark.django_db


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "approach_zh_hans": "采用机器视觉在线检测",
        "approach_en": "Inline machine vision",
        "team_zh_hans": "钢铁大学",
        "team_en": "",
        "timeline_zh_hans": "一年",
        "timeline_en": "",
        "budget": "500000",
        "organisation": "",
        "action": "save",
    }
    data.update(changes)
    return data


def test_editor_saves_a_draft(nda_solver, demand, as_user):
    response = as_user(nda_solver).post(reverse("proposals:edit", args=[demand.public_id]), _form())
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.approach == {"zh-hans": "采用机器视觉在线检测", "en": "Inline machine vision"}
    assert proposal.budget == 500000


def test_autosave_answers_with_the_status_line(nda_solver, demand, as_user):
    response = as_user(nda_solver).post(
        reverse("proposals:autosave", args=[demand.public_id]), _form(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b'id="autosave-status"' in response.content
    assert b"<html" not in response.content
    assert Proposal.objects.get().team == {"zh-hans": "钢铁大学"}


def test_autosave_reports_bad_input_without_saving(nda_solver, demand, as_user):
    services.save_draft(actor=nda_solver, demand=demand, content=content())
    response = as_user(nda_solver).post(
        "/en" + reverse("proposals:autosave", args=[demand.public_id]), _form(budget="lots")
    )
    assert b"Enter the budget as a whole number of yuan." in response.content
    assert Proposal.objects.get().budget == 600_000


def test_bad_budget_is_refused_with_a_translated_message_and_the_text_is_kept(nda_solver, demand, as_user):
    response = as_user(nda_solver).post(reverse("proposals:edit", args=[demand.public_id]), _form(budget="-5"))
    assert response.status_code == 422
    assert "采用机器视觉在线检测".encode() in response.content
    assert b'value="-5"' in response.content


def test_failed_upload_keeps_the_rest_of_the_draft(nda_solver, demand, as_user):
    upload = SimpleUploadedFile("tool.exe", b"MZ binary", content_type="application/octet-stream")
    response = as_user(nda_solver).post(
        "/en" + reverse("proposals:edit", args=[demand.public_id]), _form(action="upload", attachment=upload)
    )
    assert response.status_code == 422
    assert b"Files of this type cannot be attached." in response.content
    assert "采用机器视觉在线检测".encode() in response.content
    assert Proposal.objects.get().approach["zh-hans"] == "采用机器视觉在线检测"
    assert not ProposalAttachment.objects.exists()


def test_upload_saves_the_draft_and_the_file(nda_solver, demand, as_user):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    response = as_user(nda_solver).post(
        reverse("proposals:edit", args=[demand.public_id]), _form(action="upload", attachment=upload)
    )
    assert response.status_code == 302
    attachment = ProposalAttachment.objects.get()
    assert attachment.name == "plan.pdf"
    download = as_user(nda_solver).get(
        reverse("proposals:attachment", args=[attachment.proposal.public_id, attachment.public_id])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"


def test_submitting_from_the_editor_shows_the_receipt(nda_solver, demand, as_user):
    response = as_user(nda_solver).post(reverse("proposals:edit", args=[demand.public_id]), _form(action="submit"))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("proposals:receipt", args=[proposal.public_id])
    page = as_user(nda_solver).get(response.url)
    assert proposal.receipt.number.encode() in page.content
    assert proposal.receipt.sha256.encode() in page.content


def test_submitting_an_empty_approach_is_refused_in_english(nda_solver, demand, as_user):
    response = as_user(nda_solver).post(
        "/en" + reverse("proposals:edit", args=[demand.public_id]),
        _form(action="submit", approach_zh_hans="", approach_en=""),
    )
    assert response.status_code == 422
    assert b"Describe your technical approach before submitting." in response.content
    assert "钢铁大学".encode() in response.content
    assert Proposal.objects.get().status == Proposal.Status.DRAFT


def test_double_post_of_the_submit_button_makes_one_proposal(nda_solver, demand, as_user):
    client = as_user(nda_solver)
    url = reverse("proposals:edit", args=[demand.public_id])
    first = client.post(url, _form(action="submit"))
    second = client.post(url, _form(action="submit"))
    assert first.status_code == 302 and second.status_code == 302
    assert Proposal.objects.count() == 1


def test_panel_offers_the_solver_to_start(nda_solver, demand, as_user):
    response = as_user(nda_solver).get(reverse("proposals:demand_panel", args=[demand.public_id]))
    assert response.status_code == 200
    assert reverse("proposals:edit", args=[demand.public_id]).encode() in response.content
    assert b"<html" not in response.content


def test_panel_shows_the_owner_the_count_and_ranking(owner, nda_solver, demand, as_user):
    submit(nda_solver, demand)
    response = as_user(owner).get("/en" + reverse("proposals:demand_panel", args=[demand.public_id]))
    assert b"1 proposal submitted." in response.content
    assert reverse("proposals:ranking", args=[demand.public_id]).encode() in response.content


def test_panel_of_a_hidden_demand_is_404(outsider, as_user):
    from zhongyan.demands.tests.factories import DemandFactory

    internal = DemandFactory(published=True, internal=True)
    response = as_user(outsider).get(reverse("proposals:demand_panel", args=[internal.public_id]))
    assert response.status_code == 404


def test_my_proposals_lists_only_mine(nda_solver, demand, as_user, outsider):
    submit(nda_solver, demand)
    assert demand.title["zh-hans"].encode() in as_user(nda_solver).get(reverse("proposals:mine")).content
    assert demand.title["zh-hans"].encode() not in as_user(outsider).get(reverse("proposals:mine")).content


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_render_in_both_languages(owner, nda_solver, demand, reviewer, as_user, language):
    proposal = submit(nda_solver, demand)
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    for user, name, args in [
        (nda_solver, "proposals:detail", [proposal.public_id]),
        (nda_solver, "proposals:receipt", [proposal.public_id]),
        (owner, "proposals:ranking", [demand.public_id]),
        (owner, "proposals:rubric", [demand.public_id]),
        (reviewer, "proposals:reviews", []),
        (reviewer, "proposals:review_workspace", [assignment.public_id]),
        (None, "proposals:verify", []),
    ]:
        with translation.override(language):
            url = reverse(name, args=args)
        response = as_user(user).get(url)
        assert response.status_code == 200, name
        assert f'lang="{language}"'.encode() in response.content


def test_rubric_editor_saves_criteria_and_keeps_bad_input(owner, demand, as_user):
    url = reverse("proposals:rubric", args=[demand.public_id])
    data = {
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
        "criteria-0-name_zh_hans": "创新性",
        "criteria-0-name_en": "Novelty",
        "criteria-0-weight": "0",
    }
    bad = as_user(owner).post(url, data)
    assert bad.status_code == 422
    assert "创新性".encode() in bad.content
    data["criteria-0-weight"] = "5"
    good = as_user(owner).post(url, data)
    assert good.status_code == 302
    assert [c.weight for c in demand.rubric.criteria.all()] == [5]


def test_reviewer_declares_and_scores_through_the_pages(owner, nda_solver, demand, reviewer, as_user):
    from zhongyan.proposals.tests.helpers import pass_deadline

    proposal = submit(nda_solver, demand)
    pass_deadline(demand)
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    client = as_user(reviewer)
    refused = client.post(reverse("proposals:review_conflict", args=[assignment.public_id]), {"has_conflict": "yes"})
    assert refused.status_code == 422
    client.post(reverse("proposals:review_conflict", args=[assignment.public_id]), {"has_conflict": "no"})
    criteria = list(demand.rubric.criteria.all())
    data = {f"score_{c.public_id}": "4" for c in criteria} | {"action": "submit", "comment": "扎实"}
    response = client.post(reverse("proposals:review_score", args=[assignment.public_id, proposal.public_id]), data)
    assert response.status_code == 302
    assert proposal.review_submissions.get().comment == "扎实"


def test_draft_after_the_deadline_opens_read_only(nda_solver, demand, as_user):
    from zhongyan.proposals.tests.helpers import pass_deadline

    proposal = services.save_draft(actor=nda_solver, demand=demand, content=content())
    pass_deadline(demand)
    response = as_user(nda_solver).get(reverse("proposals:edit", args=[demand.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("proposals:detail", args=[proposal.public_id])
    refused = as_user(nda_solver).post(reverse("proposals:autosave", args=[demand.public_id]), _form())
    assert "方案征集已截止".encode() in refused.content
    assert Proposal.objects.get().approach == proposal.approach
