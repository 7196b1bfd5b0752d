"""Daily and weekly digests (issue 7, point 7): one e-mail collecting a person's waiting notices.

Rows wait with email_state "digest" when the person's frequency for that kind (their choice, else
the kind's default: idea-campaign news defaults to daily) is daily or weekly. The scheduler runs
`manage.py send_notification_digests` once a day (cron or a systemd timer, see README): it sends
the daily digests every day and the weekly ones on WEEKLY_DIGEST_DAY. Each row is claimed before
sending, so overlapping runs never send a notice twice. The digest files notices under the idea
campaign they belong to (`group_url`), with a link to each campaign and each notice.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from zhongyan.core.content import localized
from zhongyan.notifications.kinds import SPECS, render_title
from zhongyan.notifications.links import absolute_url, neutral_reverse
from zhongyan.notifications.models import EmailFrequency, Notification, NotificationSettings, Preference

TEMPLATE = "notifications/email/digest"
WEEKLY_DIGEST_DAY = 0  # Monday (date.weekday())


def due_frequencies(day: datetime.date) -> list[str]:
    """What a daily run on `day` sends."""
    if day.weekday() == WEEKLY_DIGEST_DAY:
        return [EmailFrequency.DAILY, EmailFrequency.WEEKLY]
    return [EmailFrequency.DAILY]


def _frequency(chosen: dict[tuple[int, str], str], row: Notification) -> str:
    """Weekly rows wait for the weekly run; everything else (daily, or a kind switched to "at once"
    while its rows were waiting) goes out with the next daily run."""
    default = SPECS[row.kind].email_frequency if row.kind in SPECS else EmailFrequency.DAILY
    frequency = chosen.get((row.recipient_id, row.kind), default)
    return EmailFrequency.WEEKLY if frequency == EmailFrequency.WEEKLY else EmailFrequency.DAILY


def _waiting_for(frequency: str) -> dict[int, list[Notification]]:
    rows = list(
        Notification.objects.filter(email_state=Notification.EmailState.DIGEST)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    preferences = Preference.objects.filter(user_id__in={row.recipient_id for row in rows})
    chosen = {
        (user_id, kind): value for user_id, kind, value in preferences.values_list("user_id", "kind", "email_frequency")
    }
    muted = set(preferences.filter(email=False).values_list("user_id", "kind"))
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for row in rows:
        if (row.recipient_id, row.kind) not in muted and _frequency(chosen, row) == frequency:
            by_user[row.recipient_id].append(row)
    return by_user


def _sections(rows: list[Notification], language: str) -> list[dict[str, Any]]:
    """Notices without a group first, then one section per campaign in order of first notice."""
    sections: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row.group_url
        if key not in sections:
            sections[key] = {
                "title": localized(row.context.get("campaign"), language) if key else "",
                "link": absolute_url(key, language) if key else "",
                "items": [],
            }
        sections[key]["items"].append(
            {
                "title": render_title(row.kind, row.context, language),
                "link": absolute_url(row.url, language) if row.url else "",
            }
        )
    ungrouped = [sections.pop("")] if "" in sections else []
    return ungrouped + list(sections.values())


def build_digest(recipient: Any, rows: list[Notification], language: str) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {
            "recipient_name": recipient.name,
            "sections": _sections(rows, language),
            "count": len(rows),
            "inbox_link": absolute_url(neutral_reverse("notifications:inbox"), language),
            "settings_link": absolute_url(neutral_reverse("notifications:preferences"), language),
            "language": language,
        }
        subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
        text = render_to_string(f"{TEMPLATE}_body.txt", context)
        html = render_to_string(f"{TEMPLATE}_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def send_digests(*, frequency: str) -> int:
    """Send one digest per person with waiting notices of this frequency; returns how many."""
    if frequency not in (EmailFrequency.DAILY, EmailFrequency.WEEKLY):
        raise ValueError(f"Digests are daily or weekly, not {frequency!r}.")
    languages = dict(NotificationSettings.objects.values_list("user_id", "language"))
    sent = 0
    for user_id, rows in _waiting_for(frequency).items():
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk__in=[row.pk for row in rows], email_state=Notification.EmailState.DIGEST
            ).update(email_state=Notification.EmailState.SENT, emailed_at=timezone.now())
        if claimed != len(rows):
            continue  # another run took some of them; it sends those
        build_digest(rows[0].recipient, rows, languages.get(user_id, settings.LANGUAGE_CODE)).send()
        sent += 1
    return sent


def send_due_digests(day: datetime.date | None = None) -> dict[str, int]:
    """The scheduled run: the daily digests, plus the weekly ones on WEEKLY_DIGEST_DAY."""
    day = day or timezone.localdate()
    return {frequency: send_digests(frequency=frequency) for frequency in due_frequencies(day)}
