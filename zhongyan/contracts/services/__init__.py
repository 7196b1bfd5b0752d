"""The contracts module's use cases: the only write path for pages, API, admin and demo."""

from zhongyan.contracts.services._common import (
    ContractInForce,
    NotEditable,
    NoTemplate,
    NotYourTurn,
    SigningRefused,
    StaleVersion,
)
from zhongyan.contracts.services.drafting import (
    active_template,
    create_contract_for_award,
    lock_contract,
    prefill,
    propose_change,
    reopen_contract,
)
from zhongyan.contracts.services.signatures import (
    issue_signing_code,
    request_signing_code,
    sign_contract,
    uses_totp,
)
from zhongyan.contracts.services.templates import activate_template, create_template_version

__all__ = [
    "ContractInForce",
    "NoTemplate",
    "NotEditable",
    "NotYourTurn",
    "SigningRefused",
    "StaleVersion",
    "activate_template",
    "active_template",
    "create_contract_for_award",
    "create_template_version",
    "issue_signing_code",
    "lock_contract",
    "prefill",
    "propose_change",
    "reopen_contract",
    "request_signing_code",
    "sign_contract",
    "uses_totp",
]
