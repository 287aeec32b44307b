"""Checks on uploaded files: size, and a type decided from the content, not the name."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

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
        megabytes = {"mb": limit // (1024 * 1024)}
        raise DomainError("file_too_large", _("The file is larger than %(mb)s MB.") % megabytes,
                          details={"file": [_("At most %(mb)s MB.") % megabytes]})
    head = uploaded.read(64)
    uploaded.seek(0)
    content_type = sniff(head, uploaded.name)
    if content_type is None:
        raise DomainError("file_type", _("This type of file is not accepted."),
                          details={"file": [_("Only JPEG/PNG/WebP images, MP4 videos, PDF, "
                                              ".docx, .xlsx or .txt files are accepted.")]})
    return content_type


def strip_metadata(uploaded, content_type: str):
    """The file to store. Images are re-encoded from their pixels only, so that EXIF (GPS
    position, device, owner) and other metadata go, for staff uploads as for the portal's:
    where a photo was taken is recorded in the record's place fields, on purpose, never by
    accident. An image that cannot be decoded is refused. Other types are kept as sent."""
    import io

    from django.core.files.base import ContentFile

    data = uploaded.read()
    uploaded.seek(0)
    if not content_type.startswith("image/"):
        return ContentFile(data, name=uploaded.name)
    from PIL import Image, ImageOps, UnidentifiedImageError

    fmt = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[content_type]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation the person saw
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        message = _("The image is damaged or cannot be read.")
        raise DomainError("file_corrupt", message, details={"file": [message]}) from None
    if fmt == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
        clean = clean.convert("RGB")
    out = io.BytesIO()
    if fmt == "PNG":
        clean.save(out, format=fmt)
    else:
        clean.save(out, format=fmt, quality=90)
    return ContentFile(out.getvalue(), name=uploaded.name)
