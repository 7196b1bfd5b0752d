"""Operators keep the contract templates: each change is a new version; one version is active."""

from typing import Any

from django.db import transaction
from django.db.models import Max

from zhongyan.contracts import permissions
from zhongyan.contracts.models import ContractTemplate
from zhongyan.core.audit import record
from zhongyan.core.errors import NotPermitted

TEMPLATE_FIELDS = (
    "name",
    "body",
    "title",
    "ip_exclusive_transfer",
    "ip_non_exclusive_licence",
    "ip_solver_keeps",
    "confidentiality",
    "term",
    "disputes",
)


def create_template_version(*, actor: Any, data: dict[str, Any], activate: bool = False) -> ContractTemplate:
    if not permissions.can_manage_templates(actor):
        raise NotPermitted()
    with transaction.atomic():
        latest = ContractTemplate.objects.select_for_update().aggregate(latest=Max("version"))["latest"] or 0
        template = ContractTemplate.objects.create(
            version=latest + 1, created_by=actor, **{name: data[name] for name in TEMPLATE_FIELDS}
        )
        record(actor, "contract.template_created", template, {"version": template.version})
        if activate:
            _activate(actor, template)
    return template


def activate_template(*, actor: Any, template: ContractTemplate) -> ContractTemplate:
    if not permissions.can_manage_templates(actor):
        raise NotPermitted()
    with transaction.atomic():
        _activate(actor, template)
    return template


def _activate(actor: Any, template: ContractTemplate) -> None:
    ContractTemplate.objects.filter(is_active=True).exclude(pk=template.pk).update(is_active=False)
    ContractTemplate.objects.filter(pk=template.pk).update(is_active=True)
    template.is_active = True
    record(actor, "contract.template_activated", template, {"version": template.version})
