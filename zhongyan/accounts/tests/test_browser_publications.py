"""An expert on a phone uploads a large publication file and watches the import progress."""

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhongyan.accounts import importer
from zhongyan.accounts.models import PublicationImport
from zhongyan.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECORDS = 5000


def _file() -> bytes:
    rows = ["题名,作者,年份,来源,摘要"]
    rows += [f"热轧带钢板形控制研究（第{n}篇）,作者{n},{2000 + n % 25},钢铁,轧辊磨损与板形。" for n in range(RECORDS)]
    rows += [",无题作者,2020,,", "热轧带钢板形控制研究（第1篇）,重复,2001,,"]  # an error and a duplicate
    return ("\n".join(rows) + "\n").encode("gb18030")


def _shot(page: Any, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("ZHONGYAN_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def _wait_for_text(page: Any, selector: str, text: str) -> None:
    for _attempt in range(200):
        if text in page.locator(selector).inner_text():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{text!r} never appeared in {selector}: {page.locator(selector).inner_text()!r}")


def test_expert_on_a_phone_sees_the_import_progress_then_the_result(
    page: Any, settings: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory(email="importer@example.com")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/dashboard/")

    page.goto("/profile/publications/")
    page.set_input_files("#id_file", {"name": "知网导出.csv", "mimeType": "text/csv", "buffer": _file()})
    page.click("main form button[type=submit]")
    page.wait_for_url("**/profile/publications/imports/**")
    _wait_for_text(page, "#import-progress", "等待开始")

    save = importer._save_progress
    seen_half_way: list[bool] = []

    def save_and_look(job: PublicationImport, **values: Any) -> None:
        save(job, **values)
        if values.get("done") == RECORDS // 2:  # the worker is half-way: the page must show it
            _wait_for_text(page, "#import-progress", f"第 {RECORDS // 2} 条，共 {RECORDS} 条")
            assert page.locator("progress").get_attribute("value") == "50"
            _shot(page, tmp_path, "publication-import-progress.png")
            seen_half_way.append(True)

    monkeypatch.setattr(importer, "_save_progress", save_and_look)
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    assert seen_half_way == [True]
    job = PublicationImport.objects.get()
    assert job.status == PublicationImport.Status.DONE, (job.status, job.errors)

    _wait_for_text(page, "#import-progress", "已完成。")
    assert page.locator("[data-imported]").inner_text() == str(RECORDS)
    assert page.locator("[data-duplicates]").inner_text() == "1"
    assert "第 5002 行：这条记录没有标题。" in page.locator("#import-progress").inner_text()
    assert page.locator("progress").get_attribute("value") == "100"
    _shot(page, tmp_path, "publication-import-result.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
