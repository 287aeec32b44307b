"""Crime events: loading, validation and projection to metres.

Pure core: no Django imports. Events are held as parallel numpy arrays, sorted by time.

Times are *local wall-clock* times expressed as float days since 1970-01-01 (``days``).
Coordinates are kept in lat/lon (WGS 84) and projected to metres (``x``, ``y``) with pyproj,
by default in the UTM zone of the data's mean longitude (48N for Vietnam, 16N for Chicago).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import CRS, Transformer

REQUIRED_COLUMNS = ("occurred_at", "lat", "lon", "offence_type")
_SECONDS_PER_DAY = 86400.0


class EventFileError(ValueError):
    """A CSV of events that cannot be used.

    ``row`` is the 1-based data row (the header is not counted; data row ``r`` is line ``r + 1``
    of the file), ``column`` the offending column name; either may be ``None`` when the problem is
    not tied to one cell (e.g. an unreadable file).
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None,
                 path: str | None = None):
        self.row = row
        self.column = column
        self.path = path
        self.message = message
        where = []
        if row is not None:
            where.append(f"row {row} (line {row + 1})")
        if column is not None:
            where.append(f"column '{column}'")
        prefix = f"{path}: " if path else ""
        full = prefix + (", ".join(where) + ": " if where else "") + message
        super().__init__(full)


def to_days(t) -> float:
    """Convert a time (float days, ``np.datetime64``, ``datetime``, ``date`` or ISO string) to
    float days since 1970-01-01."""
    if isinstance(t, (int, float, np.integer, np.floating)):
        return float(t)
    if isinstance(t, str):
        t = np.datetime64(t)
    elif isinstance(t, dt.datetime):
        t = np.datetime64(t.replace(tzinfo=None))
    elif isinstance(t, dt.date):
        t = np.datetime64(t.isoformat())
    if isinstance(t, np.datetime64):
        return float(t.astype("datetime64[s]").astype(np.int64)) / _SECONDS_PER_DAY
    raise TypeError(f"cannot interpret {t!r} as a time")


def days_to_datetime64(days) -> np.ndarray:
    """Inverse of :func:`to_days` (second resolution)."""
    secs = np.round(np.asarray(days, dtype=float) * _SECONDS_PER_DAY).astype(np.int64)
    return secs.astype("datetime64[s]")


def utm_crs_for(lon_mean: float, lat_mean: float) -> CRS:
    """UTM zone CRS (WGS 84) for a mean longitude/latitude, e.g. 105.8E -> EPSG:32648."""
    zone = int(math.floor((lon_mean + 180.0) / 6.0)) + 1
    zone = min(max(zone, 1), 60)
    epsg = (32600 if lat_mean >= 0 else 32700) + zone
    return CRS.from_epsg(epsg)


@dataclass(frozen=True)
class Events:
    """Events sorted by time. ``cell`` is filled in by a grid's ``assign``. ``known`` (days,
    optional) is when each record reached the system: a backtest's window at ``t`` trains only
    on records known before ``t`` (issue 24); None means known when they occurred."""

    days: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    x: np.ndarray
    y: np.ndarray
    offence_type: np.ndarray
    crs: str
    cell: np.ndarray | None = field(default=None)
    known: np.ndarray | None = field(default=None)

    def __len__(self) -> int:
        return int(self.days.shape[0])

    @classmethod
    def from_arrays(cls, days, lat, lon, offence_type=None, crs=None, x=None, y=None,
                    known=None) -> Events:
        """Build events from arrays; projects lat/lon unless x/y are given with ``crs``.
        ``known``: when each record became known (days); never before it occurred."""
        days = np.asarray(days, dtype=float)
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        n = days.shape[0]
        if offence_type is None:
            offence_type = np.full(n, "", dtype=object)
        offence_type = np.asarray(offence_type, dtype=object)
        if x is None or y is None:
            x, y, crs = project(lat, lon, crs)
        else:
            if crs is None:
                raise ValueError("crs is required when x/y are given")
            x = np.asarray(x, dtype=float)
            y = np.asarray(y, dtype=float)
            crs = CRS.from_user_input(crs).to_string()
        order = np.argsort(days, kind="stable")
        if known is not None:
            known = np.maximum(np.asarray(known, dtype=float), days)[order]
        return cls(days[order], lat[order], lon[order], x[order], y[order],
                   offence_type[order], crs, None, known)

    def take(self, idx) -> Events:
        """Subset by boolean mask or integer index (keeps time order if ``idx`` is sorted)."""
        cell = None if self.cell is None else self.cell[idx]
        known = None if self.known is None else self.known[idx]
        return Events(self.days[idx], self.lat[idx], self.lon[idx], self.x[idx], self.y[idx],
                      self.offence_type[idx], self.crs, cell, known)

    def known_before(self, t) -> Events:
        """The records the system held before ``t`` (all of them without ``known``)."""
        if self.known is None:
            return self
        return self.take(np.flatnonzero(self.known < to_days(t)))

    def with_cells(self, cell: np.ndarray) -> Events:
        return replace(self, cell=np.asarray(cell, dtype=np.int64))

    def between(self, start=None, end=None) -> Events:
        """Events with ``start <= days < end`` (either bound may be None)."""
        lo = 0 if start is None else int(np.searchsorted(self.days, to_days(start), "left"))
        hi = len(self) if end is None else int(np.searchsorted(self.days, to_days(end), "left"))
        return self.take(slice(lo, hi))

    def before(self, t) -> Events:
        return self.between(None, t)

    def of_type(self, types: str | Iterable[str]) -> Events:
        """Events whose offence type equals one of ``types`` (case-insensitive, trimmed)."""
        if isinstance(types, str):
            types = [types]
        wanted = {s.strip().upper() for s in types}
        upper = np.char.upper(np.char.strip(self.offence_type.astype(str)))
        return self.take(np.isin(upper, list(wanted)))

    def offence_types(self) -> list[str]:
        return sorted({str(s) for s in self.offence_type})

    @property
    def times(self) -> np.ndarray:
        return days_to_datetime64(self.days)


