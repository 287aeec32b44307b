"""The reports' background work: generating a requested report's files."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task(queue_name="reports")
def generate_report(report_id: int, attempt: int = 1) -> dict:
    from pctp.reporting.models import Report
    from pctp.reporting.services import report_generate

    with retried(generate_report, report_id, attempt=attempt):
        report = Report.objects.get(pk=report_id)
        if report.state == Report.State.DONE:
            return {"report": report_id, "skipped": "done"}
        report = report_generate(report)
        return {"report": report_id, "state": report.state}
