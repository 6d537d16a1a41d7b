"""The month names, kept in this project's catalogues so that Arabic names each month as the
United Nations does, by its Levantine and its Egyptian name (تشرين الثاني/نوفمبر); the other
languages keep Django's own names. The project's catalogues come before Django's, so these
entries are the ones ``|date:"F"`` reads."""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
