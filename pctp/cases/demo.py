"""Demo criminal cases for Tỉnh Tây Ninh, opened from the demo's initiated crime sources
(pctp.sources.demo) and walked through every stage with the product's own services, each
step dated in the past: investigation, handover to the procuracy, indictment, the court,
judgment; suspended and terminated cases; accused in custody and detention (some near
expiry, one held past the limit); corruption cases with recovery entries; and linked
co-accused that form two registered criminal groups and one still to be registered.

The audit rows carry the time of the seed (the journal is append-only) and the date of each
decision in their changes, which the case page shows. ``PCTP_DEMO_SCALE`` scales the number
of cases. Running the seed again changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from pctp.cases import appeals
from pctp.cases import services as s
from pctp.cases.models import Case, Measure
from pctp.cases.rules import case_deadline
from pctp.core.audit import audit_record
from pctp.core.errors import DomainError
from pctp.core.models import User
from pctp.law.timelimits import add_months
from pctp.units.demo import PROVINCE, REFORM_DATE, DemoAccount
from pctp.units.models import Unit
from pctp.units.services import membership_grant

TOKEN = "demo-case:"
SEED = 20251129
CASES = 220  # at scale 1; the fixed scenarios come on top
P = f"P{PROVINCE}"

STAFF = [DemoAccount("toaan", "Hà Minh Chánh", "court_officer", f"{P}-TAND",
                     "Thẩm phán TAND tỉnh")]

SURNAMES = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Lâm", "Trương"]
MALE = ["Văn Hùng", "Văn Dũng", "Minh Tuấn", "Văn Phúc", "Tấn Tài", "Hữu Lộc", "Thanh Sơn",
        "Quốc Nam", "Văn Hải", "Hoàng Long", "Công Thành", "Văn Khang", "Minh Phong",
        "Đức Trung", "Văn Hiếu", "Thanh Tâm", "Quang Vinh", "Văn Bảo", "Hữu Nghĩa", "Văn Tùng"]
FEMALE = ["Thị Lan", "Thị Hoa", "Thị Hương", "Ngọc Mai", "Thị Trang", "Thu Linh", "Kim Nhung",
          "Thị Thảo", "Bích Ngân", "Thị Hạnh"]
HAMLETS = ["ấp Bình Hòa", "ấp Long Mỹ", "khu phố 2", "khu phố 5", "ấp Tân Lập", "ấp Phước Hưng",
           "tổ 7, khu phố 3", "ấp Trường Đức"]


@dataclass
class Plan:
    """Where a demo case should stand today."""

    target: str  # investigating | unsolved | suspended | terminated | sent | at_procuracy |
    #              returned | sent_to_court | at_court | committed | trial_open | judged
    accused: int = 1
    custody: bool = False
    recovery_ordered: int | None = None


class _Demo:
    def __init__(self, *, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        u = {x.username: x for x in User.objects.filter(username__in=[
            "dieutra", "thutruong", "kiemsat", "kiemsat.kv1", "toaan.kv1", "toaan", "dieutra.an",
            "dieutra2", "tiepnhan.cqdt"])}
        self.u = u
        self.kv1 = Unit.objects.get(code=f"{P}-VKS-KV1")
        self.court_kv1 = Unit.objects.get(code=f"{P}-TAND-KV1")
        self.people: list[s.Person] = []
        self.counter = Counter()

    # -- people ------------------------------------------------------------------------------

    def person(self) -> s.Person:
        rng = self.rng
        female = rng.random() < 0.12
        year = rng.randint(1970, 2006)
        pid = (rng.choice(["072", "080", "079", "074"]) + str((0 if year < 2000 else 2)
                                                             + (1 if female else 0))
               + f"{year % 100:02d}" + f"{rng.randrange(10**6):06d}")
        born = date(year, rng.randint(1, 12), rng.randint(1, 28))
        name = f"{rng.choice(SURNAMES)} {rng.choice(FEMALE if female else MALE)}"
        return s.Person(name=name, sex="female" if female else "male", personal_id=pid,
                        birth_date=born, residence=f"{rng.choice(HAMLETS)}")

    # -- actors ------------------------------------------------------------------------------

    def procurator(self, case: Case) -> User:
        return self.u["kiemsat.kv1"] if case.procuracy_id == self.kv1.pk else self.u["kiemsat"]

    def judge(self, case: Case) -> User:
        return self.u["toaan.kv1"] if case.court_id == self.court_kv1.pk else self.u["toaan"]

    def investigator(self, case: Case) -> User:
        return case.investigator or self.u["thutruong"]

    # -- the walk ----------------------------------------------------------------------------

    def step(self, day: date, lo: int, hi: int) -> date | None:
        nxt = day + timedelta(days=self.rng.randint(lo, hi))
        return nxt if nxt <= self.today else None

    def walk(self, case: Case, plan: Plan, charges) -> Case:
        """Take the case as far as its plan says, stopping at today."""
        rng, d = self.rng, case.initiated_on
        inv = self.investigator(case)
        if plan.target == "unsolved":
            return self.extend_as_needed(case)
        if plan.target == "suspended":
            due = case.due_date
            if due and due < self.today:
                s.case_suspend(actor=inv, case=case, ground="offender_unknown",
                               decision_number=f"{rng.randint(1, 300)}/QĐ-TĐCĐT",
                               on=min(self.today, due + timedelta(days=rng.randint(1, 10))))
            return case
        d = self.step(d, 0, 6) or d
        accused = [s.accused_add(actor=inv, case=case, person=self.person(), charges=charges,
                                 charged_on=d) for _ in range(plan.accused)]
        if plan.custody:
            self.hold(case, accused[0], d)
        if plan.target == "investigating":
            return self.extend_as_needed(case)
        if plan.target == "terminated":
            when = self.step(d, 10, 50)
            if when:
                s.case_terminate(actor=inv, case=case, ground=rng.choice(
                    ["no_complaint", "exempted", "not_a_crime"]),
                    decision_number=f"{rng.randint(1, 300)}/QĐ-ĐCĐT", on=when)
            return case
        limit = case.due_date or d + timedelta(days=60)
        concluded = self.step(d, 20, max(21, min(70, (limit - d).days - 3)))
        if concluded is None:
            return case
        self.release_all(case, concluded)
        s.case_conclude(actor=inv, case=case, document_number=f"{rng.randint(1, 400)}/KLĐT",
                        on=concluded)
        if plan.target == "sent":
            return case
        received = self.step(concluded, 1, 3)
        if received is None:
            return case
        proc = self.procurator(case)
        s.case_receive(actor=proc, case=case, on=received)
        if self.stays(case, plan, "at_procuracy"):
            return case
        decided = self.step(received, 5, 17)
        if decided is None:
            return case
        if plan.target == "returned":
            s.case_return(actor=proc, case=case, decision_number=f"{rng.randint(1, 90)}/QĐ-VKS",
                          reason="Làm rõ nhân thân, tiền án, tiền sự của bị can và giá trị "
                                 "tài sản.", on=decided)
            return case
        s.case_indict(actor=proc, case=case, document_number=f"{rng.randint(1, 400)}/CT-VKS",
                      on=decided)
        if plan.target == "sent_to_court":
            return case
        accepted = self.step(decided, 2, 6)
        if accepted is None:
            return case
        judge = self.judge(case)
        s.case_accept(actor=judge, case=case, on=accepted)
        if self.stays(case, plan, "at_court"):
            return case
        committed = self.step(accepted, 15, 28)
        if committed is None:
            return case
        trial = committed + timedelta(days=rng.randint(5, 12))
        s.case_commit_to_trial(actor=judge, case=case,
                               decision_number=f"{rng.randint(1, 400)}/QĐXXST-HS",
                               trial_on=trial, on=committed)
        if trial > self.today or self.stays(case, plan, "committed"):
            return case
        s.case_open_trial(actor=judge, case=case, on=trial)
        if plan.target == "trial_open":
            return case
        s.case_judgment(actor=judge, case=case,
                        judgment_number=f"{rng.randint(1, 400)}/{trial.year}/HS-ST",
                        summary="Tuyên bị cáo phạm tội như cáo trạng truy tố.",
                        recovery_ordered=plan.recovery_ordered,
                        sentences={a.pk: f"{rng.choice([9, 12, 18, 24, 30, 36, 48])} tháng tù"
                                   for a in accused}, on=trial)
        return case

    def stays(self, case: Case, plan: Plan, stage: str) -> bool:
        """Stop at the planned stage, unless its limit has already run out: most such
        cases moved on in time; a few (one in seven) stall and show as overdue."""
        if plan.target != stage:
            return False
        case.refresh_from_db()
        return case.due_date is None or case.due_date >= self.today or self.rng.random() < 0.15

    def extend_as_needed(self, case: Case) -> Case:
        """A case still investigated after its limit had it extended by the procuracy, each
        time on the last day to ask (10 days before expiry), as long as the law allows."""
        inv = self.investigator(case)
        while True:
            case.refresh_from_db()
            clock = s.case_clock(case)
            if clock is None or clock.due >= self.today or not clock.can_extend \
                    or clock.request_by is None or clock.request_by >= self.today:
                return case
            request = s.case_request_extension(
                actor=inv, case=case, on=clock.request_by,
                reason="Vụ án phức tạp, cần thêm thời gian truy xét, giám định.")
            s.case_extension_decide(actor=self.procurator(case), request=request, approve=True,
                                    note="Đồng ý gia hạn điều tra.",
                                    on=min(self.today, clock.request_by + timedelta(days=2)))

    def hold(self, case: Case, accused, day: date) -> None:
        """Custody, then detention for investigation three days later."""
        order = f"{self.rng.randint(1, 500)}/QĐ-TG"
        s.measure_order(actor=self.investigator(case), accused=accused, kind="custody",
                        order_number=order, start_on=day)
        if day + timedelta(days=3) <= self.today:
            s.measure_order(actor=self.investigator(case), accused=accused,
                            kind="detention.investigation", order_number=order.replace("TG", "LTG"),
                            start_on=day + timedelta(days=3))

    def release_all(self, case: Case, day: date) -> None:
        """Bail at the end of the investigation for the demo's simple walk."""
        for m in case.measures.filter(released_on__isnull=True):
            s.measure_release(actor=self.investigator(case), measure=m,
                              released_on=max(day, m.start_on),
                              note="Thay thế bằng biện pháp cấm đi khỏi nơi cư trú")


