import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zhongyan.accounts.models import User
from zhongyan.core.audit_models import AuditEntry
from zhongyan.events.models import QrLogin

pytestmark = pytest.mark.django_db


def start(desktop: Client) -> str:
    response = desktop.post("/qr-login/start/")
    assert response.status_code == 200
    match = re.search(r"data-approve-url=\"http://testserver/qr-login/([A-Za-z0-9_\-]+)/\"", response.content.decode())
    assert match, "no approval link in the QR fragment"
    assert "<svg" in response.content.decode()
    return match.group(1)


def approve(phone_user: User, token: str, answer: str = "approve") -> int:
    phone = Client()
    phone.force_login(phone_user)
    assert phone.get(f"/qr-login/{token}/").status_code == 200
    return phone.post(f"/qr-login/{token}/", {"answer": answer}).status_code


def test_an_approved_code_signs_the_desktop_in(solver: User) -> None:
    desktop = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Chrome/156")
    token = start(desktop)
    assert desktop.get("/qr-login/status/").status_code == 204
    assert approve(solver, token) == 200
    response = desktop.get("/qr-login/status/")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/dashboard/"
    assert desktop.get("/dashboard/").status_code == 200
    assert int(desktop.session["_auth_user_id"]) == solver.pk
    assert set(AuditEntry.objects.values_list("verb", flat=True)) >= {
        "account.qr_login_approved",
        "account.qr_login_completed",
    }


def test_the_code_is_bound_to_the_browser_that_asked(solver: User) -> None:
    desktop, attacker = Client(), Client()
    token = start(desktop)
    start(attacker)  # the attacker has a session of its own, but not the desktop's request
    approve(solver, token)
    assert attacker.get("/qr-login/status/").status_code == 204
    assert "_auth_user_id" not in attacker.session
    assert desktop.get("/qr-login/status/")["HX-Redirect"]


def test_the_code_is_single_use(solver: User, outsider: User) -> None:
    desktop = Client()
    token = start(desktop)
    approve(solver, token)
    desktop.get("/qr-login/status/")
    phone = Client()
    phone.force_login(outsider)
    assert phone.get(f"/qr-login/{token}/").status_code == 410
    assert phone.post(f"/qr-login/{token}/", {"answer": "approve"}).status_code == 410
    desktop.logout()
    again = desktop.get("/en/qr-login/status/")
    assert "expired" in again.content.decode()
    assert "_auth_user_id" not in desktop.session


def test_an_expired_code_cannot_be_approved(solver: User) -> None:
    desktop = Client()
    token = start(desktop)
    QrLogin.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    phone = Client()
    phone.force_login(solver)
    response = phone.get(f"/en/qr-login/{token}/")
    assert response.status_code == 410
    assert "no longer valid" in response.content.decode()
    assert "expired" in desktop.get("/en/qr-login/status/").content.decode()


def test_a_denied_code_does_not_sign_in(solver: User) -> None:
    desktop = Client()
    token = start(desktop)
    approve(solver, token, "deny")
    assert "denied" in desktop.get("/en/qr-login/status/").content.decode()
    assert "_auth_user_id" not in desktop.session
    assert AuditEntry.objects.filter(verb="account.qr_login_denied").count() == 1


def test_approving_needs_a_signed_in_phone() -> None:
    desktop = Client()
    token = start(desktop)
    response = Client().get(f"/qr-login/{token}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_requesting_codes_is_rate_limited() -> None:
    desktop = Client()
    for _ in range(10):
        start(desktop)
    response = desktop.post("/en/qr-login/start/")
    assert "Too many sign-in codes" in response.content.decode()
    assert QrLogin.objects.count() == 10


def test_the_redirect_after_sign_in_stays_on_this_site(solver: User) -> None:
    desktop = Client()
    token = start(desktop)
    approve(solver, token)
    response = desktop.get("/qr-login/status/", {"next": "https://evil.example.com/"})
    assert response["HX-Redirect"] == "/dashboard/"
