"""Structure checks for the 12-digit personal ID number (số định danh cá nhân).

Digits 1–3: province of birth registration (the 63-province coding, 001–096); digit 4:
century and sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s); digits 5–6: the last
two digits of the birth year; 7–12: random (Decree 137/2015, Circular 59/2021). Only the
National Population Database can say a number was issued; this checks what can be checked.
"""

from __future__ import annotations

from datetime import date

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
        raise PersonalIdError("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    province, century, year2 = number[:3], number[3], number[4:6]
    if province not in PROVINCE_CODES:
        raise PersonalIdError(f"Mã tỉnh nơi đăng ký khai sinh {province} không tồn tại.")
    if century not in _CENTURY:
        raise PersonalIdError(f"Chữ số thứ 4 (thế kỷ, giới tính) không hợp lệ: {century}.")
    birth_year = _CENTURY[century] + int(year2)
    if birth_year > (today or date.today()).year:
        raise PersonalIdError(f"Năm sinh {birth_year} nằm trong tương lai.")
    return {"province": province, "sex": "male" if int(century) % 2 == 0 else "female",
            "birth_year": birth_year}


def validate_personal_id(value: str) -> str:
    parse_personal_id(value)
    return value.strip().replace(" ", "")
