"""The write path of notifications: sending, reading, and each person's preferences."""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core import audit
from zhongyan.core.content import Bilingual
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands.models import Demand
from zhongyan.notifications.kinds import SPECS, spec_for
from zhongyan.notifications.models import EmailFrequency, Notification, NotificationSettings, Preference
from zhongyan.notifications.tasks import send_notification_email
from zhongyan.notifications.visibility import may_see_demand

# The only context a notification may carry: bilingual titles and names, never free text.
CONTEXT_KEYS = frozenset({"demand", "actor", "idea", "campaign", "stage"})


class UnknownKind(DomainError):
    default_message = _("This kind of notification does not exist.")


@dataclass(frozen=True)
class Choice:
    in_app: bool
    email: bool
    email_frequency: str = EmailFrequency.IMMEDIATE
    # E-mail at once even when this kind otherwise waits for the digest.
    urgent: bool = False


def default_choice(kind: str, *, urgent: bool = False) -> Choice:
    """The kind's defaults; `urgent` news (a mention) is e-mailed at once unless the person said otherwise."""
    spec = spec_for(kind)
    return Choice(
        in_app=spec.in_app, email=spec.email, email_frequency=spec.email_frequency, urgent=spec.urgent or urgent
    )


def _choice(row: Preference) -> Choice:
    return Choice(row.in_app, row.email, row.email_frequency, row.urgent)


def preferences_of(user: Any) -> dict[str, Choice]:
    """Every kind, with the person's choice or the kind's default."""
    choices = {kind: default_choice(kind) for kind in SPECS}
    for row in Preference.objects.filter(user=user):
        if row.kind in choices:
            choices[row.kind] = _choice(row)
    return choices


def language_of(user: Any) -> str:
    row = NotificationSettings.objects.filter(user=user).first()
    return row.language if row else settings.LANGUAGE_CODE


def _choices_for(users: list[Any], kind: str, urgent: bool) -> dict[int, Choice]:
    choices = {user.pk: default_choice(kind, urgent=urgent) for user in users}
    for row in Preference.objects.filter(user__in=users, kind=kind):
        choices[row.user_id] = _choice(row)
    return choices


def _email_state(choice: Choice) -> str:
    """One e-mail at once only for what is urgent to the person (or chosen "at once"); the rest
    waits for their daily or weekly digest."""
    if not choice.email:
        return Notification.EmailState.NONE
    if choice.urgent or choice.email_frequency == EmailFrequency.IMMEDIATE:
        return Notification.EmailState.PENDING
    return Notification.EmailState.DIGEST


def bilingual_name(user: Any) -> Bilingual:
    return dict(user.display_name) if user.display_name else {settings.LANGUAGE_CODE: user.name}


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    context: Mapping[str, Bilingual],
    url: str,
    actor: Any = None,
    demand: Demand | None = None,
    urgent: bool = False,
    group_url: str = "",
) -> list[Notification]:
    """Tell each recipient, in the inbox and/or by e-mail as they chose.

    `context` holds bilingual titles only (keys in CONTEXT_KEYS); `url` is a path without a language
    prefix. With `demand`, recipients who may not see that demand are skipped: nobody learns of a
    confidential demand through a notification. The actor is never told of their own action.
    `urgent` news is e-mailed at once to people who kept the default for its kind; `group_url`
    (a campaign's page) is the heading the digest files the notice under.
    """
    if kind not in SPECS:
        raise UnknownKind()
    unknown = set(context) - CONTEXT_KEYS
    if unknown:
        raise ValueError(f"Notification context may only hold {sorted(CONTEXT_KEYS)}, not {sorted(unknown)}.")
    people: dict[int, Any] = {}
    for user in recipients:
        if user is None or not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        if demand is not None and not may_see_demand(user, demand):
            continue
        people[user.pk] = user
    if not people:
        return []
    choices = _choices_for(list(people.values()), kind, urgent)
    rows = [
        Notification(
            recipient=user,
            actor=actor if getattr(actor, "pk", None) else None,
            kind=kind,
            context=dict(context),
            url=url,
            group_url=group_url,
            in_inbox=choices[user.pk].in_app,
            email_state=_email_state(choices[user.pk]),
        )
        for user in people.values()
        if choices[user.pk].in_app or choices[user.pk].email
    ]
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        pending = [row.public_id for row in created if row.email_state == Notification.EmailState.PENDING]
        if pending:
            transaction.on_commit(lambda: _enqueue_emails(pending))
    return created


def _enqueue_emails(public_ids: list[str]) -> None:
    for public_id in public_ids:
        send_notification_email.enqueue(public_id)


def mark_read(*, actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise NotPermitted()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(*, actor: Any) -> int:
    return Notification.objects.inbox_of(actor).unread().update(read_at=timezone.now())


def update_preferences(
    *, actor: Any, user: Any, choices: Mapping[str, Choice], language: str | None = None
) -> dict[str, Choice]:
    """Save a person's choices; kinds left out keep what they had."""
    if actor.pk != user.pk:
        raise NotPermitted()
    unknown = set(choices) - set(SPECS)
    if unknown:
        raise UnknownKind()
    if language is not None and language not in dict(settings.LANGUAGES):
        raise DomainError(_("This language is not available."))
    if any(choice.email_frequency not in EmailFrequency.values for choice in choices.values()):
        raise DomainError(_("Choose how often e-mails are sent."))
    with transaction.atomic():
        for kind, choice in choices.items():
            Preference.objects.update_or_create(
                user=user,
                kind=kind,
                defaults={
                    "in_app": choice.in_app,
                    "email": choice.email,
                    "email_frequency": choice.email_frequency,
                    "urgent": choice.urgent,
                },
            )
        if language is not None:
            NotificationSettings.objects.update_or_create(user=user, defaults={"language": language})
        audit.record(
            actor,
            "notifications.preferences_updated",
            user,
            {"language": language, "kinds": {kind: asdict(choice) for kind, choice in choices.items()}},
        )
    return preferences_of(user)
