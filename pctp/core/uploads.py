"""Checks on uploaded files: size, and a type decided from the content, not the name."""

from __future__ import annotations

from django.conf import settings

from pctp.core.errors import DomainError

# (content type, extension, leading bytes)
SIGNATURES = [
    ("image/jpeg", "jpg", [b"\xff\xd8\xff"]),
    ("image/png", "png", [b"\x89PNG\r\n\x1a\n"]),
    ("image/webp", "webp", [b"RIFF"]),
    ("application/pdf", "pdf", [b"%PDF-"]),
    ("application/zip", "docx", [b"PK\x03\x04"]),  # .docx, .xlsx are zip containers
    ("video/mp4", "mp4", []),
    ("text/plain", "txt", []),
]


def sniff(head: bytes, name: str) -> str | None:
    """The content type the file's own bytes show, or None when not an accepted type."""
    for content_type, _ext, magics in SIGNATURES:
        if any(head.startswith(m) for m in magics):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            if content_type == "application/zip":
                lower = name.lower()
                if lower.endswith(".docx"):
                    return ("application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document")
                if lower.endswith(".xlsx"):
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                return None
            return content_type
    if head[4:8] == b"ftyp":
        return "video/mp4"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if name.lower().endswith(".txt") else None


def check_upload(uploaded) -> str:
    """Validate an UploadedFile; return its content type or raise DomainError."""
    limit = settings.PCTP_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise DomainError("file_too_large", f"Tệp vượt quá {limit // (1024 * 1024)} MB.",
                          details={"file": [f"Tối đa {limit // (1024 * 1024)} MB."]})
    head = uploaded.read(64)
    uploaded.seek(0)
    content_type = sniff(head, uploaded.name)
    if content_type is None:
        raise DomainError("file_type", "Loại tệp không được chấp nhận.",
                          details={"file": ["Chỉ nhận ảnh JPEG/PNG/WebP, video MP4, PDF, "
                                            ".docx, .xlsx hoặc .txt."]})
    return content_type
