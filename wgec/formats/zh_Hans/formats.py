"""Chinese as the United Nations writes it: no leading zero in a month and day (2月24日; Django's
own writes 02月24日)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "n月j日"
