"""The KPI tests' province, counted by hand (tests/kpi/conftest.py), reported on."""

from tests.kpi.conftest import kpi_records, plan, units  # noqa: F401 - fixtures
