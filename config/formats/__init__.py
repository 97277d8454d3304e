"""Locale format overrides (settings.FORMAT_MODULE_PATH).

Django looks here first, then in its own `django/conf/locale/<lang>/formats.py`, so a module
holds only what differs from Django. Besides Django's named formats, each language defines the
project's own named formats (`WEEKDAY_DAY_FORMAT` ...); `tests/core/test_formats.py` checks that
every language in settings.LANGUAGES defines all of them, because Django would otherwise read an
unknown name as a literal format string.
"""