def project(lat, lon, crs=None) -> tuple[np.ndarray, np.ndarray, str]:
    """Project WGS 84 lat/lon to metres. Without ``crs`` the UTM zone of the mean longitude."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if crs is None:
        if lat.size == 0:
            crs_obj = CRS.from_epsg(32648)  # UTM 48N (northern Vietnam) for an empty set
        else:
            crs_obj = utm_crs_for(float(np.mean(lon)), float(np.mean(lat)))
    else:
        crs_obj = CRS.from_user_input(crs)
    tr = Transformer.from_crs("EPSG:4326", crs_obj, always_xy=True)
    x, y = tr.transform(lon, lat)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float), crs_obj.to_string()


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


_ISO_DATE = r"^\d{4}-\d{2}-\d{2}(?:$|[T ])"


def _one_timestamp(value: str) -> int | None:
    """Row-by-row fallback (mixed time-zone offsets): ns since epoch of the wall-clock time."""
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if pd.isna(ts):
        return None
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int(ts.value)


def _iso_shape_ok(values: np.ndarray) -> np.ndarray:
    """Vectorised check that each string starts ``YYYY-MM-DD`` followed by end, 'T' or ' '."""
    u = values.astype("U11")
    cp = u.view(np.uint32).reshape(u.size, 11)
    digit = (cp >= 48) & (cp <= 57)
    dash = cp == 45
    ok = digit[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(axis=1) & dash[:, 4] & dash[:, 7]
    return ok & np.isin(cp[:, 10], [0, ord("T"), ord(" ")])


def _parse_dates(raw: pd.Series, path: str, column: str = "occurred_at") -> np.ndarray:
    """ISO 8601 dates or date-times -> float days. Time zones are dropped (wall-clock kept)."""
    values = raw.to_numpy(dtype=object)
    shape_ok = _iso_shape_ok(values)
    if not shape_ok.all():  # maybe only surrounding blanks
        values = np.array([str(v).strip() for v in values], dtype=object)
        shape_ok = _iso_shape_ok(values)
    s = pd.Series(values, dtype=object)
    try:
        parsed = pd.to_datetime(s.where(shape_ok, ""), format="ISO8601", errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        nat = parsed.isna().to_numpy()
        ns = np.where(nat, 0, parsed.to_numpy(dtype="datetime64[ns]").astype(np.int64))
    except (ValueError, TypeError):  # mixed time-zone offsets
        vals = [_one_timestamp(v) if ok else None for v, ok in zip(values, shape_ok, strict=True)]
        nat = np.array([v is None for v in vals], dtype=bool)
        ns = np.array([0 if v is None else v for v in vals], dtype=np.int64)
    bad = nat | ~shape_ok
    if bad.any():
        i = _first_bad(bad)
        val = str(values[i])
        what = "empty date" if val == "" else f"unparseable date {val!r}"
        raise EventFileError(
            f"{what} (expected ISO 8601, e.g. 2017-03-05 or 2017-03-05T14:30:00)",
            row=i + 1, column=column, path=path)
    days = ns / (_SECONDS_PER_DAY * 1e9)
    out = (days < _FIRST_DAY) | (days > _LAST_DAY)
    if out.any():
        i = _first_bad(out)
        raise EventFileError(f"date {str(values[i]).strip()!r} outside 1900–2100",
                             row=i + 1, column=column, path=path)
    return days


_FIRST_DAY = (np.datetime64("1900-01-01") - np.datetime64("1970-01-01")).astype(int)
_LAST_DAY = (np.datetime64("2101-01-01") - np.datetime64("1970-01-01")).astype(int)


def _parse_coord(raw: pd.Series, name: str, lo: float, hi: float, path: str) -> np.ndarray:
    if raw.dtype.kind == "f":
        values = raw.to_numpy(dtype=float)
    else:
        values = pd.to_numeric(raw.astype(str).str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < lo) | (values > hi)
    if bad.any():
        i = _first_bad(bad)
        val = str(raw.iloc[i]).strip()
        if not np.isfinite(values[i]):
            what = "empty value" if val == "" else f"not a number: {val!r}"
        else:
            what = f"value {val} outside [{lo:g}, {hi:g}]"
        raise EventFileError(what, row=i + 1, column=name, path=path)
    return values


def load_events(path: str | Path, crs=None, offence_types: str | Iterable[str] | None = None
                ) -> Events:
    """Load a ``.csv`` or ``.csv.gz`` of events.

    Required columns: ``occurred_at`` (ISO 8601 date or date-time), ``lat``, ``lon`` (WGS 84
    degrees), ``offence_type``; optional ``received_at`` (when the record reached the police:
    a backtest's window trains only on records received before it; a receipt before the
    occurrence is taken as the occurrence); other columns are ignored. Every row is
    validated; the first
    problem raises :class:`EventFileError` naming the row and the column. The whole file is
    validated even when ``offence_types`` selects a subset; projection uses ``crs`` if given,
    else the UTM zone of the whole file's mean longitude.
    """
    spath = str(path)
    p = Path(path)
    if not p.exists():
        raise EventFileError("file not found", path=spath)
    try:
        header = pd.read_csv(p, nrows=0, compression="infer")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError,
            EOFError) as exc:
        raise EventFileError(f"not a readable CSV ({exc})", path=spath) from exc
    names = {str(c).strip().lower(): c for c in header.columns}
    for col in REQUIRED_COLUMNS:
        if col not in names:
            raise EventFileError(
                f"missing required column (found: {', '.join(map(str, header.columns))})",
                row=None, column=col, path=spath)
    usecols = [names[c] for c in REQUIRED_COLUMNS]
    with_receipt = "received_at" in names
    if with_receipt:
        usecols.append(names["received_at"])
    try:
        df = pd.read_csv(p, usecols=usecols, keep_default_na=False, na_filter=False,
                         compression="infer",
                         dtype={names["occurred_at"]: str, names["offence_type"]: str,
                                **({names["received_at"]: str} if with_receipt else {})})
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, EOFError, ValueError) as exc:
        raise EventFileError(f"not a readable CSV ({exc})", path=spath) from exc
    df = df.rename(columns={names[c]: c for c in
                            [*REQUIRED_COLUMNS, *(["received_at"] if with_receipt else [])]})
    days = _parse_dates(df["occurred_at"], spath)
    known = None
    if with_receipt:  # a blank receipt: not known later than the event itself
        raw = df["received_at"].astype(str).str.strip()
        given = (raw != "").to_numpy()
        known = days.copy()
        if given.any():
            rows = np.flatnonzero(given)
            try:
                parsed = _parse_dates(raw[given].reset_index(drop=True), spath, "received_at")
            except EventFileError as exc:  # name the file's row, not the subset's
                raise EventFileError(exc.message, row=int(rows[exc.row - 1]) + 1,
                                     column="received_at", path=spath) from None
            known[given] = parsed
    lat = _parse_coord(df["lat"], "lat", -90.0, 90.0, spath)
    lon = _parse_coord(df["lon"], "lon", -180.0, 180.0, spath)
    otype = df["offence_type"].str.strip().to_numpy(dtype=object)
    empty = otype == ""
    if empty.any():
        raise EventFileError("empty offence type", row=_first_bad(empty) + 1,
                             column="offence_type", path=spath)
    x, y, crs_s = project(lat, lon, crs)
    ev = Events.from_arrays(days, lat, lon, otype, crs=crs_s, x=x, y=y, known=known)
    if offence_types is not None:
        ev = ev.of_type(offence_types)
    return ev
