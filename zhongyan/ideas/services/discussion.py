"""Comments (threaded, with @mentions and an edit window), reports, moderation, and votes."""

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts.models import User
from zhongyan.core.audit import record
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.ideas import permissions
from zhongyan.ideas.models import Comment, CommentReport, Idea, Vote
from zhongyan.ideas.services._common import locked, send_on_commit
from zhongyan.ideas.services.funnel import move_to_stage
from zhongyan.ideas.signals import comment_posted, user_mentioned

MAX_COMMENT = 4000
MAX_MENTIONS = 10
# "@name" where name is an e-mail address or the part before its "@".
MENTION = re.compile(r"(?<![\w.])@([A-Za-z0-9._%+\-]+(?:@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})?)")


class BadComment(DomainError):
    default_message = _("This comment cannot be posted.")


def mentioned_users(body: str, idea: Idea) -> list[User]:
    """People named with @ who may read the idea; unknown or ambiguous names are ignored."""
    found: dict[int, User] = {}
    for handle in MENTION.findall(body)[:MAX_MENTIONS]:
        handle = handle.rstrip(".")
        if "@" in handle:
            candidates = list(User.objects.filter(email__iexact=handle, is_active=True)[:2])
        else:
            candidates = list(User.objects.filter(email__istartswith=f"{handle}@", is_active=True)[:2])
        if len(candidates) == 1 and permissions.can_view_idea(candidates[0], idea):
            found[candidates[0].pk] = candidates[0]
    return list(found.values())


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise BadComment(_("Write something before posting."))
    if len(body) > MAX_COMMENT:
        raise BadComment(_("Keep a comment under 4,000 characters."))
    return body


def post_comment(*, actor: Any, idea: Idea, body: str, parent: Comment | None = None) -> Comment:
    if not permissions.can_comment(actor, idea):
        raise NotPermitted()
    body = _check_body(body)
    if parent is not None and parent.idea_id != idea.pk:
        raise BadComment(_("You can only reply to a comment on the same idea."))
    # Replies to replies attach to the thread's first comment: one level of nesting reads well on a phone.
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent
    with transaction.atomic():
        comment = Comment.objects.create(idea=idea, author=actor, parent=parent, body=body)
        mentions = [user for user in mentioned_users(body, idea) if user.pk != actor.pk]
        record(
            actor,
            "ideas.comment_posted",
            comment,
            {"idea": idea.public_id, "mentions": [user.public_id for user in mentions]},
        )
        # An anonymous idea's author commenting on it must not be named to the people notified.
        hidden_author = idea.campaign.anonymous and permissions.is_author(actor, idea)
        actor_label = None if hidden_author else actor.name
        send_on_commit(
            comment_posted,
            comment=comment,
            idea=idea,
            campaign=idea.campaign,
            actor=actor,
            actor_label=actor_label,
            parent_author=parent.author if parent is not None else None,
            urgent=False,
        )
        for user in mentions:
            send_on_commit(
                user_mentioned,
                comment=comment,
                idea=idea,
                campaign=idea.campaign,
                actor=actor,
                actor_label=actor_label,
                user=user,
                urgent=True,
            )
    return comment


def edit_comment(*, actor: Any, comment: Comment, body: str) -> Comment:
    if not permissions.can_edit_comment(actor, comment):
        raise NotPermitted(_("Comments can be edited for 15 minutes after posting."))
    body = _check_body(body)
    with transaction.atomic():
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at", "updated_at"])
        record(actor, "ideas.comment_edited", comment, {"idea": comment.idea.public_id})
    return comment


def report_comment(*, actor: Any, comment: Comment, reason: str) -> CommentReport:
    if not permissions.can_report_comment(actor, comment) or not permissions.can_view_idea(actor, comment.idea):
        raise NotPermitted()
    reason = (reason or "").strip()
    if not reason:
        raise BadComment(_("Say why this comment should be looked at."))
    with transaction.atomic():
        report, created = CommentReport.objects.get_or_create(
            comment=comment, reporter=actor, defaults={"reason": reason[:500]}
        )
        if not created:
            raise BadComment(_("You have already reported this comment."))
        record(actor, "ideas.comment_reported", comment, {"reason": reason[:500]})
    return report


def hide_comment(*, actor: Any, comment: Comment, reason: str) -> Comment:
    if not permissions.can_moderate_campaign(actor, comment.idea.campaign):
        raise NotPermitted()
    reason = (reason or "").strip()
    if not reason:
        raise BadComment(_("Give a reason: the author will see it."))
    with transaction.atomic():
        comment.hidden_at = timezone.now()
        comment.hidden_reason = reason[:500]
        comment.hidden_by = actor
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        record(actor, "ideas.comment_hidden", comment, {"reason": comment.hidden_reason})
    return comment


def restore_comment(*, actor: Any, comment: Comment) -> Comment:
    if not permissions.can_moderate_campaign(actor, comment.idea.campaign):
        raise NotPermitted()
    with transaction.atomic():
        comment.hidden_at, comment.hidden_reason, comment.hidden_by = None, "", None
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        record(actor, "ideas.comment_restored", comment, {})
    return comment


def dismiss_reports(*, actor: Any, comment: Comment) -> None:
    if not permissions.can_moderate_campaign(actor, comment.idea.campaign):
        raise NotPermitted()
    with transaction.atomic():
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        record(actor, "ideas.reports_dismissed", comment, {})


def cast_vote(*, actor: Any, idea: Idea) -> bool:
    """True if a vote was added, False if the person had already voted. The row and the counter
    change in one transaction; the unique constraint settles double clicks and races."""
    if not permissions.can_vote(actor, idea):
        raise NotPermitted(_("You cannot vote for this idea."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                Vote.objects.create(idea=idea, user=actor)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
        record(actor, "ideas.vote_cast", idea, {})
        campaign = idea.campaign
        if campaign.auto_advance_votes:
            locked(idea)
            if idea.vote_count >= campaign.auto_advance_votes and idea.stage is not None and idea.stage.position == 0:
                following = campaign.stages.filter(position=1).first()
                if following is not None:
                    move_to_stage(actor=None, idea=idea, stage=following, automatic=True)
    idea.refresh_from_db(fields=["vote_count"])
    return True


def withdraw_vote(*, actor: Any, idea: Idea) -> bool:
    if not permissions.can_vote(actor, idea):
        raise NotPermitted(_("You cannot vote for this idea."))
    with transaction.atomic():
        deleted, _rows = Vote.objects.filter(idea=idea, user=actor).delete()
        if not deleted:
            return False
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
        record(actor, "ideas.vote_withdrawn", idea, {})
    idea.refresh_from_db(fields=["vote_count"])
    return True
