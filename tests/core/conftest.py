"""The world of the access matrix and the API fuzzer, one per module that asks for it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.access_world import world  # noqa: F401 - a fixture


@pytest.fixture
def cache_table(tmp_path):
    """The shared cache's table in the test database (the tests' own settings use each
    process's memory, so the test database was created without it)."""
    from tests.core.test_durability import _database_url

    subprocess.run([str(Path(sys.executable).parent / "pctp"), "createcachetable"], check=True,
                   timeout=120, cwd=Path(__file__).resolve().parents[2],
                   env={**os.environ, "DATABASE_URL": _database_url(), "PCTP_ENV": "test",
                        "PCTP_CACHE_URL": "db", "PCTP_VAR_DIR": str(tmp_path / "var")})
