"""Which first-instance court tries a case (CPC Art. 268), by the version in force on the
day the case is sent to court. Pure functions.

From 01/07/2025 (Law 99/2025/QH15, khoản 31 Điều 1): the regional court (TAND khu vực)
tries crimes whose heaviest bracket (mức cao nhất của khung hình phạt) is at most 20
years' imprisonment, whatever their class; the provincial court tries the rest (brackets
topped by life imprisonment or death), and may also take up a regional case that is
complex, of public concern or involves senior officials (Art. 268(2)(b)).

Before (CPC 2015 text): the district court tried less serious, serious and very serious
crimes, except crimes against national security, against peace and humanity and war
crimes, and a listed set of articles; the provincial court the rest. The province's
courts below the provincial one are regional courts since 01/07/2025, and older cases are
taken to have gone to the court that then held the district's jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

REFORM_2025 = date(2025, 7, 1)
REGIONAL = "regional"
PROVINCIAL = "provincial"

# CPC 2015 Art. 268(1)(a) (text before 01/07/2025): articles the district court did not try.
_OLD_EXCLUDED = {"123", "125", "126", "227", "277", "278", "279", "280", "282", "283", "284",
                 "286", "287", "288", "337", "368", "369", "370", "371", "399", "400"}
_OLD_EXCLUDED_CHAPTERS = {"XIII", "XXVI"}


def court_level(brackets: Iterable[tuple[str, str, str, float | None, str]], *, on: date) -> str:
    """'regional' or 'provincial' for a case whose charges are ``brackets``: (article,
    chapter, max_penalty, max_years, severity) of each charge's applicable bracket."""
    rows = list(brackets)
    if on >= REFORM_2025:
        heavy = any(p in ("life", "death") or (p == "prison" and (y or 0) > 20)
                    for _a, _c, p, y, _s in rows)
        return PROVINCIAL if heavy else REGIONAL
    for article, chapter, _p, _y, severity in rows:
        if severity == "especially_serious" or article in _OLD_EXCLUDED \
                or chapter in _OLD_EXCLUDED_CHAPTERS:
            return PROVINCIAL
    return REGIONAL


def reason(level: str, *, on: date) -> str:
    if on >= REFORM_2025:
        return (_("CPC Art. 268 (amended 2025): a top penalty over 20 years in prison, life "
                  "imprisonment or death is for the provincial people's court")
                if level == PROVINCIAL else
                _("CPC Art. 268 (amended 2025): a top penalty up to 20 years in prison is for the "
                  "regional people's court"))
    return (_("CPC Art. 268 (2015): an especially serious crime or one on the excluded list is "
              "for the provincial people's court") if level == PROVINCIAL else
            _("CPC Art. 268 (2015): the lower court's jurisdiction"))
