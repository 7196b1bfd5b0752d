"""Demands for an expert, similar demands, freshness after a profile edit, the rebuild command, the API."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.accounts.services import update_profile
from zhongyan.core.content import bilingual
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory, InvitationFactory, NdaAcceptanceFactory
from zhongyan.matching.models import Embedding
from zhongyan.matching.recommend import demands_for_expert, recommend_experts
from zhongyan.matching.similar import similar_demands, similar_texts
from zhongyan.matching.tests.conftest import BF_DEMAND
from zhongyan.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SECRET = "秘密配方XQ7"


def _other_org_demand(**kwargs: Any) -> Demand:
    return DemandFactory(organisation=OrganisationFactory(), published=True, **kwargs)


def test_solver_gets_matching_open_demands_with_an_explanation(solver, bf_demand, experts):
    found = demands_for_expert(solver)
    assert [rec.obj for rec in found][:1] == [bf_demand]
    assert found[0].match.explanation.terms or found[0].match.explanation.best_snippet


def test_nda_demand_is_recommended_only_by_its_teaser(solver, experts):
    nda = _other_org_demand(
        nda=True,
        title=BF_DEMAND["title"],
        summary=BF_DEMAND["summary"],
        background=bilingual(zh=f"高炉喷煤 {SECRET} 配方。", en=f"Blast furnace coal injection {SECRET}."),
        keywords=SECRET,
    )
    found = {rec.obj: rec for rec in demands_for_expert(solver)}
    assert nda in found
    explanation = found[nda].match.explanation
    shown = " ".join((*explanation.terms, explanation.best_snippet.text if explanation.best_snippet else ""))
    assert SECRET not in shown
    assert SECRET not in Embedding.objects.get(item_type="demand", item_id=nda.pk).text


def test_internal_demand_of_another_organisation_is_never_recommended(solver, outsider, experts):
    internal = _other_org_demand(internal=True, **BF_DEMAND)
    assert internal not in {rec.obj for rec in demands_for_expert(solver)}
    assert internal not in {demand for demand, _match in similar_demands(outsider, "高炉喷煤 焦比")}


def test_internal_demand_is_recommended_once_the_solver_is_invited(solver, experts):
    internal = _other_org_demand(internal=True, **BF_DEMAND)
    InvitationFactory(demand=internal, invitee=solver)
    assert internal in {rec.obj for rec in demands_for_expert(solver)}


def test_for_you_api_never_returns_hidden_demands(as_user, solver, experts):
    internal = _other_org_demand(internal=True, **BF_DEMAND)
    public = _other_org_demand(**BF_DEMAND)
    response = as_user(solver).get("/api/v1/matching/for-me")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()]
    assert public.public_id in ids and internal.public_id not in ids


def test_nda_explanation_stays_teaser_only_after_the_nda_is_accepted(solver, experts):
    nda = _other_org_demand(
        nda=True, background=bilingual(zh=f"高炉 {SECRET}"), **{k: v for k, v in BF_DEMAND.items() if k != "background"}
    )
    NdaAcceptanceFactory(demand=nda, user=solver)
    rec = next(rec for rec in demands_for_expert(solver) if rec.obj == nda)
    assert SECRET not in " ".join(rec.match.explanation.terms)


def test_own_organisation_demands_are_not_recommended_to_members(teammate, bf_demand, experts):
    assert bf_demand not in {rec.obj for rec in demands_for_expert(teammate)}


def test_recommendations_update_after_a_profile_edit(
    owner, bf_demand, experts, outsider, django_capture_on_commit_callbacks
):
    assert outsider not in {rec.obj for rec in recommend_experts(bf_demand).recommended}
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(
            actor=outsider,
            user=outsider,
            changes={"bio": bilingual(en="Blast furnace pulverized coal injection and raceway combustion; coke rate.")},
        )
    assert Embedding.objects.filter(item_type="expert", item_id=outsider.pk).exists()
    assert outsider in {rec.obj for rec in recommend_experts(bf_demand).recommended}


def test_another_process_picks_up_a_changed_embedding(
    owner, bf_demand, experts, outsider, django_capture_on_commit_callbacks
):
    from zhongyan.matching import registry

    recommend_experts(bf_demand)  # this process's index is loaded
    stale = registry.get_index("expert")
    registry.reset()  # the edit happens "in another process"
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(actor=outsider, user=outsider, changes={"bio": bilingual(zh="高炉喷煤与焦比。")})
    registry._indexes["expert"] = stale
    assert outsider in {rec.obj for rec in recommend_experts(bf_demand).recommended}


def test_an_expert_who_becomes_unavailable_is_excluded_at_once(owner, bf_demand, experts):
    solver = experts["solver"]
    User.objects.filter(pk=solver.pk).update(availability=User.Availability.UNAVAILABLE)
    assert solver not in {rec.obj for rec in recommend_experts(bf_demand).recommended}


def test_rebuild_command_indexes_everyone_and_drops_the_unmatchable(bf_demand, experts):
    Embedding.objects.all().delete()
    stdout, stderr = StringIO(), StringIO()
    call_command("rebuild_match_index", stdout=stdout, stderr=stderr)
    assert "rebuilt" in stdout.getvalue()
    assert "expert" in stderr.getvalue()  # the progress bar
    assert Embedding.objects.filter(item_type="expert").count() == 5
    assert Embedding.objects.filter(item_type="demand", item_id=bf_demand.pk).exists()
    User.objects.filter(pk=experts["rolling"].pk).update(is_active=False)
    call_command("rebuild_match_index", "--no-progress", stdout=StringIO())
    assert not Embedding.objects.filter(item_type="expert", item_id=experts["rolling"].pk).exists()


def test_similar_demands_find_a_cross_language_duplicate(outsider, bf_demand):
    found = similar_demands(outsider, "Increase coal injection into the blast furnace to lower coke consumption")
    assert found and found[0][0] == bf_demand


def test_similar_texts_scores_each_text():
    scores = similar_texts(["高炉喷煤", "冷连轧颤振"], "blast furnace coal injection")
    assert len(scores) == 2 and scores[0] > scores[1]


def test_dashboard_loads_demands_for_you_and_invitations_show(as_user, solver, bf_demand, experts):
    InvitationFactory(demand=bf_demand, invitee=solver)
    url = reverse("matching:for_you")
    assert url in as_user(solver).get(reverse("portal:dashboard")).content.decode()
    response = as_user(solver).get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="mb-1 for-you-invited"' in body and bf_demand.public_id in body
    assert "for-you-recommended" not in body  # an invited demand is not listed twice


def test_experts_api_for_owner_and_404_for_solver(as_user, owner, solver, bf_demand, experts):
    url = f"/api/v1/matching/demands/{bf_demand.public_id}/experts"
    response = as_user(owner).get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["recommended"][0]["explanation"]["terms"]
    assert {row["excluded_because"][0] for row in data["excluded"]} >= {"same_organisation", "unavailable"}
    assert as_user(solver).get(url).status_code == 404


def test_invite_api_invites(as_user, owner, bf_demand, experts):
    url = f"/api/v1/matching/demands/{bf_demand.public_id}/experts/{experts['zh'].public_id}/invite"
    response = as_user(owner).post(url)
    assert response.status_code == 201
    assert bf_demand.invitations.get().invitee == experts["zh"]
