"""Crime-source queues and search over 1,000,000 sources on PostgreSQL (issue 4).

    nice -n 10 .venv/bin/python -m benchmarks.sources_queues --out var/bench/sources_queues.md

Loads the sources into a dedicated database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/pctp_bench: created if missing, migrated, and refused
unless its name contains "bench", since the sources table is emptied first), then times the
queue pages exactly as the list view runs them: ``source_list(user=..., queue=...)`` through
Django's ``Paginator(…, 50).get_page(1)``, i.e. its COUNT and the first 50 rows, for an
investigator, a commune intake officer, a procurator and a provincial leader, and a search
with common words and with a rare word. Median of ``--runs`` runs after one warm-up run.

The rows follow the demo seeder's stories (``pctp.sources.demo``) and look like a province
(issue 23): from 2 January 2018 (the 2015 codes and so the limit rules start then) to today,
growing 4 % a year, with seasons (more in the months of Tết, gambling twice as often then) and
every one of the 96 communes at its own rate: a ward twice a rural commune, each commune's
size drawn log-normally (σ 0.5), and eight key areas (trọng điểm: the six busiest places and
two border communes) at 1.8 times their size's rate until their transformation began on
5 March 2025, 1.3 times after: the provincial capital's ward receives about 8 % of the
sources, the median commune 0.8 %, the quietest 0.2 %, the key areas together about 30 %. Each source gets its own text, drawn from the
story's wordings with its own names, places, times and values. Sources go where the law
sends them: received by the commune police of the commune (then forwarded within 24 hours)
or by the provincial investigation body, and security stories by the security investigation
body, which resolves them with its own investigators. To load fast the rows go in with COPY,
secondary indexes dropped and rebuilt after; reporter identities are left NULL (the queues
never read them); transfers have no accepted copy.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pctp_bench"
SEED = 4
FIRST_DAY = date(2018, 1, 2)  # the 2015 codes took effect on 1/1/2018; so do the limit rules
GROWTH = 0.04
# Months of the year relative to the mean: Tết (late January or February) and the year's end
# are busiest, the rainy months quietest.
SEASON = {1: 1.16, 2: 1.12, 3: 0.96, 4: 0.94, 5: 0.95, 6: 0.96, 7: 0.98, 8: 1.0, 9: 0.95,
          10: 0.97, 11: 1.0, 12: 1.11}
TET_MONTHS = {1, 2}
TET_STORIES = {"danh_bac": 2.2, "to_chuc_bac": 2.0, "xe_may": 1.15, "cuop_giat": 1.2}
SIZE_SIGMA = 0.5  # log-normal spread of the communes' own rates
WARD_FACTOR = 2.2
KEY_AREAS = 8  # six of the busiest places and two border communes
KEY_FACTOR = 1.8  # a key area's rate, times a commune of its size, before its transformation
KEY_FACTOR_AFTER = 1.3
KEY_FROM = date(2025, 3, 5)  # the 2025 list's transformation began (pctp.areas.demo)
SECURITY_INVESTIGATORS = 4
PAGE = 50
QUEUE_TARGET_MS = 200
SEARCH_TARGET_MS = 500
COMMON_QUERY = "trom cap xe may"
RARE_QUERY = "te te java"  # the pangolin of the wildlife story: about 1 source in 2,000
PERSONAS = [  # (label, username)
    ("investigator (dieutra, CQCSĐT)", "dieutra"),
    ("commune intake officer (tiepnhan1)", "tiepnhan1"),
    ("procurator (kiemsat.kv1, VKS KV1)", "kiemsat.kv1"),
    ("provincial leader (lanhdao)", "lanhdao"),
]
QUEUES = ["mine", "unit", "due_soon", "overdue", "procuracy"]
EXTRA_INVESTIGATORS = 40


def commune_weights(communes) -> dict[str, float]:
    """Each commune's own rate of crime, relative: a ward 2.2 times a rural commune, times a
    log-normal size factor drawn once per commune (seeded, so every benchmark agrees)."""
    rng = random.Random(SEED + 1)
    return {c.code: (WARD_FACTOR if c.kind == "phuong" else 1.0)
            * math.exp(rng.gauss(0, SIZE_SIGMA)) for c in sorted(communes, key=lambda c: c.code)}


def key_area_codes(communes) -> list[str]:
    """The key areas: the six busiest communes and the two busiest border communes."""
    from pctp.sources.demo import BORDER_COMMUNES

    weights = commune_weights(communes)
    ranked = sorted(weights, key=lambda code: (-weights[code], code))
    busiest = [c for c in ranked if c not in BORDER_COMMUNES][:KEY_AREAS - 2]
    border = [c for c in ranked if c in BORDER_COMMUNES][:2]
    return busiest + border


# ----------------------------------------------------------------------------- database

def blank_row(model) -> dict:
    """A row of `model` for COPY, its columns in order: for a NOT NULL column the value the
    ORM would write by default (the field's default, or "" for text), else None. COPY sends
    NULL for a column left None or left out, and the database keeps no default of its own:
    e.g. the `late_days` and `gap_days` counters of sources/0007 and cases/0006, which the
    generators never set."""
    return {f.column: None if f.null or (f.has_default() and callable(f.default))
            else f.get_default() for f in model._meta.concrete_fields}


def prepare_database(url: str) -> None:
    """Create the database if it does not exist (it must be a benchmark database)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to load benchmark rows into {name!r}: use a database whose "
                         "name contains 'bench'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pctp.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def reference_data() -> None:
    """The demo province, the Penal Code, the demo personas and the body's investigators."""
    from django.conf import settings

    from pctp.core.models import User
    from pctp.law.models import Offence
    from pctp.law.services import offences_load
    from pctp.sources.demo import _ensure_staff
    from pctp.units.demo import seed_people, seed_units

    seed_units()
    if not Offence.objects.exists():
        offences_load()
    password = settings.PCTP_DEMO_PASSWORD or "Bench@2026pctp"
    if not User.objects.filter(username="dieutra").exists():
        seed_people(password)
    _ensure_staff(password)
    wanted = [f"bench.dtv{n:02d}" for n in range(1, EXTRA_INVESTIGATORS + 1)]
    have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    users = []
    for username in wanted:
        if username not in have:
            user = User(username=username, full_name=f"Điều tra viên {username[-2:]}")
            user.set_unusable_password()
            users.append(user)
    User.objects.bulk_create(users)
    commune_staff()


def commune_staff() -> None:
    """An intake officer and a chief (Law 99/2025: a commune investigator) for each commune
    police, and the security investigation body's investigators, with their memberships,
    so that queues and scopes are those of a whole province."""
    from pctp.core.models import User
    from pctp.sources import demo
    from pctp.units.demo import REFORM_DATE
    from pctp.units.models import Membership, Role, Unit

    wanted = []  # (username, full name, unit, role)
    for unit in Unit.objects.filter(code__startswith=f"{demo.P}-CAX-").order_by("code"):
        code = unit.code.rsplit("-", 1)[1]
        wanted.append((f"bench.tn.{code}", f"Cán bộ tiếp nhận {code}", unit, "intake_officer"))
        wanted.append((f"bench.cax.{code}", f"Trưởng Công an {code}", unit,
                       "commune_investigator"))
    security = Unit.objects.get(code=demo.SECURITY_BODY)
    wanted += [(f"bench.an{n:02d}", f"Điều tra viên an ninh {n:02d}", security, "investigator")
               for n in range(1, SECURITY_INVESTIGATORS + 1)]
    have = set(User.objects.filter(username__in=[w[0] for w in wanted])
               .values_list("username", flat=True))
    new = []
    for username, name, _unit, _role in wanted:
        if username not in have:
            user = User(username=username, full_name=name)
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new)
    users = dict(User.objects.filter(username__in=[w[0] for w in wanted])
                 .values_list("username", "pk"))
    roles = dict(Role.objects.values_list("code", "pk"))
    held = set(Membership.objects.filter(user_id__in=users.values())
               .values_list("user_id", flat=True))
    Membership.objects.bulk_create([
        Membership(user_id=users[username], unit=unit, role_id=roles[role],
                   is_head=role == "commune_investigator", valid_from=REFORM_DATE)
        for username, _name, unit, role in wanted if users[username] not in held])


