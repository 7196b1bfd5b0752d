"""Template helpers available in every template (registered as builtins in settings)."""

from typing import Any

from django import template

from zhongyan.core.content import localized

register = template.Library()


@register.filter
def tr(value: Any, language: str | None = None) -> str:
    """Bilingual content in the active language, with the fallback order: {{ demand.title|tr }}."""
    return localized(value, language)


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed, for pagination and sort links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def without_language_prefix(path: str) -> str:
    """`/en/demands/` → `/demands/`: the language switch translates the unprefixed path, which
    resolves whatever language is active when the switch is posted."""
    from django.conf import settings

    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return "/" + path[len(prefix):]
    return path
