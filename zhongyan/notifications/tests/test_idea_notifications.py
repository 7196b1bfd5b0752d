"""Idea-campaign news in the inbox and the digests: who hears what, urgent mentions at once,
everything else in the daily or weekly digest filed under its campaign, and anonymity kept."""

import datetime
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.ideas import services as ideas
from zhongyan.ideas import signals as idea_signals
from zhongyan.ideas.models import Campaign, Idea
from zhongyan.ideas.tests.factories import make_campaign, make_idea
from zhongyan.notifications import services
from zhongyan.notifications.digests import due_frequencies, send_digests, send_due_digests
from zhongyan.notifications.models import EmailFrequency, Kind, Notification, Preference
from zhongyan.notifications.tests.conftest import speaks
from zhongyan.orgs.models import Organisation

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def moderator(db: None) -> User:
    return UserFactory(email="moderator@example.com")


@pytest.fixture
def campaign(operator: User, moderator: User) -> Campaign:
    return make_campaign(operator, moderators=[moderator])


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a write and what it scheduled after commit (signals, e-mail tasks)."""

    def run(write: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


def _kinds_of(user: User) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _everything_shown_to(user: User, as_user: Any, mailoutbox: list) -> str:
    """Inbox page, API answer and every e-mail the person received, as one text."""
    client = as_user(user)
    parts = [
        client.get(reverse("notifications:inbox")).content.decode(),
        client.get("/en/notifications/").content.decode(),
        client.get("/api/v1/notifications/").content.decode(),
    ]
    parts += [mail.subject + mail.body + str(mail.alternatives) for mail in mailoutbox if user.email in mail.to]
    return "\n".join(parts)


def test_moderators_hear_of_new_ideas_in_their_daily_digest(
    campaign: Campaign, moderator: User, teammate: User, committed: Any, mailoutbox: list
) -> None:
    speaks(moderator, "en")
    idea = committed(lambda: make_idea(campaign, teammate))
    row = Notification.objects.get(recipient=moderator)
    assert row.kind == Kind.IDEA_SUBMITTED and row.email_state == Notification.EmailState.DIGEST
    assert row.url == f"/ideas/i/{idea.public_id}/" and row.group_url == f"/ideas/campaigns/{campaign.public_id}/"
    assert mailoutbox == []
    assert _kinds_of(teammate) == []
    assert send_digests(frequency=EmailFrequency.DAILY) == 1
    (mail,) = mailoutbox
    assert "Idea campaign: Low-carbon metallurgy across fields" in mail.body
    assert f"/en/ideas/campaigns/{campaign.public_id}/" in mail.body
    assert f"/en/ideas/i/{idea.public_id}/" in mail.body
    assert (
        "New idea “Hydrogen-rich injection to cut the coke rate” in “Low-carbon metallurgy across fields”" in mail.body
    )
    html = mail.alternatives[0][0]
    assert (
        f'<a href="http://testserver/en/ideas/campaigns/{campaign.public_id}/">' in html or campaign.public_id in html
    )


def test_followers_hear_of_new_ideas_too(
    campaign: Campaign, moderator: User, teammate: User, solver: User, committed: Any
) -> None:
    ideas.follow_campaign(actor=solver, campaign=campaign)
    ideas.follow_campaign(actor=moderator, campaign=campaign)  # a following moderator is told once
    committed(lambda: make_idea(campaign, teammate))
    assert _kinds_of(solver) == [Kind.IDEA_SUBMITTED]
    assert _kinds_of(moderator) == [Kind.IDEA_SUBMITTED]


def test_digest_groups_notices_by_campaign(
    operator: User, moderator: User, teammate: User, owner: User, committed: Any, mailoutbox: list
) -> None:
    speaks(moderator, "en")
    first = make_campaign(operator, moderators=[moderator])
    second = make_campaign(
        operator, moderators=[moderator], title={"zh-hans": "数字孪生产线", "en": "Digital twin of the line"}
    )
    committed(lambda: make_idea(first, teammate))
    committed(lambda: make_idea(second, owner, title={"zh-hans": "轧机振动监测", "en": "Rolling mill vibration"}))
    committed(lambda: make_idea(first, owner, title={"zh-hans": "余热发电", "en": "Waste heat power"}))
    send_digests(frequency=EmailFrequency.DAILY)
    body = mailoutbox[0].body
    first_heading = body.index("Idea campaign: Low-carbon metallurgy")
    second_heading = body.index("Idea campaign: Digital twin of the line")
    assert first_heading < body.index("Waste heat power") < second_heading < body.index("Rolling mill vibration")


def test_authors_and_co_authors_hear_of_comments_the_person_replied_to_of_the_reply(
    campaign: Campaign, teammate: User, owner: User, solver: User, outsider: User, committed: Any
) -> None:
    idea = make_idea(campaign, teammate, co_authors=[owner])
    first = committed(lambda: ideas.post_comment(actor=solver, idea=idea, body="How much hydrogen?"))
    assert _kinds_of(teammate) == [Kind.IDEA_COMMENTED] and _kinds_of(owner) == [Kind.IDEA_COMMENTED]
    committed(lambda: ideas.post_comment(actor=outsider, idea=idea, body="About 20 %.", parent=first))
    assert _kinds_of(solver) == [Kind.COMMENT_REPLIED]
    assert _kinds_of(teammate) == [Kind.IDEA_COMMENTED, Kind.IDEA_COMMENTED]
    assert _kinds_of(outsider) == []


def test_a_mention_is_emailed_at_once_even_to_a_digest_reader(
    campaign: Campaign, teammate: User, solver: User, owner: User, committed: Any, mailoutbox: list
) -> None:
    speaks(owner, "en")
    Preference.objects.create(user=owner, kind=Kind.IDEA_COMMENTED, email_frequency=EmailFrequency.DAILY)
    idea = make_idea(campaign, teammate)
    committed(lambda: ideas.post_comment(actor=solver, idea=idea, body=f"@{owner.email} what do you think?"))
    row = Notification.objects.get(recipient=owner)
    assert row.kind == Kind.IDEA_MENTIONED and row.email_state == Notification.EmailState.SENT
    (mail,) = [mail for mail in mailoutbox if owner.email in mail.to]
    assert "mentioned you on “Hydrogen-rich injection to cut the coke rate”" in mail.subject
    teammate_row = Notification.objects.get(recipient=teammate)
    assert teammate_row.email_state == Notification.EmailState.DIGEST


def test_a_person_can_make_mentions_wait_for_the_digest(
    campaign: Campaign, teammate: User, solver: User, owner: User, committed: Any, mailoutbox: list
) -> None:
    choice = services.Choice(in_app=True, email=True, email_frequency=EmailFrequency.WEEKLY, urgent=False)
    services.update_preferences(actor=owner, user=owner, choices={Kind.IDEA_MENTIONED: choice})
    idea = make_idea(campaign, teammate)
    committed(lambda: ideas.post_comment(actor=solver, idea=idea, body=f"@{owner.email} see this"))
    assert Notification.objects.get(recipient=owner).email_state == Notification.EmailState.DIGEST
    assert send_digests(frequency=EmailFrequency.DAILY) == 1  # the author's comment notice only
    assert all(owner.email not in mail.to for mail in mailoutbox)
    assert send_digests(frequency=EmailFrequency.WEEKLY) == 1
    assert owner.email in mailoutbox[-1].to


def test_stage_changes_wait_for_the_digest_unless_marked_urgent(
    campaign: Campaign, teammate: User, owner: User, moderator: User, committed: Any, mailoutbox: list
) -> None:
    idea = make_idea(campaign, teammate, co_authors=[owner])
    urgent = services.Choice(in_app=True, email=True, email_frequency=EmailFrequency.DAILY, urgent=True)
    services.update_preferences(actor=owner, user=owner, choices={Kind.IDEA_STAGE_CHANGED: urgent})
    stage = list(campaign.stages.all())[1]
    committed(lambda: ideas.advance_idea(actor=moderator, idea=idea, stage=stage))
    assert [mail.to for mail in mailoutbox] == [[owner.email]]
    author_row = Notification.objects.get(recipient=teammate, kind=Kind.IDEA_STAGE_CHANGED)
    assert author_row.email_state == Notification.EmailState.DIGEST
    assert author_row.context["stage"] == stage.name


def test_promotion_tells_the_authors_once(
    campaign: Campaign, teammate: User, operator: User, owner_org: Organisation, committed: Any
) -> None:
    idea = make_idea(campaign, teammate)
    committed(lambda: ideas.advance_idea(actor=operator, idea=idea, stage=list(campaign.stages.all())[-2]))
    committed(lambda: ideas.promote_idea(actor=operator, idea=idea, organisation=owner_org))
    assert _kinds_of(teammate) == [Kind.IDEA_PROMOTED, Kind.IDEA_STAGE_CHANGED]


def test_hiding_tells_the_authors_without_the_reason(
    campaign: Campaign, teammate: User, moderator: User, committed: Any
) -> None:
    idea = make_idea(campaign, teammate)
    committed(lambda: ideas.hide_idea(actor=moderator, idea=idea, reason="Confidential supplier prices"))
    row = Notification.objects.get(recipient=teammate)
    assert row.kind == Kind.IDEA_HIDDEN and "Confidential" not in json.dumps(row.context)


def test_nobody_who_may_not_see_the_idea_is_told(
    operator: User, teammate: User, owner: User, solver: User, committed: Any
) -> None:
    """A partner replied to in an employees-only campaign (say, after its audience narrowed) hears nothing."""
    campaign = make_campaign(operator, audience=Campaign.Audience.EMPLOYEES)
    idea = make_idea(campaign, teammate)
    comment = ideas.post_comment(actor=owner, idea=idea, body="Narrowed to employees.")
    committed(
        lambda: idea_signals.comment_posted.send(
            sender=Idea,
            comment=comment,
            idea=idea,
            campaign=campaign,
            actor=owner,
            actor_label=owner.name,
            parent_author=solver,
            urgent=False,
        )
    )
    assert _kinds_of(solver) == []
    assert _kinds_of(teammate) == [Kind.IDEA_COMMENTED]


class TestAnonymity:
    """No inbox, API answer, e-mail or digest names an anonymous idea's author to anyone."""

    @pytest.fixture
    def anonymous_idea(self, operator: User, moderator: User, teammate: User, committed: Any) -> Idea:
        for person in (moderator, teammate):
            speaks(person, "en")
        campaign = make_campaign(operator, anonymous=True, moderators=[moderator])
        return committed(lambda: make_idea(campaign, teammate))

    def test_moderators_learn_of_the_idea_but_not_its_author(
        self, anonymous_idea: Idea, moderator: User, teammate: User, as_user: Any, mailoutbox: list
    ) -> None:
        row = Notification.objects.get(recipient=moderator)
        assert row.actor is None
        send_digests(frequency=EmailFrequency.DAILY)
        shown = _everything_shown_to(moderator, as_user, mailoutbox)
        assert "An anonymous contributor" in shown or "匿名参与者" in shown
        assert teammate.name not in shown and teammate.email not in shown

    def test_the_hidden_author_replying_stays_hidden(
        self,
        anonymous_idea: Idea,
        moderator: User,
        teammate: User,
        solver: User,
        committed: Any,
        as_user: Any,
        mailoutbox: list,
    ) -> None:
        speaks(solver, "en")
        question = committed(lambda: ideas.post_comment(actor=solver, idea=anonymous_idea, body="Which gas?"))
        committed(
            lambda: ideas.post_comment(
                actor=teammate, idea=anonymous_idea, body=f"Coke-oven gas, @{solver.email}", parent=question
            )
        )
        row = Notification.objects.get(recipient=solver)
        assert row.kind == Kind.IDEA_MENTIONED and row.actor is None
        send_digests(frequency=EmailFrequency.DAILY)
        shown = _everything_shown_to(solver, as_user, mailoutbox)
        assert "The idea's author mentioned you" in shown or "The idea&#x27;s author mentioned you" in shown
        assert teammate.name not in shown and teammate.email not in shown

    def test_operators_may_see_the_author_in_the_admin_but_notices_stay_unnamed(
        self, anonymous_idea: Idea, teammate: User
    ) -> None:
        rows = Notification.objects.all()
        assert rows and all(teammate.name not in json.dumps(row.context, ensure_ascii=False) for row in rows)