def _plan(rng: random.Random, age: int, severity: str) -> Plan:
    n = rng.choice([1, 1, 1, 1, 2, 2, 3])
    if age < 45:
        target = rng.choices(["investigating", "unsolved"], [75, 25])[0]
    elif age < 130:
        target = rng.choices(["investigating", "unsolved", "sent", "at_procuracy", "returned",
                              "sent_to_court", "at_court", "terminated"],
                             [22, 12, 6, 16, 5, 5, 22, 12])[0]
    elif age < 200:
        target = rng.choices(["judged", "at_court", "committed", "suspended", "terminated",
                              "at_procuracy", "investigating"],
                             [45, 15, 8, 12, 12, 4, 4])[0]
    else:
        target = rng.choices(["judged", "suspended", "terminated"], [70, 15, 15])[0]
    # Held only in young cases: an old one would be far past the detention limit.
    return Plan(target=target, accused=n, custody=severity != "less_serious" and age < 60
                and target == "investigating" and rng.random() < 0.35)


def _ensure_staff(password: str) -> list[tuple[DemoAccount, bool]]:
    out = []
    for account in STAFF:
        user = User.objects.filter(username=account.username).first()
        created = user is None
        if created:
            user = User.objects.create(username=account.username, full_name=account.full_name,
                                       position=account.position,
                                       password=make_password(password))
            audit_record(actor=None, action="user.create", obj=user, to_state="active",
                         note="demo seed")
        membership_grant(actor=None, user=user, unit=Unit.objects.get(code=account.unit_code),
                         role_code=account.role, valid_from=REFORM_DATE)
        out.append((account, created))
    return out


