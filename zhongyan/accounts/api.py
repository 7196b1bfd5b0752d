"""Accounts in the REST API: one's own profile, and the expert directory."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhongyan.accounts import bibliography, permissions, services
from zhongyan.accounts.models import Field, Publication, PublicationImport, User
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


class PublicationOut(Schema):
    id: str
    kind: str
    title: str
    abstract: str
    authors: str
    year: int | None
    venue: str
    patent_number: str
    doi: str
    url: str

    @staticmethod
    def resolve_id(obj: Publication) -> str:
        return obj.public_id


class PublicationPage(Schema):
    items: list[PublicationOut]
    count: int
    page: int
    pages: int


class ImportErrorOut(Schema):
    line: int
    code: str
    message: str


class ImportJobOut(Schema):
    id: str
    status: str
    format: str
    filename: str
    total: int
    done: int
    imported: int
    duplicates: int
    errors: list[ImportErrorOut]


def _job(job: PublicationImport) -> dict[str, Any]:
    return {
        "id": job.public_id,
        "status": job.status,
        "format": job.format,
        "filename": job.filename,
        "total": job.total,
        "done": job.done,
        "imported": job.imported,
        "duplicates": job.duplicates,
        "errors": [
            {"line": error["line"], "code": error["code"], "message": bibliography.stored_error_message(error)}
            for error in job.errors
        ],
    }


class PageFilters(Schema):
    page: int = SchemaField(1, ge=1)
    page_size: int = SchemaField(50, ge=1, le=MAX_PAGE_SIZE)


@router.get("/profile/publications", response=PublicationPage, summary="My publications and patents")
def list_publications(request: HttpRequest, filters: Query[PageFilters]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    paginator = Paginator(user.bibliography.all(), filters.page_size)
    current = paginator.get_page(filters.page)
    return {
        "items": list(current.object_list),
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
    }


@router.post(
    "/profile/publications/import",
    response={202: ImportJobOut, 400: Error},
    summary="Import publications from a BibTeX, RIS or CSV file",
    description="Small files are imported at once; for larger ones poll the returned job until it is done.",
)
def import_publication_file(request: HttpRequest, file: File[UploadedFile]) -> Status:
    user: User = request.auth  # type: ignore[attr-defined]
    job = services.import_publications(actor=user, user=user, file=file)
    return Status(202, _job(job))


@router.get(
    "/publication-imports/{public_id}", response={200: ImportJobOut, 404: Error}, summary="Progress of an import"
)
def get_publication_import(request: HttpRequest, public_id: str) -> Any:
    job = PublicationImport.objects.select_related("owner").filter(public_id=public_id).first()
    if job is None or not permissions.can_view_publication_import(request.auth, job):  # type: ignore[attr-defined]
        return Status(404, {"detail": _("Not found.")})
    return _job(job)
