"""Russian as the United Nations writes it: the month in the genitive and "года" in full
(30 ноября 2013 года); Django's own abbreviates it and names the month in the nominative after a
day (30 Ноябрь)."""

from django.conf.locale.ru.formats import *  # noqa: F403

DATE_FORMAT = "j E Y года"
DATETIME_FORMAT = "j E Y года, G:i"
MONTH_DAY_FORMAT = "j E"
