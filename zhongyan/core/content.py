"""Bilingual user content, stored as {language: text} (decidim's way).

A value is read in the visitor's language, falling back through CONTENT_LANGUAGES, so a demand
written only in Chinese still shows its Chinese title on the English interface.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

Bilingual = dict[str, str]


def content_languages() -> list[str]:
    return list(settings.CONTENT_LANGUAGES)


def localized(value: Bilingual | None, language: str | None = None) -> str:
    """The text in `language` (default: the active one), else the first language that has text."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    order = [language, *content_languages(), *value.keys()]
    for code in order:
        text = value.get(code)
        if text:
            return text
    return ""


def bilingual(zh: str = "", en: str = "") -> Bilingual:
    return {code: text for code, text in (("zh-hans", zh), ("en", en)) if text}


def all_text(value: Bilingual | None) -> str:
    """Every language's text together, for search indexing."""
    if not value:
        return ""
    return "\n".join(text for text in value.values() if text)


class BilingualField(models.JSONField):
    """A model field holding {language: text}; blank means no language has text."""

    def __init__(self, *args: Any, max_length: int | None = None, multiline: bool = False, **kwargs: Any) -> None:
        self.text_max_length = max_length
        self.multiline = multiline
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, Any, Any, Any]:
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        if self.multiline:
            kwargs["multiline"] = True
        if kwargs.get("default") is dict:
            del kwargs["default"]
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        if not self.blank and not any((value or {}).values()):
            raise ValidationError(self.error_messages["blank"], code="blank")
        super().validate(value, model_instance)

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        defaults: dict[str, Any] = {
            "form_class": BilingualFormField,
            "required": not self.blank,
            "max_length": self.text_max_length,
            "multiline": self.multiline,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        defaults.pop("encoder", None)
        defaults.pop("decoder", None)
        return form_class(**defaults)


class BilingualWidget(forms.MultiWidget):
    template_name = "core/widgets/bilingual.html"

    def __init__(self, multiline: bool = False, attrs: dict[str, Any] | None = None) -> None:
        base = (
            forms.Textarea(attrs={"rows": 4, "class": "form-control"})
            if multiline
            else forms.TextInput(attrs={"class": "form-control"})
        )
        widgets = {code.replace("-", "_"): base.__class__(attrs=dict(base.attrs)) for code in content_languages()}
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        value = value or {}
        return [value.get(code, "") for code in content_languages()]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        labels = {"zh-hans": _("Chinese"), "en": _("English")}
        for code, widget in zip(content_languages(), context["widget"]["subwidgets"], strict=True):
            widget["language_label"] = labels.get(code, code)
            widget["language_code"] = code
        return context


class BilingualFormField(forms.MultiValueField):
    """Two inputs, zh-hans and en; required means at least one language is filled in."""

    default_error_messages = {
        "required": _("Enter this in Chinese or English (or both)."),
        "max_length": _("Keep each language under %(limit)d characters."),
    }

    def __init__(
        self, *, max_length: int | None = None, multiline: bool = False, required: bool = True, **kwargs: Any
    ) -> None:
        self.text_max_length = max_length
        fields = tuple(forms.CharField(required=False, strip=True) for _code in content_languages())
        kwargs.setdefault("widget", BilingualWidget(multiline=multiline))
        super().__init__(fields=fields, require_all_fields=False, required=required, **kwargs)

    def compress(self, data_list: list[str]) -> Bilingual:
        data_list = data_list or []
        return {code: text for code, text in zip(content_languages(), data_list, strict=False) if text}

    def clean(self, value: Any) -> Bilingual:
        result = super().clean(value)
        if self.required and not any(result.values()):
            raise ValidationError(self.error_messages["required"], code="required")
        if self.text_max_length and any(len(text) > self.text_max_length for text in result.values()):
            raise ValidationError(
                self.error_messages["max_length"], code="max_length", params={"limit": self.text_max_length}
            )
        return result
