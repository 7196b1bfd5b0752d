"""Cross-device sign-in: a desktop browser shows a QR code; a phone that is signed in scans it
and approves; the desktop is signed in. The code is single-use, expires in two minutes and is
bound to the browser that asked for it (a secret kept in that browser's session)."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.errors import DomainError
from zhongyan.events.models import QrLogin

LIFETIME = timedelta(minutes=2)
SESSION_KEY = "events_qr_login"
MAX_STARTS_PER_MINUTE = 10


class QrLoginRateLimited(DomainError):
    default_message = _("Too many sign-in codes were requested from this address. Wait a minute and try again.")


class QrLoginInvalid(DomainError):
    default_message = _("This sign-in code is no longer valid. Ask for a new one on the computer.")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def start_qr_login(*, session: Any, ip_address: str | None, browser_label: str) -> tuple[QrLogin, str]:
    """Create a request for this browser; return it and the token to put in the QR code."""
    bucket = f"events:qrlogin:{ip_address}:{int(timezone.now().timestamp() // 60)}"
    cache.add(bucket, 0, 70)
    if cache.incr(bucket) > MAX_STARTS_PER_MINUTE:
        raise QrLoginRateLimited()
    token, browser_key = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    request = QrLogin.objects.create(
        token_hash=_digest(token),
        browser_key_hash=_digest(browser_key),
        browser_label=browser_label[:300],
        ip_address=ip_address,
        expires_at=timezone.now() + LIFETIME,
    )
    session[SESSION_KEY] = {"id": request.pk, "key": browser_key}
    return request, token


def pending_request(token: str) -> QrLogin:
    request = QrLogin.objects.filter(token_hash=_digest(token)).first()
    if request is None or request.status != QrLogin.Status.PENDING or request.expires_at <= timezone.now():
        raise QrLoginInvalid()
    return request


def answer_qr_login(*, actor: Any, token: str, approve: bool) -> QrLogin:
    """The signed-in phone approves or denies."""
    with transaction.atomic():
        request = pending_request(token)
        request = QrLogin.objects.select_for_update().get(pk=request.pk)
        if request.status != QrLogin.Status.PENDING:
            raise QrLoginInvalid()
        request.status = QrLogin.Status.APPROVED if approve else QrLogin.Status.DENIED
        request.approved_by = actor
        request.save(update_fields=["status", "approved_by", "updated_at"])
        record(
            actor,
            "account.qr_login_approved" if approve else "account.qr_login_denied",
            request.approved_by,
            {"browser": request.browser_label, "ip": request.ip_address},
        )
    return request


def poll_qr_login(*, session: Any) -> tuple[str, Any]:
    """For the desktop: ("waiting"|"expired"|"denied", None) or ("approved", user). Consumes the
    request on success, so the same approval cannot sign in twice."""
    held = session.get(SESSION_KEY)
    if not held:
        return "expired", None
    with transaction.atomic():
        request = QrLogin.objects.select_for_update().filter(pk=held["id"]).first()
        if request is None or not secrets.compare_digest(request.browser_key_hash, _digest(held["key"])):
            return "expired", None
        if request.status == QrLogin.Status.DENIED:
            return "denied", None
        if request.expires_at <= timezone.now() or request.status == QrLogin.Status.USED:
            return "expired", None
        if request.status == QrLogin.Status.PENDING:
            return "waiting", None
        request.status = QrLogin.Status.USED
        request.save(update_fields=["status", "updated_at"])
        record(
            request.approved_by,
            "account.qr_login_completed",
            request.approved_by,
            {"browser": request.browser_label, "ip": request.ip_address},
        )
    session.pop(SESSION_KEY, None)
    return "approved", request.approved_by
