from tests.sources.conftest import body, intake_body, receive  # noqa: F401 - shared personas
