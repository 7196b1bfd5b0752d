"""E-mails for notifications, rendered in the recipient's chosen language.

One template triple (subject, text, html) for every kind; the wording per kind lives in kinds.py,
so an e-mail says exactly what the inbox says and nothing more.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from zhongyan.notifications.kinds import render_body, render_title
from zhongyan.notifications.links import absolute_url, neutral_reverse
from zhongyan.notifications.models import Notification

TEMPLATE = "notifications/email/notification"


def build_email(notification: Notification, language: str) -> EmailMultiAlternatives:
    recipient = notification.recipient
    with translation.override(language):
        context: dict[str, Any] = {
            "recipient_name": recipient.name,
            "title": render_title(notification.kind, notification.context, language),
            "body": render_body(notification.kind, notification.context, language),
            "link": absolute_url(notification.url, language) if notification.url else "",
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
