"""The operator's page for contract templates: versions, a new version, activation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.contracts import permissions, services
from zhongyan.contracts.forms import TemplateForm
from zhongyan.contracts.models import ContractTemplate
from zhongyan.contracts.services.templates import TEMPLATE_FIELDS
from zhongyan.contracts.views._common import require


def template_list(request: HttpRequest) -> HttpResponse:
    require(permissions.can_manage_templates(request.user))
    templates = ContractTemplate.objects.all()
    return render(request, "contracts/template_list.html", {"templates": templates})


def template_new(request: HttpRequest) -> HttpResponse:
    require(permissions.can_manage_templates(request.user))
    base = ContractTemplate.objects.filter(is_active=True).first() or ContractTemplate.objects.first()
    form = TemplateForm(request.POST or None, instance=None, initial=_initial(base))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in TEMPLATE_FIELDS}
        template = services.create_template_version(
            actor=request.user, data=data, activate=form.cleaned_data["activate"]
        )
        messages.success(request, _("Template version %(version)d is saved.") % {"version": template.version})
        return redirect("contracts:templates")
    status = 422 if form.errors else 200
    return render(request, "contracts/template_form.html", {"form": form, "base": base}, status=status)


def _initial(base: ContractTemplate | None) -> dict[str, object]:
    return {name: getattr(base, name) for name in TEMPLATE_FIELDS} if base else {}


@require_POST
def template_activate(request: HttpRequest, version: int) -> HttpResponse:
    require(permissions.can_manage_templates(request.user))
    template = get_object_or_404(ContractTemplate, version=version)
    services.activate_template(actor=request.user, template=template)
    messages.success(request, _("Template version %(version)d is now active.") % {"version": template.version})
    return redirect("contracts:templates")
