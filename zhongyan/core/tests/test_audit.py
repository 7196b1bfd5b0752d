from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from zhongyan.core.audit import record, verify_chain
from zhongyan.core.audit_models import AuditEntry

pytestmark = pytest.mark.django_db


def _drop_triggers() -> None:
    """What an attacker with database access would do first; rolled back with the test."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_change ON core_auditentry")


def _log(n: int, actor: Any = None) -> list[AuditEntry]:
    return [record(actor, "thing.done", None, {"n": i, "text": "中文"}) for i in range(n)]


def test_records_form_an_intact_chain(outsider: Any) -> None:
    entries = _log(5, outsider)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[1].prev_hash == entries[0].hash
    assert verify_chain() == []
    call_command("verify_audit")


def test_database_refuses_update_and_delete() -> None:
    _log(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(verb="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=2).delete()


def test_model_refuses_save_of_existing_entry() -> None:
    (entry,) = _log(1)
    entry.verb = "changed"
    with pytest.raises(PermissionError):
        entry.save()


def test_verify_detects_edited_row() -> None:
    _log(4)
    _drop_triggers()
    AuditEntry.objects.filter(seq=2).update(data={"n": 99})
    problems = verify_chain()
    assert [(p.seq, p.kind) for p in problems] == [(2, "edited")]
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_verify_detects_deleted_row_in_the_middle() -> None:
    _log(4)
    _drop_triggers()
    AuditEntry.objects.filter(seq=2).delete()
    kinds = {(p.seq, p.kind) for p in verify_chain()}
    assert (3, "deleted") in kinds
    assert (3, "inserted") in kinds


def test_verify_detects_deleted_tail() -> None:
    _log(3)
    _drop_triggers()
    AuditEntry.objects.filter(seq=3).delete()
    assert [p.kind for p in verify_chain()] == ["deleted"]


def test_verify_detects_inserted_row() -> None:
    entries = _log(3)
    _drop_triggers()
    AuditEntry.objects.filter(seq=3).delete()
    forged = AuditEntry(
        seq=3, created_at=entries[2].created_at, actor_label="mallory", verb="thing.done",
        data={"n": 2}, prev_hash="f" * 64, hash=entries[2].hash,
    )
    forged.save()
    kinds = {p.kind for p in verify_chain()}
    assert "inserted" in kinds
    assert "edited" in kinds
