"""Daily and weekly digests (issue 7, point 7): one e-mail collecting a person's waiting notices.

Rows wait with email_state "digest" when the person chose a daily or weekly frequency for that
kind. Run `manage.py send_notification_digests daily` from cron once a day (and `weekly` once a
week); each row is claimed before sending, so overlapping runs never send a notice twice.
"""

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from zhongyan.notifications.kinds import render_title
from zhongyan.notifications.links import absolute_url, neutral_reverse
from zhongyan.notifications.models import EmailFrequency, Notification, NotificationSettings, Preference

TEMPLATE = "notifications/email/digest"


def _waiting_for(frequency: str) -> dict[int, list[Notification]]:
    rows = Notification.objects.filter(email_state=Notification.EmailState.DIGEST).select_related("recipient")
    chosen = set(Preference.objects.filter(email=True, email_frequency=frequency).values_list("user_id", "kind"))
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for row in rows.order_by("recipient_id", "created_at"):
        if (row.recipient_id, row.kind) in chosen:
            by_user[row.recipient_id].append(row)
    return by_user


def build_digest(recipient: Any, rows: list[Notification], language: str) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {
            "recipient_name": recipient.name,
            "items": [
                {"title": render_title(row.kind, row.context, language), "link": absolute_url(row.url, language)}
                for row in rows
            ],
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
