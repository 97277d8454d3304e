"""Writes to programme data, one function per use case (see STYLE.md)."""

from .cities import city_update
from .loading import LoadReport, programme_load, programme_load_file
from .pairs import pair_create, scheme_member_add

__all__ = [
    "LoadReport",
    "city_update",
    "pair_create",
    "programme_load",
    "programme_load_file",
    "scheme_member_add",
]
