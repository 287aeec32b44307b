"""Demo data for the plan's targets: two earlier years of records and the plans' targets.

`history` (run before the sources and cases seeders) writes the demo province's crime
sources and criminal cases from 1 January two years ago up to the day before the sources
seeder's year starts, as records migrated from the sổ thụ lý kept before PCTP: every one
closed (resolved, judged, terminated, or suspended with the offender unknown), each with one
journal row saying it was imported. The sources seeder then numbers its own from where
these stop. Volumes follow DOMAIN.md §11 for one province (about 5,000 sources a year) and
the plan's recent levels (detection about 78%, resolution about 92%, social-order crime
about 12% lower in the second year), so every target has a same-period comparison.

`fill` (after the cases seeder) completes the cases seeder's year with closed cases (and,
for the recent months, cases still under investigation on their lawful clock) at about
the earlier year's pace. `seed` (after the plans seeder) gives the plan in force its ten
targets and closes last year's and last quarter's figures, as the statistics office does.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from pctp.law.selectors import fold

HISTORY_TOKEN = "demo-history:"
SEED = 2024
SOURCES_PER_YEAR = 5000
DAY = timedelta(days=1)


def _first_day(today: date) -> date:
    return date(today.year - 2, 1, 1)


def _last_day(today: date) -> date:
    """The day before the sources seeder's year starts (it covers the last 365 days)."""
    return today - timedelta(days=366)


def history(*, password: str, stdout, today: date | None = None) -> dict:
    from pctp.cases.models import Case
    from pctp.sources.models import Source

    today = today or timezone.localdate()
    stdout.write("Seeding two earlier years of closed records…")
    if Source.objects.filter(client_token__startswith=HISTORY_TOKEN).exists():
        n = Source.objects.filter(client_token__startswith=HISTORY_TOKEN).count()
        return {"earlier sources": f"{n} (kept)"}
    with transaction.atomic():
        made = _History(today).run()
    cases = Case.objects.filter(client_token__startswith=HISTORY_TOKEN).count()
    return {"earlier sources": made, "earlier cases": cases}


