"""Pages speak Vietnamese first, English on request."""

import pytest
from django.test import Client

from tests.personas import login

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_in_vietnamese_by_default():
    html = Client().get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html and "Mật khẩu" in html


def test_home_shows_the_users_units_and_roles(officer_a, communes):
    html = login(officer_a).get("/").content.decode()
    assert communes["police_a"].name in html
    assert "Cán bộ tiếp nhận" in html


def test_english_is_the_second_locale(officer_a):
    client = login(officer_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "My units and roles" in html


def test_navigation_follows_the_role(officer_a, auditor):
    assert "/journal/" not in login(officer_a).get("/").content.decode()
    assert "/journal/" in login(auditor).get("/").content.decode()


def test_vietnamese_catalogue_has_no_untranslated_string():
    import polib
    from django.conf import settings

    po = polib.pofile(str(settings.LOCALE_PATHS[0] / "vi/LC_MESSAGES/django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_a_browser_asking_for_english_still_gets_vietnamese_until_the_user_chooses():
    html = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập" in html


def test_no_translation_table_gives_a_string_another_meaning():
    """Each app keeps its own table (tools/vi/*.json); a later table giving the same English
    string another Vietnamese silently renamed it on every page (a KPI column became
    'Dấu hiệu'). The same msgid must have the same translation in every table."""
    import json
    from pathlib import Path

    tools = Path(__file__).resolve().parents[2] / "tools"
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for table in [tools / "vi.json", *sorted((tools / "vi").glob("*.json"))]:
        for msgid, text in json.loads(table.read_text(encoding="utf-8")).items():
            if msgid in seen and seen[msgid][0] != text:
                clashes.append((msgid, seen[msgid], (text, table.name)))
            seen.setdefault(msgid, (text, table.name))
    assert clashes == []
