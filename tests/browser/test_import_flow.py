"""A statistics analyst brings last year's register in through the wizard, in Debian's
chromium: upload, the sheet's first rows with the header found and the columns chosen,
the dry run's problems, the progress while a worker writes, the result."""

import pytest

from pctp.imports.models import ImportJob
from pctp.sources.models import Channel, Source
from tests.browser.conftest import shot, sign_in
from tests.imports.registers import register_xlsx
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_an_analyst_imports_a_register_through_the_wizard(new_page, reference_data, make_user,
                                                          tmp_path, settings, width):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "forecasts", "imports"]}}
    analyst = make_user("statistics_analyst", "P80-CA", name="Lê Minh Thống")
    path = register_xlsx(tmp_path / "so-thu-ly-2025.xlsx")
    page = new_page(width=width, height=900)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, analyst.username, PASSWORD)
    page.goto("/")
    page.click("nav.mainnav >> text=Nhập sổ")
    page.wait_for_url("**/imports/")
    assert page.locator("h1").inner_text() == "Nhập sổ"
    page.set_input_files("#id_file", str(path))
    page.click("button.primary")
    page.wait_for_url("**/imports/*/")
    job = ImportJob.objects.get()
    # The header is found under the title block; each field shows the column chosen.
    assert page.locator("#id_header_row").input_value() == str(job.header_row)
    assert page.locator("#id_col_number option:checked").inner_text() == "B · Số thụ lý"
    assert page.locator("#id_col_received option:checked").inner_text() == "C · Ngày tiếp nhận"
    assert page.locator("tr.header-row").count() == 1
    shot(page, f"import-columns-{width}")
    page.fill("#id_save_as", "Sổ thụ lý CQCSĐT")
    page.click("form[action$='/columns/'] button.primary")
    page.wait_for_url(f"**/imports/{job.pk}/")
    # The dry run is a worker's job: the page shows its progress meanwhile.
    assert page.locator(".progress-box").count() == 1
    shot(page, f"import-checking-{width}")
    from pctp.imports.services import job_step

    job_step(ImportJob.objects.get(pk=job.pk), "check")
    page.wait_for_selector(".alert-bad", timeout=15000)  # progress.js reloads the page
    text = page.locator(".alert-bad").inner_text()
    assert "Đã đọc 8 dòng: 4 dòng hợp lệ, 4 dòng bị từ chối" in text
    assert page.locator("td", has_text="31/02/2025 không phải là một ngày có thật trong lịch.").count() == 1
    assert not Source.objects.filter(channel=Channel.REGISTER).exists()
    shot(page, f"import-checked-{width}")
    with page.expect_download() as download:
        page.click("text=Tải các dòng bị từ chối")
    assert download.value.suggested_filename == f"dong-bi-tu-choi-{job.pk}.xlsx"
    page.click("button:has-text('Nhập 4 dòng hợp lệ')")
    page.wait_for_url(f"**/imports/{job.pk}/")
    assert page.locator(".progress-box").count() == 1
    job_step(ImportJob.objects.get(pk=job.pk), "run")
    page.wait_for_selector(".ok-box", timeout=15000)
    assert "Xong: tạo mới 4, cập nhật 0, không đổi 0, từ chối 4." in page.locator(".ok-box").inner_text()
    shot(page, f"import-done-{width}")
    assert Source.objects.filter(channel=Channel.REGISTER).count() == 4
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, "the page scrolls sideways"
    assert problems == []