def register_key_areas() -> list[str]:
    """The eight key areas in the register, as the Steering Committee decided them on
    20/02/2025 and their transformation began on KEY_FROM, once the records they are
    measured on are loaded (their level at selection counts the cases)."""
    from pctp.areas import services as areas
    from pctp.areas.models import KeyArea
    from pctp.core.models import User
    from pctp.sources import demo
    from pctp.units.models import Commune, Unit

    communes = list(Commune.objects.filter(province__code=demo.PROVINCE))
    codes = key_area_codes(communes)
    if KeyArea.objects.filter(year=KEY_FROM.year, commune__code__in=codes).exists():
        return codes
    leader = User.objects.get(username="lanhdao")
    steering = Unit.objects.get(code=f"{demo.P}-BCD138")
    by_code = {c.code: c for c in communes}
    for n, code in enumerate(codes, start=1):
        commune = by_code[code]
        area = areas.area_select(
            actor=leader, year=KEY_FROM.year, commune=commune, name="",
            types=["social_order"], decision_number=f"{n}/QĐ-BCĐ138",
            decision_date=date(2025, 2, 20), steering_unit=steering,
            lead_unit=Unit.objects.get(code=f"{demo.P}-CAX-{code}"),
            reasons="Tội phạm trộm cắp, cờ bạc, ma túy phức tạp kéo dài.")  # i18n: data
        areas.area_start(actor=leader, area=area, on=KEY_FROM)
    return codes


# ----------------------------------------------------------------------------- generation

