"""The province's yearly report with its annex over 1,000,000 sources and 500,000 cases
(issue 20: under 60 s).

    nice -n 10 .venv/bin/python -m benchmarks.reports_yearly --out var/bench/reports.md

Runs against the benchmark database that `sources_queues` and `cases_pages` load
(DATABASE_URL, default postgres://postgres@127.0.0.1:5432/pctp_bench) and refuses to run
without them. It adds the demo province's plan with the ten targets if missing (as
`kpi_dashboard` does), then generates the province's report for last year, as the job does
(figures, breakdowns, charts, the .docx, the .xlsx annex with every record behind every
target), without the PDF (LibreOffice's time depends on the page count, not the records;
measured apart with --pdf). Reports each step's time, the files' sizes and the annex's
rows, and the process's peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import sources_queues as sq  # noqa: E402

TARGET_S = 60


def run(args) -> dict:
    from django.conf import settings
    from openpyxl import load_workbook

    from benchmarks.kpi_dashboard import ensure_plan, require_loaded
    from pctp.reporting import services as s

    sources, cases = require_loaded()
    plan = ensure_plan()
    settings.PCTP_REPORT_PDF = bool(args.pdf)
    year = date.today().year - 1
    steps: list[tuple[str, float]] = []
    original = s._progress

    def timed(report, percent, step):
        steps.append((step, time.perf_counter()))
        original(report, percent, step)

    s._progress = timed
    t0 = time.perf_counter()
    report = s.report_request(actor=None, kind="plan", plan=plan.pk, period=str(year))
    report = s.report_generate(report)
    total = time.perf_counter() - t0
    report.refresh_from_db()
    marks = [*steps, ("end", t0 + total)]
    durations = {name: round(marks[i + 1][1] - at, 2) for i, (name, at) in enumerate(marks[:-1])}
    book = load_workbook(report.xlsx.path, read_only=True)
    rows = sum(ws.max_row or 0 for ws in book.worksheets)
    return {"sources": sources, "cases": cases, "year": year, "seconds": round(total, 1),
            "steps": durations, "docx_kb": round(report.docx.size / 1024),
            "xlsx_kb": round(report.xlsx.size / 1024), "annex_rows": rows,
            "sheets": len(book.worksheets),
            "pdf_kb": round(report.pdf.size / 1024) if report.pdf else None,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "load": list(os.getloadavg())}


def markdown(r: dict, args) -> str:
    ok = "ok" if r["seconds"] < TARGET_S else "**MISSED**"
    lines = [f"## Yearly report with its annex ({r['sources']:,} sources, {r['cases']:,} cases)",
             "", "Command: `nice -n 10 .venv/bin/python -m benchmarks.reports_yearly --out "
             "var/bench/reports.md`, against the database the sources and cases benchmarks load "
             f"(`DATABASE_URL`, default `{sq.DEFAULT_URL}`). Load average at start: "
             + " ".join(f"{v:.1f}" for v in r["load"]) + ".", "",
             f"The province's report for {r['year']} (`--type plan`), generated as the job does"
             f"{' with' if args.pdf else ' without'} the PDF: **{r['seconds']} s** (target "
             f"< {TARGET_S} s: {ok}); peak memory of the process {r['peak_mb']} MB.", "",
             "| step | s |", "|---|---:|"]
    lines += [f"| {name} | {sec} |" for name, sec in r["steps"].items()]
    lines += ["", f"Files: .docx {r['docx_kb']} KB; .xlsx annex {r['xlsx_kb']} KB, "
              f"{r['sheets']} sheets, {r['annex_rows']:,} rows"
              + (f"; PDF {r['pdf_kb']} KB" if r["pdf_kb"] else "") + "."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="convert to PDF too (LibreOffice)")
    parser.add_argument("--out", default=None)
    parser.add_argument("--json-out", default=None)
    args = parser.parse_args(argv)
    url = sq.database_url()
    os.environ["PCTP_DEBUG"] = "false"
    sq.prepare_database(url)
    sq.setup_django(url)
    results = run(args)
    sq.write_outputs(markdown(results, args), results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
