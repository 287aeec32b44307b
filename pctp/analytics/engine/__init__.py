"""Pure crime-analysis core (no Django): events, grids, forecasting methods, evaluation.

See :mod:`.events`, :mod:`.grid`, :mod:`.methods`, :mod:`.evaluate` and :mod:`.cli`.
"""

from .evaluate import (
    COVERAGES,
    backtest,
    events_study_area,
    fixed_map_ceiling,
    rank_cells,
    window_metrics,
    window_starts,
)
from .events import EventFileError, Events, load_events, project, to_days, utm_crs_for
from .grid import H3Grid, SquareGrid
from .methods import (
    CLASSIC_METHODS,
    METHOD_NAMES,
    Ensemble,
    GradientBoostingForecast,
    GridSEPP,
    Method,
    NaiveCounts,
    ProspectiveHotspot,
    RetrospectiveKDE,
    make_methods,
)

__all__ = [
    "CLASSIC_METHODS", "COVERAGES", "METHOD_NAMES", "Ensemble", "EventFileError", "Events",
    "GradientBoostingForecast", "GridSEPP", "H3Grid", "Method", "NaiveCounts", "fixed_map_ceiling",
    "ProspectiveHotspot", "RetrospectiveKDE", "SquareGrid", "backtest", "load_events",
    "events_study_area", "make_methods", "project", "rank_cells", "to_days", "utm_crs_for", "window_metrics",
    "window_starts",
]
