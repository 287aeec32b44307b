"""Command line for the analytics engine: ``backtest`` (wrapped by ``pctp analytics``).

Usage::

    backtest --events FILE.csv[.gz] --offence-type TYPE --cell-size-m 150 --horizon-days 7 \\
             --test-start YYYY-MM-DD --test-end YYYY-MM-DD [--methods all|naive,kde,...] \\
             [--train-days N] [--study-area events|bbox|FILE.geojson] [--json]

The study area is where PAI's coverage is counted: ``events`` (default) the grid's cells that
held an event of the type before --test-start; ``bbox`` every cell of the events' bounding box
(inflates PAI where the box holds land without crime, water or fields); a GeoJSON file of
(Multi)Polygons in lon/lat: the cells whose centre lies inside, events outside dropped.

Exit codes: 0 success; 2 bad input (unreadable or invalid events file -- the message names the
row and column --, bad arguments, no events of the offence type, no test window).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

import numpy as np

from .evaluate import COVERAGES, backtest, events_study_area, window_starts
from .events import EventFileError, load_events, to_days
from .grid import H3Grid, SquareGrid
from .methods import METHOD_NAMES, make_methods

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit code 2 like argparse, but without SystemExit noise
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


def _date(s: str) -> str:
    try:
        np.datetime64(s, "D")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {s!r}") from exc
    return s


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="analytics", description="PCTP crime-analysis engine")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    b = sub.add_parser("backtest", help="rolling-window backtest of the forecasting methods")
    b.add_argument("--events", required=True, help="CSV (.csv or .csv.gz) with occurred_at, "
                   "lat, lon, offence_type")
    b.add_argument("--offence-type", required=True,
                   help="offence type to forecast (case-insensitive; ALL for every type)")
    b.add_argument("--cell-size-m", type=float, default=150.0)
    b.add_argument("--h3-resolution", type=int, default=None,
                   help="use H3 cells at this resolution instead of square cells")
    b.add_argument("--horizon-days", type=float, default=7.0)
    b.add_argument("--test-start", required=True, type=_date)
    b.add_argument("--test-end", required=True, type=_date,
                   help="last day (inclusive) a window may cover")
    b.add_argument("--methods", default="all",
                   help=f"all, or a comma-separated list of: {', '.join(METHOD_NAMES)}")
    b.add_argument("--train-days", type=float, default=None,
                   help="fit on at most this many days before each window (default: all)")
    b.add_argument("--crs", default=None, help="projected CRS (default: UTM zone of the data)")
    b.add_argument("--no-context", action="store_true",
                   help="do not give the learned model the other offence types as covariates")
    b.add_argument("--study-area", default="events",
                   help="where coverage is counted: events (cells with an event of the type "
                        "before --test-start; default), bbox (every cell of the events' "
                        "bounding box) or a GeoJSON file of polygons")
    b.add_argument("--json", action="store_true", help="print JSON")
    return p


MAX_AREA_FILE_BYTES = 50 * 1024 * 1024
MAX_GRID_CELLS = 5_000_000


def _polygon(path: str):
    """The union of a GeoJSON file's (Multi)Polygons (lon/lat), checked: a readable file of
    reasonable size, valid finite polygons on the globe, not empty."""
    import math
    from pathlib import Path

    import shapely
    from shapely.geometry import shape

    f = Path(path)
    if not f.is_file():
        raise _UsageError(f"--study-area: not a readable GeoJSON file: {path} (not a file)")
    if f.stat().st_size > MAX_AREA_FILE_BYTES:
        raise _UsageError(f"--study-area: {path} is larger than 50 MB")
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _UsageError(f"--study-area: not a readable GeoJSON file: {path} ({exc})") from exc
    if not isinstance(data, dict):
        raise _UsageError(f"--study-area: not a GeoJSON object: {path}")
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise _UsageError(f"--study-area: 'features' is not a list in {path}")
    elif data.get("type") == "Feature":
        features = [data]
    else:
        features = [{"geometry": data}]
    shapes = []
    for n, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon",
                                                                          "MultiPolygon"):
            continue
        try:
            with warnings.catch_warnings():  # NaN coordinates: refused below, not warned
                warnings.simplefilter("ignore", RuntimeWarning)
                s = shape(geometry)
                coords = shapely.get_coordinates(s)
        except Exception as exc:  # noqa: BLE001 - shapely raises many kinds on bad input
            raise _UsageError(f"--study-area: feature {n} of {path} is not a valid polygon "
                              f"({type(exc).__name__}: {exc})") from None
        if s.is_empty or not all(math.isfinite(v) for v in coords.ravel()):
            raise _UsageError(f"--study-area: feature {n} of {path} is empty or has a "
                              "coordinate that is not a number")
        if (abs(coords[:, 0]) > 180).any() or (abs(coords[:, 1]) > 90).any():
            raise _UsageError(f"--study-area: feature {n} of {path} is not in longitude, "
                              "latitude degrees (WGS 84)")
        shapes.append(s.buffer(0))
    if not shapes:
        raise _UsageError(f"--study-area: no Polygon or MultiPolygon in {path}")
    area = shapely.union_all(shapes)
    if area.is_empty:
        raise _UsageError(f"--study-area: the polygons of {path} enclose no area")
    return area


def _check_grid_size(events, polygon, cell_size_m: float) -> None:
    """Refuse a grid too large to hold in memory before building it."""
    import shapely
    from pyproj import Transformer

    if polygon is not None:
        tr = Transformer.from_crs("EPSG:4326", events.crs, always_xy=True)
        x, y = tr.transform(*shapely.get_coordinates(polygon).T)
    else:
        x, y = events.x, events.y
    cells = ((float(np.max(x) - np.min(x)) // cell_size_m + 1)
             * (float(np.max(y) - np.min(y)) // cell_size_m + 1))
    if not np.isfinite(cells) or cells > MAX_GRID_CELLS:
        raise _UsageError(f"the grid would have {cells:,.0f} cells of {cell_size_m:g} m "
                          f"(at most {MAX_GRID_CELLS:,}): a smaller study area or larger "
                          "cells")


def run_backtest(args, out=sys.stdout) -> dict:
    """Run the backtest for parsed ``args``; returns the JSON-able report."""
    t_start = time.perf_counter()
    all_events = load_events(args.events, crs=args.crs)
    load_s = time.perf_counter() - t_start
    if args.offence_type.strip().upper() == "ALL":
        events = all_events
    else:
        events = all_events.of_type(args.offence_type)
    if len(events) == 0:
        known = ", ".join(all_events.offence_types()[:30])
        raise _UsageError(f"no events of offence type {args.offence_type!r} "
                          f"(types in the file: {known})")
    study = args.study_area.strip()
    polygon = None if study.lower() in ("events", "bbox") else _polygon(study)
    if args.h3_resolution is not None:
        if polygon is not None:
            import h3

            lat = float(polygon.centroid.y)
            km2 = polygon.area * 111.32 ** 2 * max(np.cos(np.radians(lat)), 0.01)
            cells = km2 / h3.average_hexagon_area(args.h3_resolution, "km^2")
            if cells > MAX_GRID_CELLS:
                raise _UsageError(f"the area would hold about {cells:,.0f} H3 cells (at most "
                                  f"{MAX_GRID_CELLS:,}): a smaller study area or a coarser "
                                  "resolution")
        grid = H3Grid.from_events(events, args.h3_resolution, polygon=polygon)
        grid_desc = {"kind": "h3", "resolution": args.h3_resolution}
    else:
        if args.cell_size_m <= 0:
            raise _UsageError("--cell-size-m must be positive")
        _check_grid_size(events, polygon, args.cell_size_m)
        grid = SquareGrid.from_events(events, args.cell_size_m, polygon=polygon)
        grid_desc = {"kind": "square", "cell_size_m": args.cell_size_m,
                     "nx": grid.nx, "ny": grid.ny}
    if grid.n_cells == 0:
        raise _UsageError("--study-area: no cell of the grid lies inside the area")
    if polygon is not None and len(grid.assign(events)) == 0:
        raise _UsageError(f"--study-area: no event of type {args.offence_type!r} lies inside "
                          "the area (is it in longitude, latitude order?)")
    grid_desc.update(n_cells=grid.n_cells, crs=events.crs)
    if args.horizon_days <= 0:
        raise _UsageError("--horizon-days must be positive")
    starts = window_starts(args.test_start, args.test_end, args.horizon_days)
    if not starts:
        raise _UsageError("no complete window between --test-start and --test-end")
    if to_days(args.test_start) <= float(events.days[0]):
        raise _UsageError("--test-start must be after the first event (nothing to fit on)")
    try:
        methods = make_methods(args.methods, grid, args.horizon_days,
                               context=None if args.no_context else all_events)
    except ValueError as exc:
        raise _UsageError(str(exc)) from exc
    area = None
    if study.lower() == "events":
        area = events_study_area(events, grid, args.test_start)
        if not area.any():
            raise _UsageError("--study-area events: no event of the type before --test-start")
    kind = study.lower() if polygon is None else "file"
    study_desc = {"kind": kind, "n_cells": int(area.sum()) if area is not None
                  else grid.n_cells, **({"file": study} if polygon is not None else {})}
    t0 = time.perf_counter()
    results = backtest(events, grid, methods, args.test_start, args.test_end,
                       args.horizon_days, args.train_days, COVERAGES, area=area)
    return {
        "events_file": str(args.events),
        "offence_type": args.offence_type,
        "n_events_in_file": len(all_events),
        "n_events_of_type": len(events),
        "grid": grid_desc,
        "study_area": study_desc,
        "horizon_days": args.horizon_days,
        "test_start": args.test_start,
        "test_end": args.test_end,
        "train_days": args.train_days,
        "coverages": list(COVERAGES),
        "load_seconds": round(load_s, 3),
        "backtest_seconds": round(time.perf_counter() - t0, 3),
        "methods": {name: r.summary() for name, r in results.items()},
    }


def format_table(report: dict) -> str:
    covs = [f"{c:g}" for c in report["coverages"]]
    head = ["method"] + [f"PAI@{float(c) * 100:g}%" for c in covs] + \
        ["PAI@1% 95% CI", "PAI@1% mean"] + \
        [f"HR@{float(c) * 100:g}%" for c in covs] + ["PEI*@1%", "PEI*@5%", "windows",
                                                       "events", "fit s", "predict s"]
    rows = [head]

    def f(v, nd=3):
        return "-" if v is None else f"{v:.{nd}f}"

    for name, s in report["methods"].items():
        c = s["coverage"]
        ci = c["0.01"].get("pai_ci")
        rows.append([name] + [f(c[k].get("pai_pooled"), 2) for k in covs]
                    + [f"{ci[0]:.2f}–{ci[1]:.2f}" if ci else "-", f(c["0.01"]["pai_mean"], 2)]
                    + [f(c[k].get("hit_rate_pooled")) for k in covs]
                    + [f(c["0.01"].get("pei_star_pooled")), f(c["0.05"].get("pei_star_pooled")),
                       str(s["n_windows"]), str(s["n_events"]), f(s["fit_seconds"], 1),
                       f(s["predict_seconds"], 1)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    grid = report["grid"]
    area = report["study_area"]
    lines.insert(0, f"{report['offence_type']}: {grid['n_cells']} cells in the grid, "
                    f"{area['n_cells']} in the study area ({area['kind']}), "
                    f"{report['methods'][next(iter(report['methods']))]['n_windows']} windows "
                    f"of {report['horizon_days']:g} days; PAI and hit rate pooled over the "
                    "windows (mean of windows beside it)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "backtest":
            report = run_backtest(args)
            if args.json:
                print(json.dumps(report, indent=2))
            else:
                print(format_table(report))
            return EXIT_OK
    except EventFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except _UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
