"""Labels for the states of tasks and reports in timelines (pctp.core.labels knows sources')."""

from django import template

from pctp.plans.models import Task, UnitReport

register = template.Library()


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


@register.filter
def task_state(code: str) -> str:
    return _label(Task.Status, code)


@register.filter
def report_state(code: str) -> str:
    return _label(UnitReport.Status, code)


@register.filter
def bar(value) -> str:
    """The progress bar's width class, to the nearest ten (no inline style under the CSP)."""
    return f"w{min(100, max(0, round((value or 0) / 10) * 10))}"


@register.filter
def rate_class(value) -> str:
    if value is None:
        return ""
    return "high" if value >= 90 else "mid" if value >= 70 else "low"


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    from pctp.plans.selectors import notifications_for

    request = context.get("request")
    if request is None:
        return 0
    return notifications_for(user=request.user, unread_only=True).count()
