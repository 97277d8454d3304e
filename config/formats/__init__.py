"""Locale format overrides (settings.FORMAT_MODULE_PATH).

Django looks here first, then in its own `django/conf/locale/<lang>/formats.py`, so a module
holds only what differs from Django. Besides Django's named formats, each language defines the
project's own named formats (`WEEKDAY_DAY_FORMAT` ...); `tests/core/test_formats.py` checks that
every language in settings.LANGUAGES defines all of them, because Django would otherwise read an
unknown name as a literal format string.
"""

ISO_DATE = "%Y-%m-%d"


def iso_first(django_input_formats: list[str]) -> list[str]:
    """A locale's typed date formats with ISO first: a widget renders its initial value in the
    first format, and <input type="date"> only understands ISO. The locale's own are still read."""
    return [ISO_DATE, *(f for f in django_input_formats if f != ISO_DATE)]
