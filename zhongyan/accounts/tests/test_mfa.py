"""Two-factor authentication with an authenticator app (TOTP) and recovery codes."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _sign_in(client: Client, user: User) -> None:
    """Sign in and confirm the password again, as security pages ask before changing MFA."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_user_activates_totp_with_a_code_from_the_app_and_gets_recovery_codes() -> None:
    user = UserFactory()
    client = Client()
    _sign_in(client, user)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "bootstrap/css/bootstrap.min.css" in html
    secret = response.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()


def test_wrong_totp_code_during_activation_is_refused_in_chinese() -> None:
    user = UserFactory()
    client = Client()
    _sign_in(client, user)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "错误代码。" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


def test_signin_of_a_user_with_totp_requires_the_code() -> None:
    user = UserFactory()
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile_edit")).status_code == 302

    response = client.post(
        reverse("mfa_authenticate"), {"code": "123456" if _current_code(secret) != "123456" else "654321"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile_edit")).status_code == 200


def test_a_recovery_code_signs_in_once() -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = UserFactory()
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    recovery_code = RecoveryCodes.activate(user).get_unused_codes()[0]
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile_edit")).status_code == 200

    again = Client()
    again.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    again.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert "_auth_user_id" not in again.session


@pytest.mark.parametrize("url_name", ["mfa_index", "mfa_activate_totp"])
def test_mfa_pages_render_in_the_site_layout(url_name: str) -> None:
    user = UserFactory()
    client = Client()
    _sign_in(client, user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert 'class="list-group' in response.content.decode()
