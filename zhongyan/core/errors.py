"""Named domain errors. Services raise them; views, the API and commands turn them into
translated messages. The message is always a lazily translated, user-facing sentence."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    default_message = _("This action is not possible.")

    def __init__(self, message: object = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class NotPermitted(DomainError):
    default_message = _("You do not have permission to do this.")


class IllegalTransition(DomainError):
    default_message = _("This change of status is not allowed.")


class Conflict(DomainError):
    default_message = _("Someone else changed this at the same time. Please try again.")
