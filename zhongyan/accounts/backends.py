"""Authentication backends that read the signed-in user from the cache.

Every signed-in request loads its user (AuthenticationMiddleware → backend.get_user); with
Django's backends that is a query of the forty-column user row on every page. These backends
keep the row in the shared cache (Redis in production) for `TTL` seconds and drop it whenever
the row is saved or deleted (receivers below), so a deactivation, a password change (the session
hash) or a rename is seen on the next request, and no page stored for them (core/pagecache.py)
is served again. The receivers are the one exception to "no
post_save receivers on your own models": they keep a cache coherent and have no other effect,
and the user row is written by allauth, the admin and the services alike. A `QuerySet.update()`
on users (nothing in Zhongyan does one) would be seen after `TTL` at the latest.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from zhongyan.accounts.models import User
from zhongyan.core import pagecache

TTL = 300


def _key(user_id: Any) -> str:
    return f"accounts:user:{user_id}"


class CachedUserMixin:
    def get_user(self, user_id: Any) -> Any:
        key = _key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)  # type: ignore[misc]
            if user is not None:
                cache.set(key, user, TTL)
            return user
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    pass


@receiver(post_save, sender=User, dispatch_uid="accounts.forget_cached_user_saved")
@receiver(post_delete, sender=User, dispatch_uid="accounts.forget_cached_user_deleted")
def forget_cached_user(sender: Any, instance: User, **kwargs: Any) -> None:
    key = _key(instance.pk)
    cache.delete(key)
    # Again after commit: a concurrent request may have cached the old row in between.
    transaction.on_commit(lambda: cache.delete(key))
    pagecache.forget_user(instance.pk)
