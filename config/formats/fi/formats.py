"""Finnish: Django's own `fi` formats, plus the project's named formats and ISO-first input.

Everything not defined here (DATE_FORMAT, SHORT_DATE_FORMAT, the separators of numbers...) comes
from django/conf/locale/fi/formats.py.
"""

from django.conf.locale.fi import formats as django_formats

from config.formats import iso_first

# The project's own named formats (every language module defines the same names).
SHORT_MONTH_DAY_FORMAT = r"j.n."
SHORT_YEAR_MONTH_FORMAT = r"M Y"
WEEKDAY_FORMAT = "l"
SHORT_WEEKDAY_FORMAT = "D"
WEEKDAY_DAY_FORMAT = r"D j."
WEEKDAY_MONTH_DAY_FORMAT = r"l j. E"
WEEKDAY_DATE_FORMAT = r"l j. E Y"  # tiistai 3. lokakuuta 2017
WEEKDAY_DATETIME_FORMAT = r"l j. E Y \k\l\o G.i"

DATE_INPUT_FORMATS = iso_first(django_formats.DATE_INPUT_FORMATS)
