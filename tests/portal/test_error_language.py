"""The portal answers a citizen in the language chosen (the language cookie), Vietnamese by
default: the refusals and the plain-words status are written in English and translated."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _submit(client: Client, communes, token: str):
    body = {"commune": communes["a"].code, "crime_type": "drugs",
            "description": "Có người bán ma túy ở quán nước đầu hẻm.", "client_token": token}
    return client.post("/api/v1/portal/reports/", body, content_type="application/json")


def test_a_wrong_passphrase_and_the_status_follow_the_citizens_language(communes):
    vietnamese = Client()
    creds = {"tracking_code": _submit(vietnamese, communes, "v" * 20).json()["tracking_code"],
             "passphrase": "nope"}
    bad = vietnamese.post("/api/v1/portal/follow-up/", creds, content_type="application/json")
    assert bad.status_code == 403
    assert bad.json()["error"]["message"] == "Mã tra cứu hoặc mật khẩu tra cứu không đúng."

    english = Client()
    english.cookies["django_language"] = "en"
    first = _submit(english, communes, "e" * 20).json()
    bad = english.post("/api/v1/portal/follow-up/", {**creds, "tracking_code":
                                                      first["tracking_code"]},
                       content_type="application/json")
    assert bad.json()["error"]["message"] == "The tracking code or the passphrase is not right."
    status = english.post("/api/v1/portal/follow-up/", {
        "tracking_code": first["tracking_code"], "passphrase": first["passphrase"]},
        content_type="application/json").json()
    assert status["status_text"] == "Received; an officer is looking at it."
    status = vietnamese.post("/api/v1/portal/follow-up/", {
        "tracking_code": first["tracking_code"], "passphrase": first["passphrase"]},
        content_type="application/json").json()
    assert status["status_text"] == "Đã nhận, cán bộ đang xem xét."


def test_an_invalid_report_is_refused_in_the_citizens_language(communes):
    body = {"commune": communes["a"].code, "crime_type": "drugs", "description": "ngắn",
            "client_token": "s" * 20}
    vietnamese = Client().post("/api/v1/portal/reports/", body,
                               content_type="application/json").json()["error"]
    assert vietnamese["message"] == "Thông tin báo tin chưa hợp lệ."
    assert vietnamese["details"]["description"] == ["Hãy mô tả sự việc (ít nhất 10 ký tự)."]
    english = Client()
    english.cookies["django_language"] = "en"
    error = english.post("/api/v1/portal/reports/", dict(body, client_token="t" * 20),
                         content_type="application/json").json()["error"]
    assert error["message"] == "The report is not valid yet."
    assert error["details"]["description"] == ["Describe what happened (at least 10 characters)."]
