"""REST endpoints for demands: the same scopes, permissions and services as the pages.
An NDA demand's detail carries only the teaser until the caller has accepted the NDA."""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongyan.accounts.models import Field as ExpertiseField
from zhongyan.accounts.models import User
from zhongyan.core.content import localized
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands import permissions as perms
from zhongyan.demands import services
from zhongyan.demands.filters import filter_demands, sort_order
from zhongyan.demands.models import Demand, Question
from zhongyan.orgs.models import Organisation

router = Router(tags=["demands"])


class IndicatorIO(Schema):
    name: dict[str, str]
    target: str
    unit: str = ""


class AttachmentOut(Schema):
    id: str
    name: str
    size: int
    content_type: str
    sha256: str
    url: str


class DemandOut(Schema):
    """The teaser: what anyone who may see the demand's existence may read."""

    id: str = Field(..., alias="public_id")
    title: dict[str, str]
    display_title: str
    summary: dict[str, str]
    organisation: str
    organisation_name: str
    status: str
    accepts_proposals: bool
    confidentiality: str
    deadline: datetime
    budget_min: int | None
    budget_max: int | None
    modes: list[str]
    ip_terms: str
    fields: list[str]
    published_at: datetime | None

    @staticmethod
    def resolve_display_title(obj: Demand) -> str:
        return localized(obj.title)

    @staticmethod
    def resolve_organisation(obj: Demand) -> str:
        return obj.organisation.public_id

    @staticmethod
    def resolve_organisation_name(obj: Demand) -> str:
        return localized(obj.organisation.name)

    @staticmethod
    def resolve_fields(obj: Demand) -> list[str]:
        return [field.code for field in obj.fields.all()]


class DemandDetailOut(DemandOut):
    details_visible: bool = Field(..., alias="api_details_visible")
    background: dict[str, str] | None = None
    deliverables: dict[str, str] | None = None
    keywords: str | None = None
    indicators: list[IndicatorIO] | None = Field(None, alias="api_indicators")
    attachments: list[AttachmentOut] | None = Field(None, alias="api_attachments")
    nda_text: dict[str, str] | None = Field(None, alias="api_nda_text")
    nda_text_hash: str | None = Field(None, alias="api_nda_text_hash")
    nda_accepted: bool = Field(False, alias="api_nda_accepted")


class DemandFilter(Schema):
    q: str = Field("", description="Words to find, in Chinese or English (all must occur).")
    field: str = Field("", description="A field code from the shared taxonomy.")
    organisation: str = Field("", description="An organisation's id.")
    budget_min: int | None = None
    budget_max: int | None = None
    deadline_after: date | None = None
    mode: str = ""
    status: str = Field("", description='"open" or a status.')
    sort: str = Field("newest", description="newest, deadline, budget_high or budget_low")


class DemandIn(Schema):
    organisation: str
    title: dict[str, str]
    summary: dict[str, str]
    background: dict[str, str] = {}
    deliverables: dict[str, str] = {}
    keywords: str = ""
    fields: list[str] = Field(default=[], description="Field codes from the shared taxonomy.")
    budget_min: int | None = None
    budget_max: int | None = None
    deadline: datetime
    modes: list[str] = []
    ip_terms: str
    confidentiality: str = "public"
    indicators: list[IndicatorIO] = []


class DemandPatch(Schema):
    title: dict[str, str] | None = None
    summary: dict[str, str] | None = None
    background: dict[str, str] | None = None
    deliverables: dict[str, str] | None = None
    keywords: str | None = None
    fields: list[str] | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    deadline: datetime | None = None
    modes: list[str] | None = None
    ip_terms: str | None = None
    confidentiality: str | None = None
    indicators: list[IndicatorIO] | None = None


class NdaIn(Schema):
    organisation: str | None = Field(None, description="Accept on behalf of this organisation (you must belong to it).")


class NdaOut(Schema):
    demand: str
    text_hash: str
    organisation: str | None
    accepted_at: datetime


