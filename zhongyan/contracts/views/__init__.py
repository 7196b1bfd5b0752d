from zhongyan.contracts.views.contracts import (
    completion_pdf,
    contract_detail,
    contract_list,
    contract_lock,
    contract_pdf,
    contract_propose,
    contract_reopen,
    contract_send_code,
    contract_sign,
)
from zhongyan.contracts.views.templates import template_activate, template_list, template_new
from zhongyan.contracts.views.verify import verify, verify_number

__all__ = [
    "completion_pdf",
    "contract_detail",
    "contract_list",
    "contract_lock",
    "contract_pdf",
    "contract_propose",
    "contract_reopen",
    "contract_send_code",
    "contract_sign",
    "template_activate",
    "template_list",
    "template_new",
    "verify",
    "verify_number",
]