def _charges(source) -> list[s.ChargeInput]:
    clause = source.clause.clause if source.clause_id else None
    return [s.ChargeInput(source.offence.article, clause)]


def _from_sources(demo: _Demo, n: int) -> list[Case]:
    """Cases for the most recent initiated sources: every stage, by age."""
    from pctp.sources.models import Source

    pool = list(Source.objects.filter(status="initiated", case__isnull=True,
                                      offence__isnull=False, holder__code=f"{P}-CA-CSDT")
                .select_related("offence", "clause", "assignee", "holder", "procuracy")
                .order_by("decided_at"))
    # A fair share in the first region, so that its procurator and its court have work.
    first = [x for x in pool if x.procuracy_id == demo.kv1.pk]
    rest = [x for x in pool if x.procuracy_id != demo.kv1.pk]
    sources = first[:round(n * 0.4)]
    sources += demo.rng.sample(rest, min(len(rest), n - len(sources)))
    made = []
    for source in sources:
        actor = source.assignee if source.assignee_id else demo.u["thutruong"]
        try:
            case = s.case_initiate_from_source(actor=actor, source=source,
                                               client_token=f"{TOKEN}{source.pk}")
        except DomainError:
            continue
        age = (demo.today - case.initiated_on).days
        plan = _plan(demo.rng, age, case.severity)
        try:
            demo.walk(case, plan, _charges(source))
        except DomainError as exc:  # a step the dates do not allow: the case stays where it is
            demo.counter["stopped:" + exc.code] += 1
        made.append(case)
        demo.counter[Case.objects.get(pk=case.pk).status] += 1
    return made


def _direct(demo: _Demo, *, key: str, days_ago: int, article: str, clause: int, summary: str,
            origin: str = "in_flagrante", commune=None, investigator: str = "dieutra") -> Case:
    body = Unit.objects.get(code=f"{P}-CA-CSDT")
    commune = commune or demo.kv1.communes.order_by("code").first()
    on = demo.today - timedelta(days=days_ago)
    return s.case_initiate(
        actor=demo.u[investigator], investigation_body=body,
        decision_number=f"{demo.rng.randint(1, 500)}/QĐ-CSĐT", summary=summary,
        charges=[s.ChargeInput(article, clause)], initiated_on=on, origin=origin,
        commune=commune, address=demo.rng.choice(HAMLETS), client_token=f"{TOKEN}{key}")


