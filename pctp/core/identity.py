"""Structure checks for the 12-digit personal ID number (số định danh cá nhân).

Digits 1–3: province of birth registration (the 63-province coding, 001–096); digit 4:
century and sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s); digits 5–6: the last
two digits of the birth year; 7–12: random (Decree 137/2015, Circular 59/2021). Only the
National Population Database can say a number was issued; this checks what can be checked.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
})
_CENTURY = {"0": 1900, "1": 1900, "2": 2000, "3": 2000, "4": 2100, "5": 2100}


class PersonalIdError(ValueError):
    pass


def parse_personal_id(value: str, *, today: date | None = None) -> dict:
    """{'province': '079', 'sex': 'male'|'female', 'birth_year': 1992} or PersonalIdError."""
    number = (value or "").strip().replace(" ", "")
    if len(number) != 12 or not number.isdigit():
        raise PersonalIdError(_("A personal ID number has exactly 12 digits."))
    province, century, year2 = number[:3], number[3], number[4:6]
    if province not in PROVINCE_CODES:
        raise PersonalIdError(_("Birth registration province code %(province)s does not exist.")
                              % {"province": province})
    if century not in _CENTURY:
        raise PersonalIdError(_("The 4th digit (century and sex) is not valid: %(digit)s.")
                              % {"digit": century})
    birth_year = _CENTURY[century] + int(year2)
    if birth_year > (today or date.today()).year:
        raise PersonalIdError(_("Birth year %(year)s is in the future.") % {"year": birth_year})
    return {"province": province, "sex": "male" if int(century) % 2 == 0 else "female",
            "birth_year": birth_year}


def validate_personal_id(value: str) -> str:
    parse_personal_id(value)
    return value.strip().replace(" ", "")
