import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhongyan.proposals import services
from zhongyan.proposals.models import Proposal
from zhongyan.proposals.receipts import content_hash, proposal_content, verify_receipt
from zhongyan.proposals.tests.helpers import content

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(nda_solver, demand) -> Proposal:
    draft = services.save_draft(actor=nda_solver, demand=demand, content=content())
    services.add_attachment(
        actor=nda_solver, proposal=draft, upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7 detection plan")
    )
    return services.submit_proposal(actor=nda_solver, demand=demand)


def test_receipt_hash_is_stable_across_reads(submitted):
    receipt = submitted.receipt
    fresh = Proposal.objects.get(pk=submitted.pk)
    assert content_hash(proposal_content(fresh)) == receipt.sha256
    assert content_hash(proposal_content(fresh)) == content_hash(proposal_content(fresh))


def test_receipt_hash_covers_the_attachment_bytes(submitted):
    document = proposal_content(submitted)
    assert document["attachments"][0]["name"] == "plan.pdf"
    assert len(document["attachments"][0]["sha256"]) == 64


def test_untouched_receipt_verifies(submitted):
    result = verify_receipt(submitted.receipt.number.lower(), submitted.receipt.sha256.upper())
    assert result.matches and not result.tampered


def test_tampered_proposal_row_is_detected(submitted):
    Proposal.objects.filter(pk=submitted.pk).update(budget=1)
    result = verify_receipt(submitted.receipt.number, submitted.receipt.sha256)
    assert not result.matches and result.tampered


def test_replaced_attachment_file_is_detected(submitted):
    attachment = submitted.attachments.get()
    storage, name = attachment.file.storage, attachment.file.name
    storage.delete(name)
    storage.save(name, ContentFile(b"%PDF-1.7 a different plan"))
    result = verify_receipt(submitted.receipt.number, submitted.receipt.sha256)
    assert result.tampered


def test_wrong_hash_and_unknown_number_give_the_same_answer(submitted):
    wrong = verify_receipt(submitted.receipt.number, "0" * 64)
    unknown = verify_receipt("ZY-2000-999999", submitted.receipt.sha256)
    assert wrong == unknown
    assert not wrong.matches and not wrong.tampered and wrong.receipt is None


def test_solver_downloads_the_receipt_as_json(submitted, as_user, nda_solver):
    response = as_user(nda_solver).get(reverse("proposals:receipt_download", args=[submitted.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'{submitted.receipt.number}.json"')
    document = json.loads(response.content)
    assert document["sha256"] == submitted.receipt.sha256
    assert content_hash(document["content"]) == document["sha256"]


def test_outsider_cannot_download_the_receipt(submitted, as_user, outsider):
    response = as_user(outsider).get(reverse("proposals:receipt_download", args=[submitted.public_id]))
    assert response.status_code == 404


def test_anyone_verifies_a_receipt_without_signing_in(submitted, as_user):
    response = as_user(None).post(
        reverse("proposals:verify"), {"number": submitted.receipt.number, "sha256": submitted.receipt.sha256}
    )
    assert response.status_code == 200
    assert b'data-result="match"' in response.content
    assert "在线检测方案".encode() not in response.content
    assert submitted.demand.title["zh-hans"].encode() not in response.content


def test_verification_page_accepts_the_downloaded_receipt_file(submitted, as_user, nda_solver):
    body = as_user(nda_solver).get(reverse("proposals:receipt_download", args=[submitted.public_id])).content
    upload = SimpleUploadedFile("receipt.json", body, content_type="application/json")
    response = as_user(None).post(reverse("proposals:verify"), {"receipt_file": upload})
    assert b'data-result="match"' in response.content


def test_verification_page_reports_tampering(submitted, as_user):
    Proposal.objects.filter(pk=submitted.pk).update(approach={"en": "something else"})
    response = as_user(None).post(
        "/en" + reverse("proposals:verify"), {"number": submitted.receipt.number, "sha256": submitted.receipt.sha256}
    )
    assert b'data-result="tampered"' in response.content


def test_verification_page_refuses_a_file_that_is_not_a_receipt(as_user):
    upload = SimpleUploadedFile("x.json", b"{}", content_type="application/json")
    response = as_user(None).post(reverse("proposals:verify"), {"receipt_file": upload})
    assert response.status_code == 422
    assert "不是众研的方案回执".encode() in response.content


def test_verification_page_asks_for_both_number_and_hash_in_english(as_user):
    response = as_user(None).post("/en" + reverse("proposals:verify"), {"number": "ZY-2026-000001"})
    assert response.status_code == 422
    assert b"Enter the receipt number and its hash" in response.content
    assert b'value="ZY-2026-000001"' in response.content
