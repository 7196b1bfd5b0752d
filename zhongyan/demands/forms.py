"""Forms of the demands pages. They validate and keep what was typed; services do the writing."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts.models import Field, User
from zhongyan.core.content import BilingualFormField
from zhongyan.core.errors import DomainError
from zhongyan.core.widgets import QuickSelect
from zhongyan.demands.models import Demand
from zhongyan.demands.services.content import check_upload
from zhongyan.orgs.models import Organisation

DEADLINE_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class DeadlineInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(attrs={"class": "form-control"}, format="%Y-%m-%dT%H:%M")


def _deadline_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DEADLINE_FORMATS,
        widget=DeadlineInput(),
        error_messages={
            "required": _("Set a deadline for proposals."),
            "invalid": _("Enter a date and time, e.g. 2026-12-31 17:00."),
        },
    )


def _future(value: datetime) -> datetime:
    if value <= timezone.now():
        raise forms.ValidationError(_("The deadline must be in the future."), code="past")
    return value


class DemandForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Posted by"),
        queryset=Organisation.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("Choose the organisation posting this demand.")},
    )
    title = BilingualFormField(label=_("Title"), max_length=200)
    summary = BilingualFormField(
        label=_("Summary"),
        max_length=1000,
        multiline=True,
        help_text=_("Shown to everyone, including before an NDA is accepted. Keep confidential details out."),
    )
    background = BilingualFormField(label=_("Background"), max_length=10000, multiline=True, required=False)
    deliverables = BilingualFormField(label=_("Expected deliverables"), max_length=4000, multiline=True, required=False)
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Separate keywords with commas."),
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Field.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    budget_min = forms.IntegerField(
        label=_("Budget from (CNY)"),
        min_value=0,
        max_value=10**12,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    budget_max = forms.IntegerField(
        label=_("Budget up to (CNY)"),
        min_value=0,
        max_value=10**12,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    deadline = _deadline_field(_("Deadline for proposals"))
    modes = forms.MultipleChoiceField(
        label=_("Cooperation modes"),
        choices=Demand.Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one cooperation mode.")},
    )
    ip_terms = forms.ChoiceField(
        label=_("IP terms"),
        choices=[("", "---------"), *Demand.IpTerms.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("Choose the IP terms.")},
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=Demand.Confidentiality.choices,
        initial=Demand.Confidentiality.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_(
            "Public: every signed-in user sees everything. Under NDA: everyone sees the title and summary; "
            "the rest after accepting the NDA. Internal: only your organisation and people you invite."
        ),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        help_text=_("PDF, Office, image, text, CSV or ZIP, at most 20 MB. More files can be added later."),
    )

    def __init__(self, *args: Any, user: User, demand: Demand | None = None, **kwargs: Any) -> None:
        self.demand = demand
        super().__init__(*args, **kwargs)
        if demand is not None:
            del self.fields["organisation"]
            if demand.published_at is not None:
                self.fields["confidentiality"].disabled = True
                self.fields["confidentiality"].help_text = _("Fixed once the demand has been published.")
        else:
            organisations = Organisation.objects.filter(verification=Organisation.Verification.VERIFIED)
            if not user.is_staff:
                organisations = organisations.filter(memberships__user=user)
            self.fields["organisation"].queryset = organisations.order_by("created_at")
            if not self.is_bound and len(self.fields["organisation"].queryset[:2]) == 1:
                self.initial.setdefault("organisation", self.fields["organisation"].queryset.first())

    def clean_deadline(self) -> datetime:
        deadline: datetime = self.cleaned_data["deadline"]
        if self.demand is None or deadline != self.demand.deadline:
            _future(deadline)
        return deadline

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                check_upload(upload)
            except DomainError as error:
                raise forms.ValidationError(error.message) from error
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper budget must be at least the lower budget."))
        return data

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("attachment", None)
        data["fields"] = list(data["fields"])
        if self.demand is not None and self.fields["confidentiality"].disabled:
            data.pop("confidentiality", None)
        return data


class IndicatorForm(forms.Form):
    name = BilingualFormField(label=_("Indicator"), max_length=200)
    target = forms.CharField(
        label=_("Target"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. ≥ 980")}),
        error_messages={"required": _("Give the target value.")},
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. MPa")}),
    )


class BaseIndicatorFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


IndicatorFormSet = forms.formset_factory(
    IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


def indicator_values(formset: Any) -> list[dict[str, Any]]:
    return [
        {key: form.cleaned_data[key] for key in ("name", "target", "unit")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class DemandFilterForm(forms.Form):
    SORTS = [
        ("newest", _("Newest first")),
        ("deadline", _("Deadline soonest")),
        ("budget_high", _("Highest budget")),
        ("budget_low", _("Lowest budget")),
    ]
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"class": "form-control", "placeholder": _("e.g. 氢脆 or hydrogen")}),
    )
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=_("All fields"),
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("All organisations"),
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    budget_min = forms.IntegerField(
        label=_("Budget at least (CNY)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    budget_max = forms.IntegerField(
        label=_("Budget at most (CNY)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    deadline_after = forms.DateField(
        label=_("Deadline after"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    mode = forms.ChoiceField(
        label=_("Cooperation mode"),
        required=False,
        choices=[("", _("All modes")), *Demand.Mode.choices],
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("open", _("Open for proposals")),
            (Demand.Status.CLOSED, Demand.Status.CLOSED.label),
            (Demand.Status.EVALUATING, Demand.Status.EVALUATING.label),
            (Demand.Status.AWARDED, Demand.Status.AWARDED.label),
            (Demand.Status.NOT_AWARDED, Demand.Status.NOT_AWARDED.label),
        ],
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=SORTS,
        widget=QuickSelect(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"required": _("Write your question.")},
    )
    is_public = forms.TypedChoiceField(
        label=_("Who sees it"),
        choices=[
            ("1", _("Public: every solver sees the question and the answer")),
            ("0", _("Private: only the owner")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"required": _("Write an answer.")},
    )


class NdaAcceptForm(forms.Form):
    organisation = forms.ChoiceField(label=_("I accept on behalf of"), widget=forms.RadioSelect)
    agree = forms.BooleanField(
        label=_("I have read the agreement above and accept it."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Tick the box to accept the agreement.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {org.public_id: org for org in Organisation.objects.filter(memberships__user=user)}
        choices = [(public_id, str(org)) for public_id, org in self.organisations.items()]
        self.fields["organisation"].choices = [*choices, ("", _("Myself only"))]
        self.fields["organisation"].required = False
        self.fields["organisation"].initial = choices[0][0] if choices else ""

    def chosen_organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data.get("organisation") or "")


class InviteForm(forms.Form):
    invitee = forms.CharField(widget=forms.HiddenInput, error_messages={"required": _("Choose a person to invite.")})
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def clean_invitee(self) -> User:
        user = User.objects.filter(public_id=self.cleaned_data["invitee"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Choose a person from the search results."))
        return user


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find people by name or e-mail"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class ExtendDeadlineForm(forms.Form):
    deadline = _deadline_field(_("New deadline"))

    def __init__(self, *args: Any, demand: Demand, **kwargs: Any) -> None:
        self.demand = demand
        super().__init__(*args, **kwargs)

    def clean_deadline(self) -> datetime:
        deadline = _future(self.cleaned_data["deadline"])
        if deadline <= self.demand.deadline:
            raise forms.ValidationError(_("The new deadline must be later than the current one."))
        return deadline


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("reject", _("Send back to the owner"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose approve or send back.")},
    )
    reason = forms.CharField(
        label=_("Reason (shown to the owner)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Tell the owner what to change."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