class Generator:
    """Rows with the demo seeder's distributions, built for COPY."""

    def __init__(self, rows: int, now: datetime):
        from django.conf import settings
        from django.db.models import Q
        from django.utils import timezone

        from pctp.core.models import User
        from pctp.law.models import Offence
        from pctp.law.selectors import fold
        from pctp.law.services import legal_calendar
        from pctp.law.timelimits import evaluate
        from pctp.sources import demo
        from pctp.sources.models import Source
        from pctp.units.models import Commune, Unit

        self.rng = random.Random(SEED)
        self.rows, self.now, self.fold = rows, now, fold
        self.years = (now.date() - FIRST_DAY).days / 365.25
        self.tz = timezone.get_current_timezone()
        self.calendar = legal_calendar()
        self.evaluate = evaluate
        self.rollover = settings.PCTP_DAY_LIMIT_ROLLOVER
        self._due: dict = {}
        self._wd: dict = {}
        self.demo = demo
        self.columns = [f.column for f in Source._meta.concrete_fields]
        self.communes = list(Commune.objects.filter(province__code=demo.PROVINCE).order_by("code"))
        self.body = Unit.objects.get(code=demo.BODY)
        self.security = Unit.objects.get(code=demo.SECURITY_BODY)
        self.commune_unit = {u.code.rsplit("-", 1)[1]: u for u in
                             Unit.objects.filter(code__startswith=f"{demo.P}-CAX-")}
        province_vks = Unit.objects.get(code=f"{demo.P}-VKS")
        self.procuracy = {}
        for unit in Unit.objects.filter(kind=Unit.Kind.REGIONAL_PROCURACY,
                                        province__code=demo.PROVINCE).prefetch_related("communes"):
            for commune in unit.communes.all():
                self.procuracy.setdefault(commune.pk, unit.pk)
        self.province_vks = province_vks.pk
        self.offences = {o.article: o for o in Offence.objects.filter(
            article__in={s.article for s in demo.STORIES}).prefetch_related("clauses")}
        self.clauses = {a: {c.clause: c for c in o.clauses.all()} for a, o in self.offences.items()}
        self.article_clauses = {a: sorted(c) for a, c in self.clauses.items()}
        today = timezone.localdate()
        self.groups = {a: (g.group if (g := o.group_on(today)) else "")
                       for a, o in self.offences.items()}
        self.folded_titles = {a: fold(o.title) for a, o in self.offences.items()}
        names = ["dieutra", *[f"dieutra{n}" for n in range(2, 8)], "thutruong",
                 *[f"bench.dtv{n:02d}" for n in range(1, EXTRA_INVESTIGATORS + 1)]]
        ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        self.investigators = [ids[n] for n in names]
        self.dieutra = ids["dieutra"]
        self.security_investigators = list(User.objects.filter(
            Q(username="dieutra.an") | Q(username__startswith="bench.an"))
            .order_by("username").values_list("pk", flat=True))
        self.stories = demo.STORIES
        self.story_cum = list(_cumulative([s.weight for s in self.stories]))
        # In the months of Tết gambling and thefts rise (TET_STORIES).
        self.tet_story_cum = list(_cumulative([s.weight * TET_STORIES.get(s.key, 1.0)
                                               for s in self.stories]))
        self.weights = commune_weights(self.communes)
        self.key_areas = set(key_area_codes(self.communes))
        self.commune_cums = {}
        for after in (False, True):
            for border in (False, True):
                self.commune_cums[after, border] = list(_cumulative([
                    self.weights[c.code]
                    * ((6 if c.code in demo.BORDER_COMMUNES else 0.4) if border else 1.0)
                    * ((KEY_FACTOR_AFTER if after else KEY_FACTOR) if c.code in self.key_areas
                       else 1.0)
                    for c in self.communes]))
        self.unit_label = {u.pk: fold(u.short_name or u.code) for u in
                           [self.body, self.security, *self.commune_unit.values()]}
        self.body_pk, self.security_pk = self.body.pk, self.security.pk
        self.commune_unit_pk = {code: u.pk for code, u in self.commune_unit.items()}
        self.blank = blank_row(Source)  # column order, for tuple(row.values())

    def pick(self, cum, items):
        return items[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def due(self, rule, start, extensions=0):
        key = (rule, start, extensions)
        if key not in self._due:
            self._due[key] = self.evaluate(rule, start=start, extensions=extensions,
                                           calendar=self.calendar, day_rollover=self.rollover)
        return self._due[key]

    def working_days(self, day, n=3):
        if day not in self._wd:
            self._wd[day] = self.calendar.add_working_days(day, n)
        return self._wd[day]

    def story(self, when: datetime):
        """A story, by weight; in the months of Tết gambling and thefts weigh more."""
        month = when.astimezone(self.tz).month
        return self.pick(self.tet_story_cum if month in TET_MONTHS else self.story_cum,
                         self.stories)

    def event(self, story, when: datetime) -> tuple:
        """One event of `story` reported at `when`: (commune, summary, content, address, lat,
        lon, folded text, value clause, occurred at), its own text and place."""
        rng, demo = self.rng, self.demo
        after = when.astimezone(self.tz).date() >= KEY_FROM
        commune = self.pick(self.commune_cums[after, story.border], self.communes)
        lo, hi = story.lag
        occurred = when - timedelta(hours=math.exp(rng.uniform(math.log(lo), math.log(hi))))
        value, clause, item = demo.story_value_clause(rng, story, self.article_clauses)
        summary, content, _who, fill = demo.story_texts(rng, story, commune, occurred, value,
                                                        item)
        address = f"{fill['hamlet']}, {demo._lower(commune.name)}"
        distance, angle = 1.5 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = commune.lat + distance * math.cos(angle) / 111.32
        lon = commune.lon + distance * math.sin(angle) / (
            111.32 * math.cos(math.radians(commune.lat)))
        folded = self.fold(" ".join([summary, content, address, commune.name]))
        return (commune, summary, content, address, round(lat, 6), round(lon, 6), folded,
                clause, occurred)

    def received_times(self) -> list[datetime]:
        rng, years = self.rng, self.years
        span = years * 365.25 * 86400
        grow = math.exp(GROWTH * years) - 1
        top = max(SEASON.values())
        out = []
        while len(out) < self.rows:
            s = math.log(1 + rng.random() * grow) / GROWTH  # years since the start, growing
            t = self.now - timedelta(seconds=max(0.0, span - s * 365.25 * 86400
                                                 - rng.uniform(0, 60)))
            if rng.random() * top < SEASON[t.astimezone(self.tz).month]:  # the season
                out.append(t)
        out.sort()
        return out

    def rows_and_requests(self):
        """Yield ('source', tuple) and ('request', dict) in id order."""
        from pctp.sources.models import Channel, Kind, Outcome, ReporterType, Status

        rng, now, demo = self.rng, self.now, self.demo
        hour = timedelta(hours=1)
        registers: Counter = Counter()
        decisions: Counter = Counter()
        channels = list(Channel.values)
        channel_w = [42, 8, 16, 10, 6, 9, 1, 0, 0]  # transfers and registers: none here
        for n, received in enumerate(self.received_times(), start=1):
            story = self.story(received)
            (commune, summary, content, address, lat, lon, folded, clause_no,
             occurred) = self.event(story, received)
            security = story.origin == demo.SEC  # the security investigation body's own
            at_commune = not security and rng.random() < story.p_commune
            unit = (self.commune_unit_pk[commune.code] if at_commune
                    else self.security_pk if security else self.body_pk)
            local_day = received.astimezone(self.tz).date()
            registers[(unit, local_day.year)] += 1
            r = rng.random()
            reporter = ReporterType.PERSON if r < 0.72 else (
                ReporterType.AGENCY if r < 0.90 else ReporterType.ANONYMOUS)
            row = self.blank.copy()
            row.update({
                "id": n, "unit_id": unit, "register_year": local_day.year,
                "register_number": registers[(unit, local_day.year)], "holder_id": unit,
                "procuracy_id": self.procuracy.get(commune.id, self.province_vks),
                "kind": (Kind.RECOMMENDATION if story.origin == demo.AG else Kind.DENUNCIATION
                         if story.origin == demo.V and reporter == ReporterType.PERSON
                         else Kind.CRIME_REPORT),
                "channel": rng.choices(channels, channel_w)[0],
                "status": Status.RECEIVED, "received_at": received,
                "holder_received_at": received,
                "occurred_at": occurred,
                "commune_id": commune.id, "address": address, "lat": lat, "lon": lon,
                "summary": summary, "content": content, "reporter_type": reporter,
                "reporter_identity": None,
                "reporter_index": (f"{rng.getrandbits(128):032x}"
                                   if reporter != ReporterType.ANONYMOUS else ""),
                "confidential": reporter != ReporterType.ANONYMOUS and rng.random() < 0.06,
                "severity": "", "crime_group": "", "urgent": False, "clock_rule": "source.resolve",
                "clock_start": local_day, "extensions": 0, "outcome": "", "decision_number": "",
                "decline_ground": "", "suspend_ground": "", "decision_note": "",
                "updated_at": received,
            })
            row["due_date"] = self.due("source.resolve", local_day).due
            requests = []
            t = received
            if at_commune:
                row["forward_due"] = received + 24 * hour
                forwarded = received + hour * rng.uniform(1, 23.5)
                if forwarded <= now:
                    row.update(holder_id=self.body_pk, holder_received_at=forwarded,
                               forwarded_at=forwarded,
                               notice_due=self.working_days(forwarded.astimezone(self.tz).date()))
                    t = forwarded
            else:
                row["notice_due"] = self.working_days(local_day)
            classified = t + hour * rng.uniform(0.5, 20)
            if row["holder_id"] in (self.body_pk, self.security_pk) and classified <= now:
                offence = self.offences[story.article]
                clause = self.clauses[story.article].get(clause_no) or next(
                    iter(self.clauses[story.article].values()))
                row.update(status=Status.CLASSIFIED, offence_id=offence.id, clause_id=clause.id,
                           severity=clause.severity, crime_group=self.groups[story.article],
                           classified_at=classified, handled_at=classified,
                           updated_at=classified)
                folded_title = self.folded_titles[story.article]
            else:
                folded_title = ""
            code = f"{row['register_number']}/{row['register_year']}/{self.unit_label[unit]}"
            row["search_text"] = " ".join(p for p in (code, folded, folded_title) if p)
            notice = t + hour * rng.uniform(2, 70)
            if row.get("notice_due") and rng.random() > 0.015 and notice <= now:
                row["procuracy_notified_at"] = notice
            if row["status"] == Status.CLASSIFIED:
                fate = rng.random()
                if fate < 0.01 and not security:  # not competent: to the security body
                    moved = classified + hour * rng.uniform(1, 12)
                    if moved <= now:
                        row.update(status=Status.TRANSFERRED, transfer_target_id=self.security_pk,
                                   updated_at=moved)
                elif fate < 0.04 and n > 100:  # a second report of an earlier event
                    merged = classified + hour * rng.uniform(1, 20)
                    if merged <= now:
                        row.update(status=Status.MERGED, merged_into_id=n - rng.randint(1, 100),
                                   updated_at=merged)
                else:
                    self.resolve(row, classified, requests)
            for request in requests:
                request["source_id"] = n
            if row["outcome"]:
                year = row["decided_at"].astimezone(self.tz).year
                suffix = {Outcome.INITIATE: "KTVA", Outcome.DECLINE: "KKTVA",
                          Outcome.SUSPEND: "TĐCGQ"}[row["outcome"]]
                body = "ANĐT" if row["holder_id"] == self.security_pk else "CSĐT"
                decisions_key = (row["outcome"], year, body)
                decisions[decisions_key] += 1
                row["decision_number"] = f"{decisions[decisions_key]}/QĐ-{suffix}-{body}"
            assert len(row) == len(self.columns), set(row) - set(self.columns)
            yield "source", tuple(row.values())
            for request in requests:
                yield "request", request

    def resolve(self, row, classified, requests) -> None:
        """Assign, extend, decide (or not yet), as in the demo."""
        from pctp.sources.models import DeclineGround, ExtensionRequest, Outcome, Status

        rng, now = self.rng, self.now
        day = timedelta(days=1)
        assigned = classified + timedelta(hours=rng.uniform(2, 50))
        if assigned > now:
            return
        if row["holder_id"] == self.security_pk:
            assignee = rng.choice(self.security_investigators)
        else:
            assignee = self.dieutra if rng.random() < 0.03 else rng.choice(self.investigators)
        row.update(status=Status.VERIFYING, assignee_id=assignee, assigned_at=assigned,
                   updated_at=assigned)
        start = row["clock_start"]
        r = rng.random()
        extensions = 0 if r < 0.78 else 1 if r < 0.94 else 2
        limits = [self.due("source.resolve", start, k).due for k in range(3)]
        t = assigned
        for k in range(1, extensions + 1):
            granted = datetime.combine(limits[k - 1] - day * rng.randint(1, 5),
                                       datetime.min.time(), self.tz) + timedelta(hours=9)
            granted = max(granted, t + timedelta(hours=1))
            if k == 2:
                asked = granted - day * rng.uniform(3, 8)
                if asked > now:
                    return
                request = {"number": 2, "requested_by_id": assignee, "requested_at": asked,
                           "reason": "Đề nghị gia hạn lần hai.", "decided_at": None,
                           "decided_by_id": None, "decision_note": "",
                           "state": ExtensionRequest.State.PENDING}
                requests.append(request)
                if granted > now:
                    return
                request.update(state=ExtensionRequest.State.APPROVED, decided_at=granted,
                               decision_note="Đồng ý gia hạn.")
            if granted > now:
                return
            row.update(extensions=k, due_date=limits[k], updated_at=granted)
            t = granted
        due_end = datetime.combine(row["due_date"], datetime.min.time(), self.tz) + timedelta(
            hours=17)
        if rng.random() < 0.07:  # decided late
            decided = due_end + day * rng.uniform(1, 30)
        else:
            lo = t + timedelta(hours=20)
            decided = lo + (due_end - lo) * rng.random() ** 0.7 if due_end > lo else lo
        if decided > now:
            return
        r = rng.random()
        if r < 0.012:
            suspended = max(decided, due_end + day * rng.uniform(1, 6))
            if suspended > now:
                return
            row.update(status=Status.SUSPENDED, outcome=Outcome.SUSPEND, decided_at=suspended,
                       suspended_at=suspended, suspend_ground="expert_examination",
                       updated_at=suspended)
        elif r < 0.43:
            row.update(status=Status.INITIATED, outcome=Outcome.INITIATE, decided_at=decided,
                       updated_at=decided)
        else:
            row.update(status=Status.DECLINED, outcome=Outcome.DECLINE, decided_at=decided,
                       decline_ground=DeclineGround.NOT_A_CRIME, updated_at=decided)


def _cumulative(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def load(rows: int, now: datetime) -> dict:
    """Empty the sources and COPY `rows` new ones in, secondary indexes rebuilt after."""
    from django.db import connection, transaction

    from pctp.sources.models import ExtensionRequest, Source

    t0 = time.perf_counter()
    gen = Generator(rows, now)
    t_pool = time.perf_counter() - t0
    source_table, request_table = Source._meta.db_table, ExtensionRequest._meta.db_table
    request_columns = ["source_id", "number", "requested_by_id", "requested_at", "reason",
                       "state", "decided_by_id", "decided_at", "decision_note"]
    # The request's other NOT NULL columns (late, gap_days, granted_level) as the ORM fills them.
    request_defaults = {c: v for c, v in blank_row(ExtensionRequest).items()
                        if c not in request_columns and c != "id" and v is not None}
    # One transaction: PostgreSQL's DDL is transactional, so a failure leaves the table and
    # its indexes as they were.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(f"TRUNCATE {source_table} RESTART IDENTITY CASCADE")
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND "
                       "indexname NOT IN (SELECT conname FROM pg_constraint)", [source_table])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")  # no FK triggers during COPY
        raw = cursor.cursor
        counts = Counter()
        t1 = time.perf_counter()
        requests = []
        with raw.copy(f"COPY {source_table} ({', '.join(gen.columns)}) FROM STDIN") as copy:
            for kind, values in gen.rows_and_requests():
                if kind == "source":
                    copy.write_row(values)
                    counts[values[gen.columns.index("status")]] += 1
                else:
                    requests.append(tuple(values[c] for c in request_columns)
                                    + tuple(request_defaults.values()))
        request_columns += list(request_defaults)
        with raw.copy(f"COPY {request_table} ({', '.join(request_columns)}) FROM STDIN") as copy:
            for values in requests:
                copy.write_row(values)
        t_copy = time.perf_counter() - t1
        cursor.execute("SET session_replication_role = DEFAULT")
        t2 = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        t_index = time.perf_counter() - t2
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{source_table}', 'id'), "
                       f"(SELECT max(id) FROM {source_table}))")
    t3 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the whole database: the units' statistics too
    t_vacuum = time.perf_counter() - t3
    return {"rows": rows, "by_status": dict(counts), "extension_requests": len(requests),
            "seconds": {"prepare": round(t_pool, 1), "generate_and_copy": round(t_copy, 1),
                        "indexes": round(t_index, 1), "vacuum_analyze": round(t_vacuum, 1)}}


