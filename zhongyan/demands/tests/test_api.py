"""The demands API: the same services and permissions as the pages."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhongyan.core.audit import history
from zhongyan.demands.models import Demand, Invitation, NdaAcceptance, Question
from zhongyan.demands.tests.factories import DemandAttachmentFactory, DemandFactory, IndicatorFactory, QuestionFactory


def payload(owner_org: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "organisation": owner_org.public_id,
        "title": {"zh-hans": "锌锅底渣控制", "en": "Zinc pot dross control"},
        "summary": {"en": "Less dross in the pot."},
        "background": {"en": "Bath at 460 °C."},
        "deadline": (timezone.now() + timedelta(days=20)).isoformat(),
        "modes": ["commissioned"],
        "ip_terms": "solver_keeps",
        "confidentiality": "nda",
        "budget_min": 100,
        "budget_max": 200,
        "indicators": [{"name": {"en": "Dross rate"}, "target": "≤ 0.3", "unit": "%"}],
    }
    data.update(changes)
    return data


def test_owner_creates_submits_and_the_operator_publishes_through_the_api(
    owner_org: Any, owner: Any, operator: Any, as_user: Any
) -> None:
    response = as_user(owner).post("/api/v1/demands/", payload(owner_org), content_type="application/json")
    assert response.status_code == 201, response.content
    public_id = response.json()["id"]
    demand = Demand.objects.get(public_id=public_id)
    assert demand.status == "draft" and demand.indicators.count() == 1 and demand.owner == owner
    assert as_user(owner).post(f"/api/v1/demands/{public_id}/submit").json()["status"] == "in_review"
    assert as_user(owner).post(f"/api/v1/demands/{public_id}/publish").status_code == 403
    published = as_user(operator).post(f"/api/v1/demands/{public_id}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["nda_text"]
    assert [e.verb for e in history(demand).order_by("seq")] == [
        "demand.created",
        "demand.submitted",
        "demand.published",
    ]


def test_api_refuses_bad_input_with_a_translated_message(owner_org: Any, owner: Any, as_user: Any) -> None:
    data = payload(owner_org, budget_min=500, budget_max=1)
    response = as_user(owner).post(
        "/api/v1/demands/", data, content_type="application/json", headers={"Accept-Language": "zh-hans"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "预算下限不得高于预算上限。"
    past = payload(owner_org, deadline=(timezone.now() - timedelta(days=1)).isoformat())
    assert as_user(owner).post("/api/v1/demands/", past, content_type="application/json").status_code == 400
    assert not Demand.objects.exists()


def test_an_outsider_cannot_create_for_an_organisation_they_do_not_belong_to(
    owner_org: Any, outsider: Any, as_user: Any
) -> None:
    response = as_user(outsider).post("/api/v1/demands/", payload(owner_org), content_type="application/json")
    assert response.status_code == 403


def test_update_through_the_api(owner_org: Any, owner: Any, teammate: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner)
    patch = {"title": {"en": "New title"}, "indicators": [{"name": {"en": "Yield"}, "target": "≥ 99", "unit": "%"}]}
    assert (
        as_user(teammate)
        .patch(f"/api/v1/demands/{demand.public_id}", patch, content_type="application/json")
        .status_code
        == 403
    )
    response = as_user(owner).patch(f"/api/v1/demands/{demand.public_id}", patch, content_type="application/json")
    assert response.status_code == 200 and response.json()["title"] == {"en": "New title"}
    assert [i.target for i in Demand.objects.get(pk=demand.pk).indicators.all()] == ["≥ 99"]


def test_nda_detail_is_a_teaser_until_the_nda_is_accepted_through_the_api(
    owner_org: Any, owner: Any, solver: Any, solver_org: Any, as_user: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, nda=True)
    IndicatorFactory(demand=demand)
    DemandAttachmentFactory(demand=demand)
    client = as_user(solver)
    teaser = client.get(f"/api/v1/demands/{demand.public_id}").json()
    assert teaser["details_visible"] is False
    assert teaser["background"] is None and teaser["indicators"] is None and teaser["attachments"] is None
    assert teaser["nda_text_hash"] == demand.nda_text_hash()
    accepted = client.post(
        f"/api/v1/demands/{demand.public_id}/nda",
        {"organisation": solver_org.public_id},
        content_type="application/json",
    )
    assert accepted.status_code == 201 and accepted.json()["text_hash"] == demand.nda_text_hash()
    assert NdaAcceptance.objects.filter(demand=demand, user=solver, organisation=solver_org).exists()
    full = client.get(f"/api/v1/demands/{demand.public_id}").json()
    assert full["details_visible"] is True and full["background"] == demand.background
    assert len(full["indicators"]) == 1 and len(full["attachments"]) == 1
    download = client.get(full["attachments"][0]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    download.close()


def test_questions_through_the_api(owner_org: Any, owner: Any, solver: Any, outsider: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    QuestionFactory(demand=demand, author=outsider, is_public=False, body="Outsider's private question")
    asked = as_user(solver).post(
        f"/api/v1/demands/{demand.public_id}/questions",
        {"body": "Grades?", "is_public": True},
        content_type="application/json",
    )
    assert asked.status_code == 201
    question_id = asked.json()["id"]
    assert (
        as_user(solver)
        .post(
            f"/api/v1/demands/{demand.public_id}/questions/{question_id}/answer",
            {"answer": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    answered = as_user(owner).post(
        f"/api/v1/demands/{demand.public_id}/questions/{question_id}/answer",
        {"answer": "DP980 only."},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "DP980 only."
    solver_view = as_user(solver).get(f"/api/v1/demands/{demand.public_id}/questions").json()
    assert [q["body"] for q in solver_view] == ["Grades?"]
    assert len(as_user(owner).get(f"/api/v1/demands/{demand.public_id}/questions").json()) == 2
    assert Question.objects.get(public_id=question_id).answered_by == owner


def test_nda_questions_are_forbidden_before_accepting(owner_org: Any, owner: Any, solver: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, nda=True)
    QuestionFactory(demand=demand, body="Secret-ish question")
    response = as_user(solver).get(f"/api/v1/demands/{demand.public_id}/questions")
    assert response.status_code == 403 and "Secret-ish" not in response.content.decode()


def test_invite_through_the_api(owner_org: Any, owner: Any, solver: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, internal=True)
    response = as_user(owner).post(
        f"/api/v1/demands/{demand.public_id}/invitations",
        {"invitee": solver.public_id, "message": "Please look"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Invitation.objects.filter(demand=demand, invitee=solver).exists()
    assert as_user(solver).get(f"/api/v1/demands/{demand.public_id}").status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"mode": "joint"}, ["joint"]),
        ({"budget_min": 700_000}, ["joint"]),
        ({"status": "open"}, ["joint", "commissioned"]),
        ({"status": "closed"}, ["closed"]),
        ({"sort": "budget_low"}, ["commissioned", "closed", "joint"]),
    ],
)
def test_api_list_filters_and_sorts(
    owner_org: Any, owner: Any, as_user: Any, query: dict[str, Any], expected: list[str]
) -> None:
    DemandFactory(
        organisation=owner_org,
        owner=owner,
        published=True,
        modes=["joint"],
        budget_min=500_000,
        budget_max=900_000,
        keywords="joint",
    )
    DemandFactory(
        organisation=owner_org,
        owner=owner,
        published=True,
        modes=["commissioned"],
        budget_min=1,
        budget_max=2,
        keywords="commissioned",
    )
    DemandFactory(
        organisation=owner_org,
        owner=owner,
        closed=True,
        modes=["prize"],
        budget_min=10,
        budget_max=20,
        keywords="closed",
    )
    items = as_user(owner).get("/api/v1/demands/", query).json()["items"]
    keywords = {d.public_id: d.keywords for d in Demand.objects.all()}
    got = [keywords[item["id"]] for item in items]
    assert got == expected if "sort" in query else sorted(got) == sorted(expected)
