from django.urls import path

from zhongyan.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/badge/", views.badge, name="badge"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/read-all/", views.mark_all_read, name="mark_all_read"),
    path("notifications/<str:public_id>/open/", views.open_notification, name="open"),
    path("notifications/<str:public_id>/read/", views.mark_read, name="mark_read"),
]
