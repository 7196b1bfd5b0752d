from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zhongyan.orgs.models import Organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/organisation_list.html", {"organisations": Organisation.objects.all()})


def organisation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, public_id=public_id)
    return render(request, "orgs/organisation_detail.html", {"organisation": organisation})
