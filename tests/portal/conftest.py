import pytest

from tests.sources.conftest import body, intake_body, receive  # noqa: F401 - shared personas


@pytest.fixture(autouse=True)
def _portal_settings(settings, tmp_path, monkeypatch):
    # django-simple-captcha reads its test mode once at import: switch it on here only.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    settings.MEDIA_ROOT = tmp_path
