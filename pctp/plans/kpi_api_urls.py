"""KPI API (mounted at /api/v1/kpi/)."""

urlpatterns: list = []
