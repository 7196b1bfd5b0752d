"""`manage.py seed_bench`: the large database issue 3's benchmark measures the demand pages on.

    .venv/bin/python manage.py seed_bench                 # 100,000 users, 10,000 demands
    .venv/bin/python manage.py seed_bench --reset         # delete the bench rows first
    .venv/bin/python manage.py seed_bench --users 1000 --demands 500

Bulk inserts, not services: 10,000 audited service calls would take most of an hour, and the
benchmark measures reads. What the services would have written is written here too: the
jieba-tokenised `search_text` (the same tokens as `search.index_text`), the frozen NDA text of
NDA demands, `published_at`/`closed_at` for the states that have them. Every user shares one
password hash, computed once (the hasher is deliberately slow). Bench users never sign in, so
they get no e-mail address rows; the demo personas (from `load_demo`) are the ones that do.

Deterministic (a seeded random generator): demand N has the public id `bench` + N in 11 digits,
and demand 0 is a public, published demand with indicators, fields and answered public
questions, which `bench/run.py` measures as the detail page. Idempotent: rows already there
are kept, so a second run only adds what is missing.
"""

import random
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from zhongyan.accounts.models import Field, User
from zhongyan.core.content import all_text, bilingual
from zhongyan.demands import search
from zhongyan.demands.demo import DEMANDS, DemoDemand
from zhongyan.demands.models import Demand, Indicator, Question
from zhongyan.demands.nda import BUILT_IN_NDA
from zhongyan.orgs.models import Membership, Organisation

USER_DOMAIN = "bench.zhongyan.local"
ORG_SLUG_PREFIX = "bench-org-"
DEMAND_ID_PREFIX = "bench"
DETAIL_DEMAND_ID = f"{DEMAND_ID_PREFIX}{0:011d}"
BATCH = 2000

