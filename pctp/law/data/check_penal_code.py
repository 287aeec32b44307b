"""Self-check for penal_code.json (plain Python, no Django).

Run:  python pctp/law/data/check_penal_code.py
Exits non-zero with a message on the first failed check.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).with_name("penal_code.json")

# Chapter ranges of the special part (docs: /work/shared/DOMAIN.md section 2).
DOMAIN_CHAPTERS = {
    "XIII": (108, 122), "XIV": (123, 156), "XV": (157, 167), "XVI": (168, 180),
    "XVII": (181, 187), "XVIII": (188, 234), "XIX": (235, 246), "XX": (247, 259),
    "XXI": (260, 329), "XXII": (330, 351), "XXIII": (352, 366), "XXIV": (367, 391),
    "XXV": (392, 420), "XXVI": (421, 425),
}
PENALTIES = {"fine", "non_custodial", "prison", "life", "death"}


def expected_severity(penalty, years):
    """PC Art. 9, applied to the top of a bracket."""
    if penalty in ("fine", "non_custodial"):
        return "less_serious"
    if penalty in ("life", "death"):
        return "especially_serious"
    if years <= 3:
        return "less_serious"
    if years <= 7:
        return "serious"
    if years <= 15:
        return "very_serious"
    if years <= 20:
        return "especially_serious"
    raise AssertionError(f"prison term above 20 years: {years}")


def article_number(a):
    m = re.fullmatch(r"(\d+)([a-z]?)", a)
    assert m, f"bad article id {a!r}"
    return int(m.group(1)), m.group(2)


def check_clause(art, cl):
    where = f"Art. {art['article']} cl. {cl.get('clause')}"
    assert isinstance(cl.get("clause"), int) and cl["clause"] >= 1, where
    pen = cl.get("max_penalty")
    assert pen in PENALTIES, f"{where}: max_penalty {pen!r}"
    if pen == "prison":
        y = cl.get("max_years")
        assert isinstance(y, (int, float)) and 0 < y <= 20, f"{where}: max_years {y!r}"
    else:
        assert "max_years" not in cl, f"{where}: max_years only for prison"
    sev = expected_severity(pen, cl.get("max_years"))
    assert cl.get("severity") == sev, f"{where}: severity {cl.get('severity')!r}, expected {sev!r}"
    amended = cl.get("amended")
    if amended:
        apen = amended["max_penalty"]
        assert apen in PENALTIES, where
        assert amended["severity"] == expected_severity(apen, amended.get("max_years")), where


def main():
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    arts = doc["articles"]

    # 1. Every number 108..425 exactly once (plain numbers); suffixed articles unique.
    plain = Counter(a["article"] for a in arts if a["article"].isdigit())
    for n in range(108, 426):
        assert plain[str(n)] == 1, f"Art. {n} present {plain[str(n)]} times"
    assert set(plain) == {str(n) for n in range(108, 426)}, "article outside 108..425"
    ids = Counter(a["article"] for a in arts)
    dup = [k for k, v in ids.items() if v > 1]
    assert not dup, f"duplicate articles: {dup}"
    order = [article_number(a["article"]) for a in arts]
    assert order == sorted(order), "articles not in code order"

    # 2. Chapters match DOMAIN.md and every article sits in its chapter's range.
    chapters = {c["number"]: c for c in doc["chapters"]}
    assert set(chapters) == set(DOMAIN_CHAPTERS), "chapter set differs from DOMAIN.md"
    for num, (first, last) in DOMAIN_CHAPTERS.items():
        c = chapters[num]
        assert (c["first"], c["last"]) == (first, last), f"chapter {num}: {c['first']}-{c['last']}"
        for s in c.get("sections", []):
            assert first <= s["first"] <= s["last"] <= last, f"chapter {num} section {s['number']}"
    prev_last = 107
    for c in doc["chapters"]:
        assert c["first"] == prev_last + 1, f"gap/overlap before chapter {c['number']}"
        prev_last = c["last"]
    assert prev_last == 425

    for a in arts:
        n, _ = article_number(a["article"])
        c = chapters[a["chapter"]]
        assert c["first"] <= n <= c["last"], f"Art. {a['article']} not in chapter {a['chapter']}"
        secs = [s for s in c.get("sections", []) if s["first"] <= n <= s["last"]]
        want = secs[0]["title"] if secs else None
        assert a["section"] == want, f"Art. {a['article']}: section {a['section']!r}, expected {want!r}"
        assert isinstance(a["verified"], bool) and isinstance(a["repealed"], bool)
        assert a["title"], f"Art. {a['article']} has no title"

        # 3. Clauses: repealed -> none; offences -> at least one; severity per Art. 9.
        if a["repealed"]:
            assert a["clauses"] == [], f"repealed Art. {a['article']} has clauses"
            continue
        if a.get("offence", True):
            assert a["clauses"], f"Art. {a['article']} has no clause"
            assert a["title"].startswith("Tội "), f"Art. {a['article']} title"
        else:
            assert a["clauses"] == [], f"non-offence Art. {a['article']} has clauses"
        nums = [cl["clause"] for cl in a["clauses"]]
        assert nums == sorted(set(nums)), f"Art. {a['article']}: clause numbers {nums}"
        for cl in a["clauses"]:
            check_clause(a, cl)

    # 4. Spot checks against the text (Law 12/2017 version).
    by = {a["article"]: a for a in arts}

    def tops(art):
        return [(cl["clause"], cl["max_penalty"], cl.get("max_years"), cl.get("preparation", False))
                for cl in by[art]["clauses"]]

    assert tops("123") == [(1, "death", None, False), (2, "prison", 15, False), (3, "prison", 5, True)]
    assert tops("134") == [(1, "prison", 3, False), (2, "prison", 6, False), (3, "prison", 10, False),
                           (4, "prison", 14, False), (5, "life", None, False), (6, "prison", 2, True)]
    assert tops("168") == [(1, "prison", 10, False), (2, "prison", 15, False), (3, "prison", 20, False),
                           (4, "life", None, False), (5, "prison", 5, True)]
    assert tops("173") == [(1, "prison", 3, False), (2, "prison", 7, False), (3, "prison", 15, False),
                           (4, "prison", 20, False)]
    assert tops("174")[-1] == (4, "life", None, False)
    assert tops("251")[-1] == (4, "death", None, False)
    assert tops("321") == [(1, "prison", 3, False), (2, "prison", 7, False)]
    assert tops("318") == [(1, "prison", 2, False), (2, "prison", 7, False)]
    assert tops("353")[-1] == (4, "death", None, False)
    assert tops("354")[-1] == (4, "death", None, False)
    assert tops("364")[-1] == (4, "prison", 20, False)
    assert tops("260")[:3] == [(1, "prison", 5, False), (2, "prison", 10, False), (3, "prison", 15, False)]
    assert by["292"]["repealed"] is True

    n_cl = sum(len(a["clauses"]) for a in arts)
    print(f"OK: {len(arts)} articles, {n_cl} clauses, "
          f"{sum(a['verified'] for a in arts)} verified, "
          f"{sum(a['repealed'] for a in arts)} repealed, "
          f"{sum(not a.get('offence', True) for a in arts)} non-offence provisions")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
