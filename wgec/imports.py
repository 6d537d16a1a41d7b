"""What the admin's import pages (responses, map workbook) say about an uploaded file and a
worker's progress, in the reader's language: one wording for both imports, and the same words
the page's status poll writes in place of the first rendering."""

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext


def import_size_refusal(name: str, size: int) -> str:
    """Why a file larger than ``IMPORT_MAX_MB`` is refused before it is stored."""
    return gettext(
        "%(file)s is %(size)s MB; at most %(limit)s MB may be imported (IMPORT_MAX_MB)."
    ) % {
        "file": name,
        "size": number_format(size / 2**20, decimal_pos=1, force_grouping=True),
        "limit": settings.IMPORT_MAX_MB,
    }


def import_progress_text(done: int, total: int) -> str:
    """How far a worker has read: "120 of 300 rows", or "120 rows read" when the total is not
    known yet; empty before the first row."""
    if total:
        return gettext("%(done)s of %(total)s rows") % {
            "done": number_format(done, force_grouping=True),
            "total": number_format(total, force_grouping=True),
        }
    if done:
        return ngettext("%(counter)s row read", "%(counter)s rows read", done) % {
            "counter": number_format(done, force_grouping=True)
        }
    return ""
