"""Shared by the import tests: reasons read in English (one test reads them in Vietnamese,
under its own override), and an analyst of the provincial police who may import."""

import pytest


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def analyst(make_user):
    return make_user("statistics_analyst", "P80-CA")
