from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.content import bilingual
from zhongyan.orgs.models import Invitation, JoinRequest, Membership, Organisation
from zhongyan.orgs.tests.factories import InvitationFactory, JoinRequestFactory, OrganisationFactory

AsUser = Callable[[Any], Client]


def test_directory_finds_organisations_by_chinese_and_english_text(outsider: User, as_user: AsUser) -> None:
    OrganisationFactory(name=bilingual(zh="宝山基地冷轧厂", en="Baoshan Cold Rolling Mill"))
    OrganisationFactory(name=bilingual(zh="江南造船", en="Jiangnan Shipyard"), kind=Organisation.Kind.CUSTOMER)
    client = as_user(outsider)
    assert [str(o) for o in client.get("/orgs/", {"q": "冷轧"}).context["page"]] == ["宝山基地冷轧厂"]
    assert [str(o) for o in client.get("/en/orgs/", {"q": "shipyard"}).context["page"]] == ["Jiangnan Shipyard"]
    assert [str(o) for o in client.get("/en/orgs/", {"kind": "customer"}).context["page"]] == ["Jiangnan Shipyard"]


def test_directory_hides_pending_organisations_from_outsiders(outsider: User, as_user: AsUser) -> None:
    OrganisationFactory(pending=True, name=bilingual(en="Secret start-up"))
    response = as_user(outsider).get("/en/orgs/", {"q": "Secret"})
    assert list(response.context["page"]) == []
    assert "No organisation matches your search." in response.content.decode()


def test_directory_paginates(outsider: User, as_user: AsUser) -> None:
    OrganisationFactory.create_batch(25)
    client = as_user(outsider)
    assert len(client.get("/orgs/").context["page"]) == 20
    assert len(client.get("/orgs/", {"page": 2}).context["page"]) == 5
    assert client.get("/orgs/", {"page": "nonsense"}).status_code == 200


