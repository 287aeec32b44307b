"""API of the key-areas app (mounted at /api/v1/areas/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from pctp.areas import api

router = SimpleRouter()
router.register("", api.KeyAreaViewSet, basename="key-area")

urlpatterns = [
    path("ranking/", api.RankingView.as_view(), name="api-areas-ranking"),
    path("indicators/", api.IndicatorView.as_view(), name="api-areas-indicators"),
    path("model-communes/", api.ModelCommuneView.as_view(), name="api-areas-model-communes"),
    path("assessments/<int:pk>/", api.AssessmentView.as_view(), name="api-areas-assessment"),
    path("assessments/<int:pk>/sign/", api.AssessmentSignView.as_view(),
         name="api-areas-assessment-sign"),
    path("", include(router.urls)),
]
