from django.urls import path

from zhongyan.matching import views

app_name = "matching"

urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("demands/<str:public_id>/recommendations/", views.demand_recommendations, name="demand_recommendations"),
    path("demands/<str:public_id>/invite/<str:user_id>/", views.invite, name="invite"),
]
