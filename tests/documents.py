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


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF (pdftotext ends each with a form feed), whitespace
    normalised as in ``pdf_text``."""
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    pages = result.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [" ".join(page.split()) for page in pages]


def pdf_page_sizes(content: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, as poppler's pdfinfo reads them."""
    result = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    sizes = []
    for line in result.stdout.decode("utf-8").splitlines():
        if line.startswith("Page") and " size: " in line:
            width, _, height = line.split(" size: ")[1].split()[:3]
            sizes.append((float(width), float(height)))
    return sizes
