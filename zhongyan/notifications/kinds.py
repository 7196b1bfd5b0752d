"""What each kind of notification says and who gets it by default.

Wording takes only `%(demand)s` (a demand's title: for NDA demands this is the public teaser),
`%(actor)s` (a person's display name, or "Anonymous contributor" / "The idea's author" when an
anonymous campaign hides who acted), `%(idea)s`, `%(campaign)s` and `%(stage)s` (titles). Nothing
else ever enters a notification, so no background, indicator, question, answer or comment text can
leak through the inbox or an e-mail.

Idea-campaign news is digest material by default (a daily digest); only urgent kinds (a mention)
are e-mailed at once. Each person may change both per kind.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongyan.core.content import localized
from zhongyan.notifications.models import EmailFrequency, Kind


@dataclass(frozen=True)
class KindSpec:
    title: Promise
    body: Promise
    in_app: bool = True
    email: bool = True
    email_frequency: str = EmailFrequency.IMMEDIATE
    # E-mailed at once even when the person takes digests for it (until they say otherwise).
    urgent: bool = False
    section: str = "demands"


SECTIONS: dict[str, Promise] = {
    "demands": _("Demands and proposals"),
    "ideas": _("Idea campaigns"),
}


SPECS: dict[str, KindSpec] = {
    Kind.INVITATION_RECEIVED: KindSpec(
        _("You are invited to respond to “%(demand)s”"),
        _("%(actor)s invited you to look at this demand and submit a proposal."),
    ),
    Kind.NDA_ACCEPTED: KindSpec(
        _("%(actor)s accepted the NDA for “%(demand)s”"),
        _("They can now read the confidential details and attachments of your demand."),
        email=False,
    ),
    Kind.QUESTION_ASKED: KindSpec(
        _("New question on “%(demand)s”"),
        _("%(actor)s asked a question about your demand. Answer it on the demand's page."),
    ),
    Kind.QUESTION_ANSWERED: KindSpec(
        _("A question on “%(demand)s” was answered"),
        _("Read the answer on the demand's page."),
    ),
    Kind.PROPOSAL_RECEIVED: KindSpec(
        _("New proposal for “%(demand)s”"),
        _("%(actor)s submitted a proposal to your demand."),
    ),
    Kind.REVIEW_ASSIGNED: KindSpec(
        _("Please review proposals for “%(demand)s”"),
        _("%(actor)s asked you to review. Declare any conflict of interest before you start."),
    ),
    Kind.PROPOSAL_AWARDED: KindSpec(
        _("Your proposal for “%(demand)s” was awarded"),
        _("Congratulations. The demand owner will contact you about the contract."),
    ),
    Kind.PROPOSAL_NOT_AWARDED: KindSpec(
        _("Your proposal for “%(demand)s” was not selected"),
        _("Your scores and the reviewers' feedback are ready for you to read."),
    ),
    Kind.DEMAND_PUBLISHED: KindSpec(
        _("“%(demand)s” is open for proposals"),
        _("A demand you follow has been published."),
        email=False,
    ),
    Kind.DEMAND_SUBMITTED_FOR_REVIEW: KindSpec(
        _("“%(demand)s” awaits operator review"),
        _("%(actor)s submitted this demand for approval before publication."),
    ),
    Kind.IDEA_SUBMITTED: KindSpec(
        _("New idea “%(idea)s” in “%(campaign)s”"),
        _("%(actor)s submitted it to a campaign you moderate or follow."),
        email_frequency=EmailFrequency.DAILY,
        section="ideas",
    ),
    Kind.IDEA_COMMENTED: KindSpec(
        _("New comment on your idea “%(idea)s”"),
        _("%(actor)s commented in the campaign “%(campaign)s”."),
        email_frequency=EmailFrequency.DAILY,
        section="ideas",
    ),
    Kind.COMMENT_REPLIED: KindSpec(
        _("%(actor)s replied to your comment on “%(idea)s”"),
        _("Read the reply on the idea's page."),
        email_frequency=EmailFrequency.DAILY,
        section="ideas",
    ),
    Kind.IDEA_MENTIONED: KindSpec(
        _("%(actor)s mentioned you on “%(idea)s”"),
        _("Read the comment on the idea's page."),
        email_frequency=EmailFrequency.DAILY,
        urgent=True,
        section="ideas",
    ),
    Kind.IDEA_STAGE_CHANGED: KindSpec(
        _("Your idea “%(idea)s” moved to “%(stage)s”"),
        _("A step forward in the campaign “%(campaign)s”."),
        email_frequency=EmailFrequency.DAILY,
        section="ideas",
    ),
    Kind.IDEA_PROMOTED: KindSpec(
        _("Your idea “%(idea)s” became a demand"),
        _("A moderator of “%(campaign)s” turned it into a technical demand."),
        email_frequency=EmailFrequency.DAILY,
        section="ideas",
    ),
    Kind.IDEA_HIDDEN: KindSpec(
        _("A moderator hid your idea “%(idea)s”"),
        _("Open the idea to read the reason."),
        email_frequency=EmailFrequency.DAILY,
        section="ideas",
    ),
}


def spec_for(kind: str) -> KindSpec:
    return SPECS[kind]


def _params(context: dict[str, Any], language: str | None) -> dict[str, str]:
    return {key: localized(context.get(key), language) for key in ("demand", "actor", "idea", "campaign", "stage")}


def render_title(kind: str, context: dict[str, Any], language: str | None = None) -> str:
    """In the active language (wrap in translation.override for another one)."""
    return str(spec_for(kind).title) % _params(context, language)


def render_body(kind: str, context: dict[str, Any], language: str | None = None) -> str:
    return str(spec_for(kind).body) % _params(context, language)
