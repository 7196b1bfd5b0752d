"""Catalogue pages: list with search, filters and pagination; detail; create and edit by org admins."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zhongyan.catalog import permissions, services
from zhongyan.catalog.forms import OfferingFilter, OfferingForm
from zhongyan.catalog.models import Offering
from zhongyan.core.errors import DomainError

PAGE_SIZE = 20


def offering_list(request: HttpRequest) -> HttpResponse:
    filters = OfferingFilter(request.GET or None)
    offerings = Offering.objects.visible_to(request.user).published()
    if filters.is_valid():
        data = filters.cleaned_data
        offerings = offerings.search(data["q"]) if data["q"] else offerings
        offerings = offerings.filter(kind=data["kind"]) if data["kind"] else offerings
        offerings = offerings.filter(fields=data["field"]) if data["field"] else offerings
        offerings = offerings.filter(trl__gte=data["trl_min"]) if data["trl_min"] else offerings
    offerings = offerings.select_related("organisation").prefetch_related("fields").order_by("-created_at")
    page = Paginator(offerings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "can_create": permissions.organisations_for(request.user).exists(),
    }
    template = "catalog/offering_list.html#results" if request.htmx else "catalog/offering_list.html"
    return render(request, template, context)


def offering_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    offering = get_object_or_404(
        Offering.objects.visible_to(request.user).select_related("organisation"), public_id=public_id
    )
    context = {"offering": offering, "can_edit": permissions.can_edit_offering(request.user, offering)}
    return render(request, "catalog/offering_detail.html", context)


def _editor(request: HttpRequest, offering: Offering | None) -> HttpResponse:
    organisations = permissions.organisations_for(request.user)
    form = OfferingForm(request.POST or None, instance=offering, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.EDITABLE if name in form.cleaned_data}
        try:
            if offering is None:
                offering = services.create_offering(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    values=values,
                    fields=form.cleaned_data["fields"],
                )
            else:
                services.update_offering(
                    actor=request.user, offering=offering, values=values, fields=form.cleaned_data["fields"]
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The catalogue entry was saved."))
            return redirect("catalog:detail", offering.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/offering_form.html", {"form": form, "offering": offering}, status=status)


def offering_create(request: HttpRequest) -> HttpResponse:
    if not permissions.organisations_for(request.user).exists():
        raise Http404
    return _editor(request, None)


def offering_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    offering = get_object_or_404(Offering.objects.visible_to(request.user), public_id=public_id)
    if not permissions.can_edit_offering(request.user, offering):
        raise Http404
    return _editor(request, offering)
