"""Changes to the plan's targets and closed figures: each in one transaction with its
audit row. Closing a period (chốt số liệu) freezes every target's figure; a later edit
that would change a frozen figure becomes a revision beside it, never a rewrite."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.audit import audit_record
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.models import AuditEvent
from pctp.kpi import registry as kpi
from pctp.kpi.models import KpiRevision, KpiSnapshot, Target
from pctp.kpi.periods import Period
from pctp.plans.models import Plan, TargetCode
from pctp.units.selectors import user_has_perm_in_unit

# The ten targets of the provincial plan (MISSION.md): indicator, comparator, threshold,
# period type, options.
DEFAULT_TARGETS = [  # i18n: data (the plan's wording)
    (
        "T1",
        "T1",
        "<=",
        Decimal("-5"),
        "selected",
        {},
        "Giảm ít nhất 5% số vụ phạm tội về trật tự xã hội so với cùng kỳ",
    ),
    (
        "T2",
        "T2",
        ">=",
        Decimal("100"),
        "selected",
        {},
        "Tiếp nhận, phân loại, xử lý 100% tố giác, tin báo về tội phạm và kiến nghị khởi tố",
    ),
    (
        "T3",
        "T3",
        ">",
        Decimal("90"),
        "selected",
        {},
        "Tỷ lệ giải quyết tố giác, tin báo về tội phạm và kiến nghị khởi tố đạt trên 90%",
    ),
    ("T4", "T4", ">", Decimal("75"), "selected", {}, "Tỷ lệ điều tra, khám phá án đạt trên 75%"),
    (
        "T5",
        "T5",
        ">",
        Decimal("90"),
        "selected",
        {},
        "Tỷ lệ khám phá án rất nghiêm trọng, đặc biệt nghiêm trọng đạt trên 90%",
    ),
    (
        "T6",
        "T6",
        ">=",
        Decimal("60"),
        "selected",
        {"basis": "damage"},
        "Thu hồi tài sản trong các vụ án tham nhũng đạt ít nhất 60%",
    ),
    (
        "T7",
        "T7",
        ">",
        Decimal("90"),
        "selected",
        {},
        "Truy tố đúng hạn đạt trên 90% số vụ án có kết luận điều tra đề nghị truy tố",
    ),
    (
        "T8",
        "T8",
        ">",
        Decimal("88"),
        "court_year",
        {},
        "Tỷ lệ giải quyết, xét xử các vụ án hình sự đạt trên 88%",
    ),
    (
        "T9",
        "T9",
        ">=",
        Decimal("60"),
        "selected",
        {},
        "Chuyển hóa ít nhất 60% địa bàn trọng điểm, phức tạp về trật tự xã hội",
    ),
    (
        "T10",
        "T10",
        ">=",
        Decimal("85"),
        "selected",
        {},
        "85% địa bàn đã chuyển hóa không tái phức tạp",
    ),
]


def _require(actor, perm: str, plan: Plan) -> None:
    if not (
        getattr(actor, "is_superuser", False)
        or user_has_perm_in_unit(actor, perm, plan.issuing_unit)
        or (plan.steering_unit and user_has_perm_in_unit(actor, perm, plan.steering_unit))
        or (actor.has_perm(perm) and _province_wide(actor, plan))
    ):
        raise PermissionRefused("forbidden", _("You may not change the targets of this plan."))


def _province_wide(actor, plan: Plan) -> bool:
    from pctp.units.selectors import units_in_scope

    return units_in_scope(actor).filter(pk=plan.issuing_unit_id).exists()


def _check_target(code: str, indicator: str, comparator: str, threshold, options: dict) -> None:
    if code not in TargetCode.values:
        raise DomainError(
            "invalid_code", _("Unknown target %(c)s.") % {"c": code}, details={"field": "code"}
        )
    if indicator not in kpi.REGISTRY:
        raise DomainError(
            "invalid_indicator",
            _("Unknown indicator %(c)s.") % {"c": indicator},
            details={"field": "indicator"},
        )
    if comparator not in Target.Comparator.values:
        raise DomainError(
            "invalid_comparator",
            _("The comparator must be one of >=, >, <=, <."),
            details={"field": "comparator"},
        )
    try:
        value = Decimal(str(threshold))
    except ArithmeticError as exc:
        raise DomainError(
            "invalid_threshold",
            _("The threshold must be a number."),
            details={"field": "threshold"},
        ) from exc
    if not value.is_finite() or not Decimal("-100") <= value <= Decimal("1000"):
        raise DomainError(
            "invalid_threshold",
            _("The threshold must be between -100 and 1000."),
            details={"field": "threshold"},
        )
    allowed = kpi.get(indicator).options
    for name, chosen in (options or {}).items():
        if name not in allowed or chosen not in [c for c, _label in allowed[name]]:
            raise DomainError(
                "invalid_options",
                _("Option %(o)s=%(v)s is not offered by %(i)s.")
                % {"o": name, "v": chosen, "i": indicator},
                details={"field": "options"},
            )


def target_set(
    *,
    actor,
    plan: Plan,
    code: str,
    indicator: str | None = None,
    comparator: str,
    threshold,
    period_type: str = "selected",
    options: dict | None = None,
    wording: str = "",
) -> Target:
    """Add a target to a plan or change it (audited with the old and new values)."""
    _require(actor, "plans.manage_plan", plan)
    indicator = indicator or code
    _check_target(code, indicator, comparator, threshold, options or {})
    if period_type not in Target.PeriodType.values:
        raise DomainError(
            "invalid_period_type", _("Unknown period type."), details={"field": "period_type"}
        )
    with transaction.atomic():
        existing = Target.objects.select_for_update().filter(plan=plan, code=code).first()
        before = None
        if existing is not None:
            before = {
                "comparator": existing.comparator,
                "threshold": str(existing.threshold),
                "indicator": existing.indicator,
                "options": existing.options,
            }
            if KpiSnapshot.objects.filter(target=existing).exists() and (
                before["indicator"] != indicator or before["options"] != (options or {})
            ):
                raise InvalidTransition(
                    "not_allowed",
                    _(
                        "Figures of this target were closed: its indicator "
                        "and options can no longer change."
                    ),
                )
        target, _created = Target.objects.update_or_create(
            plan=plan,
            code=code,
            defaults={
                "indicator": indicator,
                "comparator": comparator,
                "threshold": Decimal(str(threshold)),
                "period_type": period_type,
                "options": options or {},
                "wording": wording,
                "position": int(code[1:]),
            },
        )
        audit_record(
            actor=actor,
            action="plan.target_set",
            obj=plan,
            changes={
                "target": code,
                "before": before,
                "after": {
                    "comparator": comparator,
                    "threshold": str(threshold),
                    "indicator": indicator,
                    "options": options or {},
                },
            },
        )
    return target


def plan_targets_default(*, actor, plan: Plan) -> list[Target]:
    """The ten targets of MISSION.md on a plan that has none yet."""
    return [
        target_set(
            actor=actor,
            plan=plan,
            code=c,
            indicator=i,
            comparator=op,
            threshold=t,
            period_type=pt,
            options=o,
            wording=w,
        )
        for c, i, op, t, pt, o, w in DEFAULT_TARGETS
    ]


def plan_copy_next_year(
    *, actor, plan: Plan, number: str, issued_on: date, title: str = ""
) -> Plan:
    """Next year's plan: the same issuer, title and targets, one year later, as a draft."""
    from pctp.core.dates import shift_year

    _require(actor, "plans.manage_plan", plan)
    if not number.strip():
        raise DomainError(
            "invalid_number", _("The new plan needs a number."), details={"field": "number"}
        )
    with transaction.atomic():
        try:
            new = Plan.objects.create(
                number=number.strip(),
                title=title.strip() or plan.title,
                issuing_unit=plan.issuing_unit,
                steering_unit=plan.steering_unit,
                issued_on=issued_on,
                legal_basis=plan.legal_basis,
                period_start=shift_year(plan.period_start, 1),
                period_end=shift_year(plan.period_end, 1),
                status=Plan.Status.DRAFT,
                created_by=actor,
            )
        except IntegrityError as exc:
            raise DomainError(
                "invalid_number",
                _("The issuer already has a plan with that number."),
                details={"field": "number"},
            ) from exc
        for t in plan.targets.all():
            Target.objects.create(
                plan=new,
                code=t.code,
                indicator=t.indicator,
                comparator=t.comparator,
                threshold=t.threshold,
                period_type=t.period_type,
                options=t.options,
                wording=t.wording,
                position=t.position,
            )
        audit_record(
            actor=actor,
            action="plan.create",
            obj=new,
            changes={"copied_from": plan.pk, "targets": plan.targets.count()},
        )
    return new


