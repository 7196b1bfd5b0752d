"""The receipt: a printable page, a JSON download, and the public verification page."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhongyan.proposals import permissions
from zhongyan.proposals.forms import ReceiptVerifyForm
from zhongyan.proposals.receipts import parse_receipt_file, receipt_document, verify_receipt
from zhongyan.proposals.views._common import demand_url, require, visible_proposal

MAX_RECEIPT_FILE = 1024 * 1024


def receipt_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    require(permissions.can_download_receipt(request.user, proposal) and hasattr(proposal, "receipt"))
    context = {"proposal": proposal, "receipt": proposal.receipt, "demand_url": demand_url(proposal.demand)}
    return render(request, "proposals/receipt_detail.html", context)


def receipt_download(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    require(permissions.can_download_receipt(request.user, proposal) and hasattr(proposal, "receipt"))
    document = receipt_document(proposal.receipt)
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{proposal.receipt.number}.json"'
    return response


@login_not_required
def receipt_verify(request: HttpRequest) -> HttpResponse:
    """Anyone holding a receipt checks it against what the platform holds now; the page tells
    only whether it matches, never the proposal's content."""
    result, status = None, 200
    form = ReceiptVerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            number, digest = form.cleaned_data["number"], form.cleaned_data["sha256"]
            upload = form.cleaned_data.get("receipt_file")
            parsed = None
            if upload:
                parsed = parse_receipt_file(upload.read(MAX_RECEIPT_FILE)) if upload.size <= MAX_RECEIPT_FILE else None
                if parsed is None:
                    form.add_error("receipt_file", _("This file is not a Zhongyan proposal receipt."))
            if not form.errors:
                number, digest = parsed or (number, digest)
                result = verify_receipt(number, digest)
        if form.errors:
            status = 422
    return render(request, "proposals/receipt_verify.html", {"form": form, "result": result}, status=status)
