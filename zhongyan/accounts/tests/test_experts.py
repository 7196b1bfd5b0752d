"""The expert directory: search in Chinese and English, field filter, pagination, empty state."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhongyan.accounts.models import Field, User
from zhongyan.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts() -> dict[str, User]:
    furnace = UserFactory(
        display_name={"zh-hans": "李明", "en": "Li Ming"},
        headline={"zh-hans": "高炉炼铁首席工程师", "en": "Chief blast furnace engineer"},
        keywords="高炉, 富氢冶炼",
    )
    furnace.fields.set([Field.objects.get(code="ironmaking")])
    coating = UserFactory(
        display_name={"en": "Anna Müller"},
        bio={"en": "Hot-dip galvanizing lines and zinc coating adhesion."},
        keywords="galvanizing",
    )
    coating.fields.set([Field.objects.get(code="coating-surface")])
    return {"furnace": furnace, "coating": coating}


def _names(response: Any) -> list[str]:
    return [expert.name for expert in response.context["experts"]]


def test_search_in_chinese_finds_the_chinese_headline(as_user: Any, experts: dict[str, User]) -> None:
    response = as_user(UserFactory()).get(reverse("accounts:expert_list"), {"q": "炼铁"})
    assert response.status_code == 200
    assert _names(response) == ["李明"]


def test_search_in_english_finds_the_english_bio_case_insensitively(as_user: Any, experts: dict[str, User]) -> None:
    response = as_user(UserFactory()).get("/en/experts/", {"q": "GALVANIZING zinc"})
    assert _names(response) == ["Anna Müller"]


def test_english_interface_finds_the_chinese_keyword_too(as_user: Any, experts: dict[str, User]) -> None:
    response = as_user(UserFactory()).get("/en/experts/", {"q": "富氢"})
    assert _names(response) == ["Li Ming"]


def test_field_filter_keeps_only_people_of_that_field(as_user: Any, experts: dict[str, User]) -> None:
    response = as_user(UserFactory()).get(reverse("accounts:expert_list"), {"field": "coating-surface"})
    assert _names(response) == ["Anna Müller"]


def test_no_match_shows_the_empty_state_with_a_way_back(as_user: Any, experts: dict[str, User]) -> None:
    response = as_user(UserFactory()).get(reverse("accounts:expert_list"), {"q": "量子计算"})
    html = response.content.decode()
    assert "没有符合搜索条件的专家。" in html
    assert f'href="{reverse("accounts:expert_list")}"' in html


def test_pagination_links_keep_the_search_and_field(as_user: Any) -> None:
    field = Field.objects.get(code="hot-rolling")
    for number in range(25):
        UserFactory(keywords=f"热轧 {number}").fields.set([field])
    response = as_user(UserFactory()).get(reverse("accounts:expert_list"), {"q": "热轧", "field": "hot-rolling"})
    assert response.context["page"].paginator.count == 25
    assert len(response.context["experts"]) == 20
    html = response.content.decode()
    assert "q=%E7%83%AD%E8%BD%A7&amp;field=hot-rolling&amp;page=2" in html
    second = as_user(UserFactory()).get(
        reverse("accounts:expert_list"), {"q": "热轧", "field": "hot-rolling", "page": 2}
    )
    assert len(second.context["experts"]) == 5


def test_a_page_number_out_of_range_shows_the_last_page(as_user: Any, experts: dict[str, User]) -> None:
    response = as_user(UserFactory()).get(reverse("accounts:expert_list"), {"page": "99"})
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_directory_hides_inactive_and_unverified_people(as_user: Any) -> None:
    UserFactory(is_active=False, keywords="连铸")
    UserFactory(verified=False, keywords="连铸")
    visible = UserFactory(keywords="连铸")
    response = as_user(UserFactory()).get(reverse("accounts:expert_list"), {"q": "连铸"})
    assert _names(response) == [visible.name]


def test_anonymous_visitor_is_sent_to_sign_in() -> None:
    response = Client().get(reverse("accounts:expert_list"))
    assert response.status_code == 302
