"""QuickSelect renders exactly what Django's Select renders; KeysFirstPaginator pages exactly as
Django's Paginator does."""

from typing import Any

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator

from zhongyan.core.paging import KeysFirstPaginator
from zhongyan.core.widgets import QuickSelect

CHOICES = [
    ("", "All <kinds>"),
    ("a&b", 'Quote " and ampersand &'),
    ("Group", [("g1", "第一"), ("g2", "Second")]),
    (3, "Three"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "g2", 3, "missing"])
@pytest.mark.parametrize("attrs", [{"class": "form-select"}, {"class": "x", "disabled": True, "data-x": False}])
def test_quick_select_renders_what_django_renders(value: Any, attrs: dict[str, Any]) -> None:
    expected = forms.Select(attrs=attrs, choices=CHOICES).render("kind", value, attrs={"id": "id_kind"})
    assert QuickSelect(attrs=attrs, choices=CHOICES).render("kind", value, attrs={"id": "id_kind"}) == expected


@pytest.mark.django_db
def test_quick_select_renders_model_choices_as_django_does() -> None:
    field = forms.ModelChoiceField(queryset=ContentType.objects.order_by("pk")[:8], empty_label="Everything")
    chosen = ContentType.objects.order_by("pk")[1].pk
    field.widget = forms.Select()
    field.widget.choices = field.choices
    expected = field.widget.render("who", chosen)
    field.widget = QuickSelect()
    field.widget.choices = field.choices
    assert field.widget.render("who", chosen) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("number", [1, 2, 3, 4, "last", "nonsense"])
def test_keys_first_pages_are_djangos_pages(number: Any) -> None:
    kinds = ContentType.objects.order_by("-model", "app_label")
    assert kinds.count() > 20
    ours = KeysFirstPaginator(kinds, 5, orphans=2).get_page(number)
    django = Paginator(kinds, 5, orphans=2).get_page(number)
    assert [kind.pk for kind in ours.object_list] == [kind.pk for kind in django.object_list]
    assert (ours.number, ours.paginator.num_pages, ours.paginator.count) == (
        django.number,
        django.paginator.num_pages,
        django.paginator.count,
    )
