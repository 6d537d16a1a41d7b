"""Which way a text runs: right to left for Arabic, Hebrew, Persian, Urdu ... (a document sets
such text right to left: ``w:bidi``/``w:rtl`` in DOCX, ``dir="rtl"`` in HTML and PDF)."""

import unicodedata

# Languages written right to left (ISO 639-1), for a text whose first letters say nothing.
RTL_LANGUAGES = frozenset({"ar", "arc", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})


def text_direction(text: str, language: str = "") -> str:
    """ "rtl" or "ltr": the direction of the text's first strong character (the Unicode
    bidirectional algorithm's rule P2), else of its language."""
    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    base = (language or "").split("-")[0].split("_")[0].lower()
    return "rtl" if base in RTL_LANGUAGES else "ltr"
