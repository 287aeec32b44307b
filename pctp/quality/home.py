"""The red alerts on the home page of the procuracy and the leaders (issue 21): cases in
which a person was held for nothing, acquittals and findings of no crime, and cases
returned twice or more, over the last 365
days of the reader's scope. Kept for PCTP_HOME_LIBERTY_SECONDS per scope."""

from __future__ import annotations

from datetime import timedelta

ROLES = {"procurator", "provincial_leader"}


def alerts_card(request) -> dict | None:
    import hashlib

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    from pctp.quality import selectors as q
    from pctp.units.selectors import user_memberships

    user = request.user
    if not q.may_view(user) or not (user.is_superuser or any(
            m.role.code in ROLES for m in user_memberships(user))):
        return None
    today = timezone.localdate()
    from django.utils.translation import get_language

    scope = hashlib.sha256(f"{user.pk}:{today}:{get_language()}".encode()).hexdigest()[:24]
    key = f"home-quality:{scope}"
    data = cache.get(key)
    if data is None:
        start = today - timedelta(days=365)
        req = q.resolve(user, today=today)
        rows = []
        for code in ("Q4", "Q7", "Q3"):
            ind = q.get_indicator(code)
            r = ind.compute(req.cases, start, today, as_of=today)
            rows.append({"code": code, "name": r.name, "n": r.numerator,
                         "cases": [{"pk": c.pk, "code": c.register_code}
                                   for c in r.numerator_records.order_by("-pk")[:5]]})
        data = {"rows": rows, "total": sum(r["n"] for r in rows)}
        cache.set(key, data, settings.PCTP_HOME_LIBERTY_SECONDS)
    if not data["total"]:
        return None
    return {"template": "quality/_home_alerts.html", "rows": data["rows"], "order": 20}
