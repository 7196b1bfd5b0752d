import pytest
from django.test import Client

from zhongyan.accounts.tokens import create_api_token
from zhongyan.proposals import services
from zhongyan.proposals.models import Proposal, ReviewSubmission
from zhongyan.proposals.tests.helpers import all_scores, cleared_reviewer, pass_deadline, submit

pytestmark = pytest.mark.django_db

BASE = "/api/v1/proposals/"


def bearer(user) -> dict[str, str]:
    _token, key = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def payload(demand, **changes):
    data = {
        "demand": demand.public_id,
        "approach": {"zh-hans": "基于声发射的在线监测", "en": "Acoustic emission monitoring"},
        "budget": 300000,
    }
    data.update(changes)
    return data


def test_solver_submits_through_the_api_and_gets_a_receipt(nda_solver, demand):
    response = Client().post(BASE, payload(demand), content_type="application/json", headers=bearer(nda_solver))
    assert response.status_code == 201
    body = response.json()
    proposal = Proposal.objects.get()
    assert body["id"] == proposal.public_id and body["status"] == "submitted"
    assert body["receipt"]["number"] == proposal.receipt.number


def test_repeated_api_submit_returns_the_same_proposal(nda_solver, demand):
    headers = bearer(nda_solver)
    first = Client().post(BASE, payload(demand), content_type="application/json", headers=headers)
    second = Client().post(BASE, payload(demand), content_type="application/json", headers=headers)
    assert first.json()["id"] == second.json()["id"]
    assert Proposal.objects.count() == 1


def test_api_refuses_a_solver_without_nda(solver, demand):
    response = Client().post(BASE, payload(demand), content_type="application/json", headers=bearer(solver))
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_api_hides_an_internal_demand(outsider):
    from zhongyan.demands.tests.factories import DemandFactory

    internal = DemandFactory(published=True, internal=True)
    response = Client().post(BASE, payload(internal), content_type="application/json", headers=bearer(outsider))
    assert response.status_code == 404


def test_api_refuses_an_empty_approach_with_a_message(nda_solver, demand):
    response = Client().post(
        BASE, payload(demand, approach={}), content_type="application/json", headers=bearer(nda_solver)
    )
    assert response.status_code == 400
    assert "approach" in response.json()["detail"] or "技术方案" in response.json()["detail"]


def test_api_refuses_a_negative_budget(nda_solver, demand):
    response = Client().post(
        BASE, payload(demand, budget=-1), content_type="application/json", headers=bearer(nda_solver)
    )
    assert response.status_code == 422


def test_api_lists_only_own_proposals(nda_solver, demand, outsider):
    submit(nda_solver, demand)
    mine = Client().get(BASE, headers=bearer(nda_solver)).json()
    theirs = Client().get(BASE, headers=bearer(outsider)).json()
    assert mine["count"] == 1 and theirs["count"] == 0


def test_api_receipt_and_public_verification(nda_solver, demand, outsider):
    proposal = submit(nda_solver, demand)
    document = Client().get(f"{BASE}{proposal.public_id}/receipt", headers=bearer(nda_solver)).json()
    assert document["sha256"] == proposal.receipt.sha256
    assert Client().get(f"{BASE}{proposal.public_id}/receipt", headers=bearer(outsider)).status_code == 404
    check = Client().post(
        f"{BASE}receipts/verify",
        {"number": document["number"], "sha256": document["sha256"]},
        content_type="application/json",
    )
    assert check.status_code == 200
    assert check.json()["matches"] is True
    Proposal.objects.filter(pk=proposal.pk).update(budget=1)
    tampered = (
        Client()
        .post(
            f"{BASE}receipts/verify",
            {"number": document["number"], "sha256": document["sha256"]},
            content_type="application/json",
        )
        .json()
    )
    assert tampered == {"matches": False, "tampered": True, "issued_at": None}


def test_reviewer_lists_assignments_and_submits_scores(owner, nda_solver, demand, reviewer):
    proposal = submit(nda_solver, demand)
    pass_deadline(demand)
    assignment = cleared_reviewer(owner, demand, reviewer)
    headers = bearer(reviewer)
    listing = Client().get(f"{BASE}reviews/", headers=headers).json()
    assert listing[0]["id"] == assignment.public_id
    assert listing[0]["proposals"] == [proposal.public_id]
    scores = {key: {"value": item.value, "comment": "好"} for key, item in all_scores(demand, 4).items()}
    response = Client().post(
        f"{BASE}reviews/{assignment.public_id}/proposals/{proposal.public_id}/scores",
        {"scores": scores, "submit": True},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert set(response.json()["scores"].values()) == {4}
    assert ReviewSubmission.objects.filter(proposal=proposal).exists()


def test_conflicted_reviewer_cannot_score_through_the_api(owner, nda_solver, demand, reviewer):
    proposal = submit(nda_solver, demand)
    pass_deadline(demand)
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    headers = bearer(reviewer)
    declared = Client().post(
        f"{BASE}reviews/{assignment.public_id}/conflict",
        {"has_conflict": True, "statement": "同一课题组"},
        content_type="application/json",
        headers=headers,
    )
    assert declared.json()["status"] == "conflicted"
    scores = {key: {"value": 4} for key in all_scores(demand, 4)}
    response = Client().post(
        f"{BASE}reviews/{assignment.public_id}/proposals/{proposal.public_id}/scores",
        {"scores": scores},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403


def test_anonymous_cannot_list_proposals():
    assert Client().get(BASE).status_code == 401
