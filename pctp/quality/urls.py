from django.urls import path

from pctp.quality import flag_views, views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("stages/", views.stages, name="stages"),
    path("flags/", flag_views.flags, name="flags"),
    path("flags/<int:pk>/", flag_views.flag_detail, name="flag"),
    path("flags/<int:pk>/<str:action>/", flag_views.flag_action, name="flag-action"),
    path("<str:code>/", views.detail, name="detail"),
]
