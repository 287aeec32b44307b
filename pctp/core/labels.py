"""Human labels for journal actions and states, so timelines read in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "source.receive": _("Received and entered in the register"),
    "source.forward": _("Passed on to the investigation body"),
    "source.classify": _("Classified"),
    "source.reclassify": _("Offence changed"),
    "source.transfer": _("Transferred to the competent body"),
    "source.accept_transfer": _("Accepted by the competent body"),
    "source.assign": _("Assigned to an investigator"),
    "source.note": _("Verification recorded"),
    "source.import": _("Imported from a register"),
    "source.import_update": _("Corrected from a register"),
    "source.export_register": _("Register exported"),
    "case.import": _("Imported from a register"),
    "case.import_update": _("Corrected from a register"),
    "case.import_measure": _("Custody or detention imported from a book"),
    "case.import_recovery": _("Asset recovery imported from a table"),
    "case.export_register": _("Register exported"),
    "import.upload": _("Register file uploaded"),
    "import.configure": _("Register columns chosen"),
    "import.mapping_save": _("Column mapping saved"),
    "import.check": _("Register check queued"),
    "import.run": _("Register import queued"),
    "import.commit": _("Register imported"),
    "import.delete_file": _("Uploaded register file deleted"),
    "report.request": _("Periodic report requested"),
    "report.generate": _("Periodic report generated"),
    "report.sign": _("Periodic report recorded as signed"),
    "flag.raise": _("Red flag raised"),
    "flag.assign": _("Red flag assigned for review"),
    "flag.note": _("Note on a red flag"),
    "flag.close": _("Red flag closed"),
    "source.request_verification": _("Procuracy requested verification"),
    "source.notify_procuracy": _("Receipt notice sent to the procuracy"),
    "source.notify_reporter": _("Receipt notice sent to the reporter"),
    "source.extend": _("Time limit extended"),
    "source.extension_decision": _("Procuracy decided on the extension"),
    "source.request_extension": _("Extension requested from the procuracy"),
    "source.refuse_extension": _("Procuracy refused the extension"),
    "source.initiate": _("Decision to initiate a case"),
    "source.decline": _("Decision not to initiate a case"),
    "source.suspend": _("Resolution suspended"),
    "source.cancel_suspension": _("Procuracy cancelled the suspension"),
    "source.cancel_decline": _("Procuracy cancelled the decision not to initiate"),
    "source.resume": _("Resolution resumed"),
    "source.attach": _("Document attached"),
    "portal.submit": _("Report received from the citizens' portal"),
    "portal.passphrase_reissued": _("New follow-up passphrase issued on a retried submission"),
    "portal.convert": _("Entered as a crime source"),
    "portal.forward": _("Forwarded to another unit"),
    "portal.merge": _("Joined to an existing source"),
    "portal.close": _("Closed"),
    "portal.reply": _("Officer replied"),
    "portal.reporter_message": _("Reporter added information"),
    "source.merge": _("Merged into another source"),
    "source.absorb": _("Another source merged into this one"),
    "record.imported": _("Imported from the paper register"),
    "plan.create": _("Plan recorded"),
    "plan.issue": _("Plan brought into force"),
    "plan.close": _("Plan closed"),
    "task.assign": _("Task assigned"),
    "task.start": _("Work on the task started"),
    "task.report": _("Progress reported"),
    "task.contribute": _("Coordinating unit contributed"),
    "task.submit": _("Reported done"),
    "task.accept": _("Accepted by the plan owner"),
    "task.return": _("Returned to the unit"),
    "task.reschedule": _("Deadline changed"),
    "task.cancel": _("Task cancelled"),
    "unit_report.open": _("Report period opened"),
    "unit_report.submit": _("Report submitted"),
    "unit_report.return": _("Report returned for revision"),
    "unit_report.accept": _("Report accepted"),
    "source.case_opened": _("Criminal case opened"),
    "case.initiate": _("Decision to initiate the case"),
    "case.assign": _("Investigator assigned"),
    "case.add_accused": _("Accused prosecuted"),
    "case.charge": _("Charge added"),
    "case.set_lead": _("Lead accused marked"),
    "case.detect": _("Offender identified"),
    "case.request_extension": _("Investigation extension asked of the procuracy"),
    "case.extend": _("Case time limit extended"),
    "case.refuse_extension": _("Procuracy refused to extend the investigation"),
    "case.suspend": _("Investigation suspended"),
    "case.resume": _("Investigation resumed"),
    "case.conclude": _("Investigation concluded, file sent to the procuracy"),
    "case.terminate": _("Case terminated"),
    "case.receive": _("Procuracy received the file"),
    "case.indict": _("Indicted, file sent to the court"),
    "case.return_for_investigation": _("Returned for supplementary investigation"),
    "case.receive_returned": _("Investigation body received the returned file"),
    "case.prosecution_suspend": _("Case suspended by the procuracy"),
    "case.prosecution_resume": _("Case resumed by the procuracy"),
    "case.accept": _("Court accepted the case"),
    "case.commit_to_trial": _("Decision to bring the case to trial"),
    "case.open_trial": _("Trial opened"),
    "case.judgment": _("Judgment delivered"),
    "outreach.campaign_create": _("Campaign planned"),
    "outreach.campaign_update": _("Campaign changed"),
    "outreach.reach_add": _("Reach reported"),
    "outreach.material_add": _("Material attached"),
    "outreach.claim_create": _("False information entered"),
    "outreach.citizen_flag": _("Reported by a citizen"),
    "outreach.claim_accept": _("Taken into the register"),
    "outreach.claim_verify": _("Verified false"),
    "outreach.claim_refute": _("Refutation published"),
    "outreach.refutation_correct": _("Refutation corrected"),
    "outreach.claim_close": _("Closed"),
    "outreach.claim_dismiss": _("Dismissed: not false information"),
    "case.appeal": _("Appeal entered"),
    "case.protest": _("Protest by the procuracy entered"),
    "case.decide_appeal": _("Appellate decision recorded"),
    "case.order_measure": _("Custody or detention ordered"),
    "case.measure_request_extension": _("Extension of custody or detention requested"),
    "case.measure_extension_decision": _("Procuracy decided on the custody or detention extension"),
    "case.extension_decision": _("Procuracy decided on the investigation extension"),
    "case.update": _("Case details corrected"),
    "case.request_measure_extension": _("Extension of custody or detention requested"),
    "case.extend_measure": _("Custody or detention extended"),
    "case.refuse_measure_extension": _("Extension of custody or detention refused"),
    "case.release": _("Released"),
    "case.set_value": _("Value appropriated or lost recorded"),
    "case.record_recovery": _("Asset recovery recorded"),
    "group.create": _("Criminal group entered in the register"),
    "group.add_member": _("Member added to the group"),
    "group.remove_member": _("Member removed from the group"),
    "group.update": _("Group record updated"),
    "keyarea.select": _("Selected by the Steering Committee"),
    "keyarea.start": _("Transformation begun"),
    "keyarea.add_measure": _("Measure added to the transformation plan"),
    "keyarea.draft_assessment": _("Assessment drafted"),
    "keyarea.sign_assessment": _("Assessment signed"),
    "keyarea.remove": _("Removed from the list"),
    "keyarea.relapse": _("Relapse recorded"),
    "assessment.draft": _("Assessment drafted"),
    "assessment.sign": _("Assessment signed and frozen"),
    "model_commune.record": _("Model commune recorded"),
    "model_commune.status": _("Model commune status changed"),
    "plan.target_set": _("Plan target set"),
    "kpi.close_period": _("Reporting period closed"),
    "portal.identity_check": _("Reporter's identity checked"),
    "portal.indicator_confirm": _("Fraud indicator entered"),
    "portal.indicator_verify": _("Fraud indicator verified by a second officer"),
    "portal.bulletin_publish": _("Bulletin published"),
    "forecast_queue": _("Forecast requested"),
    "forecast_start": _("Forecast started"),
    "forecast_done": _("Forecast computed"),
    "forecast_fail": _("Forecast failed"),
    "upload_events": _("Event file uploaded"),
    "otp.enrol": _("Two-step sign-in set up"),
    "user.create": _("Account created"),
    "user.password_change": _("Password changed"),
    "unit.create": _("Unit created"),
    "unit.update": _("Unit updated"),
    "unit.close": _("Unit closed"),
    "membership.grant": _("Role in a unit granted"),
    "membership.end": _("Role in a unit ended"),
    "reference.load": _("Reference data loaded"),
    "boundaries.load": _("Commune boundaries loaded"),
    "law.offences_load": _("Criminal Code offences loaded"),
    "crypto.rotate": _("Encryption keys rotated"),
    "admin.change": _("Changed in the administration"),
    "admin.delete": _("Deleted in the administration"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


# Outcomes of a handover of a case file (pctp.cases Referral.outcome).
REFERRAL_OUTCOMES = {
    "indict": _("indicted"),
    "return": _("returned for supplementary investigation"),
    "suspend": _("suspended"),
    "terminate": _("terminated"),
    "judgment": _("judgment delivered"),
    "received": _("received"),
}


# The states of each workflow, registered by the app that owns it (its AppConfig.ready):
# object type → its TextChoices. Journal rows of any other type are read as sources' states.
STATE_CHOICES: dict[str, type] = {}
DEFAULT_STATES = "sources.source"


def register_states(object_type: str, choices: type) -> None:
    STATE_CHOICES[object_type] = choices


def state_label(code: str, object_type: str = "") -> str:
    if object_type == "cases.referral":
        return str(REFERRAL_OUTCOMES.get(code, code))
    choices = STATE_CHOICES.get(object_type) or STATE_CHOICES.get(DEFAULT_STATES)
    if choices is None:
        return code
    try:
        return str(choices(code).label)
    except ValueError:
        return code


# Models moved between apps (issue 18): journal rows written before keep the old type.
MOVED_MODELS = {"plans.target": "kpi.target", "plans.kpisnapshot": "kpi.kpisnapshot",
                "plans.kpirevision": "kpi.kpirevision", "plans.notification": "core.notification"}


def object_label(object_type: str) -> str:
    """"sources.source" → the model's name in the user's language ("nguồn tin")."""
    from django.apps import apps

    try:
        return str(apps.get_model(MOVED_MODELS.get(object_type, object_type))._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


# What an access to personal data showed, and why (pctp.core.AccessLog.fields / purpose).
ACCESS_LABELS = {
    "reporter_identity": _("the reporter's identity"),
    "identity": _("the accused's identity"),
    "journal:events": _("the audit journal"),
    "journal:access": _("the journal of access to personal data"),
    "api": _("through the API"),
    "case page": _("the case page"),
    "detention list": _("the detention register"),
    "group proposals": _("proposed criminal groups"),
    "group register": _("the register of criminal groups"),
    "receipt record": _("the receipt record"),
    "receipt notice": _("the receipt notice"),
    "journal export": _("journal export"),
    "handling the source": _("handling the source"),
    "analytics network": _("the network analysis"),
    "portal triage": _("triage of a portal report"),
}


def access_label(code: str) -> str:
    return str(ACCESS_LABELS.get(code, code))
