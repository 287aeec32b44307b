"""Error messages follow the user's language: Vietnamese by default, English for a user who
chose English (the language cookie). The messages are written in English in the code and
translated in the catalogue."""

import pytest
from django.test import Client
from django.utils import translation

from pctp.core.errors import DomainError
from pctp.core.money import MoneyError, parse_vnd
from pctp.core.uploads import check_upload

pytestmark = pytest.mark.django_db


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_an_api_error_is_in_vietnamese_by_default_and_in_english_when_chosen():
    vietnamese = Client().get("/api/v1/no-such-endpoint/")
    assert vietnamese.status_code == 404
    assert vietnamese.json()["error"]["message"] == "Không tìm thấy."
    assert english_client().get("/api/v1/no-such-endpoint/").json()["error"]["message"] == \
        "Not found."


def test_a_nul_byte_is_refused_in_the_language_the_user_chose():
    """The refusal comes before the language is activated for the request: the cookie is read."""
    vietnamese = Client().get("/healthz", {"q": "a\x00b"})
    assert vietnamese.status_code == 400
    assert vietnamese.content.decode() == "Dữ liệu chứa ký tự không hợp lệ (NUL)."
    english = english_client().get("/healthz", {"q": "a\x00b"})
    assert english.content.decode() == "The data contain an invalid character (NUL)."


def test_domain_errors_are_translated_with_their_values():
    with translation.override("vi"), pytest.raises(MoneyError) as refused:
        parse_vnd("1,500")
    assert str(refused.value) == ("«1,500» có thể hiểu là 1.500 đồng hoặc số lẻ: nhóm ba chữ số "
                                  "bằng dấu chấm (ví dụ 1.500).")
    with translation.override("en"), pytest.raises(MoneyError) as refused:
        parse_vnd("1,500")
    assert str(refused.value) == ("«1,500» could mean 1.500 đồng or a fraction: group thousands "
                                  "with dots (e.g. 1.500).")


def test_an_upload_refusal_is_translated():
    from django.core.files.uploadedfile import SimpleUploadedFile

    for language, message in (("vi", "Loại tệp không được chấp nhận."),
                              ("en", "This type of file is not accepted.")):
        with translation.override(language), pytest.raises(DomainError) as refused:
            check_upload(SimpleUploadedFile("x.exe", b"MZ\x90\x00\xff\xfe\x00", "application/x"))
        assert refused.value.message == message


def test_an_extension_request_refusal_is_translated():
    from pctp.core.errors import InvalidTransition
    from pctp.core.extensions import extension_request

    class Pending:
        def filter(self, **kwargs):
            return self

        def exists(self):
            return True

    for language, message in (("vi", "Đã có đề nghị gia hạn đang chờ Viện kiểm sát."),
                              ("en", "An extension request is already awaiting the procuracy.")):
        with translation.override(language), pytest.raises(InvalidTransition) as refused:
            extension_request(Pending(), actor=None, reason="x", number=1)
        assert refused.value.message == message


def test_drf_english_only_errors_speak_vietnamese(make_user, communes):
    """DRF writes "JSON parse error - …" and "CSRF Failed: …" without gettext (QA of 22)."""
    from rest_framework.test import APIClient

    from tests.personas import api_client, login_verified

    officer = make_user("intake_officer", communes["police_a"])
    broken = api_client(officer).generic("POST", "/api/v1/sources/", "{not json",
                                         content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["error"]["message"] == "Nội dung gửi lên không phải JSON hợp lệ."
    session = login_verified(officer)
    browser = APIClient(enforce_csrf_checks=True)
    browser.cookies = session.cookies
    refused = browser.post("/api/v1/sources/", {}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"].startswith("Yêu cầu thiếu mã CSRF hợp lệ")
