"""Human labels for journal actions and states, so timelines read in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "source.receive": _("Received and entered in the register"),
    "source.forward": _("Passed on to the investigation body"),
    "source.classify": _("Classified"),
    "source.transfer": _("Transferred to the competent body"),
    "source.accept_transfer": _("Accepted by the competent body"),
    "source.assign": _("Assigned to an investigator"),
    "source.note": _("Verification recorded"),
    "source.request_verification": _("Procuracy requested verification"),
    "source.notify_procuracy": _("Receipt notice sent to the procuracy"),
    "source.notify_reporter": _("Receipt notice sent to the reporter"),
    "source.extend": _("Time limit extended"),
    "source.request_extension": _("Extension requested from the procuracy"),
    "source.refuse_extension": _("Procuracy refused the extension"),
    "source.initiate": _("Decision to initiate a case"),
    "source.decline": _("Decision not to initiate a case"),
    "source.suspend": _("Resolution suspended"),
    "source.cancel_suspension": _("Procuracy cancelled the suspension"),
    "source.resume": _("Resolution resumed"),
    "source.attach": _("Document attached"),
    "source.merge": _("Merged into another source"),
    "source.absorb": _("Another source merged into this one"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def state_label(code: str) -> str:
    from pctp.sources.models import Status

    try:
        return str(Status(code).label)
    except ValueError:
        return code
