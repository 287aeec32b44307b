"""Disclosure control of the public crime statistics (issue 16, finding 15).

The finding: with counts under 5 shown as "<5" and everything else exact, a row with one
suppressed cell gives it away by subtraction (Xã Lộc Ninh: 40 = 38 + "<5" + zeros, so drugs
= 2). Now every published number is rounded to a multiple of 5 with control (each row adds
up to its published total). These tests check the rounding by hand, then play the
attacker: from everything the page, the CSV, the API and the map publish, bound every small
count with an integer program and check that none can be pinned down.
"""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import datetime, time, timedelta
from itertools import count, permutations

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone
from scipy.optimize import linprog

from pctp.law.models import CrimeGroup
from pctp.portal.disclosure import BASE, controlled_round, round_row
from pctp.sources.models import Source
from pctp.units.models import Commune, Unit

GROUPS = list(CrimeGroup.values)
_numbers = count(700000)


def floor5(n: int) -> int:
    return n - n % 5


def ceil5(n: int) -> int:
    return n if n % 5 == 0 else floor5(n) + 5


# ------------------------------------------------------------------ the rounding, by hand


def test_the_findings_row_by_hand_for_every_start():
    """38 and 2 (residues 3 and 2), laid out in this order from start s: the first cell's
    stretch is (s, s+3], the second's (s+3, s+5]; a cell rounds up when a multiple of 5 lies
    in its stretch."""
    expected = {0: [35, 5], 1: [35, 5], 2: [40, 0], 3: [40, 0], 4: [40, 0]}
    for start, want in expected.items():
        assert controlled_round([38, 2], start=start, order=[0, 1]) == want
    # The other order: the second cell's stretch is (s, s+2], the first's (s+2, s+5].
    expected = {0: [40, 0], 1: [40, 0], 2: [40, 0], 3: [35, 5], 4: [35, 5]}
    for start, want in expected.items():
        assert controlled_round([38, 2], start=start, order=[1, 0]) == want


def test_a_row_of_small_counts_by_hand():
    """1+1+1+1+1+0+7+10 = 22: residues 1,1,1,1,1,0,2,0 (sum 7), so the row shows 20 or 25."""
    row = [1, 1, 1, 1, 1, 0, 7, 10]
    order = list(range(8))
    # Start 0: stretches (0,1] (1,2] (2,3] (3,4] (4,5] - (5,7] -: only the fifth holds 5.
    assert controlled_round(row, start=0, order=order) == [0, 0, 0, 0, 5, 0, 5, 10]
    # Start 3: (3,4] (4,5] (5,6] (6,7] (7,8] - (8,10] -: the second and the seventh.
    assert controlled_round(row, start=3, order=order) == [0, 5, 0, 0, 0, 0, 10, 10]
    # A row already made of multiples of 5 is shown as it is, whatever the start.
    for start in range(5):
        assert controlled_round([0, 5, 40, 0], start=start, order=[3, 1, 0, 2]) == [0, 5, 40, 0]


def _check_row(true: list[int], shown: list[int]):
    total = sum(true)
    assert all(v % BASE == 0 for v in shown)
    assert all(abs(v - c) < BASE for v, c in zip(shown, true, strict=True))
    assert all(v == 0 for v, c in zip(shown, true, strict=True) if c == 0)
    assert all(v == c for v, c in zip(shown, true, strict=True) if c % BASE == 0)
    assert sum(shown) in {floor5(total), ceil5(total)}
    if total % BASE == 0:
        assert sum(shown) == total


def test_every_rounding_is_a_controlled_rounding_and_unbiased():
    """Any row, any order, every start: multiples of 5, less than 5 off, zeros stay zero,
    multiples stay, the row adds up to its total rounded either way; and over the five
    starts each cell's mean is exactly its true count (it rounds up r times in 5)."""
    rng = random.Random(15)
    rows = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 7, 12, 38, 41]) for _ in range(8)]
            for _ in range(300)]
    rows += [[38, 2, 0, 0, 0, 0, 0, 0], [4, 4, 4, 4, 4, 4, 4, 4], [0] * 8, [1]]
    for row in rows:
        order = list(range(len(row)))
        rng.shuffle(order)
        outcomes = [controlled_round(row, start=s, order=order) for s in range(BASE)]
        for shown in outcomes:
            _check_row(row, shown)
        for i, c in enumerate(row):
            assert sum(o[i] for o in outcomes) == BASE * c


