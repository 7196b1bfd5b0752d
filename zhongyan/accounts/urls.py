from django.urls import path

from zhongyan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
    path("experts/", views.expert_list, name="expert_list"),
]
