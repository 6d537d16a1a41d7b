"""English as the United Nations writes it: British usage, day before month, the month in full
(30 November 2013), 24-hour times."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

# A day in full, as the UN dates its documents (en_GB abbreviates the month).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
