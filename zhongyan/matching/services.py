"""The write path of matching: (re)build the stored document and embeddings of an item.

Called by the background tasks (tasks.py), the `rebuild_match_index` command and, for demands
edited without a signal, by the "demands for you" read (`refresh_demands`). Re-encoding happens
only when the document's hash changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from zhongyan.accounts.models import User
from zhongyan.catalog.models import Offering
from zhongyan.demands.models import Demand
from zhongyan.demands.querysets import DemandQuerySet
from zhongyan.matching import pgvector
from zhongyan.matching.documents import (
    Document,
    demand_teaser_document,
    expert_document,
    offering_document,
    organisation_document,
)
from zhongyan.matching.embedding import mean_vector
from zhongyan.matching.engine import Matcher
from zhongyan.matching.models import Embedding
from zhongyan.matching.registry import get_index
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.proposals.models import Proposal

EXPERT = Embedding.ItemType.EXPERT
DEMAND = Embedding.ItemType.DEMAND
OFFERING = Embedding.ItemType.OFFERING
ORGANISATION = Embedding.ItemType.ORGANISATION
INDEXED_DEMAND_STATUSES = DemandQuerySet.LISTED_STATUSES


def encode_documents(documents: list[tuple[int, Document]]) -> list[np.ndarray]:
    """Sentence vectors of each document, in one batch through the shared encoder."""
    scratch = Matcher()
    scratch.add(document.item(str(item_id)) for item_id, document in documents)
    return [scratch.sentence_vectors(str(item_id)) for item_id, _document in documents]


def _store(item_type: str, documents: list[tuple[int, Document]]) -> int:
    """Upsert the rows whose hash changed; update this process's index. Returns how many were encoded."""
    if not documents:
        return 0
    stored = dict(
        Embedding.objects.filter(item_type=item_type, item_id__in=[i for i, _ in documents]).values_list(
            "item_id", "text_hash"
        )
    )
    changed = [(item_id, document) for item_id, document in documents if stored.get(item_id) != document.hash]
    if not changed:
        return 0
    vectors = encode_documents(changed)
    index = get_index(item_type)
    with transaction.atomic():
        for (item_id, document), rows in zip(changed, vectors, strict=True):
            Embedding.objects.update_or_create(
                item_type=item_type,
                item_id=item_id,
                defaults={
                    "text": document.text,
                    "titles": list(document.titles),
                    "field_codes": list(document.field_codes),
                    "text_hash": document.hash,
                    "dim": rows.shape[1],
                    "vectors": np.ascontiguousarray(rows, dtype=np.float32).tobytes(),
                },
            )
            if pgvector.enabled():
                pgvector.upsert(item_type, item_id, mean_vector(rows))
    for (item_id, document), rows in zip(changed, vectors, strict=True):
        index.put(item_id, document, rows)
    return len(changed)


def _forget(item_type: str, item_ids: Iterable[int]) -> None:
    item_ids = list(item_ids)
    if not item_ids:
        return
    Embedding.objects.filter(item_type=item_type, item_id__in=item_ids).delete()
    if pgvector.enabled():
        pgvector.delete(item_type, item_ids)
    index = get_index(item_type)
    for item_id in item_ids:
        index.drop(item_id)


def _expert_matchable(user: User, document: Document) -> bool:
    return user.is_active and bool(document.text or document.titles)


def reindex_experts(users: Iterable[User]) -> int:
    keep, drop = [], []
    for user in users:
        document = expert_document(user)
        (keep if _expert_matchable(user, document) else drop).append((user.pk, document))
    _forget(EXPERT, [item_id for item_id, _ in drop])
    return _store(EXPERT, keep)


def reindex_demands(demands: Iterable[Demand]) -> int:
    keep, drop = [], []
    for demand in demands:
        if demand.status in INDEXED_DEMAND_STATUSES:
            keep.append((demand.pk, demand_teaser_document(demand)))
        else:
            drop.append((demand.pk, None))
    _forget(DEMAND, [item_id for item_id, _ in drop])
    return _store(DEMAND, keep)


def reindex_expert(user_id: int) -> int:
    users = User.objects.filter(pk=user_id).prefetch_related("fields")
    if not users:
        _forget(EXPERT, [user_id])
        return 0
    return reindex_experts(users)


def reindex_demand(demand_id: int) -> int:
    demands = Demand.objects.filter(pk=demand_id).prefetch_related("fields")
    if not demands:
        _forget(DEMAND, [demand_id])
        return 0
    return reindex_demands(demands)


def reindex_offerings(offerings: Iterable[Offering]) -> int:
    keep, drop = [], []
    for offering in offerings:
        if offering.status == Offering.Status.PUBLISHED and offering.is_technology:
            keep.append((offering.pk, offering_document(offering)))
        else:
            drop.append((offering.pk, None))
    _forget(OFFERING, [item_id for item_id, _ in drop])
    return _store(OFFERING, keep)


