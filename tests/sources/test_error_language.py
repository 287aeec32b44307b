"""Crime-source refusals are written in English and shown in the user's language: Vietnamese
by default, English for a user who chose it (the language cookie)."""

import html

import pytest

from tests.personas import api_client, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def source_a(officer_a, receive):
    """A source just received by the commune police of commune A."""
    return receive(officer_a)


def test_an_unlawful_step_by_api_is_refused_in_the_users_language(officer_a, source_a):
    client = api_client(officer_a)
    url = f"/api/v1/sources/{source_a.pk}/initiate/"
    vietnamese = client.post(url, {"decision_number": "1/QĐ"}, format="json")
    assert vietnamese.status_code == 409
    assert vietnamese.json()["error"]["message"] == (
        "Không thể thực hiện «Quyết định khởi tố vụ án» khi nguồn tin đang ở trạng thái "
        "«đã tiếp nhận».")
    client.cookies["django_language"] = "en"
    english = client.post(url, {"decision_number": "1/QĐ"}, format="json")
    assert english.status_code == 409
    assert english.json()["error"]["message"] == (
        "Cannot take the step «Decision to initiate a case» while the source is «received».")


def test_an_unknown_article_is_refused_with_its_number_in_the_users_language(intake_body,
                                                                           receive, body):
    source = receive(intake_body, unit=body)
    client = api_client(intake_body)
    url = f"/api/v1/sources/{source.pk}/classify/"
    vietnamese = client.post(url, {"article": "999"}, format="json").json()["error"]
    assert vietnamese["message"] == "Không có tội danh tại Điều 999 BLHS."
    assert vietnamese["details"]["article"] == ["Điều 999 không tồn tại hoặc đã bãi bỏ."]
    client.cookies["django_language"] = "en"
    english = client.post(url, {"article": "999"}, format="json").json()["error"]
    assert english["message"] == "There is no offence at Art. 999 PC."
    assert english["details"]["article"] == ["Art. 999 does not exist or has been repealed."]


def test_a_page_refusal_is_in_the_users_language(officer_a, source_a):
    client = login(officer_a)
    url = f"/sources/{source_a.pk}/accept_transfer/"
    vietnamese = client.post(url)
    assert vietnamese.status_code == 409
    assert ("Nguồn tin này không chờ tiếp nhận chuyển đến."
            in html.unescape(vietnamese.content.decode()))
    client.cookies["django_language"] = "en"
    english = client.post(url)
    assert english.status_code == 409
    assert ("This source is not awaiting acceptance of a transfer."
            in html.unescape(english.content.decode()))
