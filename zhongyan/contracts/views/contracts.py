"""The contract pages: my contracts, the contract, proposing a change, locking, signing, downloads."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.contracts import permissions, services
from zhongyan.contracts.contract_fields import FIELD_LABELS, as_lines, diff
from zhongyan.contracts.forms import ContractFieldsForm, LockForm, SignForm
from zhongyan.contracts.models import FIELD_NAMES, LIST_FIELDS, Contract
from zhongyan.contracts.views._common import client_ip, pdf_response, require, visible_contract
from zhongyan.core.audit import record
from zhongyan.core.errors import DomainError

PAGE_SIZE = 20


def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = Contract.objects.visible_to(request.user).select_related("demand").order_by("-created_at")
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if query:
        contracts = contracts.filter(Q(number__icontains=query) | Q(fields__title__icontains=query))
    if status in Contract.Status.values:
        contracts = contracts.filter(status=status)
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "status": status, "statuses": Contract.Status.choices}
    return render(request, "contracts/contract_list.html", context)


def _versions(contract: Contract) -> list[dict[str, object]]:
    versions = list(contract.versions.select_related("author").order_by("number"))
    result, previous = [], None
    for version in versions:
        result.append({"version": version, "changes": diff(previous, version.fields) if previous else []})
        previous = version.fields
    return list(reversed(result))


def _display(name: str, value: object) -> dict[str, object]:
    if name in LIST_FIELDS:
        return {"rows": as_lines(name, value)}
    texts = value if isinstance(value, dict) else {}
    return {"zh": texts.get("zh-hans", ""), "en": texts.get("en", "")}


def contract_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = visible_contract(request, public_id)
    with transaction.atomic():
        record(request.user, "contract.viewed", contract, {})
    user = request.user
    party_to_sign = permissions.party_to_sign(user, contract)
    context = {
        "contract": contract,
        "parties": contract.parties.select_related("organisation", "person", "signed_by", "certificate"),
        "fields": [(FIELD_LABELS[name], name, _display(name, contract.fields.get(name))) for name in FIELD_NAMES],
        "versions": _versions(contract),
        "can_propose": permissions.can_propose_change(user, contract),
        "can_lock": permissions.can_lock_contract(user, contract),
        "can_reopen": permissions.can_reopen_contract(user, contract),
        "can_sign": party_to_sign is not None,
        "party_to_sign": party_to_sign,
        "can_download": permissions.can_download_contract(user, contract),
    }
    return render(request, "contracts/contract_detail.html", context)


def contract_propose(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = visible_contract(request, public_id)
    require(permissions.can_propose_change(request.user, contract))
    form = ContractFieldsForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_change(
                actor=request.user,
                contract=contract,
                fields=form.contract_fields(),
                base_version=form.cleaned_data["base_version"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your change is saved as a new version."))
            return redirect("contracts:detail", public_id=contract.public_id)
    status = 422 if form.errors else 200
    return render(request, "contracts/contract_propose.html", {"contract": contract, "form": form}, status=status)


def contract_lock(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = visible_contract(request, public_id)
    require(permissions.can_lock_contract(request.user, contract))
    form = LockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lock_contract(
                actor=request.user, contract=contract, signing_order=form.cleaned_data["signing_order"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The contract is locked and ready for signing."))
            return redirect("contracts:detail", public_id=contract.public_id)
    status = 422 if form.errors else 200
    return render(request, "contracts/contract_lock.html", {"contract": contract, "form": form}, status=status)


@require_POST
def contract_reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = visible_contract(request, public_id)
    require(permissions.can_reopen_contract(request.user, contract))
    try:
        services.reopen_contract(actor=request.user, contract=contract)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The contract is a draft again; the parties can propose changes."))
    return redirect("contracts:detail", public_id=contract.public_id)


def contract_sign(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = visible_contract(request, public_id)
    party = permissions.party_to_sign(request.user, contract)
    require(party is not None)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_contract(
                actor=request.user,
                contract=contract,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                ip_address=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("You have signed the contract."))
            return redirect("contracts:detail", public_id=contract.public_id)
    context = {"contract": contract, "party": party, "form": form, "uses_totp": services.uses_totp(request.user)}
    return render(request, "contracts/contract_sign.html", context, status=422 if form.errors else 200)


@require_POST
def contract_send_code(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = visible_contract(request, public_id)
    require(permissions.can_sign_contract(request.user, contract))
    try:
        services.request_signing_code(actor=request.user, contract=contract)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("A 6-digit code is on its way to %(email)s.") % {"email": request.user.email})
    return redirect("contracts:sign", public_id=contract.public_id)


def contract_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = visible_contract(request, public_id)
    require(permissions.can_download_contract(request.user, contract) and contract.pdf is not None)
    with transaction.atomic():
        record(request.user, "contract.downloaded", contract, {"sha256": contract.pdf_sha256})
    return pdf_response(contract.pdf, f"{contract.number}.pdf")


def completion_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = visible_contract(request, public_id)
    require(permissions.can_download_contract(request.user, contract) and contract.completion_pdf is not None)
    with transaction.atomic():
        record(request.user, "contract.completion_downloaded", contract, {"sha256": contract.completion_sha256})
    return pdf_response(contract.completion_pdf, f"{contract.number}-completion.pdf")
