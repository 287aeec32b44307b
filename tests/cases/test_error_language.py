"""Criminal-case refusals are written in English and shown in the user's language: Vietnamese
by default, English for a user who chose it (the language cookie)."""

import html

import pytest
import time_machine

from tests.cases.test_pages_and_api import NOW, case_at_court  # noqa: F401 - the fixture
from tests.personas import api_client, login

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_an_unlawful_step_by_page_is_explained_in_the_users_language(case_at_court,  # noqa: F811
                                                                     judge):
    client = login(judge)
    url = f"/cases/{case_at_court.pk}/judgment/"
    data = {"judgment_number": "1/HS-ST", "summary": "x"}
    vietnamese = client.post(url, data)
    assert vietnamese.status_code == 409
    assert ("Không thể tuyên án khi vụ án đang ở giai đoạn «Tòa án đã thụ lý». Bản án chỉ được "
            "tuyên sau khi đã mở phiên tòa.") in html.unescape(vietnamese.content.decode())
    client.cookies["django_language"] = "en"
    english = client.post(url, data)
    assert english.status_code == 409
    assert ("Cannot deliver the judgment while the case is at the stage «accepted by the court». "
            "A judgment is delivered only after the trial has opened."
            ) in html.unescape(english.content.decode())


@time_machine.travel(NOW, tick=False)
def test_a_trial_date_out_of_time_is_refused_by_api_with_its_dates(case_at_court,  # noqa: F811
                                                                    judge):
    client = api_client(judge)
    url = f"/api/v1/cases/{case_at_court.pk}/commit-to-trial/"
    data = {"decision_number": "5/QĐXX", "trial_on": "2026-09-30", "on": "2026-07-31"}
    vietnamese = client.post(url, data, format="json")
    assert vietnamese.status_code == 400
    error = vietnamese.json()["error"]
    assert error["message"].startswith("Phiên tòa phải mở trong thời hạn 15 ngày kể từ ngày có "
                                       "quyết định: từ 31/07/2026 đến ")
    assert error["details"]["trial_on"][0].startswith("Từ 31/07/2026 đến ")
    client.cookies["django_language"] = "en"
    english = client.post(url, data, format="json").json()["error"]
    assert english["message"].startswith("The trial must open within 15 days of the decision: "
                                         "from 31/07/2026 to ")
    assert english["details"]["trial_on"][0].startswith("From 31/07/2026 to ")


@time_machine.travel(NOW, tick=False)
def test_a_step_by_another_agency_is_refused_in_the_users_language(initiate, procurator):
    case = initiate()
    client = api_client(procurator)  # the supervising procuracy, at the investigation stage
    url = f"/api/v1/cases/{case.pk}/conclude/"
    vietnamese = client.post(url, {"document_number": "1/KL"}, format="json")
    assert vietnamese.status_code == 403
    assert vietnamese.json()["error"]["message"] == (
        "Bạn không có quyền thực hiện thao tác này: vụ án đang ở giai đoạn của cơ quan khác, "
        "hoặc thuộc đơn vị khác.")
    client.cookies["django_language"] = "en"
    english = client.post(url, {"document_number": "1/KL"}, format="json")
    assert english.json()["error"]["message"] == (
        "You may not take this step: the case is at another agency's stage, or belongs to "
        "another unit.")
