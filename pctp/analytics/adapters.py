"""Adapters: the product's records (crime sources, cases, analysts' CSV files) as engine events.

A crime event is a crime source with a place, except the copies a transfer or a merge leaves
behind (the same event registered twice), plus every case that did not come from a source (a
case opened from a source is that source's event). Times are the local wall-clock time the
offence occurred (else the time it was reported, for a case its day of occurrence).
Everything is read through the scoped selectors: a user's events are those they may see.
"""

from __future__ import annotations

import datetime as dt
import gzip
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from pctp.analytics.engine.events import EventFileError, Events, load_events, to_days
from pctp.cases.selectors import case_scope, cases_of_units
from pctp.sources.selectors import countable_sources, source_scope, sources_of_units
from pctp.units.models import Unit

SOURCE_KINDS = ("all", "sources", "cases")


@dataclass
class EventTable:
    """Engine events plus, in the same (time) order, what the product filters on."""

    events: Events
    commune: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    group: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    offence: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))

    def __len__(self) -> int:
        return len(self.events)

    def take(self, mask) -> EventTable:
        return EventTable(self.events.take(mask), self.commune[mask], self.group[mask],
                          self.offence[mask])

    def filter(self, *, group: str = "", offence: str = "", start=None, end=None
               ) -> EventTable:
        mask = np.ones(len(self), dtype=bool)
        if group:
            mask &= self.group == group
        if offence:
            mask &= self.offence == offence
        if start is not None:
            mask &= self.events.days >= to_days(start)
        if end is not None:
            mask &= self.events.days < to_days(end)
        return self.take(mask)


def _local_days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return to_days(value.replace(tzinfo=None))
    return to_days(value)


def _table(rows: list[tuple], crs: str | None) -> EventTable:
    """rows: (days, known days, lat, lon, group, offence article, commune code)."""
    rows = sorted((r for r in rows if r[0] is not None), key=lambda r: r[0])
    if not rows:
        empty = Events.from_arrays([], [], [], crs=crs or analysis_crs(), known=[])
        obj = np.array([], dtype=object)
        return EventTable(empty, obj, obj.copy(), obj.copy())
    days, known, lat, lon, group, offence, commune = (list(c) for c in zip(*rows, strict=True))
    group_arr = np.array(group, dtype=object)
    known_arr = np.array([d if k is None else k for d, k in zip(days, known, strict=True)],
                         dtype=float)
    ev = Events.from_arrays(days, lat, lon, offence_type=group_arr, crs=crs or analysis_crs(),
                            known=known_arr)
    return EventTable(ev, np.array(commune, dtype=object), group_arr,
                      np.array(offence, dtype=object))


def analysis_crs() -> str:
    """UTM zone of the deployed province (48N for most of Vietnam)."""
    from pctp.analytics.engine.events import utm_crs_for
    from pctp.units.models import Commune

    c = Commune.objects.filter(province__code=settings.PCTP_PROVINCE_CODE).first()
    if c is None:
        return "EPSG:32648"
    return utm_crs_for(c.lon, c.lat).to_string()


def sources_of_unit(unit) -> QuerySet:
    """Sources registered or held by ``unit`` or a unit below it (a job has no user)."""
    return sources_of_units(Unit.objects.filter(path__startswith=unit.path).values("pk"))


def cases_of_unit(unit) -> QuerySet:
    return cases_of_units(Unit.objects.filter(path__startswith=unit.path).values("pk"))


def _entered(object_type: str, action: str) -> dict[int, dt.datetime]:
    """When each record was entered into the system, from its journal row (pk -> time)."""
    from pctp.core.models import AuditEvent

    out = {}
    for pk, at in AuditEvent.objects.filter(object_type=object_type, action=action
                                            ).values_list("object_id", "at").iterator(5000):
        if pk.isdigit():
            out[int(pk)] = at
    return out


def _latest(*values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


def source_rows(sources: QuerySet) -> list[tuple]:
    """Sources as event rows. A source is known from its receipt (``received_at``) or, if it
    was entered into the system later (a back-dated receipt), from its entry in the journal;
    an imported register keeps its own receipt times (issue 24, decision A8)."""
    qs = (countable_sources(sources.filter(lat__isnull=False, lon__isnull=False))
          .values_list("pk", "occurred_at", "received_at", "lat", "lon", "crime_group",
                       "offence__article", "commune__code"))
    entered = _entered("sources.source", "source.receive")
    return [(_local_days(occ or rec), _local_days(_latest(rec, entered.get(pk))), lat, lon,
             group or "", art or "", com or "")
            for pk, occ, rec, lat, lon, group, art, com in qs]


def case_rows(cases: QuerySet, *, without_source: bool = True) -> list[tuple]:
    """Cases as event rows; a case is known from the end of the day it was initiated, or
    from its entry in the journal if later."""
    qs = cases.filter(lat__isnull=False, lon__isnull=False)
    if without_source:
        qs = qs.filter(source__isnull=True)
    qs = qs.values_list("pk", "occurred_at", "occurred_on", "initiated_on", "lat", "lon",
                        "crime_group", "lead_offence__article", "commune__code")
    entered = _entered("cases.case", "case.initiate")
    return [(_local_days(occ or on),
             _latest(None if initiated is None else _local_days(initiated) + 1.0,
                     _local_days(entered.get(pk))),
             lat, lon, group or "", art or "", com or "")
            for pk, occ, on, initiated, lat, lon, group, art, com in qs]


def crime_events(user=None, *, unit=None, kind: str = "all", crs: str | None = None
                 ) -> EventTable:
    """The crime events ``user`` may see (or, for a background job, those of ``unit``'s
    subtree); ``kind`` is all | sources | cases."""
    if user is not None:
        sources, cases = source_scope(user), case_scope(user)
    else:
        sources, cases = sources_of_unit(unit), cases_of_unit(unit)
    if kind == "sources":
        rows = source_rows(sources)
    elif kind == "cases":
        rows = case_rows(cases, without_source=False)
    else:
        rows = source_rows(sources) + case_rows(cases)
    return _table(rows, crs)


# ----------------------------------------------------------------------------- analysts' CSV

def read_csv_upload(data: bytes, *, crs: str | None = None) -> Events:
    """Validate an uploaded CSV (``occurred_at, lat, lon, offence_type``; ``.csv`` or gzip)
    with the engine's loader: every row is read; the first bad cell raises
    :class:`EventFileError` naming its row and column."""
    suffix = ".csv.gz" if data[:2] == b"\x1f\x8b" else ".csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return load_events(path, crs=crs or analysis_crs())
        except EventFileError as exc:
            # the temporary path means nothing to the analyst
            exc.args = (str(exc).removeprefix(f"{exc.path}: "),)
            exc.path = None
            raise


def upload_table(upload, *, crs: str | None = None) -> EventTable:
    """The events of a stored upload (validated when stored); offence types stand in for
    both the group and the offence, communes are unknown."""
    data = gzip.decompress(bytes(upload.content))
    ev = read_csv_upload(data, crs=crs)
    types = ev.offence_type.astype(str)
    obj = np.asarray(types, dtype=object)
    return EventTable(ev, np.full(len(ev), "", dtype=object), obj, obj.copy())
