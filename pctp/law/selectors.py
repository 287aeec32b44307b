from __future__ import annotations

import unicodedata

from django.db.models import Q, QuerySet

from pctp.law.models import Offence


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: "Trộm cắp" -> "trom cap"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


def offence_list(*, query: str = "", chapter: str = "", group: str = "") -> QuerySet[Offence]:
    offences = Offence.objects.prefetch_related("clauses__versions", "groups").order_by("number", "suffix")
    if chapter:
        offences = offences.filter(chapter=chapter)
    if group:
        offences = offences.filter(groups__group=group, groups__effective_to__isnull=True)
    query = query.strip()
    if query:
        if query.lower().rstrip("abc").isdigit():
            return offences.filter(article=query.lower())
        folded = fold(query)
        # 320 rows: matching without diacritics in Python is exact and cheap.
        ids = [o.pk for o in Offence.objects.only("pk", "title") if folded in fold(o.title)]
        offences = offences.filter(Q(pk__in=ids) | Q(title__icontains=query))
    return offences
