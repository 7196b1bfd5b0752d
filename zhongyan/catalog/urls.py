from django.urls import path

from zhongyan.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.offering_list, name="list"),
    path("new/", views.offering_create, name="create"),
    path("<str:public_id>/", views.offering_detail, name="detail"),
    path("<str:public_id>/edit/", views.offering_edit, name="edit"),
]
