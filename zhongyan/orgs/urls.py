from django.urls import path

from zhongyan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.organisation_list, name="list"),
    path("orgs/new/", views.organisation_create, name="create"),
    path("orgs/verification/", views.verification_queue, name="verification_queue"),
    path("orgs/invitations/<str:token>/", views.invitation_respond, name="invitation"),
    path("orgs/<str:public_id>/", views.organisation_detail, name="detail"),
    path("orgs/<str:public_id>/edit/", views.organisation_edit, name="edit"),
    path("orgs/<str:public_id>/verify/", views.verification_decide, {"decision": "verify"}, name="verify"),
    path("orgs/<str:public_id>/reject/", views.verification_decide, {"decision": "reject"}, name="reject"),
    path("orgs/<str:public_id>/members/", views.members, name="members"),
    path("orgs/<str:public_id>/members/<str:user_public_id>/role/", views.member_role, name="member_role"),
    path("orgs/<str:public_id>/members/<str:user_public_id>/remove/", views.member_remove, name="member_remove"),
    path("orgs/<str:public_id>/join/", views.join_request_create, name="join"),
    path(
        "orgs/<str:public_id>/join-requests/<str:request_public_id>/approve/",
        views.join_request_decide,
        {"decision": "approve"},
        name="join_request_approve",
    ),
    path(
        "orgs/<str:public_id>/join-requests/<str:request_public_id>/decline/",
        views.join_request_decide,
        {"decision": "decline"},
        name="join_request_decline",
    ),
    path("orgs/<str:public_id>/invitations/", views.invitation_create, name="invite"),
    path(
        "orgs/<str:public_id>/invitations/<str:invitation_public_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
