"""Idea-campaign news (zhongyan.ideas.signals) turned into notifications.

Who hears what: a campaign's moderators and followers hear of new ideas; an idea's author and co-authors hear of
comments, stage changes, promotion and hiding; the person replied to hears of the reply; a mentioned
person hears of the mention (urgent: e-mailed at once unless they chose otherwise). Everyone else
waits for their digest, filed under the campaign.

Anonymity: in an anonymous campaign the signals carry `author_label` / `actor_label` None when the
actor is the idea's hidden author. Then the notice names "An anonymous contributor" or "The idea's
author", and its `actor` stays empty, so no inbox, e-mail, digest or API answer can name them.
Nobody who may not see the idea (outside the campaign's audience, or a hidden idea) is told.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongyan.core.content import Bilingual
from zhongyan.ideas import signals as idea_signals
from zhongyan.ideas.models import Campaign, Idea
from zhongyan.ideas.services import mentioned_users
from zhongyan.notifications.links import neutral_reverse
from zhongyan.notifications.models import Kind
from zhongyan.notifications.services import bilingual_name, notify
from zhongyan.notifications.visibility import may_see_idea

ANONYMOUS_CONTRIBUTOR = _("An anonymous contributor")
IDEA_AUTHOR = _("The idea's author")


def _in_every_language(text: Promise) -> Bilingual:
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(text)
    return texts


def _authors(idea: Idea) -> list[Any]:
    return [idea.author, *idea.co_authors.all()]


def _tell(
    kind: str,
    recipients: Iterable[Any],
    *,
    idea: Idea,
    campaign: Campaign,
    actor: Any,
    actor_name: Bilingual | None,
    skip: Iterable[Any] = (),
    stage: Any = None,
    urgent: bool = False,
) -> None:
    """`actor_name` None means the actor must stay unnamed (the notice keeps no link to them)."""
    left_out = {person.pk for person in skip if person is not None}
    if getattr(actor, "pk", None):
        left_out.add(actor.pk)
    people = [
        person
        for person in recipients
        if person is not None and person.pk not in left_out and may_see_idea(person, idea)
    ]
    context: dict[str, Bilingual] = {"idea": dict(idea.title), "campaign": dict(campaign.title)}
    context["actor"] = actor_name if actor_name is not None else _in_every_language(IDEA_AUTHOR)
    if stage is not None:
        context["stage"] = dict(stage.name)
    notify(
        recipients=people,
        kind=kind,
        context=context,
        url=neutral_reverse("ideas:idea_detail", public_id=idea.public_id),
        actor=actor if actor_name is not None else None,
        urgent=urgent,
        group_url=neutral_reverse("ideas:campaign_detail", public_id=campaign.public_id),
    )


def _named(actor: Any) -> Bilingual | None:
    return bilingual_name(actor) if getattr(actor, "pk", None) else None


def on_idea_submitted(
    sender: Any,
    *,
    idea: Idea,
    campaign: Campaign,
    actor: Any,
    author_label: str | None,
    urgent: bool = False,
    **kwargs: Any,
) -> None:
    """The campaign's moderators and followers; an anonymous idea's author is "An anonymous contributor"."""
    hidden = author_label is None
    people = get_user_model().objects.filter(
        Q(moderated_campaigns=campaign) | Q(campaign_follows__campaign=campaign), is_active=True
    )
    _tell(
        Kind.IDEA_SUBMITTED,
        people.distinct(),
        idea=idea,
        campaign=campaign,
        actor=None if hidden else actor,
        actor_name=_in_every_language(ANONYMOUS_CONTRIBUTOR) if hidden else _named(actor),
        skip=[*_authors(idea), actor],
        urgent=urgent,
    )


def on_comment_posted(
    sender: Any,
    *,
    comment: Any,
    idea: Idea,
    campaign: Campaign,
    actor: Any,
    actor_label: str | None,
    parent_author: Any = None,
    urgent: bool = False,
    **kwargs: Any,
) -> None:
    """The person replied to gets the reply; the authors get the comment; whoever is mentioned
    gets only the mention (sent by its own signal)."""
    name = None if actor_label is None else _named(actor)
    mentioned = mentioned_users(comment.body, idea)
    if parent_author is not None:
        replied = [] if parent_author in mentioned else [parent_author]
        _tell(Kind.COMMENT_REPLIED, replied, idea=idea, campaign=campaign, actor=actor, actor_name=name, urgent=urgent)
    skip = [*mentioned, parent_author]
    _tell(
        Kind.IDEA_COMMENTED,
        _authors(idea),
        idea=idea,
        campaign=campaign,
        actor=actor,
        actor_name=name,
        skip=skip,
        urgent=urgent,
    )


def on_user_mentioned(
    sender: Any,
    *,
    comment: Any,
    idea: Idea,
    campaign: Campaign,
    actor: Any,
    actor_label: str | None,
    user: Any,
    urgent: bool = True,
    **kwargs: Any,
) -> None:
    name = None if actor_label is None else _named(actor)
    _tell(Kind.IDEA_MENTIONED, [user], idea=idea, campaign=campaign, actor=actor, actor_name=name, urgent=urgent)


def on_idea_stage_changed(
    sender: Any, *, idea: Idea, campaign: Campaign, actor: Any, new_stage: Any, urgent: bool = False, **kwargs: Any
) -> None:
    last = campaign.stages.order_by("-position").values_list("pk", flat=True).first()
    if new_stage.pk == last and idea.promoted_demand_id is not None:
        return  # promotion moves the idea to the last stage; its own notice says so
    _tell(
        Kind.IDEA_STAGE_CHANGED,
        _authors(idea),
        idea=idea,
        campaign=campaign,
        actor=actor,
        actor_name=_named(actor) or {},
        stage=new_stage,
        urgent=urgent,
    )


def on_idea_promoted(
    sender: Any, *, idea: Idea, campaign: Campaign, actor: Any, urgent: bool = False, **kwargs: Any
) -> None:
    _tell(
        Kind.IDEA_PROMOTED,
        _authors(idea),
        idea=idea,
        campaign=campaign,
        actor=actor,
        actor_name=_named(actor) or {},
        urgent=urgent,
    )


def on_idea_hidden(
    sender: Any, *, idea: Idea, campaign: Campaign, actor: Any, urgent: bool = False, **kwargs: Any
) -> None:
    _tell(
        Kind.IDEA_HIDDEN,
        _authors(idea),
        idea=idea,
        campaign=campaign,
        actor=actor,
        actor_name=_named(actor) or {},
        urgent=urgent,
    )


RECEIVERS = [
    (idea_signals.idea_submitted, on_idea_submitted),
    (idea_signals.comment_posted, on_comment_posted),
    (idea_signals.user_mentioned, on_user_mentioned),
    (idea_signals.idea_stage_changed, on_idea_stage_changed),
    (idea_signals.idea_promoted, on_idea_promoted),
    (idea_signals.idea_hidden, on_idea_hidden),
]
