"""KPI API (mounted at /api/v1/kpi/)."""

from django.urls import path

from pctp.kpi import api as api

urlpatterns = [
    path("plans/", api.PlansView.as_view(), name="api-kpi-plans"),
    path("dashboard/", api.DashboardView.as_view(), name="api-kpi-dashboard"),
    path("breakdown/", api.BreakdownView.as_view(), name="api-kpi-breakdown"),
    path("series/", api.SeriesView.as_view(), name="api-kpi-series"),
    path("records/", api.RecordsView.as_view(), name="api-kpi-records"),
    path("close/", api.CloseView.as_view(), name="api-kpi-close"),
]