# ----------------------------------------------------------------------------- timing

SEARCH_CAP = 1000


def recommended_list(*, user, queue: str = "all", query: str = ""):
    """The selector change recommended in docs/benchmarks.md, here only to measure it (the
    product runs pctp.sources.selectors.source_list): the scope's unit ids fetched once and
    passed as values instead of five copies of a subquery, and the procuracy queue without
    the LEFT JOIN to extension requests and the SELECT DISTINCT over every column."""
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    from pctp.law.selectors import fold
    from pctp.sources.models import OPEN_STATUSES, ExtensionRequest, Source, Status
    from pctp.sources.selectors import DUE_SOON_DAYS
    from pctp.units.selectors import units_in_scope

    today = timezone.localdate()
    units = list(units_in_scope(user).values_list("pk", flat=True))
    qs = Source.objects.filter(Q(holder__in=units) | Q(unit__in=units) | Q(procuracy__in=units)
                               | Q(transfer_target__in=units))
    if queue == "mine":
        qs = qs.filter(assignee=user, status__in=[*OPEN_STATUSES, Status.SUSPENDED])
    elif queue == "unit":
        qs = qs.filter(holder__in=units, status__in=OPEN_STATUSES)
    elif queue == "due_soon":
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__gte=today,
                       due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
    elif queue == "overdue":
        qs = qs.filter(Q(status__in=OPEN_STATUSES, due_date__lt=today)
                       | Q(status__in=OPEN_STATUSES, notice_due__lt=today,
                           procuracy_notified_at__isnull=True))
    elif queue == "procuracy":
        pending = ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING)
        qs = qs.filter(Q(pk__in=list(pending.values_list("source_id", flat=True)))
                       | Q(status=Status.SUSPENDED))
    for word in fold(query).split():
        qs = qs.filter(search_text__contains=word)
    order = ["due_date", "id"] if queue in {"mine", "unit", "due_soon", "overdue"} else [
        "-received_at", "-id"]
    return qs.select_related("unit", "holder", "commune", "offence", "assignee").order_by(*order)