# ----------------------------------------------------------------------------- closing


def _ids(qs) -> list[int]:
    return sorted(qs.order_by().values_list("pk", flat=True))


def _label(model) -> str:
    return model._meta.label_lower


def period_close(
    *,
    actor,
    plan: Plan,
    period: Period,
    scope: kpi.Scope,
    note: str = "",
    today: date | None = None,
) -> list[KpiSnapshot]:
    """Freeze every target's figure for a period that has ended."""
    today = today or timezone.localdate()
    if not (actor.is_superuser or actor.has_perm("kpi.close_kpi_period")):
        raise PermissionRefused("forbidden", _("You may not close the figures of a period."))
    if period.end >= today:
        raise InvalidTransition("not_allowed", _("A period can be closed only after its last day."))
    if not plan.targets.exists():
        raise InvalidTransition("not_allowed", _("The plan has no targets to close."))
    snapshots = []
    with transaction.atomic():
        if (
            KpiSnapshot.objects.select_for_update()
            .filter(plan=plan, period_key=period.key, scope_key=scope.key)
            .exists()
        ):
            raise InvalidTransition(
                "not_allowed", _("The figures of %(p)s are already closed.") % {"p": period.name}
            )
        now = timezone.now()
        for target in plan.targets.all():
            fig = kpi.figure(target, period, scope, as_of=today, compare=False)
            r = fig.result
            snapshots.append(
                KpiSnapshot.objects.create(
                    plan=plan,
                    target=target,
                    period_key=period.key,
                    period_start=period.start,
                    period_end=period.end,
                    measured_start=fig.measured.start,
                    measured_end=fig.measured.end,
                    scope_key=scope.key,
                    numerator=r.numerator,
                    denominator=r.denominator,
                    value=None if fig.value is None else Decimal(str(fig.value)),
                    status=fig.status,
                    numerator_model=_label(r.numerator_records.model),
                    denominator_model=_label(r.denominator_records.model),
                    fingerprint=fingerprint(r),
                numerator_ids=_ids(r.numerator_records),
                    denominator_ids=_ids(r.denominator_records),
                    breakdown={
                        by: {
                            str(row["key"]): [row["numerator"], row["denominator"]]
                            for row in kpi.breakdown(target, period, scope, by, as_of=today,
                                                     result=r)
                        }
                        for by in ("unit", "commune")
                    },
                    as_of=today,
                    closed_by=actor,
                    closed_at=now,
                    note=note[:300],
                )
            )
        audit_record(
            actor=actor,
            action="kpi.close_period",
            obj=plan,
            changes={
                "period": period.key,
                "scope": scope.key,
                "figures": {s.target.code: [s.numerator, s.denominator] for s in snapshots},
            },
            note=note,
        )
    return snapshots


