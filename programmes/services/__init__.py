"""Writes to programme data, one function per use case (see STYLE.md)."""

from .cities import city_update
from .loading import LoadReport, programme_load, programme_load_file
from .pairs import (
    PairsChange,
    PairSpec,
    pair_create,
    pair_mentor_change,
    pairs_replace,
    pairs_replace_preview,
    scheme_member_add,
)

__all__ = [
    "LoadReport",
    "PairSpec",
    "PairsChange",
    "city_update",
    "pair_create",
    "pair_mentor_change",
    "pairs_replace",
    "pairs_replace_preview",
    "programme_load",
    "programme_load_file",
    "scheme_member_add",
]
