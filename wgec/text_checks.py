"""Checks of user text at the edge: control characters and line breaks.

One function, `control_character_problem`, finds what a text field must not hold and says
so in a sentence naming the field (and, for an import, the row and column), so that the
site's forms, the admin and the imports refuse the same characters with the same words.
`refuse_control_characters` wraps it as a Django validator, and `CheckedTextMixin` puts that
validator on every text field of a form (the site's forms and, through `CheckedModelForm`, every
admin form).

What is refused:
- NUL and every other control character (Unicode category Cc: U+0000-U+001F, U+007F,
  U+0080-U+009F), except tab and the line breaks (LF, CR) where multi-line text is allowed;
- lone surrogates (category Cs), which cannot be stored as UTF-8;
- in single-line text (names, addresses, titles, e-mail headers), any line break: LF, CR,
  and the Unicode line and paragraph separators (U+2028, U+2029), so that a name can never
  split an e-mail header.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.utils import pretty_name

_MULTILINE_ALLOWED = frozenset("\t\n\r")
_LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")

_NAMES = {
    "\x00": "a NUL character",
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
    "\x1b": "an escape character",
    "\x7f": "a delete character",
}


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = _NAMES.get(char)
    if name is None:
        kind = "a surrogate" if unicodedata.category(char) == "Cs" else "a control character"
        return f"{kind} ({code})"
    return f"{name} ({code})"


# The control characters refused everywhere (Unicode category Cc but tab and the line breaks),
# lone surrogates (category Cs), and the Unicode line and paragraph separators.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
# The left-to-right and right-to-left overrides, which make text read other than it is stored
# ("exe.txt" shown as "txt.exe"); embeddings and isolates, which word processors put in Arabic
# and Hebrew text, are not among them.
_OVERRIDES = "\u202d\u202e"
_PATTERNS = {
    (multiline, overrides): re.compile(
        "[" + _CONTROL + ("" if multiline else "\t\n\r") + (_OVERRIDES if overrides else "") + "]"
    )
    for multiline in (False, True)
    for overrides in (False, True)
}


def forbidden_character(
    value: str, *, multiline: bool = False, overrides: bool = False
) -> tuple[int, str] | None:
    """The first forbidden character of `value` and its position (0-based), or None;
    `overrides=True` also refuses the text-direction overrides (imported cells)."""
    found = _PATTERNS[multiline, overrides].search(value)
    return None if found is None else (found.start(), found.group())


def control_character_problem(
    value: str,
    *,
    field: str,
    multiline: bool = False,
    row: int | None = None,
    column: str | None = None,
) -> str | None:
    """A message naming `field` (and `row`/`column` when given) if `value` holds a NUL,
    another control character, or a line break where only one line is allowed; else None.

    `multiline=True` allows tab, LF and CR (a comment, a note, a contribution's text);
    single-line text (a name, an address, a title) allows none of them.
    """
    if not isinstance(value, str):
        return None
    found = forbidden_character(value, multiline=multiline)
    if found is None:
        return None
    position, char = found
    where = f"“{field}”"
    if row is not None and column is not None:
        where = f"Row {row}, column “{column}”" + (f" ({field})" if column != field else "")
    elif row is not None:
        where = f"Row {row}, “{field}”"
    allowed = (
        "only tabs and line breaks are allowed"
        if multiline
        else "this field takes a single line of plain text"
    )
    return f"{where} contains {_describe(char)} at character {position + 1}; remove it ({allowed})."


def refuse_control_characters(*, field: str, multiline: bool = False):
    """A Django validator refusing what `control_character_problem` finds in `field`."""

    def validate(value) -> None:
        message = control_character_problem(value, field=field, multiline=multiline)
        if message:
            raise ValidationError(message, code="control_character")

    return validate


class CheckedTextMixin:
    """A form mixin: every text field (each ``forms.CharField``, e-mail, URL and slug fields
    included, passwords excepted) refuses NUL and control characters with a message naming the
    field; a field shown as a one-line input also refuses line breaks and tabs, a text area
    allows them. Put it first among a form's bases."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput
            ):
                continue
            label = str(field.label or pretty_name(name))
            multiline = isinstance(field.widget, forms.Textarea)
            # Django's own check of NUL says "Null characters are not allowed." without the
            # field: ours says which field, and covers the other control characters.
            field.validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, ProhibitNullCharactersValidator)
            ] + [refuse_control_characters(field=label, multiline=multiline)]


class CheckedModelForm(CheckedTextMixin, forms.ModelForm):
    """The ModelForm every admin page builds on (see ``WgecConfig.ready``)."""


# The largest ID a database holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_id(value: str | None) -> int | None:
    """A record's ID read from a request, or None when it is not one: ASCII digits only ("²"
    and "٣" are digits to ``str.isdigit`` but not IDs), within what a database holds."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