_AUDIT_OF = {
    "sources.source": ("sources.source", "pk"),
    "cases.case": ("cases.case", "pk"),
    "cases.referral": ("cases.case", "case_id"),
    "cases.recovery": ("cases.case", "case_id"),
    "areas.keyarea": ("areas.keyarea", "pk"),
}


def _edits(model_label: str, ids: set[int], since) -> list[dict]:
    """Who changed the records that moved in or out, and when, from the journal."""
    if not ids:
        return []
    from django.apps import apps

    object_type, attr = _AUDIT_OF.get(model_label, (model_label, "pk"))
    model = apps.get_model(model_label)
    targets = (
        {str(i) for i in ids}
        if attr == "pk"
        else {str(v) for v in model.objects.filter(pk__in=ids).values_list(attr, flat=True)}
    )
    events = (
        AuditEvent.objects.filter(object_type=object_type, object_id__in=targets, at__gt=since)
        .select_related("actor")
        .order_by("at")
    )
    return [
        {
            "object_type": e.object_type,
            "object_id": e.object_id,
            "action": e.action,
            "actor": (e.actor.full_name or e.actor.username) if e.actor else "",
            "at": e.at.isoformat(),
        }
        for e in events[:200]
    ]


def with_snapshots(plan: Plan, period: Period, scope: kpi.Scope, today: date,
                   figures: list[kpi.Figure]) -> list[kpi.Figure]:
    """Attach to each figure its closed value for this period and scope, if any, and the
    latest revision when today's records say otherwise (the page and the API alike)."""
    snaps = {s.target_id: s for s in KpiSnapshot.objects.filter(
        plan=plan, period_key=period.key, scope_key=scope.key)}
    for f in figures:
        f.snapshot = snaps.get(f.target.pk)
        if f.snapshot is not None:
            f.revision = revision_check(f.snapshot, today=today, figure=f)
    return figures


