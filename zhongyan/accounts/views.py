from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhongyan.accounts.models import User


def profile_edit(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile_edit.html")


def expert_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/expert_list.html", {"experts": User.objects.filter(is_active=True)})
