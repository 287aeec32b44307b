"""A source's whole life, per persona, with hand-computed limits (CPC Arts. 145–149).

Dates: received Monday 02/03/2026 09:00. Resolution limit: 20 days → 22/03/2026 (a
Sunday; day limits do not roll over by default). First extension: 2 months in total from
receipt → 02/05/2026, a Saturday after the 30/4–1/5 holidays → Monday 04/05/2026. Its
request deadline for the second: 04/05 − 5 days = 29/04/2026. Second extension: 2 more
months from the un-rolled 02/05 → Thursday 02/07/2026. Receipt notice: 3 working days
after Monday 02/03 → Thursday 05/03/2026.
"""

from datetime import date

import pytest
import time_machine

from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.models import AuditEvent
from pctp.sources import services as s
from pctp.sources.models import ExtensionRequest, Source
from tests.sources.conftest import at

pytestmark = pytest.mark.django_db


def events(source):
    return list(AuditEvent.objects.filter(object_type="sources.source", object_id=str(source.pk))
                .order_by("id").values_list("action", "from_state", "to_state"))


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_commune_receives_and_passes_on_within_24_hours(officer_a, receive, communes, body):
    source = receive(officer_a)
    assert source.register_number == 1 and source.register_year == 2026
    assert source.holder == communes["police_a"]
    assert source.forward_due == at(2026, 3, 3, 9, 0)
    assert source.due_date == date(2026, 3, 22)
    assert source.procuracy.kind == "regional_procuracy"
    s.source_forward(actor=officer_a, source=source)
    source.refresh_from_db()
    assert source.holder == body
    assert source.notice_due == date(2026, 3, 5)
    assert events(source) == [("source.receive", "", "received"),
                              ("source.forward", "received", "received")]


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_remote_commune_gets_48_hours(officer_a, receive, communes):
    communes["a"].remote = True
    communes["a"].save()
    assert receive(officer_a).forward_due == at(2026, 3, 4, 9, 0)


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_register_numbers_run_per_unit_and_year(officer_a, officer_b, receive, communes):
    first = receive(officer_a)
    second = receive(officer_a)
    other_unit = receive(officer_b, unit=communes["police_b"], commune=communes["b"])
    assert (first.register_number, second.register_number, other_unit.register_number) == (1, 2, 1)


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_full_path_receive_classify_assign_extend_twice_decide(
        intake_body, head, investigator, procurator, receive, body):
    source = receive(intake_body, unit=body)
    assert source.due_date == date(2026, 3, 22)
    s.source_classify(actor=intake_body, source=source, article="173", clause=1)
    source.refresh_from_db()
    assert (source.severity, source.crime_group) == ("less_serious", "social_order")
    s.source_assign(actor=head, source=source, investigator=investigator)
    s.source_note(actor=investigator, source=source, text="Đã lấy lời khai người bị hại.")
    s.source_extend(actor=head, source=source, reason="Cần xác minh camera khu vực chợ.")
    source.refresh_from_db()
    assert source.extensions == 1 and source.due_date == date(2026, 5, 4)
    request = s.source_request_extension(actor=investigator, source=source,
                                         reason="Chờ kết quả định giá tài sản.",
                                         today=date(2026, 4, 29))
    s.extension_decide(actor=procurator, request=request, approve=True,
                       note="Đồng ý gia hạn lần hai.")
    source.refresh_from_db()
    assert source.extensions == 2 and source.due_date == date(2026, 7, 2)
    s.source_initiate(actor=investigator, source=source, decision_number="15/QĐ-CSĐT")
    source.refresh_from_db()
    assert source.status == "initiated" and source.outcome == "initiate"
    assert [e[0] for e in events(source)] == [
        "source.receive", "source.classify", "source.assign", "source.note", "source.extend",
        "source.request_extension", "source.extend", "source.initiate", "source.case_opened"]


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_a_third_extension_is_refused(intake_body, head, investigator, procurator, receive, body):
    source = receive(intake_body, unit=body)
    s.source_classify(actor=intake_body, source=source, article="174")
    s.source_assign(actor=head, source=source, investigator=investigator)
    s.source_extend(actor=head, source=source, reason="Phức tạp")
    req = s.source_request_extension(actor=investigator, source=source, reason="Chờ giám định",
                                     today=date(2026, 4, 20))
    s.extension_decide(actor=procurator, request=req, approve=True, note="Đồng ý")
    with pytest.raises(InvalidTransition) as err:
        s.source_request_extension(actor=investigator, source=source, reason="Lần ba",
                                   today=date(2026, 6, 1))
    assert err.value.code == "too_many_extensions" and err.value.status == 409
    with pytest.raises(InvalidTransition):
        s.source_extend(actor=head, source=source, reason="Lần ba")


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_second_extension_request_after_the_5_day_mark_is_refused(
        intake_body, head, investigator, receive, body):
    source = receive(intake_body, unit=body)
    s.source_classify(actor=intake_body, source=source, article="173")
    s.source_assign(actor=head, source=source, investigator=investigator)
    s.source_extend(actor=head, source=source, reason="Phức tạp")
    with pytest.raises(InvalidTransition) as err:
        s.source_request_extension(actor=investigator, source=source, reason="Muộn",
                                   today=date(2026, 4, 30))
    assert err.value.code == "request_too_late" and "29/04/2026" in err.value.message


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_procuracy_refuses_an_extension_with_reasons(
        intake_body, head, investigator, procurator, receive, body):
    source = receive(intake_body, unit=body)
    s.source_classify(actor=intake_body, source=source, article="173")
    s.source_assign(actor=head, source=source, investigator=investigator)
    s.source_extend(actor=head, source=source, reason="Phức tạp")
    req = s.source_request_extension(actor=investigator, source=source, reason="Chờ",
                                     today=date(2026, 4, 1))
    s.extension_decide(actor=procurator, request=req, approve=False, note="Không có căn cứ.")
    source.refresh_from_db()
    assert source.extensions == 1 and source.due_date == date(2026, 5, 4)
    assert ExtensionRequest.objects.get(pk=req.pk).state == "refused"
    assert events(source)[-1] == ("source.refuse_extension", "verifying", "verifying")


