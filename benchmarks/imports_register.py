"""Importing a register of 1,000,000 crime sources into PostgreSQL, against a plain COPY of
the same rows (issue 19).

    nice -n 10 .venv/bin/python -m benchmarks.imports_register --out var/bench/imports_register.md

A fresh database (DATABASE_URL's server, database pctp_bench_import, dropped and made
again; refused unless its name contains "bench") gets the demo province and the Penal Code.
A CSV register in the layout `pctp import sources` reads (Vietnamese headers, dd/mm/yyyy
dates, unit and commune names, "Điều 173 khoản 1", results) is written with --rows rows:
the 96 commune police and the investigation body, 2019-2025, numbered per unit and year.
Then, in a child process (its peak memory is its own): `job_create`, `job_configure` (the
columns found from the headers), `job_run` with the batch size the importer uses, exactly
as `pctp import sources FILE --commit` runs them: every row parsed and checked, each batch
written with its journal entries in one transaction.

The baseline: the rows the import wrote, dumped with COPY TO, loaded with COPY FROM into
empty tables made LIKE sources_source and core_auditevent INCLUDING ALL (the same columns,
defaults and indexes). The target is the import within 5 times the COPY of the same rows
(sources and their journal entries) and a peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pctp_bench_import"
HEADERS = ["Số thụ lý", "Ngày tiếp nhận", "Đơn vị thụ lý", "Loại", "Nội dung", "Điều, khoản",  # i18n: data
           "Xã, phường", "Kết quả giải quyết", "Ngày giải quyết"]
KINDS = ["Tố giác", "Tin báo", "Kiến nghị khởi tố"]  # i18n: data
RESULTS = ["Khởi tố", "Không khởi tố", "Tạm đình chỉ", ""]  # i18n: data


def _url(args) -> str:
    url = os.environ.get("BENCH_IMPORT_URL") or DEFAULT_URL
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to use {name!r}: the database name must contain 'bench'")
    return url


def fresh_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, migrate: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pctp.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        from pctp.law.services import offences_load
        from pctp.units.demo import seed_units

        call_command("migrate", verbosity=0, interactive=False)
        seed_units()
        offences_load()


def write_register(path: Path, rows: int) -> None:
    """The register as a commune police and the investigation body would export theirs."""
    from pctp.sources.demo import STORIES
    from pctp.units.models import Commune, Unit

    rng = random.Random(19)
    communes = {c.code: c.name for c in Commune.objects.filter(province__code="80")}
    units = [(u.name, u.communes.first()) for u in
             Unit.objects.filter(code__startswith="P80-CAX-").prefetch_related("communes")]
    body = Unit.objects.get(code="P80-CA-CSDT").name
    articles = [(s.article, s.variants[0][0]) for s in STORIES]
    counters: dict = {}
    first, span = date(2019, 1, 2), (date(2025, 12, 31) - date(2019, 1, 2)).days
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(HEADERS)
        for _ in range(rows):
            if rng.random() < 0.35:
                unit, commune = body, rng.choice(list(communes.values()))
            else:
                unit, c = rng.choice(units)
                commune = c.name if c else ""
            day = first + timedelta(days=rng.randrange(span))
            key = (unit, day.year)
            counters[key] = counters.get(key, 0) + 1
            article, summary = rng.choice(articles)
            result = rng.choices(RESULTS, [40, 45, 3, 12])[0]
            decided = day + timedelta(days=rng.randint(3, 28)) if result else None
            out.writerow([counters[key], f"{day:%d/%m/%Y}", unit, rng.choice(KINDS),
                          summary.replace("{", "").replace("}", "") + f" (số {counters[key]})",
                          f"Điều {article} khoản 1",  # i18n: data
                          commune, result, f"{decided:%d/%m/%Y}" if decided else ""])


def child_import(path: str, batch: int) -> None:
    from pctp.imports import services as s

    started = time.perf_counter()
    job = s.job_create(actor=None, kind="sources", name=Path(path).name, path=Path(path))
    job = s.job_configure(actor=None, job=job, sheet=job.sheet, header_row=job.header_row)
    job = s.job_run(actor=None, job=job, batch_size=batch)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "created": job.created,
                      "refused": job.refused, "total": job.total, "job": job.pk}))


def copy_baseline(url: str, tmp: Path) -> dict:
    import psycopg

    out = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for table, where in (("sources_source", "channel = 'register'"),
                             ("core_auditevent", "action = 'source.import'")):
            dump = tmp / f"{table}.copy"
            with dump.open("wb") as fh, conn.cursor().copy(
                    f"COPY (SELECT * FROM {table} WHERE {where}) TO STDOUT") as copy:  # noqa: S608
                for chunk in copy:
                    fh.write(chunk)
            conn.execute(f"DROP TABLE IF EXISTS bench_{table}")
            conn.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
            started = time.perf_counter()
            with dump.open("rb") as fh, conn.cursor().copy(
                    f"COPY bench_{table} FROM STDIN") as copy:
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
            out[table] = time.perf_counter() - started
            out[f"{table}_rows"] = conn.execute(
                f"SELECT count(*) FROM bench_{table}").fetchone()[0]  # noqa: S608
            dump.unlink()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--out", default=None)
    parser.add_argument("--json-out", default=None)
    parser.add_argument("--child-import", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    url = _url(args)
    if args.child_import:
        setup_django(url, migrate=False)
        from pctp.imports.kinds import SourcesKind

        child_import(args.child_import, args.batch or SourcesKind.batch_size)
        return 0
    fresh_database(url)
    setup_django(url, migrate=True)
    tmp = ROOT / "var" / "bench"
    tmp.mkdir(parents=True, exist_ok=True)
    register = tmp / "register.csv"
    t0 = time.perf_counter()
    write_register(register, args.rows)
    generated = time.perf_counter() - t0
    env = {**os.environ, "DATABASE_URL": url, "PCTP_LOG_LEVEL": "WARNING"}
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.imports_register", "--child-import", str(register),
         *(["--batch", str(args.batch)] if args.batch else [])],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    result = json.loads(child.stdout.strip().splitlines()[-1])
    copy = copy_baseline(url, tmp)
    size_mb = register.stat().st_size / 1e6
    register.unlink()
    both = copy["sources_source"] + copy["core_auditevent"]
    ratio = result["seconds"] / both
    data = {"rows": args.rows, "file_mb": size_mb, "generate_s": generated, **result,
            "copy_sources_s": copy["sources_source"], "copy_journal_s": copy["core_auditevent"],
            "copy_rows": copy["sources_source_rows"], "ratio_to_copy": ratio}
    ok_time, ok_mem = ratio <= 5, result["peak_mb"] < 1024
    lines = [
        "## Register import: 1,000,000 crime sources into PostgreSQL (issue 19)", "",
        f"Command: `nice -n 10 .venv/bin/python -m benchmarks.imports_register --rows "
        f"{args.rows}` (part of `make bench`). A {size_mb:.0f} MB CSV register (Vietnamese "
        "headers, dd/mm/yyyy dates, unit and commune names, \"Điều 173 khoản 1\", results), "
        "imported as `pctp import sources FILE --commit` does it, in a child process; the "
        "baseline is a plain COPY of the rows it wrote into empty tables with the same "
        "columns and indexes.", "",
        "| | rows | seconds | rows/s |", "|---|---:|---:|---:|",
        f"| import (parse, check, write sources and journal) | {result['created']:,} | "
        f"{result['seconds']:.1f} | {result['created'] / result['seconds']:,.0f} |",
        f"| COPY of the same sources | {copy['sources_source_rows']:,} | "
        f"{copy['sources_source']:.1f} | {copy['sources_source_rows'] / copy['sources_source']:,.0f} |",
        f"| COPY of the sources and their journal entries | {copy['sources_source_rows']:,} | "
        f"{both:.1f} | {copy['sources_source_rows'] / both:,.0f} |", "",
        f"- Import ÷ COPY (sources and journal): **{ratio:.2f}×** (target ≤ 5×: "
        f"{'met' if ok_time else 'NOT met'}); import ÷ COPY of the sources alone: "
        f"{result['seconds'] / copy['sources_source']:.2f}×.",
        f"- Peak memory of the importing process: **{result['peak_mb']:.0f} MB** (target "
        f"< 1 GB: {'met' if ok_mem else 'NOT met'}). The CSV is streamed; the batch is "
        f"{args.batch or 2000} rows, each batch one transaction.",
        f"- Rows refused: {result['refused']} (the generated register has none).", ""]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 0 if result["created"] == args.rows else 1


if __name__ == "__main__":
    raise SystemExit(main())
