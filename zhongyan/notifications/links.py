"""Links in notifications are stored without a language prefix and shown in the reader's language."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation


def neutral_reverse(viewname: str, **kwargs: str) -> str:
    """The path in the default language (no prefix); "" while the target view does not exist yet."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return reverse(viewname, kwargs=kwargs)
        except NoReverseMatch:
            return ""


def path_in_language(path: str, language: str) -> str:
    if not path:
        return path
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def absolute_url(path: str, language: str) -> str:
    return settings.SITE_URL + path_in_language(path, language)
