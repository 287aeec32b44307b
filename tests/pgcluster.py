"""PostgreSQL clusters of the tests' own (issue 23): a primary, a streaming replica taken
with pg_basebackup, or several provinces and the nation, each on its own port in a temporary
folder, run as the `postgres` system user (as root through runuser). The machine's own
server on 5432 is not touched."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres() -> list[str]:
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: cannot start PostgreSQL clusters")
        return ["runuser", "-u", "postgres", "--"]
    return []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def available() -> str:
    """Why clusters cannot be made here, or "" when they can."""
    if _bindir() is None:
        return "PostgreSQL's server binaries (initdb) are not installed"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres system user"
    return ""


class Cluster:
    def __init__(self, root: Path, name: str):
        self.dir = root / name
        self.root = root
        self.name = name
        self.port = free_port()
        self.bin = _bindir()
        self.log = root / f"{name}.log"

    # -- running things as postgres
    def run(self, *args, check=True, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([*_as_postgres(), *map(str, args)], check=check,
                              capture_output=True, text=True, timeout=300, **kwargs)

    def url(self, db: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def sql(self, statement: str, db: str = "postgres") -> str:
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                              "-d", db, "-XAtqc", statement], check=True, capture_output=True,
                             text=True, timeout=120)
        return out.stdout.strip()

    def _configure(self, extra: str = "") -> None:
        with (self.dir / "postgresql.conf").open("a") as conf:
            conf.write(f"\n# the test's own settings\nport = {self.port}\n"
                       f"listen_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.root}'\n"
                       "fsync = off\nfull_page_writes = off\nshared_buffers = 32MB\n"
                       "max_connections = 60\nwal_level = logical\nmax_wal_senders = 8\n"
                       "max_replication_slots = 8\nhot_standby = on\n" + extra)

    def init(self, extra: str = "") -> Cluster:
        self.run(self.bin / "initdb", "-D", self.dir, "-U", "postgres", "--auth=trust",
                 "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
        self._configure(extra)
        with (self.dir / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        return self

    def replica_of(self, primary: Cluster) -> Cluster:
        self.run(self.bin / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port,
                 "-U", "postgres", "-D", self.dir, "-R", "-X", "stream", "--no-sync",
                 "--checkpoint=fast")
        self._configure()
        return self

    def start(self) -> Cluster:
        self.run(self.bin / "pg_ctl", "-D", self.dir, "-l", self.log, "-w", "-t", "60",
                 "start")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.sql("SELECT 1")
                return self
            except subprocess.CalledProcessError:
                time.sleep(0.3)
        pytest.fail(f"cluster {self.name} did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if (self.dir / "postmaster.pid").exists():
            self.run(self.bin / "pg_ctl", "-D", self.dir, "-m", "immediate", "-w", "stop",
                     check=False)


def make_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pg")
    pg = pwd.getpwnam("postgres")
    for path in (root, *root.parents):
        if str(path) in ("/", "/tmp"):
            break
        os.chmod(path, 0o755)  # postgres must reach its folder
    os.chown(root, pg.pw_uid, pg.pw_gid)
    os.chmod(root, 0o700)
    return root


# Tests of several processes or clusters: they need PostgreSQL (the SQLite test database is in
# memory, out of other processes' reach), and clusters need the server's binaries.
POSTGRES_ONLY = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL): other processes share the test database")
# Tests that build clusters of their own run once, in the PostgreSQL pass of the suite.
CLUSTERS = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="builds PostgreSQL clusters of its own: run in the PostgreSQL "
                              "pass only"),
    pytest.mark.skipif(bool(available()), reason=available() or "clusters can be made")]
