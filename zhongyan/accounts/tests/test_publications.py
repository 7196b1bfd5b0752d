"""Structured publications: import from files (inline and through the task), the progress page,
list/edit/delete, permissions and the API."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from zhongyan.accounts import importer, services
from zhongyan.accounts.models import Publication, PublicationImport
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.errors import NotPermitted

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def _upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes())


def _big_csv(count: int) -> bytes:
    rows = ["title,authors,year,journal,abstract"]
    rows += [
        f'"Hot strip mill study {n}: roll wear and profile",Author {n},{2000 + n % 25},Steel Research,'
        f'"Measured wear of work rolls in campaign {n}."'
        for n in range(count)
    ]
    return ("\n".join(rows) + "\n").encode()


def test_small_file_is_imported_at_once_with_counts_and_line_numbered_errors(outsider):
    job = services.import_publications(actor=outsider, user=outsider, file=_upload("publications.bib"))
    assert job.status == PublicationImport.Status.DONE
    assert (job.total, job.done, job.imported, job.duplicates) == (4, 4, 4, 1)
    assert [(error["line"], error["code"]) for error in job.errors] == [(25, "no_title"), (37, "syntax")]
    assert outsider.bibliography.count() == 4
    assert bytes(job.content) == b""  # the upload is not kept once read
    assert AuditEntry.objects.filter(verb="accounts.publications_imported").exists()


def test_importing_the_same_file_again_only_counts_duplicates(outsider):
    services.import_publications(actor=outsider, user=outsider, file=_upload("publications.ris"))
    again = services.import_publications(actor=outsider, user=outsider, file=_upload("publications.ris"))
    assert (again.imported, again.duplicates) == (0, 3)
    assert outsider.bibliography.count() == 3


def test_large_file_goes_through_the_task_and_progress_advances(
    outsider, monkeypatch, django_capture_on_commit_callbacks
):
    seen: list[tuple[int, int]] = []
    save = importer._save_progress

    def spy(job: PublicationImport, **values: Any) -> None:
        save(job, **values)
        stored = PublicationImport.objects.get(pk=job.pk)
        seen.append((stored.done, stored.total))

    monkeypatch.setattr(importer, "_save_progress", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.import_publications(actor=outsider, user=outsider, file=_upload("big.csv", _big_csv(5000)))
    assert job.status == PublicationImport.Status.QUEUED and not outsider.bibliography.exists()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == PublicationImport.Status.DONE
    assert (job.total, job.done, job.imported, job.errors) == (5000, 5000, 5000, [])
    assert outsider.bibliography.count() == 5000
    done_counts = [done for done, total in seen if total == 5000]
    assert done_counts[:3] == [0, 250, 500] and done_counts[-1] == 5000
    assert done_counts == sorted(done_counts)


def test_large_file_waits_in_the_database_queue_until_a_worker_runs_it(
    outsider, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes old connections between tasks; on PostgreSQL that would end the test's
    # transaction, so here (as the root conftest does for the test client) it is a no-op.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_publications(actor=outsider, user=outsider, file=_upload("big.csv", _big_csv(1200)))
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    job.refresh_from_db()
    assert job.status == PublicationImport.Status.QUEUED
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == PublicationImport.Status.DONE and job.imported == 1200
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_progress_fragment_is_polled_until_the_import_is_finished(as_user, outsider):
    job = PublicationImport.objects.create(
        owner=outsider, created_by=outsider, filename="big.csv", format="csv", content=b"x", total=5000, done=1250
    )
    job.status = PublicationImport.Status.RUNNING
    job.save()
    client = as_user(outsider)
    url = reverse("accounts:publication_import", args=[job.public_id])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="25"' in fragment
    assert "正在导入：第 1250 条，共 5000 条。" in fragment
    assert "<html" not in fragment
    job.status, job.done, job.imported, job.duplicates = PublicationImport.Status.DONE, 5000, 4990, 10
    job.errors = [{"line": 7, "code": "no_title", "value": ""}]
    job.save()
    finished = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished
    assert "4990" in finished and "第 7 行" in finished and "这条记录没有标题。" in finished


def test_upload_page_imports_and_redirects_to_the_result(as_user, outsider):
    client = as_user(outsider)
    response = client.post(reverse("accounts:publication_list"), {"file": _upload("publications-gbk.csv")})
    job = PublicationImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("accounts:publication_import", args=[job.public_id])
    page = client.get(response.url).content.decode()
    assert "<progress" in page and 'value="100"' in page
    assert "氢基竖炉直接还原铁工艺研究" in client.get(reverse("accounts:publication_list")).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.bib", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "文件不是 UTF-8、UTF-16 或 GBK/GB18030 编码的文本。"),
        ("notes.csv", b"name,email\nWang,wang@example.com\n", "这不是 BibTeX、RIS 或 CSV 文件。"),
        ("empty.ris", b"   \n", "文件为空。"),
    ],
)
def test_bad_file_is_refused_with_a_translated_message(as_user, outsider, name, content, message):
    response = as_user(outsider).post(reverse("accounts:publication_list"), {"file": _upload(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicationImport.objects.exists() and not Publication.objects.exists()


def test_file_over_the_size_limit_is_refused(outsider, monkeypatch):
    monkeypatch.setattr(services, "MAX_PUBLICATION_FILE_BYTES", 1024)
    with pytest.raises(services.PublicationFileRejected):
        services.import_publications(actor=outsider, user=outsider, file=_upload("big.csv", _big_csv(100)))
    assert not PublicationImport.objects.exists()


@pytest.mark.parametrize(("persona", "allowed"), [("self", True), ("operator", True), ("other", False)])
def test_only_the_person_or_an_operator_may_import(outsider, operator, persona, allowed):
    actor = {"self": outsider, "operator": operator, "other": UserFactory()}[persona]
    if allowed:
        services.import_publications(actor=actor, user=outsider, file=_upload("publications.ris"))
        assert outsider.bibliography.count() == 3
    else:
        with pytest.raises(NotPermitted):
            services.import_publications(actor=actor, user=outsider, file=_upload("publications.ris"))
        assert not Publication.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("self", 200), ("operator", 200), ("other", 404)])
def test_import_page_is_visible_to_the_person_and_operators_only(as_user, outsider, operator, persona, status):
    job = services.import_publications(actor=outsider, user=outsider, file=_upload("publications.ris"))
    viewer = {"self": outsider, "operator": operator, "other": UserFactory()}[persona]
    assert as_user(viewer).get(reverse("accounts:publication_import", args=[job.public_id])).status_code == status


def test_edit_keeps_what_was_typed_on_error_and_saves(as_user, outsider):
    services.import_publications(actor=outsider, user=outsider, file=_upload("publications.ris"))
    publication = outsider.bibliography.get(kind="patent")
    client = as_user(outsider)
    url = reverse("accounts:publication_edit", args=[publication.public_id])
    data = {"kind": "patent", "title": "带钢表面缺陷在线检测装置（改进型）", "year": "3000", "patent_number": "CN1"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "（改进型）" in refused.content.decode()
    data["year"] = "2019"
    assert client.post(url, data).status_code == 302
    publication.refresh_from_db()
    assert publication.title.endswith("（改进型）") and publication.year == 2019


def test_adding_a_publication_already_listed_is_refused(as_user, outsider):
    services.import_publications(actor=outsider, user=outsider, file=_upload("publications.csv"))
    response = as_user(outsider).post(
        reverse("accounts:publication_create"), {"kind": "article", "title": "SLAB caster mould-level control"}
    )
    assert response.status_code == 400 and "您已列出这篇成果" in response.content.decode()


def test_delete_asks_for_confirmation_then_deletes(as_user, outsider):
    services.import_publications(actor=outsider, user=outsider, file=_upload("publications.csv"))
    publication = outsider.bibliography.first()
    client = as_user(outsider)
    url = reverse("accounts:publication_delete", args=[publication.public_id])
    assert publication.title in client.get(url).content.decode()
    assert Publication.objects.filter(pk=publication.pk).exists()
    assert client.post(url).status_code == 302
    assert not Publication.objects.filter(pk=publication.pk).exists()


def test_someone_elses_publication_is_404(as_user, outsider):
    services.import_publications(actor=outsider, user=outsider, file=_upload("publications.csv"))
    publication = outsider.bibliography.first()
    other = as_user(UserFactory())
    assert other.get(reverse("accounts:publication_edit", args=[publication.public_id])).status_code == 404
    assert other.post(reverse("accounts:publication_delete", args=[publication.public_id])).status_code == 404
    assert Publication.objects.filter(pk=publication.pk).exists()


def test_public_profile_lists_structured_publications(as_user, outsider):
    services.import_publications(actor=outsider, user=outsider, file=_upload("publications.bib"))
    page = as_user(UserFactory()).get(reverse("accounts:expert_detail", args=[outsider.public_id])).content.decode()
    assert "Physical Metallurgy of Strip Steel" in page


# --- API -------------------------------------------------------------------------------------


def test_api_imports_lists_and_reports_the_job(as_user, outsider):
    client = as_user(outsider)
    created = client.post("/api/v1/profile/publications/import", {"file": _upload("publications.bib")})
    assert created.status_code == 202
    body = created.json()
    assert body["status"] == "done" and body["imported"] == 4 and body["duplicates"] == 1
    assert body["errors"][0] == {"line": 25, "code": "no_title", "message": "这条记录没有标题。"}
    status = client.get(f"/api/v1/publication-imports/{body['id']}").json()
    assert status["done"] == status["total"] == 4
    listing = client.get("/api/v1/profile/publications").json()
    assert listing["count"] == 4 and {item["kind"] for item in listing["items"]} >= {"patent", "book"}


def test_api_refuses_a_bad_file_with_a_translated_400(as_user, outsider):
    response = as_user(outsider).post(
        "/api/v1/profile/publications/import", {"file": _upload("x.csv", b"name,email\na,b\n")}
    )
    assert response.status_code == 400 and response.json() == {"detail": "这不是 BibTeX、RIS 或 CSV 文件。"}


def test_api_job_of_someone_else_is_404(as_user, outsider):
    job = services.import_publications(actor=outsider, user=outsider, file=_upload("publications.ris"))
    assert as_user(UserFactory()).get(f"/api/v1/publication-imports/{job.public_id}").status_code == 404
