"""Chinese as the United Nations writes it: no leading zero in a month and day (2月24日; Django's
own writes 02月24日)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "n月j日"

# Numbers grouped by three with a comma (1,204), as the UN's Chinese documents write them;
# Django's own groups by four without a separator (1204).
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
