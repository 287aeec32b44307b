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
