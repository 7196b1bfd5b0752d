from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "zhongyan.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from zhongyan.contracts import receivers
        from zhongyan.proposals.signals import proposal_awarded

        proposal_awarded.connect(receivers.draft_contract_on_award, dispatch_uid="contracts.draft_on_award")
