"""Password rules whose messages Django's own Chinese catalogue does not (yet) translate."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule; the message is ours because Django 5.2 changed its wording and the
    zh_Hans catalogue has no translation for the new one, so Chinese users saw English."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
