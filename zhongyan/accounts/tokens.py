"""Personal API tokens: created once, stored hashed, looked up by hash."""

import hashlib
import secrets

from django.utils import timezone

from zhongyan.accounts.models import ApiToken, User


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    key = "zy_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=key[3:11], key_hash=_digest(key))
    return token, key


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Written at most once a minute per token, so a busy integration does not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