def test_daily_run_sends_weekly_digests_on_mondays_only() -> None:
    assert due_frequencies(MONDAY) == [EmailFrequency.DAILY, EmailFrequency.WEEKLY]
    assert due_frequencies(MONDAY + datetime.timedelta(days=2)) == [EmailFrequency.DAILY]


def test_the_scheduled_command_without_argument_sends_what_is_due(
    campaign: Campaign, moderator: User, teammate: User, committed: Any, mailoutbox: list
) -> None:
    Preference.objects.create(user=moderator, kind=Kind.IDEA_SUBMITTED, email_frequency=EmailFrequency.WEEKLY)
    committed(lambda: make_idea(campaign, teammate))
    assert send_due_digests(MONDAY + datetime.timedelta(days=1)) == {EmailFrequency.DAILY: 0}
    assert mailoutbox == []
    assert send_due_digests(MONDAY) == {EmailFrequency.DAILY: 0, EmailFrequency.WEEKLY: 1}
    call_command("send_notification_digests", stdout=None)  # nothing left to send, and no error
    assert len(mailoutbox) == 1


def test_preferences_page_offers_urgent_per_kind_in_chinese(as_user: Any, owner: User) -> None:
    html = as_user(owner).get(reverse("notifications:preferences")).content.decode()
    assert "紧急" in html and "创意征集" in html
    assert (
        f'name="{Kind.IDEA_MENTIONED}__urgent" id="id_{Kind.IDEA_MENTIONED}__urgent" class="form-check-input" checked'
        in html
    )
    stage_box = f'name="{Kind.IDEA_STAGE_CHANGED}__urgent" id="id_{Kind.IDEA_STAGE_CHANGED}__urgent"'
    assert f'{stage_box} class="form-check-input" aria' in html


