from django.urls import path

from pctp.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/again/", views.again, name="again"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/<str:what>/", views.download, name="download"),
    path("template/<str:kind>.docx", views.template, name="template"),
]
