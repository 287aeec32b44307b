"""The access matrix (issue 16, guard rails): every page of the URL conf and every operation
of the OpenAPI schema, requested as every persona, with the path filled with an object of
another unit (and with the persona's own).

Generated, not listed: a URL or an operation added later is requested too. One whose path
the generator cannot fill fails `test_every_url_and_operation_can_be_filled` with what to
add to PAGE_FILL or API_FILL.

Checked for every request: no 5xx; an object of another unit is never returned (403/404,
or the login for the anonymous visitor); no response, list, export, drill-down, document
or attachment carries a record of a side the persona must not see (the canaries of
tests/core/access_world.py); every id an API list returns is in the persona's scope as the
app's scope selectors say; a page and the API operation at the same path agree (one is not
403 while the other answers 200).
"""

from __future__ import annotations

import functools
import io
import logging
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from tests.core.access_world import CANARY, PERSONA_KEYS, Persona, World

pytestmark = pytest.mark.django_db


# ----------------------------------------------------------------------------- fillers

@dataclass(frozen=True)
class Obj:
    """A record of the world. `level`: "unit" (another unit's is probed), "province" (only
    another province's is probed: the record is province-wide by design, e.g. a KPI plan),
    "reference" (shared reference data: never probed)."""

    kind: str
    attr: str = "pk"
    level: str = "unit"


@dataclass(frozen=True)
class Const:
    value: str


# Page fillers: by URL name ("namespace:name"), then by namespace; admin URLs are filled
# from the admin's registry below.
PAGE_FILL: dict[str, dict[str, Obj | Const]] = {
    "units:detail": {"pk": Obj("unit")},
    "sources": {"pk": Obj("source"), "attachment_id": Obj("attachment"),
                "which": Const("receipt"), "action": Const("note")},
    "portal": {"pk": Obj("portal_report"), "source_pk": Obj("source"), "action": Const("reply")},
    "cases:group_detail": {"pk": Obj("group")},
    "cases:group_action": {"pk": Obj("group"), "action": Const("update")},
    "cases": {"pk": Obj("case"), "source_pk": Obj("source"), "action": Const("add_accused")},
    "plans:plan-action": {"pk": Obj("plan"), "action": Const("issue")},
    "plans:task-action": {"pk": Obj("task"), "action": Const("start")},
    "plans:task": {"pk": Obj("task")},
    "plans:update-file": {"pk": Obj("task"), "update_id": Obj("task_update")},
    "plans:report": {"pk": Obj("unit_report")},
    "plans:report-submit": {"pk": Obj("unit_report")},
    "plans:report-return": {"pk": Obj("unit_report")},
    "plans:report-file": {"pk": Obj("unit_report")},
    "plans": {"pk": Obj("plan"), "unit_pk": Obj("unit"), "measure": Const("tasks_on_time")},
    "areas:ranking_records": {"code": Obj("commune", "code")},
    "areas:model_commune_status": {"pk": Obj("model_commune")},
    "areas:assessment": {"pk": Obj("assessment")},
    "areas:assessment_sign": {"pk": Obj("assessment")},
    "areas": {"pk": Obj("area"), "action": Const("start")},
    "analytics": {"pk": Obj("forecast")},
    "imports": {"pk": Obj("import_job"), "kind": Const("sources")},
    "reporting": {"pk": Obj("report"), "what": Const("docx"), "kind": Const("plan")},
    "quality:flag": {"pk": Obj("flag")},
    "quality:flag-action": {"pk": Obj("flag"), "action": Const("note")},
    "quality": {"code": Const("Q4")},
    "outreach:material": {"pk": Obj("campaign"), "material_id": Obj("material")},
    "outreach:claim": {"pk": Obj("claim")},
    "outreach:claim-action": {"pk": Obj("claim"), "action": Const("verify")},
    "outreach": {"pk": Obj("campaign")},
    # Published refutations are public by design: the same for everyone.
    "outreach-public": {"pk": Obj("refutation", level="reference")},
    "kpi:plan-action": {"pk": Obj("plan", level="province")},
    "kpi": {"code": Const("T1")},
    "journal:export": {"which": Const("events")},
    "captcha-image": {"key": Const("0" * 40)},
    "captcha-image-2x": {"key": Const("0" * 40)},
    "captcha-audio": {"key": Const("0" * 40)},
}

