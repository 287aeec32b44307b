"""Backups and a verified restore (issue 23), on a PostgreSQL cluster of the test's own: the
demo province migrated and seeded, the nightly script run (deploy/backup/pctp-backup.sh):
a dump, the media, their sums, and the dump restored into a scratch database and checked,
every table counted as live. A damaged dump is refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.pgcluster import CLUSTERS, Cluster, make_root

pytestmark = CLUSTERS

ROOT = Path(__file__).resolve().parents[2]
PCTP = Path(sys.executable).parent / "pctp"


def test_the_nightly_backup_restores_and_is_checked(tmp_path_factory):
    root = make_root(tmp_path_factory)
    cluster = Cluster(root, "primary").init().start()
    try:
        cluster.sql("CREATE DATABASE pctp")
        var = tmp_path_factory.mktemp("var")
        env = {**os.environ, "DATABASE_URL": cluster.url("pctp"), "PCTP_ENV": "test",
               "PCTP_DEMO_SCALE": "0.02", "PCTP_VAR_DIR": str(var), "PCTP_LOG_LEVEL": "WARNING",
               "PCTP_BIN": str(PCTP)}
        for command in (["migrate", "-v0"], ["seed-demo"]):
            done = subprocess.run([str(PCTP), *command], env=env, cwd=ROOT, capture_output=True,
                                  text=True, timeout=900)
            assert done.returncode == 0, done.stderr[-2000:]
        (var / "media" / "imports").mkdir(parents=True, exist_ok=True)
        (var / "media" / "imports" / "so-thu-ly.csv").write_text("so;ngay\n1;01/01/2026\n")
        dest = tmp_path_factory.mktemp("backup")
        done = subprocess.run([str(ROOT / "deploy/backup/pctp-backup.sh"), str(dest)], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert "restore verified" in done.stdout
        counts = re.findall(r"^(\w+): (\d+) in the backup, (\d+) now$", done.stdout, re.M)
        assert len(counts) == 8 and all(backup == live for _t, backup, live in counts)
        assert dict((t, int(b)) for t, b, _l in counts)["sources_source"] > 0
        (folder,) = [p for p in dest.iterdir() if p.is_dir()]
        assert {p.name for p in folder.iterdir()} == {"pctp.dump", "media.tar.gz", "SHA256SUMS"}
        sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                              text=True)
        assert sums.returncode == 0, sums.stdout
        # No scratch database is left behind.
        assert "pctp_restore_check" not in cluster.sql("SELECT string_agg(datname, ',') "
                                                      "FROM pg_database")
        # A damaged dump is refused, not called verified.
        damaged = folder / "damaged.dump"
        data = (folder / "pctp.dump").read_bytes()
        damaged.write_bytes(data[: len(data) // 2])
        refused = subprocess.run([str(PCTP), "backup-verify", str(damaged)], env=env, cwd=ROOT,
                                 capture_output=True, text=True, timeout=600)
        assert refused.returncode != 0 and "restore verified" not in refused.stdout
        # A dump without the journal's rows is refused (QA of issue 23, M3).
        partial = folder / "partial.dump"
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "--exclude-table-data=core_auditevent",
                        "-f", str(partial), cluster.url("pctp")], check=True, timeout=300)
        refused = subprocess.run([str(PCTP), "backup-verify", str(partial)], env=env, cwd=ROOT,
                                 capture_output=True, text=True, timeout=600)
        assert refused.returncode == 2 and "core_auditevent" in refused.stderr
        # As the application's role, which may not create the scratch database: exit 2 with
        # the reason, not a traceback (QA of issue 23, H4).
        cluster.sql("CREATE ROLE app LOGIN")
        app_env = {**env, "DATABASE_URL": cluster.url("pctp").replace("postgres@", "app@")}
        refused = subprocess.run([str(PCTP), "backup-verify", str(folder / "pctp.dump")],
                                 env=app_env, cwd=ROOT, capture_output=True, text=True,
                                 timeout=600)
        assert refused.returncode == 2 and "owner" in refused.stderr
        assert "Traceback" not in refused.stderr
    finally:
        cluster.stop()
