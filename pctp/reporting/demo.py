"""The demo's periodic reports: the province's report on the plan for the last closed
quarter (signed by the provincial leader) and the investigation body's own report for it,
generated from the demo's records exactly as the page's job does."""

from __future__ import annotations

from django.utils import timezone


def seed(*, password: str, stdout, today=None) -> dict:
    from pctp.core.models import User
    from pctp.plans.models import Plan
    from pctp.reporting import services as s
    from pctp.reporting.models import Report

    today = today or timezone.localdate()
    if Report.objects.exists():
        return {"periodic reports": Report.objects.count()}
    plan = (Plan.objects.filter(issuing_unit__code="P80-UBND", period_start__lte=today,
                                period_end__gte=today, targets__isnull=False)
            .order_by("-issued_on").first())
    if plan is None:
        return {"periodic reports": "no plan in force (skipped)"}
    stdout.write("Generating the demo's periodic reports…")
    quarter = (today.month - 1) // 3
    period = f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"
    analyst = User.objects.get(username="thongke")
    leader = User.objects.get(username="lanhdao")
    province = s.report_request(actor=analyst, kind="plan", plan=plan.pk, period=period,
                                signer_name=leader.full_name, today=today)
    s.report_generate(province)
    s.report_sign(actor=leader, report=province)
    unit = s.report_request(actor=analyst, kind="unit", plan=plan.pk, period=period,
                            unit="P80-CA-CSDT", today=today)
    s.report_generate(unit)
    return {"periodic reports": 2}