class _History:
    def __init__(self, today: date):
        from pctp.cases.services import _procuracy_for
        from pctp.law.models import Offence
        from pctp.law.services import legal_calendar
        from pctp.sources import demo
        from pctp.units.models import Commune, Unit

        self.today = today
        self.rng = random.Random(SEED)
        self.tz = timezone.get_current_timezone()
        self.demo = demo
        self.calendar = legal_calendar()
        self.communes = list(Commune.objects.filter(province__code=demo.PROVINCE)
                             .order_by("code"))
        self.body = Unit.objects.get(code=demo.BODY)
        self.police = {u.code.rsplit("-", 1)[1]: u for u in
                       Unit.objects.filter(code__startswith=f"{demo.P}-CAX-")}
        self.procuracy = {c.pk: _procuracy_for(c, self.body) for c in self.communes}
        self.province_court = Unit.objects.get(code=f"{demo.P}-TAND")
        self.courts = {}
        for unit in Unit.objects.filter(kind=Unit.Kind.REGIONAL_COURT,
                                        province__code=demo.PROVINCE).prefetch_related("communes"):
            for commune in unit.communes.all():
                self.courts.setdefault(commune.pk, unit)
        articles = {s.article for s in demo.STORIES}
        self.offences = {o.article: o for o in Offence.objects.filter(article__in=articles)
                         .prefetch_related("clauses")}
        self.clauses = {a: {c.clause: c for c in o.clauses.all()}
                        for a, o in self.offences.items()}
        self.article_clauses = {a: sorted(c) for a, c in self.clauses.items()}
        self.groups = {a: (g.group if (g := o.group_on(today)) else "")
                       for a, o in self.offences.items()}
        self.stories = [s for s in demo.STORIES if s.article in self.offences]
        weights = [2.2 if c.kind == "phuong" else 1.0 for c in self.communes]
        self.commune_weights = weights
        rural = [c for c in self.communes
                 if c.kind != "phuong" and c.code not in demo.BORDER_COMMUNES]
        self.quiet = {c.pk for i, c in enumerate(rural) if i % 2 == 0}
        self.border_weights = [w * (6 if c.code in demo.BORDER_COMMUNES else 0.4)
                               for w, c in zip(weights, self.communes, strict=True)]

    def at(self, day: date, hour: float) -> datetime:
        return datetime.combine(day, time.min, self.tz) + timedelta(hours=hour)

    def run(self) -> int:
        from pctp.core.models import AuditEvent, User
        from pctp.law.timelimits import evaluate
        from pctp.sources.models import Source

        rng, today = self.rng, self.today
        first, last = _first_day(today), _last_day(today)
        actor = User.objects.filter(username="dieutra").first() or User.objects.order_by("pk").first()
        # Numbers continue after any already in the register (a database seeded before
        # this seeder existed holds this year's sources already).
        from django.db.models import Max

        counters: dict = {(u, y): n for u, y, n in Source.objects.values_list(
            "unit", "register_year").annotate(n=Max("register_number"))}
        sources, plans = [], []
        day = first
        while day <= last:
            # Social-order crime fell about 12% in the second year (DOMAIN.md §11).
            year_factor = 1.0 if day.year == first.year else 0.88
            season = 1.0 + 0.15 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 30) / 365)
            lam = SOURCES_PER_YEAR * self.demo.demo_scale() / 365 * year_factor * season
            for _ in range(_poisson(rng, lam)):
                s, plan = self.source(day, counters, evaluate)
                sources.append(s)
                plans.append(plan)
            day += DAY
        Source.objects.bulk_create(sources, batch_size=2000)
        # Every decision to initiate opened its case (CPC Art. 153; issue 15).
        chosen = [(s, plan) for s, plan in zip(sources, plans, strict=True) if plan.get("case")]
        from pctp.cases.models import Case

        self.write_cases(chosen, {y: n or 0 for y, n in Case.objects.values_list(
            "register_year").annotate(n=Max("register_number"))}, actor)
        note = "Nhập từ sổ thụ lý trước khi sử dụng PCTP"
        AuditEvent.objects.bulk_create(
            [AuditEvent(actor=None, action="record.imported", object_type="sources.source",
                        object_id=str(s.pk), object_repr=s.summary[:300], to_state=s.status,
                        note=note) for s in sources], batch_size=2000)
        for s in sources:  # the register code needs the id-less unit only; texts now
            s.search_text = fold(" ".join(p for p in (
                f"{s.register_number}/{s.register_year}/{s.unit.short_name or s.unit.code}",
                s.summary, s.content, s.address, s.commune.name,
                s.offence.title if s.offence_id else "") if p))
        Source.objects.bulk_update(sources, ["search_text"], batch_size=2000)
        return len(sources)

    def write_cases(self, chosen: list, counters: dict, actor) -> list:
        """Closed cases for the (source, plan) pairs, with their handovers, recoveries and
        one journal row each."""
        from pctp.cases.models import Case, Recovery, Referral
        from pctp.core.models import AuditEvent

        cases, referrals, recoveries = [], [], []
        for s, plan in chosen:
            case, refs, recs = self.case(s, plan, counters, actor)
            cases.append(case)
            referrals.append(refs)
            recoveries.append(recs)
        Case.objects.bulk_create(cases, batch_size=1000)
        Referral.objects.bulk_create([r for case, refs in zip(cases, referrals, strict=True)
                                      for r in _bind(refs, case)], batch_size=2000)
        Recovery.objects.bulk_create([r for case, recs in zip(cases, recoveries, strict=True)
                                      for r in _bind(recs, case)], batch_size=2000)
        AuditEvent.objects.bulk_create(
            [AuditEvent(actor=None, action="record.imported", object_type="cases.case",
                        object_id=str(c.pk), object_repr=c.summary[:300], to_state=c.status,
                        note="Nhập từ sổ thụ lý trước khi sử dụng PCTP") for c in cases],
            batch_size=2000)
        return cases

    def still_investigating(self, case, initiated: date):
        """A recent case still under investigation, on its lawful clock (extended as often
        as the law allows and its age needs)."""
        from pctp.cases.models import Status
        from pctp.cases.services import _start_clock, case_clock
        from pctp.core.errors import DomainError

        case.status, case.status_since = Status.INVESTIGATING, initiated
        _start_clock(case, "investigation", initiated)
        for k in range(0, 4):
            try:
                due = case_clock(case, extensions=k)
            except DomainError:
                break
            if due is not None and due.due >= self.today + timedelta(days=5):
                case.clock_extensions, case.due_date = k, due.due
                break
        return case

    def court_for(self, s, on: date):
        """The first-instance court by Art. 268 in force that day (a life or death bracket
        goes to the provincial court)."""
        from pctp.law.jurisdiction import PROVINCIAL, court_level

        years = float(s.clause.max_years) if s.clause.max_years is not None else None
        level = court_level([(s.offence.article, s.offence.chapter, s.clause.max_penalty, years,
                              s.severity)], on=on)
        return self.province_court if level == PROVINCIAL else self.courts.get(s.commune_id)

    def source(self, day: date, counters: dict, evaluate):
        from pctp.sources.models import Channel, Kind, Outcome, ReporterType, Source, Status

        rng, demo = self.rng, self.demo
        story = rng.choices(self.stories, [s.weight for s in self.stories])[0]
        commune = rng.choices(self.communes, self.border_weights if story.border
                              else self.commune_weights)[0]
        received = self.at(day, rng.uniform(7, 21))
        occurred = received - timedelta(hours=rng.uniform(*story.lag))
        value, clause_no, item = demo.story_value_clause(rng, story, self.article_clauses)
        summary, content, _who, fill = demo.story_texts(rng, story, commune, occurred, value,
                                                        item)
        at_commune = rng.random() < story.p_commune
        unit = self.police[commune.code] if at_commune else self.body
        key = (unit.pk, day.year)
        counters[key] = counters.get(key, 0) + 1
        holder_at = received + timedelta(hours=rng.uniform(1, 20)) if at_commune else received
        late = rng.random() < 0.04
        handled = holder_at + timedelta(hours=rng.uniform(25, 70) if late
                                        else rng.uniform(0.5, 20))
        offence = self.offences[story.article]
        clause = self.clauses[story.article].get(clause_no) or next(
            iter(self.clauses[story.article].values()))
        due = evaluate("source.resolve", start=day, extensions=0, calendar=self.calendar).due
        r = rng.random()
        if r < 0.015:
            status, outcome = Status.TRANSFERRED, ""
        elif r < story.p_init:
            status, outcome = Status.INITIATED, Outcome.INITIATE
        else:
            status, outcome = Status.DECLINED, Outcome.DECLINE
        decided = None
        if outcome:
            late_decision = rng.random() < 0.07
            due_at = self.at(due, 17)
            decided = (due_at + timedelta(days=rng.uniform(1, 25)) if late_decision else
                       handled + (due_at - handled) * rng.random() ** 0.6)
        kind = (Kind.RECOMMENDATION if story.origin == demo.AG else
                Kind.DENUNCIATION if story.origin == demo.V else Kind.CRIME_REPORT)
        source = Source(
            unit=unit, register_year=day.year, register_number=counters[key], holder=self.body,
            procuracy=self.procuracy.get(commune.pk), kind=kind,
            channel=rng.choices([Channel.IN_PERSON, Channel.PHONE, Channel.POST,
                                 Channel.HOTLINE_113, Channel.VNEID],
                                [45, 20, 10, 15, 10])[0],
            status=status, received_at=received, holder_received_at=holder_at,
            occurred_at=occurred, commune=commune,
            address=f"{fill['hamlet']}, {demo._lower(commune.name)}",
            lat=round(commune.lat + rng.gauss(0, 0.01), 6),
            lon=round(commune.lon + rng.gauss(0, 0.01), 6),
            summary=summary, content=content,
            reporter_type=ReporterType.ANONYMOUS if rng.random() < 0.1 else
            ReporterType.AGENCY if story.origin == demo.AG else ReporterType.PERSON,
            offence=offence, clause=clause, severity=clause.severity,
            crime_group=self.groups[story.article], classified_at=handled, handled_at=handled,
            forwarded_at=holder_at if at_commune else None, assignee=None,
            clock_start=day, due_date=due, procuracy_notified_at=handled,
            outcome=outcome, decided_at=decided,
            decision_number=f"{counters[key]}/QĐ-{'KTVA' if outcome == 'initiate' else 'KKTVA'}"
            if outcome else "",
            decline_ground=story.declines[0][0] if outcome == Outcome.DECLINE else "",
            transfer_target=None,
            client_token=f"{HISTORY_TOKEN}s{day:%Y%m%d}-{unit.pk}-{counters[key]}")
        if status == Status.TRANSFERRED:
            source.classified_at = source.handled_at = handled
        plan = {"case": outcome == Outcome.INITIATE, "value": value}
        return source, plan

    def case(self, s, plan: dict, counters: dict, actor):
        from pctp.cases.models import Case, Recovery, Referral, Status, TerminateGround

        rng = self.rng
        initiated = timezone.localtime(s.decided_at).date()
        occurred = timezone.localtime(s.occurred_at).date()
        key = initiated.year
        counters[key] = counters.get(key, 0) + 1
        severe = s.severity in ("very_serious", "especially_serious")
        # Quiet rural communes detect every case: the key-areas seeder needs some that meet
        # every criterion, as some real communes do.
        detected = s.commune_id in self.quiet or rng.random() < (0.93 if severe else 0.77)
        detected_on = initiated + timedelta(days=int(rng.expovariate(1 / 12))) if detected else None
        court = self.courts.get(s.commune_id)
        case = Case(
            investigation_body=self.body, register_year=key, register_number=counters[key],
            procuracy=s.procuracy, court=court, source=s, origin="source",
            decision_number=f"{counters[key]}/QĐ-KTVA-CSĐT", initiated_on=initiated,
            summary=s.summary, occurred_at=s.occurred_at, occurred_on=occurred,
            commune=s.commune, address=s.address, lat=s.lat, lon=s.lon,
            lead_offence=s.offence, lead_clause=s.clause, severity=s.severity,
            crime_group=s.crime_group, status=Status.SUSPENDED, status_since=initiated,
            detected_on=detected_on, detection_method="investigation" if detected else "",
            client_token=f"{HISTORY_TOKEN}c{s.client_token.split(':', 1)[1]}")
        refs, recs = [], []
        if s.crime_group in ("corruption", "economic") and plan["value"]:
            case.value_lost = int(plan["value"] * 1_000_000)
        if not detected and initiated + timedelta(days=120) >= self.today:
            return self.still_investigating(case, initiated), refs, recs
        if detected_on and detected_on > self.today:
            case.detected_on = detected_on = self.today
        if not detected:
            case.status, case.suspend_ground = Status.SUSPENDED, "offender_unknown"
            case.status_since = initiated + timedelta(days=rng.randint(60, 120))
            return case, refs, recs
        if rng.random() < 0.05:
            case.status, case.terminate_ground = Status.TERMINATED, TerminateGround.NO_COMPLAINT
            case.closed_on = case.status_since = initiated + timedelta(days=rng.randint(20, 60))
            return case, refs, recs
        sent = detected_on + timedelta(days=rng.randint(30, 110))
        if sent + timedelta(days=limit_days(severe) + 90) >= self.today:
            return self.still_investigating(case, initiated), refs, recs
        limit = limit_days(severe)
        received = sent + timedelta(days=rng.randint(0, 2))
        decided = received + timedelta(days=rng.randint(5, limit - 1) if rng.random() < 0.94
                                       else rng.randint(limit + 1, limit + 12))
        refs.append(Referral(kind=Referral.Kind.CONCLUSION, from_unit=self.body,
                             to_unit=s.procuracy, document_number=f"{counters[key]}/KLĐT",
                             sent_on=sent, sent_by=actor, received_on=received,
                             due_date=received + timedelta(days=limit), closed_on=decided,
                             outcome="indict"))
        court = self.court_for(s, decided) or court
        case.court = court
        accepted = decided + timedelta(days=rng.randint(1, 5))
        judged = accepted + timedelta(days=rng.randint(25, 80))
        refs.append(Referral(kind=Referral.Kind.INDICTMENT, from_unit=s.procuracy,
                             to_unit=court or s.procuracy, document_number=f"{counters[key]}/CT",
                             sent_on=decided, sent_by=actor, received_on=accepted,
                             due_date=accepted + timedelta(days=60), closed_on=judged,
                             outcome="judgment"))
        case.status, case.closed_on = Status.JUDGED, judged
        case.status_since = case.judgment_on = judged
        case.judgment_number = f"{counters[key]}/HSST"
        if case.value_lost:
            case.recovery_ordered = case.value_lost
            for kind, share, when in (("seized", rng.uniform(0.2, 0.5), detected_on),
                                      ("returned", rng.uniform(0.05, 0.3), sent)):
                recs.append(Recovery(kind=kind, amount=int(case.value_lost * share), on=when,
                                     stage=Status.INVESTIGATING, description="Tài sản, tiền",
                                     recorded_by=actor))
        return case, refs, recs


