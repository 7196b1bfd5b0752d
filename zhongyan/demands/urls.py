from django.urls import path

from zhongyan.demands.views import actions, detail, listing

app_name = "demands"

urlpatterns = [
    path("", listing.demand_list, name="list"),
    path("mine/", listing.demand_mine, name="mine"),
    path("invitations/", listing.invitation_list, name="invitations"),
    path("review/", listing.review_queue, name="review_queue"),
    path("new/", detail.demand_create, name="create"),
    path("<str:public_id>/", detail.demand_detail, name="detail"),
    path("<str:public_id>/edit/", detail.demand_edit, name="edit"),
    path("<str:public_id>/status/<str:action>/", actions.demand_move, name="move"),
    path("<str:public_id>/extend/", actions.demand_extend, name="extend"),
    path("<str:public_id>/review/", actions.demand_review, name="review"),
    path("<str:public_id>/nda/", actions.nda_accept, name="nda_accept"),
    path("<str:public_id>/questions/", actions.question_ask, name="question_ask"),
    path("<str:public_id>/questions/<str:question_id>/answer/", actions.question_answer, name="question_answer"),
    path("<str:public_id>/invite/", actions.demand_invite, name="invite"),
    path("<str:public_id>/invitation/<str:answer>/", actions.invitation_respond, name="invitation_respond"),
    path("<str:public_id>/follow/", actions.follow_toggle, name="follow"),
    path("<str:public_id>/attachments/", actions.attachment_upload, name="attachment_upload"),
    path("<str:public_id>/attachments/<str:attachment_id>/", actions.attachment_download, name="attachment"),
    path(
        "<str:public_id>/attachments/<str:attachment_id>/delete/", actions.attachment_delete, name="attachment_delete"
    ),
]
