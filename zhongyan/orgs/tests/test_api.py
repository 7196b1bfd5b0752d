import json
from typing import Any

import pytest
from django.test import Client

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import FieldFactory
from zhongyan.accounts.tokens import create_api_token
from zhongyan.core.content import bilingual
from zhongyan.orgs.models import JoinRequest, Membership, Organisation
from zhongyan.orgs.tests.factories import OrganisationFactory

BASE = "/api/v1/orgs/"


class Api:
    """A client that authenticates with a personal bearer token, as an integration would."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers = {}
        if user is not None:
            _token, key = create_api_token(user=user, name="tests")
            self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(BASE + path, json.dumps(body), content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.patch(BASE + path, json.dumps(body), content_type="application/json", headers=self.headers)


@pytest.fixture
def api() -> Any:
    return Api


def test_list_needs_a_token(api: Any, owner_org: Organisation) -> None:
    assert api(None).get("").status_code == 401


def test_list_searches_in_both_languages_and_paginates(api: Any, outsider: User) -> None:
    OrganisationFactory(name=bilingual(zh="宝山基地热轧厂", en="Baoshan Hot Strip Mill"))
    OrganisationFactory.create_batch(21)
    client = api(outsider)
    body = client.get("", q="热轧").json()
    assert body["count"] == 1 and body["items"][0]["name"]["en"] == "Baoshan Hot Strip Mill"
    assert client.get("", q="hot strip").json()["count"] == 1
    page_one = client.get("").json()
    assert page_one["count"] == 22 and len(page_one["items"]) == 20
    assert len(client.get("", page=2).json()["items"]) == 2


def test_list_filters_by_kind_and_hides_pending(api: Any, outsider: User) -> None:
    OrganisationFactory(kind=Organisation.Kind.SUPPLIER)
    OrganisationFactory(kind=Organisation.Kind.SUPPLIER, pending=True)
    assert api(outsider).get("", kind="supplier").json()["count"] == 1


def test_hidden_organisation_is_404(api: Any, outsider: User) -> None:
    org = OrganisationFactory(pending=True)
    assert api(outsider).get(org.public_id).status_code == 404
    assert api(outsider).get("doesnotexist1234").status_code == 404
    assert api(outsider).get(f"{org.public_id}/members").status_code == 404


def test_detail_returns_both_languages(api: Any, outsider: User, owner_org: Organisation) -> None:
    body = api(outsider).get(owner_org.public_id).json()
    assert body["id"] == owner_org.public_id
    assert body["name"] == {"zh-hans": "冷轧厂", "en": "Cold Rolling Mill"}
    assert body["verification"] == "verified"


def test_create_makes_the_caller_owner_of_a_pending_organisation(api: Any, outsider: User) -> None:
    FieldFactory(code="rolling")
    response = api(outsider).post(
        "", {"name": {"zh-hans": "智检科技", "en": "Zhijian AI"}, "kind": "startup", "fields": ["rolling"]}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["verification"] == "pending" and body["fields"] == ["rolling"]
    org = Organisation.objects.get(public_id=body["id"])
    assert org.memberships.get().user == outsider and org.memberships.get().role == Membership.Role.OWNER


def test_create_without_a_name_is_400_with_a_translated_message(api: Any, outsider: User) -> None:
    response = api(outsider).post("", {"name": {"zh-hans": "", "en": " "}, "kind": "startup"})
    assert response.status_code == 400
    assert response.json()["detail"] == "请用中文或英文（或两者）填写组织名称。"
    bad_kind = api(outsider).post("", {"name": {"en": "X"}, "kind": "castle"})
    assert bad_kind.status_code == 400
    assert not Organisation.objects.filter(kind="startup").exists()


def test_owner_updates_and_member_is_refused(api: Any, owner: User, teammate: User, owner_org: Organisation) -> None:
    response = api(owner).patch(owner_org.public_id, {"city": {"en": "Baoshan"}})
    assert response.status_code == 200 and response.json()["city"] == {"en": "Baoshan"}
    assert api(teammate).patch(owner_org.public_id, {"city": {"en": "X"}}).status_code == 403


def test_members_are_listed_to_members_only(
    api: Any, owner: User, teammate: User, solver: User, owner_org: Organisation
) -> None:
    response = api(teammate).get(f"{owner_org.public_id}/members")
    assert response.status_code == 200
    assert {m["user"]: m["role"] for m in response.json()} == {owner.public_id: "owner", teammate.public_id: "member"}
    assert api(solver).get(f"{owner_org.public_id}/members").status_code == 403


def test_outsider_asks_to_join_and_member_is_refused(
    api: Any, solver: User, teammate: User, owner_org: Organisation
) -> None:
    response = api(solver).post(f"{owner_org.public_id}/join-requests", {"message": "合作热轧项目"})
    assert response.status_code == 201
    assert JoinRequest.objects.get(public_id=response.json()["id"]).user == solver
    assert api(teammate).post(f"{owner_org.public_id}/join-requests", {}).status_code == 400
