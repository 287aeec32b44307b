"""Sign-in: the hashers, lockout, the second factor for leaders and administrators."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.utils import timezone

from tests.personas import PASSWORD, login, login_verified

pytestmark = pytest.mark.django_db


def test_the_fast_test_hasher_is_for_tests_only(officer_a, settings):
    """Tests hash with MD5 (issue 18: argon2 cost 0.15 s a persona); production keeps argon2
    (tests/core/test_production_settings.py checks it in a production process)."""
    assert settings.ENVIRONMENT == "test"
    assert identify_hasher(officer_a.password).algorithm == "md5"
    assert settings.PASSWORD_HASHERS[1].endswith("Argon2PasswordHasher")


def test_officer_signs_in_and_lands_on_home(officer_a):
    client = Client()
    response = client.post("/accounts/login/", {"username": officer_a.username,
                                                "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Officer A" in response.content.decode()


def test_locked_out_user_stays_out_even_with_the_right_password(officer_a):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": officer_a.username, "password": "wrong-1"})
    response = client.post("/accounts/login/", {"username": officer_a.username,
                                                "password": PASSWORD})
    assert response.status_code == 429
    assert "Tài khoản bị khóa" in response.content.decode()
    assert client.get("/").status_code == 302  # still anonymous


def test_leader_without_second_factor_is_sent_to_enrol(leader):
    response = login(leader).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/otp/verify/")
    setup = login(leader).get("/otp/setup/?next=/")
    assert setup.status_code == 200
    assert b"<svg" in setup.content


def test_leader_enrols_with_a_valid_code_and_reaches_home(leader):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = login(leader)
    client.get("/otp/setup/?next=/")
    device = TOTPDevice.objects.get(user=leader)
    wrong = client.post("/otp/setup/", {"otp_token": "000000", "next": "/"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    # A wrong code throttles the device for a moment (django-otp); a person retries later.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        response = client.post("/otp/setup/", {"otp_token": f"{token:06d}", "next": "/"})
        assert response.status_code == 302
        assert client.get("/").status_code == 200


def test_admin_without_second_factor_cannot_reach_the_admin(make_user):
    admin = make_user("system_admin", "P80", is_staff=True)
    response = login(admin).get("/admin/")
    assert response.status_code == 302
    assert "/otp/verify/" in response["Location"]
    # Even bypassing the page middleware, the OTP admin site refuses an unverified session.
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = admin
    request.user.is_verified = lambda: False
    assert not django_admin.site.has_permission(request)


def test_admin_with_second_factor_reaches_the_admin(make_user):
    admin = make_user("system_admin", "P80", is_staff=True)
    client = login_verified(admin)
    assert client.get("/admin/").status_code == 200


def test_officer_needs_no_second_factor(officer_a):
    assert login(officer_a).get("/").status_code == 200


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_change_enforces_rules_and_is_audited(officer_a):
    from pctp.core.models import AuditEvent

    client = login(officer_a)
    weak = client.post("/accounts/password/", {"old_password": PASSWORD,
                                               "new_password1": "12345678",
                                               "new_password2": "12345678"})
    assert weak.status_code == 200
    assert AuditEvent.objects.filter(action="user.password_change").count() == 0
    strong = client.post("/accounts/password/", {"old_password": PASSWORD,
                                                 "new_password1": "Another-Strong-Pass-9",
                                                 "new_password2": "Another-Strong-Pass-9"})
    assert strong.status_code == 302
    assert AuditEvent.objects.filter(action="user.password_change",
                                     object_id=str(officer_a.pk)).count() == 1


def test_anonymous_visitor_is_sent_to_sign_in(db):
    response = Client().get("/units/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# Issue 16, finding 8: a browser session without the second factor reached the API and the
# portal's staff pages (their prefixes were exempt). Only token calls may skip it.

@pytest.mark.parametrize("path", ["/api/v1/sources/", "/api/v1/audit/events/",
                                  "/api/v1/cases/measures/"])
def test_a_session_without_the_second_factor_gets_403_from_the_api(make_user, path):
    head = make_user("unit_leader", "P80-CA-CSDT", is_head=True)
    response = login(head).get(path)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"
    post = login(head).post("/api/v1/sources/1/forward/", {}, content_type="application/json")
    assert post.status_code == 403


@pytest.mark.parametrize("path", ["/cong-dan/xu-ly/", "/cong-dan/xu-ly/3/danh-tinh/",
                                  "/cong-dan/canh-bao/moi/"])
def test_the_portals_staff_pages_ask_for_the_second_factor(make_user, path):
    head = make_user("unit_leader", "P80-CA-CSDT", is_head=True)
    for response in (login(head).get(path), login(head).post(path, {"title": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/otp/verify/")


def test_a_token_call_needs_no_second_factor_and_a_verified_session_passes(make_user):
    from tests.personas import api_client

    head = make_user("unit_leader", "P80-CA-CSDT", is_head=True)
    assert api_client(head).get("/api/v1/sources/").status_code == 200
    assert login_verified(head).get("/api/v1/sources/").status_code == 200
