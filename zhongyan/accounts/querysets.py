"""Who may see whom, and the expert directory's search."""

from django.db.models import Q, QuerySet

from zhongyan.accounts.models import User
from zhongyan.core.content import content_languages


def visible_users(viewer: User | object) -> QuerySet[User]:
    """People whose profile `viewer` may open.

    Signed-in members see active people with a verified e-mail address (a sign-up that never
    confirmed its address is not an expert yet); everyone sees themselves; operators see all.
    Anonymous visitors see nobody: profiles hold personal data and the platform runs on an intranet.
    """
    if not getattr(viewer, "is_authenticated", False):
        return User.objects.none()
    assert isinstance(viewer, User)
    if viewer.is_operator:
        return User.objects.all()
    listed = Q(is_active=True, emailaddress__verified=True)
    return User.objects.filter(listed | Q(pk=viewer.pk)).distinct()


def _bilingual_contains(field: str, term: str) -> Q:
    # Each language's text through a key lookup: the raw JSON may store Chinese as \\u escapes,
    # so a plain icontains on the whole column would not find "炼铁".
    query = Q()
    for code in content_languages():
        query |= Q(**{f"{field}__{code}__icontains": term})
    return query


def search_experts(users: QuerySet[User], text: str) -> QuerySet[User]:
    """Every word must appear in a name, headline, keywords, bio or publications (any language).

    A substring scan, not an index: the directory holds thousands of people, not millions; the
    matching module owns ranked full-text search.
    """
    for term in text.split()[:8]:
        users = users.filter(
            _bilingual_contains("display_name", term)
            | _bilingual_contains("headline", term)
            | _bilingual_contains("bio", term)
            | Q(keywords__icontains=term)
            | Q(publications__icontains=term)
        )
    return users


def expert_directory(viewer: User | object, *, text: str = "", field_code: str = "") -> QuerySet[User]:
    # Listed people only, for operators too: the directory is where demand owners look for help.
    users = visible_users(viewer).filter(is_active=True, emailaddress__verified=True)
    if text.strip():
        users = search_experts(users, text.strip())
    if field_code:
        users = users.filter(fields__code=field_code)
    return users.distinct().prefetch_related("fields").order_by("-date_joined", "-pk")
