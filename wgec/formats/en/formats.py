"""English as the United Nations writes it: British usage, day before month (30 November 2013)."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

# A day in full, as the UN dates its documents (en_GB abbreviates the month).
DATE_FORMAT = "j F Y"
