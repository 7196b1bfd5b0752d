"""May this user do that to this person's account? Answers used by services, views and the API."""

from zhongyan.accounts.models import ApiToken, PublicationImport, User


def _signed_in(user: User | object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_view_profile(user: User | object, person: User) -> bool:
    if not _signed_in(user):
        return False
    assert isinstance(user, User)
    if user.pk == person.pk or user.is_operator:
        return True
    return person.is_active and person.emailaddress_set.filter(verified=True).exists()


def can_edit_profile(user: User | object, person: User) -> bool:
    """People edit their own profile; operators may edit anyone's (moderation)."""
    if not _signed_in(user):
        return False
    assert isinstance(user, User)
    return user.pk == person.pk or user.is_operator


def can_create_token(user: User | object, person: User) -> bool:
    """Only for oneself: a token acts as its owner, so an operator minting one would impersonate."""
    return _signed_in(user) and getattr(user, "pk", None) == person.pk


def can_revoke_token(user: User | object, token: ApiToken) -> bool:
    if not _signed_in(user):
        return False
    assert isinstance(user, User)
    return token.user_id == user.pk or user.is_operator


def can_view_publication_import(user: User | object, job: PublicationImport) -> bool:
    """Whoever may edit the profile it fills, and whoever uploaded it."""
    if not _signed_in(user):
        return False
    return can_edit_profile(user, job.owner) or getattr(user, "pk", None) == job.created_by_id
