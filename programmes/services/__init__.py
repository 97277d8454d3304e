"""Writes to programme data, one function per use case (see STYLE.md)."""

from .cities import city_update
from .loading import LoadReport, programme_load, programme_load_file
from .pairs import PairSpec, pair_create, pair_mentor_change, pairs_replace, scheme_member_add

__all__ = [
    "LoadReport",
    "PairSpec",
    "city_update",
    "pair_create",
    "pair_mentor_change",
    "pairs_replace",
    "programme_load",
    "programme_load_file",
    "scheme_member_add",
]