def _detention_scenarios(demo: _Demo) -> None:
    """Accused held near the limit (10 days, 3 days) and one past it; a pending extension."""
    u, today = demo.u, demo.today
    # Detention for investigation of a serious crime: 90 days. Start so that 8 and 2 days
    # are left; custody 3 days before each.
    for key, left, article, clause in (("near10", 10, "251", 2), ("near3", 2, "168", 2)):
        case = _direct(demo, key=key, days_ago=130, article=article, clause=clause,
                       summary="Bắt quả tang " + ("mua bán trái phép chất ma túy" if article == "251"
                                                  else "cướp tài sản trên đường tỉnh"))
        accused = s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                                charges=[s.ChargeInput(article, clause)],
                                charged_on=case.initiated_on)
        demo.extend_as_needed(case)
        limit = case_deadline("detention.investigation", start=today, severity=case.severity)
        length = (limit.due - today).days
        start = today - timedelta(days=length - left - 3)  # less the 3 days in custody
        s.measure_order(actor=u["dieutra"], accused=accused, kind="custody",
                        order_number=f"{left + 40}/QĐ-TG", start_on=start - timedelta(days=3))
        detention = s.measure_order(actor=u["dieutra"], accused=accused,
                                    kind="detention.investigation", order_number=f"{left + 60}/LTG",
                                    start_on=start)
        if key == "near10":
            s.measure_request_extension(actor=u["dieutra"], measure=detention,
                                        reason="Chờ kết luận giám định chất ma túy và truy xét "
                                               "nguồn cung.", on=today)
    # Custody about to expire: received 66 hours before the seed, so its 72 hours run out
    # six hours after it, unless it is extended (with the procuracy's approval) or the
    # person released. A demo looked at later shows it red, as the law requires.
    received = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=66)
    case = _direct(demo, key="overdue", days_ago=(today - received.date()).days, article="173",
                   clause=2, summary="Bắt quả tang trộm cắp xe máy tại bãi giữ xe chợ")
    accused = s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                            charges=[s.ChargeInput("173", 2)], charged_on=case.initiated_on)
    s.measure_order(actor=u["dieutra"], accused=accused, kind="custody",
                    order_number="37/QĐ-TG", start_on=received)
    # An investigation extension awaiting kiemsat.kv1: limit in 15 days, asked today.
    # Very serious (Art. 174(3)): 4 months, so initiated 4 months before today + 15 days.
    start = add_months(today + timedelta(days=15), -4)
    case = _direct(demo, key="ext", days_ago=(today - start).days, article="174", clause=3,
                   summary="Lừa đảo chiếm đoạt tiền đặt cọc mua đất nền", origin="direct")
    s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                  charges=[s.ChargeInput("174", 3)], charged_on=start)
    s.case_request_extension(actor=u["dieutra"], case=case, on=today,
                             reason="Cần xác minh dòng tiền qua 6 tài khoản ngân hàng.")


def _handovers(demo: _Demo) -> None:
    """Files in transit in the first region, so that each agency has one to receive."""
    # Old enough for the walk's longest gaps (at most 76 days to the conclusion, 96 to the
    # procuracy's decision), so each ends exactly in the wanted stage.
    for key, target, days, article, summary in (
            ("sent", "sent", 80, "174", "Lừa đảo qua mạng xã hội, giả danh nhân viên ngân hàng"),
            ("to-court", "sent_to_court", 100, "173", "Trộm cắp tài sản tại công trình xây dựng"),
            ("back", "returned", 100, "134", "Cố ý gây thương tích trong lúc xô xát tại quán nhậu")):
        case = _direct(demo, key=key, days_ago=days, article=article, clause=2, summary=summary,
                       origin="direct")
        demo.walk(case, Plan(target=target, accused=2), [s.ChargeInput(article, 2)])


