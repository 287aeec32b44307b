"""schemathesis against the OpenAPI schema (issue 16, guard rails), in process through WSGI,
with the token of the system administrator (a superuser: every operation opens for it) on
the world of tests/core/access_world.py.

Bounded and reproducible: a fixed number of examples per operation, derandomized (the same
cases on every run), no example database; the path of each operation is filled with a real
record of the world (the access matrix's fillers), so detail and action operations answer
with their data rather than 404. Checks: no 5xx, every response (errors included) matches
the schema, every status is documented, the content type is the documented one.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.core.test_access_matrix import Const, api_filler

pytestmark = pytest.mark.django_db

# Examples per operation in the fuzzing phase (the examples and coverage phases add their
# own, a bounded few). 134 operations at this number run in about two minutes on SQLite.
MAX_EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]


def _load():
    """The schema as /api/schema/ serves it, generated here (collection has no database),
    bound to the application through WSGI."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = json.loads(OpenApiJsonRenderer().render(
        SchemaGenerator().get_schema(request=None, public=True)))
    config = schemathesis.Config.from_dict({
        "seed": 20260216,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True,
                       "database": "none", "no-shrink": True,
                       "with-security-parameters": False},
        # The coverage phase's boundary cases, valid ones only: its negative cases are
        # hundreds per operation with a large body (the fuzzing phase sends invalid data).
        "phases": {"stateful": {"enabled": False},
                   "coverage": {"generation": {"mode": "positive"}}},
    })
    schema = schemathesis.openapi.from_dict(raw, config=config)
    schema.app = WSGIHandler()
    return schema


schema = _load()


@pytest.fixture(scope="module")
def admin_token(world):
    """The system administrator's token (a superuser: every operation opens for it;
    tokens skip the second factor, which is for sessions)."""
    w = world[0]
    return Token.objects.get_or_create(user=w.users["admin"])[0].key


def _pin_path(case, w) -> None:
    """The path of a detail or action operation names a real record of side A (the access
    matrix's fillers), so it answers with data rather than 404."""
    params = tuple(case.path_parameters or {})
    filler = api_filler(case.operation.path, params)
    if filler is None:
        return
    assert not isinstance(filler, str), filler
    if isinstance(filler, Const):
        value = filler.value
    elif filler.kind == "unit":
        value = w.obj("A", "unit").pk
    else:
        value = getattr(w.obj("A", filler.kind), filler.attr)
    case.path_parameters[params[0]] = value


CALLS: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _keep_the_test_connection(world):
    """The WSGI handler closes the database connection at the end of each request (as in
    production); the test's transaction lives on it. Django's test client stops that the
    same way (and connects it again after each of its requests: hence after the world's
    logins)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    print(f"\nschemathesis: {sum(CALLS.values())} requests over {len(CALLS)} operations, "
          f"{CALLS.most_common(1)} the most")


@schema.parametrize()
def test_api_answers_as_its_schema_says(case, world, admin_token):
    _pin_path(case, world[0])
    CALLS[case.operation.label] += 1
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)
