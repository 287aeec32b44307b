"""The report types, as data: who issues each, to whom, over which scope, with which
sections. A province adds or rewords one here or in its .docx template (issue 20)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class ReportType:
    key: str
    label: str
    scope: str            # "province": the whole province; "unit": the issuing unit's scope
    doc_type: str         # the document's type as printed (Decree 30: "BÁO CÁO")
    summary: str          # "{plan}" and "{period}" are filled in
    addressee: str
    recipients: tuple[str, ...]
    signer_title: str
    causes: bool = False  # the review of causes and conditions of crime


# The wording of an administrative document stays Vietnamese whatever the user's language.
TYPES: dict[str, ReportType] = {t.key: t for t in [  # i18n: data (the fixed wording)
    ReportType(
        "plan", gettext_lazy("Province's report on carrying out the plan"), "province",
        "BÁO CÁO", "Kết quả thực hiện {plan}, {period}",
        "Ban Chỉ đạo phòng, chống tội phạm tỉnh; Ủy ban nhân dân tỉnh",
        ("Ban Chỉ đạo 138 Chính phủ (để báo cáo)", "Bộ Công an (để báo cáo)",
         "Thường trực Tỉnh ủy, HĐND tỉnh (để báo cáo)", "Chủ tịch, các PCT UBND tỉnh",
         "Các sở, ban, ngành, UBND các xã, phường", "Lưu: VT"),
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", causes=True),
    ReportType(
        "unit", gettext_lazy("A unit's periodic report"), "unit",
        "BÁO CÁO", "Kết quả thực hiện {plan}, {period}",
        "Ban Chỉ đạo phòng, chống tội phạm tỉnh",
        ("Ban Chỉ đạo phòng, chống tội phạm tỉnh (để báo cáo)",
         "Công an tỉnh (Phòng Tham mưu) (để tổng hợp)", "Lưu: VT"),
        "THỦ TRƯỞNG ĐƠN VỊ", causes=True),
]}


def get_type(key: str) -> ReportType | None:
    return TYPES.get(key)
