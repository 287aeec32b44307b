"""The national roll-up over PostgreSQL logical replication (issue 23): three clusters of the
test's own — two provinces and the nation — each migrated; the provinces seeded with the demo
(the second made province 79), each publishing; the nation subscribing to both.
Then: both provinces' figures arrive; a revision on one province propagates; and no
identity ever does: no column of a person in the national database's roll-up, and no name,
ID number or phone of the provinces' demo people anywhere in a dump of it. The second
province is the demo too, its province made Hồ Chí Minh City's (79) after seeding, so that it
publishes as 79 under its own code; each publication carries only its province's rows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.pgcluster import CLUSTERS, Cluster, make_root

pytestmark = CLUSTERS

PCTP = Path(sys.executable).parent / "pctp"
ROOT = Path(__file__).resolve().parents[2]
ROLLUP_COLUMNS = {"key", "province", "month", "measure", "commune", "crime_group", "count",
                  "revision", "published_at", "plan", "target", "period_key", "period_start",
                  "period_end", "numerator", "denominator", "value", "threshold",
                  "comparator", "status", "as_of"}


def _pctp(env: dict, *args, timeout=900) -> str:
    done = subprocess.run([str(PCTP), *args], env=env, cwd=ROOT, timeout=timeout,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"pctp {' '.join(args)}:\n{done.stderr[-3000:]}"
    return done.stdout


def _wait(check, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what} did not happen in {timeout} s"
        time.sleep(0.5)


def test_provinces_figures_reach_the_nation_revised_and_without_anyone(tmp_path_factory):
    root = make_root(tmp_path_factory)
    clusters = {name: Cluster(root, name).init() for name in ("p80", "p79", "nation")}
    try:
        for cluster in clusters.values():
            cluster.start()
            cluster.sql("CREATE DATABASE pctp")
        envs = {name: {**os.environ, "DATABASE_URL": c.url("pctp"), "PCTP_ENV": "test",
                       "PCTP_DEMO_SCALE": "0.02", "PCTP_LOG_LEVEL": "WARNING",
                       "PCTP_VAR_DIR": str(tmp_path_factory.mktemp(f"var-{name}")),
                       "PCTP_PROVINCE_CODE": {"p80": "80", "p79": "79"}.get(name, "80")}
                for name, c in clusters.items()}
        # Migrations on the three at once, then each province's demo.
        running = [subprocess.Popen([str(PCTP), "migrate", "-v0"], env=env, cwd=ROOT,
                                    stderr=subprocess.PIPE, text=True)
                   for env in envs.values()]
        for proc in running:
            _out, err = proc.communicate(timeout=900)
            assert proc.returncode == 0, err[-3000:]
        for name in ("p80", "p79"):
            # The demo is of province 80; the second becomes province 79's, then publishes.
            _pctp({**envs[name], "PCTP_PROVINCE_CODE": "80"}, "seed-demo")
            if name == "p79":
                clusters[name].sql("UPDATE units_province SET code = '999' WHERE code = '79'; "
                                   "UPDATE units_province SET code = '79' WHERE code = '80'",
                                   db="pctp")
            _pctp(envs[name], "rollup", "publish")
            _pctp(envs[name], "rollup", "publication", "--commit")
        for name, province in (("p80", "80"), ("p79", "79")):
            conninfo = f"host=127.0.0.1 port={clusters[name].port} dbname=pctp user=postgres"
            _pctp(envs["nation"], "rollup", "subscribe", "--province", province, "--conninfo",
                  conninfo, "--commit")
        nation, p80 = clusters["nation"], clusters["p80"]
        source_sum = ("SELECT coalesce(sum(count), 0) FROM rollup_count "
                      "WHERE measure = 'sources_received'")

        # Both provinces arrive, each with its own counts and closed figures.
        def arrived():
            rows = nation.sql("SELECT province, count(*) FROM rollup_count GROUP BY province "
                              "ORDER BY province", db="pctp")
            return rows.count("\n") == 1
        _wait(arrived, "the first copy of both provinces")
        for name, province in (("p80", "80"), ("p79", "79")):
            local = clusters[name].sql(source_sum, db="pctp")
            assert int(local) > 0
            _wait(lambda p=province, n=local: nation.sql(
                f"{source_sum} AND province = '{p}'", db="pctp") == n,
                f"province {province}'s counts")
            figures = clusters[name].sql("SELECT count(*) FROM rollup_figure", db="pctp")
            assert int(figures) > 0  # the demo closes periods
            assert nation.sql(f"SELECT count(*) FROM rollup_figure WHERE province = '{province}'",
                              db="pctp") == figures

        # A revision: a source more in province 80 this month, published again.
        before = int(nation.sql(f"{source_sum} AND province = '80'", db="pctp"))
        _pctp(envs["p80"], "shell", "-c", """
from django.utils import timezone
from pctp.sources.models import Source
s = Source.objects.exclude(status="merged").exclude(commune=None).order_by("-received_at").first()
s.pk = None
s.register_number = 999999
s.client_token = None
s.received_at = s.holder_received_at = timezone.now()
s.save()
""")
        _pctp(envs["p80"], "rollup", "publish")
        _wait(lambda: int(nation.sql(f"{source_sum} AND province = '80'", db="pctp"))
              == before + 1, "the revision")
        assert int(nation.sql("SELECT max(revision) FROM rollup_count WHERE province = '80'",
                              db="pctp")) >= 2

        # No identity: the roll-up's columns, and a dump of the whole national database.
        columns = set(nation.sql(
            "SELECT column_name FROM information_schema.columns WHERE table_name IN "
            "('rollup_count', 'rollup_figure')", db="pctp").split("\n"))
        assert columns <= ROLLUP_COLUMNS
        people = p80.sql("SELECT person_index FROM cases_accused LIMIT 20",
                         db="pctp").split("\n")
        reporters = p80.sql("SELECT summary || chr(10) || address FROM sources_source "
                            "WHERE address <> '' LIMIT 20", db="pctp").split("\n")
        dump = subprocess.run(["pg_dump", "-h", "127.0.0.1", "-p", str(nation.port), "-U",
                               "postgres", "--data-only", "-t", "rollup_*", "pctp"],
                              check=True, capture_output=True, text=True, timeout=120).stdout
        assert "80:" in dump and "79:" in dump
        for value in [*people, *reporters]:
            if len(value) >= 8:
                assert value not in dump, f"{value!r} reached the nation"
        assert not re.search(r"\b0\d{9}\b", dump)  # no phone number
        assert not re.search(r"\b\d{12}\b", dump)  # no citizen ID number
    finally:
        for cluster in clusters.values():
            cluster.stop()
