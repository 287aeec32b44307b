from __future__ import annotations

import re
import unicodedata

from django.db.models import Q, QuerySet

from pctp.law.models import Offence


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: "Trộm cắp" -> "trom cap"."""
    text = text.replace("đ", "d").replace("Đ", "D")  # i18n: data
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


def offence_suggestions(query: str, *, limit: int = 20) -> list[dict]:
    """What an officer picks from while typing (issue 17): by article number ("173",
    "17" as the start of one, "Điều 173") or by words of the offence's name, with or
    without diacritics ("trom cap", "trộm cắp"), each clause its own entry (173.1, 173.2…),
    articles whose number matches first."""
    text = fold(query or "").strip()
    text = re.sub(r"^(dieu|d\.)\s*", "", text)
    if not text:
        return []
    words = text.split()
    number = re.match(r"^(\d+[a-z]?)(?:[.\s]+(?:khoan\s*)?(\d+))?$", text)
    offences = list(Offence.objects.filter(is_offence=True, repealed=False)
                    .prefetch_related("clauses").order_by("number", "suffix"))
    if number:
        found = [o for o in offences if o.article.startswith(number.group(1))]
        found.sort(key=lambda o: (o.article != number.group(1), o.number))
    else:
        found = [o for o in offences if all(w in fold(o.title) for w in words)]
    out = []
    for offence in found:
        clauses = sorted(c.clause for c in offence.clauses.all())
        if number and number.group(2):
            clauses = [c for c in clauses if c == int(number.group(2))]
        for clause in clauses or [None]:
            code = offence.article if clause is None else f"{offence.article}.{clause}"
            # The label goes back into the charges field, whose parser reads the law's words.
            where = f"Điều {offence.article}" + (f" khoản {clause}" if clause else "")  # i18n: data
            out.append({"code": code, "article": offence.article, "clause": clause,
                        "label": f"{where} — {offence.title}"})
            if len(out) >= limit:
                return out
    return out