# Where the problem sits: makes 12 demo problems into many distinct, searchable demands.
PLANTS = (
    ("宝山基地", "Baoshan works"),
    ("湛江基地", "Zhanjiang works"),
    ("东山冷轧厂", "Dongshan cold mill"),
    ("北海热轧厂", "Beihai hot strip mill"),
    ("南港炼钢厂", "Nangang steel plant"),
    ("西岭焦化厂", "Xiling coke plant"),
    ("青川镀锌线", "Qingchuan galvanising line"),
    ("滨江特钢", "Binjiang special steel"),
    ("龙湾中厚板厂", "Longwan plate mill"),
    ("临港硅钢部", "Lingang electrical steel"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文斌宇浩凯健俊帆"
PINYIN = ("wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun")
STATUSES = (  # status, weight: most of a mature platform's demands are past publication
    ("published", 55),
    ("closed", 10),
    ("evaluating", 6),
    ("awarded", 8),
    ("not_awarded", 4),
    ("draft", 7),
    ("in_review", 3),
    ("withdrawn", 4),
    ("archived", 3),
)
CONFIDENTIALITY = (("public", 70), ("nda", 20), ("internal", 10))
BENCH_ORGS = 40


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(search.tokens(text or ""))


def search_text(parts: list[str]) -> str:
    """`search.index_text(parts)`, with each part's tokens computed once: thousands of demands
    share the same problem texts, and jieba is the slow part of seeding."""
    seen = dict.fromkeys(word for part in parts for word in _tokens(part))
    return " " + " ".join(seen) + " "


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


class Command(BaseCommand):
    help = "Fill the database with 100,000 users and 10,000 demands for bench/run.py (see bench/README.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=100_000)
        parser.add_argument("--demands", type=int, default=10_000)
        parser.add_argument("--reset", action="store_true", help="delete the bench users, demands and organisations")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        started = timezone.now()
        if options["reset"]:
            self._reset()
        rng = random.Random(options["seed"])  # noqa: S311 - reproducible data, not secrets
        users = self._users(options["users"])
        organisations = self._organisations(users, rng)
        self._demands(options["demands"], organisations, rng)
        if connection.vendor == "postgresql":
            # Bulk inserts leave the planner's statistics and the visibility map stale until
            # autovacuum passes: measured pages would see seq scans the next hour would not.
            # VACUUM cannot run inside a transaction (a test's); ANALYZE can.
            with connection.cursor() as cursor:
                if not connection.in_atomic_block:
                    cursor.execute("VACUUM demands_demand")
                cursor.execute("ANALYZE")
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"seed_bench: done in {seconds:.1f} s\n")

    def _reset(self) -> None:
        with transaction.atomic():
            demands = Demand.objects.filter(public_id__startswith=DEMAND_ID_PREFIX)
            Question.objects.filter(demand__in=demands).delete()
            deleted, _ = demands.delete()
            Organisation.objects.filter(slug__startswith=ORG_SLUG_PREFIX).delete()
            users, _ = User.objects.filter(email__endswith=f"@{USER_DOMAIN}").delete()
        self.stdout.write(f"seed_bench: reset ({deleted} demand rows, {users} user rows deleted)\n")

    def _users(self, count: int) -> list[int]:
        """Ids of `count` bench users, creating the missing ones."""
        existing = set(User.objects.filter(email__endswith=f"@{USER_DOMAIN}").values_list("email", flat=True))
        password = make_password("bench-users-never-sign-in")
        joined = timezone.now() - timedelta(days=400)
        missing = []
        for index in range(count):
            email = f"user{index:06d}@{USER_DOMAIN}"
            if email in existing:
                continue
            surname, given = SURNAMES[index % len(SURNAMES)], GIVEN[(index // len(SURNAMES)) % len(GIVEN)]
            name = bilingual(zh=f"{surname}{given}{index % 97 or ''}", en=f"{PINYIN[index % len(PINYIN)]} {index}")
            missing.append(User(email=email, password=password, display_name=name, date_joined=joined))
        for start in range(0, len(missing), BATCH):
            User.objects.bulk_create(missing[start : start + BATCH])
        self.stdout.write(f"seed_bench: users {len(missing)} created, {len(existing)} already there\n")
        return list(User.objects.filter(email__endswith=f"@{USER_DOMAIN}").order_by("pk").values_list("pk", flat=True))

    def _organisations(self, users: list[int], rng: random.Random) -> list[tuple[Organisation, int]]:
        """(organisation, contact user id) pairs: the demo organisations and 40 bench ones."""
        kinds = [Organisation.Kind.BUSINESS_UNIT, Organisation.Kind.CUSTOMER, Organisation.Kind.SUPPLIER]
        for index in range(BENCH_ORGS):
            plant_zh, plant_en = PLANTS[index % len(PLANTS)]
            Organisation.objects.get_or_create(
                slug=f"{ORG_SLUG_PREFIX}{index:02d}",
                defaults={
                    "name": bilingual(zh=f"{plant_zh}第{index + 1}事业部", en=f"{plant_en} division {index + 1}"),
                    "kind": kinds[index % len(kinds)],
                    "verification": Organisation.Verification.VERIFIED,
                    "requires_demand_review": index % 2 == 0,
                },
            )
        pairs: list[tuple[Organisation, int]] = []
        for organisation in Organisation.objects.exclude(kind=Organisation.Kind.OPERATOR).order_by("pk"):
            contact = (
                Membership.objects.filter(organisation=organisation, role__in=("owner", "admin"))
                .values_list("user_id", flat=True)
                .first()
            )
            if contact is None and users:
                # Bench organisations: ten bench users each, the first one the owner.
                members = rng.sample(users, min(10, len(users)))
                Membership.objects.bulk_create(
                    [
                        Membership(organisation=organisation, user_id=user_id, role="owner" if i == 0 else "member")
                        for i, user_id in enumerate(members)
                    ],
                    ignore_conflicts=True,
                )
                contact = members[0]
            if contact is not None:
                pairs.append((organisation, contact))
        return pairs

    def _demands(self, count: int, organisations: list[tuple[Organisation, int]], rng: random.Random) -> None:
        existing = set(
            Demand.objects.filter(public_id__startswith=DEMAND_ID_PREFIX).values_list("public_id", flat=True)
        )
        fields = list(Field.objects.order_by("pk"))
        now = timezone.now()
        rows: list[tuple[Demand, DemoDemand, list[Field], bool]] = []
        for index in range(count):
            public_id = f"{DEMAND_ID_PREFIX}{index:011d}"
            # Draw for every index, created or not, so the data does not depend on what exists.
            spec = DEMANDS[index % len(DEMANDS)]
            plant_zh, plant_en = PLANTS[(index // len(DEMANDS)) % len(PLANTS)]
            organisation, contact = organisations[rng.randrange(len(organisations))]
            status = _weighted(rng, STATUSES)
            confidentiality = _weighted(rng, CONFIDENTIALITY)
            chosen_fields = rng.sample(fields, rng.randint(1, 3)) if fields else []
            published_days_ago = rng.uniform(0, 700)
            deadline_days = rng.randint(10, 120)
            with_indicators = rng.random() < 0.6
            budget_low = rng.choice((None, 100_000, 300_000, 500_000, 1_000_000))
            budget_high = rng.choice((None, 2_000_000, 5_000_000)) if budget_low else rng.choice((None, 800_000))
            if index == 0:  # the detail page: public, published, open, with everything shown on it
                status, confidentiality, with_indicators, published_days_ago = "published", "public", True, 1
            if public_id in existing:
                continue
            published_at = now - timedelta(days=published_days_ago)
            if status in ("draft", "in_review"):
                published_at = None
            deadline = (published_at or now) + timedelta(days=deadline_days)
            if status in ("closed", "evaluating", "awarded", "not_awarded", "archived"):
                deadline = min(deadline, now - timedelta(days=1))
            title = bilingual(zh=f"{plant_zh}：{spec.title_zh}", en=f"{spec.title_en} ({plant_en})")
            summary = bilingual(zh=spec.summary_zh, en=spec.summary_en)
            background = bilingual(zh=spec.background_zh, en=spec.background_en)
            parts = [all_text(title), all_text(summary), all_text(background), spec.keywords]
            if with_indicators:
                parts += [f"{zh}\n{en} {unit}" for zh, en, _target, unit in spec.indicators]
            parts += [all_text(field.name) for field in chosen_fields]
            demand = Demand(
                public_id=public_id,
                organisation=organisation,
                owner_id=contact,
                title=title,
                summary=summary,
                background=background,
                deliverables=bilingual(zh=spec.deliverables_zh, en=spec.deliverables_en),
                budget_min=budget_low,
                budget_max=budget_high,
                deadline=deadline,
                modes=list(spec.modes),
                ip_terms=spec.ip_terms,
                confidentiality=confidentiality,
                status=status,
                nda_text=dict(BUILT_IN_NDA) if confidentiality == "nda" and published_at else {},
                nda_version=0 if confidentiality == "nda" and published_at else None,
                keywords=spec.keywords,
                search_text=search_text(parts),
                published_at=published_at,
                closed_at=deadline if status not in ("draft", "in_review", "published") else None,
            )
            rows.append((demand, spec, chosen_fields, with_indicators))
        created = 0
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            with transaction.atomic():
                Demand.objects.bulk_create([demand for demand, *_ in batch])
                saved = dict(
                    Demand.objects.filter(public_id__in=[demand.public_id for demand, *_ in batch]).values_list(
                        "public_id", "pk"
                    )
                )
                through = Demand.fields.through
                links, indicators = [], []
                for demand, spec, chosen_fields, with_indicators in batch:
                    pk = saved[demand.public_id]
                    links += [through(demand_id=pk, field_id=field.pk) for field in chosen_fields]
                    if with_indicators:
                        indicators += [
                            Indicator(demand_id=pk, name=bilingual(zh=zh, en=en), target=target, unit=unit, position=i)
                            for i, (zh, en, target, unit) in enumerate(spec.indicators)
                        ]
                through.objects.bulk_create(links)
                Indicator.objects.bulk_create(indicators)
            created += len(batch)
        self._detail_questions(organisations)
        self.stdout.write(f"seed_bench: demands {created} created, {len(existing)} already there\n")

    def _detail_questions(self, organisations: list[tuple[Organisation, int]]) -> None:
        """Answered public questions on the detail page's demand, as a lively demand has."""
        demand = Demand.objects.filter(public_id=DETAIL_DEMAND_ID).first()
        if demand is None or demand.questions.exists():
            return
        askers = list(User.objects.filter(email__endswith=f"@{USER_DOMAIN}").order_by("pk")[:5])
        spec = DEMANDS[0]
        questions = list(spec.qa) or [("样品能否提供？", "可以。", True)]
        Question.objects.bulk_create(
            [
                Question(
                    demand=demand,
                    author=askers[i % len(askers)],
                    body=body,
                    is_public=True,
                    answer=answer,
                    answered_by_id=demand.owner_id,
                    answered_at=timezone.now(),
                )
                for i, (body, answer, _public) in enumerate(questions * 2)
            ]
        )