def test_suspend_then_procuracy_cancels_then_decide(
        intake_body, head, investigator, procurator, receive, body):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        source = receive(intake_body, unit=body)
        s.source_classify(actor=intake_body, source=source, article="134", clause=2)
        s.source_assign(actor=head, source=source, investigator=investigator)
        with pytest.raises(InvalidTransition) as err:  # the limit (22/03) has not expired
            s.source_suspend(actor=investigator, source=source, ground="expert_examination",
                             decision_number="1/QĐ", note="Chờ giám định thương tích")
        assert err.value.code == "limit_not_expired"
    with time_machine.travel(at(2026, 3, 23, 8, 0), tick=False):
        with pytest.raises(DomainError):  # not a ground of Art. 148
            s.source_suspend(actor=investigator, source=source, ground="too_busy",
                             decision_number="1/QĐ", note="x")
        s.source_suspend(actor=investigator, source=source, ground="expert_examination",
                         decision_number="1/QĐ", note="Chờ kết luận giám định thương tích")
    with time_machine.travel(at(2026, 4, 10, 8, 0), tick=False):
        s.source_cancel_suspension(actor=procurator, source=source, note="Đã có kết luận giám định.")
        source.refresh_from_db()
        # One month from the cancellation, 10/04/2026 → Sunday 10/05/2026 → Monday 11/05.
        assert (source.status, source.clock_rule, source.due_date) == (
            "verifying", "source.suspension_cancelled", date(2026, 5, 11))
        s.source_decline(actor=investigator, source=source, ground="not_a_crime",
                         decision_number="2/QĐ", note="Thương tích 5%, chưa cấu thành tội phạm.")
    assert [e[0] for e in events(source)][-3:] == [
        "source.suspend", "source.cancel_suspension", "source.decline"]


