"""REST endpoints for the catalogue: the same scope, permissions and services as the pages."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from zhongyan.catalog.models import Offering

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
