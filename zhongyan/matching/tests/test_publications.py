"""Structured publications (imported by the accounts module) are what an expert is matched by,
and the explanation names the publications that matched."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhongyan.accounts.services import import_publications
from zhongyan.matching.documents import expert_document
from zhongyan.matching.recommend import recommend_experts

pytestmark = pytest.mark.django_db

RIS = b"""TY  - JOUR
TI  - Pulverized coal injection and raceway combustion in the blast furnace
AB  - Raising the PCI rate lowers the coke rate; unburnt char in the raceway is the limit.
PY  - 2022
ER  -

TY  - PAT
TI  - Cold rolling mill chatter damper
PY  - 2019
ER  -
"""


def _import(user):
    return import_publications(actor=user, user=user, file=SimpleUploadedFile("mine.ris", RIS))


def test_expert_document_holds_imported_titles_and_abstracts(outsider):
    _import(outsider)
    document = expert_document(outsider)
    assert "Pulverized coal injection and raceway combustion in the blast furnace" in document.titles
    assert "Raising the PCI rate lowers the coke rate" in document.text


def test_free_text_publication_lines_still_count(outsider):
    outsider.publications = "Hydrogen shaft furnace pilot\n- Coke oven gas reforming"
    outsider.save()
    assert expert_document(outsider).titles == ("Hydrogen shaft furnace pilot", "Coke oven gas reforming")


def test_importing_publications_brings_the_expert_into_the_recommendations_with_named_publications(
    as_user, owner, bf_demand, experts, outsider, django_capture_on_commit_callbacks
):
    assert outsider not in {rec.obj for rec in recommend_experts(bf_demand).recommended}
    with django_capture_on_commit_callbacks(execute=True):
        _import(outsider)
    rec = next(rec for rec in recommend_experts(bf_demand).recommended if rec.obj == outsider)
    assert rec.publications == ["Pulverized coal injection and raceway combustion in the blast furnace"]
    panel = as_user(owner).get(
        reverse("matching:demand_recommendations", args=[bf_demand.public_id]), headers={"HX-Request": "true"}
    )
    assert "“Pulverized coal injection and raceway combustion in the blast furnace”" in panel.content.decode()
