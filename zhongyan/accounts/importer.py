"""The worker half of a publication import: read the stored file and add its records in
batches, saving progress after each so the polling page can show it. Started only by
`services.import_publications`, inline for small files or through `tasks.import_publication_file`."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhongyan.accounts import bibliography, signals
from zhongyan.accounts.models import Publication, PublicationImport, User
from zhongyan.core.audit import record

IMPORT_BATCH = 250


def publications_changed(actor: Any, user: User) -> None:
    """Matching re-reads the expert after the commit."""
    transaction.on_commit(
        lambda: signals.profile_updated.send(sender=User, user=user, actor=actor, changed=["publications"])
    )


def _save_progress(job: PublicationImport, **values: Any) -> None:
    """Written outside any long transaction, so the polling page sees each batch."""
    for name, value in values.items():
        setattr(job, name, value)
    PublicationImport.objects.filter(pk=job.pk).update(**values)


def run_publication_import(*, job_id: int) -> PublicationImport:
    """Parse the stored file and add its new publications, batch by batch. Runs in the worker
    (or inline for small files); a record that cannot be read is reported, not fatal."""
    job = PublicationImport.objects.select_related("owner", "created_by").get(pk=job_id)
    if job.is_finished:
        return job
    _save_progress(job, status=PublicationImport.Status.RUNNING)
    try:
        parsed = bibliography.parse(bytes(job.content))
    except bibliography.UnreadableFile as unreadable:
        errors = [{"line": 0, "code": unreadable.code, "value": ""}]
        _save_progress(job, status=PublicationImport.Status.FAILED, errors=errors, finished_at=timezone.now())
        return job
    errors = [{"line": p.line, "code": p.code, "value": p.value} for p in parsed.problems]
    _save_progress(job, total=len(parsed.records), duplicates=parsed.duplicates, errors=errors)
    known = set(Publication.objects.filter(owner=job.owner).values_list("dedupe_key", flat=True))
    imported = duplicates = 0
    for start in range(0, len(parsed.records), IMPORT_BATCH):
        batch = parsed.records[start : start + IMPORT_BATCH]
        new = [entry for entry in batch if entry.key not in known]
        known.update(entry.key for entry in new)
        with transaction.atomic():
            Publication.objects.bulk_create(
                [_publication_from(job.owner, entry) for entry in new], ignore_conflicts=True
            )
        imported += len(new)
        duplicates += len(batch) - len(new)
        _save_progress(job, done=start + len(batch), imported=imported, duplicates=parsed.duplicates + duplicates)
    with transaction.atomic():
        _save_progress(job, status=PublicationImport.Status.DONE, content=b"", finished_at=timezone.now())
        record(job.created_by, "accounts.publications_imported", job.owner, {"imported": imported})
        if imported:
            publications_changed(job.created_by, job.owner)
    return job


def _publication_from(owner: User, entry: bibliography.Record) -> Publication:
    return Publication(
        owner=owner,
        kind=entry.kind,
        title=entry.title,
        abstract=entry.abstract,
        authors=entry.authors,
        year=entry.year,
        venue=entry.venue,
        patent_number=entry.patent_number,
        doi=entry.doi,
        url=entry.url,
        dedupe_key=entry.key,
    )
