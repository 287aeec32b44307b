"""The default article-to-crime-group mapping (DOMAIN.md §2, an open point).

No official list was found, so this is shipped as editable reference data (OffenceGroup
rows) with this basis, and the mapping in force is shown next to every group figure.
"""

from __future__ import annotations

from datetime import date

# Stored with each OffenceGroup row as its basis.
BASIS = "Mặc định của PCTP theo chương BLHS (DOMAIN.md §2); có thể chỉnh sửa"  # i18n: data
EFFECTIVE_FROM = date(2018, 1, 1)  # the Penal Code 2015 took effect

_BY_CHAPTER = {
    "XIII": "national_security",
    "XIV": "social_order",
    "XV": "social_order",
    "XVI": "social_order",
    "XVII": "social_order",
    "XVIII": "economic",
    "XIX": "environment",
    "XX": "drugs",
    "XXI": "social_order",
    "XXII": "social_order",
    "XXIII": "corruption",
    "XXIV": "social_order",
    "XXV": "other",
    "XXVI": "other",
}

# Articles whose group differs from their chapter's.
_EXCEPTIONS = {
    # Chapter XXI section 2: crimes in information technology and telecom networks.
    **{str(n): "high_tech" for n in range(285, 295)},
    # Food safety (Art. 317) is handled with environment by the environment police.
    "317": "environment",
}


def default_group(article: str, chapter: str) -> str:
    return _EXCEPTIONS.get(article, _BY_CHAPTER[chapter])
