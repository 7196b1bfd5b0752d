"""API tokens (page) and the accounts API with a bearer token."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhongyan.accounts.models import ApiToken, Field
from zhongyan.accounts.services import create_api_token
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry

pytestmark = pytest.mark.django_db


def test_new_token_is_shown_once_and_only_its_hash_is_stored(as_user: Any) -> None:
    user = UserFactory()
    client = as_user(user)
    response = client.post(reverse("accounts:token_list"), {"name": "ERP integration"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["new_key"]
    assert key.startswith("zy_") and key in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert key not in token.key_hash
    assert AuditEntry.objects.filter(verb="accounts.api_token_created", target_id=token.public_id).exists()
    listing = client.get(reverse("accounts:token_list")).content.decode()
    assert "ERP integration" in listing
    assert key not in listing


def test_token_without_a_name_is_refused_in_chinese(as_user: Any) -> None:
    user = UserFactory()
    response = as_user(user).post(reverse("accounts:token_list"), {"name": "  "})
    assert "这个字段是必填项。" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_for_confirmation_then_deletes(as_user: Any) -> None:
    user = UserFactory()
    token, _key = create_api_token(actor=user, name="script")
    client = as_user(user)
    url = reverse("accounts:token_revoke", args=[token.public_id])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "script" in confirm.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert AuditEntry.objects.filter(verb="accounts.api_token_revoked").exists()


def test_someone_elses_token_cannot_be_revoked(as_user: Any) -> None:
    token, _key = create_api_token(actor=UserFactory(), name="theirs")
    response = as_user(UserFactory()).post(reverse("accounts:token_revoke", args=[token.public_id]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_api_profile_get_and_patch_with_a_bearer_token() -> None:
    user = UserFactory(display_name={"zh-hans": "王海"})
    _token, key = create_api_token(actor=user, name="cli")
    client = Client()
    response = client.get("/api/v1/profile", headers=_bearer(key))
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["display_name"] == {"zh-hans": "王海"}

    response = client.patch(
        "/api/v1/profile",
        data={
            "headline": {"en": "Corrosion engineer"},
            "fields": ["corrosion-protection"],
            "keywords": ["耐蚀钢", "weathering steel"],
            "availability": "limited",
        },
        content_type="application/json",
        headers=_bearer(key),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["headline"] == {"en": "Corrosion engineer"}
    assert body["fields"] == [
        {"code": "corrosion-protection", "name": {"zh-hans": "腐蚀与防护", "en": "Corrosion and protection"}}
    ]
    assert body["keywords"] == ["耐蚀钢", "weathering steel"]
    user.refresh_from_db()
    assert user.availability == "limited"
    assert user.display_name == {"zh-hans": "王海"}
    assert AuditEntry.objects.filter(verb="accounts.profile_updated", target_id=user.public_id).exists()


def test_api_patch_with_an_unknown_field_code_is_a_400() -> None:
    user = UserFactory()
    _token, key = create_api_token(actor=user, name="cli")
    response = Client().patch(
        "/api/v1/profile", data={"fields": ["alchemy"]}, content_type="application/json", headers=_bearer(key)
    )
    assert response.status_code == 400
    assert "alchemy" in response.json()["detail"]


def test_api_without_a_token_is_401() -> None:
    assert Client().get("/api/v1/profile").status_code == 401
    assert Client().get("/api/v1/profile", headers=_bearer("zy_wrong")).status_code == 401


def test_api_expert_search_is_paginated() -> None:
    user = UserFactory()
    _token, key = create_api_token(actor=user, name="cli")
    field = Field.objects.get(code="welding-joining")
    for number in range(3):
        UserFactory(keywords=f"激光焊接 {number}").fields.set([field])
    response = Client().get(
        "/api/v1/experts", {"q": "焊接", "field": "welding-joining", "page_size": 2}, headers=_bearer(key)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["pages"] == 2
    assert len(body["items"]) == 2
    assert "email" not in body["items"][0]
