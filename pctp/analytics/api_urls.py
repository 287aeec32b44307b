"""Analysis API (mounted at /api/v1/analytics/)."""

from django.urls import path

from pctp.analytics import api

urlpatterns = [
    path("hotspots/", api.HotspotView.as_view(), name="api-analytics-hotspots"),
    path("forecasts/", api.ForecastListView.as_view(), name="api-analytics-forecasts"),
    path("forecasts/<int:pk>/", api.ForecastDetailView.as_view(),
         name="api-analytics-forecast"),
    path("emerging/", api.EmergingView.as_view(), name="api-analytics-emerging"),
    path("network/", api.NetworkView.as_view(), name="api-analytics-network"),
]
