"""Turning the lower modules' news (their documented signals) into notifications.

Each receiver names its recipients and the demand concerned; `notify` drops anyone who may not
see that demand, so an NDA or internal demand is never announced to an outsider. Receivers run
after the sender's transaction committed (the signals are sent with on_commit).
"""

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model

from zhongyan.demands import signals as demand_signals
from zhongyan.demands.models import Demand
from zhongyan.notifications import idea_receivers
from zhongyan.notifications.links import neutral_reverse
from zhongyan.notifications.models import Kind
from zhongyan.notifications.services import bilingual_name, notify
from zhongyan.notifications.visibility import may_see_demand_details
from zhongyan.orgs.models import Membership
from zhongyan.proposals import signals as proposal_signals

DISPATCH_PREFIX = "zhongyan.notifications."
logger = logging.getLogger(__name__)


def _context(demand: Demand, actor: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"demand": dict(demand.title)}
    if getattr(actor, "pk", None):
        context["actor"] = bilingual_name(actor)
    return context


def _demand_link(demand: Demand) -> str:
    return neutral_reverse("demands:detail", public_id=demand.public_id)


def _tell(kind: str, recipients: Iterable[Any], demand: Demand, actor: Any, url: str | None = None) -> None:
    notify(
        recipients=recipients,
        kind=kind,
        context=_context(demand, actor),
        url=_demand_link(demand) if url is None else url,
        actor=actor,
        demand=demand,
    )


def managers_of(demand: Demand) -> list[Any]:
    """The demand's contact and the administrators of its organisation."""
    admins = Membership.objects.filter(
        organisation_id=demand.organisation_id, role__in=(Membership.Role.OWNER, Membership.Role.ADMIN)
    ).select_related("user")
    return [demand.owner, *(membership.user for membership in admins)]


def on_solver_invited(sender: Any, *, demand: Demand, invitation: Any, actor: Any = None, **kwargs: Any) -> None:
    _tell(Kind.INVITATION_RECEIVED, [invitation.invitee], demand, actor)


def on_nda_accepted(sender: Any, *, demand: Demand, acceptance: Any, actor: Any = None, **kwargs: Any) -> None:
    _tell(Kind.NDA_ACCEPTED, [demand.owner], demand, actor or acceptance.user)


def on_question_asked(sender: Any, *, demand: Demand, question: Any, actor: Any = None, **kwargs: Any) -> None:
    _tell(Kind.QUESTION_ASKED, [demand.owner], demand, actor or question.author)


def on_question_answered(sender: Any, *, demand: Demand, question: Any, actor: Any = None, **kwargs: Any) -> None:
    """The asker always; for a public answer also the followers who may read the demand's Q&A."""
    recipients = [question.author]
    if question.is_public:
        followers = get_user_model().objects.filter(demand_follows__demand=demand, is_active=True)
        recipients += [user for user in followers if may_see_demand_details(user, demand)]
    _tell(Kind.QUESTION_ANSWERED, recipients, demand, actor)


def on_demand_published(sender: Any, *, demand: Demand, actor: Any = None, **kwargs: Any) -> None:
    followers = get_user_model().objects.filter(demand_follows__demand=demand, is_active=True)
    _tell(Kind.DEMAND_PUBLISHED, followers, demand, actor)


def on_demand_submitted_for_review(sender: Any, *, demand: Demand, actor: Any = None, **kwargs: Any) -> None:
    operators = get_user_model().objects.filter(is_staff=True, is_active=True)
    _tell(Kind.DEMAND_SUBMITTED_FOR_REVIEW, operators, demand, actor)


def on_proposal_submitted(sender: Any, *, proposal: Any, actor: Any = None, **kwargs: Any) -> None:
    demand = proposal.demand
    link = neutral_reverse("proposals:detail", public_id=proposal.public_id) or _demand_link(demand)
    _tell(Kind.PROPOSAL_RECEIVED, managers_of(demand), demand, actor or proposal.solver, link)


def on_review_assigned(sender: Any, *, demand: Demand, assignment: Any, actor: Any = None, **kwargs: Any) -> None:
    # The assignment itself is what lets an outside expert see the demand, so the reviewer is
    # not filtered by the demand's scope here; the notice still names only the title.
    notify(
        recipients=[assignment.reviewer],
        kind=Kind.REVIEW_ASSIGNED,
        context=_context(demand, actor),
        url=neutral_reverse("proposals:review_workspace", public_id=assignment.public_id) or _demand_link(demand),
        actor=actor,
    )


def _decision_link(proposal: Any, demand: Demand) -> str:
    return neutral_reverse("proposals:detail", public_id=proposal.public_id) or _demand_link(demand)


def on_proposal_awarded(sender: Any, *, proposal: Any, demand: Demand, actor: Any = None, **kwargs: Any) -> None:
    _tell(Kind.PROPOSAL_AWARDED, [proposal.solver], demand, actor, _decision_link(proposal, demand))


def on_proposal_not_awarded(sender: Any, *, proposal: Any, demand: Demand, actor: Any = None, **kwargs: Any) -> None:
    feedback = neutral_reverse("proposals:feedback", public_id=proposal.public_id)
    _tell(Kind.PROPOSAL_NOT_AWARDED, [proposal.solver], demand, actor, feedback or _decision_link(proposal, demand))


RECEIVERS = [
    (demand_signals.solver_invited, on_solver_invited),
    (demand_signals.nda_accepted, on_nda_accepted),
    (demand_signals.question_asked, on_question_asked),
    (demand_signals.question_answered, on_question_answered),
    (demand_signals.demand_published, on_demand_published),
    (demand_signals.demand_submitted_for_review, on_demand_submitted_for_review),
    (proposal_signals.proposal_submitted, on_proposal_submitted),
    (proposal_signals.review_assigned, on_review_assigned),
    (proposal_signals.proposal_awarded, on_proposal_awarded),
    (proposal_signals.proposal_not_awarded, on_proposal_not_awarded),
    *idea_receivers.RECEIVERS,
]


def _guarded(receiver: Callable[..., None]) -> Callable[..., None]:
    """The sender's change has already committed: a failing notice is logged, never turned into
    an error page for the person whose action succeeded."""

    @functools.wraps(receiver)
    def run(sender: Any, **kwargs: Any) -> None:
        try:
            receiver(sender, **kwargs)
        except Exception:
            logger.exception("Notification receiver %s failed", receiver.__name__)

    return run


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(_guarded(receiver), weak=False, dispatch_uid=DISPATCH_PREFIX + receiver.__name__)