# API fillers: by the collection the parameter names ("/api/v1/sources/{id}/").
API_FILL: dict[str, Obj | Const] = {
    "/api/v1/sources/{id}/": Obj("source"),
    "/api/v1/cases/{id}/": Obj("case"),
    "/api/v1/cases/measures/{id}/": Obj("measure"),
    "/api/v1/cases/appeals/{id}/": Obj("appeal"),
    "/api/v1/outreach/campaigns/{id}/": Obj("campaign"),
    "/api/v1/outreach/claims/{id}/": Obj("claim"),
    "/api/v1/cases/groups/{id}/": Obj("group"),
    "/api/v1/plans/{id}/": Obj("plan"),
    "/api/v1/tasks/{id}/": Obj("task"),
    "/api/v1/reports/{id}/": Obj("unit_report"),
    "/api/v1/scorecards/{id}/": Obj("unit"),
    "/api/v1/notifications/{id}/": Obj("notification"),
    "/api/v1/areas/{id}/": Obj("area"),
    "/api/v1/areas/assessments/{id}/": Obj("assessment"),
    "/api/v1/analytics/forecasts/{id}/": Obj("forecast"),
    "/api/v1/units/{id}/": Obj("unit"),
    "/api/v1/communes/{code}/": Obj("commune", "code", level="reference"),
    "/api/v1/law/offences/{article}/": Const("173"),
    "/api/v1/quality/{code}/": Const("Q4"),
    "/api/v1/quality/{code}/records/": Const("Q4"),
    "/api/v1/flags/{id}/": Obj("flag"),
    # The journal is the whole system's, for those with core.view_journal (by design).
    "/api/v1/audit/events/{id}/": Obj("audit_event", level="reference"),
    "/api/v1/audit/access/{id}/": Obj("access_log", level="reference"),
}

# A page and the API operation at the same path, where their paths differ.
PAGE_TO_API = {"plans/tasks/": "tasks/", "plans/reports/": "reports/",
               "plans/scorecards/": "scorecards/", "plans/notifications/": "notifications/",
               "journal/access/": "audit/access/", "journal/": "audit/events/",
               "analytics/": "analytics/hotspots/", "quality/flags/": "flags/"}

# Requested by every persona except these, which are asked by a few only (they answer the
# same for everyone who is not staff): the admin site.
ADMIN_PERSONAS = {"admin", "leader", "anonymous"}
# Pages that show no record, the same to everyone (the schema, the penal code, the deadline
# calculator): asked by these personas only, to keep the matrix fast.
REFERENCE_PAGES = {"api-schema", "api-docs", "offences", "deadline"}
REFERENCE_PERSONAS = {"ward_officer", "leader", "admin", "anonymous"}
# Not requested: signing out ends the persona's session.
SKIP_PAGES = {"logout"}


# ----------------------------------------------------------------------------- the URLs

@dataclass(frozen=True)
class Route:
    name: str            # "namespace:name"
    template: str        # "sources/<int:pk>/" or the regex
    params: tuple[str, ...]
    is_regex: bool

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0] if ":" in self.name else self.name

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("admin/")


