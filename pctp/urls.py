from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from pctp.cases import api as cases_api
from pctp.core import otp_views, views
from pctp.core.api_views import AccessLogViewSet, AuditEventViewSet
from pctp.law import api as law_api
from pctp.law import views as law_views
from pctp.national import api as national_api
from pctp.outreach import api as outreach_api
from pctp.plans import api as plans_api
from pctp.portal import api as portal_api
from pctp.portal import views as portal_views
from pctp.quality import api as quality_api
from pctp.sources.api import SourceViewSet
from pctp.units import api as units_api
from pctp.units import views as unit_views

# The admin demands a verified second factor (django-otp), not only a password.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = gettext_lazy("PCTP — Administration")
admin.site.site_title = "PCTP"

router = DefaultRouter()
router.register("units", units_api.UnitViewSet, basename="unit")
router.register("communes", units_api.CommuneViewSet, basename="commune")
router.register("sources", SourceViewSet, basename="source")
router.register("cases/measures", cases_api.MeasureViewSet, basename="case-measure")
router.register("cases/appeals", cases_api.AppealViewSet, basename="case-appeal")
router.register("outreach/campaigns", outreach_api.CampaignViewSet, basename="outreach-campaign")
router.register("outreach/claims", outreach_api.ClaimViewSet, basename="outreach-claim")
router.register("cases/groups", cases_api.GroupViewSet, basename="criminal-group")
router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("tasks", plans_api.TaskViewSet, basename="task")
router.register("reports", plans_api.UnitReportViewSet, basename="unit-report")
router.register("scorecards", plans_api.ScorecardViewSet, basename="scorecard")
router.register("notifications", plans_api.NotificationViewSet, basename="notification")
router.register("law/offences", law_api.OffenceViewSet, basename="offence")
router.register("audit/events", AuditEventViewSet, basename="audit-event")
router.register("audit/access", AccessLogViewSet, basename="access-log")

api_v1 = [
    path("me/", units_api.MeView.as_view(), name="api-me"),
    path("portal/reports/", portal_api.SubmitView.as_view(), name="api-portal-submit"),
    path("portal/follow-up/", portal_api.FollowUpView.as_view(), name="api-portal-follow"),
    path("portal/messages/", portal_api.MessageView.as_view(), name="api-portal-message"),
    path("portal/lookup/", portal_api.LookupView.as_view(), name="api-portal-lookup"),
    path("national/", national_api.NationalView.as_view(), name="api-national"),
    path("portal/refutations/", outreach_api.PublicRefutations.as_view(),
         name="api-portal-refutations"),
    path("portal/false-information/", outreach_api.CitizenFlag.as_view(),
         name="api-portal-false-information"),
    path("portal/statistics/", portal_api.StatisticsView.as_view(),
         name="api-portal-statistics"),
    path("law/deadline/", law_api.DeadlineView.as_view(), name="api-deadline"),
    path("units/<int:pk>/members/",
         units_api.UnitViewSet.as_view({"get": "members"}, pagination_class=None),
         name="unit-members"),
    path("areas/", include("pctp.areas.api_urls")),
    path("analytics/", include("pctp.analytics.api_urls")),
    path("kpi/", include("pctp.kpi.api_urls")),
    path("quality/", include("pctp.quality.api_urls")),
    path("flags/", quality_api.FlagList.as_view(), name="api-flags"),
    path("flags/<int:pk>/", quality_api.FlagDetail.as_view(), name="api-flag"),
    path("", include(router.urls)),
]

journal = ([
    path("", views.journal_events, name="events"),
    path("access/", views.journal_access, name="access"),
    path("export/<str:which>.csv", views.journal_export, name="export"),
], "journal")

units = ([
    path("", unit_views.unit_index, name="list"),
    path("<int:pk>/", unit_views.unit_detail,
         name="detail"),
], "units")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.AuditedPasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("otp/verify/", otp_views.otp_verify, name="otp-verify"),
    path("otp/setup/", otp_views.otp_setup, name="otp-setup"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("units/", include(units)),
    path("sources/", include("pctp.sources.urls")),
    path("imports/", include("pctp.imports.urls")),
    path("periodic-reports/", include("pctp.reporting.urls")),
    path("cong-dan/tin-sai/", include("pctp.outreach.public_urls")),
    path("cong-dan/", include("pctp.portal.urls")),
    path("outreach/", include("pctp.outreach.urls")),
    path("national/", include("pctp.national.urls")),
    path("captcha/", include("captcha.urls")),
    path("vendor/plotly.min.js", portal_views.plotly_js, name="plotly-js"),
    path("cases/", include("pctp.cases.urls")),
    path("plans/", include("pctp.plans.urls")),
    path("areas/", include("pctp.areas.urls")),
    path("analytics/", include("pctp.analytics.urls")),
    path("kpi/", include("pctp.kpi.urls")),
    path("quality/", include("pctp.quality.urls")),
    path("law/offences/", law_views.offence_index, name="offences"),
    path("law/offences/suggest.json", law_views.offence_search, name="offence-suggest"),
    path("law/deadline/", law_views.deadline_calculator, name="deadline"),
    path("journal/", include(journal)),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "pctp.core.views_errors.not_found"
handler403 = "pctp.core.views_errors.forbidden"
handler400 = "pctp.core.views_errors.bad_request"
handler500 = "pctp.core.views_errors.server_error"