def test_urgent_choice_is_saved_from_the_page(as_user: Any, owner: User) -> None:
    data = {"language": "zh-hans"}
    for kind in Kind.values:
        data[f"{kind}__in_app"] = "on"
        data[f"{kind}__email"] = "on"
        data[f"{kind}__email_frequency"] = EmailFrequency.DAILY
    data[f"{Kind.IDEA_STAGE_CHANGED}__urgent"] = "on"
    assert as_user(owner).post(reverse("notifications:preferences"), data).status_code == 302
    assert Preference.objects.get(user=owner, kind=Kind.IDEA_STAGE_CHANGED).urgent is True
    assert Preference.objects.get(user=owner, kind=Kind.IDEA_MENTIONED).urgent is False


def test_api_reads_and_changes_the_urgent_choice(as_user: Any, owner: User) -> None:
    client = as_user(owner)
    rows = {row["kind"]: row for row in client.get("/api/v1/notifications/preferences").json()["preferences"]}
    assert rows[Kind.IDEA_MENTIONED]["urgent"] is True and rows[Kind.IDEA_COMMENTED]["urgent"] is False
    assert rows[Kind.IDEA_COMMENTED]["email_frequency"] == EmailFrequency.DAILY
    payload = {
        "preferences": [
            {"kind": Kind.IDEA_COMMENTED, "in_app": True, "email": True, "email_frequency": "weekly", "urgent": True}
        ]
    }
    answer = client.put("/api/v1/notifications/preferences", json.dumps(payload), content_type="application/json")
    assert answer.status_code == 200
    assert Preference.objects.get(user=owner, kind=Kind.IDEA_COMMENTED).urgent is True