def _count(qs, capped: bool) -> int:
    # Capped: what the list would show as "more than 1,000"; without ORDER BY, so PostgreSQL
    # can stop at the 1,001st match instead of sorting every one.
    return qs.order_by()[:SEARCH_CAP + 1].count() if capped else qs.count()


def _page_and_count(user, lister, capped=False, **filters):
    qs = lister(user=user, **filters)
    return _count(qs, capped), list(qs[:PAGE])


def time_query(username: str, runs: int, recommended: bool = False, **filters) -> dict:
    """Median wall time of the view's COUNT + first page, and of each part, in ms: the
    product's selector through Paginator, or (recommended=True) the recommended change."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pctp.core.models import User
    from pctp.sources.selectors import source_list

    lister = recommended_list if recommended else source_list
    capped = recommended and bool(filters.get("query"))

    def fresh():
        return User.objects.get(username=username)  # as a new request loads the user

    _page_and_count(fresh(), lister, capped, **filters)  # warm-up
    totals, counts, pages = [], [], []
    result = 0
    for _ in range(runs):
        user = fresh()
        t0 = time.perf_counter()
        if recommended:
            qs = lister(user=user, **filters)
            result = _count(qs, capped)
            t1 = time.perf_counter()
            list(qs[:PAGE])
        else:
            # The product's list view: searches count up to 1,000 (views.CappedPaginator).
            from pctp.sources.views import CappedPaginator

            cls = CappedPaginator if filters.get("query") else Paginator
            paginator = cls(lister(user=user, **filters), PAGE)
            result = paginator.count
            t1 = time.perf_counter()
            list(paginator.get_page(1).object_list)
        t2 = time.perf_counter()
        totals.append((t2 - t0) * 1000)
        counts.append((t1 - t0) * 1000)
        pages.append((t2 - t1) * 1000)
    with CaptureQueriesContext(connection) as captured:
        _page_and_count(fresh(), lister, capped, **filters)
    plans = []
    for query in captured.captured_queries:
        if "sources_source" not in query["sql"]:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plans.append({"sql": query["sql"], "plan": [r[0] for r in cursor.fetchall()]})
    return {"rows": result, "total_ms": statistics.median(totals),
            "count_ms": statistics.median(counts), "page_ms": statistics.median(pages),
            "min_total_ms": min(totals), "plans": plans}


def spread() -> dict:
    """How the loaded sources spread over units, communes, months and texts: the figures
    that say the data look like a province."""
    from django.db import connection

    from pctp.sources import demo
    from pctp.units.models import Commune

    keys = key_area_codes(Commune.objects.filter(province__code=demo.PROVINCE))
    out = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sources_source")
        total = cursor.fetchone()[0] or 1
        cursor.execute("SELECT COALESCE(NULLIF(u.short_name, ''), u.code), count(*) FROM sources_source s "
                       "JOIN units_unit u ON u.id = s.holder_id GROUP BY 1 ORDER BY 2 DESC")
        holders = cursor.fetchall()
        out["holders"] = holders[:3]
        out["holder_units"] = len(holders)
        cursor.execute("SELECT u.kind, count(*), count(DISTINCT u.id) FROM sources_source s "
                       "JOIN units_unit u ON u.id = s.unit_id GROUP BY 1 ORDER BY 2 DESC")
        out["received_by"] = cursor.fetchall()
        cursor.execute("SELECT c.code, c.name, count(*) FROM sources_source s JOIN units_commune "
                       "c ON c.id = s.commune_id GROUP BY 1, 2 ORDER BY 3 DESC")
        communes = cursor.fetchall()
        counts = [n for _c, _n, n in communes]
        out["communes"] = len(communes)
        out["commune_top"] = (communes[0][1], communes[0][2] / total) if communes else None
        out["commune_median"] = statistics.median(counts) / total if counts else 0
        out["commune_min"] = min(counts) / total if counts else 0
        out["key_area_share"] = sum(n for c, _n, n in communes if c in keys) / total
        cursor.execute("SELECT extract(month FROM received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')"
                       "::int, count(*) FROM sources_source GROUP BY 1 ORDER BY 1")
        months = dict(cursor.fetchall())
        mean = sum(months.values()) / max(1, len(months))
        out["months"] = {m: round(n / mean, 2) for m, n in months.items()}
        cursor.execute("SELECT count(DISTINCT md5(content)), count(DISTINCT md5(summary)) "
                       "FROM sources_source")
        contents, summaries = cursor.fetchone()
        out["distinct_contents"], out["distinct_summaries"] = contents, summaries
        cursor.execute("SELECT COALESCE(NULLIF(u.short_name, ''), u.code), count(*) FROM sources_source s "
                       "JOIN units_unit u ON u.id = s.holder_id WHERE s.status = ANY(%s) "
                       "GROUP BY 1 ORDER BY 2 DESC", [_open_statuses()])
        out["open_by_holder"] = cursor.fetchall()[:4]
    out["total"] = total
    return out


def _open_statuses():
    from pctp.sources.models import OPEN_STATUSES

    return list(OPEN_STATUSES)


def drop_os_cache() -> bool:
    """Empty the kernel's page cache (root only); PostgreSQL's own buffers stay."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("1\n")
        return True
    except OSError:
        return False


