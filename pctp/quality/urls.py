from django.urls import path

from pctp.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.detail, name="detail"),
]
