"""A statistics analyst generates the province's report on the plan in Debian's chromium:
the form, the progress while a worker generates it, the files with their hashes, the
figures; at 1366 and 390 px."""

import pytest

from pctp.reporting.models import Report
from tests.browser.conftest import shot, sign_in
from tests.kpi.conftest import kpi_records, plan, units  # noqa: F401 - fixtures
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_an_analyst_generates_the_provinces_report(new_page, reference_data, make_user,
                                                   plan, settings, width):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "forecasts", "imports", "reports"]}}
    settings.PCTP_REPORT_PDF = False
    analyst = make_user("statistics_analyst", "P80-CA", name="Lê Minh Thống")
    page = new_page(width=width, height=900)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, analyst.username, PASSWORD)
    page.goto("/periodic-reports/")
    assert page.locator("h1").inner_text() == "Báo cáo định kỳ"
    page.select_option("#id_kind", "plan")
    page.select_option("#id_period", index=0)
    page.fill("#id_signer_name", "Trần Thị Lan")
    shot(page, f"report-form-{width}")
    page.click("form button.primary")
    page.wait_for_url("**/periodic-reports/*/")
    assert page.locator(".progress-box").count() == 1
    shot(page, f"report-generating-{width}")
    from pctp.reporting.services import report_generate

    report_generate(Report.objects.get())  # the worker's job
    page.wait_for_selector("ul.files", timeout=15000)  # progress.js reloads the page
    report = Report.objects.get()
    assert report.docx_sha256 in page.content()
    assert page.locator("text=Máy chủ đã tắt chuyển sang PDF").count() == 1
    assert page.locator("table.data tbody tr").count() >= 10
    shot(page, f"report-done-{width}")
    with page.expect_download() as download:
        page.click("text=Báo cáo (.docx")
    assert download.value.suggested_filename.endswith(".docx")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, "the page scrolls sideways"
    assert problems == []
