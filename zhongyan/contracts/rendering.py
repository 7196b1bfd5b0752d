"""From a contract row to the engine's inputs: the flat field mapping, the verification URL, the PDF."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from zhongyan.contracts.models import Contract, ContractParty
from zhongyan.contracts.pdf import RenderedContract, render_contract_html, render_contract_pdf


def verification_url(number: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("contracts:verify_number", args=[number])


def _zh(value: dict[str, str] | None) -> str:
    value = value or {}
    return value.get("zh-hans") or value.get("en") or ""


def _en(value: dict[str, str] | None) -> str:
    value = value or {}
    return value.get("en") or value.get("zh-hans") or ""


def engine_fields(contract: Contract, parties: list[ContractParty], date: dt.date) -> dict[str, Any]:
    fields = contract.fields
    by_role = {party.role: party for party in parties}
    values: dict[str, Any] = {
        "contract_number": contract.number,
        "date": date.isoformat(),
        "verification_url": verification_url(contract.number),
        "deliverables": fields.get("deliverables", []),
        "milestones": fields.get("milestones", []),
    }
    for name in ("title", "scope", "price", "ip", "confidentiality", "term", "disputes"):
        values[f"{name}_zh"] = _zh(fields.get(name))
        values[f"{name}_en"] = _en(fields.get(name))
    for role in (ContractParty.Role.PARTY_A, ContractParty.Role.PARTY_B):
        name = by_role[role].name if role in by_role else {}
        values[f"{role}_name_zh"] = _zh(name)
        values[f"{role}_name_en"] = _en(name)
    return values


def render(contract: Contract) -> RenderedContract:
    parties = list(contract.parties.all())
    html = render_contract_html(
        engine_fields(contract, parties, timezone.localdate()), template_text=contract.template.body
    )
    return render_contract_pdf(
        html,
        signature_fields=[party.role for party in parties],
        title=f"{_zh(contract.fields.get('title'))} {contract.number}",
    )
