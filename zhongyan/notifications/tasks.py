"""Background work: sending notification e-mails after the write that caused them commits."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from zhongyan.notifications.digests import send_due_digests
from zhongyan.notifications.mail import build_email
from zhongyan.notifications.models import Notification, NotificationSettings

logger = logging.getLogger(__name__)


@task()
def send_notification_email(public_id: str) -> str:
    """Send one pending e-mail. Claiming the row first means a retried task never sends twice."""
    with transaction.atomic():
        claimed = Notification.objects.filter(public_id=public_id, email_state=Notification.EmailState.PENDING).update(
            email_state=Notification.EmailState.SENT, emailed_at=timezone.now()
        )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(public_id=public_id)
    language = (
        NotificationSettings.objects.filter(user=notification.recipient).values_list("language", flat=True).first()
    )
    try:
        build_email(notification, language or settings.LANGUAGE_CODE).send()
    except Exception:
        logger.exception("Notification e-mail %s could not be sent", public_id)
        Notification.objects.filter(pk=notification.pk).update(email_state=Notification.EmailState.FAILED)
        return "failed"
    return "sent"


@task()
def send_due_notification_digests() -> dict[str, int]:
    """For schedulers that enqueue tasks instead of running the command of the same purpose."""
    return send_due_digests()
