import logging

from pctp.core.logging import RedactPersonalData, redact


def test_personal_ids_phones_and_emails_are_masked():
    text = "reporter 079203001234 phone 0912 345 678 mail an.nguyen@example.vn id 123456789"
    assert redact(text) == "reporter [ID] phone [PHONE] mail [EMAIL] id [ID]"


def test_log_records_pass_through_the_filter():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "looked up %s", ("079203001234",), None)
    RedactPersonalData().filter(record)
    assert record.getMessage() == "looked up [ID]"


def test_the_filter_is_installed_on_the_console_handler(settings):
    assert "redact" in settings.LOGGING["handlers"]["console"]["filters"]


def test_a_task_id_is_not_taken_for_a_phone():
    """A UUID's digits after a hyphen read like 84… (seen: "4c8a-[PHONE]b16e0" in a worker's
    log); a phone written after a word or a colon is still masked."""
    task = "0e3ea7eb-b4dd-4c8a-8413-8486645b16e0"
    assert redact(f"Task id={task} state=RUNNING") == f"Task id={task} state=RUNNING"
    assert redact("SĐT:0912345678, 0912-345-678 và +84 912 345 678") == \
        "SĐT:[PHONE], [PHONE] và [PHONE]"
