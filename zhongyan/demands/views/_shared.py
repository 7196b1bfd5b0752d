from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from zhongyan.demands.models import Demand

PAGE_SIZE = 20


def load_demand(request: HttpRequest, public_id: str) -> Demand:
    queryset = Demand.objects.visible_to(request.user).select_related("organisation", "owner")
    return get_object_or_404(queryset, public_id=public_id)


def authorise(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def user_of(request: HttpRequest) -> Any:
    return request.user


def posted(request: HttpRequest) -> Any:
    """The POST data of a form submission (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None
