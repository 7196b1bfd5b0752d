"""A contract in force cannot be changed: not through the service, the page, the API, the admin,
nor by an UPDATE in the database."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from zhongyan.accounts.tests.factories import PASSWORD
from zhongyan.contracts import services
from zhongyan.contracts.models import Contract, ContractParty, ContractVersion

pytestmark = pytest.mark.django_db


def test_a_signed_contract_cannot_be_edited_through_service_view_api_or_admin(
    in_force, owner, solver_admin, operator, as_user
) -> None:
    before = (bytes(in_force.pdf), in_force.fields, in_force.version, in_force.status)
    changed = dict(in_force.fields, price={"zh-hans": "人民币 1 元"})

    for attempt in (
        lambda: services.propose_change(actor=owner, contract=in_force, fields=changed, base_version=in_force.version),
        lambda: services.lock_contract(actor=owner, contract=in_force),
        lambda: services.reopen_contract(actor=owner, contract=in_force),
        lambda: services.sign_contract(actor=solver_admin, contract=in_force, password=PASSWORD, code="000000"),
    ):
        with pytest.raises(services.ContractInForce):
            attempt()

    page = as_user(owner).post(
        f"/contracts/{in_force.public_id}/change/", {"base_version": in_force.version, "price_zh_hans": "1"}
    )
    assert page.status_code == 403
    assert as_user(owner).post(f"/contracts/{in_force.public_id}/lock/", {"confirm": "on"}).status_code == 403
    api = as_user(owner).post(
        f"/api/v1/contracts/{in_force.public_id}/changes",
        {"fields": changed, "base_version": in_force.version},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["detail"] == "本合同已生效，不能再修改。"
    admin = as_user(operator).post(
        f"/admin/contracts/contract/{Contract.objects.get().pk}/change/", {"status": "draft"}
    )
    assert admin.status_code == 403

    in_force.refresh_from_db()
    assert (bytes(in_force.pdf), in_force.fields, in_force.version, in_force.status) == before


def test_the_database_refuses_any_update_of_a_contract_in_force(in_force) -> None:
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Contract.objects.filter(pk=in_force.pk).update(pdf=b"%PDF-1.7 forged")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        ContractParty.objects.filter(contract=in_force).update(ip_address="1.1.1.1")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE contracts_contract SET status = 'draft' WHERE id = %s", [in_force.pk])
    assert Contract.objects.get(pk=in_force.pk).status == Contract.Status.IN_FORCE


def test_versions_are_append_only_in_the_database(draft) -> None:
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        ContractVersion.objects.filter(contract=draft).update(note="rewritten history")
