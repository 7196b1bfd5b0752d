"""Fixtures: the pure engines (one CA, two signers, one contract per session) and the app (awards, drafts, signing)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation

from zhongyan.accounts.tests.factories import PASSWORD, UserFactory
from zhongyan.contracts import services
from zhongyan.contracts.ca import CertificateAuthority, SignerCredentials, load_or_create_ca
from zhongyan.contracts.models import ContractTemplate
from zhongyan.contracts.pdf import SAMPLE_FIELDS, RenderedContract, render_contract_html, render_contract_pdf
from zhongyan.contracts.signing import sign_pdf
from zhongyan.core.content import bilingual
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory, IndicatorFactory
from zhongyan.orgs.models import Membership
from zhongyan.orgs.tests.factories import MembershipFactory
from zhongyan.proposals.models import Proposal
from zhongyan.proposals.tests.factories import ProposalFactory

PASSPHRASE = b"test passphrase, not for production"


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return load_or_create_ca(tmp_path_factory.mktemp("ca"), PASSPHRASE)


@pytest.fixture(scope="session")
def owner_signer(ca: CertificateAuthority) -> SignerCredentials:
    return ca.issue_signing_certificate(
        common_name="张伟", organisation="宝山钢铁股份有限公司", email="zhang.wei@baosteel.example"
    )


@pytest.fixture(scope="session")
def solver_signer(ca: CertificateAuthority) -> SignerCredentials:
    # 堃 is a rare name character outside the common-use lists: the stamp font must still have it.
    return ca.issue_signing_certificate(common_name="欧阳堃", organisation="东北大学", email="ouyang.kun@neu.example")


@pytest.fixture(scope="session")
def contract() -> RenderedContract:
    return render_contract_pdf(render_contract_html(SAMPLE_FIELDS), signature_fields=["party_a", "party_b"])


@pytest.fixture(scope="session")
def signed_by_owner(contract: RenderedContract, owner_signer: SignerCredentials) -> bytes:
    return sign_pdf(contract.pdf, credentials=owner_signer, field_name="party_a", location="上海")


@pytest.fixture(scope="session")
def signed_by_both(signed_by_owner: bytes, solver_signer: SignerCredentials) -> bytes:
    return sign_pdf(signed_by_owner, credentials=solver_signer, field_name="party_b", location="沈阳")


@pytest.fixture
def ca_dir(tmp_path: Path) -> Path:
    return tmp_path / "ca"


# --- app fixtures: the contracts module on a database -------------------------------------------------


@pytest.fixture(scope="session")
def app_ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("app-ca")


@pytest.fixture
def app_settings(settings: Any, app_ca_dir: Path) -> Any:
    """The platform CA in a per-session directory (created once), fast password hashing, Chinese first."""
    settings.CONTRACTS_CA_DIR = app_ca_dir / "ca"
    settings.CONTRACTS_CA_PASSPHRASE = PASSPHRASE.decode()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "https://zhongyan.example.cn"
    translation.activate(django_settings.LANGUAGE_CODE)
    _ensure_default_template()
    return settings


def _ensure_default_template() -> None:
    """Transactional tests flush the tables, taking the template seeded by migration 0003 with them."""
    if not ContractTemplate.objects.exists():
        seed = importlib.import_module("zhongyan.contracts.migrations.0003_default_template")
        ContractTemplate.objects.create(
            version=1, is_active=True, body=seed.BODY_FILE.read_text(encoding="utf-8"), **seed.DEFAULT
        )


def _chinese_name(user: Any, zh: str, en: str) -> Any:
    user.display_name = {"zh-hans": zh, "en": en}
    user.save(update_fields=["display_name"])
    return user


@pytest.fixture
def solver_admin(solver_org: Any) -> Any:
    """An administrator of the solver's university: the authorised signer for Party B."""

    user = UserFactory(email="solver-admin@example.com", display_name={"zh-hans": "欧阳堃", "en": "Ouyang Kun"})
    MembershipFactory(organisation=solver_org, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def awarded(app_settings: Any, owner: Any, owner_org: Any, solver: Any, solver_org: Any) -> Any:
    """An awarded proposal of the solver on behalf of the university, to the owner's demand."""

    _chinese_name(owner, "张伟", "Zhang Wei")
    _chinese_name(solver, "李娜", "Li Na")
    return make_award(owner, owner_org, solver, solver_org)


def make_award(owner: Any, owner_org: Any, solver: Any, solver_org: Any | None) -> Any:

    demand = DemandFactory(
        organisation=owner_org,
        owner=owner,
        status=Demand.Status.AWARDED,
        title=bilingual(zh="冷轧带钢表面缺陷在线检测", en="Online surface inspection of cold strip"),
        ip_terms=Demand.IpTerms.EXCLUSIVE_TRANSFER,
    )
    indicator = IndicatorFactory(
        demand=demand, name=bilingual(zh="检出率", en="Detection rate"), target="≥ 98", unit="%"
    )
    return ProposalFactory(
        demand=demand,
        solver=solver,
        organisation=solver_org,
        status=Proposal.Status.AWARDED,
        submitted_at=timezone.now(),
        budget=3_600_000,
        deliverables={str(indicator.pk): "缺陷检测算法及源代码"},
    )


@pytest.fixture
def draft(awarded: Any, owner: Any) -> Any:
    return services.create_contract_for_award(actor=owner, proposal=awarded)


def email_code(user: Any, contract: Any) -> str:
    return services.issue_signing_code(user, contract)


def sign_as(user: Any, contract: Any) -> Any:
    """Sign through the service with the password and a fresh e-mailed code, as the page does."""
    return services.sign_contract(
        actor=user, contract=contract, password=PASSWORD, code=email_code(user, contract), ip_address="10.1.2.3"
    )


@pytest.fixture
def locked(draft: Any, owner: Any) -> Any:
    return services.lock_contract(actor=owner, contract=draft)


@pytest.fixture
def in_force(locked: Any, owner: Any, solver_admin: Any) -> Any:
    sign_as(owner, locked)
    return sign_as(solver_admin, locked)
