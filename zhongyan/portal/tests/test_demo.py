import io
import types
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.core.audit_models import AuditEntry
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.portal.demo_people import DOMAIN, PEOPLE, personas
from zhongyan.portal.management.commands import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    # The demo shares one password; hashing speed is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


FULL_DEMO = load_demo.AFTER_PEOPLE


@pytest.fixture(autouse=True)
def _people_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests are about organisations and people: skip the higher modules' demo content,
    which is slow to load. The idempotency test loads everything."""
    monkeypatch.setattr(load_demo, "AFTER_PEOPLE", ())


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def demo_users() -> list[User]:
    return list(User.objects.filter(email__endswith=f"@{DOMAIN}"))


def test_loading_the_whole_demo_twice_changes_nothing_the_second_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_demo, "AFTER_PEOPLE", FULL_DEMO)
    load()
    first = counts()
    output = load()
    assert counts() == first
    assert "People: 0 created, 31 already there; 0 memberships created." in output


def test_demo_has_about_thirty_people_each_with_a_verified_primary_email() -> None:
    load()
    users = demo_users()
    assert len(users) >= 30
    verified = EmailAddress.objects.filter(user__in=users, verified=True, primary=True)
    assert sorted(verified.values_list("email", flat=True)) == sorted(user.email for user in users)


def test_a_third_of_demo_profiles_are_written_in_english() -> None:
    load()
    users = demo_users()
    english = [user for user in users if user.bio.get("en") and not user.bio.get("zh-hans")]
    assert len(english) * 3 >= len(users)


def test_demo_people_have_fields_from_the_taxonomy_and_keywords() -> None:
    load()
    for user in demo_users():
        assert user.fields.exists(), user.email
        assert user.keywords, user.email
        assert user.display_name.get("en"), user.email


def test_each_persona_signs_in_with_the_demo_password() -> None:
    load()
    for person in personas():
        client = Client()
        response = client.post(reverse("account_login"), {"login": person.email, "password": "zhongyan-demo"})
        assert response.status_code == 302, person.email
        assert int(client.session["_auth_user_id"]) == User.objects.get(email=person.email).pk


def test_operator_persona_is_staff_and_administers_the_institute() -> None:
    load()
    operator = User.objects.get(email=f"operator@{DOMAIN}")
    assert operator.is_staff
    membership = Membership.objects.get(user=operator)
    assert membership.organisation.kind == Organisation.Kind.OPERATOR
    assert membership.role == Membership.Role.ADMIN


def test_people_join_their_demo_organisations_with_their_roles() -> None:
    load()
    expected = {(person.email, person.organisation, person.role) for person in PEOPLE if person.organisation}
    actual = set(Membership.objects.values_list("user__email", "organisation__slug", "role"))
    assert expected <= actual


def test_password_option_sets_the_password_of_new_people() -> None:
    call_command("load_demo", "--password", "another-demo-secret", stdout=io.StringIO())
    assert User.objects.get(email=f"owner@{DOMAIN}").check_password("another-demo-secret")


def test_a_failing_module_leaves_no_demo_data_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_load(stdout: Any, **context: Any) -> None:
        raise RuntimeError("demo content of a later module is broken")

    monkeypatch.setattr(load_demo, "AFTER_PEOPLE", ("demands",))
    original = load_demo._demo_module
    monkeypatch.setattr(
        load_demo,
        "_demo_module",
        lambda app: types.SimpleNamespace(load=broken_load) if app == "demands" else original(app),
    )
    with pytest.raises(RuntimeError):
        load()
    assert not User.objects.filter(email__endswith=f"@{DOMAIN}").exists()
    assert not Organisation.objects.exists()


def test_later_modules_receive_what_was_loaded_before_them(monkeypatch: pytest.MonkeyPatch) -> None:
    received: dict[str, Any] = {}

    def demands_load(stdout: Any, *, organisations: dict[str, Organisation], personas: dict[str, User]) -> str:
        received.update(organisations=organisations, personas=personas)
        return "demands loaded"

    def proposals_load(stdout: Any, *, demands: str) -> None:
        received["demands"] = demands

    fakes = {"demands": demands_load, "proposals": proposals_load}
    monkeypatch.setattr(load_demo, "AFTER_PEOPLE", tuple(fakes))
    original = load_demo._demo_module
    monkeypatch.setattr(
        load_demo,
        "_demo_module",
        lambda app: types.SimpleNamespace(load=fakes[app]) if app in fakes else original(app),
    )
    load()
    assert received["personas"]["owner"].email == f"owner@{DOMAIN}"
    assert "baoshan-cold-rolling" in received["organisations"]
    assert received["demands"] == "demands loaded"


def test_demo_logins_lists_every_persona_and_the_password() -> None:
    load()
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "zhongyan-demo" in text
    for person in personas():
        assert person.email in text
    assert "not loaded" not in text