def test_directory_answers_htmx_with_the_results_fragment(outsider: User, as_user: AsUser) -> None:
    OrganisationFactory(name=bilingual(en="Hot Strip Mill"))
    response = as_user(outsider).get("/en/orgs/", {"q": "hot"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="org-results">')
    assert "Hot Strip Mill" in html


def test_unknown_public_id_is_404(outsider: User, as_user: AsUser) -> None:
    client = as_user(outsider)
    assert client.get("/orgs/doesnotexist1234/").status_code == 404
    assert client.get("/orgs/doesnotexist1234/members/").status_code == 404
    assert client.post("/orgs/doesnotexist1234/join/").status_code == 404


def test_detail_shows_members_only_to_members(
    owner: User, teammate: User, solver: User, owner_org: Organisation, as_user: AsUser
) -> None:
    url = reverse("orgs:detail", args=[owner_org.public_id])
    assert teammate.email not in as_user(solver).get(url).content.decode()
    member_page = as_user(teammate).get(url)
    assert member_page.context["memberships"] is not None
    assert owner.name in member_page.content.decode()


def test_outsider_sees_request_to_join_button(solver: User, owner_org: Organisation, as_user: AsUser) -> None:
    html = as_user(solver).get(f"/en/orgs/{owner_org.public_id}/").content.decode()
    assert "Request to join" in html


def test_empty_name_in_both_languages_is_refused_with_translated_error_and_input_kept(
    outsider: User, as_user: AsUser
) -> None:
    data = {
        "name_zh_hans": "",
        "name_en": "  ",
        "kind": "startup",
        "description_zh_hans": "氢能燃烧器",
        "description_en": "Hydrogen burners",
        "city_zh_hans": "上海",
        "city_en": "",
        "website": "https://qingtan.example.com",
    }
    response = as_user(outsider).post("/orgs/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "请用中文或英文（或两者）填写" in html
    assert "氢能燃烧器" in html and "Hydrogen burners" in html and "https://qingtan.example.com" in html
    assert not Organisation.objects.filter(kind="startup").exists()
    english = as_user(outsider).post("/en/orgs/new/", data).content.decode()
    assert "name in Chinese or English (or both)." in english


def test_registering_an_organisation_makes_the_creator_owner(
    outsider: User, operator: User, as_user: AsUser, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(outsider).post(
            "/orgs/new/", {"name_zh_hans": "氢碳未来", "name_en": "Qingtan", "kind": "startup", "website": ""}
        )
    org = Organisation.objects.get(kind="startup")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:detail", args=[org.public_id])
    assert org.memberships.get().user == outsider
    assert len(mail.outbox) == 1


def test_non_operator_is_not_offered_the_operator_kind(outsider: User, as_user: AsUser) -> None:
    response = as_user(outsider).post("/orgs/new/", {"name_en": "Fake HQ", "kind": "operator"})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Organisation.objects.filter(kind="operator").exclude(memberships__user__is_staff=True).exists()


def test_edit_keeps_typed_values_on_error(owner: User, owner_org: Organisation, as_user: AsUser) -> None:
    response = as_user(owner).post(
        f"/en/orgs/{owner_org.public_id}/edit/",
        {"name_zh_hans": "", "name_en": "", "kind": "business_unit", "website": "nonsense", "city_en": "Baoshan"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Baoshan" in html and "nonsense" in html
    owner_org.refresh_from_db()
    assert owner_org.name["en"] == "Cold Rolling Mill"


def test_edit_saves_through_the_service(owner: User, owner_org: Organisation, as_user: AsUser) -> None:
    response = as_user(owner).post(
        f"/orgs/{owner_org.public_id}/edit/",
        {"name_zh_hans": "冷轧厂", "name_en": "Cold Rolling Mill", "kind": "business_unit", "city_en": "Baoshan"},
    )
    assert response.status_code == 302
    owner_org.refresh_from_db()
    assert owner_org.city == {"en": "Baoshan"}
    assert AuditEntry.objects.filter(verb="org.updated").exists()


def test_removing_a_member_asks_for_confirmation_first(
    owner: User, teammate: User, owner_org: Organisation, as_user: AsUser
) -> None:
    url = reverse("orgs:member_remove", args=[owner_org.public_id, teammate.public_id])
    client = as_user(owner)
    page = client.get("/en" + url)
    assert page.status_code == 200 and "Yes, remove" in page.content.decode()
    assert Membership.objects.filter(user=teammate, organisation=owner_org).exists()
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(user=teammate, organisation=owner_org).exists()


def test_last_owner_leaving_through_the_page_is_refused_with_a_message(
    owner: User, owner_org: Organisation, as_user: AsUser
) -> None:
    url = reverse("orgs:member_remove", args=[owner_org.public_id, owner.public_id])
    response = as_user(owner).post("/en" + url, follow=True)
    assert "must always keep at least one owner" in response.content.decode()
    assert Membership.objects.filter(user=owner, organisation=owner_org, role="owner").exists()


def test_member_leaves_through_the_page(teammate: User, owner_org: Organisation, as_user: AsUser) -> None:
    url = reverse("orgs:member_remove", args=[owner_org.public_id, teammate.public_id])
    client = as_user(teammate)
    assert "Yes, leave" in client.get("/en" + url).content.decode()
    assert client.post(url).status_code == 302
    assert AuditEntry.objects.filter(verb="org.member_left").exists()


def test_members_page_lists_requests_and_invitations(
    owner: User, outsider: User, owner_org: Organisation, as_user: AsUser
) -> None:
    JoinRequestFactory(organisation=owner_org, user=outsider, message="想参与冷轧项目")
    InvitationFactory(organisation=owner_org, email="invited@example.com")
    html = as_user(owner).get(f"/orgs/{owner_org.public_id}/members/").content.decode()
    assert "想参与冷轧项目" in html and "invited@example.com" in html


def test_invitation_with_a_bad_address_re_renders_the_form(
    owner: User, owner_org: Organisation, as_user: AsUser
) -> None:
    response = as_user(owner).post(
        f"/en/orgs/{owner_org.public_id}/invitations/", {"email": "not-an-address", "role": "member"}
    )
    assert response.status_code == 400
    assert "not-an-address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_approving_a_join_request_from_the_members_page(
    owner: User, outsider: User, owner_org: Organisation, as_user: AsUser
) -> None:
    join_request = JoinRequestFactory(organisation=owner_org, user=outsider)
    client = as_user(owner)
    url = reverse("orgs:join_request_approve", args=[owner_org.public_id, join_request.public_id])
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(user=outsider, organisation=owner_org).exists()
    again = client.post("/en" + url, follow=True)
    assert "already been decided" in again.content.decode()
    assert Membership.objects.filter(user=outsider, organisation=owner_org).count() == 1
    assert JoinRequest.objects.get().status == JoinRequest.Status.APPROVED


def test_invitation_page_accepts_for_the_invited_address(owner_org: Organisation, as_user: AsUser) -> None:
    invitee = UserFactory(email="invitee@example.com")
    invitation = InvitationFactory(organisation=owner_org, email="Invitee@example.com")
    client = as_user(invitee)
    url = reverse("orgs:invitation", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "accept"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=invitee, organisation=owner_org).exists()


def test_invitation_page_explains_a_wrong_address(outsider: User, owner_org: Organisation, as_user: AsUser) -> None:
    invitation = InvitationFactory(organisation=owner_org, email="someone@example.com")
    url = "/en" + reverse("orgs:invitation", args=[invitation.token])
    response = as_user(outsider).get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "This invitation was sent to someone@example.com" in html and outsider.email in html
    as_user(outsider).post(url, {"decision": "accept"})
    assert not Membership.objects.filter(user=outsider, organisation=owner_org).exists()


def test_invitation_page_needs_sign_in(owner_org: Organisation, as_user: AsUser) -> None:
    invitation = InvitationFactory(organisation=owner_org)
    response = as_user(None).get(reverse("orgs:invitation", args=[invitation.token]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_unknown_invitation_token_is_404(outsider: User, as_user: AsUser) -> None:
    assert as_user(outsider).get("/orgs/invitations/nope/").status_code == 404


@pytest.mark.parametrize("persona", ["owner", "teammate", "solver"])
def test_verification_queue_is_for_operators_only(persona: str, request: Any, as_user: AsUser) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get("/orgs/verification/").status_code == 403


def test_operator_rejects_from_the_queue_with_a_note(operator: User, as_user: AsUser) -> None:
    org = OrganisationFactory(pending=True, name=bilingual(zh="智检科技", en="Zhijian AI"))
    client = as_user(operator)
    queue = client.get("/orgs/verification/")
    assert "智检科技" in queue.content.decode()
    refused = client.post(reverse("orgs:reject", args=[org.public_id]), {"note": ""}, follow=True)
    assert "请说明" in refused.content.decode()
    client.post(reverse("orgs:reject", args=[org.public_id]), {"note": "请补充营业执照"})
    org.refresh_from_db()
    assert org.verification == Organisation.Verification.REJECTED and org.verification_note == "请补充营业执照"


def test_pages_render_in_both_languages_at_every_step(
    operator: User, owner: User, owner_org: Organisation, as_user: AsUser
) -> None:
    for prefix in ("", "/en"):
        for url in ("/orgs/", "/orgs/new/", f"/orgs/{owner_org.public_id}/", f"/orgs/{owner_org.public_id}/edit/",
                    f"/orgs/{owner_org.public_id}/members/"):  # fmt: skip
            assert as_user(owner).get(prefix + url).status_code == 200, prefix + url
        assert as_user(operator).get(prefix + "/orgs/verification/").status_code == 200