@functools.cache
def page_routes() -> tuple[Route, ...]:
    out: list[Route] = []

    def walk(patterns, prefix: str, ns: str | None):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ns
                if p.namespace:
                    inner = f"{ns}:{p.namespace}" if ns else p.namespace
                walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                template = prefix + str(p.pattern)
                if template.startswith("api/v1/"):
                    continue  # the API: taken from the schema
                name = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
                regex = re.compile(template.replace("^", "").replace("$", ""))
                params = tuple(regex.groupindex) if regex.groupindex else ()
                route_params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", template))
                out.append(Route(name=name, template=template,
                                 params=route_params or params,
                                 is_regex=not route_params and bool(params)))

    walk(get_resolver().url_patterns, "", None)
    return tuple(out)


@functools.cache
def api_operations() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ops = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                params = tuple(p["name"] for p in op.get("parameters", []) if p["in"] == "path")
                ops.append((method, path, params))
    return tuple(ops)


def _admin_fill(route: Route, world: World) -> dict[str, str] | str:
    """The admin's object pages: the first object of the model, or one of its app."""
    filled: dict[str, str] = {}
    path = re.match(r"admin/(\w+)/(\w+)/", route.template)
    model = next((m for m in admin.site._registry if path and (
        m._meta.app_label, m._meta.model_name) == path.groups()), None)
    for param in route.params:
        if param == "content_type_id":  # the admin's "view on site" of a unit
            filled[param] = str(ContentType.objects.get_for_model(world.obj("A", "unit")).pk)
            filled["object_id"] = str(world.obj("A", "unit").pk)
        elif param in ("object_id", "pk", "id"):
            if param in filled:
                continue
            if model is None:
                return f"admin URL {route.template}: no registered model for <{param}>"
            obj = model._default_manager.order_by("pk").first()
            filled[param] = str(obj.pk) if obj else "1"
        elif param == "app_label":
            filled[param] = "units"
        elif param == "url":
            filled[param] = "nowhere/"
        else:
            return f"admin URL {route.template}: no filler for <{param}>"
    return filled


def page_filler(route: Route) -> dict[str, Obj | Const] | str:
    """The filler of each parameter, or the message that says what to add."""
    if route.is_admin:
        return {}
    table = PAGE_FILL.get(route.name) or PAGE_FILL.get(route.namespace) or {}
    missing = [p for p in route.params if p not in table]
    if missing:
        return (f"page {route.template!r} (name {route.name!r}): no filler for "
                f"{', '.join('<' + m + '>' for m in missing)}: add one to PAGE_FILL in "
                f"tests/core/test_access_matrix.py (an Obj of tests/core/access_world.py "
                f"for a record, a Const for a fixed word)")
    return {p: table[p] for p in route.params}


def api_filler(path: str, params: tuple[str, ...]) -> Obj | Const | None | str:
    if not params:
        return None
    if len(params) > 1:
        return f"API {path}: more than one path parameter; teach api_filler to fill them"
    head = path[:path.index("{" + params[0] + "}") + len(params[0]) + 2] + "/"
    if head not in API_FILL:
        return (f"API {path}: no filler for {{{params[0]}}}: add {head!r} to API_FILL in "
                f"tests/core/test_access_matrix.py")
    return API_FILL[head]


def test_every_url_and_operation_can_be_filled():
    """A new URL or operation is requested automatically; one the generator cannot fill
    fails here with what to add (never skipped silently)."""
    problems = []
    for route in page_routes():
        filler = page_filler(route)
        if isinstance(filler, str):
            problems.append(filler)
    for _method, path, params in api_operations():
        filler = api_filler(path, params)
        if isinstance(filler, str):
            problems.append(filler)
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------- the world

# ----------------------------------------------------------------------------- checks