def page_personas() -> list[tuple[str, str]]:
    """The personas of the query timings, and the busiest ward's intake officer and chief."""
    from pctp.sources import demo
    from pctp.units.models import Commune

    busiest = key_area_codes(Commune.objects.filter(province__code=demo.PROVINCE))[0]
    return [*PERSONAS, (f"intake officer of the busiest ward (bench.tn.{busiest})",
                        f"bench.tn.{busiest}"),
            (f"commune police chief of the busiest ward (bench.cax.{busiest})",
             f"bench.cax.{busiest}")]


def time_pages(runs: int) -> list[dict]:
    """Whole list pages through django.test.Client with a verified session: cold (the
    kernel's page cache dropped where allowed, a new database connection, the app's cache
    emptied: the first officer after a restart) and warm (median of `runs` after it)."""
    from django.core.cache import cache
    from django.db import connection

    from benchmarks.cases_pages import timed_gets, verified_client

    out = []
    pages = [(q, f"/sources/?queue={q}") for q in ["mine", "unit", "due_soon", "overdue", "all"]]
    pages += [("search «xe máy»", "/sources/?queue=all&q=xe+m%C3%A1y")]
    # The process's own first request (imports, templates compiled) is the app_start
    # benchmark's; here cold means the data, so the process serves one page first.
    verified_client("lanhdao").get("/sources/?queue=unit")
    for label, username in page_personas():
        client = verified_client(username)
        for name, url in pages:
            dropped = drop_os_cache()
            connection.close()
            cache.clear()
            t0 = time.perf_counter()
            response = client.get(url)
            cold = (time.perf_counter() - t0) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{username} GET {url}: {response.status_code}")
            warm, response = timed_gets(client, url, runs)
            out.append({"persona": label, "page": name, "cold_ms": cold,
                        "warm_ms": statistics.median(warm), "os_cache_dropped": dropped,
                        "bytes": len(response.content)})
            print(f"{label:50} {name:16} cold {cold:7.1f} ms  warm {out[-1]['warm_ms']:7.1f} ms",
                  flush=True)
    return out


