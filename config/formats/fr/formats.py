"""French: Django's own `fr` formats, plus the project's named formats and ISO-first input.

Everything not defined here (DATE_FORMAT "j F Y", SHORT_DATE_FORMAT "d/m/Y", the non-breaking
space between thousands...) comes from django/conf/locale/fr/formats.py.
"""

# The project's own named formats (every language module defines the same names).
SHORT_MONTH_DAY_FORMAT = "j N"  # 3 oct.
SHORT_YEAR_MONTH_FORMAT = "N Y"  # oct. 2017
WEEKDAY_FORMAT = "l"  # mardi
SHORT_WEEKDAY_FORMAT = "D"  # mar
WEEKDAY_DAY_FORMAT = "D j"  # mar 3
WEEKDAY_MONTH_DAY_FORMAT = "l j F"  # mardi 3 octobre
WEEKDAY_DATE_FORMAT = "l j F Y"  # mardi 3 octobre 2017
WEEKDAY_DATETIME_FORMAT = "l j F Y H:i"  # mardi 3 octobre 2017 14:30

# ISO first: a widget renders its initial value in the first format, and <input type="date">
# only understands ISO (Django's fr list starts with d/m/Y, which left French date fields empty
# when editing). Typed dates in d/m/Y are still read.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2017-10-03
    "%d/%m/%Y",  # 03/10/2017
    "%d/%m/%y",  # 03/10/17
]
