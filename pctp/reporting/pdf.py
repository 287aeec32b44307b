"""A PDF of the .docx for reading in the browser: LibreOffice headless (Debian's
libreoffice-writer), started for each report. Without it the report is whole all the same
(.docx and .xlsx); the page says why there is no PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

TIMEOUT_S = 180


def office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> tuple[bytes | None, str]:
    """(the PDF, "") or (None, why there is none)."""
    binary = office()
    if binary is None:
        return None, _("LibreOffice is not installed on the server: open the .docx instead.")
    with tempfile.TemporaryDirectory(prefix="pctp-report-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx)
        try:
            # Its own profile directory: two conversions at once do not share a lock.
            subprocess.run([binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--convert-to", "pdf", "--outdir", tmp, str(source)],
                           check=True, capture_output=True, timeout=TIMEOUT_S)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            return None, _("LibreOffice could not convert the report: open the .docx instead.")
        out = Path(tmp) / "report.pdf"
        if not out.exists():
            return None, _("LibreOffice could not convert the report: open the .docx instead.")
        return out.read_bytes(), ""
