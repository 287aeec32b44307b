"""Key-area refusals are written in English and shown in the user's language: Vietnamese by
default, English for a user who chose it (the language cookie)."""

import html

import pytest

from tests.areas.test_pages_and_api import area  # noqa: F401 - the fixture
from tests.personas import api_client, login_verified

pytestmark = pytest.mark.django_db


def test_the_api_refuses_an_unknown_type_of_area_in_the_users_language(leader, three):
    client = api_client(leader)
    vietnamese = client.get("/api/v1/areas/ranking/?year=2026&type=bogus")
    assert vietnamese.status_code == 400
    assert vietnamese.json()["error"]["message"] == "Loại địa bàn không hợp lệ."
    client.cookies["django_language"] = "en"
    english = client.get("/api/v1/areas/ranking/?year=2026&type=bogus")
    assert english.json()["error"]["message"] == "Invalid type of area."


def test_an_unlawful_step_is_explained_in_the_users_language(leader, area):  # noqa: F811
    client = login_verified(leader)
    vietnamese = client.post(f"/areas/{area.pk}/remove/", {"remove-decision_number": "5/QĐ"})
    assert vietnamese.status_code == 409
    assert ("Không thể đưa ra khỏi danh sách khi địa bàn đang ở trạng thái «đang chuyển hóa». "
            "Chỉ đưa ra khỏi danh sách địa bàn đã được đánh giá chuyển hóa."
            ) in html.unescape(vietnamese.content.decode())
    client.cookies["django_language"] = "en"
    english = client.post(f"/areas/{area.pk}/remove/", {"remove-decision_number": "5/QĐ"})
    assert english.status_code == 409
    assert ("Cannot remove it from the list while the area is «being transformed». Only an area "
            "assessed as transformed is removed from the list."
            ) in html.unescape(english.content.decode())
