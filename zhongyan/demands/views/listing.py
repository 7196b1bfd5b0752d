"""Finding demands: the list with filters and search, "my demands", invitations, review queue."""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from zhongyan.core.paging import KeysFirstPaginator
from zhongyan.demands import caching
from zhongyan.demands.filters import filter_demands, sort_order
from zhongyan.demands.forms import DemandFilterForm
from zhongyan.demands.models import Demand, Invitation
from zhongyan.demands.views._shared import PAGE_SIZE, authorise
from zhongyan.orgs.models import Membership, Organisation


def demand_list(request: HttpRequest) -> HttpResponse:
    """The form and results come from the cache shared by users who see the same demands."""
    fragment = bool(request.htmx)
    caching.serve_list_from_cache(request)
    key = caching.list_key(request, fragment=fragment)
    body = cache.get(key)
    if body is None:
        body = _render_list(request, fragment=fragment)
        cache.set(key, body, caching.TTL)
    if fragment:
        return HttpResponse(body)
    # mark_safe: the body is HTML our own templates rendered (escaped there), read back from the cache.
    return render(request, "demands/demand_list.html", {"body": mark_safe(body)})


def _render_list(request: HttpRequest, *, fragment: bool) -> str:
    visible = Demand.objects.visible_to(request.user).listed()
    organisation_ids = caching.visible_organisation_ids(request.user, visible)
    organisations = Organisation.objects.filter(pk__in=organisation_ids).order_by("created_at")
    form = DemandFilterForm(request.GET or None, organisations=organisations)
    data = form.cleaned_data if form.is_valid() else {}
    demands = filter_demands(visible, data).select_related("organisation").prefetch_related("fields")
    demands = demands.order_by(*sort_order(data.get("sort")))
    page = KeysFirstPaginator(demands, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": any(value not in (None, "") for key, value in data.items() if key != "sort"),
    }
    template = "demands/_demand_list_body.html#results" if fragment else "demands/_demand_list_body.html"
    return render_to_string(template, context, request=request)


def demand_mine(request: HttpRequest) -> HttpResponse:
    """Demands of my organisations (any status) and those I follow."""
    user = request.user
    org_ids = Membership.objects.filter(user=user).values("organisation_id")
    own = Demand.objects.filter(Q(organisation__in=org_ids) | Q(owner=user)).select_related("organisation")
    page = Paginator(own.order_by("-updated_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    followed = (
        Demand.objects.visible_to(user).filter(follows__user=user).select_related("organisation").order_by("deadline")
    )
    return render(request, "demands/demand_mine.html", {"page": page, "followed": followed[:50]})


def invitation_list(request: HttpRequest) -> HttpResponse:
    invitations = (
        Invitation.objects.filter(invitee=request.user)
        .select_related("demand", "demand__organisation", "invited_by")
        .order_by("-created_at")
    )
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demands/invitation_list.html", {"page": page})


def review_queue(request: HttpRequest) -> HttpResponse:
    authorise(request.user.is_staff)
    demands = Demand.objects.filter(status=Demand.Status.IN_REVIEW).select_related("organisation", "owner")
    page = Paginator(demands.order_by("updated_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demands/review_queue.html", {"page": page})
