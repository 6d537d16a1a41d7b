"""Arabic as the United Nations writes it: day, month, year without a comma (30 تشرين الثاني/نوفمبر
2013), the month named by both its Levantine and its Egyptian name (the month names of this
catalogue, ``wgec/formats/months.py``), 24-hour times. Django's own has no date and time format."""

from django.conf.locale.ar.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y، H:i"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"

# Numbers as the UN's Arabic documents write them (1,204.5): Django's own groups no digits and
# would write a comma for the decimal point.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
