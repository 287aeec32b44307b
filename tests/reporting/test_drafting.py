"""The report's sentences, written from figures counted by hand (no database)."""

from __future__ import annotations

from pctp.reporting import drafting as d
from pctp.reporting.figures import Printed


def _p(**kw) -> Printed:
    base = dict(code="T4", name="Tỷ lệ điều tra, khám phá", numerator_label="vụ đã khám phá",
                denominator_label="vụ xảy ra", kind="rate", money=False, comparator=">=",
                threshold=75.0, value=87.23, numerator=201, denominator=236, status="met",
                previous_value=84.13, change=3.1, measured="Năm 2026", closed=True)
    base.update(kw)
    return Printed(**base)


def test_numbers_are_written_the_vietnamese_way():
    assert d.number(1234.56) == "1.234,6"
    assert d.number(87.23) == "87,2"
    assert d.number(1234567, 0) == "1.234.567"
    assert d.percent(None) == "–"
    assert d.short_count(_p(money=True), 7_282_500_000) == "7.282,5 tr.đ"


def test_a_rate_over_its_target_and_up_on_last_year():
    assert d.paragraph(_p()) == (
        "Tỷ lệ điều tra, khám phá đạt 87,2% (201/236: vụ đã khám phá trên vụ xảy ra), vượt "
        "chỉ tiêu tối thiểu 75,0%, tăng 3,1 điểm % so với cùng kỳ (84,1%).")


def test_a_rate_missed_down_on_last_year_and_revised_after_closing():
    p = _p(value=60.0, numerator=6, denominator=10, status="missed", previous_value=70.0,
           change=-10.0, revised_value=70.0, revised_numerator=7, revised_denominator=10)
    assert d.paragraph(p) == (
        "Tỷ lệ điều tra, khám phá đạt 60,0% (6/10: vụ đã khám phá trên vụ xảy ra), không đạt "
        "chỉ tiêu tối thiểu 75,0%, giảm 10,0 điểm % so với cùng kỳ (70,0%). Sau khi chốt số "
        "liệu, hồ sơ có điều chỉnh: 70,0% (7/10); báo cáo giữ số đã chốt.")


def test_a_fall_in_crime_against_a_target_of_five_percent_down():
    p = _p(code="T1", name="Tội phạm về trật tự xã hội so với cùng kỳ", kind="change",
           comparator="<=", threshold=-5.0, value=-25.0, numerator=3, denominator=4,
           status="met", previous_value=None, change=None)
    assert d.paragraph(p) == ("Tội phạm về trật tự xã hội so với cùng kỳ: giảm 25,0% (3 so "
                              "với 4 vụ cùng kỳ), vượt chỉ tiêu giảm ít nhất 5,0%.")


def test_no_records_and_too_few_records_say_so():
    empty = _p(value=None, numerator=0, denominator=0, status="no_data")
    assert d.paragraph(empty) == ("Tỷ lệ điều tra, khám phá: trong kỳ không có hồ sơ để tính "
                                  "(vụ xảy ra: 0), chưa đủ số liệu để đánh giá so với chỉ tiêu "
                                  "tối thiểu 75,0%.")
    few = _p(value=100.0, numerator=3, denominator=3, status="no_data", previous_value=None,
             change=None)
    assert "chưa đủ số liệu để đánh giá" in d.paragraph(few)
    assert "chưa có số liệu cùng kỳ để so sánh" in d.paragraph(few)


def test_the_overview_counts_each_status():
    figures = [_p(status="met"), _p(status="met"), _p(status="at_risk"), _p(status="missed"),
               _p(status="no_data")]
    assert d.overview(figures) == ("Trong kỳ, 2/5 chỉ tiêu đạt, 1 chỉ tiêu chưa đạt nhưng sát "
                                   "ngưỡng, 1 chỉ tiêu không đạt, 1 chỉ tiêu chưa đủ số liệu "
                                   "để đánh giá.")