def test_the_rounding_refuses_nonsense():
    with pytest.raises(ValueError):
        controlled_round([1, 2], start=5, order=[0, 1])
    with pytest.raises(ValueError):
        controlled_round([1, 2], start=0, order=[0, 0])
    with pytest.raises(ValueError):
        controlled_round([-1, 2], start=0, order=[0, 1])


def test_keyed_rows_are_deterministic_and_follow_the_key(settings):
    cells = dict(zip(GROUPS, [38, 0, 0, 2, 0, 0, 0, 0], strict=True))
    first = round_row(cells, period="2025-05-01/2026-05-01", commune="25459")
    for _ in range(5):
        assert round_row(cells, period="2025-05-01/2026-05-01", commune="25459") == first
    total, shown = first
    assert total == sum(shown.values()) == 40
    _check_row(list(cells.values()), list(shown.values()))

    # Over many communes and periods both outcomes happen, at about the true rates: the drugs
    # cell (2) shows 5 two times in five, the other (38) shows 40 three times in five.
    draws = [round_row(cells, period=f"p{k % 24}", commune=f"{k:05d}")[1] for k in range(3000)]
    up = sum(d["drugs"] == 5 for d in draws) / len(draws)
    assert abs(up - 0.4) < 0.05
    assert all(d["drugs"] + d["social_order"] == 40 for d in draws)

    # Another key gives other draws: nobody without the key can tell which way a cell went.
    before = [round_row(cells, period="p", commune=f"{k:05d}") for k in range(200)]
    settings.SECRET_KEY = "another key entirely"
    after = [round_row(cells, period="p", commune=f"{k:05d}") for k in range(200)]
    assert before != after


# ------------------------------------------------------------------ the attacker


def attacker_range(rows: list[dict], target: tuple[int, str]) -> tuple[int, int]:
    """What an attacker can infer about one true cell from published rows, knowing the rule:
    every true cell c is an integer with |c - shown| < 5 and c >= 0; every row's true sum is
    within 5 of its shown total. (The province row is the sum of the shown rows: it adds
    nothing the rows do not say.) Returns the least and the greatest feasible value."""
    index = {(r, g): k for k, (r, g) in enumerate(
        (r, g) for r in range(len(rows)) for g in rows[r]["cells"])}
    bounds = []
    for r, row in enumerate(rows):
        for g, v in row["cells"].items():
            assert index[(r, g)] == len(bounds)
            bounds.append(v)
    a_ub, b_ub = [], []
    for r, row in enumerate(rows):
        line = np.zeros(len(index))
        for g in row["cells"]:
            line[index[(r, g)]] = 1
        lo, hi = row["total_bounds"]
        a_ub += [line, -line]
        b_ub += [hi, -lo]
    var_bounds = [tuple(b) for b in bounds]
    out = []
    for sign in (1, -1):
        objective = np.zeros(len(index))
        objective[index[target]] = sign
        result = linprog(objective, A_ub=np.array(a_ub), b_ub=np.array(b_ub),
                         bounds=var_bounds, integrality=np.ones(len(index)), method="highs")
        assert result.status == 0, result.message
        out.append(round(sign * result.fun))
    return out[0], out[1]


def rounded_knowledge(published_rows: list[dict]) -> list[dict]:
    """The attacker's constraints from rows published under controlled rounding."""
    return [{"cells": {g: (max(0, v - 4), v + 4) for g, v in row["groups"].items()},
             "total_bounds": (max(0, row["total"] - 4), row["total"] + 4)}
            for row in published_rows]


def old_publish(cells: dict[str, int]) -> dict:
    """The rule of the finding: counts under 5 shown as "<5", everything else exact."""
    return {"total": str(sum(cells.values())),
            "groups": {g: "<5" if 0 < n < 5 else str(n) for g, n in cells.items()}}


def old_knowledge(published: dict) -> dict:
    return {"cells": {g: (1, 4) if v == "<5" else (int(v), int(v))
                      for g, v in published["groups"].items()},
            "total_bounds": (int(published["total"]), int(published["total"]))}


def unpinned(lo: int, hi: int) -> bool:
    """A small count is safe when the attacker is left with more than one value, one of
    them a 0 or 5 or more (so neither "there were some" nor "fewer than 5" is certain)."""
    return lo < hi and (lo == 0 or hi >= BASE)


