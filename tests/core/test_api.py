"""The API: token auth, one error shape, the schema and its docs served locally."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.personas import api_client

pytestmark = pytest.mark.django_db


def test_unauthenticated_call_gets_the_error_shape(db):
    response = APIClient().get("/api/v1/units/")
    assert response.status_code == 401
    body = response.json()
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "not_authenticated"


def test_token_authenticated_call_lists_own_units(officer_a, communes):
    response = api_client(officer_a).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["memberships"][0]["unit_code"] == communes["police_a"].code


def test_unknown_object_gets_404_in_the_error_shape(officer_a):
    response = api_client(officer_a).get("/api/v1/units/999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_communes_reference_lists_the_demo_province(officer_a):
    response = api_client(officer_a).get("/api/v1/communes/?province=80&limit=500")
    assert response.json()["count"] == 96
    one = api_client(officer_a).get("/api/v1/communes/25459/").json()
    assert one["name"] == "Phường Tân Ninh" and one["kind"] == "phuong"


def test_openapi_schema_describes_the_api(db):
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/units/" in schema["paths"]
    assert "/api/v1/audit/events/" in schema["paths"]


def test_api_docs_use_only_local_assets(db):
    html = Client().get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_healthz_checks_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_pages_carry_security_headers(db):
    response = Client().get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
