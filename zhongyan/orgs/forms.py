from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts.models import User
from zhongyan.orgs.models import Membership, Organisation


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "form-control", "placeholder": "https://"}),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "description", "city", "website", "fields"]
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select"}),
            "fields": forms.CheckboxSelectMultiple(),
        }
        error_messages = {"name": {"required": _("Enter the organisation's name in Chinese or English (or both).")}}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.is_staff:
            choices = [c for c in Organisation.Kind.choices if c[0] != Organisation.Kind.OPERATOR]
            if self.instance.pk and self.instance.kind == Organisation.Kind.OPERATOR:
                choices = Organisation.Kind.choices
            self.fields["kind"].choices = [("", "---------"), *choices]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"class": "form-control", "placeholder": _("Name, description or city")}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class VerificationDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the owners"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
