"""KPI dashboard pages (mounted at /kpi/)."""

from django.urls import path

from pctp.kpi import views as views

app_name = "kpi"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="export"),
    path("close/", views.close_period, name="close"),
    path("units/", views.accountability, name="accountability"),
    path("plans/", views.plans_page, name="plans"),
    path("plans/<int:pk>/", views.plan_targets_action, name="plan-action"),
    path("<str:code>/", views.target_page, name="target"),
    path("<str:code>/records/", views.records_page, name="records"),
    path("<str:code>/records.xlsx", views.records_export, name="records-export"),
]
