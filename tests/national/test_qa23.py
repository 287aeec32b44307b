"""Findings of the QA of issue 23, each a test written before its fix (the PostgreSQL-only
ones are in tests/core/test_replica.py and tests/core/test_backup.py)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from pctp.core.errors import DomainError
from pctp.national import services as s
from pctp.national.models import RollupCount
from tests.national.test_rollup import _source
from tests.personas import api_client, login_verified

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 7, 10, 9, tzinfo=VN)


def _signed(province: str, rows: list[dict], secret: str) -> dict:
    body = json.dumps({"province": province, "rows": {"counts": rows, "figures": []}},
                      sort_keys=True, ensure_ascii=False).encode()
    return {"body": body.decode(), "signature": s._signature(body, secret)}


@time_machine.travel(NOW, tick=False)
def test_h1_a_province_cannot_write_another_provinces_rows(communes):
    _source(communes, 1, datetime(2026, 7, 2, 8, tzinfo=VN))
    s.publish(months=1)
    theirs = RollupCount.objects.get()
    forged = {"key": theirs.key, "province": "72", "month": "2026-07-01",
              "measure": theirs.measure, "commune": theirs.commune,
              "crime_group": theirs.crime_group, "count": 999999, "revision": 5,
              "published_at": "2026-07-10T02:00:00+00:00"}
    with pytest.raises(DomainError):
        s.import_export(_signed("72", [forged], "k72"), keys={"72": "k72"})
    # A key that does not say what the row says is refused too.
    forged["key"] = "72:2026-07:sources_received:x:y"
    with pytest.raises(DomainError):
        s.import_export(_signed("72", [forged], "k72"), keys={"72": "k72"})
    theirs.refresh_from_db()
    assert (theirs.province, theirs.count, theirs.revision) == ("80", 1, 1)
    # Malformed documents are refused with a reason, never a traceback.
    for document in ([1, 2], {"body": json.dumps({"province": [1]}), "signature": ""},
                     {"body": json.dumps({"province": "72", "rows": {"counts": [{"key": 1}]}})}):
        with pytest.raises(DomainError):
            s.import_export(document, keys={"72": "k72"})
    with pytest.raises(DomainError, match="no key"):
        s.import_export(_signed("33", [], "x"), keys={"72": "k72"})


@time_machine.travel(NOW, tick=False)
def test_h2_the_nation_never_publishes_over_what_it_received(settings, communes):
    _source(communes, 1, datetime(2026, 7, 2, 8, tzinfo=VN))
    s.publish(months=1)
    received = RollupCount.objects.get()
    settings.PCTP_NATIONAL = True
    with pytest.raises(DomainError):
        s.publish(months=1)
    from pctp.core import schedule

    assert "rollup" not in [j.name for j in schedule.jobs()]
    received.refresh_from_db()
    assert (received.count, received.revision) == (1, 1)
    # A province that publishes under another province's code is refused.
    settings.PCTP_NATIONAL = False
    settings.PCTP_PROVINCE_CODE = "72"
    with pytest.raises(DomainError, match="72"):
        s.publish(months=1)


def test_m1_memberships_and_the_cache_are_never_read_on_the_replica(monkeypatch):
    from pctp.core import replica
    from pctp.sources.models import Source
    from pctp.units.models import Membership

    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "usable", lambda: True)
    monkeypatch.setattr(replica, "wrote_recently", lambda user: False)
    router = replica.ReplicaRouter()
    with replica.replica_reads() as used:
        assert used
        assert router.db_for_read(Source) == "replica"
        assert router.db_for_read(Membership) is None

        class CacheEntry:
            class _meta:  # noqa: N801 - the shape Django's cache model has
                app_label = "django_cache"
        assert router.db_for_read(CacheEntry) is None


def test_m2_the_scheduler_refuses_a_future_moment_and_a_future_row_blocks_nothing(settings):
    from pctp.core import schedule
    from pctp.core.models import ScheduledRun

    with pytest.raises(CommandError, match="future"):
        call_command("beat", "--once", "--now", "2062-12-07T19:00")
    with pytest.raises(CommandError, match="interval"):
        call_command("beat", "--interval", "nan")
    settings.PCTP_TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default", "forecasts", "imports", "reports"]}}
    settings.PCTP_BEAT_JOBS = ["liberty_alerts"]
    ScheduledRun.objects.create(job="liberty_alerts", due_at=datetime(2062, 1, 1, tzinfo=VN))
    fired = schedule.tick(datetime(2026, 12, 7, 9, 5, tzinfo=VN), scheduler="t")
    assert [f.job for f in fired] == ["liberty_alerts"]


@time_machine.travel(NOW, tick=False)
def test_m4_a_year_out_of_range_is_the_default_year_not_a_500(make_user):
    leader = make_user("provincial_leader", "P80")
    browser, api = login_verified(leader), api_client(leader)
    for year in ("0000", "²²²²", "99999", "abc"):
        assert browser.get(f"/national/?year={year}").status_code == 200, year
        assert api.get(f"/api/v1/national/?year={year}").status_code == 200, year


@time_machine.travel(NOW, tick=False)
def test_l1_rollup_commands_say_what_is_wrong(tmp_path, communes, settings, capsys):
    from django.db import connection

    if connection.vendor == "postgresql":  # a dry run: the publication of province 80's rows
        call_command("rollup", "publication")
        out = capsys.readouterr().out
        assert "WHERE (province = '80')" in out and "Dry run" in out
    else:
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("rollup", "publication")
    s.publish(months=1)
    settings.PCTP_ROLLUP_SIGNING_KEY = "k80"
    with pytest.raises(CommandError):
        call_command("rollup", "export", "--out", str(tmp_path / "no" / "such" / "dir.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(CommandError):
        call_command("rollup", "import", str(bad))
    with pytest.raises(CommandError):
        call_command("rollup", "subscribe", "--province", "²", "--conninfo", "host=x")
