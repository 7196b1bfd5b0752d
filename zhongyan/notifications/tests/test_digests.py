from typing import Any

import pytest
from django.core.management import call_command

from zhongyan.accounts.models import User
from zhongyan.demands.models import Demand
from zhongyan.notifications import services
from zhongyan.notifications.digests import send_digests
from zhongyan.notifications.models import EmailFrequency, Kind, Notification, Preference
from zhongyan.notifications.tests.conftest import speaks

pytestmark = pytest.mark.django_db


def _notify(user: User, demand: Demand, kind: str) -> None:
    services.notify(recipients=[user], kind=kind, context={"demand": dict(demand.title)}, url="/dashboard/")


def test_daily_digest_collects_waiting_notices_into_one_email(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    speaks(owner, "en")
    for kind in (Kind.PROPOSAL_RECEIVED, Kind.QUESTION_ASKED):
        Preference.objects.create(user=owner, kind=kind, email_frequency=EmailFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(owner, public_demand, Kind.PROPOSAL_RECEIVED)
        _notify(owner, public_demand, Kind.QUESTION_ASKED)
    assert mailoutbox == []
    assert send_digests(frequency=EmailFrequency.DAILY) == 1
    (mail,) = mailoutbox
    assert mail.subject == "[Zhongyan] 2 new notifications"
    assert "New proposal for “Hydrogen embrittlement of AHSS sheet”" in mail.body
    assert not Notification.objects.filter(email_state=Notification.EmailState.DIGEST).exists()
    assert send_digests(frequency=EmailFrequency.DAILY) == 0


def test_weekly_rows_wait_for_the_weekly_run(owner: User, public_demand: Demand, mailoutbox: list) -> None:
    Preference.objects.create(user=owner, kind=Kind.QUESTION_ASKED, email_frequency=EmailFrequency.WEEKLY)
    _notify(owner, public_demand, Kind.QUESTION_ASKED)
    call_command("send_notification_digests", "daily", stdout=None)
    assert mailoutbox == []
    call_command("send_notification_digests", "weekly", stdout=None)
    assert len(mailoutbox) == 1 and "众研" in mailoutbox[0].subject
