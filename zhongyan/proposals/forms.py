"""Forms for proposals and their review. They only parse and validate input; services write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongyan.core.content import BilingualFormField, localized
from zhongyan.demands.models import Demand
from zhongyan.orgs.models import Organisation
from zhongyan.proposals.models import Criterion, Proposal
from zhongyan.proposals.models.review import SCALE_MAX, SCALE_MIN
from zhongyan.proposals.services import CriterionInput, ProposalContent, ScoreInput

DELIVERABLE_PREFIX = "deliverable_"


class ProposalForm(forms.Form):
    """The editor. Every field is optional while drafting; submission checks completeness."""

    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    approach = BilingualFormField(label=_("Technical approach"), max_length=20000, multiline=True, required=False)
    team = BilingualFormField(label=_("Team"), max_length=4000, multiline=True, required=False)
    timeline = BilingualFormField(label=_("Timeline"), max_length=4000, multiline=True, required=False)
    budget = forms.IntegerField(
        label=_("Budget (CNY)"),
        required=False,
        min_value=0,
        max_value=10_000_000_000,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the budget as a whole number of yuan.")},
    )
    attachment = forms.FileField(
        label=_("Add an attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        help_text=_("PDF, Word, Excel, PowerPoint, images, text, CSV or ZIP; up to 20 MB."),
    )

    def __init__(self, *args: Any, user: Any, demand: Demand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.demand = demand
        self.fields["organisation"].queryset = Organisation.objects.filter(memberships__user=user)
        self.indicators = list(demand.indicators.all())
        for indicator in self.indicators:
            self.fields[f"{DELIVERABLE_PREFIX}{indicator.pk}"] = forms.CharField(
                label=f"{localized(indicator.name)} ({indicator.target} {indicator.unit})".replace(" )", ")"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    @classmethod
    def initial_for(cls, proposal: Proposal | None) -> dict[str, Any]:
        if proposal is None:
            return {}
        initial: dict[str, Any] = {
            "organisation": proposal.organisation,
            "approach": proposal.approach,
            "team": proposal.team,
            "timeline": proposal.timeline,
            "budget": proposal.budget,
        }
        for key, text in (proposal.deliverables or {}).items():
            initial[f"{DELIVERABLE_PREFIX}{key}"] = text
        return initial

    def deliverable_fields(self) -> list[forms.BoundField]:
        return [self[f"{DELIVERABLE_PREFIX}{indicator.pk}"] for indicator in self.indicators]

    def content(self) -> ProposalContent:
        data = self.cleaned_data
        return ProposalContent(
            approach=data.get("approach") or {},
            team=data.get("team") or {},
            timeline=data.get("timeline") or {},
            budget=data.get("budget"),
            deliverables={
                str(indicator.pk): data.get(f"{DELIVERABLE_PREFIX}{indicator.pk}", "") for indicator in self.indicators
            },
            organisation=data.get("organisation"),
        )


class ReceiptVerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Receipt number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "ZY-2026-000123"}),
    )
    sha256 = forms.CharField(
        label=_("SHA-256 hash"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control font-monospace", "autocomplete": "off"}),
    )
    receipt_file = forms.FileField(
        label=_("…or upload the receipt file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".json,application/json"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("receipt_file") and not (data.get("number") and data.get("sha256")):
            raise forms.ValidationError(_("Enter the receipt number and its hash, or upload the receipt file."))
        return data


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this demand or any solver who may respond to it?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have a conflict of interest"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Required if you declare a conflict: the relationship and with whom."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("has_conflict") and not (data.get("statement") or "").strip():
            self.add_error("statement", _("Describe the conflict of interest in a sentence or two."))
        return data


SCORE_CHOICES = [(str(value), str(value)) for value in range(SCALE_MIN, SCALE_MAX + 1)]


class ScoreForm(forms.Form):
    """One 1–5 score and comment per criterion, plus an overall comment."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.public_id}"] = forms.TypedChoiceField(
                label=localized(criterion.name),
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"comment_{criterion.public_id}"] = forms.CharField(
                label=pgettext_lazy("reviewer", "Comment"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.public_id}"], self[f"comment_{c.public_id}"]) for c in self.criteria]

    def scores(self) -> dict[str, ScoreInput]:
        return {
            c.public_id: ScoreInput(
                value=self.cleaned_data.get(f"score_{c.public_id}"),
                comment=self.cleaned_data.get(f"comment_{c.public_id}", ""),
            )
            for c in self.criteria
        }


class CriterionForm(forms.Form):
    public_id = forms.CharField(required=False, widget=forms.HiddenInput)
    name = BilingualFormField(label=_("Criterion"), max_length=200)
    description = BilingualFormField(label=_("What reviewers look for"), max_length=1000, required=False)
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )

    def to_input(self) -> CriterionInput:
        data = self.cleaned_data
        return CriterionInput(
            name=data["name"],
            weight=data["weight"],
            description=data.get("description"),
            public_id=data.get("public_id"),
        )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=20, validate_max=True)


class AssignReviewerForm(forms.Form):
    email = forms.EmailField(
        label=_("Reviewer's e-mail address"),
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class ClarificationForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the solver"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class AwardForm(forms.Form):
    winners = forms.MultipleChoiceField(
        label=_("Proposals to award"), required=False, widget=forms.CheckboxSelectMultiple
    )
    released = forms.MultipleChoiceField(
        label=_("Reviewer comments released to the solvers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    decision = forms.ChoiceField(choices=[("award", "award"), ("none", "none")], widget=forms.HiddenInput)

    def __init__(self, *args: Any, proposals: list[Proposal], comment_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["winners"].choices = [(p.public_id, p.public_id) for p in proposals]
        self.fields["released"].choices = [(public_id, public_id) for public_id in comment_ids]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "award" and not data.get("winners"):
            self.add_error("winners", _("Choose at least one proposal to award."))
        return data
