"""E-mails of the organisations module. Each is a subject/text/html template triple under
`orgs/email/`, rendered in the language active when the action happened, and sent only after
the transaction that caused it has committed."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from zhongyan.accounts.models import User
from zhongyan.orgs.models import Membership, Organisation


def absolute_url(view_name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(view_name, args=args)


def _send_now(name: str, recipients: list[str], context: dict[str, Any], language: str) -> None:
    with translation.override(language):
        subject = " ".join(render_to_string(f"orgs/email/{name}_subject.txt", context).split())
        text = render_to_string(f"orgs/email/{name}.txt", context)
        html = render_to_string(f"orgs/email/{name}.html", context)
    for address in recipients:
        message = EmailMultiAlternatives(subject, text, to=[address])
        message.attach_alternative(html, "text/html")
        message.send()


def send_after_commit(name: str, recipients: Iterable[str], context: dict[str, Any]) -> None:
    """Queue one e-mail per recipient (nobody sees the others' addresses) for after commit."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: _send_now(name, addresses, context, language))


def operator_addresses() -> list[str]:
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))


def manager_addresses(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(
            role__in=(Membership.Role.OWNER, Membership.Role.ADMIN), user__is_active=True
        ).values_list("user__email", flat=True)
    )


def owner_addresses(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role=Membership.Role.OWNER, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
