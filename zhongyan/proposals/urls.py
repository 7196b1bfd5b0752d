from django.urls import path

from zhongyan.proposals import views

app_name = "proposals"
urlpatterns = [
    path("demands/<str:public_id>/proposals/panel/", views.demand_panel, name="demand_panel"),
    path("demands/<str:public_id>/proposal/", views.proposal_edit, name="edit"),
    path("demands/<str:public_id>/proposal/autosave/", views.proposal_autosave, name="autosave"),
    path("demands/<str:public_id>/ranking/", views.demand_ranking, name="ranking"),
    path("demands/<str:public_id>/ranking/award/", views.demand_award, name="award"),
    path("demands/<str:public_id>/reviewers/", views.reviewer_assign, name="reviewer_assign"),
    path("demands/<str:public_id>/rubric/", views.rubric_edit, name="rubric"),
    path("proposals/mine/", views.my_proposals, name="mine"),
    path("proposals/<str:public_id>/", views.proposal_detail, name="detail"),
    path("proposals/<str:public_id>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("proposals/<str:public_id>/shortlist/", views.proposal_shortlist, name="shortlist"),
    path("proposals/<str:public_id>/feedback/", views.proposal_feedback, name="feedback"),
    path("proposals/<str:public_id>/receipt/", views.receipt_detail, name="receipt"),
    path("proposals/<str:public_id>/receipt.json", views.receipt_download, name="receipt_download"),
    path("proposals/<str:public_id>/clarifications/", views.clarification_request, name="clarify"),
    path(
        "proposals/<str:public_id>/clarifications/<str:request_id>/answer/",
        views.clarification_answer,
        name="clarification_answer",
    ),
    path(
        "proposals/<str:public_id>/attachments/<str:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "proposals/<str:public_id>/attachments/<str:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("receipts/verify/", views.receipt_verify, name="verify"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<str:public_id>/", views.review_workspace, name="review_workspace"),
    path("reviews/<str:public_id>/conflict/", views.review_conflict, name="review_conflict"),
    path("reviews/<str:public_id>/proposals/<str:proposal_id>/", views.review_score, name="review_score"),
]