def test_the_findings_row_is_recovered_under_the_old_rule_but_not_under_the_new():
    true = dict(zip(GROUPS, [38, 0, 0, 2, 0, 0, 0, 0], strict=True))
    assert old_publish(true)["groups"]["drugs"] == "<5"
    lo, hi = attacker_range([old_knowledge(old_publish(true))], (0, "drugs"))
    assert lo == hi == 2  # recovered by subtraction: 40 - 38

    # Under controlled rounding, every way the keyed draws can go leaves it open.
    names = list(true)
    for order in permutations(range(len(names)), 2):
        full = list(order) + [i for i in range(len(names)) if i not in order]
        for start in range(BASE):
            shown = controlled_round(list(true.values()), start=start, order=full)
            published = {"total": sum(shown), "groups": dict(zip(names, shown, strict=True))}
            lo, hi = attacker_range(rounded_knowledge([published]), (0, "drugs"))
            assert unpinned(lo, hi), (shown, lo, hi)
            assert lo <= 2 <= hi


# ------------------------------------------------------------------ the published surfaces


def make_source(commune: Commune, group: str, when: datetime, *, status: str = "verifying"):
    unit = Unit.objects.get(code="P80-CA-CSDT")
    n = next(_numbers)
    return Source(unit=unit, holder=unit, register_year=when.year, register_number=n,
                  kind="crime_report", channel="in_person", received_at=when,
                  holder_received_at=when, summary=f"Nguồn tin {n}", content="Nội dung",
                  reporter_type="person", clock_start=when.date(), due_date=when.date(),
                  commune=commune, crime_group=group, status=status)


@pytest.fixture
def demo_like(db):
    """Sources of last month in twelve communes, like the demo's: mostly social order, a few
    of each other group, many small counts; one commune is the finding's (38 social order,
    2 drugs, total 40). Returns the true counts per commune code and group, as built here."""
    tz = timezone.get_current_timezone()
    when = datetime.combine(timezone.localdate().replace(day=1) - timedelta(days=12), time(10),
                            tzinfo=tz)
    communes = list(Commune.objects.filter(province__code="80").order_by("code")[:13])
    rng = random.Random(2026)
    true: dict[str, dict[str, int]] = {}
    weights = {"social_order": 14, "economic": 4, "corruption": 1, "drugs": 3,
               "environment": 1, "high_tech": 3, "national_security": 0, "other": 1}
    for commune in communes[:11]:
        true[commune.code] = {g: rng.choice([0, 0, 1, 2, 3, w, w * 2]) if w else 0
                              for g, w in weights.items()}
    finding = communes[11]
    true[finding.code] = {g: 0 for g in GROUPS} | {"social_order": 38, "drugs": 2}
    rows = []
    for commune in communes[:12]:
        for group, n in true[commune.code].items():
            rows += [make_source(commune, group, when) for _ in range(n)]
    # Never counted: merged or transferred copies, unclassified sources, this month's.
    quiet = communes[12]
    rows += [make_source(quiet, "drugs", when, status="merged") for _ in range(3)]
    rows += [make_source(quiet, "drugs", when, status="transferred") for _ in range(3)]
    rows += [make_source(quiet, "", when) for _ in range(3)]
    rows += [make_source(quiet, "drugs", timezone.now()) for _ in range(3)]
    Source.objects.bulk_create(rows)
    true[quiet.code] = {g: 0 for g in GROUPS}
    return {"true": true, "finding": finding.code}


def page_rows(html: str) -> dict[str, dict]:
    rows = {}
    for code, body in re.findall(r'<tr data-commune="([^"]+)">(.*?)</tr>', html, re.S):
        numbers = [int(n) for n in re.findall(r"<t[dh]>(?:<strong>)?(\d+)", body)]
        rows[code] = {"total": numbers[0], "groups": dict(zip(GROUPS, numbers[1:], strict=True))}
    return rows


def map_values(html: str) -> dict[str, int]:
    """The map's numbers: each commune's <title> ("Name: n") in the page's SVG."""
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"<title>([^<:]+): (\d+)</title></path>", html)}


def csv_rows(content: bytes) -> tuple[list[str], dict[str, dict]]:
    assert content.startswith("\ufeff".encode())
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    header = next(reader)
    rows = {}
    for line in reader:
        rows[line[0]] = {"name": line[1], "total": int(line[2]),
                         "groups": dict(zip(GROUPS, map(int, line[3:]), strict=True))}
    return header, rows


