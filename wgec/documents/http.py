"""Files downloaded from the site: the content type follows the name, and the name is safe."""

import re

from django.http import HttpResponse

from wgec.documents.docx import DOCX_CONTENT_TYPE
from wgec.documents.pdf import PDF_CONTENT_TYPE
from wgec.documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

CONTENT_TYPES = {
    ".docx": DOCX_CONTENT_TYPE,
    ".pdf": PDF_CONTENT_TYPE,
    ".xlsx": XLSX_CONTENT_TYPE,
    ".csv": CSV_CONTENT_TYPE,
}


def download(content: bytes, filename: str) -> HttpResponse:
    """An attachment response; the content type follows the file name's extension."""
    suffix = filename[filename.rfind(".") :].lower()
    response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or f"download{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
