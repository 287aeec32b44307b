"""Rotating the field key re-encrypts stored identities; they stay readable."""

import base64

import pytest
from django.core.management import call_command

from pctp.core.crypto import decrypt_json, key_id
from pctp.sources.models import Source

pytestmark = pytest.mark.django_db

NEW = "k2:" + base64.b64encode(b"\x01" * 32).decode()


def test_rotation_is_dry_by_default_then_re_encrypts(officer_a, settings, capsys):
    from pctp.sources.services import Reporter, source_receive

    source = source_receive(actor=officer_a, unit=officer_a.memberships.get().unit,
                            kind="denunciation", channel="phone", summary="Trộm cắp",
                            content="Mất xe đạp", reporter=Reporter(type="person", name="Trần An"))
    old = bytes(Source.objects.get(pk=source.pk).reporter_identity)
    settings.PCTP_FIELD_KEYS = [NEW, *settings.PCTP_FIELD_KEYS]
    call_command("rotate-field-keys")
    assert bytes(Source.objects.get(pk=source.pk).reporter_identity) == old
    call_command("rotate-field-keys", "--commit")
    blob = bytes(Source.objects.get(pk=source.pk).reporter_identity)
    assert key_id(blob) == "k2"
    assert decrypt_json(blob, context=f"source:{source.pk}")["name"] == "Trần An"
    settings.PCTP_FIELD_KEYS = [NEW]  # the old key can now be retired
    assert decrypt_json(blob, context=f"source:{source.pk}")["name"] == "Trần An"
