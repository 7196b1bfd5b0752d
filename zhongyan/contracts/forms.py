"""Forms for the contract pages. Rows (deliverables, milestones) are edited as one line each with
" | " between the columns: no script needed, and the version diff reads the same way."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhongyan.contracts.contract_fields import FIELD_LABELS, ROW_LIMIT
from zhongyan.contracts.models import LIST_FIELDS, Contract, ContractTemplate
from zhongyan.contracts.pdf import SAMPLE_FIELDS, render_contract_html
from zhongyan.contracts.verification import looks_like_pdf
from zhongyan.core.content import BilingualFormField

ROW_HELP = {
    "deliverables": _("One deliverable per line: Chinese | English | indicator"),
    "milestones": _("One milestone per line: Chinese | English | amount | due"),
}
TEXT_FIELDS = ("title", "scope", "price", "ip", "confidentiality", "term", "disputes")


def rows_to_text(name: str, rows: list[dict[str, str]]) -> str:
    return "\n".join(" | ".join(row.get(column, "") for column in LIST_FIELDS[name]) for row in rows or [])


def text_to_rows(name: str, text: str) -> list[dict[str, str]]:
    columns = LIST_FIELDS[name]
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) != len(columns):
            raise ValidationError(
                _("Line %(line)d needs %(count)d columns separated by |."),
                params={"line": number, "count": len(columns)},
            )
        rows.append(dict(zip(columns, cells, strict=True)))
    if len(rows) > ROW_LIMIT:
        raise ValidationError(_("Give at most %(limit)d lines."), params={"limit": ROW_LIMIT})
    return rows


class ContractFieldsForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What did you change and why?"), max_length=500, required=False, widget=forms.TextInput()
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        fields = contract.fields
        initial = {"base_version": contract.version}
        initial.update({name: fields.get(name, {}) for name in TEXT_FIELDS})
        initial.update({name: rows_to_text(name, fields.get(name, [])) for name in LIST_FIELDS})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in ("title", "scope", "deliverables", "price", "milestones", "ip", "confidentiality", "term"):
            self._add(name)
        self._add("disputes")
        self.fields["note"].widget.attrs["class"] = "form-control"

    def _add(self, name: str) -> None:
        label = FIELD_LABELS[name]
        if name in LIST_FIELDS:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                help_text=ROW_HELP[name],
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control font-monospace"}),
            )
        else:
            self.fields[name] = BilingualFormField(
                label=label, required=name in ("title", "scope", "price"), multiline=name != "title", max_length=8000
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in LIST_FIELDS:
            if name in cleaned:
                try:
                    cleaned[name] = text_to_rows(name, cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def contract_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (*TEXT_FIELDS, *LIST_FIELDS)}


class LockForm(forms.Form):
    signing_order = forms.ChoiceField(
        label=_("Signing order"),
        choices=Contract.SigningOrder.choices,
        initial=Contract.SigningOrder.SEQUENTIAL,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I have read the contract. Lock it: no field can be changed afterwards."),
        required=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=12,
        required=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
    )
    confirm = forms.BooleanField(
        label=_("I sign this contract electronically and agree that my electronic signature is binding."),
        required=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=32, required=False)
    pdf = forms.FileField(label=_("Signed PDF"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"class": "form-control", "placeholder": "ZYHT-2026-000001"})
        self.fields["pdf"].widget.attrs.update({"class": "form-control", "accept": "application/pdf,.pdf"})

    def clean_pdf(self) -> Any:
        upload = self.cleaned_data.get("pdf")
        if upload is None:
            return None
        limit = settings.CONTRACT_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(_("The file is too large: at most %(mb)d MB."), params={"mb": limit // (1024 * 1024)})
        head = upload.read(1024)
        upload.seek(0)
        if not looks_like_pdf(head):
            raise ValidationError(_("This file is not a PDF. Upload the signed contract as a PDF file."))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("number") and not cleaned.get("pdf"):
            raise ValidationError(_("Upload a PDF or enter a contract number."))
        return cleaned


class TemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    activate = forms.BooleanField(
        label=_("Make this version the active template"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = ContractTemplate
        fields = (
            "name",
            "title",
            "ip_exclusive_transfer",
            "ip_non_exclusive_licence",
            "ip_solver_keeps",
            "confidentiality",
            "term",
            "disputes",
            "body",
        )
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "class": "form-control font-monospace small"})}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        for anchor in ('id="sig-party_a"', 'id="sig-party_b"', "$contract_number"):
            if anchor not in body:
                raise ValidationError(_("The body must contain %(anchor)s."), params={"anchor": anchor})
        try:
            render_contract_html(SAMPLE_FIELDS, template_text=body)
        except (KeyError, ValueError) as error:
            raise ValidationError(
                _("The body has an unknown or malformed placeholder: %(error)s"), params={"error": error}
            ) from error
        return body
