"""The units' refusals are written in English and shown in the user's language: Vietnamese
by default, English for a user who chose it."""

from datetime import date

import pytest
from django.utils import translation

from pctp.core.errors import DomainError
from pctp.units.maps import attribution
from pctp.units.models import Unit
from pctp.units.services import unit_close

pytestmark = pytest.mark.django_db


def test_closing_a_closed_unit_is_refused_in_the_users_language():
    unit = Unit.objects.filter(valid_to__isnull=True, children__isnull=True).first()
    unit_close(unit=unit, on=date(2026, 1, 31))
    for language, message in (("vi", "Đơn vị này đã ngừng hoạt động."),
                              ("en", "This unit no longer operates.")):
        with translation.override(language), pytest.raises(DomainError) as refused:
            unit_close(unit=unit, on=date(2026, 2, 1))
        assert refused.value.code == "already_closed" and refused.value.message == message


def test_a_message_with_a_value_keeps_the_value_in_both_languages():
    from pctp.units.services import membership_grant

    unit = Unit.objects.first()
    with translation.override("vi"), pytest.raises(DomainError) as refused:
        membership_grant(user=None, unit=unit, role_code="no_such_role")
    assert refused.value.message == "Vai trò không tồn tại: no_such_role"
    with translation.override("en"), pytest.raises(DomainError) as refused:
        membership_grant(user=None, unit=unit, role_code="no_such_role")
    assert refused.value.message == "No such role: no_such_role"


def test_the_map_credit_follows_the_language():
    with translation.override("vi"):
        assert attribution().startswith("Ranh giới hành chính: NXB Tài nguyên")
    with translation.override("en"):
        assert attribution().startswith("Administrative boundaries: NXB Tài nguyên")