def test_suspended_source_resumes_for_one_month(intake_body, head, investigator, receive, body):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        source = receive(intake_body, unit=body)
        s.source_classify(actor=intake_body, source=source, article="173")
        s.source_assign(actor=head, source=source, investigator=investigator)
    with time_machine.travel(at(2026, 3, 25, 9, 0), tick=False):
        s.source_suspend(actor=investigator, source=source, ground="documents",
                         decision_number="3/QĐ", note="Chờ tài liệu ngân hàng")
    with time_machine.travel(at(2026, 6, 15, 9, 0), tick=False):
        s.source_resume(actor=investigator, source=source, note="Đã nhận tài liệu")
        source.refresh_from_db()
        # 15/06/2026 + 1 month = Wednesday 15/07/2026.
        assert source.due_date == date(2026, 7, 15) and source.clock_rule == "source.resume"


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_transfer_and_accept_keep_the_link_both_ways(
        intake_body, receive, body, make_user, communes):
    other = make_user("intake_officer", "P80-CA-ANDT")
    source = receive(intake_body, unit=body)
    s.source_transfer(actor=intake_body, source=source, to_unit=other.memberships.get().unit,
                      reason="Thuộc thẩm quyền Cơ quan An ninh điều tra")
    accepted = s.source_accept_transfer(actor=other, source=source)
    source.refresh_from_db()
    assert source.status == "transferred" and source.transferred_to == accepted
    assert accepted.transferred_from == source and accepted.channel == "transfer"
    assert accepted.unit.code == "P80-CA-ANDT" and accepted.register_number == 1
    assert s.source_reporter_identity(actor=other, source=accepted)["name"] == "Nguyễn Văn An"
    with pytest.raises(InvalidTransition):
        s.source_accept_transfer(actor=other, source=source)


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_merge_keeps_both_histories(intake_body, receive, body):
    first = receive(intake_body, unit=body)
    duplicate = receive(intake_body, unit=body, summary="Trình báo mất xe máy ở chợ",
                        channel="phone")
    s.source_merge(actor=intake_body, source=duplicate, into=first, note="Cùng vụ việc")
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == first
    assert events(duplicate)[-1] == ("source.merge", "received", "merged")
    assert events(first)[-1][0] == "source.absorb"


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_unlawful_steps_are_refused_with_409_naming_the_state(intake_body, head, investigator,
                                                              receive, body):
    source = receive(intake_body, unit=body)
    with pytest.raises(InvalidTransition) as err:
        s.source_initiate(actor=investigator, source=source, decision_number="1")
    assert err.value.status == 409 and err.value.details["state"] == "received"
    assert "đã tiếp nhận" in err.value.message


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_deciding_someone_elses_source_is_refused(intake_body, head, investigator,
                                                  other_investigator, receive, body):
    source = receive(intake_body, unit=body)
    s.source_classify(actor=intake_body, source=source, article="173")
    s.source_assign(actor=head, source=source, investigator=investigator)
    with pytest.raises(PermissionRefused):
        s.source_initiate(actor=other_investigator, source=source, decision_number="1")
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionRefused):
        s.source_decline(actor=other_investigator, source=source, ground="no_crime",
                         decision_number="1", note="x")
    assert AuditEvent.objects.count() == before


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_outsiders_cannot_act(officer_b, court_officer, outside_procurator, intake_body, head,
                              investigator, receive, body):
    source = receive(intake_body, unit=body)
    with pytest.raises(PermissionRefused):
        s.source_classify(actor=officer_b, source=source, article="173")
    with pytest.raises(PermissionRefused):
        s.source_classify(actor=court_officer, source=source, article="173")
    s.source_classify(actor=intake_body, source=source, article="173")
    s.source_assign(actor=head, source=source, investigator=investigator)
    s.source_extend(actor=head, source=source, reason="x")
    req = s.source_request_extension(actor=investigator, source=source, reason="y",
                                     today=date(2026, 4, 1))
    with pytest.raises(PermissionRefused):
        s.extension_decide(actor=outside_procurator, request=req, approve=True, note="z")


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_double_submitted_form_creates_one_source(officer_a, receive):
    first = receive(officer_a, client_token="form-123")
    again = receive(officer_a, client_token="form-123")
    assert first.pk == again.pk
    assert Source.objects.filter(client_token__endswith=":form-123").count() == 1


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_a_token_reused_by_another_ward_gets_its_own_source(officer_a, officer_b, receive,
                                                            communes):
    """Issue 16, finding 12: a second ward reusing a token got the first ward's register
    number (form) or a 500 (API). Keys are the submitter's own; the same key with another
    body from the same officer is a clear 409."""
    first = receive(officer_a, client_token="form-123")
    other = receive(officer_b, unit=communes["police_b"], commune=communes["b"],
                    client_token="form-123")
    assert other.pk != first.pk and other.unit != first.unit
    with pytest.raises(InvalidTransition) as err:
        receive(officer_a, client_token="form-123", summary="Một việc khác hẳn")
    assert err.value.code == "token_conflict" and err.value.status == 409


