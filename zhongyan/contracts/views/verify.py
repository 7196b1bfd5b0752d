"""The public verification page: anyone, signed in or not, checks a contract PDF or number."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhongyan.contracts import verification
from zhongyan.contracts.forms import VerifyForm


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("pdf")
        if upload is not None:
            result = verification.verify_upload(actor=request.user, data=upload.read())
        else:
            result = verification.verify_number(actor=request.user, number=form.cleaned_data["number"])
            if result is None:
                form.add_error("number", _("No locked or signed contract has this number."))
    if form.errors:
        status = 422
    return render(request, "contracts/verify.html", {"form": form, "result": result}, status=status)


@login_not_required
def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    """Where the QR code on every contract page leads."""
    form = VerifyForm(initial={"number": number})
    result = verification.verify_number(actor=request.user, number=number)
    if result is None:
        form = VerifyForm({"number": number})
        form.is_valid()
        form.add_error("number", _("No locked or signed contract has this number."))
    return render(request, "contracts/verify.html", {"form": form, "result": result}, status=200 if result else 404)
