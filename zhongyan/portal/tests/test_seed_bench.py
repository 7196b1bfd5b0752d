"""`manage.py seed_bench`: the benchmark's large database, small here."""

from io import StringIO

import pytest
from django.core.management import call_command

from zhongyan.accounts.models import User
from zhongyan.core.content import all_text
from zhongyan.demands import search
from zhongyan.demands.models import Demand

pytestmark = pytest.mark.django_db


def seed(*extra: str) -> None:
    call_command("seed_bench", "--users", "30", "--demands", "40", *extra, stdout=StringIO())


def test_seed_bench_creates_users_and_demands_once() -> None:
    seed()
    seed()
    assert User.objects.filter(email__endswith="@bench.zhongyan.local").count() == 30
    assert Demand.objects.filter(public_id__startswith="bench").count() == 40


def test_detail_page_demand_is_public_published_with_questions() -> None:
    seed()
    demand = Demand.objects.get(public_id="bench00000000000")
    assert (demand.status, demand.confidentiality) == ("published", "public")
    assert demand.indicators.exists() and demand.questions.filter(is_public=True).exists()


def test_search_text_is_what_the_services_would_write() -> None:
    seed()
    for demand in Demand.objects.filter(public_id__startswith="bench")[:10]:
        parts = [all_text(demand.title), all_text(demand.summary), all_text(demand.background), demand.keywords]
        parts += [f"{all_text(i.name)} {i.unit}" for i in demand.indicators.all()]
        parts += [all_text(field.name) for field in demand.fields.all()]
        assert set(demand.search_text.split()) == set(search.index_text(parts).split())


def test_reset_removes_the_bench_rows() -> None:
    seed()
    seed("--reset", "--demands", "0", "--users", "0")
    assert not Demand.objects.filter(public_id__startswith="bench").exists()
    assert not User.objects.filter(email__endswith="@bench.zhongyan.local").exists()
