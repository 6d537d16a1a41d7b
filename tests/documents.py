"""Reading back the documents the app produces, as a person's software would."""

import subprocess


def pdf_text(content: bytes) -> str:
    """The text of a PDF, extracted by poppler's pdftotext (Debian package poppler-utils)."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")