def run(args) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from pctp.sources.models import OPEN_STATUSES, Source

    now = timezone.now()
    loaded = None
    current = Source.objects.count()
    if args.reload or current != args.rows:
        print(f"loading {args.rows:,} sources…", flush=True)
        loaded = load(args.rows, now)
        print(json.dumps(loaded), flush=True)
    results = {"load": loaded, "queues": [], "search": []}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('sources_source')), "
                       "pg_size_pretty(pg_relation_size('sources_source_search_trgm'))")
        results["table_size"], results["trigram_index_size"] = cursor.fetchone()
        cursor.execute("SELECT name, setting, unit FROM pg_settings WHERE name IN "
                       "('shared_buffers', 'work_mem', 'effective_cache_size', "
                       "'max_parallel_workers_per_gather', 'random_page_cost', 'jit')")
        results["pg_settings"] = {n: f"{s}{u or ''}" for n, s, u in cursor.fetchall()}
    results["open"] = Source.objects.filter(status__in=OPEN_STATUSES).count()
    results["by_status"] = dict(Source.objects.values_list("status").annotate(n=Count("id")))
    for label, username in PERSONAS:
        for queue in QUEUES:
            r = time_query(username, args.runs, queue=queue)
            r.update(persona=label, queue=queue)
            results["queues"].append(r)
            print(f"{label:40} {queue:10} rows {r['rows']:>8,}  page+count "
                  f"{r['total_ms']:8.1f} ms (count {r['count_ms']:.1f}, page {r['page_ms']:.1f})",
                  flush=True)
    # The recommended changes are now in the product; only the shipped path is timed.
    for recommended in (False,):
        key = "recommended_search" if recommended else "search"
        results[key] = []
        for label, username in [PERSONAS[3], PERSONAS[0]]:
            for query in (COMMON_QUERY, RARE_QUERY):
                r = time_query(username, args.runs, recommended, queue="all", query=query)
                r.update(persona=label, query=query)
                results[key].append(r)
                print(f"{'recommended ' if recommended else ''}{label:40} «{query}» rows "
                      f"{r['rows']:>8,}  page+count {r['total_ms']:8.1f} ms (count "
                      f"{r['count_ms']:.1f}, page {r['page_ms']:.1f})", flush=True)
    results["recommended_queues"] = []
    results["recommended_search"] = []
    results["spread"] = spread()
    results["pages"] = time_pages(args.runs)
    return results


def markdown(results: dict, args) -> str:
    rows = args.rows
    lines = [f"## Crime sources ({rows:,} rows)", ""]
    lines.append("Command: `nice -n 10 .venv/bin/python -m benchmarks.run` (this part alone: "
                 "`nice -n 10 .venv/bin/python -m benchmarks.sources_queues --out "
                 "var/bench/sources_queues.md`), against `DATABASE_URL` (default "
                 f"`{DEFAULT_URL}`).")
    lines.append("")
    by_status = results["by_status"]
    lines.append(
        f"Data: {rows:,} sources of the demo province from {FIRST_DAY:%d/%m/%Y} to today "
        f"(+{GROWTH:.0%} a year), "
        "with the demo seeder's stories, channels, outcomes and lawful deadlines, seasons, "
        "communes at their own rates and key areas (module docstring); "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(by_status.items(), key=lambda kv: -kv[1]))
        + f"; {results['open']:,} open. Table with indexes {results['table_size']}, trigram "
        f"index {results['trigram_index_size']}. PostgreSQL settings as installed: "
        + ", ".join(f"{k} {v}" for k, v in results["pg_settings"].items()) + ".")
    if results.get("load"):
        s = results["load"]["seconds"]
        lines.append("")
        lines.append(f"Load: prepare {s.get('prepare', s.get('pool'))} s, generate + COPY {s['generate_and_copy']} s, "
                     f"rebuild indexes {s['indexes']} s, VACUUM ANALYZE {s['vacuum_analyze']} s.")
    if results.get("spread"):
        lines += ["", spread_text(results["spread"])]
    lines += ["", f"What is timed: the list view's `Paginator(source_list(user, queue=…), {PAGE})"
                  f".get_page(1)`: its COUNT plus the first {PAGE} rows (with the view's "
                  "select_related), including the user's memberships query; median of "
                  f"{args.runs} runs after a warm-up, in ms. Targets: queue page < "
                  f"{QUEUE_TARGET_MS} ms, search < {SEARCH_TARGET_MS} ms.", ""]
    lines.append("| persona | queue | rows in queue | COUNT ms | page ms | **total ms** | target |")
    lines.append("|---|---|---:|---:|---:|---:|---|")
    for r in results["queues"]:
        ok = "ok" if r["total_ms"] < QUEUE_TARGET_MS else "**MISSED**"
        lines.append(f"| {r['persona']} | {r['queue']} | {r['rows']:,} | {r['count_ms']:.1f} "
                     f"| {r['page_ms']:.1f} | **{r['total_ms']:.1f}** | {ok} |")
    lines += ["", "| persona | search (queue «all») | matches | COUNT ms | page ms | "
                  "**total ms** | target |", "|---|---|---:|---:|---:|---:|---|"]
    for r in results["search"]:
        ok = "ok" if r["total_ms"] < SEARCH_TARGET_MS else "**MISSED**"
        lines.append(f"| {r['persona']} | `{r['query']}` | {r['rows']:,} | {r['count_ms']:.1f} "
                     f"| {r['page_ms']:.1f} | **{r['total_ms']:.1f}** | {ok} |")
    if results.get("pages"):
        dropped = all(r["os_cache_dropped"] for r in results["pages"])
        lines += ["", "Whole pages (`GET /sources/?queue=…` through `django.test.Client` with a "
                  "session that passed the second factor: middleware, every query, the template "
                  "rendered). Cold: the first request after "
                  + ("the kernel's page cache was dropped, " if dropped else "")
                  + "a new database connection and an emptied app cache (PostgreSQL's "
                  "shared buffers are not emptied); warm: median of "
                  f"{args.runs} requests after it, in ms.", "",
                  "| persona | page | **cold ms** | **warm ms** | target |",
                  "|---|---|---:|---:|---|"]
        for r in results["pages"]:
            target = SEARCH_TARGET_MS if r["page"].startswith("search") else QUEUE_TARGET_MS
            ok = "ok" if r["warm_ms"] < target else "**MISSED**"
            lines.append(f"| {r['persona']} | {r['page']} | **{r['cold_ms']:.0f}** | "
                         f"**{r['warm_ms']:.0f}** | {ok} (warm < {target}) |")
    lines += ["", "The recommendations below are in the product since this benchmark found them: "
                  "unit ids passed as values, the procuracy queue without a join, search counts "
                  f"capped at {SEARCH_CAP:,} (`CappedPaginator`), JIT off; the tables above time "
                  "the shipped code.", "", FINDINGS]
    return "\n".join(lines) + "\n"