def test_the_api_answers_409_not_500_for_a_reused_token(officer_a, officer_b, communes):
    from tests.personas import api_client

    body = {"unit": communes["police_a"].code, "kind": "denunciation", "channel": "phone",
            "summary": "Mất xe máy", "content": "Mất xe máy trước nhà.",
            "reporter_type": "anonymous", "client_token": "api-tok-1"}
    first = api_client(officer_a).post("/api/v1/sources/", body, format="json")
    assert first.status_code == 201, first.content
    clash = api_client(officer_a).post("/api/v1/sources/", {**body, "summary": "Khác"},
                                       format="json")
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "token_conflict"
    again = api_client(officer_a).post("/api/v1/sources/", body, format="json")
    assert again.json()["id"] == first.json()["id"]


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
@pytest.mark.parametrize(("field", "kwargs"), [
    ("reporter_personal_id", {"reporter": s.Reporter(type="person", name="A",
                                                     personal_id="12345")}),
    ("reporter_personal_id", {"reporter": s.Reporter(type="person", name="A",
                                                     personal_id="099092001234")}),
    ("occurred_at", {"occurred_at": at(2026, 3, 5, 9, 0)}),
    ("received_at", {"received_at": at(2026, 3, 9, 9, 0)}),
    ("summary", {"summary": "  "}),
])
def test_bad_input_names_the_field_and_saves_nothing(officer_a, receive, field, kwargs):
    before = Source.objects.count()
    with pytest.raises(DomainError) as err:
        receive(officer_a, **kwargs)
    assert field in err.value.details
    assert Source.objects.count() == before


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_unknown_commune_of_another_province_is_refused(officer_a, receive):
    from pctp.units.models import Commune

    hanoi = Commune.objects.get(code="4")
    with pytest.raises(DomainError) as err:
        receive(officer_a, commune=hanoi)
    assert "commune" in err.value.details


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_classifying_under_an_unknown_clause_is_refused(intake_body, receive, body):
    source = receive(intake_body, unit=body)
    with pytest.raises(DomainError) as err:
        s.source_classify(actor=intake_body, source=source, article="173", clause=9)
    assert err.value.code == "unknown_clause"
    source.refresh_from_db()
    assert source.status == "received"


def test_extensions_decided_after_the_limit_are_refused_or_recorded_late(
        intake_body, head, investigator, procurator, receive, body):
    """Received 02/03/2026: 20 days -> 22/03. A first extension on 01/04 is ten days late:
    refused, or recorded late (10 days past the limit). Its 2 months from receipt end
    04/05 (as above); the second, asked on 29/04 and approved on 13/05, is nine days late."""
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        source = receive(intake_body, unit=body)
        s.source_classify(actor=intake_body, source=source, article="173")
        s.source_assign(actor=head, source=source, investigator=investigator)
    with time_machine.travel(at(2026, 4, 1, 9, 0), tick=False):
        with pytest.raises(InvalidTransition) as err:
            s.source_extend(actor=head, source=source, reason="Phức tạp")
        assert err.value.code == "limit_expired" and "22/03/2026" in err.value.message
        assert Source.objects.get(pk=source.pk).due_date == date(2026, 3, 22)
        s.source_extend(actor=head, source=source, reason="Phức tạp", record_late=True)
    source.refresh_from_db()
    assert (source.due_date, source.late_days) == (date(2026, 5, 4), 10)
    assert AuditEvent.objects.filter(action="source.extend", object_id=str(source.pk)).last() \
        .changes["gap_days"] == [None, 10]
    with time_machine.travel(at(2026, 4, 29, 9, 0), tick=False):
        req = s.source_request_extension(actor=investigator, source=source, reason="Chờ giám định")
    with time_machine.travel(at(2026, 5, 13, 9, 0), tick=False):
        with pytest.raises(InvalidTransition) as err:
            s.extension_decide(actor=procurator, request=req, approve=True, note="Đồng ý")
        assert err.value.code == "limit_expired"
        row = s.extension_decide(actor=procurator, request=req, approve=True, note="Đồng ý",
                                 record_late=True)
    assert (row.late, row.gap_days) == (True, 9)
    source.refresh_from_db()
    assert (source.extensions, source.late_days) == (2, 19)


@pytest.mark.parametrize(("day", "offered"), [(29, True), (30, False)])
def test_the_page_offers_the_second_extension_request_only_by_the_5_day_mark(
        intake_body, head, investigator, receive, body, day, offered):
    """Review of issue 18: the source page offered the request after 29/04, where the service
    refuses it (request_too_late); the case page had been fixed, the source page not."""
    from pctp.sources.transitions import source_actions

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        source = receive(intake_body, unit=body)
        s.source_classify(actor=intake_body, source=source, article="173")
        s.source_assign(actor=head, source=source, investigator=investigator)
        s.source_extend(actor=head, source=source, reason="Phức tạp")
    with time_machine.travel(at(2026, 4, day, 9, 0), tick=False):
        source = Source.objects.get(pk=source.pk)
        assert ("request_extension" in source_actions(investigator, source)) is offered


