"""REST endpoints for the catalogue: the same scope, permissions, form validation and services as
the pages. Validation errors are 422 with the page's translated messages, keyed by field."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongyan.accounts.models import Field
from zhongyan.catalog import permissions, services
from zhongyan.catalog.forms import OfferingForm
from zhongyan.catalog.models import Offering
from zhongyan.core.content import content_languages
from zhongyan.core.errors import NotPermitted
from zhongyan.orgs.models import Organisation

router = Router(tags=["catalog"])


class OfferingOut(Schema):
    id: str
    kind: str
    title: dict[str, str]
    description: dict[str, str]
    trl: int | None
    ip_status: str
    licensing: str
    organisation: str
    fields: list[str]
    keywords: str
    status: str

    @staticmethod
    def resolve_id(obj: Offering) -> str:
        return obj.public_id

    @staticmethod
    def resolve_organisation(obj: Offering) -> str:
        return obj.organisation.public_id

    @staticmethod
    def resolve_fields(obj: Offering) -> list[str]:
        return [field.code for field in obj.fields.all()]


class OfferingFilter(Schema):
    q: str = ""
    kind: str = ""
    trl_min: int | None = None


@router.get("/", response=list[OfferingOut], summary="Published catalogue entries (search works in Chinese)")
@paginate(PageNumberPagination, page_size=20)
def list_offerings(request: HttpRequest, filters: Query[OfferingFilter]) -> Any:
    offerings = Offering.objects.visible_to(request.auth).published()  # type: ignore[attr-defined]
    if filters.q:
        offerings = offerings.search(filters.q)
    if filters.kind:
        offerings = offerings.filter(kind=filters.kind)
    if filters.trl_min:
        offerings = offerings.filter(trl__gte=filters.trl_min)
    return offerings.select_related("organisation").prefetch_related("fields").order_by("-created_at")


@router.get("/{public_id}", response=OfferingOut, summary="One catalogue entry")
def get_offering(request: HttpRequest, public_id: str) -> Any:
    return get_object_or_404(Offering.objects.visible_to(request.auth), public_id=public_id)  # type: ignore[attr-defined]


# --- writes: the page's form validates, the services write -------------------------------------


class OfferingIn(Schema):
    organisation: str = SchemaField(description="Public id of the offering organisation")
    kind: str = Offering.Kind.TECHNOLOGY
    title: dict[str, str] = SchemaField(description="{'zh-hans': ..., 'en': ...}; at least one language")
    description: dict[str, str] = SchemaField(default_factory=dict)
    trl: int | None = None
    ip_status: str = Offering.IpStatus.NONE
    licensing: str = Offering.Licensing.NON_EXCLUSIVE
    fields: list[str] = SchemaField(default_factory=list, description="Field codes")
    keywords: str = ""
    status: str = Offering.Status.PUBLISHED


class OfferingPatch(Schema):
    title: dict[str, str] | None = None
    description: dict[str, str] | None = None
    trl: int | None = None
    ip_status: str | None = None
    licensing: str | None = None
    fields: list[str] | None = None
    keywords: str | None = None
    status: str | None = None


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class Error(Schema):
    detail: str


def _invalid(errors: dict[str, list[str]]) -> Status:
    first = next(iter(errors.values()))[0]
    return Status(422, {"detail": first, "errors": errors})


def _form_data(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The page form's POST data for API values; unknown field codes are returned separately."""
    data: dict[str, Any] = {}
    for name in ("title", "description"):
        for code in content_languages():
            data[f"{name}_{code.replace('-', '_')}"] = (values.get(name) or {}).get(code, "")
    for name in ("kind", "ip_status", "licensing", "keywords", "status"):
        data[name] = values.get(name) or ""
    data["trl"] = "" if values.get("trl") is None else str(values["trl"])
    codes = list(values.get("fields") or [])
    found = dict(Field.objects.filter(code__in=codes).values_list("code", "pk"))
    data["fields"] = [found[code] for code in codes if code in found]
    return data, sorted(set(codes) - set(found))


def _save(request: HttpRequest, offering: Offering | None, values: dict[str, Any], organisation: Any = None) -> Any:
    data, unknown = _form_data(values)
    if organisation is not None:
        data["organisation"] = organisation.pk
    organisations = Organisation.objects.filter(pk=organisation.pk) if organisation is not None else None
    # The form gets its own copy: a bound ModelForm writes the new values onto its instance.
    instance = Offering.objects.get(pk=offering.pk) if offering is not None else None
    form = OfferingForm(data, instance=instance, organisations=organisations)
    errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    if unknown:
        errors.setdefault("fields", []).append(_("Unknown field codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    if errors:
        return _invalid(errors)
    editable = {name: form.cleaned_data[name] for name in services.EDITABLE if name in form.cleaned_data}
    try:
        if offering is None:
            offering = services.create_offering(
                actor=request.auth,  # type: ignore[attr-defined]
                organisation=organisation,
                values=editable,
                fields=form.cleaned_data["fields"],
            )
        else:
            offering = services.update_offering(
                actor=request.auth,  # type: ignore[attr-defined]
                offering=offering,
                values=editable,
                fields=form.cleaned_data["fields"],
            )
    except services.OfferingInvalid as invalid:
        return _invalid({"__all__": [str(invalid.message)]})
    return offering


def _editable(request: HttpRequest, public_id: str) -> Offering:
    """Visible (else 404) and editable by the caller (else 403), as the edit page decides."""
    offering = get_object_or_404(Offering.objects.visible_to(request.auth), public_id=public_id)  # type: ignore[attr-defined]
    if not permissions.can_edit_offering(request.auth, offering):  # type: ignore[attr-defined]
        raise NotPermitted
    return offering


@router.post(
    "/",
    response={201: OfferingOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    summary="Offer a technology, achievement, patent, laboratory or piece of equipment",
)
def create_offering(request: HttpRequest, payload: OfferingIn) -> Any:
    organisation = get_object_or_404(Organisation, public_id=payload.organisation)
    if not permissions.can_create_offering_for(request.auth, organisation):  # type: ignore[attr-defined]
        raise NotPermitted
    result = _save(request, None, payload.model_dump(), organisation)
    return result if isinstance(result, Status) else Status(201, result)


@router.patch(
    "/{public_id}",
    response={200: OfferingOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    summary="Change a catalogue entry (only the fields sent)",
)
def update_offering(request: HttpRequest, public_id: str, payload: OfferingPatch) -> Any:
    offering = _editable(request, public_id)
    current = {
        "kind": offering.kind,
        "title": offering.title,
        "description": offering.description,
        "trl": offering.trl,
        "ip_status": offering.ip_status,
        "licensing": offering.licensing,
        "fields": [field.code for field in offering.fields.all()],
        "keywords": offering.keywords,
        "status": offering.status,
    }
    return _save(request, offering, current | payload.model_dump(exclude_unset=True))


@router.post(
    "/{public_id}/withdraw",
    response={200: OfferingOut, 403: Error, 404: Error},
    summary="Withdraw a catalogue entry from the catalogue (it stays visible to its organisation)",
)
def withdraw_offering(request: HttpRequest, public_id: str) -> Any:
    offering = _editable(request, public_id)
    return services.update_offering(
        actor=request.auth,  # type: ignore[attr-defined]
        offering=offering,
        values={"status": Offering.Status.WITHDRAWN},
    )
