"""Names in the administrator's pages for the libraries' own models (issue 17): "Access
attempts", "TOTP devices" and "Task Results" appeared in English in the Vietnamese
interface. The names are ours, translated like every other string."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

NAMES = {
    "authtoken": (_("API keys"), {"token": (_("API key"), _("API keys")),
                                  "tokenproxy": (_("API key"), _("API keys"))}),
    "axes": (_("Sign-in lockout"), {
        "accessattempt": (_("failed sign-in counter"), _("failed sign-in counters")),
        "accessfailurelog": (_("failed sign-in"), _("failed sign-ins")),
        "accessattemptexpiration": (_("lockout expiry"), _("lockout expiries")),
        "accesslog": (_("sign-in record"), _("sign-in records"))}),
    "otp_totp": (_("Second factor: authenticator apps"), {
        "totpdevice": (_("authenticator app"), _("authenticator apps"))}),
    "otp_static": (_("Second factor: backup codes"), {
        "staticdevice": (_("backup code set"), _("backup code sets")),
        "statictoken": (_("backup code"), _("backup codes"))}),
    "django_tasks_database": (_("Background work"), {
        "dbtaskresult": (_("background task"), _("background tasks"))}),
    "captcha": (_("Captcha"), {"captchastore": (_("captcha challenge"),
                                                 _("captcha challenges"))}),
}


def name_libraries() -> None:
    for label, (app_name, models) in NAMES.items():
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        config.verbose_name = app_name
        for model_name, (singular, plural) in models.items():
            try:
                model = config.get_model(model_name)
            except LookupError:
                continue
            model._meta.verbose_name = singular
            model._meta.verbose_name_plural = plural
