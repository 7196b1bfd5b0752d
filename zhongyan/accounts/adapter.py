from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext


class AccountAdapter(DefaultAccountAdapter):
    """Hook for allauth; sign-up stays open (organisations are verified by operators instead)."""

    def format_email_subject(self, subject: str) -> str:
        # The request's host name makes a poor prefix on an intranet; the product's name reads better.
        product = gettext("Zhongyan")
        return f"[{product}] {subject}"
