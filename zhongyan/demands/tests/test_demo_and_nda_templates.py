from io import StringIO
from typing import Any

import pytest

from zhongyan.core.errors import NotPermitted
from zhongyan.demands import demo, services
from zhongyan.demands.models import Demand, NdaTemplate
from zhongyan.orgs.models import Membership
from zhongyan.orgs.tests.factories import MembershipFactory, OrganisationFactory


def test_demo_demands_load_once_across_states_and_confidentiality(operator: Any, solver: Any, outsider: Any) -> None:
    orgs = {spec.org: OrganisationFactory() for spec in demo.DEMANDS}
    for organisation in orgs.values():
        MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    people = {user.email: user for user in (solver, outsider)}
    first = demo.load(StringIO(), organisations=orgs, people=people, personas={"operator": operator})
    assert len(first) == 12
    assert {d.confidentiality for d in first} == {"public", "nda", "internal"}
    assert {"draft", "in_review", "published", "closed", "evaluating"} <= {d.status for d in first}
    assert all(d.title.get("zh-hans") and d.title.get("en") for d in first)
    assert Demand.objects.filter(questions__isnull=False).exists()
    out = StringIO()
    second = demo.load(out, orgs=orgs, people=people)
    assert Demand.objects.count() == 12 and len(second) == 12
    assert "0 created" in out.getvalue()


def test_saving_an_nda_template_makes_a_new_active_version(operator: Any) -> None:
    first = services.save_nda_template(actor=operator, title="NDA", text={"en": "v1"})
    second = services.save_nda_template(actor=operator, title="NDA", text={"en": "v2"})
    assert (first.version, second.version) == (1, 2)
    assert list(NdaTemplate.objects.filter(is_active=True)) == [second]
    services.activate_nda_template(actor=operator, template=first)
    assert list(NdaTemplate.objects.filter(is_active=True).values_list("version", flat=True)) == [1]


def test_only_operators_manage_nda_templates(owner: Any) -> None:
    with pytest.raises(NotPermitted):
        services.save_nda_template(actor=owner, title="NDA", text={"en": "mine"})
