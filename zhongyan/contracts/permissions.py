"""Who may do what with a contract. Services enforce these; views pass them to templates as booleans.
`can_view_contract` answers for one contract what `Contract.objects.visible_to(user)` answers for
a list; the table test holds them together.

- view / download: members of either party's organisation, the personal party, the solver, the
  demand's contact, operators;
- propose changes (draft only): those who negotiate: each party's signers, the solver and the
  demand's contact;
- lock: Party A's side (the demand's contact or Party A's signers);
- sign: a party's authorised signer (an owner or administrator of its organisation, or the person
  who is the party), once, in the contract's signing order.
"""

from typing import Any

from zhongyan.contracts.models import Contract, ContractParty
from zhongyan.orgs.models import Membership

SIGNABLE_STATES = (Contract.Status.LOCKED, Contract.Status.SIGNING)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def _roles(user: Any) -> dict[int, str]:
    cached = getattr(user, "_contract_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._contract_roles = cached
    return cached


def _parties(contract: Contract) -> list[ContractParty]:
    return list(contract.parties.all())


def is_signer_for(user: Any, party: ContractParty) -> bool:
    if not _signed_in(user):
        return False
    if party.organisation_id is not None:
        return _roles(user).get(party.organisation_id) in (Membership.Role.OWNER, Membership.Role.ADMIN)
    return party.person_id == user.pk


def can_view_contract(user: Any, contract: Contract) -> bool:
    if not _signed_in(user):
        return False
    if user.is_staff or contract.proposal.solver_id == user.pk or contract.demand.owner_id == user.pk:
        return True
    roles = _roles(user)
    return any(p.organisation_id in roles or p.person_id == user.pk for p in _parties(contract))


def _negotiates(user: Any, contract: Contract) -> bool:
    return (
        contract.proposal.solver_id == user.pk
        or contract.demand.owner_id == user.pk
        or any(is_signer_for(user, party) for party in _parties(contract))
    )


def can_propose_change(user: Any, contract: Contract) -> bool:
    return _signed_in(user) and contract.status == Contract.Status.DRAFT and _negotiates(user, contract)


def _is_party_a_side(user: Any, contract: Contract) -> bool:
    party_a = next((p for p in _parties(contract) if p.role == ContractParty.Role.PARTY_A), None)
    return contract.demand.owner_id == user.pk or (party_a is not None and is_signer_for(user, party_a))


def can_lock_contract(user: Any, contract: Contract) -> bool:
    return _signed_in(user) and contract.status == Contract.Status.DRAFT and _is_party_a_side(user, contract)


def can_reopen_contract(user: Any, contract: Contract) -> bool:
    """Back to draft for more changes: Party A's side, while locked and nobody has signed."""
    return _signed_in(user) and contract.status == Contract.Status.LOCKED and _is_party_a_side(user, contract)


def party_to_sign(user: Any, contract: Contract) -> ContractParty | None:
    """The party `user` may sign for now, or None (not a signer, already signed, or not their turn)."""
    if not _signed_in(user) or contract.status not in SIGNABLE_STATES:
        return None
    parties = _parties(contract)
    for party in parties:
        if party.has_signed or not is_signer_for(user, party):
            continue
        if contract.signing_order == Contract.SigningOrder.SEQUENTIAL and any(
            not earlier.has_signed for earlier in parties if earlier.position < party.position
        ):
            continue
        return party
    return None


def can_sign_contract(user: Any, contract: Contract) -> bool:
    return party_to_sign(user, contract) is not None


def can_download_contract(user: Any, contract: Contract) -> bool:
    return can_view_contract(user, contract) and contract.status != Contract.Status.DRAFT


def can_manage_templates(user: Any) -> bool:
    return _signed_in(user) and user.is_staff
