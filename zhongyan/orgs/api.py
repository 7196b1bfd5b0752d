"""REST endpoints for organisations: the same scopes, permissions and services as the pages."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongyan.accounts.models import Field as ExpertiseField
from zhongyan.core.content import localized
from zhongyan.core.errors import NotPermitted
from zhongyan.orgs import permissions as perms
from zhongyan.orgs import services
from zhongyan.orgs.models import Membership, Organisation

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: str = Field(..., alias="public_id")
    name: dict[str, str]
    display_name: str
    kind: str
    verification: str
    description: dict[str, str]
    city: dict[str, str]
    website: str
    fields: list[str]
    verified_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_display_name(obj: Organisation) -> str:
        return localized(obj.name)

    @staticmethod
    def resolve_fields(obj: Organisation) -> list[str]:
        return [field.code for field in obj.fields.all()]


class OrganisationIn(Schema):
    name: dict[str, str]
    kind: str
    description: dict[str, str] = {}
    city: dict[str, str] = {}
    website: str = ""
    fields: list[str] = Field(default=[], description="Field codes from the shared taxonomy.")


class OrganisationPatch(Schema):
    name: dict[str, str] | None = None
    kind: str | None = None
    description: dict[str, str] | None = None
    city: dict[str, str] | None = None
    website: str | None = None
    fields: list[str] | None = None


class OrganisationFilter(Schema):
    q: str = Field("", description="Search names, descriptions and cities, in Chinese or English.")
    kind: str = ""


class MemberOut(Schema):
    user: str
    name: str
    role: str
    joined_at: datetime


class JoinRequestIn(Schema):
    message: str = ""


class JoinRequestOut(Schema):
    id: str
    status: str


def _visible(request: HttpRequest, public_id: str) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(request.auth), public_id=public_id)  # type: ignore[attr-defined]


def _fields(codes: list[str] | None) -> list[ExpertiseField] | None:
    if codes is None:
        return None
    return list(ExpertiseField.objects.filter(code__in=codes))


@router.get("/", response=list[OrganisationOut], summary="Organisations you can see")
@paginate(PageNumberPagination, page_size=20)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilter]) -> Any:
    organisations = Organisation.objects.visible_to(request.auth).search(filters.q)  # type: ignore[attr-defined]
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    return organisations.prefetch_related("fields").order_by("created_at")


@router.get("/{public_id}", response=OrganisationOut, summary="One organisation")
def get_organisation(request: HttpRequest, public_id: str) -> Organisation:
    return _visible(request, public_id)


@router.post("/", response={201: OrganisationOut}, summary="Register an organisation (you become its owner)")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    data = payload.dict()
    fields = _fields(data.pop("fields"))
    organisation = services.create_organisation(actor=request.auth, fields=fields or [], **data)  # type: ignore[attr-defined]
    return Status(201, organisation)


@router.patch("/{public_id}", response=OrganisationOut, summary="Change an organisation")
def update_organisation(request: HttpRequest, public_id: str, payload: OrganisationPatch) -> Organisation:
    organisation = _visible(request, public_id)
    changes = payload.dict(exclude_unset=True)
    fields = _fields(changes.pop("fields", None))
    return services.update_organisation(
        actor=request.auth,  # type: ignore[attr-defined]
        organisation=organisation,
        fields=fields,
        **{key: value for key, value in changes.items() if value is not None},
    )


@router.get("/{public_id}/members", response=list[MemberOut], summary="Members (for members and operators)")
def list_members(request: HttpRequest, public_id: str) -> list[dict[str, Any]]:
    organisation = _visible(request, public_id)
    if not perms.can_view_members(request.auth, organisation):  # type: ignore[attr-defined]
        raise NotPermitted()
    memberships = Membership.objects.filter(organisation=organisation).select_related("user").order_by("created_at")
    return [
        {"user": m.user.public_id, "name": m.user.name, "role": m.role, "joined_at": m.created_at} for m in memberships
    ]


@router.post("/{public_id}/join-requests", response={201: JoinRequestOut}, summary="Ask to join")
def request_to_join(request: HttpRequest, public_id: str, payload: JoinRequestIn) -> Status[dict[str, str]]:
    organisation = _visible(request, public_id)
    join_request = services.request_to_join(
        actor=request.auth,  # type: ignore[attr-defined]
        organisation=organisation,
        message=payload.message,
    )
    return Status(201, {"id": join_request.public_id, "status": join_request.status})
