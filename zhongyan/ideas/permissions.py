"""Who may do what with campaigns and ideas. Services enforce these; templates get booleans."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zhongyan.ideas.models import Campaign, Comment, Idea
from zhongyan.ideas.querysets import audience_of


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_moderator(user: Any, campaign: Campaign) -> bool:
    if not _signed_in(user):
        return False
    return bool(user.is_staff or campaign.moderators.filter(pk=user.pk).exists())


def is_expert(user: Any, campaign: Campaign) -> bool:
    return _signed_in(user) and campaign.experts.filter(pk=user.pk).exists()


def is_author(user: Any, idea: Idea) -> bool:
    if not _signed_in(user):
        return False
    return idea.author_id == user.pk or idea.co_authors.filter(pk=user.pk).exists()


def can_create_campaign(user: Any) -> bool:
    return _signed_in(user) and user.is_staff


def can_edit_campaign(user: Any, campaign: Campaign) -> bool:
    return _signed_in(user) and user.is_staff


def can_view_campaign(user: Any, campaign: Campaign) -> bool:
    if not _signed_in(user):
        return False
    if user.is_staff or is_moderator(user, campaign) or is_expert(user, campaign):
        return True
    return campaign.audience in audience_of(user)


def can_follow_campaign(user: Any, campaign: Campaign) -> bool:
    return can_view_campaign(user, campaign)


def can_submit_idea(user: Any, campaign: Campaign) -> bool:
    return campaign.is_open and can_view_campaign(user, campaign)


def can_view_idea(user: Any, idea: Idea) -> bool:
    if not can_view_campaign(user, idea.campaign):
        return False
    if idea.is_hidden and not (is_author(user, idea) or is_moderator(user, idea.campaign)):
        return False
    return idea.is_submitted or is_author(user, idea)


def can_hide_idea(user: Any, idea: Idea) -> bool:
    """Campaign moderators and operators hide (and unhide) submitted ideas."""
    return idea.is_submitted and is_moderator(user, idea.campaign)


def can_edit_idea(user: Any, idea: Idea) -> bool:
    """Authors edit drafts, and submitted ideas until a moderator moves them past the first stage."""
    if not is_author(user, idea) or idea.status == Idea.Status.WITHDRAWN:
        return False
    if idea.status == Idea.Status.DRAFT:
        return can_submit_idea(user, idea.campaign)
    return idea.stage is None or idea.stage.position == 0


def can_see_author(user: Any, idea: Idea) -> bool:
    """An anonymous campaign hides authors from everyone but operators (and the authors themselves)."""
    if not idea.campaign.anonymous:
        return True
    return _signed_in(user) and (user.is_staff or is_author(user, idea))


def author_label_for(user: Any, idea: Idea) -> str:
    """The author line `user` may read: names, or "Anonymous"."""
    if not can_see_author(user, idea):
        return _("Anonymous")
    names = [idea.author.name, *(person.name for person in idea.co_authors.all())]
    return ", ".join(names)


def comment_author_label(user: Any, comment: Comment) -> str:
    """In an anonymous campaign the idea's authors comment as "Author of the idea"."""
    idea = comment.idea
    hidden = idea.campaign.anonymous and not can_see_author(user, idea)
    if hidden and (comment.author_id == idea.author_id or idea.co_authors.filter(pk=comment.author_id).exists()):
        return _("Author of the idea")
    return comment.author.name


def can_comment(user: Any, idea: Idea) -> bool:
    return idea.is_submitted and not idea.is_hidden and can_view_idea(user, idea)


def can_edit_comment(user: Any, comment: Comment) -> bool:
    return (
        _signed_in(user)
        and comment.author_id == user.pk
        and not comment.is_hidden
        and timezone.now() < comment.edit_window_ends
    )


def can_report_comment(user: Any, comment: Comment) -> bool:
    return _signed_in(user) and comment.author_id != user.pk and not comment.is_hidden


def can_moderate_campaign(user: Any, campaign: Campaign) -> bool:
    return is_moderator(user, campaign)


def can_vote(user: Any, idea: Idea) -> bool:
    """One vote per person, not on one's own idea, while the campaign is open."""
    if not idea.is_submitted or idea.is_hidden or not idea.campaign.is_open:
        return False
    return can_view_idea(user, idea) and not is_author(user, idea)


def can_evaluate_idea(user: Any, idea: Idea) -> bool:
    return idea.is_submitted and not idea.is_hidden and is_expert(user, idea.campaign) and not is_author(user, idea)


def can_see_evaluations(user: Any, idea: Idea) -> bool:
    """The aggregate scores: moderators and operators (each expert sees their own)."""
    return is_moderator(user, idea.campaign)


def can_advance_idea(user: Any, idea: Idea) -> bool:
    if not idea.is_submitted or idea.is_hidden or idea.promoted_demand_id is not None:
        return False
    return is_moderator(user, idea.campaign)


def can_promote_idea(user: Any, idea: Idea) -> bool:
    """From the stage just before the last ("converted") one, by a moderator, once."""
    if not can_advance_idea(user, idea) or idea.stage is None:
        return False
    last = idea.campaign.stages.order_by("-position").first()
    return last is not None and idea.stage.position == last.position - 1


def can_view_analytics(user: Any, campaign: Campaign) -> bool:
    return is_moderator(user, campaign)


def can_export_ideas(user: Any, campaign: Campaign) -> bool:
    return is_moderator(user, campaign)
