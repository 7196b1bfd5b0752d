from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhongyan.ideas.services.discussion import MENTION

register = template.Library()


@register.filter
def mentions(body: str) -> SafeString:
    """The comment, escaped, with each @mention highlighted."""
    escaped = escape(body)  # the markup below is added to escaped text only
    return mark_safe(
        MENTION.sub(lambda match: f'<span class="text-primary fw-semibold">{match.group(0)}</span>', escaped)
    )
