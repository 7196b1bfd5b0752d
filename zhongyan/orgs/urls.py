from django.urls import path

from zhongyan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.organisation_list, name="list"),
    path("orgs/<str:public_id>/", views.organisation_detail, name="detail"),
]
