"""A logging filter that masks personal data before anything reaches a log line."""

from __future__ import annotations

import logging
import re

# 12-digit personal ID numbers, 9-digit old ID numbers, phone numbers and e-mail addresses.
_PATTERNS = [
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "[ID]"),
    (re.compile(r"(?<!\d)\d{9}(?!\d)"), "[ID]"),
    (re.compile(r"(?<![\w.-])(?:\+?84|0)(?:[\s.-]?\d){9,10}(?![\w-])"), "[PHONE]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[EMAIL]"),
]


def redact(text: str) -> str:
    for pattern, mask in _PATTERNS:
        text = pattern.sub(mask, text)
    return text


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
