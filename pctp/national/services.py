"""Publishing the province's figures to the nation (issue 23, decision 71).

`publish()` recomputes the province's counts (by month, commune and crime group) over the
last months and its closed-period figures, and writes what changed into the roll-up tables:
a new row, a count or figure that changed (its revision goes up), a count that fell to
nothing (kept at 0, revised, so the nation sees it fall). PostgreSQL logical replication
carries those rows to the national database (`publication_sql`, `subscription_sql`); where
the networks do not allow it, `export()` writes the same rows signed with the province's key
and `import_export()` on the national side checks the signature and applies them.

Nothing of a person is read into these rows: the selectors count, the figures come from the
closed snapshots' counts (never their record ids)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pctp.core.errors import DomainError
from pctp.national.models import Measure, RollupCount, RollupFigure

PUBLICATION = "pctp_rollup"
TABLES = ("rollup_count", "rollup_figure")
COUNT_FIELDS = ("key", "province", "month", "measure", "commune", "crime_group", "count",
                "revision", "published_at")
FIGURE_FIELDS = ("key", "province", "plan", "target", "period_key", "period_start",
                 "period_end", "numerator", "denominator", "value", "threshold", "comparator",
                 "status", "as_of", "revision", "published_at")


def province_code() -> str:
    return str(settings.PCTP_PROVINCE_CODE)


def _first_of_month(months_back: int, today: date) -> date:
    year, month = today.year, today.month - months_back
    while month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def _current_counts(since: date, province: str) -> dict[str, dict]:
    from pctp.cases.selectors import monthly_counts as case_counts
    from pctp.sources.selectors import monthly_counts as source_counts

    measures = {Measure.SOURCES_RECEIVED.value: source_counts(since), **case_counts(since)}
    rows = {}
    for measure, counted in measures.items():
        for month, commune, group, n in counted:
            key = f"{province}:{month:%Y-%m}:{measure}:{commune}:{group}"
            rows[key] = {"province": province, "month": month, "measure": measure,
                         "commune": commune, "crime_group": group, "count": int(n)}
    return rows


def _current_figures(province: str) -> dict[str, dict]:
    from pctp.kpi.models import KpiSnapshot

    rows = {}
    for snap in KpiSnapshot.objects.filter(scope_key="province").select_related("plan",
                                                                             "target"):
        key = f"{province}:{snap.plan.number}:{snap.target.code}:{snap.period_key}"
        rows[key] = {"province": province, "plan": snap.plan.number,
                     "target": snap.target.code, "period_key": snap.period_key,
                     "period_start": snap.period_start, "period_end": snap.period_end,
                     "numerator": snap.numerator, "denominator": snap.denominator,
                     "value": snap.value, "threshold": snap.target.threshold,
                     "comparator": snap.target.comparator, "status": snap.status,
                     "as_of": snap.as_of}
    return rows


def _apply(model, current: dict[str, dict], province: str, scope_filter: dict,
           zero: dict | None, now) -> dict[str, int]:
    existing = {row.key: row for row in model.objects.filter(province=province, **scope_filter)}
    fields = [f for f in (COUNT_FIELDS if model is RollupCount else FIGURE_FIELDS)
              if f not in ("key", "revision", "published_at")]
    new, changed = [], []
    for key, values in current.items():
        row = existing.get(key)
        if row is None:
            new.append(model(key=key, revision=1, published_at=now, **values))
        elif any(getattr(row, f) != values[f] for f in fields):
            for f in fields:
                setattr(row, f, values[f])
            row.revision += 1
            row.published_at = now
            changed.append(row)
    fallen = 0
    if zero is not None:  # counts no longer found: published as 0, not deleted
        for key, row in existing.items():
            if key not in current and row.count != 0:
                row.count, row.revision, row.published_at = 0, row.revision + 1, now
                changed.append(row)
                fallen += 1
    model.objects.bulk_create(new, batch_size=2000)
    model.objects.bulk_update(changed, [*fields, "revision", "published_at"], batch_size=2000)
    revised = len(changed) - fallen
    return {"new": len(new), "revised": revised, "fallen": fallen,
            "unchanged": len(current) - len(new) - revised}


def _check_publisher(province: str) -> None:
    """Only a province publishes, and only under its own code: on the nation (whose tables
    hold what the provinces sent) a publish would write their rows over as zeros."""
    from pctp.units.models import Unit

    if settings.PCTP_NATIONAL:
        raise DomainError("invalid", "This is the national database (PCTP_NATIONAL): it "  # i18n: data
                          "receives the provinces' figures and publishes none.")
    if not Unit.objects.filter(province__code=province).exists():
        raise DomainError("invalid", f"No unit of this database is of province {province} "  # i18n: data
                          "(PCTP_PROVINCE_CODE): set the province's own code.")


@transaction.atomic
def publish(*, months: int = 24, today: date | None = None) -> dict:
    """Write the province's counts of the last ``months`` months (this one included) and
    every closed province-wide figure into the roll-up tables; returns what changed."""
    if not 1 <= months <= 240:
        raise DomainError("invalid", "months must be 1 to 240")  # i18n: data (operator)
    today = today or timezone.localdate()
    province = province_code()
    _check_publisher(province)
    since = _first_of_month(months - 1, today)
    now = timezone.now()
    counts = _apply(RollupCount, _current_counts(since, province), province,
                    {"month__gte": since}, zero={}, now=now)
    figures = _apply(RollupFigure, _current_figures(province), province, {}, zero=None,
                     now=now)
    return {"province": province, "since": since.isoformat(), "counts": counts,
            "figures": figures}


# ----------------------------------------------------------------------------- replication

def publication_sql(province: str | None = None) -> list[str]:
    """On a province's database: what the nation subscribes to, only this province's rows
    (a row filter; the tables' replica identity is all their columns, which a filter on
    `province` needs for updates)."""
    province = province or province_code()
    subscription_name(province)  # a code of digits only
    where = f"WHERE (province = '{province}')"
    return [*(f"ALTER TABLE {t} REPLICA IDENTITY FULL" for t in TABLES),
            f"CREATE PUBLICATION {PUBLICATION} FOR TABLE "
            + ", ".join(f"{t} {where}" for t in TABLES)]


def subscription_name(province: str) -> str:
    if not (province.isascii() and province.isdigit()) or len(province) > 4:
        raise DomainError("invalid", "a province code is 1 to 4 digits")  # i18n: data
    return f"pctp_rollup_{province}"


def subscription_sql(province: str, conninfo: str) -> str:
    """On the national database: receive one province's rows (its first copy included)."""
    quoted = conninfo.replace("'", "''")
    return (f"CREATE SUBSCRIPTION {subscription_name(province)} CONNECTION '{quoted}' "
            f"PUBLICATION {PUBLICATION} WITH (copy_data = true)")


