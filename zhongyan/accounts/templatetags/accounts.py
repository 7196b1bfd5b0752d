"""Template helpers of the accounts module: avatar links and Bootstrap rendering of form fields."""

from typing import Any

from django import forms, template
from django.urls import reverse

from zhongyan.accounts.models import User

register = template.Library()


@register.filter
def avatar_url(person: User, size: str = "large") -> str:
    """The avatar view's URL with a version, so a new upload is not hidden by the browser cache."""
    image = person.avatar_thumbnail if size == "thumbnail" else person.avatar
    if not image:
        return ""
    name = "accounts:avatar_thumbnail" if size == "thumbnail" else "accounts:avatar"
    version = image.name.rsplit("/", 1)[-1].split(".", 1)[0][-8:]
    return f"{reverse(name, args=[person.public_id])}?v={version}"


@register.filter
def initials(person: User) -> str:
    return (person.name or "?")[:1].upper()


_CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def is_check(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_multi_check(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def bootstrap(bound_field: forms.BoundField) -> Any:
    """Render a field's widget with Bootstrap's class, marked invalid when it has errors."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return bound_field.as_widget()
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    elif isinstance(widget, _CHECKS):
        return bound_field.as_widget()
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    css = f"{existing} {css}".strip() if css not in existing.split() else existing
    if bound_field.errors:
        css += " is-invalid"
    attrs: dict[str, Any] = {"class": css}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_help"
    return bound_field.as_widget(attrs=attrs)
