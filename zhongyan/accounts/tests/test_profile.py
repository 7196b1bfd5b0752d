"""Editing one's profile (page and service) and who may do what to a profile."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhongyan.accounts import permissions, services
from zhongyan.accounts.models import Field, User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.errors import NotPermitted

pytestmark = pytest.mark.django_db


def _form(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name_zh_hans": "王海",
        "display_name_en": "Wang Hai",
        "headline_zh_hans": "冷轧厂 高级工程师",
        "headline_en": "Senior engineer, cold rolling mill",
        "bio_zh_hans": "从事板形控制二十年。",
        "bio_en": "Twenty years of strip flatness control.",
        "languages": ["zh", "en"],
        "expertise": ["cold-rolling", "industrial-ai-data"],
        "keywords": "板形控制，氢冶金; strip flatness, 板形控制",
        "publications": "CN112345678A 一种冷轧板形控制方法",
        "availability": "limited",
    }
    data.update(extra)
    return data


def test_taxonomy_migration_created_bilingual_steel_fields_with_stable_codes() -> None:
    codes = set(Field.objects.values_list("code", flat=True))
    assert {"ironmaking", "steelmaking", "continuous-casting", "hot-rolling", "cold-rolling", "heat-treatment"} <= codes
    assert {"low-carbon-hydrogen", "industrial-ai-data", "equipment-reliability", "refractories"} <= codes
    assert Field.objects.count() >= 20
    ironmaking = Field.objects.get(code="ironmaking")
    assert ironmaking.name == {"zh-hans": "炼铁", "en": "Ironmaking"}
    assert all(field.name.get("zh-hans") and field.name.get("en") for field in Field.objects.all())


def test_profile_page_saves_every_attribute_and_records_an_audit_entry(as_user: Any) -> None:
    user = UserFactory()
    response = as_user(user).post(reverse("accounts:profile_edit"), _form())
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == {"zh-hans": "王海", "en": "Wang Hai"}
    assert user.headline["en"] == "Senior engineer, cold rolling mill"
    assert user.bio["zh-hans"] == "从事板形控制二十年。"
    assert user.languages == ["zh", "en"]
    assert set(user.fields.values_list("code", flat=True)) == {"cold-rolling", "industrial-ai-data"}
    assert user.keywords == "板形控制, 氢冶金, strip flatness"
    assert user.publications.startswith("CN112345678A")
    assert user.availability == User.Availability.LIMITED
    entry = AuditEntry.objects.get(verb="accounts.profile_updated", target_id=user.public_id)
    assert entry.actor == user
    assert set(entry.data["changed"]) >= {"display_name", "fields", "keywords", "availability"}


def test_saving_an_unchanged_profile_writes_no_audit_entry(as_user: Any) -> None:
    user = UserFactory()
    client = as_user(user)
    client.post(reverse("accounts:profile_edit"), _form())
    client.post(reverse("accounts:profile_edit"), _form())
    assert AuditEntry.objects.filter(verb="accounts.profile_updated").count() == 1


def test_too_long_headline_is_refused_in_chinese_and_the_rest_is_kept(as_user: Any) -> None:
    user = UserFactory()
    response = as_user(user).post(reverse("accounts:profile_edit"), _form(headline_zh_hans="长" * 201))
    assert response.status_code == 200
    html = response.content.decode()
    assert "每种语言的内容请不要超过 200 个字符。" in html
    assert 'value="Wang Hai"' in html
    assert "从事板形控制二十年。" in html
    user.refresh_from_db()
    assert user.headline == {}


def test_unknown_field_code_is_refused(as_user: Any) -> None:
    user = UserFactory()
    response = as_user(user).post(reverse("accounts:profile_edit"), _form(expertise=["alchemy"]))
    assert response.status_code == 200
    assert not user.fields.exists()


def test_profile_page_renders_in_english(as_user: Any) -> None:
    response = as_user(UserFactory()).get("/en/profile/")
    assert response.status_code == 200
    assert "Fields of expertise" in response.content.decode()
    assert "Ironmaking" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in_from_the_profile_page() -> None:
    response = Client().get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- permissions: personas x actions -----------------------------------------------------------

ANONYMOUS, OUTSIDER, SELF, OPERATOR = "anonymous", "outsider", "self", "operator"
ACTIONS = ("view_profile", "edit_profile", "create_token")
# Whether each persona may do each action to the profile of "the person".
TABLE = {
    ANONYMOUS: {"view_profile": False, "edit_profile": False, "create_token": False},
    OUTSIDER: {"view_profile": True, "edit_profile": False, "create_token": False},
    SELF: {"view_profile": True, "edit_profile": True, "create_token": True},
    OPERATOR: {"view_profile": True, "edit_profile": True, "create_token": False},
}


@pytest.fixture
def person() -> User:
    return UserFactory(email="person@example.com")


def _actor(persona: str, person: User) -> Any:
    from django.contrib.auth.models import AnonymousUser

    return {
        ANONYMOUS: AnonymousUser(),
        OUTSIDER: UserFactory(email="outsider@example.com"),
        SELF: person,
        OPERATOR: UserFactory(email="operator@example.com", operator=True),
    }[persona]


@pytest.mark.parametrize("persona", TABLE)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_table(persona: str, action: str, person: User) -> None:
    actor = _actor(persona, person)
    check = getattr(permissions, f"can_{action}")
    assert check(actor, person) is TABLE[persona][action]


@pytest.mark.parametrize("persona", TABLE)
def test_profile_page_of_the_person_follows_the_table(persona: str, person: User) -> None:
    actor = _actor(persona, person)
    client = Client()
    if persona != ANONYMOUS:
        client.force_login(actor)
    response = client.get(reverse("accounts:expert_detail", args=[person.public_id]))
    expected = 200 if TABLE[persona]["view_profile"] else 302
    assert response.status_code == expected


@pytest.mark.parametrize("persona", TABLE)
def test_update_profile_service_follows_the_table(persona: str, person: User) -> None:
    actor = _actor(persona, person)
    changes = {"keywords": "高炉"}
    if TABLE[persona]["edit_profile"]:
        services.update_profile(actor=actor, user=person, changes=changes)
        person.refresh_from_db()
        assert person.keywords == "高炉"
    else:
        with pytest.raises(NotPermitted):
            services.update_profile(actor=actor, user=person, changes=changes)
        person.refresh_from_db()
        assert person.keywords == ""


@pytest.mark.parametrize("persona", TABLE)
def test_create_token_service_follows_the_table(persona: str, person: User) -> None:
    actor = _actor(persona, person)
    if TABLE[persona]["create_token"]:
        services.create_api_token(actor=actor, name="ERP")
        assert person.api_tokens.count() == 1
    elif persona == ANONYMOUS:
        with pytest.raises(NotPermitted):
            services.create_api_token(actor=actor, name="ERP")
    else:
        # Tokens are always made for oneself: an operator or outsider only ever gets their own.
        services.create_api_token(actor=actor, name="ERP")
        assert person.api_tokens.count() == 0


def test_unverified_sign_up_is_hidden_from_other_members(as_user: Any) -> None:
    pending = UserFactory(verified=False)
    response = as_user(UserFactory()).get(reverse("accounts:expert_detail", args=[pending.public_id]))
    assert response.status_code == 404


def test_unknown_public_id_is_404(as_user: Any) -> None:
    response = as_user(UserFactory()).get(reverse("accounts:expert_detail", args=["zzzzzzzzzzzzzzzz"]))
    assert response.status_code == 404


def test_operator_sees_an_inactive_person_that_members_do_not(as_user: Any) -> None:
    gone = UserFactory(is_active=False)
    url = reverse("accounts:expert_detail", args=[gone.public_id])
    assert as_user(UserFactory()).get(url).status_code == 404
    assert as_user(UserFactory(operator=True)).get(url).status_code == 200
