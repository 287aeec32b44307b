"""Reads of the analysis app, scoped to who asks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.analytics import adapters, maps
from pctp.analytics.engine import emerging, network
from pctp.analytics.engine.evaluate import rank_cells
from pctp.analytics.engine.events import to_days
from pctp.analytics.engine.methods import NaiveCounts, RetrospectiveKDE
from pctp.analytics.models import EventUpload, Forecast
from pctp.cases.selectors import accused_in, case_scope, group_memberships
from pctp.law.models import CrimeGroup, Offence
from pctp.units.models import Commune
from pctp.units.selectors import communes_in_scope, units_in_scope

# ----------------------------------------------------------------------------- forecasts


def forecast_scope(user) -> QuerySet[Forecast]:
    """Forecasts made for a unit the user may see (a commune's officers do not see the
    province's forecast: its cells come from records outside their scope)."""
    return Forecast.objects.filter(scope__in=units_in_scope(user).values("pk")
                                   ).select_related("scope", "created_by")


def forecast_current(*, user, horizon: str, crime_group: str = "") -> Forecast | None:
    """The latest finished forecast of that horizon and group in the user's scope."""
    return (forecast_scope(user).filter(horizon=horizon, crime_group=crime_group,
                                        status=Forecast.State.DONE)
            .order_by("-starts_on", "-finished_at", "-id").first())


def upload_scope(user) -> QuerySet[EventUpload]:
    return EventUpload.objects.filter(scope__in=units_in_scope(user).values("pk")
                                      ).select_related("created_by").defer("content")


# ----------------------------------------------------------------------------- hotspots

@dataclass
class Hotspots:
    cells: list[dict]
    grid: dict
    n_events: int
    n_outside: int
    n_cells: int
    points: tuple[np.ndarray, np.ndarray]


def hotspots(*, user, source: str = "all", upload: EventUpload | None = None,
             crime_group: str = "", offence: str = "", start: date | None = None,
             end: date | None = None, method: str = "kde", cell_size_m: int = 500,
             bandwidth_m: float | None = None) -> Hotspots:
    """Where the events of ``[start, end]`` concentrated: kernel density (``kde``, Gaussian,
    bandwidth = the cell size unless given, no time decay) or plain counts per cell
    (``cells``). Returns the top 10% of the area with their rank class."""
    if upload is not None:
        table = adapters.upload_table(upload)
        if crime_group:
            table = table.filter(group=crime_group)
    else:
        table = adapters.crime_events(user, kind=source)
        table = table.filter(group=crime_group, offence=offence)
    end_excl = None if end is None else to_days(end) + 1.0
    table = table.filter(start=start, end=end_excl)
    ev = table.events
    grid = maps.province_grid(ev.crs, cell_size_m, ev)
    inside = grid.assign(ev)
    t = end_excl if end_excl is not None else (float(ev.days[-1]) + 1 if len(ev) else 0.0)
    if method == "cells":
        model = NaiveCounts(grid, window_days=None)
    else:
        model = RetrospectiveKDE(grid, bandwidth_m=bandwidth_m or float(cell_size_m),
                                 half_life_days=None, window_days=None)
    model.fit(inside, t)
    scores = model.score()
    counts = grid.counts(inside.cell)
    cells = maps.top_cells(grid, scores, rank_cells(scores), counts=counts)
    coded = maps.commune_of(np.array([c["lat"] for c in cells]),
                            np.array([c["lon"] for c in cells]))
    for row, (code, name) in zip(cells, coded, strict=True):
        row["commune"], row["commune_name"] = code, name
    return Hotspots(cells=cells, grid=maps.grid_description(grid), n_events=len(ev),
                    n_outside=len(ev) - len(inside), n_cells=grid.n_cells,
                    points=(ev.lat, ev.lon))


# ----------------------------------------------------------------------------- emerging types

def month_index(days: np.ndarray) -> np.ndarray:
    m = np.asarray(days, dtype=float).astype("datetime64[D]").astype("datetime64[M]")
    return m.astype(np.int64)  # months since 1970-01


def month_label(index: int) -> str:
    d = np.datetime64(int(index), "M").astype(object)
    return f"{d.month:02d}/{d.year}"


def last_complete_month(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return int(np.datetime64(today, "M").astype(np.int64)) - 1


def history_start(months: np.ndarray, share: float = 0.25) -> int:
    """The first month of usable history: the first whose count reaches ``share`` of the
    median month (earlier months hold only the odd late report of an old offence)."""
    if not months.size:
        return 0
    idx, counts = np.unique(months, return_counts=True)
    threshold = share * float(np.median(counts))
    return int(idx[np.argmax(counts >= threshold)])


def emerging_rows(table: adapters.EventTable, *, level: str = "group", month: int,
                  communes: list[Commune], **kwargs) -> list[dict]:
    """One row per (type, commune): the month's count, the expected count and the class."""
    months = month_index(table.events.days)
    start = history_start(months[months <= month])
    keep = (months >= start) & (months <= month)
    months = months[keep]
    keys = (table.group if level == "group" else table.offence)[keep]
    places = table.commune[keep]
    n_periods = month - start + 1
    series: dict = defaultdict(lambda: np.zeros(n_periods, dtype=int))
    for k, c, m in zip(keys, places, months, strict=True):
        if k and c:
            series[(k, c)][m - start] += 1
    if level == "group":
        labels = dict(CrimeGroup.choices)
        types = [g for g in CrimeGroup.values]
    else:
        seen = sorted({k for k in keys if k})
        labels = {o.article: _("Art. %(article)s. %(title)s") % {"article": o.article,
                                                                 "title": o.title}
                  for o in Offence.objects.filter(article__in=seen)}
        types = seen
    rows = []
    for k in types:
        for commune in communes:
            counts = series.get((k, commune.code))
            if counts is None:
                counts = np.zeros(n_periods, dtype=int)
            a = emerging.assess(counts[:-1], int(counts[-1]), **kwargs)
            rows.append({"level": level, "key": k, "label": str(labels.get(k, k)),
                         "commune": commune.code, "commune_name": commune.name,
                         "history_months": n_periods - 1, **a.as_dict()})
    order = {s: i for i, s in enumerate(emerging.CLASSES)}
    rows.sort(key=lambda r: (order[r["status"]], -(r["observed"] - r["expected"]),
                             r["label"], r["commune_name"]))
    return rows


def emerging_table(*, user=None, unit=None, level: str = "group", month: int | None = None
                   ) -> tuple[list[dict], int]:
    month = last_complete_month() if month is None else month
    table = adapters.crime_events(user, unit=unit)
    if user is not None:
        communes = list(communes_in_scope(user).order_by("code"))
    else:
        communes = list(Commune.objects.filter(units__path__startswith=unit.path)
                        .distinct().order_by("code"))
    return emerging_rows(table, level=level, month=month, communes=communes), month


# ----------------------------------------------------------------------------- networks

@dataclass
class Person:
    index: str
    records: list  # Accused rows, oldest case first
    degree: float = 0.0
    betweenness: float = 0.0
    links: int = 0
    groups: list | None = None
    component: int = 0

    @property
    def first(self):
        return self.records[0]

    @property
    def label(self) -> str:
        a = self.first
        return f"{a.case.register_code} #{a.position}"


def criminal_network(*, user) -> dict:
    """People accused together in cases the user may see, with registered groups; degree
    and betweenness centrality; no identity (names are read, and logged, by the page)."""
    visible = case_scope(user).values("pk")
    rows = list(accused_in(visible))
    by_case: dict = defaultdict(list)
    people: dict[str, Person] = {}
    for a in rows:
        by_case[a.case_id].append(a.person_index)
        people.setdefault(a.person_index, Person(a.person_index, [])).records.append(a)
    memberships: dict = defaultdict(list)
    for gm in group_memberships(people):
        memberships[gm.person_index].append(gm)
    edges = network.co_accused_edges({c: ps for c, ps in by_case.items() if len(set(ps)) > 1})
    linked = {p for e in edges for p in e} | set(memberships)
    adj = network.adjacency(sorted(linked), edges.keys())
    degree = network.degree_centrality(adj)
    # Not normalised: the number of pairs of other people whose shortest links run through
    # the person reads better than a share of a mostly disconnected graph.
    between = network.betweenness_centrality(adj, normalized=False)
    comps = network.components(adj)
    comp_of = {v: i for i, comp in enumerate(comps) for v in comp}
    nodes = []
    def rank(v):
        groups = memberships.get(v, [])
        return (-between[v], -len(adj[v]), -len(people[v].records),
                -any(g.is_leader for g in groups), -len(groups), v)

    for v in sorted(adj, key=rank):
        p = people[v]
        p.degree, p.betweenness, p.links = degree[v], between[v], len(adj[v])
        p.groups = memberships.get(v, [])
        p.component = comp_of[v]
        nodes.append(p)
    return {"people": nodes, "edges": edges, "adjacency": adj, "components": comps,
            "n_cases": len(by_case)}