def test_page_map_csv_and_api_agree_and_no_small_count_can_be_recovered(demo_like):
    true = demo_like["true"]
    client = Client()
    page = client.get("/cong-dan/thong-ke/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    html = page.content.decode()
    shown = page_rows(html)
    exported = client.get("/cong-dan/thong-ke.csv")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    header, from_csv = csv_rows(exported.content)
    assert header[:3] == ["Mã xã, phường", "Xã, phường", "Tổng số"]
    assert "ma túy" in header  # the crime groups in Vietnamese
    api = client.get("/api/v1/portal/statistics/")
    assert api.status_code == 200
    data = api.json()

    # One row per commune of the province (a commune without reports is listed with zeros,
    # so a missing row never says "exactly none"), the same numbers everywhere.
    communes = dict(Commune.objects.filter(province__code="80").values_list("code", "name"))
    province = shown.pop("province")
    assert set(shown) == set(communes)
    from_api = {r["code"]: r for r in data["communes"]}
    assert set(from_api) == set(communes)
    assert [g["code"] for g in data["groups"]] == GROUPS
    for code, row in shown.items():
        assert from_api[code]["total"] == row["total"] == from_csv[code]["total"]
        assert from_api[code]["groups"] == row["groups"] == from_csv[code]["groups"]
    assert data["province"]["total"] == province["total"] == from_csv["80"]["total"]
    assert data["province"]["groups"] == province["groups"] == from_csv["80"]["groups"]
    assert map_values(html) == {communes[c]: r["total"] for c, r in shown.items()}
    assert data["base"] == BASE and data["rule"] in html

    # Each number is a rounding of the true count; rows add up; the province row is the sum
    # of the published rows, not a separate count.
    for code, row in shown.items():
        cells = true.get(code, {g: 0 for g in GROUPS})
        _check_row([cells[g] for g in GROUPS], [row["groups"][g] for g in GROUPS])
        assert row["total"] == sum(row["groups"].values())
    for g in GROUPS:
        assert province["groups"][g] == sum(r["groups"][g] for r in shown.values())
    assert province["total"] == sum(r["total"] for r in shown.values())
    assert shown[demo_like["finding"]]["total"] == 40
    assert all(v == 0 for v in shown[list(true)[-1]]["groups"].values())

    # The attacker: every true count from 1 to 4 against everything published.
    codes = sorted(shown)
    knowledge = rounded_knowledge([shown[c] for c in codes])
    targets = [(codes.index(c), g) for c, cells in true.items() for g, n in cells.items()
               if 1 <= n <= 4]
    assert len(targets) >= 10
    assert (codes.index(demo_like["finding"]), "drugs") in targets
    for target in targets:
        lo, hi = attacker_range(knowledge, target)
        n = true[codes[target[0]]][target[1]]
        assert lo <= n <= hi
        assert unpinned(lo, hi), (codes[target[0]], target[1], n, lo, hi)

    # The same figures under the old rule: the finding's commune gives its 2 away.
    old = old_knowledge(old_publish(true[demo_like["finding"]]))
    assert attacker_range([old], (0, "drugs")) == (2, 2)


def test_reloading_gives_the_same_numbers(demo_like):
    client = Client()
    first = client.get("/api/v1/portal/statistics/").json()
    assert client.get("/api/v1/portal/statistics/").json() == first
    assert page_rows(client.get("/cong-dan/thong-ke/").content.decode()) == \
        page_rows(client.get("/cong-dan/thong-ke/").content.decode())


def test_the_page_states_the_rule_in_both_languages(demo_like):
    vi = Client().get("/cong-dan/thong-ke/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "làm tròn" in vi and "bội số của 5" in vi and "0 đến 4" in vi
    assert "&lt;5" not in vi
    english = Client()
    english.cookies["django_language"] = "en"
    en = english.get("/cong-dan/thong-ke/").content.decode()
    assert "rounded up or down to a multiple of 5" in en
    assert english.get("/api/v1/portal/statistics/").json()["rule"] in en


def test_the_statistics_api_is_public_read_only_throttled_and_documented(demo_like, monkeypatch):
    from django.core.management import call_command

    from pctp.portal.api import PortalThrottle

    client = Client()
    assert Client(REMOTE_ADDR="10.0.0.9").post("/api/v1/portal/statistics/", {}).status_code == 405
    monkeypatch.setattr(PortalThrottle, "rate", 2)
    codes = [client.get("/api/v1/portal/statistics/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/portal/statistics/"]["get"]
    assert "200" in operation["responses"]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
