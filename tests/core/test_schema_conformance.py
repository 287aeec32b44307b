"""The OpenAPI schema says what the API answers (issue 16, finding 16: enums returned as ""
where the schema had no blank, null where it said a string, lists where it declared a page,
errors it did not document), and a number past what the database holds is a 400.
tests/core/test_api_fuzz.py checks the same by fuzzing; these name each rule."""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _serializer_classes():
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("pctp."):
            continue
        for module in ("api", "api_views", "kpi_api"):
            if importlib.util.find_spec(f"{config.name}.{module}") is not None:
                importlib.import_module(f"{config.name}.{module}")
    seen, todo = set(), [serializers.Serializer]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted((c for c in seen if c.__module__.startswith("pctp.")),
                  key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _fields(cls):
    try:
        return cls().fields
    except Exception:  # noqa: BLE001 - a serializer that needs context to build
        return {}


def test_a_blank_choice_of_a_model_is_declared_with_its_blank():
    """A read-only choice field whose model field may be blank says so ("" in the schema):
    DRF drops allow_blank from read-only fields."""
    wrong = []
    for cls in _serializer_classes():
        model = getattr(getattr(cls, "Meta", None), "model", None)
        if model is None:
            continue
        for name, field in _fields(cls).items():
            if not isinstance(field, serializers.ChoiceField) or field.source == "*":
                continue
            try:
                model_field = model._meta.get_field(field.source)
            except Exception:  # noqa: BLE001 - not a model field
                continue
            if model_field.blank and model_field.choices and not field.allow_blank:
                wrong.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert wrong == []


def test_a_related_value_that_may_be_missing_is_declared_nullable():
    """`CharField(source="x.y", default=None)` answers null when x is missing."""
    wrong = [f"{cls.__module__}.{cls.__qualname__}.{name}"
             for cls in _serializer_classes() for name, field in _fields(cls).items()
             if field.default is None and not field.allow_null]
    assert wrong == []


def test_blank_enums_and_nulls_in_the_schema(schema):
    source = schema["components"]["schemas"]["Source"]["properties"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in source["severity"]["oneOf"]
    assert source["article"]["nullable"] is True
    task = schema["components"]["schemas"]["Task"]["properties"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in task["target_code"]["oneOf"]


def _ok(schema, path, method="get"):
    responses = schema["paths"][path][method]["responses"]
    code = "201" if "201" in responses else "200"
    return responses[code].get("content", {}).get("application/json", {}).get("schema", {})


@pytest.mark.parametrize("path", [
    "/api/v1/areas/{id}/timeline/", "/api/v1/cases/{id}/identities/",
    "/api/v1/cases/groups/proposals/", "/api/v1/reports/{id}/history/",
    "/api/v1/tasks/{id}/history/", "/api/v1/tasks/{id}/updates/",
    "/api/v1/units/{id}/members/"])
def test_an_action_that_answers_a_list_declares_a_list_not_a_page(schema, path):
    assert _ok(schema, path)["type"] == "array"


def test_only_list_operations_declare_pages(schema):
    """A page ({count, next, previous, results}) is what a viewset's list answers (or a view
    that pages with its pagination_class); every other operation answers a plain list."""
    generator = SchemaGenerator()
    generator.get_schema(request=None, public=True)
    lists = {path for path, _r, method, cb in generator.endpoints
             if method == "GET" and ((getattr(cb, "actions", None) or {}).get("get") == "list"
                                     or (not hasattr(cb, "actions")
                                         and getattr(cb.cls, "pagination_class", None)))}
    paged = {path for path, item in schema["paths"].items()
             if "get" in item and "Paginated" in str(_ok(schema, path))}
    assert paged <= lists, paged - lists


def test_the_forecast_list_declares_its_page(make_user):
    """It answers a page ({count, next, previous, results}), bounded like every other."""
    from tests.personas import api_client

    analyst = make_user("statistics_analyst", "P80")
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert _ok(schema, "/api/v1/analytics/forecasts/")["$ref"].endswith("PaginatedForecastList")
    client = api_client(analyst)
    assert set(client.get("/api/v1/analytics/forecasts/").json()) == {
        "count", "next", "previous", "results"}
    assert client.get("/api/v1/analytics/forecasts/", {"limit": 10**25}).status_code == 400


def test_emerging_declares_its_month_and_rows(schema):
    body = _ok(schema, "/api/v1/analytics/emerging/")
    ref = body["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"month", "rows"}


def test_every_operation_documents_its_errors_in_the_error_shape(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "403", "404"} <= codes, (method, path, codes)
            if method != "get":
                assert "409" in codes, (method, path)
    assert "429" in schema["paths"]["/api/v1/portal/reports/"]["post"]["responses"]
    assert "401" not in schema["paths"]["/api/v1/portal/reports/"]["post"]["responses"]
    assert "401" in schema["paths"]["/api/v1/sources/"]["get"]["responses"]


def test_an_id_past_what_the_database_holds_is_a_400_not_a_500(make_user):
    """SQLite cannot bind an integer past 64 bits (OverflowError); PostgreSQL refuses it
    (DataError): both are the caller's fault, answered 400 in the error shape."""
    from tests.personas import api_client

    investigator = make_user("investigator", "P80-CA-CSDT")
    client = api_client(investigator)
    response = client.post("/api/v1/cases/groups/1/members/", {"accused": 10**25},
                           format="json")
    assert response.status_code in (400, 404), response.content[:300]
    response = client.get("/api/v1/sources/", {"unit": 10**25})
    assert response.status_code in (200, 400), response.content[:300]
    admin = make_user("system_admin", "P80", is_staff=True)
    response = api_client(admin).post(
        "/api/v1/areas/model-communes/",
        {"commune": "25459", "kind": "security", "year": 2026, "areas": [10**25]},
        format="json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] == "invalid"
