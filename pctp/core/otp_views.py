"""Enrolment and verification of the TOTP second factor (django-otp)."""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pctp.core.audit import audit_record


class TokenForm(forms.Form):
    otp_token = forms.RegexField(
        regex=r"^\d{6}$", label=gettext_lazy("6-digit code"), max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
        error_messages={"invalid": gettext_lazy("Enter the 6 digits shown in your app.")},
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


def _qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8").split("?>", 1)[-1]


@login_required
def otp_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"/otp/setup/?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            form.add_error("otp_token", _("Too many wrong codes. Wait a moment and try again."))
        elif device.verify_token(form.cleaned_data["otp_token"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("otp_token", _("The code is wrong or has expired."))
    return render(request, "core/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request):
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"/otp/verify/?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(actor=request.user, action="otp.enrol", obj=device,
                             from_state="unconfirmed", to_state="confirmed")
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on for your account."))
            return redirect(_next_url(request))
        form.add_error("otp_token", _("The code is wrong or has expired."))
    secret = b32encode(device.bin_key).decode("ascii")
    return render(request, "core/otp_setup.html", {
        "form": form, "next": _next_url(request), "qr_svg": mark_safe(_qr_svg(device)),  # noqa: S308 - generated SVG, no user input
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    })
