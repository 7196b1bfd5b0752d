from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongyan.core.content import BilingualFormField
from zhongyan.events.models import Event


class EventForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Event
        fields = ["title", "description", "schedule", "starts_at", "ends_at", "join_token_seconds"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}),
            "join_token_seconds": forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 3600}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        seconds = data.get("join_token_seconds")
        if seconds is not None and 0 < seconds < 15:
            self.add_error(
                "join_token_seconds",
                _("Give guests at least 15 seconds to scan a code, or 0 for a code that never changes."),
            )
        return data


class VenueNamesForm(forms.Form):
    main = BilingualFormField(label=_("Main venue"), max_length=200)
    sub = BilingualFormField(label=_("Sub-venue"), max_length=200, required=False)
    sub2 = BilingualFormField(label=_("Another sub-venue"), max_length=200, required=False)

    def venue_names(self) -> list[dict[str, str]]:
        return [self.cleaned_data[name] for name in ("main", "sub", "sub2") if self.cleaned_data.get(name)]


class JoinForm(forms.Form):
    """For guests who are not signed in. Signed-in users see only the photo field."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=pgettext_lazy("guest", "Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "organization"}),
    )
    contact = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "email"}),
    )
    photo = forms.FileField(
        label=_("Your photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": "image/jpeg,image/png,image/webp",
                "capture": "user",
                "class": "visually-hidden-focusable selfie-input",
            }
        ),
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            for name in ("name", "organisation", "contact"):
                del self.fields[name]

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > settings.EVENT_PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is too large. Take a new one or pick a smaller picture."))
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.signed_in:
            if not data.get("name", "").strip():
                self.add_error("name", _("Tell us your name, so the others know who joined."))
            if not data.get("contact", "").strip():
                self.add_error(
                    "contact", _("Enter your e-mail address or mobile number, so a second tap finds you again.")
                )
        return data
