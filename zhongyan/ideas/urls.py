from django.urls import path

from zhongyan.ideas.views import campaigns, discussion, funnel, ideas

app_name = "ideas"

urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<str:public_id>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<str:public_id>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<str:public_id>/follow/", campaigns.campaign_follow, name="campaign_follow"),
    path("campaigns/<str:public_id>/funnel/", campaigns.campaign_funnel, name="campaign_funnel"),
    path("campaigns/<str:public_id>/moderate/", campaigns.campaign_moderate, name="campaign_moderate"),
    path("campaigns/<str:public_id>/moderate/stage/", campaigns.campaign_bulk_stage, name="campaign_bulk_stage"),
    path("campaigns/<str:public_id>/export.csv", campaigns.campaign_export, name="campaign_export"),
    path("campaigns/<str:public_id>/new/", ideas.idea_create, name="idea_create"),
    path("campaigns/<str:public_id>/similar/", ideas.idea_similar, name="similar"),
    path("i/<str:public_id>/", ideas.idea_detail, name="idea_detail"),
    path("i/<str:public_id>/edit/", ideas.idea_edit, name="idea_edit"),
    path("i/<str:public_id>/submit/", ideas.idea_submit, name="idea_submit"),
    path("i/<str:public_id>/withdraw/", ideas.idea_withdraw, name="idea_withdraw"),
    path("i/<str:public_id>/vote/", ideas.idea_vote, name="idea_vote"),
    path("i/<str:public_id>/join/", ideas.idea_join, name="idea_join"),
    path("i/<str:public_id>/hide/", ideas.idea_hide, name="idea_hide"),
    path("i/<str:public_id>/unhide/", ideas.idea_unhide, name="idea_unhide"),
    path("demand/<str:public_id>/source/", funnel.demand_source, name="demand_source"),
    path("i/<str:public_id>/files/<str:attachment>/", ideas.attachment_download, name="attachment"),
    path("i/<str:public_id>/files/<str:attachment>/remove/", ideas.attachment_remove, name="attachment_remove"),
    path("i/<str:public_id>/comments/", discussion.comment_post, name="comment_post"),
    path("i/<str:public_id>/comments/<str:comment_id>/edit/", discussion.comment_edit, name="comment_edit"),
    path("i/<str:public_id>/comments/<str:comment_id>/report/", discussion.comment_report, name="comment_report"),
    path("i/<str:public_id>/comments/<str:comment_id>/hide/", discussion.comment_hide, name="comment_hide"),
    path("i/<str:public_id>/comments/<str:comment_id>/restore/", discussion.comment_restore, name="comment_restore"),
    path("i/<str:public_id>/evaluate/", funnel.idea_evaluate, name="idea_evaluate"),
    path("i/<str:public_id>/stage/", funnel.idea_stage, name="idea_stage"),
    path("i/<str:public_id>/promote/", funnel.idea_promote, name="idea_promote"),
]
