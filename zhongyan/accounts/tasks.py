"""Background work of the accounts module (django-tasks; see docs/decisions/0006)."""

from django_tasks import task

from zhongyan.accounts import importer


@task()
def import_publication_file(job_id: int) -> int:
    """Import a stored publication file; returns how many publications were added."""
    return importer.run_publication_import(job_id=job_id).imported
