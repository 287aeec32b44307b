"""Browser tests: Debian's chromium driven by Playwright against Django's live server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PCTP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("PCTP_SCREENSHOTS")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = f"Debian's chromium is not at {CHROMIUM}: run `make chromium` (needs root)"
        if os.environ.get("PCTP_REQUIRE_BROWSER"):  # CI: a missing browser is a failure
            raise RuntimeError(message)
        pytest.skip(message)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      base_url=live_server.url, locale="vi-VN")
        contexts.append(context)
        return context.new_page()

    yield make
    for c in contexts:
        c.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def sign_in(page, username: str, password: str, totp_device=None) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    if totp_device is not None:
        from django_otp.oath import totp

        page.wait_for_url("**/otp/verify/**")
        d = totp_device
        page.fill("#id_otp_token", f"{totp(d.bin_key, d.step, d.t0, d.digits, d.drift):06d}")
        page.click("button.primary")
    page.wait_for_load_state()
