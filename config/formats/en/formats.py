"""English as written in Britain and the rest of Europe, not Django's American `en`.

Day before month (03/10/2017 is 3 October), a 24-hour clock, weeks from Monday, a comma between
thousands. The *_FORMAT strings use Django's date format syntax; the *_INPUT_FORMATS use strftime.
"""

DATE_FORMAT = "j F Y"  # 3 October 2017
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 3 October 2017, 14:30
YEAR_MONTH_FORMAT = "F Y"  # October 2017
MONTH_DAY_FORMAT = "j F"  # 3 October
SHORT_DATE_FORMAT = "d/m/Y"  # 03/10/2017
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 03/10/2017 14:30
FIRST_DAY_OF_WEEK = 1  # Monday

# The project's own named formats (every language module defines the same names).
SHORT_MONTH_DAY_FORMAT = "j M"  # 3 Oct
SHORT_YEAR_MONTH_FORMAT = "M Y"  # Oct 2017 (a chart's axis)
WEEKDAY_FORMAT = "l"  # Tuesday
SHORT_WEEKDAY_FORMAT = "D"  # Tue
WEEKDAY_DAY_FORMAT = "D j"  # Tue 3
WEEKDAY_MONTH_DAY_FORMAT = "l j F"  # Tuesday 3 October
WEEKDAY_DATE_FORMAT = "l j F Y"  # Tuesday 3 October 2017
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"  # Tuesday 3 October 2017, 14:30

# ISO first: a widget renders its initial value in the first format, and <input type="date">
# only understands ISO. Typed dates are read day first, never month first.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2017-10-03
    "%d/%m/%Y",  # 03/10/2017
    "%d/%m/%y",  # 03/10/17
    "%d.%m.%Y",  # 03.10.2017
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # 14:30:59
    "%H:%M:%S.%f",  # 14:30:59.000200
    "%H:%M",  # 14:30
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # 2017-10-03 14:30:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2017-10-03 14:30:59.000200
    "%Y-%m-%d %H:%M",  # 2017-10-03 14:30
    "%d/%m/%Y %H:%M:%S",  # 03/10/2017 14:30:59
    "%d/%m/%Y %H:%M:%S.%f",  # 03/10/2017 14:30:59.000200
    "%d/%m/%Y %H:%M",  # 03/10/2017 14:30
    "%d/%m/%y %H:%M",  # 03/10/17 14:30
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
