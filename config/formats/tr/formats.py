"""Turkish: Django's own `tr` formats, plus the project's named formats and ISO-first input.

Everything not defined here (DATE_FORMAT, SHORT_DATE_FORMAT, the separators of numbers...) comes
from django/conf/locale/tr/formats.py.
"""

from django.conf.locale.tr import formats as django_formats

from config.formats import iso_first

# The project's own named formats (every language module defines the same names).
SHORT_MONTH_DAY_FORMAT = r"j M"
SHORT_YEAR_MONTH_FORMAT = r"M Y"
WEEKDAY_FORMAT = "l"
SHORT_WEEKDAY_FORMAT = "D"
WEEKDAY_DAY_FORMAT = r"j D"
WEEKDAY_MONTH_DAY_FORMAT = r"j F l"
WEEKDAY_DATE_FORMAT = r"j F Y l"  # 3 Ekim 2017, then the weekday
WEEKDAY_DATETIME_FORMAT = r"j F Y l H:i"

DATE_INPUT_FORMATS = iso_first(django_formats.DATE_INPUT_FORMATS)
