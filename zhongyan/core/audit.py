"""Writing to and verifying the audit log. Every module records through `record()`."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from zhongyan.core.audit_models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(
    *,
    seq: int,
    created_at: str,
    actor_id: int | None,
    actor_label: str,
    verb: str,
    target_type: str,
    target_id: str,
    data: Any,
    prev_hash: str,
) -> str:
    payload = _canonical([seq, created_at, actor_id, actor_label, verb, target_type, target_id, data, prev_hash])
    return hashlib.sha256(payload.encode()).hexdigest()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        seq=entry.seq,
        created_at=entry.created_at.isoformat(),
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        verb=entry.verb,
        target_type=entry.target_type,
        target_id=entry.target_id,
        data=entry.data,
        prev_hash=entry.prev_hash,
    )


def _target_key(target: Any) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        meta = target._meta
        return f"{meta.app_label}.{meta.model_name}", str(getattr(target, "public_id", None) or target.pk)
    return type(target).__name__, str(target)


def record(actor: Any, verb: str, target: Any = None, data: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction, so it commits or rolls back with
    the change it describes. The head row is locked, so concurrent writers queue in order."""
    target_type, target_id = _target_key(target)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    # JSON round trip, so the hash is computed over exactly what the database will return.
    clean_data = json.loads(_canonical(data or {}))
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _created = AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})
            head = AuditHead.objects.select_for_update().get(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor_obj,
            actor_label=(actor_obj.get_username() if actor_obj else "system"),
            verb=verb,
            target_type=target_type,
            target_id=target_id,
            data=clean_data,
            prev_hash=head.hash,
        )
        entry.hash = _hash_of(entry)
        entry.save()
        AuditHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str  # "edited", "inserted", "deleted", "head"
    detail: str


def verify_chain(batch_size: int = 2000) -> list[Problem]:
    """Walk the chain in order; return every break found (empty means intact)."""
    problems: list[Problem] = []
    expected_seq, prev = 1, GENESIS
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, "deleted", f"entries {expected_seq}..{entry.seq - 1} are missing"))
        if entry.prev_hash != prev:
            problems.append(Problem(entry.seq, "inserted", "does not link to the entry before it"))
        if _hash_of(entry) != entry.hash:
            problems.append(Problem(entry.seq, "edited", "its content does not match its hash"))
        expected_seq, prev = entry.seq + 1, entry.hash
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != prev):
        problems.append(Problem(head.seq, "deleted", f"the log ends at {last_seq} but the head says {head.seq}"))
    return problems


def history(target: Any) -> models.QuerySet[AuditEntry]:
    target_type, target_id = _target_key(target)
    return AuditEntry.objects.filter(target_type=target_type, target_id=target_id).select_related("actor")
