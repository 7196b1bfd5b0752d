from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from zhongyan.accounts.tokens import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def SessionOrToken() -> list[Any]:  # noqa: N802 - reads as a class at the call site
    """Browser sessions (with CSRF on writes) or personal bearer tokens."""
    return [BearerToken(), SessionAuth(csrf=True)]