def _first_region(demo: _Demo) -> None:
    """Cases of the first region within their limits, at the procuracy and at the court,
    so that kiemsat.kv1 and toaan.kv1 each have current work."""
    u, t = demo.u, demo.today

    def ago(n):
        return t - timedelta(days=n)

    for key, article, summary, steps in (
            ("vks", "173", "Trộm cắp 03 xe máy tại khu nhà trọ công nhân", ("receive",)),
            ("toa", "171", "Cướp giật túi xách của người đi đường", ("receive", "indict", "accept")),
            ("xx", "134", "Cố ý gây thương tích bằng hung khí tại quán cà phê",
             ("receive", "indict", "accept", "commit"))):
        case = _direct(demo, key=f"kv1-{key}", days_ago=70, article=article, clause=2,
                       summary=summary, origin="direct")
        for _ in range(2):
            s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                          charges=[s.ChargeInput(article, 2)], charged_on=ago(68))
        s.case_conclude(actor=u["dieutra"], case=case, document_number=f"{key}/KLĐT", on=ago(30))
        if "receive" in steps:
            s.case_receive(actor=u["kiemsat.kv1"], case=case, on=ago(28 if len(steps) > 1 else 6))
        if "indict" in steps:
            s.case_indict(actor=u["kiemsat.kv1"], case=case, document_number=f"{key}/CT-VKS",
                          on=ago(18))
        if "accept" in steps:
            s.case_accept(actor=u["toaan.kv1"], case=case, on=ago(15))
        if "commit" in steps:
            s.case_commit_to_trial(actor=u["toaan.kv1"], case=case,
                                   decision_number=f"{key}/QĐXXST-HS", trial_on=t + timedelta(days=6),
                                   on=ago(3))


def _quality_scenarios(demo: _Demo) -> None:
    """What the quality page (issue 21) must show: a file the procuracy returned twice, a
    person held in a case then terminated as no crime (wrongful detention), and a case
    suspended although its offender is known. The natural cases are the controls."""
    u, t = demo.u, demo.today

    def ago(n):
        return t - timedelta(days=n)

    # Returned twice by kiemsat.kv1 (CPC Art. 245 allows two returns), now investigated again.
    case = _direct(demo, key="q-returns", days_ago=150, article="174", clause=2,
                   summary="Lừa đảo chiếm đoạt tiền góp vốn mua bán hàng hóa", origin="direct")
    s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                  charges=[s.ChargeInput("174", 2)], charged_on=ago(145))
    for n, (concluded, received, returned, back) in enumerate(
            ((120, 118, 110, 108), (70, 68, 60, 58)), start=1):
        s.case_conclude(actor=u["dieutra"], case=case, document_number=f"q{n}/KLĐT",
                        on=ago(concluded))
        s.case_receive(actor=u["kiemsat.kv1"], case=case, on=ago(received))
        s.case_return(actor=u["kiemsat.kv1"], case=case, decision_number=f"q{n}/QĐ-VKS",
                      reason="Chưa làm rõ dòng tiền và vai trò của đồng phạm.", on=ago(returned))
        s.case_receive_returned(actor=u["dieutra"], case=case, on=ago(back))
    # Held four days, then the act proved no crime (CPC Art. 157.2): State compensation.
    case = _direct(demo, key="q-wrongful", days_ago=50, article="134", clause=1,
                   summary="Tố giác cố ý gây thương tích; giám định xác định tự gây thương tích")
    accused = s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                            charges=[s.ChargeInput("134", 1)], charged_on=ago(49))
    s.measure_order(actor=u["dieutra"], accused=accused, kind="custody",
                    order_number="q1/QĐ-TG", start_on=ago(49))
    demo.release_all(case, ago(46))
    s.case_terminate(actor=u["dieutra"], case=case, ground="not_a_crime",
                     decision_number="q1/QĐ-ĐC", on=ago(20),
                     note="Kết luận giám định: thương tích do tự gây ra.")
    # The same person accused twice in a year, each case terminated: a red flag to review
    # (issue 21, rule "same_person_terminated"); the natural cases are its controls.
    person = demo.person()
    for n, (days, article, summary, ground) in enumerate((
            (200, "173", "Trộm cắp điện thoại tại quán internet", "no_complaint"),
            (120, "134", "Gây thương tích trong lúc xô xát tại bến xe", "no_complaint")),
            start=1):
        case = _direct(demo, key=f"q-flag{n}", days_ago=days, article=article, clause=1,
                       summary=summary, origin="direct")
        s.accused_add(actor=u["dieutra"], case=case, person=person,
                      charges=[s.ChargeInput(article, 1)], charged_on=ago(days - 1))
        s.case_terminate(actor=u["dieutra"], case=case, ground=ground,
                         decision_number=f"q{n + 1}/QĐ-ĐC", on=ago(days - 30),
                         note="Người bị hại rút yêu cầu khởi tố (Điều 155 BLTTHS).")


