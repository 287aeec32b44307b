"""The world of the access matrix and the API fuzzer, one per module that asks for it."""

from tests.core.access_world import world  # noqa: F401 - a fixture
