"""Analysis pages (mounted at /analytics/)."""

from django.urls import path

from pctp.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.hotspots, name="hotspots"),
    path("forecasts/", views.forecasts, name="forecasts"),
    path("forecasts/queue/", views.forecast_queue, name="forecast_queue"),
    path("forecasts/<int:pk>/", views.forecast_detail, name="forecast"),
    path("forecasts/<int:pk>/requeue/", views.forecast_requeue, name="forecast_requeue"),
    path("forecasts/<int:pk>/progress.json", views.forecast_progress, name="forecast_progress"),
    path("emerging/", views.emerging_types, name="emerging"),
    path("network/", views.network_view, name="network"),
    path("files/", views.uploads, name="uploads"),
]
