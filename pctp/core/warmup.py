"""Warm a freshly started app process before it takes traffic (issue 23).

A new worker imports the views and their libraries, compiles the templates and loads the
translation catalogues on its first requests: the first officer it serves waited 2.5–3 s.
gunicorn's `post_worker_init` hook (deploy/gunicorn.conf.py) calls `warm()` before the worker
accepts a connection; `benchmarks/app_start.py` measures what it saves.
"""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path

log = logging.getLogger("pctp.warmup")

# Pages any visitor may open: served through the whole stack (middleware, sessions, CSRF,
# templates) without a login and without writing a record.
PATHS = ("/healthz", "/accounts/login/", "/cong-dan/")


def _host() -> str:
    from django.conf import settings

    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            return host
    return "localhost"


def _request(app, path: str) -> int:
    status: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": _host(), "SERVER_PORT": "443", "HTTP_HOST": _host(),
        "REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "vi", "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    body = app(environ, lambda s, h, exc_info=None: status.append(s))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0]) if status else 0


def _templates() -> int:
    """Compile every template of the project once (the cached loader keeps them)."""
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines

    package = Path(__file__).resolve().parents[1]
    count = 0
    for engine in engines.all():
        for directory in engine.template_dirs:
            root = Path(directory).resolve()
            if not root.is_dir() or package not in root.parents:
                continue
            for path in root.rglob("*.html"):
                try:
                    engine.get_template(str(path.relative_to(root)))
                    count += 1
                except (TemplateDoesNotExist, TemplateSyntaxError):
                    continue
    return count


def warm(app=None) -> dict:
    """Load what the first requests would load; returns what was done and how long it took."""
    started = time.perf_counter()
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    if app is None:
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
    get_resolver().url_patterns  # imports every app's views  # noqa: B018
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Sign in")
    templates = _templates()
    statuses = {path: _request(app, path) for path in PATHS}
    from django.db import close_old_connections, connections

    close_old_connections()
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()  # the worker's first request opens its own connection
    took = time.perf_counter() - started
    log.info("warmed in %.2f s: %d templates, %s", took, templates,
             ", ".join(f"{p} {s}" for p, s in statuses.items()))
    return {"seconds": took, "templates": templates, "statuses": statuses}