def _cancelled_decline(demo: _Demo) -> Case | None:
    """A decision not to initiate the first region's procuracy cancelled, initiating the
    case itself, and the investigation body opening it (quality Q9, issue 21)."""
    from pctp.sources.models import Source
    from pctp.sources.services import source_cancel_decline

    source = (Source.objects.filter(status="declined", procuracy=demo.kv1,
                                    holder__code=f"{P}-CA-CSDT", offence__isnull=False,
                                    decided_at__date__gte=demo.today - timedelta(days=120))
              .order_by("pk").first())
    if source is None:
        return None
    source_cancel_decline(actor=demo.u["kiemsat.kv1"], source=source,
                          decision_number="qd/QĐ-VKS",
                          note="Kết quả xác minh bổ sung cho thấy có dấu hiệu tội phạm; quyết "
                               "định không khởi tố không có căn cứ.")
    return s.case_initiate_from_source(actor=demo.u["dieutra"], source=source,
                                       investigator=demo.u["dieutra"])


def _planted_flags(demo: _Demo) -> None:
    """One finding for each red-flag rule that reads data of its own (issue 21), so that the
    demo's sweep measures each rule's precision: these must be raised, and nothing else of
    theirs. (a) A person reporting three times, twice declined; (b) a house reported three
    times anonymously, twice declined; (c) a corruption case of 350 million đồng sent to the
    procuracy with nothing in its recovery ledger; (d) a case terminated the day its
    investigator was replaced."""
    from pctp.sources import services as src
    from pctp.sources.models import ReporterType

    u, t = demo.u, demo.today
    body = Unit.objects.get(code=f"{P}-CA-CSDT")
    communes = list(demo.kv1.communes.order_by("code")[:2])

    def report(n, days_ago, reporter, commune, address, decline):
        at = timezone.make_aware(datetime.combine(t - timedelta(days=days_ago), time(9, 0)))
        source = src.source_receive(
            actor=u["tiepnhan.cqdt"], unit=body, kind="denunciation", channel="in_person",
            summary="Tố giác hàng xóm đe dọa, đập phá tài sản", received_at=at,
            content="Người tố giác trình bày bị hàng xóm nhiều lần đe dọa, ném đá vào nhà.",
            reporter=reporter, commune=commune, address=address,
            client_token=f"{TOKEN}flag-src-{n}")
        src.source_classify(actor=u["tiepnhan.cqdt"], source=source, article="178", clause=1)
        src.source_assign(actor=u["thutruong"], source=source, investigator=u["dieutra"])
        if decline:
            src.source_decline(actor=u["dieutra"], source=source, ground="not_a_crime",
                               decision_number=f"f{n}/QĐ-KKT",
                               note="Thiệt hại dưới mức định lượng, xử phạt hành chính.")

    person = src.Reporter(type=ReporterType.PERSON, name="Trịnh Thị Bảy",
                          personal_id="072180009911", contact="0903111222")
    for n, (days, decline) in enumerate(((200, True), (120, True), (30, False)), start=1):
        report(n, days, person, communes[0], f"{10 + n} đường Nguyễn Chí Thanh", decline)
    anonymous = src.Reporter(type=ReporterType.ANONYMOUS)
    for n, (days, decline) in enumerate(((180, True), (90, True), (20, False)), start=4):
        report(n, days, anonymous, communes[1], "25/4 đường 30 Tháng 4", decline)
    # (c) 350 million lost, the file with the procuracy, nothing seized or returned.
    case = _direct(demo, key="q-loss", days_ago=140, article="353", clause=1,
                   summary="Tham ô tiền thu phí chợ của Ban quản lý chợ xã", origin="direct")
    s.case_set_value(actor=u["dieutra"], case=case, value_lost=350_000_000,
                     note="Theo kết luận giám định tài chính.")
    s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                  charges=[s.ChargeInput("353", 1)], charged_on=t - timedelta(days=130))
    s.case_conclude(actor=u["dieutra"], case=case, document_number="ql/KLĐT",
                    on=t - timedelta(days=40))
    # (d) The investigator replaced today, the case terminated today by the new one.
    case = _direct(demo, key="q-moved", days_ago=60, article="134", clause=1,
                   summary="Cố ý gây thương tích trong lúc tranh chấp ranh giới đất",
                   origin="direct")
    s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                  charges=[s.ChargeInput("134", 1)], charged_on=t - timedelta(days=58))
    s.case_assign(actor=u["thutruong"], case=case, investigator=u["dieutra2"],
                  note="Điều chuyển công tác.")
    s.case_terminate(actor=u["dieutra2"], case=case, ground="no_complaint",
                     decision_number="qm/QĐ-ĐC", on=t,
                     note="Người bị hại rút yêu cầu khởi tố (Điều 155 BLTTHS).")


