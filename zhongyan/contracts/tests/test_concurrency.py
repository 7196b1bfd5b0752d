"""Both parties press "sign" at the same moment: each signs the PDF the other stored, and both
signatures survive. Each thread has its own database connection; SQLite's IMMEDIATE transactions
and PostgreSQL's row lock on the contract make the signers queue."""

from collections.abc import Callable
from typing import Any

import pytest

from zhongyan.contracts import authority, services
from zhongyan.contracts.models import Contract
from zhongyan.contracts.signing import verify_pdf
from zhongyan.contracts.tests.conftest import email_code, sign_as
from zhongyan.core.audit import verify_chain
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.testing import run_together


@pytest.mark.django_db(transaction=True)
def test_both_parties_signing_at_the_same_moment_keeps_both_signatures(
    app_settings: Any, awarded: Any, owner: Any, solver_admin: Any, file_database: None
) -> None:
    contract = services.create_contract_for_award(actor=owner, proposal=awarded)
    contract = services.lock_contract(actor=owner, contract=contract, signing_order=Contract.SigningOrder.ANY)
    authority.authority()  # the CA exists before the race, as it does on a running platform
    email_code(owner, contract)  # warm the font cache and the code path outside the race

    def signer(user: Any) -> Callable[[], Any]:
        return lambda: sign_as(user, Contract.objects.get(pk=contract.pk))

    results = run_together(signer(owner), signer(solver_admin))

    assert not any(isinstance(result, Exception) for result in results), results
    contract.refresh_from_db()
    assert contract.status == Contract.Status.IN_FORCE
    report = verify_pdf(bytes(contract.pdf), authority.trust_roots())
    assert report.verdict == "valid" and report.complete
    assert sorted(s.field_name for s in report.signatures) == ["party_a", "party_b"]
    assert AuditEntry.objects.filter(verb="contract.signed").count() == 2
    assert verify_chain() == []
