"""Personas × actions for organisations: each cell asserts the permission function *and* what
the page answers. 200/302 = allowed, 403 = visible but not allowed, 404 = hidden, "login" =
redirected to sign in."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from zhongyan.orgs import permissions as perms
from zhongyan.orgs.models import Invitation, JoinRequest, Membership, Organisation

PERSONAS = ("operator", "owner", "org_admin", "member", "outsider", "anonymous")

# action: {persona: (permission, HTTP answer)}
TABLE: dict[str, dict[str, tuple[bool, int | str]]] = {
    "view_verified_org": {
        "operator": (True, 200), "owner": (True, 200), "org_admin": (True, 200),
        "member": (True, 200), "outsider": (True, 200), "anonymous": (False, "login"),
    },
    "view_pending_org": {
        "operator": (True, 200), "owner": (True, 200), "org_admin": (True, 200),
        "member": (True, 200), "outsider": (False, 404), "anonymous": (False, "login"),
    },
    "edit": {
        "operator": (True, 200), "owner": (True, 200), "org_admin": (True, 200),
        "member": (False, 403), "outsider": (False, 403), "anonymous": (False, "login"),
    },
    "invite": {
        "operator": (True, 302), "owner": (True, 302), "org_admin": (True, 302),
        "member": (False, 403), "outsider": (False, 403), "anonymous": (False, "login"),
    },
    "change_role": {
        "operator": (True, 302), "owner": (True, 302), "org_admin": (True, 302),
        "member": (False, 403), "outsider": (False, 403), "anonymous": (False, "login"),
    },
    "remove_member": {
        "operator": (True, 302), "owner": (True, 302), "org_admin": (True, 302),
        "member": (False, 403), "outsider": (False, 403), "anonymous": (False, "login"),
    },
    "verify": {
        "operator": (True, 302), "owner": (False, 403), "org_admin": (False, 403),
        "member": (False, 403), "outsider": (False, 404), "anonymous": (False, "login"),
    },
    "request_to_join": {
        "operator": (True, 302), "owner": (False, 403), "org_admin": (False, 403),
        "member": (False, 403), "outsider": (True, 302), "anonymous": (False, "login"),
    },
}  # fmt: skip


def _detail(org: Organisation) -> str:
    return reverse("orgs:detail", args=[org.public_id])


def view_verified_org(user: Any, client: Client, org: Organisation, target: Membership) -> tuple[bool, Any]:
    return perms.can_view_organisation(user, org), client.get(_detail(org))


def view_pending_org(user: Any, client: Client, org: Organisation, target: Membership) -> tuple[bool, Any]:
    Organisation.objects.filter(pk=org.pk).update(verification=Organisation.Verification.PENDING)
    org.refresh_from_db()
    return perms.can_view_organisation(user, org), client.get(_detail(org))


def edit(user: Any, client: Client, org: Organisation, target: Membership) -> tuple[bool, Any]:
    return perms.can_edit_organisation(user, org), client.get(reverse("orgs:edit", args=[org.public_id]))


def invite(user: Any, client: Client, org: Organisation, target: Membership) -> tuple[bool, Any]:
    response = client.post(
        reverse("orgs:invite", args=[org.public_id]), {"email": "new.person@example.com", "role": "member"}
    )
    allowed = perms.can_invite(user, org)
    assert Invitation.objects.filter(organisation=org, email="new.person@example.com").exists() == allowed
    return allowed, response


def change_role(user: Any, client: Client, org: Organisation, target: Membership) -> tuple[bool, Any]:
    allowed = perms.can_change_role(user, target, Membership.Role.ADMIN)
    prefix = target.user.public_id
    response = client.post(
        reverse("orgs:member_role", args=[org.public_id, prefix]), {f"{prefix}-role": Membership.Role.ADMIN}
    )
    target.refresh_from_db()
    assert (target.role == Membership.Role.ADMIN) == allowed
    return allowed, response


def remove_member(user: Any, client: Client, org: Organisation, target: Membership) -> tuple[bool, Any]:
    allowed = perms.can_remove_member(user, target)
    response = client.post(reverse("orgs:member_remove", args=[org.public_id, target.user.public_id]))
    assert Membership.objects.filter(pk=target.pk).exists() != allowed
    return allowed, response


def verify(user: Any, client: Client, org: Organisation, target: Membership) -> tuple[bool, Any]:
    Organisation.objects.filter(pk=org.pk).update(verification=Organisation.Verification.PENDING)
    org.refresh_from_db()
    allowed = perms.can_verify_organisation(user, org)
    response = client.post(reverse("orgs:verify", args=[org.public_id]), {"note": ""})
    org.refresh_from_db()
    assert org.is_verified == allowed
    return allowed, response


def request_to_join(user: Any, client: Client, org: Organisation, target: Membership) -> tuple[bool, Any]:
    allowed = perms.can_request_to_join(user, org)
    response = client.post(reverse("orgs:join", args=[org.public_id]), {"message": "我们想合作"})
    assert JoinRequest.objects.filter(organisation=org).exists() == allowed
    return allowed, response


ACTIONS: dict[str, Callable[..., tuple[bool, Any]]] = {
    "view_verified_org": view_verified_org,
    "view_pending_org": view_pending_org,
    "edit": edit,
    "invite": invite,
    "change_role": change_role,
    "remove_member": remove_member,
    "verify": verify,
    "request_to_join": request_to_join,
}

CASES = [(action, persona) for action in TABLE for persona in PERSONAS]


@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_persona_may_or_may_not_act_on_organisation(
    action: str,
    persona: str,
    personas: dict[str, Any],
    owner_org: Organisation,
    colleague: Membership,
    as_user: Callable[[Any], Client],
) -> None:
    user = personas[persona]
    expected_permission, expected_answer = TABLE[action][persona]
    allowed, response = ACTIONS[action](user or AnonymousUser(), as_user(user), owner_org, colleague)
    assert allowed is expected_permission
    if expected_answer == "login":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected_answer
        if expected_answer == 302:
            assert reverse("account_login") not in response["Location"]


def test_table_covers_every_persona_for_every_action() -> None:
    assert all(set(row) == set(PERSONAS) for row in TABLE.values())
    assert set(TABLE) == set(ACTIONS)
