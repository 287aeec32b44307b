from django.urls import path

from pctp.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("bao-tin/", views.report, name="report"),
    path("da-gui/", views.submitted, name="submitted"),
    path("tra-cuu/", views.follow, name="follow"),
    path("trao-doi/", views.conversation, name="conversation"),
    path("thoat/", views.leave, name="leave"),
    path("canh-bao/", views.warnings, name="warnings"),
    path("kiem-tra/", views.lookup, name="lookup"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("thong-ke.csv", views.statistics_csv, name="statistics-csv"),
    path("xu-ly/", views.staff_inbox, name="inbox"),
    path("xu-ly/<int:pk>/", views.staff_report, name="staff-report"),
    path("xu-ly/<int:pk>/danh-tinh/", views.staff_identity, name="staff-identity"),
    path("xu-ly/<int:pk>/<str:action>/", views.staff_action, name="staff-action"),
    path("canh-bao/moi/", views.staff_bulletin_new, name="bulletin-new"),
    path("dau-hieu/<int:source_pk>/", views.staff_indicator, name="indicator"),
    path("xac-minh-dau-hieu/", views.staff_indicators, name="indicators"),
]