def _scopes():
    """The app's scope selectors, by model: what a user may see."""
    from pctp.analytics.models import Forecast
    from pctp.analytics.selectors import forecast_scope
    from pctp.areas.models import KeyArea, ModelCommune
    from pctp.areas.selectors import areas_in_scope, model_communes
    from pctp.cases.models import Appeal, Case, CriminalGroup, Measure
    from pctp.cases.selectors import appeal_scope, case_scope, group_scope, measure_list
    from pctp.core.models import AccessLog, AuditEvent, Notification
    from pctp.core.selectors import access_log_list, audit_event_list
    from pctp.law.models import Offence
    from pctp.outreach.models import Campaign, FalseClaim, Refutation
    from pctp.outreach.selectors import campaign_scope, claim_scope
    from pctp.plans.models import Plan, Task, UnitReport
    from pctp.plans.selectors import notifications_for, plan_scope, report_scope, task_scope
    from pctp.sources.models import Source
    from pctp.sources.selectors import source_scope
    from pctp.units.models import Commune, Membership, Unit
    from pctp.units.selectors import units_in_scope

    return {
        Source: source_scope, Case: case_scope, Appeal: appeal_scope,
        Campaign: campaign_scope, FalseClaim: claim_scope, Refutation: None,
        Measure: lambda u: measure_list(user=u, active=False),
        CriminalGroup: group_scope, Plan: plan_scope, Task: task_scope,
        UnitReport: report_scope, Notification: lambda u: notifications_for(user=u),
        KeyArea: areas_in_scope, ModelCommune: lambda u: model_communes(user=u),
        Forecast: forecast_scope, Unit: units_in_scope,
        AuditEvent: lambda u: audit_event_list(user=u),
        AccessLog: lambda u: access_log_list(user=u),
        # Reference data, the same for everyone who may read it.
        Commune: None, Offence: None, Membership: None,
    }


