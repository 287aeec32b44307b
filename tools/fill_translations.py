"""Fill the Vietnamese catalogue from tools/vi.json and tools/vi/*.json after `makemessages`.

Usage: .venv/bin/python tools/fill_translations.py   (then `pctp compile-translations`)
Untranslated strings are listed so that none reaches a user in English by accident.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "pctp/locale/vi/LC_MESSAGES/django.po"
TABLE = ROOT / "tools/vi.json"
# Each app may keep its own table beside the shared one (tools/vi/<app>.json).
TABLES_DIR = ROOT / "tools/vi"


def load_table() -> dict:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    for extra in sorted(TABLES_DIR.glob("*.json")):
        table.update(json.loads(extra.read_text(encoding="utf-8")))
    return table


def main() -> int:
    table = load_table()
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        # A message with a context ("running" of a campaign, not of a computation) is keyed
        # "context\u0004msgid" in the tables, gettext's own form; else by its msgid.
        value = table.get(f"{entry.msgctxt}\x04{entry.msgid}") if entry.msgctxt else None
        if value is None:
            value = table.get(entry.msgid)
        if value is None:
            if not entry.translated():
                missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value if isinstance(value, str) else value[0]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "vi"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
