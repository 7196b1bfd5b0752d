from typing import Any

import pytest

from zhongyan.accounts.models import User
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands.models import Demand
from zhongyan.notifications import services
from zhongyan.notifications.models import EmailFrequency, Kind, Notification, Preference
from zhongyan.notifications.services import Choice
from zhongyan.notifications.tests.conftest import make_demand, speaks

pytestmark = pytest.mark.django_db


def _context(demand: Demand) -> dict[str, Any]:
    return {"demand": dict(demand.title)}


def _notify(
    users: list[User], demand: Demand, *, kind: str = Kind.PROPOSAL_RECEIVED, actor: User | None = None
) -> list:
    return services.notify(
        recipients=users, kind=kind, context=_context(demand), url="/notifications/", actor=actor, demand=demand
    )


def _choose(user: User, kind: str, **choice: Any) -> None:
    Preference.objects.create(user=user, kind=kind, **choice)


def test_defaults_put_a_row_in_the_inbox_and_send_an_email(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _notify([owner], public_demand)
    row = Notification.objects.get(recipient=owner)
    assert row.in_inbox and row.kind == Kind.PROPOSAL_RECEIVED
    assert row.email_state == Notification.EmailState.SENT and row.emailed_at is not None
    assert [m.to for m in mailoutbox] == [[owner.email]]


def test_in_app_only_preference_sends_no_email(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(owner, Kind.PROPOSAL_RECEIVED, in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([owner], public_demand)
    row = Notification.objects.get(recipient=owner)
    assert row.in_inbox and row.email_state == Notification.EmailState.NONE
    assert mailoutbox == []


def test_email_only_preference_keeps_the_inbox_empty(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(owner, Kind.PROPOSAL_RECEIVED, in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([owner], public_demand)
    assert not Notification.objects.inbox_of(owner).exists()
    assert len(mailoutbox) == 1


def test_no_channel_chosen_means_nothing_at_all(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(owner, Kind.PROPOSAL_RECEIVED, in_app=False, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify([owner], public_demand) == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_digest_frequency_queues_the_email_instead_of_sending_it(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(owner, Kind.PROPOSAL_RECEIVED, in_app=True, email=True, email_frequency=EmailFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([owner], public_demand)
    assert Notification.objects.get(recipient=owner).email_state == Notification.EmailState.DIGEST
    assert mailoutbox == []


def test_email_goes_out_only_after_the_transaction_commits(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify([owner], public_demand)
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_chinese_reader_gets_a_chinese_email(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    speaks(owner, "zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([owner], public_demand)
    (mail,) = mailoutbox
    assert mail.subject == "[众研] 「先进高强汽车板氢脆」收到新的方案"
    assert "先进高强汽车板氢脆" in mail.body and "/en/" not in mail.body
    assert mail.alternatives[0][0].startswith("<!doctype html>")


def test_english_reader_gets_an_english_email_with_english_links(
    owner: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    speaks(owner, "en")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([owner], public_demand)
    (mail,) = mailoutbox
    assert mail.subject == "[Zhongyan] New proposal for “Hydrogen embrittlement of AHSS sheet”"
    assert "/en/notifications/" in mail.body


def test_the_actor_is_not_told_of_their_own_action(owner: User, public_demand: Demand) -> None:
    assert _notify([owner], public_demand, actor=owner) == []


def test_inactive_people_are_not_notified(owner: User, public_demand: Demand) -> None:
    owner.is_active = False
    owner.save()
    assert _notify([owner], public_demand) == []


def test_recipients_who_cannot_see_the_demand_are_skipped(
    outsider: User, teammate: User, owner_org: Any, owner: User
) -> None:
    internal = make_demand(owner_org, owner, published=True, internal=True)
    created = _notify([outsider, teammate], internal)
    assert [row.recipient for row in created] == [teammate]


def test_context_refuses_anything_but_titles_and_names(owner: User, public_demand: Demand) -> None:
    with pytest.raises(ValueError, match="background"):
        services.notify(
            recipients=[owner],
            kind=Kind.PROPOSAL_RECEIVED,
            url="",
            context={"demand": dict(public_demand.title), "background": dict(public_demand.background)},
        )


def test_an_unknown_kind_is_refused(owner: User) -> None:
    with pytest.raises(DomainError):
        services.notify(recipients=[owner], kind="party", context={}, url="")


def test_one_cannot_mark_another_persons_notification_read(owner: User, solver: User, public_demand: Demand) -> None:
    (row,) = _notify([owner], public_demand)
    with pytest.raises(NotPermitted):
        services.mark_read(actor=solver, notification=row)
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read_touches_only_my_unread_rows(owner: User, teammate: User, public_demand: Demand) -> None:
    _notify([owner, teammate], public_demand)
    _notify([owner], public_demand, kind=Kind.QUESTION_ASKED)
    assert services.mark_all_read(actor=owner) == 2
    assert not Notification.objects.inbox_of(owner).unread().exists()
    assert Notification.objects.inbox_of(teammate).unread().count() == 1


def test_updating_preferences_saves_them_and_is_audited(owner: User) -> None:
    services.update_preferences(
        actor=owner,
        user=owner,
        language="en",
        choices={Kind.QUESTION_ASKED: Choice(in_app=False, email=True, email_frequency=EmailFrequency.WEEKLY)},
    )
    assert services.language_of(owner) == "en"
    assert services.preferences_of(owner)[Kind.QUESTION_ASKED] == Choice(False, True, EmailFrequency.WEEKLY)
    assert services.preferences_of(owner)[Kind.NDA_ACCEPTED] == services.default_choice(Kind.NDA_ACCEPTED)
    assert AuditEntry.objects.filter(verb="notifications.preferences_updated", actor=owner).count() == 1


def test_nobody_changes_another_persons_preferences(owner: User, solver: User) -> None:
    with pytest.raises(NotPermitted):
        services.update_preferences(actor=solver, user=owner, choices={}, language="en")
    assert services.language_of(owner) == "zh-hans"