# ----------------------------------------------------------------------------- signed exports

def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _signature(body: bytes, key: str) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def export(*, key: str | None = None) -> dict:
    """The province's roll-up rows as one document signed (HMAC-SHA256) with its key."""
    key = key or settings.PCTP_ROLLUP_SIGNING_KEY
    if not key:
        raise DomainError("invalid", "PCTP_ROLLUP_SIGNING_KEY is not set")  # i18n: data
    province = province_code()
    rows = {"counts": list(RollupCount.objects.filter(province=province).order_by("key")
                           .values(*COUNT_FIELDS)),
            "figures": list(RollupFigure.objects.filter(province=province).order_by("key")
                            .values(*FIGURE_FIELDS))}
    body = json.dumps({"province": province, "rows": rows}, default=_json_default,
                      sort_keys=True, ensure_ascii=False).encode()
    return {"body": body.decode(), "signature": _signature(body, key)}


@transaction.atomic
def import_export(document: dict, *, keys: dict[str, str]) -> dict:
    """Apply a province's signed export on the national database: the signature must be the
    province's (``keys``: province code → key), every row the province's own (its key made
    of its fields, beginning with the code); a row replaces the stored one only when its
    revision is newer."""

    not_export = DomainError("invalid", "not a roll-up export")  # i18n: data
    if not isinstance(document, dict):
        raise not_export
    body = str(document.get("body", "")).encode()
    try:
        parsed = json.loads(body)
        province, rows = parsed["province"], parsed.get("rows", {})
    except (ValueError, KeyError, TypeError, AttributeError):
        raise not_export from None
    if not isinstance(province, str) or not isinstance(rows, dict):
        raise not_export
    key = keys.get(province)
    if not key:
        raise DomainError("forbidden", f"no key for province {province} "  # i18n: data
                          "(PCTP_ROLLUP_PROVINCE_KEYS)", status=403)
    if not hmac.compare_digest(_signature(body, key), str(document.get("signature", ""))):
        raise DomainError("forbidden", f"the signature is not province {province}'s",  # i18n: data
                          status=403)
    applied = {"counts": 0, "figures": 0}
    for name, model, fields in (("counts", RollupCount, COUNT_FIELDS),
                                ("figures", RollupFigure, FIGURE_FIELDS)):
        stored = dict(model.objects.filter(province=province).values_list("key", "revision"))
        for row in rows.get(name, []):
            row = _checked_row(row, province, fields, model)
            if row["revision"] <= stored.get(row["key"], 0):
                continue
            model.objects.update_or_create(key=row.pop("key"), defaults=row)
            applied[name] += 1
    return {"province": province, **applied}


def _expected_key(row: dict, model) -> str:
    if model is RollupCount:
        return (f"{row['province']}:{row['month']:%Y-%m}:{row['measure']}:{row['commune']}:"
                f"{row['crime_group']}")
    return f"{row['province']}:{row['plan']}:{row['target']}:{row['period_key']}"


def _checked_row(row, province: str, fields: tuple, model) -> dict:
    """A row of the signing province, its key the one its fields make, its values typed;
    anything else refused (a province never writes another's rows)."""
    from django.utils.dateparse import parse_date, parse_datetime

    bad = DomainError("invalid", "a row that is not the signing province's own, "  # i18n: data
                      "or not a roll-up row")
    if not isinstance(row, dict) or set(row) != set(fields) or row.get("province") != province:
        raise bad
    try:
        row = dict(row)
        for field in ("month", "period_start", "period_end", "as_of"):
            if field in row:
                row[field] = parse_date(row[field])
        row["published_at"] = parse_datetime(row["published_at"])
        row["revision"] = int(row["revision"])
        expected = _expected_key(row, model)
    except (TypeError, ValueError, AttributeError):
        raise bad from None
    if row["key"] != expected:
        raise bad
    other = model.objects.filter(key=row["key"]).exclude(province=province).exists()
    if other:
        raise bad
    return row
