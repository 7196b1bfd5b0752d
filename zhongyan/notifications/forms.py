from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhongyan.notifications.kinds import SECTIONS, SPECS
from zhongyan.notifications.models import EmailFrequency, Kind
from zhongyan.notifications.services import Choice


class PreferencesForm(forms.Form):
    """One row per kind (inbox, e-mail, how often, urgent: at once despite the digest) and the e-mail language."""

    language = forms.ChoiceField(
        label=_("Language of e-mails"), choices=settings.LANGUAGES, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, choices: dict[str, Choice], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language
        labels = dict(Kind.choices)
        for kind in SPECS:
            choice = choices[kind]
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=_("In the inbox"),
                required=False,
                initial=choice.in_app,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{kind}__email"] = forms.BooleanField(
                label=_("By e-mail"),
                required=False,
                initial=choice.email,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{kind}__urgent"] = forms.BooleanField(
                label=_("E-mail me at once"),
                required=False,
                initial=choice.urgent,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{kind}__email_frequency"] = forms.ChoiceField(
                label=_("How often"),
                choices=EmailFrequency.choices,
                initial=choice.email_frequency,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        self.kind_labels = labels

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "label": self.kind_labels[kind],
                "in_app": self[f"{kind}__in_app"],
                "email": self[f"{kind}__email"],
                "email_frequency": self[f"{kind}__email_frequency"],
                "urgent": self[f"{kind}__urgent"],
                "section": SECTIONS[SPECS[kind].section],
            }
            for kind in SPECS
        ]

    def cleaned_choices(self) -> dict[str, Choice]:
        data = self.cleaned_data
        return {
            kind: Choice(
                in_app=data[f"{kind}__in_app"],
                email=data[f"{kind}__email"],
                email_frequency=data[f"{kind}__email_frequency"],
                urgent=data[f"{kind}__urgent"],
            )
            for kind in SPECS
        }
