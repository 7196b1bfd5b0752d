"""What the contracts module does when a lower module reports news (connected in apps.py)."""

import logging
from typing import Any

from zhongyan.contracts import services
from zhongyan.core.errors import DomainError

logger = logging.getLogger(__name__)


def draft_contract_on_award(sender: Any, proposal: Any, demand: Any, actor: Any, **kwargs: Any) -> None:
    """An award makes a prefilled draft. The award itself has committed: a missing template must
    not turn it into an error page, so the problem is logged and the draft can be made later."""
    try:
        services.create_contract_for_award(actor=actor, proposal=proposal)
    except DomainError as error:
        logger.warning("no draft contract for proposal %s: %s", proposal.public_id, error)
