"""The permission table: personas × actions for public, NDA and internal demands, asserted both on
the permission functions and over HTTP (pages, search, API, attachment downloads)."""

from typing import Any

import pytest
from django.test import Client

from zhongyan.core.content import bilingual
from zhongyan.demands import permissions as perms
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory, QuestionFactory

PERSONAS = ["operator", "owner", "org_admin", "teammate", "nda_solver", "solver", "invited", "outsider", "anonymous"]
MANAGERS = {"operator", "owner", "org_admin"}
MEMBERS = MANAGERS | {"teammate"}
SIGNED_IN = set(PERSONAS) - {"anonymous"}

# (see in list / search, view details / download) per confidentiality
SEE = {"public": SIGNED_IN, "nda": SIGNED_IN, "internal": MEMBERS | {"invited"}}
DETAILS = {"public": SIGNED_IN, "nda": MEMBERS | {"nda_solver"}, "internal": MEMBERS | {"invited"}}
SECRET = "Molybdenumsecret"


def persona(request: Any, name: str) -> Any:
    return None if name == "anonymous" else request.getfixturevalue(name)


def build(demand_for: Any, confidentiality: str) -> Demand:
    return demand_for(
        confidentiality,
        title=bilingual(zh="锆合金镀层的氢脆问题", en=f"Zirconium {confidentiality} coating embrittlement"),
        background=bilingual(zh=f"背景 {SECRET}", en=f"Background {SECRET}"),
    )


@pytest.mark.parametrize("confidentiality", ["public", "nda", "internal"])
@pytest.mark.parametrize("name", PERSONAS)
def test_permission_functions_follow_the_table(request: Any, demand_for: Any, confidentiality: str, name: str) -> None:
    demand = build(demand_for, confidentiality)
    user = persona(request, name)
    draft = DemandFactory(organisation=demand.organisation, owner=demand.owner, confidentiality=confidentiality)
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    actual = {
        "see": perms.can_view_demand(user, demand),
        "scope": Demand.objects.visible_to(user).filter(pk=demand.pk).exists(),
        "details": perms.can_view_demand_details(user, demand),
        "download": perms.can_download_attachment(user, demand),
        "edit": perms.can_edit_demand(user, demand),
        "publish": perms.can_submit_demand(user, draft),
        "answer": perms.can_answer_question(user, demand),
        "invite": perms.can_invite_solvers(user, demand),
    }
    expected = {
        "see": name in SEE[confidentiality],
        "scope": name in SEE[confidentiality],
        "details": name in DETAILS[confidentiality],
        "download": name in DETAILS[confidentiality],
        "edit": name in MANAGERS,
        "publish": name in MANAGERS,
        "answer": name in MANAGERS,
        "invite": name in MANAGERS,
    }
    assert actual == expected


def _status_for(name: str, allowed: bool, visible: bool) -> int:
    if name == "anonymous":
        return 302
    if allowed:
        return 200
    return 403 if visible else 404


@pytest.mark.parametrize("confidentiality", ["public", "nda", "internal"])
@pytest.mark.parametrize("name", PERSONAS)
def test_pages_search_api_and_downloads_follow_the_table(
    request: Any, demand_for: Any, as_user: Any, confidentiality: str, name: str
) -> None:
    demand = build(demand_for, confidentiality)
    attachment = demand.attachments.get()
    question = QuestionFactory(demand=demand)
    client: Client = as_user(persona(request, name))
    sees, details, manages = name in SEE[confidentiality], name in DETAILS[confidentiality], name in MANAGERS
    title = f"Zirconium {confidentiality}"

    listing = client.get("/en/demands/")
    search = client.get("/en/demands/", {"q": "zirconium coating"})
    search_zh = client.get("/demands/", {"q": "氢脆"})
    page = client.get(f"/en/demands/{demand.public_id}/")
    download = client.get(f"/en/demands/{demand.public_id}/attachments/{attachment.public_id}/")
    api_list = client.get("/api/v1/demands/", {"q": "zirconium"})
    api_detail = client.get(f"/api/v1/demands/{demand.public_id}")
    edit = client.get(f"/en/demands/{demand.public_id}/edit/")
    invite = client.get(f"/en/demands/{demand.public_id}/invite/")
    answer = client.post(
        f"/en/demands/{demand.public_id}/questions/{question.public_id}/answer/", {"answer": "Yes, all grades."}
    )

    if name == "anonymous":
        assert listing.status_code == search.status_code == page.status_code == download.status_code == 302
        assert api_list.status_code == api_detail.status_code == 401
        return
    assert listing.status_code == search.status_code == search_zh.status_code == 200
    for response in (listing, search, search_zh):
        body = response.content.decode()
        assert (title in body or "锆合金镀层的氢脆问题" in body) == sees
        assert SECRET not in body  # lists show teasers only, never background
    assert api_list.status_code == 200
    assert [item["id"] for item in api_list.json()["items"]] == ([demand.public_id] if sees else [])
    assert SECRET not in api_list.content.decode()

    assert page.status_code == (200 if sees else 404)
    assert (SECRET in page.content.decode()) == details
    assert download.status_code == (200 if details else 404)
    if details:
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert api_detail.status_code == (200 if sees else 404)
    if sees:
        assert api_detail.json()["details_visible"] == details
        assert (SECRET in api_detail.content.decode()) == details

    assert edit.status_code == _status_for(name, manages, sees)
    assert invite.status_code == _status_for(name, manages, sees)
    expected_answer = 302 if manages else (403 if details else 404)
    assert answer.status_code == expected_answer
    question.refresh_from_db()
    assert (question.answer == "Yes, all grades.") == manages


@pytest.mark.parametrize("name", PERSONAS)
def test_publishing_a_draft_follows_the_table(
    request: Any, owner_org: Any, owner: Any, as_user: Any, name: str
) -> None:
    owner_org.requires_demand_review = False
    owner_org.save()
    draft = DemandFactory(organisation=owner_org, owner=owner)
    response = as_user(persona(request, name)).post(f"/en/demands/{draft.public_id}/status/submit/")
    draft.refresh_from_db()
    expected = {"anonymous": 302, "teammate": 403}.get(name, 302 if name in MANAGERS else 404)
    assert response.status_code == expected
    assert (draft.status == Demand.Status.PUBLISHED) == (name in MANAGERS)
