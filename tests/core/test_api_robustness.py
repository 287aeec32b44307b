"""Garbage in the query string gets 400 in the one error shape, never a 500."""

import pytest

from tests.personas import api_client

pytestmark = pytest.mark.django_db


def _assert_invalid(response, field=None):
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] == "invalid"
    if field:
        assert field in error["details"]


def test_a_nul_byte_in_a_filter_is_refused_not_a_server_error(officer_a):
    _assert_invalid(api_client(officer_a).get("/api/v1/sources/", {"channel": "\x00"}))


def test_a_nul_byte_in_a_reference_code_is_refused(officer_a):
    response = api_client(officer_a).get("/api/v1/communes/%00abc/")
    assert response.status_code in (400, 404), response.content[:300]
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_a_page_size_past_the_database_integer_is_refused(leader):
    _assert_invalid(api_client(leader).get("/api/v1/units/?limit=99999999999999999999"))


def test_json_nested_past_the_parsers_depth_is_a_parse_error_not_a_server_error(officer_a):
    """QA: 100,000 nested brackets made json.loads raise RecursionError, which DRF's parser
    does not catch (it catches ValueError): a 500 for a malformed body."""
    body = "[" * 100_000 + "]" * 100_000
    response = api_client(officer_a).post("/api/v1/sources/", body,
                                          content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] == "parse_error"
