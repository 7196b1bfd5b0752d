"""Who may do what with events. Hosts run an event; moderators may hide faces."""

from typing import Any

from zhongyan.events.models import Event, EventRole


def _role(user: Any, event: Event) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_staff or event.created_by_id == user.pk:
        return EventRole.Role.HOST
    role = next((r.role for r in event.roles.all() if r.user_id == user.pk), None)
    return role


def can_view_event(user: Any, event: Event) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_create_event(user: Any) -> bool:
    """Operators and administrators of verified organisations organise events."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return user.memberships.filter(role__in=("owner", "admin"), organisation__verification="verified").exists()


def can_manage_event(user: Any, event: Event) -> bool:
    return _role(user, event) == EventRole.Role.HOST


def can_moderate_event(user: Any, event: Event) -> bool:
    return _role(user, event) in (EventRole.Role.HOST, EventRole.Role.MODERATOR)


def can_view_statistics(user: Any, event: Event) -> bool:
    return can_moderate_event(user, event)
