"""Forms of the catalogue pages: they validate and keep what was typed; services write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts.models import Field
from zhongyan.catalog.models import Offering


class OfferingForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Offered by"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"),
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 10)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("1 (basic principles) to 9 (proven in operation). Leave empty for laboratories and equipment."),
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"), queryset=Field.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Offering
        fields = [
            "organisation",
            "kind",
            "title",
            "description",
            "trl",
            "ip_status",
            "licensing",
            "fields",
            "keywords",
            "status",
        ]
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select"}),
            "ip_status": forms.Select(attrs={"class": "form-select"}),
            "licensing": forms.Select(attrs={"class": "form-select"}),
            "status": forms.Select(attrs={"class": "form-select"}),
            "keywords": forms.TextInput(attrs={"class": "form-control"}),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") in (Offering.Kind.LAB, Offering.Kind.EQUIPMENT) and data.get("trl"):
            self.add_error("trl", _("Laboratories and equipment have no technology readiness level."))
        return data


class OfferingFilter(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Offering.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    field = forms.ModelChoiceField(
        label=_("Field"),
        required=False,
        queryset=Field.objects.all(),
        to_field_name="code",
        empty_label=_("All fields"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    trl_min = forms.TypedChoiceField(
        label=_("TRL at least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any TRL"))] + [(n, str(n)) for n in range(1, 10)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