def _acquittal(demo: _Demo) -> Case:
    """A defendant held in detention for trial and declared not guilty at first instance,
    the procuracy protesting and the provincial court upholding: a red alert on the quality
    page (Q4 and Q7, issue 21)."""
    u, t = demo.u, demo.today

    def ago(n):
        return t - timedelta(days=n)

    case = _direct(demo, key="q-acquit", days_ago=160, article="173", clause=2,
                   summary="Trộm cắp xe máy tại bãi giữ xe chợ đêm; bị cáo phủ nhận",
                   origin="direct")
    accused = [s.accused_add(actor=u["dieutra"], case=case, person=demo.person(),
                             charges=[s.ChargeInput("173", 2)], charged_on=ago(158))
               for _ in range(2)]
    s.case_conclude(actor=u["dieutra"], case=case, document_number="qa/KLĐT", on=ago(110))
    s.case_receive(actor=u["kiemsat.kv1"], case=case, on=ago(108))
    s.case_indict(actor=u["kiemsat.kv1"], case=case, document_number="qa/CT-VKS", on=ago(95))
    s.case_accept(actor=u["toaan.kv1"], case=case, on=ago(92))
    s.measure_order(actor=u["toaan.kv1"], accused=accused[0], kind="detention",
                    order_number="qa/LTG-TA", start_on=ago(92))
    s.case_commit_to_trial(actor=u["toaan.kv1"], case=case, decision_number="qa/QĐXXST-HS",
                           trial_on=ago(62), on=ago(70))
    s.case_open_trial(actor=u["toaan.kv1"], case=case, on=ago(62))
    s.case_judgment(actor=u["toaan.kv1"], case=case, judgment_number="qa/HS-ST",
                    summary="Tuyên bị cáo thứ nhất không có tội do không đủ chứng cứ; bị cáo "
                            "thứ hai phạm tội trộm cắp tài sản.",
                    sentences={accused[1].pk: "18 tháng tù"}, acquitted=[accused[0].pk],
                    on=ago(62))
    protest = appeals.case_protest(actor=u["kiemsat.kv1"], case=case, document_number="qa/KN-VKS",
                                   grounds="Tuyên bị cáo thứ nhất không có tội là không đúng "
                                           "với chứng cứ camera.",
                                   accused=accused[0].pk, on=ago(55))
    appeals.appeal_decide(actor=u["toaan"], appeal=protest, outcome="upheld",
                          decision_number="qa/HS-PT", on=ago(20),
                          note="Không đủ căn cứ chấp nhận kháng nghị.")
    return case


def _appeals(demo: _Demo) -> dict[str, int]:
    """Appeals against about a quarter of the demo's judgments, and the appellate court's
    decisions on those old enough: mostly upheld, some amended (the sentence, the charge,
    the civil part), some withdrawn. Every date is within its limit."""
    u, t = demo.u, demo.today
    rng = random.Random(SEED + 21)
    counts: dict[str, int] = {}
    judged = Case.objects.filter(client_token__contains=TOKEN, status="judged",
                                 appeals__isnull=True).order_by("pk")
    for case in judged:
        if rng.random() > 0.25:
            continue
        filed = case.judgment_on + timedelta(days=rng.randint(3, 14))
        if filed > t:
            continue
        first = case.accused.order_by("position").first()
        if rng.random() < 0.15:
            row = appeals.case_protest(actor=demo.procurator(case), case=case,
                                       document_number=f"{rng.randint(1, 90)}/KN-VKS",
                                       grounds="Mức hình phạt chưa tương xứng với tính chất, "
                                               "mức độ hành vi.", on=filed)
        else:
            appellant = rng.choices(["defendant", "victim"], [80, 20])[0]
            row = appeals.case_appeal(
                actor=demo.judge(case), case=case, appellant=appellant,
                document_number=f"{rng.randint(1, 400)}/ĐKC",
                grounds=("Xin giảm nhẹ hình phạt, xin hưởng án treo." if appellant == "defendant"
                         else "Đề nghị tăng mức bồi thường thiệt hại."),
                accused=first.pk if first and appellant == "defendant" else None, on=filed)
        decided = filed + timedelta(days=rng.randint(30, 70))
        if decided > t:
            counts["pending"] = counts.get("pending", 0) + 1
            continue
        outcome = rng.choices(["upheld", "amended", "withdrawn"], [55, 30, 15])[0]
        reason = rng.choices(["sentence", "charge", "civil"], [70, 15, 15])[0] \
            if outcome == "amended" else ""
        appeals.appeal_decide(actor=u["toaan"], appeal=row, outcome=outcome, reason=reason,
                              decision_number=f"{rng.randint(1, 300)}/HS-PT", on=decided)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _corruption(demo: _Demo) -> list[Case]:
    """Corruption cases with the value lost and recovery entries at each stage."""
    u, today, rng = demo.u, demo.today, demo.rng
    bn = 1_000_000_000
    specs = [("tham-o", "353", 3, "Tham ô tiền hỗ trợ bồi thường giải phóng mặt bằng", 14 * bn),
             ("lam-dung", "355", 2, "Lạm dụng chức vụ chiếm đoạt tiền quỹ hội nông dân xã", 2 * bn),
             ("nhan-hoi-lo", "354", 2, "Nhận hối lộ khi thẩm định hồ sơ cấp phép xây dựng",
              900_000_000)]
    made = []
    for key, article, clause, summary, lost in specs:
        case = _direct(demo, key=key, days_ago=rng.randint(200, 260), article=article,
                       clause=clause, summary=summary, origin="direct")
        inv = u["dieutra"]
        s.case_set_value(actor=inv, case=case, value_lost=lost)
        d = case.initiated_on
        seized = s.recovery_record(actor=inv, case=case, kind="seized", amount=lost // 4,
                                   on=d + timedelta(days=12),
                                   description="Kê biên quyền sử dụng đất và nhà ở")
        s.recovery_record(actor=inv, case=case, kind="frozen", amount=lost // 10,
                          on=d + timedelta(days=15), description="Phong tỏa tài khoản ngân hàng")
        plan = Plan(target="judged" if key == "tham-o" else "at_court", accused=2,
                    recovery_ordered=lost)
        demo.walk(case, plan, [s.ChargeInput(article, clause)])
        case.refresh_from_db()
        s.recovery_record(actor=inv, case=case, kind="returned", amount=lost // 8,
                          on=min(today, d + timedelta(days=60)),
                          description="Bị can tự nguyện nộp lại một phần tiền chiếm đoạt")
        if case.judgment_on:
            s.recovery_record(actor=demo.judge(case), case=case, kind="enforced",
                              amount=lost // 5, on=min(today, case.judgment_on + timedelta(days=20)),
                              description="Bán đấu giá tài sản đã kê biên", realises=seized)
        made.append(case)
    return made


