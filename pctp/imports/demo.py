"""The demo's register import: the register of a district police dissolved on 1 July 2025
(Công an huyện Bến Lức), January to June 2025, brought in by the statistics analyst through
the importer, as a province does when it adopts PCTP. Its file is messy as real ones are
(a title block, a header merged over two rows, dates typed three ways, a row with an
impossible date and a number used twice), so the demo shows the refusals too. The matters
still open on paper are open here, held by the provincial investigation body, and overdue."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from pctp.imports import services as s
from pctp.imports.models import ImportJob

NAME = "so-thu-ly-CA-huyen-Ben-Luc-2025.xlsx"
ROWS = 180
SEED = 20250101
OLD_UNIT = "Công an huyện Bến Lức"  # i18n: data (a unit's name as its register wrote it)
HEADERS = ["STT", "Số thụ lý", "Ngày tiếp nhận", "Đơn vị thụ lý", "Loại", "Nội dung",  # i18n: data
           "Điều, khoản", "Xã, phường", "Kết quả giải quyết", "Ngày giải quyết",
           "Số quyết định"]
KINDS = ["Tố giác", "Tin báo", "tố giác", "TIN BÁO", "Kiến nghị khởi tố"]  # i18n: data
COMMUNES = ["Xã Bến Lức", "Thị trấn Bến Lức", "Xã Thạnh Lợi", "Xã Lương Hoà",  # i18n: data
            "Xã Bình Đức", "Xã Mỹ Yên"]


def register_file(scale: float = 1.0) -> bytes:
    """The workbook, deterministic for a scale."""
    from pctp.sources.demo import STORIES, story_texts
    from pctp.units.models import Commune

    rng = random.Random(SEED)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ thụ lý 2025"
    sheet["A1"] = "CÔNG AN TỈNH LONG AN"  # i18n: data (the register's title block)
    sheet["A2"] = "CÔNG AN HUYỆN BẾN LỨC"  # i18n: data
    sheet["A3"] = "SỔ THỤ LÝ TỐ GIÁC, TIN BÁO VỀ TỘI PHẠM VÀ KIẾN NGHỊ KHỞI TỐ NĂM 2025"  # i18n: data
    for c, name in enumerate(HEADERS, start=1):
        sheet.cell(row=5, column=c, value=name)
        sheet.merge_cells(start_row=5, start_column=c, end_row=6, end_column=c)
    communes = {c.name: c for c in Commune.objects.filter(name__in=COMMUNES)}
    stories = [st for st in STORIES if st.origin in ("victim", "police")]
    n_rows = max(12, round(ROWS * scale))
    days = sorted(date(2025, 1, 2) + timedelta(days=rng.randint(0, 178)) for _ in range(n_rows))
    r = 7
    for n, day in enumerate(days, start=1):
        story = rng.choice(stories)
        commune_name = rng.choice(COMMUNES)
        commune = communes.get(commune_name) or communes.get("Xã Bến Lức")
        occurred = timezone.make_aware(
            datetime.combine(day - timedelta(days=rng.randint(0, 2)), time(20, 0)))
        _summary, content, _who, _fill = story_texts(rng, story, commune, occurred, 12.0)
        clause = 1
        received = [day, f"{day:%d/%m/%Y}", (day - date(1899, 12, 30)).days][n % 3]
        outcome, decided, number = "", None, ""
        age = (date(2025, 6, 30) - day).days
        if age > 25 or rng.random() < 0.6:
            outcome = rng.choices(["Khởi tố vụ án", "Không khởi tố", "Tạm đình chỉ"],  # i18n: data
                                  [45, 50, 5])[0]
            decided = day + timedelta(days=rng.randint(5, 28))
            tag = {"Khởi tố vụ án": "QĐ-KTVA", "Không khởi tố": "QĐ-KKTVA",
                   "Tạm đình chỉ": "QĐ-TĐCGQ"}[outcome]
            number = f"{n}/{tag}"
        row = [n, n, received, OLD_UNIT, rng.choice(KINDS), content,
               f"Điều {story.article} khoản {clause} BLHS",  # i18n: data
               commune_name, outcome, f"{decided:%d/%m/%Y}" if decided else None, number]
        if n == 7:
            row[2] = "31/04/2025"  # April has 30 days: refused, with the reason
        if n == 11:
            row[1] = 10  # the clerk typed number 10 twice
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
        r += 1
        if n % 40 == 0:
            r += 1  # a blank row where a page of the paper register ended
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seed(*, password: str, stdout, scale: float | None = None) -> dict:  # noqa: ARG001
    from pctp.core.models import User
    from pctp.sources.demo import demo_scale

    stdout.write("Importing a dissolved district police's register…")
    existing = ImportJob.objects.filter(name=NAME).first()
    if existing is not None:
        return {"register import": f"{existing.created} sources (kept)"}
    analyst = User.objects.get(username="thongke")
    with transaction.atomic():
        job = s.job_create(actor=analyst, kind="sources", name=NAME,
                           data=register_file(demo_scale(scale)))
        job = s.job_configure(actor=analyst, job=job, sheet=job.sheet,
                              header_row=job.header_row, save_as="Sổ thụ lý (mẫu công an huyện)")
        job = s.job_check(actor=analyst, job=job)
    job = s.job_run(actor=analyst, job=job)
    return {"register import": f"{job.created} sources imported, {job.refused} rows refused"}
