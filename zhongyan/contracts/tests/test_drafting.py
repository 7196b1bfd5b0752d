"""From an award to a locked contract: the prefilled draft, versions with diffs, the lock."""

import hashlib

import pytest

from zhongyan.contracts import services, signals
from zhongyan.contracts.contract_fields import diff
from zhongyan.contracts.models import Contract, ContractTemplate
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.errors import NotPermitted
from zhongyan.proposals.signals import proposal_awarded

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_one_active_bilingual_template() -> None:
    template = ContractTemplate.objects.get(is_active=True)
    assert template.version == 1
    assert 'id="sig-party_a"' in template.body and template.title["zh-hans"] == "技术开发（委托）合同"


def test_an_award_creates_a_prefilled_draft_with_both_parties(
    awarded, owner, owner_org, solver_org, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        proposal_awarded.send(sender=type(awarded), proposal=awarded, demand=awarded.demand, actor=owner)
    contract = Contract.objects.get(proposal=awarded)
    assert contract.status == Contract.Status.DRAFT and contract.number.startswith("ZYHT-")
    party_a, party_b = contract.parties.all()
    assert (party_a.organisation, party_b.organisation) == (owner_org, solver_org)
    assert "冷轧带钢表面缺陷在线检测" in contract.fields["scope"]["zh-hans"]
    assert contract.fields["deliverables"][0]["zh"] == "缺陷检测算法及源代码"
    assert contract.fields["deliverables"][0]["indicator"] == "检出率 ≥ 98 %"
    assert "3,600,000" in contract.fields["price"]["zh-hans"]
    assert [m["amount"] for m in contract.fields["milestones"]] == ["¥1,080,000", "¥1,800,000", "¥720,000"]
    assert "独占" in contract.fields["ip"]["zh-hans"]  # the demand asks for an exclusive transfer
    assert contract.versions.count() == 1
    assert AuditEntry.objects.filter(verb="contract.drafted", target_id=contract.public_id).exists()


def test_a_second_award_signal_keeps_the_one_draft(awarded, owner) -> None:
    first = services.create_contract_for_award(actor=owner, proposal=awarded)
    second = services.create_contract_for_award(actor=owner, proposal=awarded)
    assert first.pk == second.pk and Contract.objects.count() == 1


def test_a_solver_proposed_change_is_kept_as_a_version_with_a_readable_diff(draft, solver) -> None:
    fields = dict(draft.fields, price={"zh-hans": "人民币 400 万元（含税）", "en": "CNY 4,000,000 including tax"})
    version = services.propose_change(actor=solver, contract=draft, fields=fields, base_version=1, note="加价")
    draft.refresh_from_db()
    assert (draft.version, version.number, version.author) == (2, 2, solver)
    (change,) = diff(draft.versions.get(number=1).fields, version.fields)
    assert change.name == "price"
    assert [(line.kind, line.text) for line in change.lines if line.kind != "context"][:2] == [
        ("removed", "zh-hans: 人民币 3,600,000 元（含税）"),
        ("removed", "en: CNY 3,600,000 including tax"),
    ]
    assert AuditEntry.objects.get(verb="contract.changed").data == {"version": 2, "fields": ["price"]}


def test_a_change_based_on_an_old_version_is_refused(draft, solver, owner) -> None:
    services.propose_change(
        actor=owner, contract=draft, fields=dict(draft.fields, term={"zh-hans": "两年"}), base_version=1
    )
    with pytest.raises(services.StaleVersion):
        services.propose_change(
            actor=solver, contract=draft, fields=dict(draft.fields, term={"zh-hans": "三年"}), base_version=1
        )


def test_locking_renders_the_pdf_once_and_records_its_hash(draft, owner, django_capture_on_commit_callbacks) -> None:
    locked = []
    signals.contract_locked.connect(lambda **kw: locked.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            contract = services.lock_contract(actor=owner, contract=draft)
    finally:
        signals.contract_locked.disconnect(dispatch_uid="t")
    assert contract.status == Contract.Status.LOCKED
    assert bytes(contract.pdf).startswith(b"%PDF-")
    assert contract.pdf_sha256 == contract.locked_pdf_sha256 == hashlib.sha256(bytes(contract.pdf)).hexdigest()
    assert AuditEntry.objects.get(verb="contract.locked").data["sha256"] == contract.pdf_sha256
    assert [kw["contract"].pk for kw in locked] == [contract.pk]
    with pytest.raises(services.NotEditable):
        services.propose_change(actor=owner, contract=contract, fields=contract.fields, base_version=1)


def test_the_solver_cannot_lock(draft, solver) -> None:
    with pytest.raises(NotPermitted):
        services.lock_contract(actor=solver, contract=draft)
