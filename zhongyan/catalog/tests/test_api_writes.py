"""Catalogue writes through the API: same permissions, validation and services as the pages."""

from typing import Any

import pytest

from zhongyan.accounts.tests.factories import FieldFactory
from zhongyan.catalog.models import Offering
from zhongyan.catalog.tests.factories import OfferingFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.content import bilingual

pytestmark = pytest.mark.django_db

URL = "/api/v1/catalog/"


def _payload(org: Any, **overrides: Any) -> dict[str, Any]:
    payload = {
        "organisation": org.public_id,
        "kind": "patent",
        "title": {"zh-hans": "转炉副枪自动测温取样装置", "en": "Automatic sub-lance probe for the BOF"},
        "description": {"zh-hans": "无需人工更换探头。"},
        "trl": 8,
        "ip_status": "granted",
        "licensing": "exclusive",
        "fields": [],
        "keywords": "转炉, 副枪",
        "status": "published",
    }
    payload.update(overrides)
    return payload


def _post(client: Any, url: str, payload: dict[str, Any] | None = None) -> Any:
    return client.post(url, payload or {}, content_type="application/json")


def _patch(client: Any, url: str, payload: dict[str, Any]) -> Any:
    return client.patch(url, payload, content_type="application/json")


def test_org_admin_creates_a_patent_with_fields_and_audit(as_user, owner, owner_org):
    steelmaking = FieldFactory(code="steelmaking")
    response = _post(as_user(owner), URL, _payload(owner_org, fields=["steelmaking"]))
    assert response.status_code == 201
    offering = Offering.objects.get(public_id=response.json()["id"])
    assert offering.kind == "patent" and offering.trl == 8 and offering.organisation == owner_org
    assert list(offering.fields.all()) == [steelmaking]
    assert "测温" in offering.search_text
    assert AuditEntry.objects.filter(verb="catalog.offering_created").count() == 1


def test_org_admin_creates_a_shared_lab_without_trl(as_user, owner, owner_org):
    payload = _payload(owner_org, kind="lab", trl=None, licensing="service", ip_status="none")
    response = _post(as_user(owner), URL, payload)
    assert response.status_code == 201 and response.json()["kind"] == "lab" and response.json()["trl"] is None


@pytest.mark.parametrize("persona", ["outsider", "teammate", "solver"])
def test_people_who_do_not_administer_the_organisation_get_403(request, as_user, owner_org, persona):
    response = _post(as_user(request.getfixturevalue(persona)), URL, _payload(owner_org))
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有执行此操作的权限。"}
    assert not Offering.objects.exists()


def test_operator_may_create_for_any_organisation(as_user, operator, owner_org):
    assert _post(as_user(operator), URL, _payload(owner_org)).status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "lab", "trl": 5}, "trl", "实验室和设备没有技术成熟度等级。"),
        ({"title": {}}, "title", "请填写中文或英文（或两者都填）。"),
        ({"licensing": "forever"}, "licensing", "选择一个有效的选项"),
        ({"trl": 12}, "trl", "选择一个有效的选项"),
        ({"fields": ["no-such-field"]}, "fields", "未知的领域代码：no-such-field。"),
    ],
)
def test_invalid_values_are_422_with_translated_messages(as_user, owner, owner_org, overrides, field, message):
    response = _post(as_user(owner), URL, _payload(owner_org, **overrides))
    assert response.status_code == 422
    body = response.json()
    assert any(message in text for text in body["errors"][field]), body
    assert not Offering.objects.exists()


def test_unknown_organisation_is_404(as_user, owner, owner_org):
    assert _post(as_user(owner), URL, _payload(owner_org, organisation="nosuchorg")).status_code == 404


def test_admin_updates_only_the_fields_sent(as_user, owner, owner_org):
    offering = OfferingFactory(organisation=owner_org, keywords="old")
    response = _patch(as_user(owner), f"{URL}{offering.public_id}", {"keywords": "结晶器, 液位", "trl": 7})
    assert response.status_code == 200
    offering.refresh_from_db()
    assert offering.keywords == "结晶器, 液位" and offering.trl == 7
    assert offering.title["zh-hans"].startswith("高炉喷煤强化技术")
    assert "结晶器" in offering.search_text
    assert AuditEntry.objects.filter(verb="catalog.offering_updated").count() == 1


def test_update_with_an_invalid_value_changes_nothing(as_user, owner, owner_org):
    offering = OfferingFactory(organisation=owner_org, lab=True)
    response = _patch(as_user(owner), f"{URL}{offering.public_id}", {"trl": 4, "keywords": "new"})
    assert response.status_code == 422 and "实验室和设备没有技术成熟度等级。" in response.json()["errors"]["trl"]
    offering.refresh_from_db()
    assert offering.trl is None and offering.keywords == ""


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("operator", 200), ("teammate", 403), ("outsider", 403)]
)
def test_withdraw_is_for_organisation_admins(request, as_user, owner_org, persona, status):
    offering = OfferingFactory(organisation=owner_org)
    response = _post(as_user(request.getfixturevalue(persona)), f"{URL}{offering.public_id}/withdraw")
    assert response.status_code == status
    offering.refresh_from_db()
    assert offering.status == ("withdrawn" if status == 200 else "published")


def test_withdrawn_entry_leaves_the_public_list_but_stays_with_its_organisation(as_user, owner, outsider, owner_org):
    offering = OfferingFactory(organisation=owner_org, title=bilingual(zh="冷轧乳化液净化", en="Emulsion cleaning"))
    _post(as_user(owner), f"{URL}{offering.public_id}/withdraw")
    assert as_user(outsider).get(URL).json()["count"] == 0
    assert as_user(outsider).get(f"{URL}{offering.public_id}").status_code == 404
    assert as_user(owner).get(f"{URL}{offering.public_id}").json()["status"] == "withdrawn"


def test_draft_of_another_organisation_is_404_not_403(as_user, outsider, owner_org):
    draft = OfferingFactory(organisation=owner_org, draft=True)
    assert _patch(as_user(outsider), f"{URL}{draft.public_id}", {"keywords": "x"}).status_code == 404


def test_admin_publishes_a_draft_by_changing_its_status(as_user, owner, outsider, owner_org):
    draft = OfferingFactory(organisation=owner_org, draft=True)
    assert _patch(as_user(owner), f"{URL}{draft.public_id}", {"status": "published"}).status_code == 200
    assert as_user(outsider).get(f"{URL}{draft.public_id}").status_code == 200
