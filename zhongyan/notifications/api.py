"""Notifications in the REST API: the signed-in person's own inbox and preferences only."""

from dataclasses import asdict
from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zhongyan.notifications import services
from zhongyan.notifications.kinds import render_body, render_title
from zhongyan.notifications.links import absolute_url
from zhongyan.notifications.models import EmailFrequency, Kind, Notification

router = Router(tags=["notifications"])


def _speak(request: HttpRequest) -> None:
    """/api/v1/ has no language prefix, so the words follow the Accept-Language header (or the
    language cookie), falling back to Chinese. LocaleMiddleware activates afresh on every request."""
    translation.activate(translation.get_language_from_request(request))


class NotificationOut(Schema):
    """Words in the request's language (Accept-Language or the /en/ interface)."""

    id: str
    kind: str
    title: str
    body: str
    url: str
    read: bool
    created_at: datetime

    @staticmethod
    def resolve_id(obj: Notification) -> str:
        return obj.public_id

    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return render_title(obj.kind, obj.context)

    @staticmethod
    def resolve_body(obj: Notification) -> str:
        return render_body(obj.kind, obj.context)

    @staticmethod
    def resolve_url(obj: Notification) -> str:
        return absolute_url(obj.url, translation.get_language() or "") if obj.url else ""

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.is_read


class UnreadCountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class PreferenceIn(Schema):
    kind: Kind
    in_app: bool
    email: bool
    email_frequency: EmailFrequency = EmailFrequency.IMMEDIATE
    # E-mail at once even with a digest frequency; left out, the current choice stays.
    urgent: bool | None = None


class PreferenceOut(PreferenceIn):
    label: str
    urgent: bool


class PreferencesIn(Schema):
    language: str | None = None
    preferences: list[PreferenceIn] = []


class PreferencesOut(Schema):
    language: str
    preferences: list[PreferenceOut]


def _preferences(user: object) -> PreferencesOut:
    labels = dict(Kind.choices)
    return PreferencesOut(
        language=services.language_of(user),
        preferences=[
            PreferenceOut(kind=kind, label=str(labels[kind]), **asdict(choice))
            for kind, choice in services.preferences_of(user).items()
        ],
    )


@router.get("/", response=list[NotificationOut], summary="My notifications, unread first")
@paginate(LimitOffsetPagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    _speak(request)
    notifications = Notification.objects.inbox_of(request.auth).unread_first()  # type: ignore[attr-defined]
    return notifications.unread() if unread else notifications


@router.get("/unread-count", response=UnreadCountOut, summary="How many notifications are unread")
def unread_count(request: HttpRequest) -> UnreadCountOut:
    return UnreadCountOut(unread=Notification.objects.inbox_of(request.auth).unread().count())  # type: ignore[attr-defined]


@router.post("/{public_id}/read", response=NotificationOut, summary="Mark one notification as read")
def mark_read(request: HttpRequest, public_id: str) -> Notification:
    _speak(request)
    scope = Notification.objects.inbox_of(request.auth)  # type: ignore[attr-defined]
    notification = get_object_or_404(scope, public_id=public_id)
    return services.mark_read(actor=request.auth, notification=notification)  # type: ignore[attr-defined]


@router.post("/read-all", response=MarkedOut, summary="Mark all my notifications as read")
def mark_all_read(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=services.mark_all_read(actor=request.auth))  # type: ignore[attr-defined]


@router.get("/preferences", response=PreferencesOut, summary="My notification preferences")
def get_preferences(request: HttpRequest) -> PreferencesOut:
    _speak(request)
    return _preferences(request.auth)  # type: ignore[attr-defined]


@router.put("/preferences", response=PreferencesOut, summary="Change my notification preferences")
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> PreferencesOut:
    _speak(request)
    user = request.auth  # type: ignore[attr-defined]
    current = services.preferences_of(user)
    choices = {
        str(item.kind): services.Choice(
            item.in_app,
            item.email,
            str(item.email_frequency),
            current[str(item.kind)].urgent if item.urgent is None else item.urgent,
        )
        for item in payload.preferences
    }
    services.update_preferences(actor=user, user=user, choices=choices, language=payload.language)
    return _preferences(user)
