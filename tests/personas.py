"""Ways for a test to act as a persona: a page session, a verified session, an API token."""

from __future__ import annotations

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = "Correct-Horse-42"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def login_verified(user) -> Client:
    """A session that has passed the TOTP second factor."""
    from django_otp.oath import totp

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post("/otp/verify/", {"otp_token": f"{token:06d}", "next": "/"})
    assert response.status_code == 302, response.content[:500]
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
