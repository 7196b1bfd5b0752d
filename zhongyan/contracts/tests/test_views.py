"""The pages around the contract: forms keep what was typed, uploads are checked, lists are scoped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongyan.contracts.models import Contract
from zhongyan.core.audit_models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_non_pdf_upload_is_refused_with_a_translated_message(app_settings, as_user) -> None:
    upload = SimpleUploadedFile("contract.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = as_user(None).post("/contracts/verify/", {"pdf": upload})
    assert response.status_code == 422
    assert "该文件不是 PDF" in response.content.decode()


def test_an_oversized_upload_is_refused_with_a_translated_message(app_settings, as_user) -> None:
    app_settings.CONTRACT_UPLOAD_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    response = as_user(None).post("/en/contracts/verify/", {"pdf": upload})
    assert response.status_code == 422
    assert "The file is too large: at most 1 MB." in response.content.decode()


def test_the_api_refuses_a_non_pdf_upload(app_settings, as_user) -> None:
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = as_user(None).post("/api/v1/contracts/verify", {"pdf": upload})
    assert response.status_code == 400
    assert response.json()["detail"] == "该文件不是 PDF。"


def test_an_unknown_number_is_answered_without_revealing_drafts(draft, as_user) -> None:
    response = as_user(None).post("/contracts/verify/", {"number": draft.number})
    assert response.status_code == 422
    assert "没有该编号的已锁定或已签署合同" in response.content.decode()


def test_a_bad_change_keeps_what_was_typed(draft, solver, as_user) -> None:
    data = {"base_version": "1", "title_zh_hans": "新标题", "scope_zh_hans": "范围", "price_zh_hans": "一百万"}
    data["deliverables"] = "只有一列"
    response = as_user(solver).post(f"/contracts/{draft.public_id}/change/", data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "只有一列" in body and "新标题" in body and "第 1 行需要用 | 分隔的 3 列" in body
    assert Contract.objects.get(pk=draft.pk).version == 1


def test_viewing_a_contract_is_audited_and_my_contracts_lists_it(draft, teammate, outsider, as_user) -> None:
    assert as_user(teammate).get(f"/contracts/{draft.public_id}/").status_code == 200
    assert AuditEntry.objects.filter(verb="contract.viewed", actor=teammate, target_id=draft.public_id).exists()
    assert draft.number in as_user(teammate).get("/contracts/").content.decode()
    assert draft.number not in as_user(outsider).get("/contracts/").content.decode()