def _list_model(path: str):
    """The model a viewset's list action lists (other actions list other things)."""
    match = resolve(path)
    cls = getattr(match.func, "cls", None)
    if cls is None or (getattr(match.func, "actions", None) or {}).get("get") != "list":
        return None
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _text(response) -> str:
    """Everything a response says, documents and spreadsheets unpacked."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                                 if n.endswith((".xml", ".rels", ".txt", ".csv")))
        except zipfile.BadZipFile:
            pass
    return content.decode("utf-8", "replace")


@dataclass
class Probe:
    persona: Persona
    surface: str          # "page" or "api"
    method: str
    template: str         # the route or the schema path
    variant: str          # "plain", "own", "foreign"
    url: str
    status: int = 0
    note: str = ""


class Matrix:
    def __init__(self, world: World, persona: Persona, session: Client, token: APIClient):
        self.world, self.persona = world, persona
        self.session, self.token = session, token
        self.user = world.users.get(persona.key)
        self.probes: list[Probe] = []
        self.failures: list[str] = []
        self.forbidden = [CANARY[s] for s in persona.foreign_sides]
        self.scopes = _scopes()
        self._exceptions: list[str] = []

    # -- filling
    def value(self, filler: Obj | Const, side: str) -> str:
        if isinstance(filler, Const):
            return filler.value
        if filler.kind == "unit" and side == "A" and self.persona.role:
            return str(self.world.own_unit(self.persona).pk)
        return str(getattr(self.world.obj(side, filler.kind), filler.attr))

    def variants(self, fillers: dict[str, Obj | Const]) -> list[tuple[str, str]]:
        """(variant, side) pairs: the persona's own, and another unit's where it applies."""
        levels = {f.level for f in fillers.values() if isinstance(f, Obj)}
        if not levels - {"reference"}:
            return [("plain", "A")]
        if self.persona.role is None:
            return [("foreign", "A")]  # for the anonymous visitor every record is foreign
        if "province" in levels:
            side = "X" if self.persona.foreign_sides else None
        else:
            side = self.persona.probe_side
        return [("own", "A")] + ([("foreign", side)] if side else [])

    # -- requesting
    def request(self, probe: Probe, client, **kwargs) -> None:
        self._exceptions.clear()
        response = getattr(client, probe.method)(probe.url, **kwargs)
        probe.status = response.status_code
        self.probes.append(probe)
        where = f"{self.persona.key} {probe.method.upper()} {probe.url} [{probe.variant}]"
        if response.status_code >= 500:
            self.failures.append(f"5xx: {where} -> {response.status_code} "
                                 f"{'; '.join(self._exceptions)[:300]}")
            return
        text = _text(response)
        leaked = [c for c in self.forbidden if c in text]
        exempt = probe.template.startswith(("journal/", "/api/v1/audit/", "admin/"))
        if leaked and not exempt:
            at = text.index(leaked[0])
            self.failures.append(f"leak: {where} -> {response.status_code} shows a record of "
                                 f"another unit: …{text[max(0, at - 80):at + 40]!r}…")
        if probe.variant == "foreign" and response.status_code < 300:
            self.failures.append(f"leak: {where} -> {response.status_code}: another unit's "
                                 f"object was answered, not refused")
        if probe.variant == "foreign" and response.status_code in (301, 302, 303):
            target = response.get("Location", "")
            if not (self.persona.role is None and "/accounts/login/" in target):
                self.failures.append(f"foreign: {where} -> {response.status_code} to "
                                     f"{target}: expected 403 or 404")
        if probe.surface == "api" and response.status_code == 200 and probe.method == "get":
            self.check_list_scope(probe, response)

    def check_list_scope(self, probe: Probe, response) -> None:
        try:
            data = response.json()
        except ValueError:
            return
        rows = data.get("results") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
            return
        if "id" not in rows[0]:
            return
        model = _list_model(probe.url)
        if model is None:
            return
        if model not in self.scopes:
            self.failures.append(f"scope: {probe.template} lists {model.__name__}: add its "
                                 f"scope selector to _scopes() in {__name__}")
            return
        scope = self.scopes[model]
        if scope is None:
            return
        ids = {r["id"] for r in rows}
        allowed = set(scope(self.user).filter(pk__in=ids).values_list("pk", flat=True)) \
            if self.user else set()
        outside = ids - allowed
        if outside:
            self.failures.append(f"leak: {self.persona.key} GET {probe.url} lists "
                                 f"{model.__name__} {sorted(outside)} outside the scope")

    def on_exception(self, sender, request=None, **kwargs) -> None:
        import sys

        exc = sys.exc_info()[1]
        self._exceptions.append(f"{type(exc).__name__}: {exc}")

    # -- the two surfaces
    def pages(self) -> None:
        world = self.world
        for route in page_routes():
            if route.name in SKIP_PAGES:
                continue
            if route.name in REFERENCE_PAGES and self.persona.key not in REFERENCE_PERSONAS:
                continue
            if route.is_admin:
                if self.persona.key not in ADMIN_PERSONAS:
                    continue
                filled = _admin_fill(route, world)
                if isinstance(filled, str):
                    self.failures.append(filled)
                    continue
                self.page(route, "plain", filled)
                continue
            fillers = page_filler(route)
            if isinstance(fillers, str):
                self.failures.append(fillers)
                continue
            for variant, side in self.variants(fillers):
                filled = {p: self.value(f, side) for p, f in fillers.items()}
                self.page(route, variant, filled)

    def page(self, route: Route, variant: str, filled: dict[str, str]) -> None:
        if route.is_regex:
            url = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: filled[m.group(1)],
                               route.template).replace("^", "").replace("$", "")
        else:
            url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: filled[m.group(1)],
                               route.template)
        self.request(Probe(self.persona, "page", "get", route.template, variant, url),
                     self.session)
        if variant == "foreign":
            self.request(Probe(self.persona, "page", "post", route.template, variant, url),
                         self.session, data={})

    def api(self) -> None:
        for method, path, params in api_operations():
            filler = api_filler(path, params)
            if isinstance(filler, str):
                self.failures.append(filler)
                continue
            fillers = {params[0]: filler} if filler is not None else {}
            for variant, side in self.variants(fillers):
                if method != "get" and variant == "own":
                    continue  # writes are probed on another unit's objects only
                url = path
                for p, f in fillers.items():
                    url = url.replace("{" + p + "}", self.value(f, side))
                probe = Probe(self.persona, "api", method, path, variant, url)
                if method == "get":
                    self.request(probe, self.token)
                else:
                    self.request(probe, self.token, data={}, format="json")

    def agreement(self) -> None:
        """A page and the API at the same path answer alike: never 403 on one side and 200
        on the other (every API view asks the page's named permission)."""
        if self.persona.role is None:
            return
        pages, apis = {}, {}
        for p in self.probes:
            if p.method != "get":
                continue
            if p.surface == "page":
                key = re.sub(r"<[^>]+>", "{}", p.template)
                for old, new in PAGE_TO_API.items():
                    if key.startswith(old):
                        key = new + key[len(old):]
                        break
                pages[(key, p.variant)] = p
            else:
                key = re.sub(r"\{[^}]+\}", "{}", p.template.removeprefix("/api/v1/"))
                apis[(key, p.variant)] = p
        for key, page in pages.items():
            api = apis.get(key)
            if api is None:
                continue
            statuses = {page.status, api.status}
            if 403 in statuses and any(200 <= s < 300 for s in statuses):
                self.failures.append(
                    f"disagree: {self.persona.key}: page {page.url} -> {page.status}, "
                    f"API {api.url} -> {api.status}: the same named permission must decide "
                    f"both")




@pytest.mark.parametrize("key", PERSONA_KEYS)
def test_access_matrix(world, key):
    w, sessions, tokens = world
    persona = next(p for p in w.personas if p.key == key)
    matrix = Matrix(w, persona, sessions[key], tokens[key])
    got_request_exception.connect(matrix.on_exception)
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL  # thousands of expected 403/404
    try:
        matrix.pages()
        matrix.api()
    finally:
        quiet.level = level
        got_request_exception.disconnect(matrix.on_exception)
    matrix.agreement()
    by = defaultdict(Counter)
    for p in matrix.probes:
        by[p.surface][p.variant] += 1
    print(f"\n{key}: {len(matrix.probes)} requests "
          f"{ {s: dict(v) for s, v in by.items()} }, {len(matrix.failures)} failures")
    assert matrix.failures == [], (f"{len(matrix.failures)} failures for {key}:\n"
                                   + "\n".join(matrix.failures[:60]))


def test_every_role_has_a_persona(world):
    """A role added to pctp.units.roles joins the matrix (add its persona to
    tests/core/access_world.py)."""
    from pctp.units.roles import ROLE_PERMISSIONS

    w = world[0]
    assert set(ROLE_PERMISSIONS) <= {p.role for p in w.personas}


def test_the_matrix_sees_a_leak_when_there_is_one(world):
    """The canaries and the scope check work: the leader may see side B, so a leader held
    to side A's records must be caught by both on the sources."""
    w, sessions, tokens = world
    leader = next(p for p in w.personas if p.key == "leader")
    matrix = Matrix(w, leader, sessions["leader"], tokens["leader"])
    matrix.forbidden = [CANARY["B"]]
    source_b = w.obj("B", "source").pk
    matrix.request(Probe(leader, "page", "get", "sources/<int:pk>/", "own",
                         f"/sources/{source_b}/"), matrix.session)
    matrix.request(Probe(leader, "api", "get", "/api/v1/sources/", "plain",
                         "/api/v1/sources/"), matrix.token)
    assert [f.split(":")[0] for f in matrix.failures] == ["leak", "leak"], matrix.failures
    matrix.failures.clear()
    matrix.scopes[_list_model("/api/v1/sources/")] = lambda user: type(
        w.obj("A", "source")).objects.filter(pk=w.obj("A", "source").pk)
    matrix.forbidden = []
    matrix.request(Probe(leader, "api", "get", "/api/v1/sources/", "plain",
                         "/api/v1/sources/"), matrix.token)
    assert len(matrix.failures) == 1 and "outside the scope" in matrix.failures[0]