def fill(*, password: str, stdout, today: date | None = None) -> dict:
    """After the cases seeder: a case for every initiated source that has none (closed, or
    for the recent ones still under investigation on their lawful clock). The cases seeder
    walks a few hundred cases through every stage; every other decision to initiate opened
    its case too (CPC Art. 153), and without them this year's figures would mislead."""
    from django.db.models import Max

    from pctp.cases.models import Case
    from pctp.core.models import User
    from pctp.sources.models import Source, Status

    today = today or timezone.localdate()
    stdout.write("Completing this year's closed cases…")
    marker = Case.objects.filter(client_token__startswith=HISTORY_TOKEN + "c-fill")
    if marker.exists():
        return {"this year's closed cases": f"{marker.count()} (kept)"}
    with transaction.atomic():
        h = _History(today)
        h.rng = random.Random(SEED + 1)
        candidates = list(
            Source.objects.filter(status=Status.INITIATED, case__isnull=True)
            .select_related("commune", "offence", "clause", "procuracy", "unit")
            .order_by("decided_at"))
        # Every initiated source has its case (CPC Art. 153; issue 15): the cases seeder
        # walked a few hundred through every stage, these are the rest.
        chosen = [(src, {"case": True, "value": None}) for src in candidates]
        for src, _plan in chosen:  # a distinct token for this step
            src.client_token = src.client_token or f"fill:f{src.pk}"
        counters = {y: n or 0 for y, n in Case.objects.values_list("register_year").annotate(
            n=Max("register_number"))}
        actor = User.objects.filter(username="dieutra").first()
        cases = h.write_cases([(src, plan) for src, plan in chosen], counters, actor)
        for case in cases:
            case.client_token = f"{HISTORY_TOKEN}c-fill-{case.source_id}"
        Case.objects.bulk_update(cases, ["client_token"], batch_size=1000)
    return {"this year's closed cases": len(cases)}


