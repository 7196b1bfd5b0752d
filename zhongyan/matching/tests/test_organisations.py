"""Partner organisations for a demand: who sees them, what explains them, which are left out and why,
what may enter an organisation's document, and how it stays up to date."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhongyan.accounts.services import update_profile
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.catalog.tests.factories import OfferingFactory
from zhongyan.core.content import bilingual, localized
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory
from zhongyan.matching.documents import organisation_document
from zhongyan.matching.models import Embedding
from zhongyan.matching.recommend import OWN_ORGANISATION, recommend_organisations
from zhongyan.matching.services import matchable_organisations
from zhongyan.matching.tests.conftest import BLAST_FURNACE_EN
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.orgs.tests.factories import MembershipFactory, OrganisationFactory
from zhongyan.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolling_org() -> Organisation:
    return OrganisationFactory(
        kind=Organisation.Kind.SUPPLIER,
        name=bilingual(en="Mill Vibration Services"),
        description=bilingual(en="Chatter vibration diagnosis of cold tandem rolling mills and roll grinding."),
    )


def _url(demand: Demand) -> str:
    return reverse("matching:demand_recommendations", args=[demand.public_id])


def _describe_owner_org(owner_org: Organisation) -> None:
    owner_org.description = bilingual(zh="高炉喷煤、风口回旋区燃烧与降低焦比的生产实践。", en=BLAST_FURNACE_EN)
    owner_org.save()


def test_owner_sees_partner_organisations_with_fields_terms_and_matching_offerings(
    as_user, owner, bf_demand, partner, rolling_org
):
    response = as_user(owner).get(_url(bf_demand), headers={"HX-Request": "true"})
    assert response.status_code == 200
    recommended = response.context["organisations"].recommended
    assert recommended[0].obj == partner
    assert rolling_org not in [rec.obj for rec in recommended]
    top = recommended[0]
    assert [field.code for field in top.shared_fields] == ["ironmaking"]
    assert top.match.explanation.terms
    assert [localized(o.obj.title, "en") for o in top.offerings] == ["Oxygen-enriched coal injection lance"]
    body = response.content.decode()
    assert "Raceway Combustion Laboratory" in body and "Oxygen-enriched coal injection lance" in body


def test_the_owners_own_organisation_is_excluded_and_the_owner_sees_why(as_user, owner, owner_org, bf_demand, partner):
    _describe_owner_org(owner_org)
    response = as_user(owner).get(_url(bf_demand), headers={"Accept-Language": "zh-hans"})
    result = response.context["organisations"]
    assert owner_org not in [rec.obj for rec in result.recommended]
    assert {rec.obj: rec.reasons for rec in result.excluded}[owner_org] == [OWN_ORGANISATION]
    assert "需求方本单位（利益冲突）" in response.content.decode()  # the reason, translated


def test_any_organisation_the_owner_belongs_to_is_excluded(owner, bf_demand, partner):
    MembershipFactory(organisation=partner, user=owner, role=Membership.Role.MEMBER)
    result = recommend_organisations(bf_demand)
    assert partner not in [rec.obj for rec in result.recommended]
    assert partner in [rec.obj for rec in result.excluded]


def test_unverified_organisations_are_never_recommended(owner, bf_demand, partner):
    Organisation.objects.filter(pk=partner.pk).update(verification=Organisation.Verification.PENDING)
    result = recommend_organisations(bf_demand)
    assert partner not in [rec.obj for rec in result.recommended + result.excluded]
    assert not Embedding.objects.filter(item_type="organisation", item_id=partner.pk).exists()


def test_a_chinese_demand_finds_an_organisation_described_in_english(owner, owner_org, ironmaking, partner):
    demand = DemandFactory(
        organisation=owner_org,
        owner=owner,
        published=True,
        title=bilingual(zh="提高高炉喷煤比，降低焦比"),
        summary=bilingual(zh="希望提高煤粉喷吹量并改善风口回旋区燃烧。"),
        background=bilingual(zh="未燃煤粉增多，焦比偏高。"),
        deliverables=bilingual(zh="喷吹工艺方案"),
    )
    result = recommend_organisations(demand)
    assert result.recommended and result.recommended[0].obj == partner
    assert result.recommended[0].match.explanation.cross_language


def test_internal_demand_titles_and_nda_details_never_enter_an_organisation_document(owner_org, partner):
    internal = DemandFactory(
        organisation=owner_org,
        published=True,
        confidentiality=Demand.Confidentiality.INTERNAL,
        title=bilingual(en="Secret tuyere redesign for furnace number four"),
    )
    nda = DemandFactory(
        organisation=owner_org,
        published=True,
        confidentiality=Demand.Confidentiality.NDA,
        title=bilingual(en="Coke rate reduction under NDA"),
        background=bilingual(en="Confidential: the furnace loses 40 kg of coke per tonne."),
    )
    for demand in (internal, nda):
        ProposalFactory(demand=demand, organisation=partner, submitted=True)
    document = organisation_document(matchable_organisations().get(pk=partner.pk))
    text = "\n".join((document.text, *document.titles))
    assert "Coke rate reduction under NDA" in document.titles  # its past work, title only
    assert "Secret tuyere" not in text
    assert "40 kg" not in text


def test_draft_catalogue_entries_and_inactive_members_stay_out_of_the_document(partner):
    OfferingFactory(organisation=partner, draft=True, title=bilingual(en="Unreleased slag granulator"))
    gone = UserFactory(keywords="tundish flux", is_active=False)
    MembershipFactory(organisation=partner, user=gone)
    active = UserFactory(keywords="coal blend combustion")
    MembershipFactory(organisation=partner, user=active)
    document = organisation_document(matchable_organisations().get(pk=partner.pk))
    assert "Unreleased slag granulator" not in document.titles
    assert "tundish" not in document.text and "coal blend combustion" in document.text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 200), ("operator", 200), ("teammate", 404), ("solver", 404), ("outsider", 404)],
)
def test_only_managers_get_partner_organisations_from_the_api(
    request, as_user, bf_demand, partner, operator, outsider, teammate, solver, persona, status
):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(f"/api/v1/matching/demands/{bf_demand.public_id}/organisations")
    assert response.status_code == status
    if status == 200:
        top = response.json()["recommended"][0]
        assert top["id"] == partner.public_id
        assert top["matching_offerings"][0]["title"] == "Oxygen-enriched coal injection lance"
        assert top["explanation"]["shared_fields"] == ["ironmaking"]


def test_the_api_lists_the_excluded_own_organisation_with_its_reason(as_user, owner, owner_org, bf_demand, partner):
    _describe_owner_org(owner_org)
    body = as_user(owner).get(f"/api/v1/matching/demands/{bf_demand.public_id}/organisations").json()
    assert owner_org.public_id not in [row["id"] for row in body["recommended"]]
    assert {row["id"]: row["excluded_because"] for row in body["excluded"]}[owner_org.public_id] == [OWN_ORGANISATION]


def test_the_panel_is_not_shown_to_non_managers(as_user, solver, bf_demand, partner):
    assert as_user(solver).get(_url(bf_demand)).status_code == 404


def test_an_organisation_edit_is_picked_up_at_the_next_read(owner, bf_demand, rolling_org):
    assert rolling_org not in [rec.obj for rec in recommend_organisations(bf_demand).recommended]
    rolling_org.description = bilingual(en=BLAST_FURNACE_EN)
    rolling_org.save()
    assert rolling_org in [rec.obj for rec in recommend_organisations(bf_demand).recommended]


def test_a_members_profile_edit_re_encodes_their_organisations(partner, django_capture_on_commit_callbacks):
    before = organisation_document(matchable_organisations().get(pk=partner.pk))
    member = UserFactory()
    MembershipFactory(organisation=partner, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(actor=member, user=member, changes={"keywords": "hydrogen direct reduction"})
    row = Embedding.objects.get(item_type="organisation", item_id=partner.pk)
    assert "hydrogen direct reduction" in row.text
    assert row.text_hash != before.hash


def test_rebuild_match_index_covers_organisations(partner, rolling_org):
    call_command("rebuild_match_index", "--no-progress", stdout=StringIO())
    stored = set(Embedding.objects.filter(item_type="organisation").values_list("item_id", flat=True))
    assert {partner.pk, rolling_org.pk} <= stored
    Organisation.objects.filter(pk=rolling_org.pk).update(verification=Organisation.Verification.REJECTED)
    call_command("rebuild_match_index", "--no-progress", stdout=StringIO())
    assert not Embedding.objects.filter(item_type="organisation", item_id=rolling_org.pk).exists()
