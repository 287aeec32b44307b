"""Benchmark of the crime-forecasting methods on the Chicago incidents (issue 10).

For each offence type: weekly windows through 2017 (52 windows), each method fitted only on
events before the window (all of 2015-2016 plus the part of 2017 already past), 150 m cells over
the bounding box of that type's events, all methods. Prints a markdown table and writes it to
``--out``.

    nice -n 19 .venv/bin/python benchmarks/analytics_backtest.py --out var/analytics_bench.md

Target (issues 10 and 24): our best method's pooled PAI at least 15 % above the best classic
baseline (all-history counts included) at 1 % and 5 % of the study area for every type; one
type's whole backtest under 2 minutes on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pctp.analytics.engine import (  # noqa: E402
    CLASSIC_METHODS,
    SquareGrid,
    backtest,
    events_study_area,
    fixed_map_ceiling,
    load_events,
    make_methods,
)
from pctp.analytics.engine.forecast import select_method  # noqa: E402

DEFAULT_EVENTS = ROOT.parent / "shared" / "data" / "crime" / "chicago_2015-2017.csv.gz"
TYPES = ("THEFT", "BATTERY", "BURGLARY", "MOTOR VEHICLE THEFT")
TARGET_UPLIFT = 0.15
# Simplest first, as the product's automatic method orders its candidates.
SIMPLEST_FIRST = ("naive_all", "naive", "kde", "promap", "sepp", "learned", "ensemble")
TARGET_SECONDS = 120.0

# How the learned model's settings and the ensemble's weights were chosen: on 2016 windows only
# (scripts outside the repository, same code as the methods). Printed after the 2017 tables.
VALIDATION_NOTE = """\
### How the settings were chosen (validation on 2016, not on the test year)

(Measured before issue 24, as the figures were then defined: means of windows over the
bounding box, without the all-history baseline. The 2017 tables above are pooled over the
study area; the selection has not been redone on those terms.)

The learned model's settings and the ensemble's weights were chosen on validation windows: the
52 weekly windows of 2016, each method fitted only on events before the window (so from 2015
on, at most one year of history), the same grids and code as above. The 2017 tables above were
then run once with the chosen settings. PAI@1% / PAI@5%, means over the 52 validation windows:

| 2016 validation | THEFT | BATTERY | BURGLARY | MOTOR VEHICLE THEFT |
|---|---:|---:|---:|---:|
| best classic | 33.89 (naive) / 11.88 (sepp) | 20.79 / 10.93 (sepp) | 12.55 / 7.43 (sepp) | 10.11 (sepp) / 6.61 (kde) |
| learned, previous settings (neighbour weight 0.1, zero rate 0.03) | 33.32 / 11.94 | 19.68 / 10.96 | 13.16 / 7.83 | 10.38 / 7.36 |
| learned, regularised trees (200 trees, rate 0.05, 400 per leaf) | 33.78 / 12.01 | 20.03 / 11.05 | 13.32 / 7.85 | 10.76 / 7.34 |
| **learned, chosen (neighbour weight 0.3, zero rate 0.1)** | 33.80 / 12.02 | 20.53 / 11.06 | 13.27 / 7.93 | 11.09 / 7.35 |
| **ensemble, chosen (learned 2 : sepp 1, ranks)** | 33.96 / 12.04 | 20.85 / 11.10 | 13.74 / 7.97 | 11.72 / 7.42 |
| ensemble's uplift over the best classic | +0.2 % / +1.3 % | +0.3 % / +1.5 % | +9.5 % / +7.3 % | +15.9 % / +12.3 % |

