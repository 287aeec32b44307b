"""Demo key areas of Tỉnh Tây Ninh: the Steering Committee's lists of 2025 and 2026, walked
with the product's own services and dated in the past, so that every status appears:
selected, being transformed, transformed, not transformed, removed from the list, relapsed
(one found by the monthly watch, one selected again), a part of a commune drawn on the map,
measures as tasks of the transformation plans, model communes.

The areas are chosen from the demo's own records: the ones that stay transformed are in
communes whose records meet the criteria, the one that relapses in a commune whose crimes
rose in 2026. The demo holds no records of 2024, so the levels at selection of the 2025 list
come from the Steering Committee's dossier (`recorded_level`). Running the seed again
changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from pctp.areas import services as s
from pctp.areas.figures import criteria, ranking
from pctp.areas.models import KeyArea, ModelCommune, groups_of
from pctp.cases.selectors import crimes_in
from pctp.core.models import User
from pctp.units.demo import PROVINCE
from pctp.units.models import Commune, Unit

P = f"P{PROVINCE}"
DECIDED_2025 = date(2025, 2, 20)
STARTED_2025 = date(2025, 3, 5)
SIGNED_2025 = date(2025, 12, 22)
REMOVED_2025 = date(2026, 1, 20)
DECIDED_2026 = date(2026, 2, 25)
STARTED_2026 = date(2026, 3, 10)

MET = s.Recorded(
    community_model=True,
    community_model_evidence="Mô hình «Tổ liên gia tự quản về an ninh, trật tự» hoạt động ở "
                             "tất cả các ấp, khu phố; biên bản kiểm tra của Công an tỉnh.",
    political_system=True,
    political_system_evidence="Nghị quyết chuyên đề của Đảng ủy; chi bộ, ban điều hành ấp "
                              "được kiện toàn; báo cáo của UBND xã.",
    conventions=True,
    conventions_evidence="Hương ước, quy ước ấp được rà soát, ký cam kết thực hiện; 96% hộ "
                         "gia đình ký cam kết.")
NOT_MET = s.Recorded(
    community_model=True,
    community_model_evidence="Tổ tự quản mới thành lập ở 3/7 ấp.",
    political_system=False, political_system_evidence="",
    conventions=False, conventions_evidence="",
    note="Tình hình trộm cắp, cờ bạc vẫn phức tạp ở các ấp giáp ranh; tiếp tục chuyển hóa.")

MEASURES = [
    ("Tổng rà soát đối tượng, địa bàn; lập danh sách người nghiện, đối tượng hình sự",
     "Công an xã chủ trì rà soát, phân loại đối tượng; cập nhật cơ sở dữ liệu dân cư."),
    ("Tuần tra, kiểm soát ban đêm tại các điểm phức tạp",
     "Bố trí tổ tuần tra liên ngành (công an, dân quân, bảo vệ dân phố) từ 20 giờ đến 2 giờ."),
    ("Xây dựng mô hình tự quản về an ninh, trật tự ở ấp, khu phố",
     "Thành lập tổ liên gia tự quản, camera an ninh cộng đồng; ký cam kết của hộ gia đình."),
]


def _clean(commune: Commune, as_of: date) -> bool:
    """The records of the commune meet every data-driven criterion in the 2025 assessment
    and in every month watched since (each case detected, each source handled)."""
    at_signing = criteria(commune, DECIDED_2025, date(2025, 12, 31), as_of=SIGNED_2025)
    since = criteria(commune, date(2025, 1, 1), as_of, as_of=as_of)["criteria"]
    return (all(c["passed"] for c in at_signing["criteria"].values())
            and since["detection"]["numerator"] == since["detection"]["denominator"]
            and since["sources"]["numerator"] == since["sources"]["denominator"]
            and since["dangerous_groups"]["passed"])


def _signable(commune: Commune) -> bool:
    at_signing = criteria(commune, DECIDED_2025, date(2025, 12, 31), as_of=SIGNED_2025)
    return all(c["passed"] for c in at_signing["criteria"].values())


def _crimes_since(commune: Commune, as_of: date) -> int:
    return crimes_in([commune.pk], date(2025, 1, 1), as_of, groups_of(["social_order"])).count()


def _part(commune: Commune) -> dict:
    d = 0.012
    x, y = commune.lon, commune.lat
    return {"type": "Polygon",
            "coordinates": [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d],
                             [x - d, y - d]]]}


class _Demo:
    def __init__(self, today: date):
        self.today = today
        self.leader = User.objects.get(username="lanhdao")
        self.steering = Unit.objects.get(code=f"{P}-BCD138")
        self.n = 0

    def police(self, commune: Commune) -> Unit:
        return Unit.objects.get(code=f"{P}-CAX-{commune.code}")

    def coordinating(self, commune: Commune) -> list[Unit]:
        return [Unit.objects.get(code=f"{P}-UBNDX-{commune.code}"),
                Unit.objects.get(code=f"{P}-CA-PC06"), Unit.objects.get(code=f"{P}-MTTQ")]

    def select(self, commune: Commune, *, year: int, on: date, number: str, types=None,
               reasons: str = "", level: int | None = None, **kwargs) -> KeyArea:
        return s.area_select(
            actor=self.leader, year=year, commune=commune, name=kwargs.pop("name", ""),
            types=types or ["social_order"], decision_number=number, decision_date=on,
            steering_unit=self.steering, lead_unit=self.police(commune),
            coordinating_units=self.coordinating(commune), reasons=reasons,
            recorded_level=level, **kwargs)

    def measures(self, area: KeyArea, deadline_year: int) -> None:
        for i, (title, content) in enumerate(MEASURES):
            s.area_add_measure(actor=self.leader, area=area, title=title, content=content,
                               lead_unit=area.lead_unit if i != 2 else Unit.objects.get(
                                   code=f"{P}-UBNDX-{area.commune.code}"),
                               deadline=date(deadline_year, 4 + 3 * i, 30),
                               coordinating_units=[] if i != 2 else [area.lead_unit],
                               today=area.status_since)

    def assess(self, area: KeyArea, recorded: s.Recorded, *, on: date) -> None:
        draft = s.assessment_draft(actor=self.leader, area=area, recorded=recorded, as_of=on)
        s.assessment_sign(actor=self.leader, assessment=draft, on=on)


def _choose(today: date) -> dict[str, list[Commune]]:
    communes = list(Commune.objects.filter(province__code=PROVINCE).order_by("code"))
    first = communes[0]  # the demo's commune police chief (truongcax1) sees this one
    clean = [c for c in communes[1:] if _clean(c, today)]
    clean.sort(key=lambda c: (_crimes_since(c, today), c.code))
    busy = sorted((c for c in communes[1:] if c not in clean and _signable(c)),
                  key=lambda c: (-_crimes_since(c, today), c.code))
    used = {first.pk, *[c.pk for c in clean[:3]], *[c.pk for c in clean[-1:]],
            *[c.pk for c in busy[:1]]}
    ranked = [r.commune for r in ranking(year=2025, area_type="social_order", as_of=today)
              if r.commune.pk not in used and r.crimes]
    others = [c for c in communes[1:] if c.pk not in used and c not in ranked]
    return {"first": [first], "clean": clean, "busy": busy, "ranked": ranked + others}


def _progress(area: KeyArea) -> None:
    """The commune police chief of the demo (truongcax1) works on the area's measures: one
    accepted by the Steering Committee, one in progress."""
    from pctp.plans import services as plans

    chief = User.objects.filter(username="truongcax1").first()
    area.refresh_from_db()
    tasks = list(area.plan.tasks.order_by("number")) if area.plan_id else []
    if chief is None or len(tasks) < 2 or tasks[0].lead_unit_id != area.lead_unit_id:
        return
    plans.task_start(actor=chief, task=tasks[0])
    plans.task_submit(actor=chief, task=tasks[0],
                      text="Đã rà soát 1.240 hộ, lập danh sách 37 đối tượng; cập nhật cơ sở "
                           "dữ liệu dân cư.")
    plans.task_accept(actor=User.objects.get(username="lanhdao"), task=tasks[0],
                      note="Đạt yêu cầu.")
    plans.task_report_progress(actor=chief, task=tasks[1], percent=60,
                               text="Duy trì 3 tổ tuần tra ban đêm; bắt 2 vụ trộm cắp quả tang.")


@transaction.atomic
def _seed(stdout) -> dict:
    today = timezone.localdate()
    demo = _Demo(today)
    pick = _choose(today)
    clean, busy, ranked = pick["clean"], pick["busy"], pick["ranked"]
    if len(clean) < 4 or not busy or len(ranked) < 5:
        stdout.write("  not enough demo records to choose key areas; skipped")
        return {}
    d25 = "15/QĐ-BCĐ138"
    reason25 = ("Trộm cắp tài sản, cờ bạc, tụ tập gây rối kéo dài; nhiều nguồn tin tố giác "
                "chậm giải quyết (hồ sơ đề xuất của Công an tỉnh).")
    n = {c.pk: _crimes_since(c, today) for c in clean}
    # 2025 list: the levels at selection come from the dossier (no records of 2024). The
    # busiest clean commune gets a level just above its crimes since: the watch warns.
    last = clean[-1]
    stays = [demo.select(clean[0], year=2025, on=DECIDED_2025, number=d25, reasons=reason25,
                         level=max(6, n[clean[0].pk] + 4)),
             demo.select(last, year=2025, on=DECIDED_2025, number=d25, reasons=reason25,
                         level=n[last.pk] + 1 if n[last.pk] >= 3 else 6)]
    relapses = demo.select(busy[0], year=2025, on=DECIDED_2025, number=d25, reasons=reason25,
                           level=5, types=["social_order", "drugs"])
    kept = demo.select(clean[1], year=2025, on=DECIDED_2025, number=d25, reasons=reason25,
                       level=max(7, n[clean[1].pk] + 4),
                       name=f"Khu chợ và bến xe {clean[1].name[0].lower()}{clean[1].name[1:]}",
                       part_description="Khu vực chợ trung tâm, bến xe và các dãy nhà trọ "
                                        "xung quanh", part_geometry=_part(clean[1]))
    reselected = demo.select(clean[2], year=2025, on=DECIDED_2025, number=d25,
                             reasons=reason25, level=6)
    not_done = [demo.select(c, year=2025, on=DECIDED_2025, number=d25, reasons=reason25,
                            level=9, types=["social_order", "economic"]) for c in ranked[:2]]
    areas25 = [*stays, relapses, kept, reselected, *not_done]
    for area in areas25:
        s.area_start(actor=demo.leader, area=area, on=STARTED_2025)
        demo.measures(area, 2025)
    for area in [*stays, relapses, kept, reselected]:
        demo.assess(area, MET, on=SIGNED_2025)
    for area in not_done:
        demo.assess(area, NOT_MET, on=SIGNED_2025)
    for area in [*stays, relapses, reselected]:
        s.area_remove(actor=demo.leader, area=area, decision_number="03/QĐ-BCĐ138",
                      on=REMOVED_2025, note="Đã đạt các tiêu chí chuyển hóa năm 2025.")

    # 2026 list: selected again, carried over, and new areas from the 2025 ranking.
    d26 = "08/QĐ-BCĐ138"
    reason26 = "Xếp hạng cao trong danh sách xã, phường theo số liệu năm 2025."
    areas26 = [
        demo.select(clean[2], year=2026, on=DECIDED_2026, number=d26,
                    reasons="Tái phức tạp: trộm cắp, cờ bạc trở lại sau khi đưa ra khỏi "
                            "danh sách."),
        demo.select(ranked[1], year=2026, on=DECIDED_2026, number=d26,
                    reasons="Chưa đạt tiêu chí chuyển hóa năm 2025; tiếp tục chuyển hóa.",
                    types=["social_order", "economic"]),
        demo.select(pick["first"][0], year=2026, on=DECIDED_2026, number=d26,
                    reasons=reason26, level=8),
        demo.select(ranked[2], year=2026, on=DECIDED_2026, number=d26, reasons=reason26,
                    types=["social_order", "drugs"], level=10),
        demo.select(ranked[3], year=2026, on=DECIDED_2026, number=d26, reasons=reason26,
                    types=["drugs"], level=6),
    ]
    for area in areas26:
        s.area_start(actor=demo.leader, area=area, on=STARTED_2026)
        demo.measures(area, 2026)
    _progress(areas26[2])
    s.assessment_draft(actor=demo.leader, area=areas26[2], recorded=MET,
                       as_of=today - timedelta(days=3))
    late = demo.select(ranked[4], year=2026, on=min(date(2026, 10, 5), today),
                       number="21/QĐ-BCĐ138",
                       reasons="Bổ sung: nhiều vụ việc về môi trường, an toàn thực phẩm.",
                       types=["environment"])

    mc1 = s.model_commune_record(actor=demo.leader, commune=stays[0].commune,
                                 kind=ModelCommune.Kind.SECURITY, year=2026,
                                 status=ModelCommune.Status.RECOGNISED,
                                 decision_number="112/QĐ-UBND", decision_date=date(2026, 6, 15),
                                 areas=[stays[0]],
                                 note="Công nhận xã điển hình phong trào Toàn dân bảo vệ an "
                                      "ninh Tổ quốc.")
    s.model_commune_record(actor=demo.leader, commune=pick["first"][0],
                           kind=ModelCommune.Kind.URBAN_ORDER, year=2026,
                           areas=[areas26[2]], note="Đăng ký xây dựng phường kiểu mẫu về "
                                                    "trật tự đô thị.")
    s.model_commune_record(actor=demo.leader, commune=stays[1].commune,
                           kind=ModelCommune.Kind.SECURITY, year=2026, areas=[stays[1]])

    run = s.watch_run(today=today, commit=True)
    del mc1, late
    return {"key areas": KeyArea.objects.count(), "key areas relapsed by the watch":
            len(run.relapsed), "relapse warnings": len(run.warnings)}


def seed(*, password: str, stdout) -> dict:
    if KeyArea.objects.exists():
        return {"key areas": KeyArea.objects.count()}
    if not User.objects.filter(username="lanhdao").exists():
        return {}
    stdout.write("Seeding key areas (2025 and 2026 lists)…")
    return _seed(stdout)
