"""News from the proposals module, sent with transaction.on_commit after the write commits.

Every signal is sent with `sender=Proposal` and keyword arguments named below.
"""

from django.dispatch import Signal

proposal_submitted = Signal()  # proposal, receipt, actor
proposal_withdrawn = Signal()  # proposal, actor
review_assigned = Signal()  # proposal (or None), demand, assignment, actor
clarification_requested = Signal()  # proposal, request, actor
proposal_awarded = Signal()  # proposal, demand, actor  -> contracts creates a draft contract
proposal_not_awarded = Signal()  # proposal, demand, actor  -> feedback released to the solver
