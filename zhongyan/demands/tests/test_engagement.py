"""NDA acceptance, Q&A, invitations, follows and attachments, through the pages."""

import hashlib
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongyan.core.audit import history
from zhongyan.core.content import bilingual
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands import services
from zhongyan.demands.models import Demand, DemandAttachment, Follow, Invitation, NdaAcceptance, Question
from zhongyan.demands.tests.factories import DemandFactory, InvitationFactory, QuestionFactory


@pytest.fixture
def nda_demand(owner_org: Any, owner: Any) -> Demand:
    return DemandFactory(
        organisation=owner_org,
        owner=owner,
        published=True,
        nda=True,
        background=bilingual(en="Secret background about DP980"),
    )


def test_solver_accepts_the_nda_for_their_organisation_and_the_hash_is_audited(
    nda_demand: Demand, solver: Any, solver_org: Any, as_user: Any
) -> None:
    client = as_user(solver)
    page = client.get(f"/en/demands/{nda_demand.public_id}/nda/")
    assert page.status_code == 200
    assert nda_demand.nda_text["en"] in page.content.decode()
    response = client.post(
        f"/en/demands/{nda_demand.public_id}/nda/", {"organisation": solver_org.public_id, "agree": "on"}
    )
    assert response.status_code == 302
    acceptance = NdaAcceptance.objects.get(demand=nda_demand, user=solver)
    canonical = json.dumps(nda_demand.nda_text, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert acceptance.text_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert acceptance.organisation == solver_org
    entry = history(nda_demand).get(verb="demand.nda_accepted")
    assert entry.actor == solver
    assert entry.data["text_hash"] == acceptance.text_hash and entry.data["organisation"] == solver_org.public_id
    assert "Secret background about DP980" in client.get(f"/en/demands/{nda_demand.public_id}/").content.decode()


def test_nda_page_without_ticking_the_box_refuses_with_a_translated_message(
    nda_demand: Demand, solver: Any, as_user: Any
) -> None:
    response = as_user(solver).post(f"/demands/{nda_demand.public_id}/nda/", {"organisation": ""})
    assert response.status_code == 200
    assert "勾选" in response.content.decode()
    assert not NdaAcceptance.objects.exists()


def test_accepting_for_an_organisation_one_does_not_belong_to_is_refused(
    nda_demand: Demand, solver: Any, owner_org: Any
) -> None:
    with pytest.raises(DomainError):
        services.accept_nda(actor=solver, demand=nda_demand, organisation=owner_org)


def test_accepting_twice_is_refused(nda_demand: Demand, solver: Any) -> None:
    services.accept_nda(actor=solver, demand=nda_demand)
    with pytest.raises(DomainError):
        services.accept_nda(actor=solver, demand=nda_demand)
    assert NdaAcceptance.objects.count() == 1


def test_the_nda_of_a_public_demand_cannot_be_accepted(owner_org: Any, owner: Any, solver: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    with pytest.raises(NotPermitted):
        services.accept_nda(actor=solver, demand=demand)


def test_solver_asks_publicly_and_everyone_with_details_reads_the_answer(
    owner_org: Any, owner: Any, solver: Any, outsider: Any, as_user: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    response = as_user(solver).post(
        f"/en/demands/{demand.public_id}/questions/", {"body": "Is DP1180 in scope?", "is_public": "1"}
    )
    assert response.status_code == 302
    question = Question.objects.get(demand=demand)
    assert question.is_public and question.author == solver
    as_user(owner).post(
        f"/en/demands/{demand.public_id}/questions/{question.public_id}/answer/", {"answer": "Only up to DP980."}
    )
    page = as_user(outsider).get(f"/en/demands/{demand.public_id}/").content.decode()
    assert "Is DP1180 in scope?" in page and "Only up to DP980." in page
    assert history(demand).filter(verb__in=["demand.question_asked", "demand.question_answered"]).count() == 2


def test_a_private_question_is_seen_only_by_its_author_and_the_managers(
    owner_org: Any, owner: Any, solver: Any, outsider: Any, teammate: Any, as_user: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    QuestionFactory(demand=demand, author=solver, body="Our confidential approach question", is_public=False)
    url = f"/en/demands/{demand.public_id}/"
    assert "Our confidential approach question" in as_user(solver).get(url).content.decode()
    assert "Our confidential approach question" in as_user(owner).get(url).content.decode()
    assert "Our confidential approach question" not in as_user(outsider).get(url).content.decode()
    assert "Our confidential approach question" not in as_user(teammate).get(url).content.decode()


def test_an_empty_question_is_refused_with_a_translated_message(
    owner_org: Any, owner: Any, solver: Any, as_user: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    response = as_user(solver).post(f"/en/demands/{demand.public_id}/questions/", {"body": "  ", "is_public": "0"})
    assert response.status_code == 200
    assert "Write your question." in response.content.decode()
    assert not Question.objects.exists()


def test_questions_close_with_the_deadline(owner_org: Any, owner: Any, solver: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, closed=True)
    with pytest.raises(NotPermitted):
        services.ask_question(actor=solver, demand=demand, body="Too late?")


def test_owner_invites_a_solver_to_an_internal_demand_who_then_sees_and_accepts_it(
    owner_org: Any, owner: Any, solver: Any, as_user: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, internal=True)
    assert as_user(solver).get(f"/en/demands/{demand.public_id}/").status_code == 404
    found = as_user(owner).get(f"/en/demands/{demand.public_id}/invite/", {"q": "solver@"})
    assert solver.public_id in found.content.decode()
    response = as_user(owner).post(
        f"/en/demands/{demand.public_id}/invite/", {"invitee": solver.public_id, "message": "Your lab fits."}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(demand=demand, invitee=solver)
    assert history(demand).filter(verb="demand.solver_invited").exists()
    listing = as_user(solver).get("/en/demands/invitations/").content.decode()
    assert "Your lab fits." in listing
    assert as_user(solver).get(f"/en/demands/{demand.public_id}/").status_code == 200
    as_user(solver).post(f"/en/demands/{demand.public_id}/invitation/accept/")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_a_declined_invitation_hides_the_internal_demand_again(
    owner_org: Any, owner: Any, solver: Any, as_user: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, internal=True)
    InvitationFactory(demand=demand, invitee=solver)
    as_user(solver).post(f"/en/demands/{demand.public_id}/invitation/decline/")
    assert Invitation.objects.get().status == Invitation.Status.DECLINED
    assert as_user(solver).get(f"/en/demands/{demand.public_id}/").status_code == 404


def test_inviting_twice_is_refused_with_a_message(owner_org: Any, owner: Any, solver: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    InvitationFactory(demand=demand, invitee=solver)
    response = as_user(owner).post(f"/en/demands/{demand.public_id}/invite/", {"invitee": solver.public_id})
    assert response.status_code == 200
    assert "already been invited" in response.content.decode()


def test_inviting_an_unknown_person_is_refused(owner_org: Any, owner: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    response = as_user(owner).post(f"/en/demands/{demand.public_id}/invite/", {"invitee": "nobody"})
    assert response.status_code == 200
    assert "Choose a person from the search results." in response.content.decode()


def test_follow_toggles_with_htmx(owner_org: Any, owner: Any, solver: Any, as_user: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    client = as_user(solver)
    response = client.post(f"/en/demands/{demand.public_id}/follow/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Following" in response.content.decode()
    assert Follow.objects.filter(demand=demand, user=solver).exists()
    assert demand.title["en"] in client.get("/en/demands/mine/").content.decode()
    client.post(f"/en/demands/{demand.public_id}/follow/", headers={"HX-Request": "true"})
    assert not Follow.objects.exists()


def test_owner_uploads_an_attachment_kept_outside_media_with_its_hash(
    owner_org: Any, owner: Any, as_user: Any, settings: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner)
    content = b"%PDF-1.7 drawing of the coil"
    upload = SimpleUploadedFile("卷材图纸.pdf", content, content_type="application/octet-stream")
    response = as_user(owner).post(f"/en/demands/{demand.public_id}/attachments/", {"file": upload})
    assert response.status_code == 302
    attachment = DemandAttachment.objects.get(demand=demand)
    assert attachment.original_name == "卷材图纸.pdf" and attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest() and attachment.size == len(content)
    assert str(settings.MEDIA_ROOT) not in attachment.file.path
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018
    download = as_user(owner).get(f"/en/demands/{demand.public_id}/attachments/{attachment.public_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", "Attach PDF"),
        ("fake.pdf", b"not a pdf at all", "does not match"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(
    owner_org: Any, owner: Any, as_user: Any, name: str, content: bytes, message: str
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner)
    response = as_user(owner).post(
        f"/en/demands/{demand.public_id}/attachments/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert message in response.content.decode()
    assert not DemandAttachment.objects.exists()


def test_an_oversized_upload_is_refused(owner_org: Any, owner: Any, as_user: Any, settings: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner)
    DemandAttachment.MAX_SIZE, saved = 10, DemandAttachment.MAX_SIZE
    try:
        response = as_user(owner).post(
            f"/en/demands/{demand.public_id}/attachments/",
            {"file": SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 100)},
            follow=True,
        )
    finally:
        DemandAttachment.MAX_SIZE = saved
    assert "at most 20 MB" in response.content.decode()
    assert not DemandAttachment.objects.exists()


def test_removing_an_attachment_is_audited(owner_org: Any, owner: Any, as_user: Any) -> None:
    from zhongyan.demands.tests.factories import DemandAttachmentFactory

    demand = DemandFactory(organisation=owner_org, owner=owner)
    attachment = DemandAttachmentFactory(demand=demand)
    response = as_user(owner).post(f"/en/demands/{demand.public_id}/attachments/{attachment.public_id}/delete/")
    assert response.status_code == 302
    assert not DemandAttachment.objects.exists()
    assert history(demand).filter(verb="demand.attachment_removed").exists()
