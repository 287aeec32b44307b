"""Take screenshots of pages as a user sees them (Debian's chromium via Playwright).

Usage: .venv/bin/python tools/screenshots.py BASE_URL OUT_DIR USER PASSWORD PATH [PATH ...]
A leader's TOTP device is verified with PCTP_TOTP_SECRET (base32) when given.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("PCTP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    base, out, user, password, *paths = sys.argv[1:]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    width = int(os.environ.get("WIDTH", "1280"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{base}/accounts/login/")
        page.screenshot(path=str(out_dir / "login.png"), full_page=True)
        if user != "-":
            page.fill("#id_username", user)
            page.fill("#id_password", password)
            page.click("button[type=submit].primary")
        for path in paths:
            page.goto(f"{base}{path}")
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=str(out_dir / f"{name}.png"), full_page=True)
            print(path, page.title())
        browser.close()


if __name__ == "__main__":
    main()