def spread_text(s: dict) -> str:
    total = s["total"]
    holders = ", ".join(f"{name} {n / total:.1%}" for name, n in s["holders"])
    received = ", ".join(f"{kind} {n / total:.0%} ({units} units)"
                         for kind, n, units in s["received_by"])
    opened = ", ".join(f"{name} {n:,}" for name, n in s["open_by_holder"])
    months = ", ".join(f"{m}: {v:.2f}" for m, v in sorted(s["months"].items()))
    top = s["commune_top"]
    return (f"Spread: held by {holders} ({s['holder_units']} units hold sources; open ones: "
            f"{opened}); received by {received}; all {s['communes']} communes, the busiest "
            f"({top[0]}) {top[1]:.1%} of the sources, the median commune "
            f"{s['commune_median']:.2%}, the quietest {s['commune_min']:.2%}; the {KEY_AREAS} "
            f"key areas {s['key_area_share']:.0%}; months relative to the mean: {months}; "
            f"{s['distinct_contents']:,} distinct texts ({s['distinct_summaries']:,} distinct "
            "summaries).")


FINDINGS = """Causes found with EXPLAIN (ANALYZE, BUFFERS) (plans in the `--json-out` file):

- **overdue, due soon, unit** ordered by `(due_date, id)` over open sources, about 1 % of the
  rows: with only the plain `due_date` index PostgreSQL walked it from 2018 on, filtering out
  ~980,000 closed rows, 3.6–6 s. Fixed by partial indexes on the open rows, migration
  `sources/0004_bench_indexes` (open sources by limit date; an assignee's open and suspended
  sources; a holder's open sources), each a few hundred kB.
- **procuracy** (`extension_requests__state=pending OR status=suspended` with `.distinct()`):
  the LEFT JOIN and the OR across two tables leave no usable index, so a parallel scan of the
  whole table, then `SELECT DISTINCT` sorting every column (content and search text included);
  JIT compilation alone took about 2 s of the COUNT. No index can fix this. Recommended in
  `source_list`: `Q(pk__in=list(ExtensionRequest.objects.filter(state=PENDING)
  .values_list("source_id", flat=True))) | Q(status=Status.SUSPENDED)` and no `.distinct()`.
- **unit, for a body holding thousands of open sources**: `holder_id IN (subquery)` makes
  PostgreSQL join every open source to the five select_related tables before taking the first
  50. Recommended: fetch `units_in_scope(user)` ids once (a list of at most a few hundred) and
  pass the list to `source_scope` and the queue filters, which also removes four repeated
  subqueries from every list query; the holder index above then serves the page in order.
- **search with common words**: the page is fast (the received_at index, newest first); the
  exact COUNT rechecks every match (55,000 rows, 55,000 heap pages). Recommended: a paginator
  whose count stops at 1,001 (`qs.order_by()[:1001].count()`) and shows "hơn 1.000 kết quả".
- Worth considering: `jit = off` for this OLTP database (connection option `-c jit=off`); JIT
  only ever kicked in on the slow plans above and cost more than it saved.
"""



def database_url() -> str:
    """The benchmark's database: DATABASE_URL when it is PostgreSQL, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_URL


def write_outputs(text: str, results: dict, args) -> None:
    """Print the markdown section and write it (--out) and the results (--json-out)."""
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    if args.json_out:
        Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_out).write_text(json.dumps(results, indent=1, default=str),
                                       encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reload", action="store_true", help="load again even if the row "
                                                              "count already matches")
    parser.add_argument("--out", default=None, help="write the markdown section here")
    parser.add_argument("--json-out", default=None, help="also write results and plans as JSON")
    args = parser.parse_args(argv)
    url = database_url()
    prepare_database(url)
    setup_django(url)
    reference_data()
    results = run(args)
    write_outputs(markdown(results, args), results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