class QuestionIn(Schema):
    body: str
    is_public: bool = True


class AnswerIn(Schema):
    answer: str


class QuestionOut(Schema):
    id: str = Field(..., alias="public_id")
    body: str
    is_public: bool
    answer: str
    asked_at: datetime = Field(..., alias="created_at")
    answered_at: datetime | None


class InviteIn(Schema):
    invitee: str = Field(..., description="The invited user's id.")
    message: str = ""


class InvitationOut(Schema):
    demand: str
    invitee: str
    status: str


def _load(request: HttpRequest, public_id: str) -> Demand:
    queryset = Demand.objects.visible_to(request.user).select_related("organisation")
    return get_object_or_404(queryset, public_id=public_id)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _service_values(payload: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    values = dict(payload)
    indicators = values.pop("indicators", None)
    if "deadline" in values:
        values["deadline"] = _aware(values["deadline"])
    if "fields" in values and values["fields"] is not None:
        codes = values["fields"]
        found = list(ExpertiseField.objects.filter(code__in=codes))
        if len(found) != len(set(codes)):
            raise DomainError(_("Unknown field code."))
        values["fields"] = found
    return values, indicators


def _detail(request: HttpRequest, demand: Demand) -> Demand:
    """The demand, annotated for DemandDetailOut: details only when the caller may read them."""
    user = request.user
    visible = perms.can_view_demand_details(user, demand)
    extra: dict[str, Any] = {
        "details_visible": visible,
        "nda_accepted": perms.has_accepted_nda(user, demand),
        "nda_text": None,
        "nda_text_hash": None,
        "indicators": None,
        "attachments": None,
    }
    if demand.confidentiality == Demand.Confidentiality.NDA and demand.nda_text:
        extra["nda_text"] = demand.nda_text
        extra["nda_text_hash"] = demand.nda_text_hash()
    if visible:
        extra["indicators"] = [{"name": i.name, "target": i.target, "unit": i.unit} for i in demand.indicators.all()]
        extra["attachments"] = [
            {
                "id": a.public_id,
                "name": a.original_name,
                "size": a.size,
                "content_type": a.content_type,
                "sha256": a.sha256,
                "url": reverse("demands:attachment", args=[demand.public_id, a.public_id]),
            }
            for a in demand.attachments.all()
        ]
    else:
        # A detached copy, so hiding the details never touches the caller's object.
        demand = Demand.objects.select_related("organisation").get(pk=demand.pk)
        demand.background = demand.deliverables = None  # type: ignore[assignment]
        demand.keywords = None  # type: ignore[assignment]
    for key, value in extra.items():
        setattr(demand, f"api_{key}", value)
    return demand


@router.get("/", response=list[DemandOut], summary="Published demands you may see (teasers)")
@paginate(PageNumberPagination, page_size=20)
def list_demands(request: HttpRequest, filters: Query[DemandFilter]) -> Any:
    data: dict[str, Any] = filters.dict()
    visible = Demand.objects.visible_to(request.user).listed()
    data["field"] = ExpertiseField.objects.filter(code=data["field"]).first() if data["field"] else None
    if data["organisation"]:
        data["organisation"] = Organisation.objects.filter(public_id=data["organisation"]).first()
        if data["organisation"] is None:
            return Demand.objects.none()
    if data["mode"] and data["mode"] not in Demand.Mode.values:
        raise DomainError(_("Unknown cooperation mode."))
    demands = filter_demands(visible, data).select_related("organisation").prefetch_related("fields")
    return demands.order_by(*sort_order(data["sort"]))


@router.get("/{public_id}", response=DemandDetailOut, summary="One demand; details only when you may read them")
def get_demand(request: HttpRequest, public_id: str) -> Any:
    return _detail(request, _load(request, public_id))


@router.post("/", response={201: DemandDetailOut}, summary="Create a draft demand")
def create_demand(request: HttpRequest, payload: DemandIn) -> Any:
    values, indicators = _service_values(payload.dict())
    organisation = Organisation.objects.filter(public_id=values.pop("organisation")).first()
    if organisation is None:
        raise NotPermitted()
    demand = services.create_demand(
        actor=request.user,
        organisation=organisation,
        indicators=[dict(i) for i in indicators or []],
        **values,
    )
    return Status(201, _detail(request, demand))


@router.patch("/{public_id}", response=DemandDetailOut, summary="Change a demand")
def update_demand(request: HttpRequest, public_id: str, payload: DemandPatch) -> Any:
    demand = _load(request, public_id)
    values, indicators = _service_values(payload.dict(exclude_unset=True))
    services.update_demand(
        actor=request.user,
        demand=demand,
        indicators=[dict(i) for i in indicators] if indicators is not None else None,
        **values,
    )
    return _detail(request, demand)


@router.post("/{public_id}/submit", response=DemandDetailOut, summary="Submit for review (or publish)")
def submit_demand(request: HttpRequest, public_id: str) -> Any:
    demand = _load(request, public_id)
    services.submit_demand(actor=request.user, demand=demand)
    return _detail(request, demand)


@router.post("/{public_id}/publish", response=DemandDetailOut, summary="Publish (operators approve demands in review)")
def publish_demand(request: HttpRequest, public_id: str) -> Any:
    demand = _load(request, public_id)
    services.publish_demand(actor=request.user, demand=demand)
    return _detail(request, demand)


@router.post("/{public_id}/nda", response={201: NdaOut}, summary="Accept the demand's NDA")
def accept_nda(request: HttpRequest, public_id: str, payload: NdaIn) -> Any:
    demand = _load(request, public_id)
    organisation = None
    if payload.organisation:
        organisation = Organisation.objects.filter(public_id=payload.organisation).first()
        if organisation is None:
            raise DomainError(_("Unknown organisation."))
    acceptance = services.accept_nda(actor=request.user, demand=demand, organisation=organisation)
    return Status(
        201,
        {
            "demand": demand.public_id,
            "text_hash": acceptance.text_hash,
            "organisation": organisation.public_id if organisation else None,
            "accepted_at": acceptance.accepted_at,
        },
    )


@router.get("/{public_id}/questions", response=list[QuestionOut], summary="Questions you may read")
def list_questions(request: HttpRequest, public_id: str) -> Any:
    demand = _load(request, public_id)
    if not perms.can_view_demand_details(request.user, demand):
        raise NotPermitted()
    manager = perms.can_manage_demand(request.user, demand)
    return Question.objects.filter(demand=demand).visible_to(request.user, manager=manager)


@router.post("/{public_id}/questions", response={201: QuestionOut}, summary="Ask a question")
def ask_question(request: HttpRequest, public_id: str, payload: QuestionIn) -> Any:
    demand = _load(request, public_id)
    question = services.ask_question(actor=request.user, demand=demand, body=payload.body, is_public=payload.is_public)
    return Status(201, question)


@router.post("/{public_id}/questions/{question_id}/answer", response=QuestionOut, summary="Answer a question")
def answer_question(request: HttpRequest, public_id: str, question_id: str, payload: AnswerIn) -> Any:
    demand = _load(request, public_id)
    if not perms.can_view_demand_details(request.user, demand):
        raise Http404
    question = get_object_or_404(Question.objects.filter(demand=demand), public_id=question_id)
    return services.answer_question(actor=request.user, question=question, answer=payload.answer)


@router.post("/{public_id}/invitations", response={201: InvitationOut}, summary="Invite a solver")
def invite_solver(request: HttpRequest, public_id: str, payload: InviteIn) -> Any:
    demand = _load(request, public_id)
    invitee = User.objects.filter(public_id=payload.invitee, is_active=True).first()
    if invitee is None:
        raise DomainError(_("Unknown user."))
    invitation = services.invite_solver(actor=request.user, demand=demand, invitee=invitee, message=payload.message)
    return Status(201, {"demand": demand.public_id, "invitee": invitee.public_id, "status": invitation.status})
