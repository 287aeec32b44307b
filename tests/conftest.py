"""Shared fixtures: the demo province's units loaded once, and named personas."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from pctp.core.models import User
from pctp.units.models import Commune, Unit
from pctp.units.services import membership_grant
from tests import snapshot
from tests.personas import PASSWORD

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the home page keeps cards per scope (issue 17),
    and the unit ids of the demo tree are the same in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data and the demo province's unit tree, once per test session."""
    from pctp.law.services import offences_load
    from pctp.units.demo import seed_units

    with django_db_blocker.unblock():
        seed_units()
        offences_load()
        snapshot.take()


@pytest.fixture
def reference_data(db):
    """A transactional test may start from an emptied database (the earlier ones flush it):
    the session's reference data and unit tree are written back as django_db_setup left
    them, ids included (tests/snapshot.py). Other tests have them already."""
    from django.db import connection

    if not connection.in_atomic_block:  # a transactional test
        snapshot.restore()


@pytest.fixture
def communes(db):
    """Two communes of the demo province and their police units."""
    a, b = Commune.objects.filter(province__code="80").order_by("code")[:2]
    return {"a": a, "b": b,
            "police_a": Unit.objects.get(code=f"P80-CAX-{a.code}"),
            "police_b": Unit.objects.get(code=f"P80-CAX-{b.code}")}


@pytest.fixture
def make_user(db):
    def make(role: str, unit: Unit | str, *, is_head=False, is_staff=False, name=None) -> User:
        if isinstance(unit, str):
            unit = Unit.objects.get(code=unit)
        n = next(_counter)
        user = User(username=f"{role}{n}", full_name=name or f"{role} {n}", is_staff=is_staff,
                    is_superuser=is_staff)
        user.set_password(PASSWORD)
        user.save()
        # From the 2025 reform, so that tests travelling back in time still see the role.
        membership_grant(actor=None, user=user, unit=unit, role_code=role, is_head=is_head,
                         valid_from=date(2025, 7, 1))
        return user
    return make


@pytest.fixture
def officer_a(make_user, communes):
    """An intake officer of the commune police of commune A."""
    return make_user("intake_officer", communes["police_a"], name="Officer A")


@pytest.fixture
def officer_b(make_user, communes):
    return make_user("intake_officer", communes["police_b"], name="Officer B")


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", "P80-TTRA", name="Auditor")


@pytest.fixture
def leader(make_user):
    return make_user("provincial_leader", "P80", name="Leader")
