"""Reading back the documents the app produces, as a person's software would."""

import subprocess


def pdf_text(content: bytes) -> str:
    """The text of a PDF as a reader reads it: in reading order, with every run of whitespace
    (line and page breaks included) as one space.

    Where a line breaks depends on the fonts installed, so a test asserts on this text and never
    on line breaks: "(remote participant)" is found whether or not it wraps. Extracted by
    poppler's pdftotext (Debian package poppler-utils) in the order the text was drawn
    (``-raw``), which is the document's order; its layout modes lay the wrapped lines of table
    cells side by side and interleave them.
    """
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode("utf-8").split())
