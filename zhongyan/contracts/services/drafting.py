"""From an award to a contract ready for signing: the prefilled draft, proposed changes, the lock."""

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.contracts import permissions, rendering, signals
from zhongyan.contracts.contract_fields import diff, normalise
from zhongyan.contracts.models import Contract, ContractParty, ContractTemplate, ContractVersion
from zhongyan.contracts.services._common import (
    NotEditable,
    NoTemplate,
    StaleVersion,
    lock_contract_row,
    refuse_if_in_force,
    send_after_commit,
)
from zhongyan.core.audit import record
from zhongyan.core.content import localized
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.core.lifecycle import check_transition
from zhongyan.demands.models import Demand
from zhongyan.proposals.models import Proposal

NUMBER_PREFIX = "ZYHT"  # 众研合同
SCOPE_EXCERPT = 600
# Default payment plan: advance on entry into force, acceptance, end of warranty.
MILESTONE_SHARES = (
    (30, "合同生效后预付款", "Advance on entry into force", "合同生效后30日内 / within 30 days of entry into force"),
    (50, "验收合格后支付", "On acceptance of the deliverables", "验收后30日内 / within 30 days of acceptance"),
    (20, "质保期满后支付", "At the end of the warranty", "质保期满后30日内 / within 30 days of warranty end"),
)


def active_template() -> ContractTemplate:
    template = ContractTemplate.objects.filter(is_active=True).first()
    if template is None:
        raise NoTemplate()
    return template


def _next_number(year: int) -> str:
    prefix = f"{NUMBER_PREFIX}-{year}-"
    last = (
        Contract.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    )
    return f"{prefix}{(int(last.rsplit('-', 1)[1]) + 1) if last else 1:06d}"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SCOPE_EXCERPT else text[:SCOPE_EXCERPT].rstrip() + "…"


def _yuan(amount: int, language: str) -> str:
    return f"人民币 {amount:,} 元（含税）" if language == "zh-hans" else f"CNY {amount:,} including tax"


def prefill(demand: Demand, proposal: Proposal, template: ContractTemplate) -> dict[str, Any]:
    """The draft's fields from the demand, the winning proposal and the template's clauses."""
    scope = {}
    for code, label in (("zh-hans", "乙方技术方案："), ("en", "Party B's approach: ")):
        title, summary = localized(demand.title, code), localized(demand.summary, code)
        approach = _excerpt(localized(proposal.approach, code))
        scope[code] = f"{title}\n{summary}\n{label}{approach}".strip()
    deliverables = []
    for indicator in demand.indicators.all():
        committed = (proposal.deliverables or {}).get(str(indicator.pk), "")
        target = f"{indicator.target} {indicator.unit}".strip()
        deliverables.append(
            {
                "zh": committed or localized(indicator.name, "zh-hans"),
                "en": localized(indicator.name, "en"),
                "indicator": f"{localized(indicator.name, 'zh-hans')} {target}".strip(),
            }
        )
    amount = proposal.budget or demand.budget_max or 0
    milestones = [
        {"zh": zh, "en": en, "amount": f"¥{amount * share // 100:,}", "due": due}
        for share, zh, en, due in MILESTONE_SHARES
    ]
    return normalise(
        {
            "title": template.title,
            "scope": scope,
            "deliverables": deliverables,
            "price": {code: _yuan(amount, code) for code in ("zh-hans", "en")},
            "milestones": milestones,
            "ip": template.ip_clause(demand.ip_terms),
            "confidentiality": template.confidentiality,
            "term": template.term,
            "disputes": template.disputes,
        }
    )


def _party_name(proposal: Proposal) -> dict[str, str]:
    if proposal.organisation is not None:
        return dict(proposal.organisation.name)
    user = proposal.solver
    return dict(user.display_name) or {"zh-hans": user.name}


def create_contract_for_award(*, actor: Any, proposal: Proposal) -> Contract:
    """The prefilled draft for an awarded proposal; the existing one if it was already made."""
    existing = Contract.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if proposal.status != Proposal.Status.AWARDED:
        raise DomainError(_("Only an awarded proposal leads to a contract."))
    template = active_template()
    demand = proposal.demand
    fields = prefill(demand, proposal, template)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _create(actor, proposal, template, fields)
        except IntegrityError:
            # Two awards raced for the same number or the same proposal: the loser retries or returns.
            existing = Contract.objects.filter(proposal=proposal).first()
            if existing is not None:
                return existing
    raise DomainError(_("The contract number could not be assigned. Please try again."))


