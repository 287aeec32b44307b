"""The procuracy's quality page in Debian's chromium at 1366 and 390 px: the alerts first,
every indicator with its definition, an indicator's breakdown and its records."""

import pytest
import time_machine

from tests.browser.conftest import shot, sign_in
from tests.kpi.conftest import TODAY, kpi_records, plan, units  # noqa: F401 - fixtures
from tests.personas import PASSWORD
from tests.quality.conftest import quality_records  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_a_procurator_reads_the_quality_page(new_page, reference_data, make_user,
                                             quality_records, units, width):  # noqa: F811
    procurator = make_user("procurator", units["vks"], name="Hồ Thị Ngọc")
    page = new_page(width=width, height=900)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    with time_machine.travel(TODAY, tick=True):
        sign_in(page, procurator.username, PASSWORD)
        page.goto("/quality/?period=2026")
        assert page.locator("h1").inner_text() == "Chất lượng điều tra, truy tố, xét xử"
        assert page.locator("section[role=alert] li").count() == 2  # Q3 and Q4
        shot(page, f"quality-index-{width}")
        page.click("section[role=alert] >> text=Giam giữ oan")
        page.wait_for_url("**/quality/Q4/**")
        assert quality_records["C2"].register_code in page.content()
        shot(page, f"quality-q4-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, "the page scrolls sideways"
    assert problems == []
