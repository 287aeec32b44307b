"""The roles of PCTP and the named domain permissions each one carries.

Roles are auth groups kept in step with this table by migration 0002 and after every
`migrate` (later apps add permissions). A permission listed here that no installed app
defines yet is skipped, so the table can name the verbs of apps still to come.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ROLE_NAMES = {
    "intake_officer": _("Intake officer"),
    "investigator": _("Investigator"),
    # Law 99/2025/QH15: a commune police chief or deputy who is an investigator of the
    # provincial investigation body, assigned by its head, initiates and investigates less
    # serious and serious crimes in the commune (from 01/07/2025).
    "commune_investigator": _("Commune police chief assigned to investigate"),
    "unit_leader": _("Unit leader"),
    "procurator": _("Procurator"),
    "court_officer": _("Court officer"),
    "department_officer": _("Department officer"),
    "provincial_leader": _("Provincial leader"),
    "statistics_analyst": _("Statistics analyst"),
    "auditor": _("Auditor"),
    "system_admin": _("System administrator"),
}

# Vietnamese names stored in the database (the admin shows them without translation).
ROLE_NAMES_VI = {  # i18n: data
    "intake_officer": "Cán bộ tiếp nhận",
    "investigator": "Điều tra viên",
    "commune_investigator": "Trưởng, Phó Trưởng Công an xã được phân công điều tra",
    "unit_leader": "Lãnh đạo đơn vị",
    "procurator": "Kiểm sát viên",
    "court_officer": "Cán bộ Tòa án",
    "department_officer": "Cán bộ sở, ngành, địa phương",
    "provincial_leader": "Lãnh đạo tỉnh",
    "statistics_analyst": "Cán bộ thống kê, phân tích",
    "auditor": "Kiểm toán nhật ký",
    "system_admin": "Quản trị hệ thống",
}

_VIEW_REFERENCE = ["units.view_unit", "units.view_commune", "units.view_province"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "intake_officer": [*_VIEW_REFERENCE,
                       "sources.receive_source", "sources.classify_source",
                       "sources.transfer_source", "sources.view_source",
                       "portal.triage_portal"],
    "investigator": [*_VIEW_REFERENCE,
                     "sources.view_source", "sources.verify_source", "sources.decide_source",
                     "sources.request_extension", "cases.view_case", "cases.investigate",
                     "cases.view_accused_identity", "cases.manage_group"],
    "commune_investigator": [*_VIEW_REFERENCE,
                             "sources.view_source", "sources.verify_source",
                             "sources.decide_source", "cases.view_case", "cases.investigate",
                             "cases.investigate_commune", "cases.assign_case",
                             "cases.view_accused_identity"],
    "unit_leader": [*_VIEW_REFERENCE,
                    "areas.view_keyarea",
                    "sources.view_source", "sources.receive_source", "sources.assign_source",
                    "sources.import_source", "cases.import_case",
                    "sources.classify_source", "sources.transfer_source",
                    "sources.verify_source", "sources.request_extension",
                    "sources.extend_deadline", "sources.decide_source",
                    "sources.view_reporter_identity", "portal.triage_portal",
                    "portal.publish_warnings",
                    "cases.view_case", "cases.investigate", "cases.assign_case",
                    "cases.view_accused_identity", "cases.manage_group", "plans.view_task",
                    "plans.report_task", "plans.manage_plan", "plans.assign_task",
                    "plans.accept_task", "kpi.view_kpi", "analytics.view_analysis",
                    "reporting.generate_report", "reporting.sign_report",
                    "quality.view_quality", "outreach.view_outreach",
                    "outreach.manage_campaign", "outreach.manage_claim"],
    "procurator": [*_VIEW_REFERENCE,
                   "sources.view_source", "sources.supervise_source",
                   "sources.approve_extension", "cases.view_case", "cases.prosecute",
                   "cases.view_accused_identity", "quality.view_quality",
                   "quality.review_flag"],
    "court_officer": [*_VIEW_REFERENCE, "cases.view_case", "cases.try_case",
                      "cases.view_accused_identity"],
    "department_officer": [*_VIEW_REFERENCE, "plans.view_task", "plans.report_task",
                           "outreach.view_outreach", "outreach.manage_campaign"],
    "provincial_leader": [*_VIEW_REFERENCE,
                          "sources.view_source", "cases.view_case", "plans.view_task",
                          "plans.manage_plan", "plans.assign_task", "plans.accept_task",
                          "kpi.view_kpi", "kpi.close_kpi_period", "areas.view_keyarea",
                          "areas.manage_keyarea", "analytics.view_analysis",
                          "reporting.generate_report", "reporting.sign_report",
                          "quality.view_quality", "outreach.view_outreach",
                          "national.view_national"],
    "statistics_analyst": [*_VIEW_REFERENCE,
                           "areas.view_keyarea",
                           "sources.view_source", "sources.import_source", "cases.view_case",
                           "cases.import_case",
                           "kpi.view_kpi",
                           "kpi.close_kpi_period", "analytics.run_analysis", "analytics.view_analysis",
                           "reporting.generate_report", "quality.view_quality",
                           "outreach.view_outreach", "national.view_national"],
    "auditor": [*_VIEW_REFERENCE, "core.view_journal", "core.export_journal",
                "quality.review_flag"],
    "system_admin": [*_VIEW_REFERENCE,
                     "units.manage_units", "units.manage_members",
                     "units.add_commune", "units.change_commune",
                     "units.add_communeboundary", "units.change_communeboundary",
                     "core.view_journal"],
}


def sync_roles(apps=None) -> None:
    """Create or update one group and one Role per entry of ROLE_PERMISSIONS."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    role_model = apps.get_model("units", "Role")
    for code, perms in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=f"role:{code}")
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            perm = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
        role_model.objects.update_or_create(
            code=code, defaults={"name": ROLE_NAMES_VI[code], "group": group}
        )


def sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    """Once per migrate (or flush), after the last app's permissions exist: post_migrate is
    sent once for every app, and Django's own receiver creates each app's permissions as its
    signal is sent, so the last app's signal is the one that sees them all."""
    from django.apps import apps
    from django.db import connections

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if with_models and sender is not with_models[-1]:
        return
    if "units_role" not in connections[using].introspection.table_names():
        return  # migrated backwards past the roles table
    sync_roles()
