"""Pages of the key-areas app (mounted at /areas/)."""

from django.urls import path

from pctp.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_index, name="list"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("ranking/<str:code>/", views.ranking_records, name="ranking_records"),
    path("map/", views.area_map, name="map"),
    path("new/", views.area_new, name="new"),
    path("model-communes/", views.model_commune_index, name="model_communes"),
    path("model-communes/<int:pk>/status/", views.model_commune_status,
         name="model_commune_status"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/sign/", views.assessment_sign, name="assessment_sign"),
    path("<int:pk>/", views.area_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.area_action, name="action"),
]
