"""Disclosure control for the public crime statistics: controlled rounding to base 5.

Everything the portal publishes about crime counts (the statistics page, its map, the CSV
export and the API) comes from `published_statistics()`, so that no two of them can
disagree and none shows an exact count (issue 16, finding 15).

The rule, row by row (one row = one commune, one cell = one crime group):

* every published cell and total is a multiple of 5 and differs from the true count by
  less than 5 (a true multiple of 5 is shown as it is; a true 0 always shows 0, so a 1 to 4
  may show 0 or 5 and a shown 0 never proves an exact zero);
* the published cells of a row add up exactly to its published total (additive), and the
  province row is the sum of the published communes (nothing in it comes from exact data);
* the rounding is unbiased: a cell with residue r (its count mod 5) rounds up with
  probability r/5, so its expected published value is its true value;
* the random choices are keyed (an HMAC of settings.SECRET_KEY with the period and the
  commune, and the crime group for the order of the cells): the same figures give the same
  numbers on every reload, so reloading and averaging learns nothing, and without the key
  nobody can predict which way a cell went.

How a row is rounded (systematic sampling, the classic unbiased controlled rounding of one
row): the cells are put in a keyed random order and their residues laid end to end; a
keyed start s in 0..4 is drawn; a cell rounds up when a multiple of 5 falls in its stretch
(s + before, s + before + r]. Each cell then rounds up for exactly r of the 5 starts, and
the number of cells that round up is R // 5 or R // 5 + 1 (R = sum of the residues), which
is exactly what makes the cells add up to the total rounded to one of its two adjacent
multiples of 5.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _

BASE = 5
RULE = _("Every number is rounded up or down to a multiple of 5 (less than 5 from the true "
         "count), with control: each row's total equals the sum of its cells and the "
         "province row is the sum of the communes, so that nobody can work out a small "
         "count; a 0 may be anything from 0 to 4.")


def controlled_round(cells: Sequence[int], *, start: int, order: Sequence[int]) -> list[int]:
    """The cells rounded to multiples of 5, adding up to their total rounded to one of its two
    adjacent multiples of 5. `start` (0..4) and `order` (a permutation of the cells'
    positions) are the random choices; see the module's docstring."""
    if not 0 <= start < BASE:
        raise ValueError("start must be in 0..4")
    if sorted(order) != list(range(len(cells))):
        raise ValueError("order must be a permutation of the cells' positions")
    if any(c < 0 for c in cells):
        raise ValueError("counts are never negative")
    out = [c - c % BASE for c in cells]
    before = start
    for i in order:
        after = before + cells[i] % BASE
        if after // BASE > before // BASE:
            out[i] += BASE
        before = after
    return out


def _draw(label: str) -> int:
    key = settings.SECRET_KEY.encode()
    return int.from_bytes(hmac.new(key, label.encode(), hashlib.sha256).digest(), "big")


def round_row(cells: Mapping[str, int], *, period: str, commune: str) -> tuple[int, dict[str, int]]:
    """A commune's row (crime group -> true count) as published: (total, cells).

    The start is keyed by the period and the commune, the order of the cells by the period,
    the commune and the crime group: the same row of the same period always comes out the
    same."""
    names = list(cells)
    start = _draw(f"pctp:public-statistics|{period}|{commune}") % BASE
    order = sorted(range(len(names)),
                   key=lambda i: _draw(f"pctp:public-statistics|{period}|{commune}|{names[i]}"))
    rounded = controlled_round([cells[n] for n in names], start=start, order=order)
    published = dict(zip(names, rounded, strict=True))
    return sum(rounded), published


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    total: int
    groups: dict[str, int]


@dataclass(frozen=True)
class Published:
    """The public statistics as published: nothing in here is an exact count."""

    start: date
    end: date
    groups: list[tuple[str, str]]  # (crime group code, label)
    communes: list[Row]
    province: Row
    base: int = BASE
    rule: str = field(default_factory=lambda: str(RULE))

    def totals(self) -> dict[str, int]:
        """Published total per commune code (what the map shows)."""
        return {r.code: r.total for r in self.communes}


def published_statistics(*, province_code: str, today: date | None = None) -> Published:
    """The crime sources of the last 12 full months per commune and crime group, after
    controlled rounding. The only way the portal publishes these counts."""
    from pctp.law.models import CrimeGroup
    from pctp.portal.selectors import public_statistics
    from pctp.units.models import Province

    exact = public_statistics(province_code=province_code, today=today)
    period = f"{exact['start'].isoformat()}/{exact['end'].isoformat()}"
    groups = [(code, str(label)) for code, label in CrimeGroup.choices]
    rows = []
    for code, info in exact["communes"].items():
        total, cells = round_row({g: info["cells"].get(g, 0) for g, _label in groups},
                                 period=period, commune=code)
        rows.append(Row(code=code, name=info["name"], total=total, groups=cells))
    rows.sort(key=lambda r: (r.name, r.code))
    column = {g: sum(r.groups[g] for r in rows) for g, _label in groups}
    province = Province.objects.filter(code=province_code).values_list("name", flat=True).first()
    return Published(start=exact["start"], end=exact["end"], groups=groups, communes=rows,
                     province=Row(code=province_code, name=province or province_code,
                                  total=sum(r.total for r in rows), groups=column))
