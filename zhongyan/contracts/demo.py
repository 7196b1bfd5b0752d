"""Demo contract: the awarded proposal of the demo data becomes a contract that both sides sign.

Idempotent: the contract is found by its proposal, and a contract already in force is left alone.
The award's on-commit signal would make the draft too, but the demo loads in one transaction, so
the draft is made here directly through the same service. Signing goes through the service with the
demo password and an issued e-mail code, so the demo carries real PAdES signatures and audit entries.
"""

from typing import Any, TextIO

from zhongyan.accounts.models import User
from zhongyan.contracts import permissions, services
from zhongyan.contracts.models import Contract
from zhongyan.orgs.models import Membership
from zhongyan.proposals.models import Proposal


def _signer(contract: Contract, role: str) -> User | None:
    party = contract.parties.get(role=role)
    if party.person_id is not None:
        return party.person
    memberships = Membership.objects.filter(
        organisation=party.organisation, role__in=(Membership.Role.OWNER, Membership.Role.ADMIN)
    ).select_related("user")
    return next((m.user for m in memberships.order_by("pk") if permissions.is_signer_for(m.user, party)), None)


def load(
    stdout: TextIO | Any,
    personas: dict[str, User] | None = None,
    demands: Any = None,
    proposals: Any = None,
    password: str = "",
    **context: Any,
) -> Contract | None:
    proposal = Proposal.objects.filter(status=Proposal.Status.AWARDED).order_by("decided_at", "pk").first()
    if proposal is None:
        stdout.write("Contracts: skipped, no awarded proposal in the demo.\n")
        return None
    existing = Contract.objects.filter(proposal=proposal).first()
    if existing is not None and existing.status == Contract.Status.IN_FORCE:
        stdout.write(f"Contracts: {existing.number} already signed.\n")
        return existing
    owner = proposal.demand.owner
    contract = existing or services.create_contract_for_award(actor=owner, proposal=proposal)
    if contract.status == Contract.Status.DRAFT:
        contract = services.lock_contract(actor=owner, contract=contract)
    for role in ("party_a", "party_b"):
        signer = _signer(contract, role)
        if signer is None or not signer.check_password(password):
            stdout.write(f"Contracts: {contract.number} left unsigned by {role}: no signer with the demo password.\n")
            return contract
        if permissions.party_to_sign(signer, contract) is not None:
            code = services.issue_signing_code(signer, contract)
            contract = services.sign_contract(
                actor=signer, contract=contract, password=password, code=code, ip_address="127.0.0.1"
            )
    stdout.write(f"Contracts: {contract.number} signed by both parties and in force.\n")
    return contract
