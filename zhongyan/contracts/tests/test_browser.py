"""In real Chromium: the owner locks and signs, the solver signs, the verification page shows the
contract valid with both signers; the signed PDF's pages are rendered to PNG for a person to look at."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.core import mail

from zhongyan.accounts.tests.factories import PASSWORD
from zhongyan.contracts import authority, services
from zhongyan.contracts.models import Contract
from zhongyan.contracts.signing import verify_pdf
from zhongyan.contracts.tests.conftest import make_award

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def _sign(page: Any, contract: Contract, email: str) -> None:
    page.goto(f"/contracts/{contract.public_id}/")
    page.click("#sign-button")
    mail.outbox.clear()
    page.click("#send-code")
    page.wait_for_selector(".alert-success")
    code = re.search(r"^\s+(\d{6})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    assert mail.outbox[-1].to == [email]
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", code)
    page.check("input[name=confirm]")
    page.click("#sign-confirm")
    page.wait_for_selector(".alert-success, .alert-danger")
    assert page.locator(".alert-danger").count() == 0, page.locator("main").inner_text()


def test_owner_and_solver_sign_in_turn_and_anyone_sees_it_valid(
    page: Any, app_settings: Any, owner: Any, owner_org: Any, solver: Any, tmp_path: Path
) -> None:
    for user, zh, en in ((owner, "张伟", "Zhang Wei"), (solver, "欧阳堃", "Ouyang Kun")):
        user.display_name = {"zh-hans": zh, "en": en}
        user.save(update_fields=["display_name"])
    contract = services.create_contract_for_award(actor=owner, proposal=make_award(owner, owner_org, solver, None))

    _sign_in(page, owner.email)
    page.goto(f"/contracts/{contract.public_id}/")
    page.click("#lock-button")
    page.check("input[name=confirm]")
    page.click("#lock-confirm")
    page.wait_for_selector("#sign-button")
    _sign(page, contract, owner.email)
    assert page.locator("[data-party=party_a] [data-signed=yes]").count() == 1

    _sign_in(page, solver.email)
    _sign(page, contract, solver.email)
    assert page.locator("[data-status=in_force]").count() == 1

    page.context.clear_cookies()
    page.goto(f"/contracts/verify/{contract.number}/")
    result = page.locator("#verify-result")
    assert result.get_attribute("data-verdict") == "valid"
    assert page.locator("[data-signature][data-ok=yes]").count() == 2
    body = page.locator("main").inner_text()
    assert "张伟" in body and "欧阳堃" in body

    contract.refresh_from_db()
    assert contract.status == Contract.Status.IN_FORCE
    # pyHanko runs its own event loop, and Playwright's is running in this thread: verify in another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(verify_pdf, bytes(contract.pdf), authority.trust_roots()).result().complete
    document = pdfium.PdfDocument(bytes(contract.pdf))
    document.init_forms()  # draw the signature stamps (form widgets) too
    for index in range(len(document)):
        document[index].render(scale=1.5, may_draw_forms=True).to_pil().save(
            tmp_path / f"contract-page-{index + 1}.png"
        )
    assert (tmp_path / "contract-page-1.png").stat().st_size > 10_000
