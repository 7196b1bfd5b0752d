"""Sign-up, e-mail verification, sign-in, password change and reset, rate limits (allauth, our settings)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "molten iron ladle 2026"


def _link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_sends_verification_mail_and_confirming_signs_in() -> None:
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {"email": "Newcomer@Example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="newcomer@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.com"]
    assert mail.outbox[0].subject.startswith("[众研]")
    # Not signed in before the address is confirmed.
    assert client.get(reverse("accounts:profile_edit")).status_code == 302

    confirm_url = _link_in(mail.outbox[0])
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accounts:profile_edit")).status_code == 200


def test_unverified_user_cannot_sign_in_and_gets_a_new_verification_mail() -> None:
    UserFactory(email="pending@example.com", verified=False)
    client = Client()
    response = client.post(reverse("account_login"), {"login": "pending@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert client.get(reverse("accounts:profile_edit")).status_code == 302


def test_signin_with_correct_password_reaches_the_dashboard() -> None:
    UserFactory(email="engineer@example.com")
    client = Client()
    response = client.post(reverse("account_login"), {"login": "engineer@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")


def test_wrong_password_shows_translated_error_and_keeps_the_email() -> None:
    UserFactory(email="engineer@example.com")
    response = Client().post(reverse("account_login"), {"login": "engineer@example.com", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "您提供的电子邮件地址和/或密码不正确。" in html
    assert 'value="engineer@example.com"' in html


def test_wrong_password_in_english_shows_english_error() -> None:
    UserFactory(email="engineer@example.com")
    response = Client().post("/en/accounts/login/", {"login": "engineer@example.com", "password": "wrong"})
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_sixth_failed_signin_is_refused_even_with_the_right_password() -> None:
    UserFactory(email="target@example.com")
    client = Client()
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": "target@example.com", "password": "guess"})
        assert "登录失败次数过多" not in response.content.decode()
    response = client.post(reverse("account_login"), {"login": "target@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "登录失败次数过多，请稍后重试。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change_ends_every_other_session() -> None:
    user = UserFactory(email="engineer@example.com")
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert client.get(reverse("accounts:profile_edit")).status_code == 200

    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    response = phone.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_password_change_with_wrong_current_password_is_refused_in_chinese() -> None:
    user = UserFactory()
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "请输入您当前的密码。" in response.content.decode() or "当前密码" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_mail_lets_the_user_choose_a_new_password() -> None:
    user = UserFactory(email="forgetful@example.com")
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_url = _link_in(mail.outbox[0])
    response = client.get(reset_url)
    assert response.status_code == 302  # allauth moves the key into the session first
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/en/accounts/login/",
        "/en/accounts/signup/",
    ],
)
def test_entrance_pages_use_the_site_layout_and_bootstrap(url: str) -> None:
    html = Client().get(url).content.decode()
    assert "bootstrap/css/bootstrap.min.css" in html
    assert 'class="form-control' in html
    assert 'name="viewport"' in html


def test_short_password_at_signup_is_refused_in_chinese_and_the_email_is_kept() -> None:
    response = Client().post(
        reverse("account_signup"), {"email": "short@example.com", "password1": "a1b2", "password2": "a1b2"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "密码太短：至少需要 8 个字符。" in html
    assert 'value="short@example.com"' in html
    assert not User.objects.filter(email="short@example.com").exists()
