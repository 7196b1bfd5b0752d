import io

import pytest

from zhongyan.accounts.tests.factories import PASSWORD
from zhongyan.contracts import demo
from zhongyan.contracts.models import Contract
from zhongyan.core.audit_models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_demo_signs_the_awarded_proposals_contract_once(awarded, solver_admin) -> None:
    contract = demo.load(io.StringIO(), password=PASSWORD)
    assert contract is not None and contract.status == Contract.Status.IN_FORCE
    entries = AuditEntry.objects.count()
    out = io.StringIO()
    assert demo.load(out, password=PASSWORD).pk == contract.pk
    assert "already signed" in out.getvalue() and AuditEntry.objects.count() == entries


def test_the_demo_skips_without_an_award(app_settings) -> None:
    out = io.StringIO()
    assert demo.load(out) is None and "skipped" in out.getvalue()
