from django.urls import path

from pctp.sources import views

app_name = "sources"
urlpatterns = [
    path("", views.source_index, name="list"),
    path("new/", views.source_new, name="new"),
    path("<int:pk>/", views.source_detail, name="detail"),
    path("<int:pk>/identity/", views.source_identity, name="identity"),
    path("<int:pk>/documents/<str:which>.docx", views.source_document, name="document"),
    path("<int:pk>/attach/", views.source_attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download,
         name="attachment"),
    path("<int:pk>/<str:action>/", views.source_action, name="action"),
]
