from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from pctp.core.context import client_address


def _client_ip(request) -> str | None:
    # Behind a reverse proxy the operator sets PCTP_PROXY_COUNT; see docs/operations.md.
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= proxies:
            return parts[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_address.set(_client_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_address.reset(token)


def requires_second_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    from pctp.core.permissions import role_codes

    return bool(set(role_codes(user)) & set(settings.PCTP_SECOND_FACTOR_ROLES))


class SecondFactorMiddleware:
    """Administrators and leaders must pass a TOTP check before using any page.

    Session users without a verified device are sent to enrol or verify; API calls
    made with a token are exempt (tokens are issued to systems, not people).
    """

    # Only the pages that let a person reach the check, and assets. The API and the
    # citizens' portal are NOT exempt for a signed-in session: a browser session that has
    # not passed the second factor gets 403 from the API and the check from the portal's
    # staff pages. Token calls carry no session (the user is anonymous here): DRF
    # authenticates them in the view, and tokens are issued to systems, not people.
    exempt_prefixes = ("/otp/", "/accounts/logout/", "/static/", "/healthz", "/i18n/",
                       "/captcha/", "/vendor/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.exempt_prefixes)
            and not user.is_verified()
            and requires_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"error": {
                    "code": "second_factor_required",
                    "message": _("Pass the two-factor check (OTP code) before using the API "
                                 "with a signed-in session."), "details": {}}}, status=403)
            return redirect(f"{reverse('otp-verify')}?next={request.get_full_path()}")
        return self.get_response(request)


def chosen_language(request) -> str:
    """The language the user chose (the language cookie), else Vietnamese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    available = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in available else settings.LANGUAGE_CODE


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose another language (the language cookie).

    The browser's Accept-Language is deliberately ignored: officers' machines are often
    set to English, and the system's working language is Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        # For this request only: the thread's next request, a task or a test after it does
        # not inherit an English user's choice.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """A NUL byte in the query string or a form is never a legitimate value: PostgreSQL
    refuses it and SQLite stores it, so it is refused here, the same on both, with 400
    (the API's error shape under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils import translation

            # This runs before the language is activated: the user's choice is read here.
            with translation.override(chosen_language(request)):
                message = _("The data contain an invalid character (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"code": "invalid", "message": message,
                                               "details": {}}}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""):
        return True
    if "\x00" in request.path:
        return True
    if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            return any("\x00" in k or any("\x00" in v for v in vs)
                       for k, vs in request.POST.lists())
        except Exception:  # noqa: BLE001 - a malformed body is the view's to refuse
            return False
    return False
