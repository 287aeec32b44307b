"""The national dashboard across 34 provinces (issue 23), on PostgreSQL.

    nice -n 10 .venv/bin/python -m benchmarks.national_dashboard --out var/bench/national.md

Its own database (`pctp_bench_national`): the roll-up tables filled as 34 provinces would
publish them — about 98 communes each (3,321 communes in the country after 1 July 2025),
8 crime groups, 3 measures, 24 months, a count in about 60 % of the cells (drawn with a
fixed seed, busier in the dry season), and the ten targets' closed figures of 8 quarters:
about 1.1 million count rows. Times the page `/national/` as a provincial leader, whole
HTTP response rendered, cold (the first request after the connection is opened) and warm
(median of ``--runs``), and the API. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import sources_queues as sq  # noqa: E402

PROVINCES = 34
COMMUNES = 98
GROUPS = ["social_order", "economic", "drugs", "corruption", "environment", "cyber",
          "traffic", "other"]
MEASURES = ["sources_received", "cases_initiated", "cases_detected"]
TARGET_MS = 1000


def _url() -> str:
    parts = urlsplit(sq.database_url())
    return urlunsplit(parts._replace(path="/pctp_bench_national"))


def _months(n: int) -> list[date]:
    today = date.today()
    out, year, month = [], today.year, today.month
    for _ in range(n):
        out.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


def load(seed: int = 23) -> int:
    from django.db import connection

    from pctp.national.models import RollupCount, RollupFigure

    if RollupCount.objects.count() > 1_000_000:
        return RollupCount.objects.count()
    RollupCount.objects.all().delete()
    RollupFigure.objects.all().delete()
    from pctp.units.models import Province

    codes = list(Province.objects.order_by("code").values_list("code", flat=True)[:PROVINCES])
    codes += [f"9{n:02d}" for n in range(PROVINCES - len(codes))]  # if the list is short
    rng = random.Random(seed)
    now = datetime.now(UTC)
    buffer = io.StringIO()
    rows = 0
    for province in codes:
        for month in _months(24):
            dry = 1.3 if month.month in (1, 2, 3, 4, 12) else 1.0
            for c in range(COMMUNES):
                commune = f"{province}{c:03d}"
                for group in GROUPS:
                    if rng.random() > 0.6:
                        continue
                    received = max(1, int(rng.expovariate(1 / 4) * dry))
                    initiated = int(received * rng.uniform(0.2, 0.6))
                    for measure, n in zip(MEASURES, (received, initiated,
                                                     int(initiated * rng.uniform(0.6, 0.95))),
                                          strict=True):
                        key = f"{province}:{month:%Y-%m}:{measure}:{commune}:{group}"
                        buffer.write(f"{key}\t{province}\t{month}\t{measure}\t{commune}\t"
                                     f"{group}\t{n}\t1\t{now.isoformat()}\n")
                        rows += 1
    buffer.seek(0)
    with connection.cursor() as cursor, cursor.copy(
            "COPY rollup_count (key, province, month, measure, commune, crime_group, count, "
            "revision, published_at) FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)
    figures = []
    for province in codes:
        for q in range(8):
            year, quarter = date.today().year - (q // 4), 4 - q % 4
            start = date(year, 3 * quarter - 2, 1)
            end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
            for t in range(1, 11):
                den = rng.randint(200, 3000)
                num = int(den * rng.uniform(0.7, 0.99))
                figures.append(RollupFigure(
                    key=f"{province}:KH:T{t}:{year}-Q{quarter}", province=province, plan="KH",
                    target=f"T{t}", period_key=f"{year}-Q{quarter}", period_start=start,
                    period_end=end, numerator=num, denominator=den,
                    value=round(100 * num / den, 2), threshold=90, comparator=">=",
                    status="met" if num / den >= 0.9 else "missed", as_of=end, published_at=now))
    RollupFigure.objects.bulk_create(figures, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE rollup_count; ANALYZE rollup_figure")
    return rows


def run(args) -> dict:
    from datetime import date as d

    from django.db import connection
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pctp.core.models import User
    from pctp.units.models import Unit
    from pctp.units.services import membership_grant

    rows = load()
    user = User.objects.filter(username="bench.national").first()
    if user is None:
        user = User.objects.create_user("bench.national", password=None, full_name="Bench")
        membership_grant(actor=None, user=user, unit=Unit.objects.get(code="P80"),
                         role_code="provincial_leader", valid_from=d(2025, 7, 1))
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    from django_otp import DEVICE_ID_SESSION_KEY

    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    year = date.today().year
    out = {"rows": rows, "provinces": PROVINCES}
    from pctp.core.warmup import warm

    warm()  # as gunicorn's worker is before its first request: "cold" is the database's
    client.get("/healthz")
    for label, path in (("page", f"/national/?year={year}"),
                        ("api", f"/api/v1/national/?year={year}")):
        connection.close()
        started = time.perf_counter()
        answer = client.get(path)
        cold = (time.perf_counter() - started) * 1000
        assert answer.status_code == 200, answer.status_code
        warm = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(path)
            warm.append((time.perf_counter() - started) * 1000)
        out[label] = {"cold_ms": round(cold), "warm_ms": round(statistics.median(warm)),
                      "max_ms": round(max(warm)), "bytes": len(answer.content)}
    return out


def markdown(results: dict, args) -> str:
    lines = [f"## National dashboard: {results['provinces']} provinces, "
             f"{results['rows']:,} published counts (issue 23)", "",
             "Command: `nice -n 10 .venv/bin/python -m benchmarks.national_dashboard --out "
             "var/bench/national.md` (its own database, `pctp_bench_national`). Whole "
             "responses through Django's test client as a provincial leader with a verified "
             "session, in a process warmed as gunicorn's workers are; cold = the first request "
             "of each on a new database connection; warm = median "
             f"of {args.runs}.", "",
             "| request | cold | warm (median) | slowest warm | size |",
             "|---|---:|---:|---:|---:|"]
    for label, name in (("page", "`/national/` (page)"), ("api", "`/api/v1/national/`")):
        r = results[label]
        lines.append(f"| {name} | {r['cold_ms']} ms | {r['warm_ms']} ms | {r['max_ms']} ms | "
                     f"{r['bytes'] / 1024:.0f} KB |")
    ok = all(results[k]["warm_ms"] < TARGET_MS and results[k]["cold_ms"] < TARGET_MS
             for k in ("page", "api"))
    lines += ["", f"Target under {TARGET_MS} ms: {'met' if ok else 'missed'}. The year's "
              "counts are summed per province and measure over the index "
              "(province, month, measure).", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", default=None)
    parser.add_argument("--json-out", default=None)
    args = parser.parse_args(argv)
    url = _url()
    sq.prepare_database(url)
    sq.setup_django(url)
    sq.reference_data()
    results = run(args)
    sq.write_outputs(markdown(results, args), results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
