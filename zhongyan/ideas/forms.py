"""Forms for campaigns, ideas, comments, evaluations and moderation. They only clean input;
services decide and write."""

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts.models import Field, User
from zhongyan.core.content import Bilingual, BilingualFormField
from zhongyan.ideas.models import Campaign, Criterion, Stage
from zhongyan.ideas.services import BadAttachment, check_upload
from zhongyan.ideas.services.campaigns import DEFAULT_CRITERIA, DEFAULT_STAGES
from zhongyan.ideas.services.ideas import MAX_ATTACHMENTS

TEXT = {"class": "form-control"}


def _people(value: str) -> list[User]:
    """Users named by e-mail address, separated by commas, spaces or new lines."""
    emails = [part.strip().lower() for part in value.replace(",", " ").replace("，", " ").split() if part.strip()]
    people: list[User] = []
    for email in dict.fromkeys(emails):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("No one is registered with the e-mail address %(email)s."), params={"email": email})
        people.append(user)
    return people


def _split(line: str) -> list[str]:
    return [part.strip() for part in line.replace("｜", "|").split("|")]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(attrs=dict(TEXT), format="%Y-%m-%dT%H:%M")


class CampaignForm(forms.Form):
    title = BilingualFormField(label=_("Theme"), max_length=200)
    description = BilingualFormField(label=_("Description"), max_length=10000, multiline=True)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Campaign.Audience.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DateTimeInput())
    anonymous = forms.BooleanField(
        label=_("Anonymous ideas"),
        required=False,
        help_text=_("Authors are hidden from everyone but the operators: on pages, in the API, exports and e-mails."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    stages = forms.CharField(
        label=_("Stage funnel"),
        widget=forms.Textarea(attrs={"rows": 6, **TEXT}),
        help_text=_(
            "One stage per line, in order, as “中文 | English”. New ideas enter the first stage; "
            "promotion to a demand moves an idea from the second-to-last stage into the last one."
        ),
    )
    criteria = forms.CharField(
        label=_("Evaluation criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, **TEXT}),
        help_text=_("One criterion per line as “中文 | English | weight”; experts score each from 1 to 5."),
    )
    moderators = forms.CharField(
        label=_("Moderators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **TEXT}),
        help_text=_("E-mail addresses, separated by commas."),
    )
    experts = forms.CharField(
        label=_("Experts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **TEXT}),
        help_text=_("E-mail addresses, separated by commas."),
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"), queryset=Field.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    auto_advance_votes = forms.IntegerField(
        label=_("Advance automatically at votes"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs=TEXT),
        help_text=_("Optional: an idea in the first stage moves to the second when it has this many votes."),
    )
    auto_advance_score = forms.DecimalField(
        label=_("Advance automatically at score"),
        required=False,
        min_value=1,
        max_value=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.1", **TEXT}),
        help_text=_("Optional: an idea moves one stage on when its average weighted score reaches this."),
    )
    auto_advance_min_reviews = forms.IntegerField(
        label=_("With at least this many evaluations"),
        min_value=1,
        max_value=50,
        initial=2,
        widget=forms.NumberInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if campaign is not None and not self.is_bound:
            self.initial.update(
                {
                    "title": campaign.title,
                    "description": campaign.description,
                    "audience": campaign.audience,
                    "opens_at": campaign.opens_at,
                    "closes_at": campaign.closes_at,
                    "anonymous": campaign.anonymous,
                    "stages": "\n".join(_line(stage) for stage in campaign.stages.all()),
                    "criteria": "\n".join(f"{_line(c)} | {c.weight}" for c in campaign.criteria.all()),
                    "moderators": ", ".join(campaign.moderators.values_list("email", flat=True)),
                    "experts": ", ".join(campaign.experts.values_list("email", flat=True)),
                    "fields": list(campaign.fields.all()),
                    "auto_advance_votes": campaign.auto_advance_votes,
                    "auto_advance_score": campaign.auto_advance_score,
                    "auto_advance_min_reviews": campaign.auto_advance_min_reviews,
                }
            )
        elif not self.is_bound:
            today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
            self.initial.setdefault("opens_at", today)
            self.initial.setdefault("closes_at", today + timedelta(days=30))
            self.initial.setdefault("stages", "\n".join(f"{zh} | {en}" for zh, en in DEFAULT_STAGES))
            self.initial.setdefault("criteria", "\n".join(f"{zh} | {en} | {w}" for zh, en, w in DEFAULT_CRITERIA))

    def clean_stages(self) -> list[Bilingual]:
        stages = []
        for line in self.cleaned_data["stages"].splitlines():
            if not line.strip():
                continue
            parts = _split(line)
            zh, en = parts[0], (parts[1] if len(parts) > 1 else "")
            stages.append({code: text for code, text in (("zh-hans", zh), ("en", en)) if text})
        if not 3 <= len(stages) <= 12:
            raise ValidationError(_("A funnel has between 3 and 12 stages."))
        return stages

    def clean_criteria(self) -> list[tuple[Bilingual, int]]:
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            parts = _split(line)
            if len(parts) != 3 or not parts[2].isdigit() or not 1 <= int(parts[2]) <= 100:
                raise ValidationError(
                    _("Write each criterion as “中文 | English | weight” with a weight from 1 to 100: %(line)s"),
                    params={"line": line.strip()},
                )
            name = {code: text for code, text in (("zh-hans", parts[0]), ("en", parts[1])) if text}
            criteria.append((name, int(parts[2])))
        return criteria

    def clean_moderators(self) -> list[User]:
        return _people(self.cleaned_data["moderators"])

    def clean_experts(self) -> list[User]:
        return _people(self.cleaned_data["experts"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The campaign must close after it opens."))
        return data


def _line(item: Stage | Criterion) -> str:
    return f"{item.name.get('zh-hans', '')} | {item.name.get('en', '')}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("An idea has at most 10 attachments."))
        for upload in files:
            try:
                check_upload(upload)
            except BadAttachment as error:
                raise ValidationError(f"{upload.name}: {error.message}") from None
        return list(files)


class IdeaForm(forms.Form):
    title = BilingualFormField(label=_("Title"), max_length=200)
    description = BilingualFormField(label=_("Description"), max_length=10000, multiline=True, required=False)
    # Not "fields": that name is the form's own field dictionary in templates.
    taxonomy = forms.ModelMultipleChoiceField(
        label=_("Fields"), queryset=Field.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    co_authors = forms.CharField(
        label=_("Co-authors"),
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("E-mail addresses of the people who wrote this idea with you, separated by commas."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, images, text or CSV; up to 10 files of 10 MB each."),
    )

    def __init__(self, *args: Any, similar_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if similar_url:
            # Duplicate hints while typing: the title and description go to the hint fragment.
            hints = {
                "hx-post": similar_url,
                # keyup as typed; input as well, since IME (Chinese) composition and pasting
                # do not always end with a keyup.
                "hx-trigger": "keyup changed delay:600ms, input changed delay:600ms",
                "hx-sync": "#idea-text:replace",
                "hx-target": "#similar-hints",
                "hx-include": "#idea-text",
                "hx-encoding": "application/x-www-form-urlencoded",
            }
            for name in ("title", "description"):
                for widget in self.fields[name].widget.widgets:
                    widget.attrs.update(hints)

    def clean_co_authors(self) -> list[User]:
        return _people(self.cleaned_data["co_authors"])


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, **TEXT}),
        help_text=_("Mention someone with @ and their e-mail name, e.g. @wei.zhang."),
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class EvaluationForm(forms.Form):
    conflict = forms.BooleanField(
        label=_("I have a conflict of interest"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    conflict_reason = forms.CharField(
        label=_("Conflict of interest"), required=False, max_length=500, widget=forms.TextInput(attrs=TEXT)
    )
    note = forms.CharField(
        label=_("Private note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, **TEXT}),
        help_text=_("Only you can read this note."),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion} (×{criterion.weight})",
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def score_fields(self) -> list[Any]:
        return [self[f"score_{criterion.pk}"] for criterion in self.criteria]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("conflict"):
            if not (data.get("conflict_reason") or "").strip():
                self.add_error("conflict_reason", _("Describe the conflict of interest."))
        else:
            for criterion in self.criteria:
                if data.get(f"score_{criterion.pk}") in (None, ""):
                    self.add_error(f"score_{criterion.pk}", _("Score every criterion from 1 to 5."))
        return data

    def scores(self) -> dict[str, int]:
        return {
            str(c.pk): self.cleaned_data[f"score_{c.pk}"] for c in self.criteria if not self.cleaned_data["conflict"]
        }


class StageForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("Move to stage"), queryset=Stage.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = campaign.stages.order_by("position")
        last = stages.last()
        self.fields["stage"].queryset = stages.exclude(pk=last.pk) if last else stages


class PromoteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation posting the demand"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    deadline = forms.DateTimeField(label=_("Deadline for proposals"), widget=DateTimeInput())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
