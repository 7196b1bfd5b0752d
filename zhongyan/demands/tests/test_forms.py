"""Bad input on every demands form: a translated error, everything typed kept, nothing saved."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongyan.accounts.tests.factories import FieldFactory
from zhongyan.core.audit import history
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory


def future(days: int = 30) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def form_data(owner_org: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "organisation": owner_org.pk,
        "title_zh_hans": "热轧带钢板形预测",
        "title_en": "Flatness prediction for hot strip",
        "summary_zh_hans": "基于机器学习预测精轧出口板形。",
        "summary_en": "Predict flatness at the finishing mill exit.",
        "background_zh_hans": "",
        "background_en": "Wavy edges cost 2 % yield.",
        "deliverables_zh_hans": "",
        "deliverables_en": "A model and its validation report",
        "keywords": "板形, flatness",
        "budget_min": "300000",
        "budget_max": "900000",
        "deadline": future(),
        "modes": ["commissioned", "joint"],
        "ip_terms": "non_exclusive_licence",
        "confidentiality": "nda",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "30",
        "indicators-0-name_zh_hans": "板形偏差",
        "indicators-0-name_en": "Flatness deviation",
        "indicators-0-target": "≤ 10",
        "indicators-0-unit": "I-Unit",
    }
    data.update(changes)
    return data


def test_owner_creates_a_draft_with_indicators_fields_and_an_attachment(
    owner_org: Any, owner: Any, as_user: Any
) -> None:
    field = FieldFactory(code="rolling")
    data = form_data(owner_org, fields=[field.pk])
    data["attachment"] = SimpleUploadedFile("spec.pdf", b"%PDF-1.4 spec")
    response = as_user(owner).post("/en/demands/new/", data)
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.status == Demand.Status.DRAFT and demand.owner == owner and demand.organisation == owner_org
    assert demand.title == {"zh-hans": "热轧带钢板形预测", "en": "Flatness prediction for hot strip"}
    assert demand.modes == ["commissioned", "joint"] and demand.confidentiality == "nda"
    assert [i.target for i in demand.indicators.all()] == ["≤ 10"]
    assert list(demand.fields.all()) == [field]
    assert demand.attachments.count() == 1
    assert "板形" in demand.search_text and "flatness" in demand.search_text
    assert history(demand).filter(verb="demand.created").exists()


@pytest.mark.parametrize(
    ("changes", "message_en", "message_zh"),
    [
        ({"title_zh_hans": "", "title_en": ""}, "Enter this in Chinese or English", "请填写中文或英文"),
        ({"budget_min": "900000", "budget_max": "100"}, "at least the lower budget", "不得低于"),
        ({"deadline": "2001-01-01T10:00"}, "The deadline must be in the future.", "截止时间必须晚于现在"),
        ({"deadline": "next tuesday"}, "Enter a date and time", "请输入日期和时间"),
        ({"modes": []}, "Choose at least one cooperation mode.", "至少选择一种合作方式"),
        ({"ip_terms": ""}, "Choose the IP terms.", "请选择知识产权条款"),
        ({"budget_min": "-5"}, "greater than or equal to 0", "大于或等于0"),
        ({"indicators-0-target": ""}, "Give the target value.", "请填写目标值"),
    ],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_bad_demand_input_is_refused_translated_and_keeps_what_was_typed(
    owner_org: Any, owner: Any, as_user: Any, changes: dict[str, Any], message_en: str, message_zh: str, language: str
) -> None:
    prefix = "/en" if language == "en" else ""
    response = as_user(owner).post(f"{prefix}/demands/new/", form_data(owner_org, **changes))
    body = response.content.decode()
    assert response.status_code == 200
    assert (message_en if language == "en" else message_zh) in body
    assert "Wavy edges cost 2 % yield." in body  # typed text kept
    assert 'value="Flatness deviation"' in body or "indicators-0-name_en" not in changes
    assert not Demand.objects.exists()


def test_a_bad_attachment_on_the_form_keeps_the_rest_of_the_draft(owner_org: Any, owner: Any, as_user: Any) -> None:
    data = form_data(owner_org)
    data["attachment"] = SimpleUploadedFile("macro.exe", b"MZ")
    response = as_user(owner).post("/en/demands/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Attach PDF, Word" in body and "Choose the file again" in body
    assert "Flatness prediction for hot strip" in body and "Wavy edges cost 2 % yield." in body
    assert not Demand.objects.exists()


def test_editing_keeps_typed_values_on_error_and_saves_when_valid(owner_org: Any, owner: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner)
    data = form_data(owner_org, budget_min="5", budget_max="1", title_en="Edited title")
    data.pop("organisation")
    response = as_user(owner).post(f"/en/demands/{demand.public_id}/edit/", data)
    assert response.status_code == 200 and "Edited title" in response.content.decode()
    data.update(budget_min="1", budget_max="5")
    response = as_user(owner).post(f"/en/demands/{demand.public_id}/edit/", data)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.title["en"] == "Edited title" and demand.budget_max == 5
    assert "title" in history(demand).get(verb="demand.updated").data["changed"]


def test_confidentiality_is_fixed_after_publication(owner_org: Any, owner: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, nda=True)
    data = form_data(owner_org, confidentiality="public", deadline=future(days=40))
    data.pop("organisation")
    response = as_user(owner).post(f"/en/demands/{demand.public_id}/edit/", data)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.confidentiality == "nda"


def test_extend_deadline_form_refuses_an_earlier_date(owner_org: Any, owner: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    response = as_user(owner).post(f"/en/demands/{demand.public_id}/extend/", {"deadline": future(days=2)})
    assert response.status_code == 200
    assert "later than the current one" in response.content.decode()
    assert future(days=2) in response.content.decode()


def test_review_form_requires_a_reason_to_send_back(owner_org: Any, owner: Any, operator: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, in_review=True)
    response = as_user(operator).post(f"/en/demands/{demand.public_id}/review/", {"decision": "reject"})
    assert response.status_code == 200 and "Tell the owner what to change." in response.content.decode()
    response = as_user(operator).post(f"/en/demands/{demand.public_id}/review/", {"decision": "approve"})
    assert response.status_code == 302
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.PUBLISHED


def test_list_filters_with_bad_numbers_show_an_error_not_a_500(owner: Any, as_user: Any) -> None:
    response = as_user(owner).get("/en/demands/", {"budget_min": "lots", "deadline_after": "soon", "page": "x"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()


def test_review_queue_is_for_operators_only(owner: Any, operator: Any, owner_org: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, in_review=True)
    assert as_user(owner).get("/en/demands/review/").status_code == 403
    assert demand.title["en"] in as_user(operator).get("/en/demands/review/").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/en/demands/nosuchdemand0000/",
        "/en/demands/nosuchdemand0000/edit/",
        "/en/demands/nosuchdemand0000/nda/",
        "/en/demands/nosuchdemand0000/invite/",
        "/en/demands/nosuchdemand0000/attachments/nosuchfile000000/",
        "/api/v1/demands/nosuchdemand0000",
    ],
)
def test_unknown_ids_are_404(owner: Any, as_user: Any, path: str) -> None:
    assert as_user(owner).get(path).status_code == 404


def test_unknown_attachment_of_a_visible_demand_is_404(owner_org: Any, owner: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    assert as_user(owner).get(f"/en/demands/{demand.public_id}/attachments/nosuchfile000000/").status_code == 404
    assert as_user(owner).get(f"/en/demands/{demand.public_id}/status/explode/").status_code == 404
