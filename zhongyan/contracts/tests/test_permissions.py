"""Personas × actions on one contract, through the pages (and the permission functions behind them).

ok: the action is offered and works; forbidden: 403 (sees the contract, may not do this);
hidden: 404 (not a party: the contract does not exist for them); login: anonymous is sent to sign in.
"""

from typing import Any

import pytest
from django.test import Client

from zhongyan.contracts import permissions
from zhongyan.contracts.forms import rows_to_text
from zhongyan.contracts.models import LIST_FIELDS, Contract
from zhongyan.proposals.tests.factories import ReviewAssignmentFactory

pytestmark = pytest.mark.django_db

PERSONAS = ("owner", "teammate", "solver", "solver_admin", "reviewer", "outsider", "anonymous", "operator")
EXPECTED = {
    #               owner  teammate    solver      solver_admin reviewer  outsider  anonymous operator
    "view": ("ok", "ok", "ok", "ok", "hidden", "hidden", "login", "ok"),
    "propose": ("ok", "forbidden", "ok", "ok", "hidden", "hidden", "login", "forbidden"),
    "lock": ("ok", "forbidden", "forbidden", "forbidden", "hidden", "hidden", "login", "forbidden"),
    "sign": ("ok", "forbidden", "forbidden", "ok", "hidden", "hidden", "login", "forbidden"),
    "download": ("ok", "ok", "ok", "ok", "hidden", "hidden", "login", "ok"),
    "verify": ("ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok"),
}
CASES = [(action, persona, EXPECTED[action][i]) for action in EXPECTED for i, persona in enumerate(PERSONAS)]


def _outcome(response: Any) -> str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return {200: "ok", 302: "ok", 403: "forbidden", 404: "hidden"}.get(response.status_code, str(response.status_code))


def _change_form(contract: Contract) -> dict[str, str]:
    data: dict[str, str] = {"base_version": str(contract.version), "note": "期限调整"}
    for name, value in contract.fields.items():
        if name in LIST_FIELDS:
            data[name] = rows_to_text(name, value)
        else:
            for code, text in value.items():
                data[f"{name}_{code.replace('-', '_')}"] = text
    data["term_zh_hans"] = "本合同自签署之日起生效，有效期两年。"
    return data


def _make_locked(contract: Contract, pdf: bytes) -> Contract:
    """The signing state without rendering: the engine's sample PDF has both signature fields."""
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.LOCKED, signing_order=Contract.SigningOrder.ANY, pdf=pdf, pdf_sha256="0" * 64
    )
    return Contract.objects.get(pk=contract.pk)


@pytest.mark.parametrize(("action", "persona", "expected"), CASES)
def test_persona_action_table(
    action: str, persona: str, expected: str, request: Any, draft: Contract, contract: Any
) -> None:
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if persona == "reviewer":  # a cleared reviewer of the very demand, not a stranger
        ReviewAssignmentFactory(demand=draft.demand, reviewer=user, cleared=True)
    client = Client()
    if user is not None:
        client.force_login(user)
    base = f"/contracts/{draft.public_id}"
    if action in ("sign", "download", "verify"):
        draft = _make_locked(draft, contract.pdf)
    if action == "view":
        response = client.get(f"{base}/")
    elif action == "propose":
        response = client.post(f"{base}/change/", _change_form(draft))
    elif action == "lock":
        response = client.post(f"{base}/lock/", {"signing_order": "sequential", "confirm": "on"})
    elif action == "sign":
        response = client.get(f"{base}/sign/")
    elif action == "download":
        response = client.get(f"{base}/contract.pdf")
    else:
        response = client.post("/contracts/verify/", {"number": draft.number})
    assert _outcome(response) == expected, response.content[:500]

    draft.refresh_from_db()
    if action == "propose":
        assert (draft.version == 2) == (expected == "ok")
    if action == "lock":
        assert (draft.status == Contract.Status.LOCKED) == (expected == "ok")
    if action == "download" and expected == "ok":
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    if user is not None:
        visible = Contract.objects.visible_to(user).filter(pk=draft.pk).exists()
        assert (
            visible == permissions.can_view_contract(user, draft) == (EXPECTED["view"][PERSONAS.index(persona)] == "ok")
        )


def test_the_api_lists_a_contract_to_its_parties_and_hides_it_from_others(draft, solver, outsider, as_user) -> None:
    listed = as_user(solver).get("/api/v1/contracts/").json()
    assert [item["number"] for item in listed] == [draft.number]
    assert as_user(outsider).get(f"/api/v1/contracts/{draft.public_id}").status_code == 404
    assert as_user(outsider).get("/api/v1/contracts/").json() == []