def _groups(demo: _Demo) -> int:
    """Two registered groups whose members appear together across cases, and one more
    ring that the proposals page suggests."""
    u = demo.u
    rings = [("nhom-xe", "173", 2, "Nhóm trộm cắp xe máy tại các chợ khu vực 1", False),
             ("nhom-ma-tuy", "251", 2, "Đường dây mua bán ma túy qua biên giới", True),
             ("nhom-bao-ke", "170", 2, None, False)]
    made = 0
    for key, article, clause, name, dangerous in rings:
        people = [demo.person() for _ in range(4)]
        cases = []
        for i, (a, b) in enumerate(((0, 1), (1, 2), (2, 3), (0, 3))):
            case = _direct(demo, key=f"{key}-{i}", days_ago=150 - 30 * i, article=article,
                           clause=clause, origin="direct",
                           summary={"173": "Trộm cắp xe máy tại chợ", "251": "Mua bán trái phép "
                                    "chất ma túy", "170": "Cưỡng đoạt tiền của tiểu thương"}[article])
            for n in (a, b):
                s.accused_add(actor=u["dieutra"], case=case, person=people[n],
                              charges=[s.ChargeInput(article, clause)],
                              charged_on=case.initiated_on)
            cases.append(demo.extend_as_needed(case))
        if name:
            members = [c.accused.order_by("position")[0] for c in cases]
            s.group_create(actor=u["dieutra"], unit=Unit.objects.get(code=f"{P}-CA-CSDT"),
                           name=name, dangerous=dangerous, status="active",
                           note="Hoạt động theo nhóm, có phân công cảnh giới, tiêu thụ.",
                           members=members, leaders={members[0].pk})
            made += 1
    return made


def seed(*, password: str, stdout, scale: float | None = None) -> dict:
    scale = float(scale if scale is not None else settings.PCTP_DEMO_SCALE)
    stdout.write("Seeding criminal cases…")
    with transaction.atomic():
        accounts = _ensure_staff(password)
        existing = Case.objects.filter(client_token__contains=TOKEN)
        if existing.exists():
            return {"criminal cases": f"{existing.count()} (kept)", "accounts": accounts}
        demo = _Demo(rng=random.Random(SEED), today=timezone.localdate())
        made = _from_sources(demo, max(0, round(CASES * scale)))
        _detention_scenarios(demo)
        _handovers(demo)
        _first_region(demo)
        _quality_scenarios(demo)
        made += _corruption(demo)
        _acquittal(demo)
        _cancelled_decline(demo)
        _planted_flags(demo)
        appealed = _appeals(demo)
        groups = _groups(demo)
    held = Measure.objects.filter(released_on__isnull=True).count()
    by_stage = ", ".join(f"{k} {v}" for k, v in sorted(demo.counter.items()))
    return {"criminal cases": Case.objects.filter(client_token__contains=TOKEN).count(),
            "criminal cases by stage": by_stage, "people held": held,
            "criminal groups": groups,
            "appeals": ", ".join(f"{k} {v}" for k, v in sorted(appealed.items())) or "0",
            "accounts": accounts}