Also tried on 2016 and not kept: neighbour weight 0.5 (THEFT 33.80 / 12.01, BATTERY
20.52 / 11.07: no better than 0.3); a baseline of exponentially decayed counts (half-life
180 days; THEFT 33.83 / 12.01); extra features -- 3x3 and 7x7 cell box sums of the 7- to
365-day and all-history counts, 14- and 56-day counts, a 7-day decayed count, the same week
one year earlier (+-3 days) -- with the regularised trees (THEFT 33.93 / 12.04, for about
three times the learned model's time, which would break the 120 s budget). Those runs were
stopped after the types shown. For the ensemble, 48 combinations (ranks or unit-mean scores;
learned weight 1-3, with or without sepp, naive and kde) were scored on the same 2016
windows: the shipped learned 2 : sepp 1 rank average (mean uplift +6.0 % over the eight
type-coverage pairs, worst +0.2 %) was within 0.1 point of the best (learned 3 : sepp 1,
+6.1 %, worst -0.0 %), so it was kept unchanged.

Against the previous settings on the same 2017 windows (the table of the run before this
change), the best of ours moved from +0.6 / +0.7 % to +1.3 / +1.0 % (THEFT), +0.1 / +0.7 % to
+1.7 / +0.9 % (BATTERY), +7.4 / +7.4 % to +9.2 / +7.1 % (BURGLARY) and +10.9 / +11.8 % to
+15.6 / +11.7 % (MOTOR VEHICLE THEFT), at the cost of a slower learned model (more zero-count
examples; this run's times were also taken under a load average of 4-6 from other work, so
they are upper bounds). The target is met only for MOTOR VEHICLE THEFT at 1 %, narrowly (the
weekly PAIs behind that mean spread by +-2.5); it is missed at 5 % for it and at both
coverages for the other three types. For THEFT and BATTERY, on 2016 as
on 2017, it looks out of reach for this approach: the classic methods already rank cells by
their long-run counts, which carry most of what the learned model can use.

### Week-to-week terms tried for issue 24 (2016 validation, pooled over the study area)

The learned model already changes week to week: its own counts over the last 7 and 28 days,
counts decayed over 3 and 14 days (repeat victimisation), the same weeks one year earlier for
the cell and its 150 m neighbourhood, the city's season and the day of the year. On top of
those, near repeats around the cell (the 150 m and 450 m neighbourhoods' counts decayed over
3 days and the 450 m one over 14 days) and the 450 m neighbourhood's season were tried on the
2016 windows, the learned model alone, pooled PAI@1% / @5% without -> with them: THEFT
16.99 / 6.95 -> 17.10 / 6.95, BATTERY 6.44 / 4.08 -> 6.44 / 4.06, BURGLARY 3.11 / 1.96 ->
2.95 / 1.94, MOTOR VEHICLE THEFT 2.05 / 1.35 -> 2.06 / 1.38, for 7-10 % more fitting time.
BURGLARY lost 5 % at 1 % and nothing gained more than 0.7 % there, so they were not kept (the
same weeks two years back cannot be learned from a file that starts in 2015).

The ceiling rows in each table above say why the target is missed for THEFT and BATTERY:
the best one map for the test year, chosen in hindsight from its own events, catches only
3.5 % (THEFT) and 11.9 % (BATTERY) more than the best classic at 1 %, so no map that stays
the same all year can reach +15 % there, and what near repeats and seasons predict of each
week's departures from the long run is worth about 1 %. For BURGLARY and MOTOR VEHICLE THEFT
that bound is far above the target but loose (a few events a cell); drawn from the other
weeks alone, the year's map is already beaten by the ensemble, the learned model and the
grid SEPP, which is where week-to-week terms carry most.
"""


def run_type(all_events, offence_type, args):
    events = all_events.of_type(offence_type)
    grid = SquareGrid.from_events(events, args.cell_size_m)
    area = events_study_area(events, grid, args.test_start)
    methods = make_methods(args.methods, grid, args.horizon_days, context=all_events)
    t0 = time.perf_counter()
    c0 = time.process_time()
    results = backtest(events, grid, methods, args.test_start, args.test_end, args.horizon_days,
                       area=area)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    # The same naive baselines over the bounding box, to show what it does to PAI.
    naive = make_methods(["naive", "naive_all"], grid, args.horizon_days)
    bbox = backtest(events, grid, naive, args.test_start, args.test_end, args.horizon_days)
    summaries = {name: r.summary() for name, r in results.items()}
    ceiling = fixed_map_ceiling(events, grid, args.test_start, args.test_end,
                                args.horizon_days, coverages=(0.01, 0.05), area=area)
    if args.validation_start:
        # Selection on the validation year only: each method's pooled PAI@1% over its
        # windows (fitted on what came before them), never the test year's.
        v_area = events_study_area(events, grid, args.validation_start)
        v_methods = make_methods(args.methods, grid, args.horizon_days, context=all_events)
        validation = backtest(events, grid, v_methods, args.validation_start,
                              args.validation_end, args.horizon_days, area=v_area)
        for name, r in validation.items():
            summaries[name]["validation"] = {
                cov: r.summary()["coverage"][cov].get("pai_pooled") for cov in ("0.01", "0.05")}
        # The product's rule (engine.forecast.select_method): the simplest method within one
        # standard error of the validation year's best, among all and among the classic.
        order = [n for n in SIMPLEST_FIRST if n in validation]
        classic = [n for n in order if n in CLASSIC_METHODS]
        for cov in ("0.01", "0.05"):
            pick = select_method(validation, order, float(cov))
            summaries[pick["method"]].setdefault("chosen_at", []).append(cov)
            if classic:
                pick = select_method(validation, classic, float(cov))
                summaries[pick["method"]].setdefault("classic_chosen_at", []).append(cov)
    return (grid, summaries, wall, cpu, {name: r.summary() for name, r in bbox.items()},
            ceiling)


def fmt(v, nd=2):
    return "-" if v is None else f"{v:.{nd}f}"


def _pai(s, cov):
    return s["coverage"][cov].get("pai_pooled") or 0.0


def _ci(s, cov):
    ci = s["coverage"][cov].get("pai_ci")
    return f"{ci[0]:.2f}–{ci[1]:.2f}" if ci else "-"


CEILING_LABELS = {"fixed_hindsight": "bound: the best one map, the test year's own counts",
                  "fixed_other_windows": "the other test weeks' counts, week by week"}


def type_section(offence_type, grid, summaries, wall, cpu, bbox=None, ceiling=None):
    lines = [f"### {offence_type}", ""]
    any_s = next(iter(summaries.values()))
    lines.append(f"{grid.n_cells:,} cells of {grid.cell_size_m:g} m in the bounding box, "
                 f"**{any_s['study_cells']:,} in the study area** (cells with an event of the "
                 f"type before the test year); {any_s['n_windows']} weekly windows; "
                 f"{any_s['n_events']:,} test events ({any_s['outside']:,.0f} outside the "
                 f"study area, counted as misses); whole backtest (all methods) "
                 f"**{wall:.1f} s** wall clock, {cpu:.1f} s CPU.")
    lines.append("")
    lines.append("| method | PAI@1% pooled (95% interval) | PAI@5% pooled (95% interval) "
                 "| PAI@1% mean of windows | PEI*@1% | hit rate @1% | hit rate @5% "
                 "| fit s | predict s |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in summaries.items():
        c1, c5 = s["coverage"]["0.01"], s["coverage"]["0.05"]
        label = name if name in CLASSIC_METHODS else f"**{name}**"
        lines.append(
            f"| {label} | {fmt(c1.get('pai_pooled'))} ({_ci(s, '0.01')}) "
            f"| {fmt(c5.get('pai_pooled'))} ({_ci(s, '0.05')}) "
            f"| {fmt(c1['pai_mean'])} ± {fmt(c1['pai_std'], 1)} "
            f"| {fmt(c1.get('pei_star_pooled'), 3)} "
            f"| {fmt(c1.get('hit_rate_pooled'), 3)} | {fmt(c5.get('hit_rate_pooled'), 3)} "
            f"| {s['fit_seconds']:.1f} | {s['predict_seconds']:.1f} |")
    for name, cov in (ceiling or {}).items():
        c1, c5 = cov["0.01"], cov["0.05"]
        lines.append(
            f"| *ceiling: {CEILING_LABELS[name]} (hindsight, not a forecast)* "
            f"| {fmt(c1.get('pai_pooled'))} | {fmt(c5.get('pai_pooled'))} | - "
            f"| {fmt(c1.get('pei_star_pooled'), 3)} | {fmt(c1.get('hit_rate_pooled'), 3)} "
            f"| {fmt(c5.get('hit_rate_pooled'), 3)} | - | - |")
    lines.append("")
    verdicts = []
    if bbox:
        for name in ("naive", "naive_all"):
            if name in bbox and name in summaries and _pai(summaries[name], "0.01"):
                ratio = _pai(bbox[name], "0.01") / _pai(summaries[name], "0.01")
                verdicts.append(
                    f"over the bounding box ({grid.n_cells:,} cells) {name}'s pooled PAI@1% "
                    f"would read {_pai(bbox[name], '0.01'):.2f}, {ratio:.2f}× the study "
                    "area's")
    ours = [n for n in summaries if n not in CLASSIC_METHODS]
    classic = [n for n in summaries if n in CLASSIC_METHODS]
    if ours and classic:
        for cov in ("0.01", "0.05"):
            best_ours = max(ours, key=lambda n, cov=cov: _pai(summaries[n], cov))
            best_classic = max(classic, key=lambda n, cov=cov: _pai(summaries[n], cov))
            a, b = _pai(summaries[best_ours], cov), _pai(summaries[best_classic], cov)
            uplift = a / b - 1.0 if b else 0.0
            ok = uplift >= TARGET_UPLIFT
            verdicts.append(
                f"PAI@{float(cov) * 100:g}% pooled: best classic is **{best_classic}** "
                f"{b:.2f} ({_ci(summaries[best_classic], cov)}); best ours {best_ours} "
                f"{a:.2f} ({_ci(summaries[best_ours], cov)}) -> {uplift * 100:+.1f} % "
                f"({'meets' if ok else 'MISSES'} the +15 % target)")
    if ceiling and classic:
        bound = ceiling["fixed_hindsight"]
        parts = []
        for cov in ("0.01", "0.05"):
            b = max(_pai(summaries[n], cov) for n in classic)
            c = bound[cov].get("pai_pooled") or 0.0
            if b and c:
                target = b * (1 + TARGET_UPLIFT)
                parts.append(
                    f"at {float(cov) * 100:g}% no map that stays the same all year catches "
                    f"more than PAI {c:.2f} ({(c / b - 1) * 100:+.1f} % against the best "
                    f"classic), " + (
                        f"short of the +15 % target ({target:.2f}): only forecasts that "
                        "change week to week could reach it" if c < target else
                        f"above the +15 % target ({target:.2f}), so a fixed map could reach "
                        "it in principle (the bound is loose where events are sparse)"))
        if parts:
            verdicts.append("in hindsight, " + "; ".join(parts))
    if all("validation" in s for s in summaries.values()):
        for cov in ("0.01", "0.05"):
            chosen = next(n for n in summaries if cov in summaries[n].get("chosen_at", ()))
            classic_v = next((n for n in summaries
                              if cov in summaries[n].get("classic_chosen_at", ())), None)
            line = (f"chosen on the validation year at {float(cov) * 100:g}%: **{chosen}** "
                    f"(validation {summaries[chosen]['validation'][cov]:.2f}); on the test "
                    f"year {_pai(summaries[chosen], cov):.2f} ({_ci(summaries[chosen], cov)})")
            if classic_v and _pai(summaries[classic_v], cov):
                up = _pai(summaries[chosen], cov) / _pai(summaries[classic_v], cov) - 1
                line += (f", against the classic chosen the same way ({classic_v}, "
                         f"{_pai(summaries[classic_v], cov):.2f}): {up * 100:+.1f} %")
            verdicts.append(line)
    verdicts.append(f"time: {wall:.1f} s wall clock, {cpu:.1f} s CPU "
                    f"({'meets' if wall <= TARGET_SECONDS else 'MISSES'} the 120 s target)")
    lines += [f"- {v}" for v in verdicts]
    lines.append("")
    return lines


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", default=str(DEFAULT_EVENTS))
    p.add_argument("--types", default=",".join(TYPES), help="comma-separated offence types")
    p.add_argument("--methods", default="all")
    p.add_argument("--cell-size-m", type=float, default=150.0)
    p.add_argument("--horizon-days", type=float, default=7.0)
    p.add_argument("--test-start", default="2017-01-01")
    p.add_argument("--test-end", default="2017-12-31")
    p.add_argument("--validation-start", default="2016-01-01",
                   help="the year methods are chosen on (empty: no selection)")
    p.add_argument("--validation-end", default="2016-12-31")
    p.add_argument("--out", default=None, help="write the markdown table here")
    p.add_argument("--json-out", default=None, help="also write the raw summaries as JSON")
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    all_events = load_events(args.events)
    load_s = time.perf_counter() - t0
    try:
        load_avg = os.getloadavg()
    except OSError:
        load_avg = (float("nan"),) * 3
    lines = ["## Crime forecasting backtest (Chicago 2017)", "",
             "Command: `.venv/bin/python -m benchmarks.analytics_backtest --out FILE` (also run "
             "by `make bench`); it reads `../shared/data/crime/chicago_2015-2017.csv.gz`. Run on "
             f"{time.strftime('%Y-%m-%d at %H:%M')}.", "",
             f"Data: `{Path(args.events).name}` ({len(all_events):,} incidents, City of Chicago "
             f"open data portal), loaded and validated in {load_s:.1f} s. Test windows: "
             f"{args.horizon_days:g}-day windows from {args.test_start} to {args.test_end}; "
             "each method is fitted only on events before the window (2015 onwards). The "
             "file has no receipt times, so every record counts as known when it occurred. "
             "Coverage = share of the study area's cells: the cells of the type's grid that "
             "held one of its events before the test year (the bounding box inflates PAI with "
             "lake, parks and rail yards; its figure is given for the naive baselines). PAI and "
             "hit rate are pooled over the windows (total captured / total events / coverage) "
             "with a 95 % interval from resampling the weeks 1,000 times; the mean of the "
             "windows' PAIs (± sample standard deviation) beside it. PEI* = captured / most the "
             "same number of cells could have captured, pooled. naive counts the last 365 days, "
             "naive_all all history. Each method also runs on the validation year "
             f"({args.validation_start} to {args.validation_end}, its own study area); the "
             "method chosen there by the product's rule (the simplest within one standard "
             "error of the best, errors from resampling the weeks), and the classic chosen "
             "there the same way, are then read on the test year (the selection never sees "
             "it). Fit/predict seconds (test year only) are "
             "totals over all "
             "windows; the ensemble's include its members'. The two ceiling rows are no "
             "forecasts but yardsticks drawn in hindsight: the cells with the most events of "
             "the test year (the best one map for the year: nothing that stays the same all "
             "year catches more), and, for each week, the cells with the most events in the "
             "other weeks (a fair reading of how stable the year's places were, not a "
             "bound). Classic baselines: "
             f"{', '.join(CLASSIC_METHODS)}; ours in bold. Machine: {os.cpu_count()} cores "
             f"shared with other work, Python {platform.python_version()}, run under "
             f"`nice -n 19`; load average at start {load_avg[0]:.1f}.", ""]
    raw = {}
    for offence_type in [s.strip() for s in args.types.split(",") if s.strip()]:
        grid, summaries, wall, cpu, bbox, ceiling = run_type(all_events, offence_type, args)
        raw[offence_type] = {"wall_seconds": wall, "cpu_seconds": cpu, "n_cells": grid.n_cells,
                             "methods": summaries, "bbox": bbox, "ceiling": ceiling}
        section = type_section(offence_type, grid, summaries, wall, cpu, bbox, ceiling)
        print("\n".join(section), flush=True)
        lines += section
    lines.append(VALIDATION_NOTE)
    text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