def fingerprint(result) -> list[int]:
    """Both counts and, per side, the number and the sum of the record ids: two aggregate
    queries that tell whether the records behind a figure moved, without loading them."""
    out = [int(result.numerator), int(result.denominator)]
    for qs in (result.numerator_records, result.denominator_records):
        agg = qs.order_by().aggregate(n=Count("pk"), s=Sum("pk"))
        out += [int(agg["n"] or 0), int(agg["s"] or 0)]
    return out


def revision_check(snapshot: KpiSnapshot, *, today: date | None = None,
                   figure: kpi.Figure | None = None) -> KpiRevision | None:
    """Recompute a closed figure from today's records (or take `figure`, computed for
    today); if it moved since it was closed (or since its last revision), record a revision
    with the records that moved and the journal entries behind them. Returns the latest
    revision, if any. Only a moved figure loads record ids."""
    today = today or timezone.localdate()
    from pctp.kpi.periods import parse

    if figure is None:
        period = parse(snapshot.period_key, today=today)
        scope = scope_from_key(snapshot.plan, snapshot.scope_key)
        figure = kpi.figure(snapshot.target, period, scope, as_of=today, compare=False)
    r = figure.result
    now_print = fingerprint(r)
    latest = snapshot.revisions.order_by("-detected_at", "-id").first()
    if latest is not None and latest.changes.get("fingerprint") == now_print:
        return latest  # nothing moved since the last revision
    if latest is None and snapshot.fingerprint == now_print:
        return None  # nothing moved since closing
    num_ids, den_ids = set(_ids(r.numerator_records)), set(_ids(r.denominator_records))
    old_num, old_den = set(snapshot.numerator_ids), set(snapshot.denominator_ids)
    state = _state(r.numerator, r.denominator, num_ids, den_ids)
    if latest is None and state == _state(
        snapshot.numerator, snapshot.denominator, old_num, old_den
    ):
        return None
    changes = {
        "numerator": {
            "added": sorted(num_ids - old_num)[:500],
            "removed": sorted(old_num - num_ids)[:500],
        },
        "denominator": {
            "added": sorted(den_ids - old_den)[:500],
            "removed": sorted(old_den - den_ids)[:500],
        },
        "state": state,
        "fingerprint": now_print,
    }
    edits = _edits(snapshot.numerator_model, num_ids ^ old_num, snapshot.closed_at) + _edits(
        snapshot.denominator_model, den_ids ^ old_den, snapshot.closed_at
    )
    seen, unique = set(), []
    for e in edits:
        key = (e["object_type"], e["object_id"], e["action"], e["at"])
        if key not in seen:
            seen.add(key)
            unique.append(e)
    return KpiRevision.objects.create(
        snapshot=snapshot,
        detected_at=timezone.now(),
        old_numerator=snapshot.numerator,
        old_denominator=snapshot.denominator,
        old_value=snapshot.value,
        new_numerator=r.numerator,
        new_denominator=r.denominator,
        new_value=None if figure.value is None else Decimal(str(figure.value)),
        changes=changes,
        edits=unique,
    )


def _state(numerator: int, denominator: int, num_ids: set, den_ids: set) -> str:
    digest = hashlib.sha256()
    digest.update(f"{numerator}/{denominator}|".encode())
    digest.update(",".join(map(str, sorted(num_ids))).encode() + b"|")
    digest.update(",".join(map(str, sorted(den_ids))).encode())
    return digest.hexdigest()[:32]


def scope_from_key(plan: Plan, key: str) -> kpi.Scope:
    from pctp.units.models import Commune, Unit

    province = plan.issuing_unit.province
    if key.startswith("unit:"):
        return kpi.Scope(province, unit=Unit.objects.get(code=key[5:]))
    if key.startswith("commune:"):
        return kpi.Scope(province, commune=Commune.objects.get(code=key[8:]))
    return kpi.Scope(province)
