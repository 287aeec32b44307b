from django.urls import path

from pctp.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("list/", views.plan_index, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<int:pk>/", views.plan_board, name="board"),
    path("<int:pk>/tasks/new/", views.task_new, name="task-new"),
    path("<int:pk>/consolidated/", views.plan_consolidated, name="consolidated"),
    path("<int:pk>/<str:action>/", views.plan_action, name="plan-action"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/updates/<int:update_id>/file/", views.update_file, name="update-file"),
    path("tasks/<int:pk>/<str:action>/", views.task_action, name="task-action"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("reports/<int:pk>/return/", views.report_return, name="report-return"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report-accept"),
    path("reports/<int:pk>/file/", views.report_file, name="report-file"),
    path("scorecards/", views.scorecard_index, name="scorecards"),
    path("scorecards/<int:unit_pk>/", views.scorecard_unit, name="scorecard"),
    path("scorecards/<int:unit_pk>/<str:measure>/", views.scorecard_records,
         name="scorecard-records"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
]
