"""`make bench`: run every benchmark and record the results in docs/benchmarks.md.

    .venv/bin/python -m benchmarks.run [--only sources_queues,analytics_backtest]

Each benchmark is a module of this package, run in its own process (at niceness 10 unless
already niced: the machine has 2 cores and other work) with ``--out FILE``, where it writes
one Markdown section that starts with "## Title", and ``--json-out FILE`` for the raw results
(var/bench/). This script puts each section into docs/benchmarks.md, replacing the section with the same title (the heading up to its first
"(" or ":"), and rewrites the "Machine" section: the command, cores, memory, PostgreSQL.
A benchmark that fails keeps its previous section, and the exit status says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
OUT_DIR = ROOT / "var" / "bench"
# Run in this order; a module that is not there (yet) is skipped. cases_pages loads its cases
# into the same database after the sources (a sources reload empties the cases by cascade).
BENCHMARKS = ["sources_queues", "cases_pages", "kpi_dashboard", "home_pages",
              "analytics_backtest", "imports_register", "reports_yearly", "task_workers",
              "national_dashboard", "app_start", "load_test"]
COMMAND = "`make bench` (that is `.venv/bin/python -m benchmarks.run`, at niceness 10)"
TITLE = "# Benchmarks"
INTRO = ("Written by `make bench` (`python -m benchmarks.run`): each section is replaced when "
         "its benchmark runs again. Times are wall-clock on the machine described below, "
         "which is shared with other work.")


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def _postgres_version() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 - the description is best effort
        try:
            return subprocess.run(["psql", "--version"], capture_output=True, text=True,
                                  check=False).stdout.strip() or f"unknown ({exc})"
        except OSError:
            return f"unknown ({exc})"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    mem = re.search(r"MemTotal:\s+(\d+) kB", _read("/proc/meminfo"))
    memory = f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "unknown"
    try:
        load = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    except OSError:
        load = "unknown"
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True, check=False).stdout.strip()
    return "\n".join([
        "## Machine", "",
        f"- Command: {COMMAND}",
        f"- Run: {datetime.now():%Y-%m-%d %H:%M}, code `{commit or 'unknown'}`",
        f"- CPU: {os.cpu_count()} cores ({cpu}); load average at start {load}",
        f"- Memory: {memory}",
        f"- PostgreSQL {_postgres_version()}; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()}",
        "",
    ]) + "\n"


def _key(heading: str) -> str:
    title = heading.lstrip("#").strip()
    return re.split(r"\s*[(:]", title, maxsplit=1)[0].strip().lower()


def sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(text before the first "## ", [(key, section text)])."""
    parts = re.split(r"(?m)^(?=## )", text)
    head, out = parts[0], []
    for part in parts[1:]:
        out.append((_key(part.splitlines()[0]), part.rstrip("\n") + "\n\n"))
    return head, out


def update_docs(new_sections: list[str], path: Path = DOCS) -> None:
    _head, current = sections(path.read_text(encoding="utf-8") if path.exists() else "")
    merged = dict(current)
    order = [k for k, _ in current]
    for text in [machine(), *new_sections]:
        key = _key(text.splitlines()[0])
        merged[key] = text.rstrip("\n") + "\n\n"
        if key not in order:
            order.append(key)
    order.sort(key=lambda k: k != "machine")  # the machine first, the rest as they were
    body = "".join(merged[k] for k in order)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{TITLE}\n\n{INTRO}\n\n{body}".rstrip("\n") + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark modules")
    parser.add_argument("--nice", type=int, default=10, help="niceness to run at (if now 0)")
    args = parser.parse_args(argv)
    if args.nice and os.nice(0) == 0:
        os.nice(args.nice)
    wanted = [b.strip() for b in args.only.split(",") if b.strip()] or BENCHMARKS
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    produced, failed = [], []
    for name in wanted:
        if not (ROOT / "benchmarks" / f"{name}.py").exists():
            print(f"-- {name}: not present, skipped", flush=True)
            continue
        out, raw = OUT_DIR / f"{name}.md", OUT_DIR / f"{name}.json"
        out.unlink(missing_ok=True)
        print(f"-- {name}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{name}", "--out", str(out),
                                "--json-out", str(raw)], cwd=ROOT)
        print(f"-- {name}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
        if code == 0 and out.exists() and out.read_text(encoding="utf-8").startswith("## "):
            produced.append(out.read_text(encoding="utf-8"))
        else:
            failed.append(name)
    update_docs(produced)
    print(f"updated {DOCS.relative_to(ROOT)}" + (f"; FAILED: {', '.join(failed)}" if failed
                                                  else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
