"""The operators' admin pages for people, fields and tokens."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhongyan.accounts.models import ApiToken, User
from zhongyan.accounts.services import create_api_token, import_publications
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(as_user: Any) -> Any:
    return as_user(UserFactory(operator=True, is_superuser=True))


def test_user_list_searches_by_email(admin_client: Any) -> None:
    UserFactory(email="furnace@example.com")
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "furnace"})
    assert response.status_code == 200
    assert "furnace@example.com" in response.content.decode()


def test_operator_creates_a_user_by_email_and_it_is_audited(admin_client: Any) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "new@example.com", "usable_password": "false", "password1": "", "password2": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new@example.com")
    assert AuditEntry.objects.filter(verb="accounts.user_created_by_operator", target_id=user.public_id).exists()


def test_user_change_page_and_field_list_render(admin_client: Any) -> None:
    person = UserFactory()
    assert admin_client.get(reverse("admin:accounts_user_change", args=[person.pk])).status_code == 200
    assert admin_client.get(reverse("admin:accounts_field_changelist")).status_code == 200


def test_token_admin_is_read_only_and_never_shows_a_key(admin_client: Any) -> None:
    token, key = create_api_token(actor=UserFactory(), name="ERP")
    response = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert response.status_code == 200
    assert key not in response.content.decode()
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_operator_revokes_a_token_in_the_admin(admin_client: Any) -> None:
    token, _key = create_api_token(actor=UserFactory(), name="ERP")
    response = admin_client.post(reverse("admin:accounts_apitoken_delete", args=[token.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(verb="accounts.api_token_revoked").exists()


def test_publication_admin_lists_imports_and_publications_read_only(admin_client: Any) -> None:
    person = UserFactory()
    import_publications(
        actor=person, user=person, file=SimpleUploadedFile("a.ris", b"TY  - JOUR\nTI  - Sinter plant\nER  -\n")
    )
    assert "Sinter plant" in admin_client.get(reverse("admin:accounts_publication_changelist")).content.decode()
    assert "a.ris" in admin_client.get(reverse("admin:accounts_publicationimport_changelist")).content.decode()
    assert admin_client.get(reverse("admin:accounts_publication_add")).status_code == 403
