"""PDF documents, drawn by WeasyPrint from an HTML template.

The templates extend ``templates/documents/base_document.html``, which carries the page set-up
and the fonts.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext

PDF_CONTENT_TYPE = "application/pdf"


def pdf_bytes(template: str, context: dict) -> bytes:
    """Render an HTML template (extending documents/base_document.html) to PDF, in the active
    language (the group named in it)."""
    context = {"group_name": gettext(settings.WGEC_GROUP_NAME), **context}
    return pdf_from_html(render_to_string(template, context))


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
