"""Error pages: in Vietnamese (or the chosen language), never Django's debug pages, and in
the API's error shape under /api/."""

from django.http import JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _

MESSAGES = {400: _("Bad request."), 403: _("You do not have access."),
            404: _("Not found."), 500: _("The system hit an error. The operation was not carried "
                                         "out; please try again in a few minutes.")}


def _api(request, status: int):
    if request.path.startswith("/api/"):
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}
        return JsonResponse({"error": {"code": code[status], "message": str(MESSAGES[status]),
                                       "details": {}}}, status=status)
    return None


def not_found(request, exception=None):
    return _api(request, 404) or render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return _api(request, 403) or render(request, "errors/403.html", status=403)


def bad_request(request, exception=None):
    return _api(request, 400) or render(request, "errors/400.html", status=400)


def server_error(request):
    """No context processors (the database may be the cause): a plain page."""
    api = _api(request, 500)
    if api is not None:
        return api
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