def _create(actor: Any, proposal: Proposal, template: ContractTemplate, fields: dict[str, Any]) -> Contract:
    demand = proposal.demand
    contract = Contract.objects.create(
        number=_next_number(timezone.localdate().year),
        template=template,
        demand=demand,
        proposal=proposal,
        fields=fields,
    )
    ContractParty.objects.create(
        contract=contract,
        role=ContractParty.Role.PARTY_A,
        position=1,
        organisation=demand.organisation,
        name=dict(demand.organisation.name),
    )
    ContractParty.objects.create(
        contract=contract,
        role=ContractParty.Role.PARTY_B,
        position=2,
        organisation=proposal.organisation,
        person=None if proposal.organisation is not None else proposal.solver,
        name=_party_name(proposal),
    )
    ContractVersion.objects.create(contract=contract, number=1, fields=fields, author=None, note="award")
    record(
        actor,
        "contract.drafted",
        contract,
        {"number": contract.number, "proposal": proposal.public_id, "template_version": template.version},
    )
    send_after_commit(signals.contract_drafted, contract=contract, actor=actor)
    return contract


def propose_change(
    *, actor: Any, contract: Contract, fields: dict[str, Any], base_version: int, note: str = ""
) -> ContractVersion:
    """A new version of the fields. `base_version` is the version the author edited: a change made
    meanwhile by the other side is never silently overwritten."""
    refuse_if_in_force(contract)
    if not permissions.can_view_contract(actor, contract):
        raise NotPermitted()
    clean = normalise(fields)
    with transaction.atomic():
        contract = lock_contract_row(contract)
        refuse_if_in_force(contract)
        if contract.status != Contract.Status.DRAFT:
            raise NotEditable()
        if not permissions.can_propose_change(actor, contract):
            raise NotPermitted()
        if base_version != contract.version:
            raise StaleVersion()
        changed = [change.name for change in diff(contract.fields, clean)]
        if not changed:
            raise DomainError(_("Nothing was changed."))
        version = ContractVersion.objects.create(
            contract=contract, number=contract.version + 1, fields=clean, author=actor, note=note.strip()[:500]
        )
        contract.fields, contract.version = clean, version.number
        contract.save(update_fields=["fields", "version", "updated_at"])
        record(actor, "contract.changed", contract, {"version": version.number, "fields": changed})
        send_after_commit(signals.contract_changed, contract=contract, version=version, actor=actor)
    return version


def lock_contract(*, actor: Any, contract: Contract, signing_order: str = Contract.SigningOrder.SEQUENTIAL) -> Contract:
    """Freeze the fields and render the PDF once; its SHA-256 is what the parties sign."""
    refuse_if_in_force(contract)
    if not permissions.can_lock_contract(actor, contract):
        raise NotPermitted()
    if signing_order not in Contract.SigningOrder.values:
        raise DomainError(_("Choose a signing order."))
    with transaction.atomic():
        contract = lock_contract_row(contract)
        if not permissions.can_lock_contract(actor, contract):
            raise NotEditable()
        check_transition(Contract.TRANSITIONS, contract.status, Contract.Status.LOCKED)
        contract.signing_order = signing_order
        rendered = rendering.render(contract)
        digest = hashlib.sha256(rendered.pdf).hexdigest()
        contract.pdf, contract.pdf_sha256, contract.locked_pdf_sha256 = rendered.pdf, digest, digest
        contract.status, contract.locked_at, contract.locked_by = Contract.Status.LOCKED, timezone.now(), actor
        contract.save()
        record(
            actor,
            "contract.locked",
            contract,
            {"version": contract.version, "sha256": digest, "pages": rendered.page_count, "order": signing_order},
        )
        send_after_commit(signals.contract_locked, contract=contract, actor=actor)
    return contract


def reopen_contract(*, actor: Any, contract: Contract) -> Contract:
    """Back to draft before anyone signed; the rendered PDF is discarded."""
    refuse_if_in_force(contract)
    if not permissions.can_reopen_contract(actor, contract):
        raise NotPermitted()
    with transaction.atomic():
        contract = lock_contract_row(contract)
        if not permissions.can_reopen_contract(actor, contract) or contract.parties.filter(signed_at__isnull=False):
            raise DomainError(_("A contract can go back to draft only before anyone has signed it."))
        check_transition(Contract.TRANSITIONS, contract.status, Contract.Status.DRAFT)
        contract.status, contract.pdf, contract.pdf_sha256 = Contract.Status.DRAFT, None, ""
        contract.locked_pdf_sha256, contract.locked_at, contract.locked_by = "", None, None
        contract.save()
        record(actor, "contract.reopened", contract, {"version": contract.version})
    return contract
