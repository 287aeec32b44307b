"""Analytics refusals are written in English and shown in the user's language: Vietnamese by
default, English for a user who chose it (the language cookie)."""

import pytest
from django.utils import translation

from pctp.analytics import services as s
from pctp.core.errors import DomainError
from tests.personas import api_client

pytestmark = pytest.mark.django_db


def test_the_hotspot_api_refuses_a_start_after_the_end_in_the_users_language(analyst):
    client = api_client(analyst)
    query = {"start": "2026-02-01", "end": "2026-01-01"}
    vietnamese = client.get("/api/v1/analytics/hotspots/", query)
    assert vietnamese.status_code == 400
    error = vietnamese.json()["error"]
    assert error["message"] == "Ngày bắt đầu sau ngày kết thúc."
    assert error["details"] == {"start": ["Sau ngày kết thúc."]}
    client.cookies["django_language"] = "en"
    error = client.get("/api/v1/analytics/hotspots/", query).json()["error"]
    assert error["message"] == "The start is after the end."
    assert error["details"] == {"start": ["After the end."]}


def test_an_empty_upload_is_refused_in_the_users_language(analyst):
    scope = s.province_unit()
    for language, message in (("vi", "Tệp trống."), ("en", "The file is empty.")):
        with translation.override(language), pytest.raises(DomainError) as refused:
            s.upload_create(actor=analyst, scope=scope, name="x.csv", data=b"")
        assert refused.value.message == message
        assert refused.value.details == {"file": [message]}
