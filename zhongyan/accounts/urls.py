from django.urls import path

from zhongyan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/tokens/", views.token_list, name="token_list"),
    path("profile/tokens/<str:public_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("profile/publications/", views.publication_list, name="publication_list"),
    path("profile/publications/new/", views.publication_edit, name="publication_create"),
    path("profile/publications/imports/<str:public_id>/", views.publication_import, name="publication_import"),
    path("profile/publications/<str:public_id>/edit/", views.publication_edit, name="publication_edit"),
    path("profile/publications/<str:public_id>/delete/", views.publication_delete, name="publication_delete"),
    path("experts/", views.expert_list, name="expert_list"),
    path("u/<str:public_id>/", views.expert_detail, name="expert_detail"),
    path("u/<str:public_id>/avatar/", views.avatar, name="avatar"),
    path("u/<str:public_id>/avatar/thumbnail/", views.avatar_thumbnail, name="avatar_thumbnail"),
]
