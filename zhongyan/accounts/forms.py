from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts.avatars import AvatarRejected, ProcessedAvatar, process_avatar
from zhongyan.accounts.models import Field, Publication, User
from zhongyan.accounts.services import WORKING_LANGUAGES
from zhongyan.core.content import BilingualFormField

LANGUAGE_NAMES = {
    "zh": _("Chinese"),
    "en": _("English"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
    "de": _("German"),
    "fr": _("French"),
    "ru": _("Russian"),
    "es": _("Spanish"),
    "pt": _("Portuguese"),
    "it": _("Italian"),
}


class FieldChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Field) -> str:  # type: ignore[override]
        return str(obj)


class ProfileForm(forms.Form):
    display_name = BilingualFormField(
        label=_("Display name"), max_length=100, required=False, help_text=_("Shown to other members.")
    )
    headline = BilingualFormField(
        label=_("Title or position"),
        max_length=200,
        required=False,
        help_text=_("For example: Senior engineer, cold rolling mill"),
    )
    bio = BilingualFormField(label=_("Biography"), max_length=4000, multiline=True, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in WORKING_LANGUAGES],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    expertise = FieldChoice(
        label=_("Fields of expertise"),
        queryset=Field.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=500,
        required=False,
        help_text=_("Separate keywords with commas, e.g. hydrogen reduction, 氢冶金, strip flatness."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    publications = forms.CharField(
        label=_("Publications and patents"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("One per line."),
    )
    availability = forms.ChoiceField(
        label=_("Availability"), choices=User.Availability.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        widget=forms.FileInput(attrs={"class": "form-control", "accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP. It is cropped to a square; location and camera data are removed."),
    )
    remove_avatar = forms.BooleanField(
        label=_("Remove my avatar"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "display_name": user.display_name,
            "headline": user.headline,
            "bio": user.bio,
            "languages": user.languages,
            "expertise": [field.code for field in user.fields.all()],
            "keywords": user.keywords,
            "publications": user.publications,
            "availability": user.availability,
        }

    def clean_avatar(self) -> ProcessedAvatar | None:
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        try:
            return process_avatar(upload)
        except AvatarRejected as rejected:
            raise forms.ValidationError(str(rejected.message), code="avatar") from rejected

    def profile_changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("display_name", "headline", "bio", "languages", "keywords", "publications", "availability")
        }


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, e.g. “ERP integration”."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class PublicationForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = Publication
        fields = ["kind", "title", "authors", "year", "venue", "patent_number", "doi", "url", "abstract"]
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select"}),
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "authors": forms.TextInput(attrs={"class": "form-control"}),
            "year": forms.NumberInput(attrs={"class": "form-control", "min": 1800, "max": 2100}),
            "venue": forms.TextInput(attrs={"class": "form-control"}),
            "patent_number": forms.TextInput(attrs={"class": "form-control"}),
            "doi": forms.TextInput(attrs={"class": "form-control", "placeholder": "10.1000/xyz123"}),
            "abstract": forms.Textarea(attrs={"class": "form-control", "rows": 5}),
        }

    def publication_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PublicationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Publication file"),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".bib,.ris,.csv,.txt,text/csv"}),
        help_text=_(
            "BibTeX (.bib), RIS (.ris) or CSV with a title column, in UTF-8 or GBK, up to 10 MB. "
            "Publications you already list are skipped."
        ),
    )
