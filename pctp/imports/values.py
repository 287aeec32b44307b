"""Values the way registers hold them. Each parser returns the value or raises
ValueProblem with a reason a clerk can act on (in the user's language)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.money import MoneyError, parse_vnd
from pctp.law.selectors import fold

# Excel counts days from 30 December 1899 (its 1900 leap-year bug included).
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_RANGE = (20_000, 80_000)  # 1954-10-03 .. 2119-01-10: serials a register can hold
_DAY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})"
                  r"(?:\s*[, ]\s*(\d{1,2})\s*[:hg]\s*(\d{1,2})?(?:\s*:\s*(\d{1,2}))?\s*(?:p|phut)?)?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_TIME_FIRST = re.compile(r"^\s*(\d{1,2})\s*[:hg]\s*(\d{1,2})?\s*(?:p|phut)?\s*(?:,|ngay)?\s*(.+)$")


class ValueProblem(ValueError):
    """Why a cell cannot be read."""


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


# Words that open the name of a place or a body, never of a person.
_PLACE_WORDS = (  # i18n: data (name prefixes)
    "xã", "phường", "thị trấn", "thị xã", "thành phố", "tỉnh", "huyện", "quận", "đặc khu",
    "công an", "cơ quan", "viện", "tòa", "toà", "sở", "ủy ban", "uỷ ban", "ban", "phòng",
    "đội", "trại", "bộ")


# The commonest Vietnamese family names (about nine in ten people bear one): a cell that
# opens with one reads as a name whatever its case (a TCVN3 file reads in small letters).
SURNAMES = frozenset(  # i18n: data (family names)
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào đoàn vương "
    "trương đinh lâm mai trịnh lưu tạ châu cao hà quách thái tô tăng".split())


def looks_personal(value: str) -> bool:
    """Whether a cell reads like a person's name ("Lê Thị Riêng Tư", "nguyễn văn an",
    "Nguyễn T. Hoa", "Nguyễn Văn An 1990") or an identity number (8 to 13 digits, perhaps
    grouped by spaces or hyphens). Used to keep a shifted column's name out of a report,
    never to decide anything."""
    compact = value.replace(" ", "").replace("-", "")
    if compact.isdigit():
        return 8 <= len(compact) <= 13
    words = [w for w in value.split() if not w.isdigit()]  # a year written after the name
    if not 2 <= len(words) <= 6 or value.lower().startswith(_PLACE_WORDS):
        return False
    if not all(w.rstrip(".").isalpha() for w in words):
        return False
    if words[0].lower() in SURNAMES:
        return True
    return all(w[:1].isupper() for w in words)


def _make(year: int, month: int, day: int) -> date:
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem(_("%(d)02d/%(m)02d/%(y)s is not a day of the calendar.")
                           % {"d": day, "m": month, "y": year}) from None


def _serial(number: float) -> datetime:
    if not _EXCEL_RANGE[0] <= number <= _EXCEL_RANGE[1]:
        raise ValueProblem(_("The number %(n)s is not a date (an Excel date is a day "
                             "number between 20000 and 80000).") % {"n": text(number)})
    return datetime.combine(_EXCEL_EPOCH, time()) + timedelta(days=number)


def parse_moment(value) -> tuple[date, time | None]:
    """A day, and the time of day when the cell has one: dd/mm/yyyy (or d/m/yy, with
    / . or -), "dd/mm/yyyy hh:mm", "08h30 ngày 05/3/2024", yyyy-mm-dd, "ngày 5 tháng 3 năm
    2024", an Excel serial number or a cell Excel already typed as a date."""
    if isinstance(value, datetime):
        moment = value
        return moment.date(), (moment.time() if moment.time() != time() else None)
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = _serial(float(value))
        return moment.date(), (moment.time().replace(microsecond=0)
                               if moment.time() != time() else None)
    raw = text(value)
    if not raw:
        raise ValueProblem(_("The date is missing."))
    if re.fullmatch(r"\d{5}(?:\.\d+)?", raw):
        return parse_moment(float(raw))
    folded = fold(raw)
    at = None
    m = _TIME_FIRST.match(folded)
    if m and not _DAY.match(folded) and not _ISO.match(folded):
        at = _clock(m.group(1), m.group(2), None)
        folded = m.group(3)
    if m := _DAY.match(folded):
        day = _make(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return day, _clock(m.group(4), m.group(5), m.group(6)) if m.group(4) else at
    if m := _ISO.match(folded):
        day = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return day, _clock(m.group(4), m.group(5), m.group(6)) if m.group(4) else at
    if m := _WORDS.search(folded):
        return _make(int(m.group(3)), int(m.group(2)), int(m.group(1))), at
    raise ValueProblem(_("Cannot read “%(v)s” as a date: write it as dd/mm/yyyy.")
                       % {"v": raw[:60]})


def _clock(hour, minute, second) -> time:
    try:
        return time(int(hour), int(minute or 0), int(second or 0))
    except ValueError:
        raise ValueProblem(_("%(h)s:%(m)s is not a time of day.")
                           % {"h": hour, "m": minute or "00"}) from None


def parse_day(value) -> date:
    return parse_moment(value)[0]


def aware(day: date, at: time | None, default: time = time(8, 0)) -> datetime:
    """The moment in the deployment's time zone (8:00 when the register gives the day
    only: offices open at 7:30, so a clock counted from the day is never shortened)."""
    return timezone.make_aware(datetime.combine(day, at or default))


def parse_money(value) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return parse_vnd(value)
    except MoneyError as exc:
        raise ValueProblem(str(exc)) from None


_ARTICLE = re.compile(r"(?:dieu|d\.?)\s*(\d{1,3}[a-z]?)\b")
_CLAUSE = re.compile(r"(?:khoan|k\.?)\s*(\d{1,2})\b")
_BARE = re.compile(r"^\s*(\d{1,3}[a-z]?)(?:\s*[./,-]\s*(\d{1,2}))?\s*(?:blhs)?\s*$")


def parse_article(value) -> tuple[str, int | None]:
    """"Điều 173 khoản 2 BLHS", "khoản 2 Điều 173", "Đ.173 K.2", "173.2", "173/2" and
    "173" as (article, clause or None)."""
    raw = text(value)
    folded = fold(raw)
    if m := _BARE.match(folded):
        return m.group(1), int(m.group(2)) if m.group(2) else None
    article = _ARTICLE.search(folded)
    if article is None:
        raise ValueProblem(_("Cannot find an article of the Penal Code in “%(v)s”: write "
                             "it as “Điều 173 khoản 1”.") % {"v": raw[:80]})
    clause = _CLAUSE.search(folded)
    return article.group(1), int(clause.group(1)) if clause else None


def words(value) -> str:
    """Folded, with punctuation as spaces: for matching headers and choices."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text(value))).split())


def choose(value, choices: dict[str, str], what: str) -> str:
    """The code whose words (any of them) the cell holds; longest phrase first, so "không
    khởi tố" is not read as "khởi tố"."""
    folded = words(value)
    if not folded:
        raise ValueProblem(_("%(what)s is missing.") % {"what": what})
    for phrase in sorted(choices, key=len, reverse=True):
        if re.search(rf"(?:^| ){re.escape(phrase)}(?: |$)", folded):
            return choices[phrase]
    raise ValueProblem(_("“%(v)s” is not one of the values of %(what)s.")
                       % {"v": text(value)[:60], "what": what})
