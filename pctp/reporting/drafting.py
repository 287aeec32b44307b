"""The report's sentences drafted from the figures, in Vietnamese as an administrative
document is written: "Tỷ lệ điều tra, khám phá đạt 87,2% (201/236), vượt chỉ tiêu 75%,
tăng 3,1 điểm % so với cùng kỳ". Numbers with a decimal comma and thousands dots."""

from __future__ import annotations

from pctp.core.money import format_vnd
from pctp.reporting.figures import Printed


def number(value: float | int | None, decimals: int = 1) -> str:
    """1234.56 -> "1.234,6"; 12 -> "12"."""
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer() and decimals == 0:
        return f"{int(value):,}".replace(",", ".")
    text = f"{float(value):,.{decimals}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # what rounds to zero has no sign
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{number(value)}%"


def count(p: Printed, n: int) -> str:
    return format_vnd(n) if p.money else number(int(n), 0)


def short_count(p: Printed, n: int) -> str:
    """In a table cell: money in millions of đồng ("7.282,5 tr.đ")."""
    return f"{number(n / 1_000_000)} tr.đ" if p.money else number(int(n), 0)  # i18n: data


COMPARATOR_WORDS = {">=": "tối thiểu", ">": "trên", "<=": "tối đa", "<": "dưới"}  # i18n: data


def target_words(p: Printed) -> str:
    """"tối thiểu 75,0%"; for a change against last year, "giảm ít nhất 5,0%"."""
    if p.kind == "change" and p.comparator in ("<=", "<") and p.threshold <= 0:
        return f"giảm ít nhất {percent(abs(p.threshold))}"  # i18n: data
    if p.kind == "change" and p.comparator in ("<=", "<"):
        return f"tăng không quá {percent(p.threshold)}"  # i18n: data
    return f"{COMPARATOR_WORDS.get(p.comparator, p.comparator)} {percent(p.threshold)}"


def _against_target(p: Printed) -> str:
    target = f"chỉ tiêu {target_words(p)}"  # i18n: data
    if p.status == "no_data":
        return f"chưa đủ số liệu để đánh giá so với {target}"  # i18n: data
    if p.status == "met":
        beyond = p.value is not None and p.value != p.threshold
        return f"{'vượt' if beyond else 'đạt'} {target}"  # i18n: data
    if p.status == "at_risk":
        return f"chưa đạt {target} (sát ngưỡng)"  # i18n: data
    return f"không đạt {target}"  # i18n: data


def _against_last_year(p: Printed) -> str:
    if p.change is None:
        return "chưa có số liệu cùng kỳ để so sánh"  # i18n: data
    if abs(p.change) < 0.05:  # what rounds to 0,0 reads as no change
        return "không đổi so với cùng kỳ"  # i18n: data
    word = "tăng" if p.change > 0 else "giảm"  # i18n: data
    return f"{word} {number(abs(p.change))} điểm % so với cùng kỳ ({percent(p.previous_value)})"  # i18n: data


def paragraph(p: Printed) -> str:
    """One target's sentence."""
    if p.kind == "change":
        if p.value is None:
            head = f"{p.name}: chưa có số liệu cùng kỳ để so sánh ({count(p, p.numerator)} vụ trong kỳ)"  # i18n: data
        else:
            word = "tăng" if p.value > 0 else "giảm"  # i18n: data
            head = (f"{p.name}: {word} {percent(abs(p.value))} ({count(p, p.numerator)} so với "
                    f"{count(p, p.denominator)} vụ cùng kỳ)")  # i18n: data
        text = f"{head}, {_against_target(p)}."
    elif not p.denominator:
        text = (f"{p.name}: trong kỳ không có hồ sơ để tính ({p.denominator_label}: 0), "
                f"{_against_target(p)}.")  # i18n: data
    else:
        head = (f"{p.name} đạt {percent(p.value)} ({count(p, p.numerator)}/"
                f"{count(p, p.denominator)}: {p.numerator_label} trên {p.denominator_label})")  # i18n: data
        text = f"{head}, {_against_target(p)}, {_against_last_year(p)}."
    if p.revised:
        text += (f" Sau khi chốt số liệu, hồ sơ có điều chỉnh: {percent(p.revised_value)} "
                 f"({count(p, p.revised_numerator)}/{count(p, p.revised_denominator)}); "
                 "báo cáo giữ số đã chốt.")  # i18n: data
    return text


def overview(figures: list[Printed]) -> str:
    met = sum(1 for p in figures if p.status == "met")
    risk = sum(1 for p in figures if p.status == "at_risk")
    missed = sum(1 for p in figures if p.status == "missed")
    none = sum(1 for p in figures if p.status == "no_data")
    parts = [f"{met}/{len(figures)} chỉ tiêu đạt"]  # i18n: data
    if risk:
        parts.append(f"{risk} chỉ tiêu chưa đạt nhưng sát ngưỡng")  # i18n: data
    if missed:
        parts.append(f"{missed} chỉ tiêu không đạt")  # i18n: data
    if none:
        parts.append(f"{none} chỉ tiêu chưa đủ số liệu để đánh giá")  # i18n: data
    return "Trong kỳ, " + ", ".join(parts) + "."  # i18n: data