def matchable_organisations() -> QuerySet[Organisation]:
    """Verified organisations with what `organisation_document` reads, in five queries whatever their number."""
    return (
        Organisation.objects.verified()
        .prefetch_related(
            "fields",
            Prefetch("offerings", queryset=Offering.objects.published().order_by("created_at")),
            Prefetch("memberships", queryset=Membership.objects.filter(user__is_active=True).select_related("user")),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.filter(
                    status__in=Proposal.SUBMITTED_STATES,
                    demand__confidentiality__in=(Demand.Confidentiality.PUBLIC, Demand.Confidentiality.NDA),
                )
                .select_related("demand")
                .order_by("-submitted_at"),
            ),
        )
        .order_by("pk")
    )


def reindex_organisations(organisations: Iterable[Organisation]) -> int:
    keep, drop = [], []
    for organisation in organisations:
        document = organisation_document(organisation)
        matchable = organisation.is_verified and bool(document.text or document.titles)
        (keep if matchable else drop).append((organisation.pk, document))
    _forget(ORGANISATION, [item_id for item_id, _ in drop])
    return _store(ORGANISATION, keep)


def reindex_organisation(organisation_id: int) -> int:
    organisations = matchable_organisations().filter(pk=organisation_id)
    if not organisations:
        _forget(ORGANISATION, [organisation_id])
        return 0
    return reindex_organisations(organisations)


def reindex_member_organisations(user_id: int) -> int:
    """A member's profile is part of each of their organisations' documents."""
    organisations = matchable_organisations().filter(memberships__user_id=user_id)
    return reindex_organisations(organisations)


def refresh_organisations() -> int:
    """Organisations and the catalogue send no signals (they sit below matching): before a read,
    re-encode the verified organisations whose document changed and drop those no longer verified.
    Only changed hashes are encoded, so a quiet catalogue costs five queries and no encoding."""
    organisations = list(matchable_organisations())
    verified = {organisation.pk for organisation in organisations}
    stored = set(Embedding.objects.filter(item_type=ORGANISATION).values_list("item_id", flat=True))
    _forget(ORGANISATION, stored - verified)
    return reindex_organisations(organisations)


def refresh_offerings(offerings: Iterable[Offering]) -> int:
    """The catalogue sends no signals (it sits below matching and has no listener yet): compare
    hashes at read time and re-encode the entries that changed; drop the ones gone from the list."""
    offerings = list(offerings)
    index = get_index(OFFERING)
    index.sync()
    stale = [o for o in offerings if index.hashes.get(str(o.pk)) != offering_document(o).hash]
    gone = set(index.hashes) - {str(o.pk) for o in offerings}
    _forget(OFFERING, [int(key) for key in gone])
    return reindex_offerings(stale) if stale else 0


def refresh_demands(demands: Iterable[Demand]) -> int:
    """Re-encode the demands among these whose teaser changed since they were indexed (demand edits
    send no signal; a teaser hash is cheap to compare)."""
    index = get_index(DEMAND)
    index.sync()
    stale = [d for d in demands if index.hashes.get(str(d.pk)) != demand_teaser_document(d).hash]
    return reindex_demands(stale) if stale else 0


def rebuild_index(*, batch: int = 64, progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Re-read every expert, demand, catalogue entry and organisation; encode what changed; remove
    what is no longer matchable; with the pgvector backend, fill the side table's missing rows."""
    counts: dict[str, int] = {}
    experts = User.objects.filter(is_active=True).prefetch_related("fields").order_by("pk")
    demands = Demand.objects.filter(status__in=INDEXED_DEMAND_STATUSES).prefetch_related("fields").order_by("pk")
    offerings = (
        Offering.objects.published()
        .filter(kind__in=Offering.TECHNOLOGY_KINDS)
        .prefetch_related("fields")
        .order_by("pk")
    )
    for item_type, queryset, reindex in (
        (EXPERT, experts, reindex_experts),
        (DEMAND, demands, reindex_demands),
        (OFFERING, offerings, reindex_offerings),
        (ORGANISATION, matchable_organisations(), reindex_organisations),
    ):
        total = queryset.count()
        encoded = 0
        seen: set[int] = set()
        for start in range(0, total, batch):
            chunk = list(queryset[start : start + batch])
            seen.update(item.pk for item in chunk)
            encoded += reindex(chunk)  # type: ignore[operator]
            if progress:
                progress(item_type, min(start + batch, total), total)
        orphans = set(Embedding.objects.filter(item_type=item_type).values_list("item_id", flat=True)) - seen
        _forget(item_type, orphans)
        counts[item_type] = encoded
    if pgvector.enabled():
        pgvector.backfill()
    return counts
