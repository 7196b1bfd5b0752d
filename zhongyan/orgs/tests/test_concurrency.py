"""Two administrators approve the same join request at the same moment. Row locks only exist on
a real server database, so this runs on PostgreSQL (CI's second pass); on SQLite the
sequential version in test_services covers the same rule."""

import threading
from typing import Any

import pytest
from django.db import connection, connections

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.errors import DomainError
from zhongyan.orgs import services
from zhongyan.orgs.models import JoinRequest, Membership
from zhongyan.orgs.tests.factories import JoinRequestFactory, MembershipFactory, OrganisationFactory


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_administrators_approving_at_once_create_one_membership() -> None:
    org = OrganisationFactory()
    admins = [MembershipFactory(organisation=org, role=Membership.Role.ADMIN).user for _ in range(2)]
    requester = UserFactory()
    join_request = JoinRequestFactory(organisation=org, user=requester)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(admin: Any) -> None:
        stale = JoinRequest.objects.get(pk=join_request.pk)
        barrier.wait()
        try:
            services.approve_join_request(actor=admin, join_request=stale)
            outcomes.append("approved")
        except DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(admin,)) for admin in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert Membership.objects.filter(organisation=org, user=requester).count() == 1
