"""What the portal promises a citizen is true in every table and log (issue 16, findings 1,
12 and 14): no row ties a report to a network address; idempotency keys are the
submitter's own; a retried submission can still be followed up."""

import logging

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from pctp.portal import services as s
from pctp.portal.models import AddressSalt, Attempt, PortalReport
from tests.portal.test_portal import submit_page

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
TEXT_FIELDS = (models.CharField, models.TextField, models.GenericIPAddressField,
               models.JSONField, models.BinaryField)


def rows_holding(text: str) -> list[str]:
    """Every model, every text-like column, every row: where does `text` appear?"""
    found = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model.objects.values_list("pk", *fields).iterator():
            for name, value in zip(fields, row[1:], strict=True):
                blob = bytes(value).decode("latin-1") if isinstance(value, (bytes, memoryview)) \
                    else str(value)
                if text in blob:
                    found.append(f"{model._meta.label}.{name} #{row[0]}")
    return found


def test_no_table_or_log_holds_an_anonymous_reporters_address(communes, caplog):
    caplog.set_level(logging.DEBUG)
    web = Client(REMOTE_ADDR=ADDRESS)
    assert submit_page(web, communes).status_code == 302
    api = Client(REMOTE_ADDR=ADDRESS).post("/api/v1/portal/reports/", {
        "commune": communes["a"].code, "crime_type": "theft",
        "description": "Mất trộm xe đạp trước cổng trường.", "client_token": "app-" + "y" * 20},
        content_type="application/json")
    assert api.status_code == 201, api.content
    assert PortalReport.objects.count() == 2
    assert rows_holding(ADDRESS) == []
    assert ADDRESS not in caplog.text


def test_rate_limit_hashes_expire_with_their_daily_key(communes):
    with time_machine.travel(timezone.now(), tick=False):
        submit_page(Client(REMOTE_ADDR=ADDRESS), communes)
        first_key = s.address_key(ADDRESS)
        assert Attempt.objects.filter(key=f"submit:{first_key}").count() == 1
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2), tick=False):
        submit_page(Client(REMOTE_ADDR="198.51.100.1"), communes, client_token="z" * 24)
        assert s.address_key(ADDRESS) != first_key  # yesterday's key is gone
        assert AddressSalt.objects.count() == 1
        assert not Attempt.objects.filter(key=f"submit:{first_key}").exists()


def test_a_token_reused_by_another_browser_never_reaches_the_first_report(communes):
    first, second = Client(), Client()
    submit_page(first, communes, client_token="shared-token-0001")
    response = submit_page(second, communes, client_token="shared-token-0001")
    assert response.status_code == 302
    assert PortalReport.objects.count() == 2  # the second browser's own report


def test_a_retry_gets_a_new_passphrase_and_a_different_body_is_refused(communes):
    token = s.scoped_token("a:test", "retry-token-0001")
    report, first = s.portal_submit(commune=communes["a"], crime_type="fraud",
                                    description="Giả danh ngân hàng gọi điện lừa đảo.",
                                    client_token=token)
    again, second = s.portal_submit(commune=communes["a"], crime_type="fraud",
                                    description="Giả danh ngân hàng gọi điện lừa đảo.",
                                    client_token=token)
    assert again.pk == report.pk and second and second != first
    assert s.portal_open(tracking_code=report.tracking_code, passphrase=second).pk == report.pk
    from pctp.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition) as err:
        s.portal_submit(commune=communes["a"], crime_type="theft", description="Chuyện khác hẳn.",
                        client_token=token)
    assert err.value.code == "token_conflict" and err.value.status == 409


def test_the_api_rate_limit_is_shared_and_ignores_a_forged_forwarded_for(communes, settings):
    from pctp.portal.api import PortalThrottle

    settings.AXES_IPWARE_PROXY_COUNT = None  # no trusted proxy: X-Forwarded-For is ignored
    codes = []
    for i in range(PortalThrottle.rate + 3):
        response = Client(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").get(
            "/api/v1/portal/lookup/", {"kind": "phone", "value": "0909000000"})
        codes.append(response.status_code)
    assert codes.count(429) == 3 and codes[:PortalThrottle.rate] == [200] * PortalThrottle.rate


def test_whoever_reads_the_database_cannot_test_a_suspected_address(communes):
    """QA of issue 16: the daily key was in the database, so a reader of a dump could hash a
    suspected address and find its attempts (written beside the report, within a
    millisecond). The key is now also keyed by the application's secret, never stored."""
    import hashlib
    import hmac

    submit_page(Client(REMOTE_ADDR=ADDRESS), communes)
    stored = set(Attempt.objects.values_list("key", flat=True))
    salt = bytes(AddressSalt.objects.get().salt)
    guess = hmac.new(salt, ADDRESS.encode(), hashlib.sha256).hexdigest()[:24]
    assert not any(guess in key for key in stored)
    assert f"submit:{s.address_key(ADDRESS)}" in stored  # the application still counts it
