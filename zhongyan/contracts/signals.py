"""News from the contracts module, sent with transaction.on_commit after the write commits.

Every signal is sent with `sender=Contract` and the keyword arguments named below.
"""

from django.dispatch import Signal

contract_drafted = Signal()  # contract, actor  (a draft made from an award)
contract_changed = Signal()  # contract, version, actor
contract_locked = Signal()  # contract, actor
contract_party_signed = Signal()  # contract, party, actor
contract_signed = Signal()  # contract, actor  -> every party has signed: in force (projects starts a project)
