from typing import Any

from django.core import mail
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.core.audit_models import AuditEntry
from zhongyan.orgs.models import Organisation
from zhongyan.orgs.tests.factories import OrganisationFactory


def _changelist() -> str:
    return reverse("admin:orgs_organisation_changelist")


def test_admin_verify_action_goes_through_the_service(
    operator: User, owner: User, as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    operator.is_superuser = True
    operator.save()
    org = OrganisationFactory(pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(operator).post(_changelist(), {"action": "verify", "_selected_action": [org.pk]})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.is_verified
    assert AuditEntry.objects.filter(verb="org.verified", target_id=org.public_id, actor=operator).exists()


def test_admin_reject_action_asks_for_a_note_then_rejects(operator: User, as_user: Any) -> None:
    operator.is_superuser = True
    operator.save()
    org = OrganisationFactory(pending=True)
    client = as_user(operator)
    form = client.post(_changelist(), {"action": "reject", "_selected_action": [org.pk]})
    assert form.status_code == 200 and b'name="note"' in form.content
    org.refresh_from_db()
    assert org.verification == Organisation.Verification.PENDING
    done = client.post(
        _changelist(), {"action": "reject", "_selected_action": [org.pk], "apply": "1", "note": "资料不全"}
    )
    assert done.status_code == 302
    org.refresh_from_db()
    assert org.verification == Organisation.Verification.REJECTED and org.verification_note == "资料不全"


def test_admin_change_form_saves_through_the_service(operator: User, owner_org: Organisation, as_user: Any) -> None:
    operator.is_superuser = True
    operator.save()
    client = as_user(operator)
    url = reverse("admin:orgs_organisation_change", args=[owner_org.pk])
    assert client.get(url).status_code == 200
    assert client.get(_changelist(), {"q": "冷轧"}).status_code == 200
    assert mail.outbox == []
