"""What a user reads: journal actions and queue names in their language, numbers and dates
in the reader's style, no internal codes in choice lists."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from pctp.core.labels import ACTION_LABELS
from pctp.core.models import AuditEvent
from tests.personas import login

ROOT = Path(__file__).resolve().parents[2] / "pctp"


def test_every_recorded_action_has_a_human_label():
    codes = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        codes |= set(re.findall(r"""action=["']([a-z_]+(?:\.[a-z_]+)?)["']""", path.read_text()))
    codes -= {"store_true", "store_false", "store", "append", "count"}  # argparse actions
    assert codes, "the scan found no action"
    assert sorted(codes - set(ACTION_LABELS)) == []


@pytest.mark.django_db
def test_home_shows_my_recent_actions_in_words_not_codes(officer_a):
    AuditEvent.objects.create(actor=officer_a, action="kpi.close_period",
                              object_type="plans.plan", object_id="1", object_repr="125/KH")
    html = login(officer_a).get("/").content.decode()
    assert "kpi.close_period" not in html
    assert "Khóa sổ kỳ báo cáo: 125/KH" in html


def test_source_queue_names_follow_the_language_of_the_request():
    from pctp.sources.views import QUEUE_LABELS

    with translation.override("en"):
        assert str(QUEUE_LABELS["mine"]) == "Assigned to me"
    with translation.override("vi"):
        assert str(QUEUE_LABELS["mine"]) == "Được giao cho tôi"


def test_time_limit_calculator_lists_titles_without_internal_codes():
    from pctp.law.views import DeadlineForm

    labels = [str(label) for _code, label in DeadlineForm().fields["rule"].choices]
    assert labels and not [x for x in labels if re.search(r"\([a-z_]+\.[a-z_]+\)", x)]


def test_backtest_dates_and_counts_read_in_vietnamese_style():
    template = Template('{% load numbers pctp %}{{ d|iso_date|date:"d/m/Y" }} {{ n|kpi_int }}')
    with translation.override("vi"):
        text = template.render(Context({"d": "2025-11-30T00:00:00", "n": 13905}))
    assert text == "30/11/2025 13.905"
    assert Template("{% load pctp %}{{ d|iso_date }}").render(Context({"d": "nonsense"})) == "None"


def test_the_journal_and_the_admin_speak_vietnamese(make_user):
    """Issue 17: no raw codes in the journal ("received", "identity", "case page") and no
    library names in English in the administration ("Access attempts", "TOTP devices")."""
    from django.contrib.auth import get_user_model

    from pctp.core.audit import access_record, audit_record
    from tests.personas import login_verified

    auditor = make_user("auditor", "P80-TTRA")
    other = get_user_model().objects.exclude(pk=auditor.pk).first() or auditor
    audit_record(actor=auditor, action="source.receive", obj=other, changes={})
    access_record(actor=auditor, obj=other, fields="identity", purpose="case page")
    client = login_verified(auditor)
    events = client.get("/journal/").content.decode()
    assert "Tiếp nhận và vào sổ" in events or "vào sổ" in events
    access = client.get("/journal/access/").content.decode()
    assert "nhân thân bị can" in access and "trang vụ án" in access
    assert ">identity<" not in access and ">case page<" not in access
    admin = make_user("system_admin", "P80", is_staff=True)
    index = login_verified(admin).get("/admin/").content.decode()
    for english in ("Access attempts", "TOTP devices", "Task Results", "Static devices"):
        assert english not in index
    assert "ứng dụng xác thực" in index.lower() or "Ứng dụng xác thực" in index


def test_journal_rows_of_moved_models_keep_their_names():
    """Targets and closed figures moved from plans to kpi (issue 18); the append-only journal
    keeps the old object type, which still reads as the model's name."""
    from django.utils import translation

    from pctp.core.labels import object_label

    with translation.override("en"):
        assert object_label("plans.kpisnapshot") == "closed figure"
        assert object_label("kpi.kpisnapshot") == "closed figure"
        assert object_label("plans.target") == "target"
        assert object_label("nothing.here") == "nothing.here"