def test_the_procuracy_cancels_a_decision_not_to_initiate(
        intake_body, head, investigator, procurator, receive, body):
    """Issue 21: a decline without ground is cancelled by the procuracy, which initiates the
    case (CPC Arts. 153(3)(a), 161); the investigation body then opens it from the source.
    The police may not cancel it; a source still open cannot be "cancelled"."""
    from pctp.cases import services as cases

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        source = receive(intake_body, unit=body)
        s.source_classify(actor=intake_body, source=source, article="134", clause=1)
        s.source_assign(actor=head, source=source, investigator=investigator)
        with pytest.raises(InvalidTransition):
            s.source_cancel_decline(actor=procurator, source=source, decision_number="1/QĐ-VKS",
                                    note="x")
        s.source_decline(actor=investigator, source=source, ground="not_a_crime",
                         decision_number="2/QĐ", note="Thương tích 5%.")
    with time_machine.travel(at(2026, 3, 20, 9, 0), tick=False):
        with pytest.raises(PermissionRefused):
            s.source_cancel_decline(actor=head, source=source, decision_number="1/QĐ-VKS",
                                    note="Tự hủy")
        with pytest.raises(DomainError):  # the reason is required
            s.source_cancel_decline(actor=procurator, source=source,
                                    decision_number="1/QĐ-VKS", note=" ")
        for day in (date(2026, 3, 1), date(2026, 3, 21)):  # before the decline; the future
            with pytest.raises(DomainError):
                s.source_cancel_decline(actor=procurator, source=source,
                                        decision_number="1/QĐ-VKS", note="x", on=day)
        # Entered on 20/03, decided on 15/03: the case's investigation runs from 15/03.
        s.source_cancel_decline(actor=procurator, source=source, decision_number="1/QĐ-VKS",
                                note="Giám định lại: thương tích 15%, có dấu hiệu tội phạm.",
                                on=date(2026, 3, 15))
        source.refresh_from_db()
        assert (source.status, source.outcome, source.decline_ground, source.decision_number) == (
            "initiated", "initiate", "", "1/QĐ-VKS")
        assert events(source)[-1] == ("source.cancel_decline", "declined", "initiated")
        row = AuditEvent.objects.filter(action="source.cancel_decline").get()
        assert row.changes["decision_number"] == ["2/QĐ", "1/QĐ-VKS"]
        case = cases.case_initiate_from_source(actor=investigator, source=source)
        assert (case.decision_number, case.investigation_body_id, case.initiated_on) == (
            "1/QĐ-VKS", body.pk, date(2026, 3, 15))


def test_the_offence_changes_during_verification_with_its_reason(
        intake_body, head, investigator, other_investigator, receive, body):
    """Issue 21: clause 2 of Art. 134 (serious) changed to clause 1 (less serious) is
    journaled as lighter; only the investigator assigned or the leaders may change it."""
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        source = receive(intake_body, unit=body)
        s.source_classify(actor=intake_body, source=source, article="134", clause=2)
        s.source_assign(actor=head, source=source, investigator=investigator)
        with pytest.raises(PermissionRefused):
            s.source_reclassify(actor=other_investigator, source=source, article="134",
                                clause=1, reason="x")
        with pytest.raises(DomainError):  # the same article and clause
            s.source_reclassify(actor=investigator, source=source, article="134", clause=2,
                                reason="x")
        with pytest.raises(DomainError):  # the reason is required
            s.source_reclassify(actor=investigator, source=source, article="134", clause=1,
                                reason=" ")
        s.source_reclassify(actor=investigator, source=source, article="134", clause=1,
                            reason="Giám định: tỷ lệ thương tật 12%.")
        source.refresh_from_db()
        assert (source.status, source.clause.clause, source.severity) == (
            "verifying", 1, "less_serious")
        row = AuditEvent.objects.filter(action="source.reclassify").get()
        assert row.changes["severity"] == ["serious", "less_serious"]
        assert row.changes["lighter"] == [None, True]
        s.source_reclassify(actor=head, source=source, article="134", clause=2,
                            reason="Giám định lại: 31%.")
        assert AuditEvent.objects.filter(action="source.reclassify").order_by("pk").last().changes[
            "lighter"] == [None, False]
