from django.urls import path

from zhongyan.events.views import events, join, qrlogin, screens

app_name = "events"
urlpatterns = [
    path("events/", events.event_list, name="list"),
    path("events/new/", events.event_create, name="create"),
    path("events/<str:public_id>/", events.event_detail, name="detail"),
    path("events/<str:public_id>/edit/", events.event_edit, name="edit"),
    path("events/<str:public_id>/moderate/", events.moderate, name="moderate"),
    path("events/<str:public_id>/guests/<str:guest>/visibility/", events.toggle_guest, name="toggle_guest"),
    path("events/<str:public_id>/statistics/", events.stats, name="stats"),
    path("events/<str:public_id>/attendance.csv", events.stats_csv, name="stats_csv"),
    path("screens/<str:venue_id>/", screens.screen, name="screen"),
    path("screens/<str:venue_id>/qr/", screens.screen_qr, name="screen_qr"),
    path("screens/<str:venue_id>/feed/", screens.screen_feed, name="screen_feed"),
    path("faces/<str:guest_id>.jpg", screens.face, name="face"),
    path("j/<str:venue_id>/<str:token>/", join.join_scan, name="join_scan"),
    path("join/<str:venue_id>/", join.join, name="join"),
    path("join/<str:venue_id>/done/", join.join_done, name="join_done"),
    path("qr-login/start/", qrlogin.qr_login_start, name="qr_login_start"),
    path("qr-login/status/", qrlogin.qr_login_status, name="qr_login_status"),
    path("qr-login/<str:token>/", qrlogin.qr_login_approve, name="qr_login_approve"),
]
