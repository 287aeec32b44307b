"""Personas and records for the analysis pages: a statistics analyst of the province, the
criminal-case fixtures for networks, and crime sources with a place."""

from datetime import datetime, timedelta
from itertools import count

import pytest
from django.utils import timezone

from pctp.sources.models import Source
from pctp.units.models import Unit
from tests.cases.conftest import (  # noqa: F401 - fixtures reused by the network tests
    add_accused,
    body,
    head,
    initiate,
    investigator,
)

_numbers = count(1)


@pytest.fixture
def analyst(make_user):
    return make_user("statistics_analyst", "P80", name="Analyst")


@pytest.fixture
def place_source(communes):
    """Create a crime source at a time and place, as the demo's investigation body."""
    unit = Unit.objects.get(code="P80-CA-CSDT")
    vks = Unit.objects.get(kind="regional_procuracy", communes=communes["a"])

    def make(when: datetime, lat: float, lon: float, *, commune=None, group="social_order",
             status="verifying", holder=None):
        n = next(_numbers)
        holder = holder or unit
        return Source(
            unit=holder, holder=holder, procuracy=vks, register_year=when.year,
            register_number=100000 + n, kind="crime_report", channel="in_person",
            received_at=when, holder_received_at=when, occurred_at=when,
            summary=f"Nguồn tin {n}", content="Nội dung", reporter_type="person",
            clock_start=when.date(), due_date=when.date(), commune=commune or communes["a"],
            lat=lat, lon=lon, crime_group=group, status=status)
    return make


def days_ago(n: float, hour: int = 10) -> datetime:
    now = timezone.localtime()
    return (now - timedelta(days=n)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def bulk_sources():
    def save(rows):
        return Source.objects.bulk_create(rows)
    return save
