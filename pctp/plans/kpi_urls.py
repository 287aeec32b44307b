"""KPI dashboard pages (mounted at /kpi/)."""

app_name = "kpi"
urlpatterns: list = []
