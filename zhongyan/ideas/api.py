"""REST endpoints for campaigns, ideas, comments and votes: the same scopes, permissions and
services as the pages. An anonymous campaign's authors appear only to operators (`author` is null)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongyan.accounts.models import Field as ExpertiseField
from zhongyan.core.content import localized
from zhongyan.core.errors import NotPermitted
from zhongyan.ideas import permissions, services, similar
from zhongyan.ideas.models import Campaign, Comment, Idea

router = Router(tags=["ideas"])


class StageOut(Schema):
    position: int
    name: dict[str, str]


class CriterionOut(Schema):
    name: dict[str, str]
    weight: int


class CampaignOut(Schema):
    id: str
    title: dict[str, str]
    display_title: str
    description: dict[str, str]
    audience: str
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    anonymous: bool
    stages: list[StageOut]
    criteria: list[CriterionOut]


class IdeaOut(Schema):
    id: str
    campaign: str
    title: dict[str, str]
    display_title: str
    description: dict[str, str]
    status: str
    stage: StageOut | None
    vote_count: int
    author: str | None  # null when the campaign hides authors from the caller
    fields: list[str]
    submitted_at: datetime | None
    promoted_demand: str | None
    has_voted: bool
    hidden: bool  # only the authors, the campaign's moderators and operators ever get a hidden idea
    hidden_reason: str | None


class IdeaIn(Schema):
    title: dict[str, str]
    description: dict[str, str] = {}
    fields: list[str] = []
    submit: bool = True


class CommentOut(Schema):
    id: str
    parent: str | None
    author: str
    body: str | None  # null when hidden by a moderator (the author and moderators still get it)
    hidden: bool
    hidden_reason: str | None
    created_at: datetime
    edited_at: datetime | None


class CommentIn(Schema):
    body: str
    parent: str | None = None


class ReasonIn(Schema):
    reason: str


class VoteOut(Schema):
    voted: bool
    vote_count: int


class HintOut(Schema):
    kind: str
    id: str
    title: str
    score: float


class IdeaFilter(Schema):
    q: str = ""
    sort: str = "new"


def _campaign(request: HttpRequest, public_id: str) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user), public_id=public_id)


def _idea(request: HttpRequest, public_id: str) -> Idea:
    return get_object_or_404(
        Idea.objects.visible_to(request.user).select_related("campaign", "author", "stage", "promoted_demand"),
        public_id=public_id,
    )


def _campaign_out(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.public_id,
        "title": campaign.title,
        "display_title": localized(campaign.title),
        "description": campaign.description,
        "audience": campaign.audience,
        "opens_at": campaign.opens_at,
        "closes_at": campaign.closes_at,
        "is_open": campaign.is_open,
        "anonymous": campaign.anonymous,
        "stages": [{"position": s.position, "name": s.name} for s in campaign.stages.all()],
        "criteria": [{"name": c.name, "weight": c.weight} for c in campaign.criteria.all()],
    }


def _idea_out(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    return {
        "id": idea.public_id,
        "campaign": idea.campaign.public_id,
        "title": idea.title,
        "display_title": localized(idea.title),
        "description": idea.description,
        "status": idea.status,
        "stage": {"position": idea.stage.position, "name": idea.stage.name} if idea.stage else None,
        "vote_count": idea.vote_count,
        "author": permissions.author_label_for(request.user, idea)
        if permissions.can_see_author(request.user, idea)
        else None,
        "fields": [field.code for field in idea.fields.all()],
        "submitted_at": idea.submitted_at,
        "promoted_demand": idea.promoted_demand.public_id if idea.promoted_demand else None,
        "has_voted": idea.votes.filter(user=request.user).exists(),
        "hidden": idea.is_hidden,
        "hidden_reason": idea.hidden_reason if idea.is_hidden else None,
    }


def _comment_out(request: HttpRequest, comment: Comment, moderator: bool) -> dict[str, Any]:
    sees_hidden = moderator or comment.author_id == request.user.pk
    return {
        "id": comment.public_id,
        "parent": comment.parent.public_id if comment.parent else None,
        "author": permissions.comment_author_label(request.user, comment),
        "body": comment.body if not comment.is_hidden or sees_hidden else None,
        "hidden": comment.is_hidden,
        "hidden_reason": comment.hidden_reason if comment.is_hidden and sees_hidden else None,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


@router.get("/campaigns", response=list[CampaignOut], summary="Campaigns you may take part in")
@paginate(PageNumberPagination, page_size=20)
def list_campaigns(request: HttpRequest) -> Any:
    campaigns = Campaign.objects.visible_to(request.user).prefetch_related("stages", "criteria")
    return [_campaign_out(campaign) for campaign in campaigns.order_by("-opens_at")]


@router.get("/campaigns/{public_id}", response=CampaignOut, summary="One campaign with its funnel and criteria")
def get_campaign(request: HttpRequest, public_id: str) -> Any:
    return _campaign_out(_campaign(request, public_id))


@router.get("/campaigns/{public_id}/ideas", response=list[IdeaOut], summary="Submitted ideas of a campaign")
@paginate(PageNumberPagination, page_size=20)
def list_ideas(request: HttpRequest, public_id: str, filters: Query[IdeaFilter]) -> Any:
    campaign = _campaign(request, public_id)
    ideas = Idea.objects.visible_to(request.user).submitted().filter(campaign=campaign)
    if filters.q.strip():
        ideas = ideas.search(filters.q.strip()[:200])
    order = ("-vote_count", "-submitted_at") if filters.sort == "votes" else ("-submitted_at",)
    ideas = ideas.select_related("campaign", "author", "stage", "promoted_demand").prefetch_related("fields")
    return [_idea_out(request, idea) for idea in ideas.order_by(*order)]


@router.get("/campaigns/{public_id}/similar", response=list[HintOut], summary="Duplicate hints for a draft")
def similar_to(request: HttpRequest, public_id: str, title: str, description: str = "") -> Any:
    hints = similar.similar(
        user=request.user, campaign=_campaign(request, public_id), title=title[:400], description=description[:2000]
    )
    return [
        {"kind": hint.kind, "id": hint.object.public_id, "title": hint.title, "score": hint.score}
        for hint in [*hints["ideas"], *hints["demands"]]
    ]


@router.post("/campaigns/{public_id}/ideas", response={201: IdeaOut}, summary="Submit an idea (or save a draft)")
def create_idea(request: HttpRequest, public_id: str, payload: IdeaIn) -> Any:
    campaign = _campaign(request, public_id)
    idea = services.create_idea(
        actor=request.user,
        campaign=campaign,
        title=payload.title,
        description=payload.description,
        fields=list(ExpertiseField.objects.filter(code__in=payload.fields)),
        submit=payload.submit,
    )
    return Status(201, _idea_out(request, idea))


@router.get("/ideas/{public_id}", response=IdeaOut, summary="One idea")
def get_idea(request: HttpRequest, public_id: str) -> Any:
    return _idea_out(request, _idea(request, public_id))


@router.get("/ideas/{public_id}/comments", response=list[CommentOut], summary="The idea's comments, oldest first")
def list_comments(request: HttpRequest, public_id: str) -> Any:
    idea = _idea(request, public_id)
    moderator = permissions.can_moderate_campaign(request.user, idea.campaign)
    comments = idea.comments.select_related("author", "parent").order_by("created_at")
    return [_comment_out(request, comment, moderator) for comment in comments]


@router.post("/ideas/{public_id}/comments", response={201: CommentOut}, summary="Comment (reply with `parent`)")
def post_comment(request: HttpRequest, public_id: str, payload: CommentIn) -> Any:
    idea = _idea(request, public_id)
    parent = idea.comments.filter(public_id=payload.parent).first() if payload.parent else None
    if payload.parent and parent is None:
        raise NotPermitted()
    comment = services.post_comment(actor=request.user, idea=idea, body=payload.body, parent=parent)
    return Status(201, _comment_out(request, comment, False))


@router.post("/ideas/{public_id}/vote", response=VoteOut, summary="Vote (a second vote changes nothing)")
def vote(request: HttpRequest, public_id: str) -> Any:
    idea = _idea(request, public_id)
    services.cast_vote(actor=request.user, idea=idea)
    return {"voted": True, "vote_count": idea.vote_count}


@router.delete("/ideas/{public_id}/vote", response=VoteOut, summary="Take your vote back")
def unvote(request: HttpRequest, public_id: str) -> Any:
    idea = _idea(request, public_id)
    services.withdraw_vote(actor=request.user, idea=idea)
    return {"voted": False, "vote_count": idea.vote_count}


@router.post("/ideas/{public_id}/hide", response=IdeaOut, summary="Hide an idea, with a reason its authors see")
def hide(request: HttpRequest, public_id: str, payload: ReasonIn) -> Any:
    idea = _idea(request, public_id)
    return _idea_out(request, services.hide_idea(actor=request.user, idea=idea, reason=payload.reason))


@router.post("/ideas/{public_id}/unhide", response=IdeaOut, summary="Show a hidden idea again")
def unhide(request: HttpRequest, public_id: str) -> Any:
    idea = _idea(request, public_id)
    return _idea_out(request, services.unhide_idea(actor=request.user, idea=idea))


class FollowOut(Schema):
    following: bool


@router.post("/campaigns/{public_id}/follow", response=FollowOut, summary="Hear of the campaign's new ideas")
def follow(request: HttpRequest, public_id: str) -> Any:
    services.follow_campaign(actor=request.user, campaign=_campaign(request, public_id))
    return {"following": True}


@router.delete("/campaigns/{public_id}/follow", response=FollowOut, summary="Stop following the campaign")
def unfollow(request: HttpRequest, public_id: str) -> Any:
    services.unfollow_campaign(actor=request.user, campaign=_campaign(request, public_id))
    return {"following": False}
