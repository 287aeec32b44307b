from django.urls import path

from pctp.outreach import public_views as views

app_name = "outreach-public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.refutation, name="refutation"),
    path("bao-tin-sai/", views.flag, name="flag"),
    path("da-gui/", views.flagged, name="flagged"),
]