def limit_days(severe: bool) -> int:
    return 30 if severe else 20


def _bind(rows: list, case) -> list:
    for row in rows:
        row.case = case
    return rows


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def seed(*, password: str, stdout, today: date | None = None) -> dict:
    """The plan in force gets its ten targets, and last year's and last quarter's figures
    are closed, as the statistics office does after each period."""
    from pctp.core.models import User
    from pctp.kpi import registry as kpi
    from pctp.kpi.models import KpiSnapshot
    from pctp.kpi.periods import parse
    from pctp.kpi.services import period_close, plan_targets_default
    from pctp.plans.models import Plan

    today = today or timezone.localdate()
    stdout.write("Seeding the plan's targets and closed figures…")
    current = (Plan.objects.filter(issuing_unit__code="P80-UBND",
                                   period_start__lte=today, period_end__gte=today)
               .order_by("-issued_on").first())
    if current is None:
        return {"plan targets": "no plan in force (skipped)"}
    admin = User.objects.filter(is_superuser=True).first() or User.objects.get(
        username="lanhdao")
    analyst = User.objects.get(username="thongke")
    closed = []
    with transaction.atomic():
        if not current.targets.exists():
            plan_targets_default(actor=admin, plan=current)
        province = kpi.Scope(current.issuing_unit.province)
        quarter = (today.month - 1) // 3
        last_quarter = f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"
        for key in (str(today.year - 1), last_quarter):
            if not KpiSnapshot.objects.filter(plan=current, period_key=key,
                                              scope_key="province").exists():
                period_close(actor=analyst, plan=current, period=parse(key, today=today),
                             scope=province, note="Số liệu chốt báo cáo định kỳ", today=today)
                closed.append(key)
    return {"plan targets": f"{current.number}: {current.targets.count()}",
            "closed periods": ", ".join(closed) or "(kept)"}
