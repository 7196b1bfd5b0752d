"""Accounts in the REST API: one's own profile, and the expert directory."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema

from zhongyan.accounts import services
from zhongyan.accounts.models import Field, User
from zhongyan.accounts.querysets import expert_directory
from zhongyan.accounts.templatetags.accounts import avatar_url
from zhongyan.core.errors import DomainError

router = Router(tags=["accounts"])

MAX_PAGE_SIZE = 100


class FieldOut(Schema):
    code: str
    name: dict[str, str]


class ExpertOut(Schema):
    id: str
    name: str
    display_name: dict[str, str]
    headline: dict[str, str]
    bio: dict[str, str]
    fields: list[FieldOut]
    keywords: list[str]
    publications: str
    languages: list[str]
    availability: str
    avatar_url: str | None
    thumbnail_url: str | None


class ProfileOut(ExpertOut):
    email: str


class ProfilePatch(Schema):
    display_name: dict[str, str] | None = None
    headline: dict[str, str] | None = None
    bio: dict[str, str] | None = None
    fields: list[str] | None = SchemaField(None, description="Field codes, e.g. ['ironmaking', 'industrial-ai-data']")
    keywords: list[str] | str | None = None
    publications: str | None = None
    languages: list[str] | None = None
    availability: User.Availability | None = None


class ExpertPage(Schema):
    items: list[ExpertOut]
    count: int
    page: int
    pages: int


class ExpertFilters(Schema):
    q: str = SchemaField("", max_length=100, description="Words found in name, headline, bio or keywords")
    field: str = SchemaField("", max_length=60, description="A field code")
    page: int = SchemaField(1, ge=1)
    page_size: int = SchemaField(20, ge=1, le=MAX_PAGE_SIZE)


class Error(Schema):
    detail: str


def _expert(person: User) -> dict[str, Any]:
    return {
        "id": person.public_id,
        "name": person.name,
        "display_name": person.display_name,
        "headline": person.headline,
        "bio": person.bio,
        "fields": [{"code": field.code, "name": field.name} for field in person.fields.all()],
        "keywords": person.keyword_list(),
        "publications": person.publications,
        "languages": person.languages,
        "availability": person.availability,
        "avatar_url": avatar_url(person) or None,
        "thumbnail_url": avatar_url(person, "thumbnail") or None,
    }


def _profile(person: User) -> dict[str, Any]:
    return {**_expert(person), "email": person.email}


@router.get("/profile", response=ProfileOut, summary="My profile")
def get_profile(request: HttpRequest) -> dict[str, Any]:
    return _profile(request.auth)  # type: ignore[attr-defined]


@router.patch("/profile", response={200: ProfileOut, 400: Error}, summary="Change my profile")
def patch_profile(request: HttpRequest, payload: ProfilePatch) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    data = payload.model_dump(exclude_unset=True)
    field_codes = data.pop("fields", None)
    fields = None
    if field_codes is not None:
        fields = list(Field.objects.filter(code__in=field_codes))
        unknown = set(field_codes) - {field.code for field in fields}
        if unknown:
            raise DomainError(_("Unknown field codes: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    if isinstance(data.get("keywords"), list):
        data["keywords"] = ", ".join(data["keywords"])
    changes = {name: value for name, value in data.items() if value is not None}
    services.update_profile(actor=user, user=user, changes=changes, fields=fields)
    user.refresh_from_db()
    return _profile(user)


@router.get("/experts", response=ExpertPage, summary="Search the expert directory")
def list_experts(request: HttpRequest, filters: Query[ExpertFilters]) -> dict[str, Any]:
    experts = expert_directory(request.auth, text=filters.q, field_code=filters.field)  # type: ignore[attr-defined]
    paginator = Paginator(experts, filters.page_size)
    page = paginator.get_page(filters.page)
    return {
        "items": [_expert(person) for person in page.object_list],
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
    }
