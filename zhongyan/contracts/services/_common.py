"""Helpers shared by the contract services: named errors, row locks, signals after commit."""

from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from zhongyan.contracts.models import Contract
from zhongyan.core.errors import DomainError, NotPermitted


class ContractInForce(DomainError):
    default_message = _("This contract is in force and can no longer be changed.")


class NotEditable(DomainError):
    default_message = _("Only a draft contract can be changed.")


class StaleVersion(DomainError):
    default_message = _("Someone changed this contract while you were editing. Review the new version and try again.")


class SigningRefused(DomainError):
    default_message = _("The signature was refused: your password or verification code is not correct.")


class NotYourTurn(NotPermitted):
    default_message = _("You cannot sign this contract now.")


class NoTemplate(DomainError):
    default_message = _("No contract template is active. An operator must activate one.")


def send_after_commit(signal: Signal, **kwargs: Any) -> None:
    transaction.on_commit(partial(signal.send, sender=Contract, **kwargs))


def lock_contract_row(contract: Contract) -> Contract:
    """Lock the contract's row and return it freshly read: writers queue behind each other and
    each sees the previous one's result (the PDF bytes a signer signs are always the latest)."""
    return Contract.objects.select_for_update().get(pk=contract.pk)


def refuse_if_in_force(contract: Contract) -> None:
    if contract.status == Contract.Status.IN_FORCE:
        raise ContractInForce()
