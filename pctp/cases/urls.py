from django.urls import path

from pctp.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_index, name="list"),
    path("new/", views.case_new, name="new"),
    path("from-source/<int:source_pk>/", views.case_from_source, name="from_source"),
    path("detention/", views.detention_list, name="detention"),
    path("groups/", views.group_index, name="groups"),
    path("groups/proposals/", views.group_proposals, name="group_proposals"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/<str:action>/", views.group_action, name="group_action"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.case_action, name="action"),
    path("<int:pk>/<str:action>/form/", views.case_action_form, name="action_form"),
]
