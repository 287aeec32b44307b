from django.urls import path

from pctp.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/columns/", views.configure, name="configure"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/refused-rows.xlsx", views.rejected, name="rejected"),
    path("<int:pk>/delete-file/", views.delete_file, name="delete_file"),
    path("export/<str:kind>.xlsx", views.export, name="export"),
]
