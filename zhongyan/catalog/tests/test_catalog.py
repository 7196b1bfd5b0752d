"""The catalogue: browse, search in Chinese, filters, detail, create/edit by organisation admins, API."""

from typing import Any

import pytest
from django.urls import reverse

from zhongyan.catalog.models import Offering
from zhongyan.catalog.tests.factories import OfferingFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.content import bilingual

pytestmark = pytest.mark.django_db


def _form(org: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "organisation": org.pk,
        "kind": "technology",
        "title_zh_hans": "连铸结晶器液位控制",
        "title_en": "Mould level control for continuous casting",
        "description_zh_hans": "基于模型预测控制的结晶器液位稳定技术。",
        "description_en": "",
        "trl": "7",
        "ip_status": "pending",
        "licensing": "non_exclusive",
        "keywords": "结晶器, 液位",
        "status": "published",
    }
    data.update(overrides)
    return data


def test_list_searches_chinese_words_and_filters_by_kind_and_trl(as_user, outsider):
    hit = OfferingFactory(title=bilingual(zh="带钢表面缺陷检测系统", en="Strip inspection"), trl=8)
    OfferingFactory(title=bilingual(zh="氢冶金竖炉", en="Hydrogen shaft furnace"), trl=4)
    OfferingFactory(lab=True)
    client = as_user(outsider)
    found = client.get(reverse("catalog:list"), {"q": "表面缺陷"}).context["page"].object_list
    assert list(found) == [hit]
    assert list(client.get(reverse("catalog:list"), {"trl_min": "7"}).context["page"].object_list) == [hit]
    labs = client.get(reverse("catalog:list"), {"kind": "lab"}).context["page"].object_list
    assert [o.kind for o in labs] == ["lab"]


def test_draft_is_hidden_from_outsiders_and_404_on_detail(as_user, outsider, owner, owner_org):
    draft = OfferingFactory(draft=True, organisation=owner_org)
    assert as_user(outsider).get(reverse("catalog:detail", args=[draft.public_id])).status_code == 404
    assert as_user(owner).get(reverse("catalog:detail", args=[draft.public_id])).status_code == 200


def test_org_admin_creates_an_entry_with_audit(as_user, owner, owner_org):
    response = as_user(owner).post(reverse("catalog:create"), _form(owner_org))
    offering = Offering.objects.get()
    assert response.status_code == 302 and response.url == reverse("catalog:detail", args=[offering.public_id])
    assert offering.organisation == owner_org and offering.trl == 7
    assert "结晶器" in offering.search_text
    assert AuditEntry.objects.filter(verb="catalog.offering_created").count() == 1


def test_lab_with_a_trl_is_refused_and_the_input_kept(as_user, owner, owner_org):
    response = as_user(owner).post(reverse("catalog:create"), _form(owner_org, kind="lab", trl="5"))
    assert response.status_code == 400
    assert "连铸结晶器液位控制" in response.content.decode()
    assert not Offering.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("operator", 200), ("teammate", 404), ("outsider", 404)]
)
def test_only_organisation_admins_edit(request, as_user, owner_org, operator, teammate, outsider, persona, status):
    offering = OfferingFactory(organisation=owner_org)
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse("catalog:edit", args=[offering.public_id])).status_code == status


def test_member_without_admin_role_cannot_create(as_user, teammate):
    assert as_user(teammate).get(reverse("catalog:create")).status_code == 404


def test_api_lists_published_entries_with_chinese_search(as_user, outsider):
    hit = OfferingFactory(title=bilingual(zh="冷轧颤振监测", en="Chatter monitoring"))
    OfferingFactory(draft=True)
    response = as_user(outsider).get("/api/v1/catalog/", {"q": "颤振"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == [hit.public_id]


def test_demo_load_is_idempotent(operator):
    from io import StringIO

    from zhongyan.catalog import demo
    from zhongyan.orgs.tests.factories import OrganisationFactory

    orgs = {code: OrganisationFactory() for code in {spec.org for spec in demo.OFFERINGS}}
    assert len(demo.load(StringIO(), orgs)) == len(demo.OFFERINGS)
    demo.load(StringIO(), orgs)
    assert Offering.objects.count() == len(demo.OFFERINGS)


def test_org_admin_edit_on_the_page_is_saved(as_user, owner, owner_org):
    offering = OfferingFactory(organisation=owner_org, keywords="old")
    response = as_user(owner).post(
        reverse("catalog:edit", args=[offering.public_id]), _form(owner_org, keywords="结晶器, 液位", trl="8")
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.keywords == "结晶器, 液位" and offering.trl == 8
    assert AuditEntry.objects.filter(verb="catalog.offering_updated").count() == 1
