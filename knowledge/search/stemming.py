"""Stemming in the language a practice is written in, so that a search term finds its inflected
forms ("kielikurssit" finds "kielikursseilla").

PostgreSQL stems with its own text-search configurations (`knowledge_search_config`, see
index.py); the embedded SQLite index has only an English stemmer, so the practice's stems are
computed here with the Snowball stemmers (the same algorithms as PostgreSQL's) and indexed in
their own column. A language neither knows (Polish, Latvian...) falls back to its words as
written, diacritics folded: an exact word still matches.
"""

import re
import threading
from collections.abc import Iterable
from typing import Any

import snowballstemmer

# ISO 639-1 code -> Snowball algorithm (snowballstemmer) and PostgreSQL 15 configuration.
SNOWBALL = {
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "sv": "swedish",
    "tr": "turkish",
}
POSTGRESQL_CONFIGS = {code: name for code, name in SNOWBALL.items() if code != "et"}
FALLBACK_CONFIG = "simple"
_WORD = re.compile(r"[^\W_]+")


_per_thread = threading.local()


def _stemmer(language: str) -> Any:
    """One stemmer per language and thread: a Snowball stemmer keeps state while it works."""
    algorithm = SNOWBALL.get(language)
    if algorithm is None:
        return None
    made = _per_thread.__dict__.setdefault("stemmers", {})
    if algorithm not in made:
        made[algorithm] = snowballstemmer.stemmer(algorithm)
    return made[algorithm]


def stems(text: str, language: str) -> str:
    """The text's words stemmed in its language, space-separated ("" with no stemmer)."""
    stemmer = _stemmer(language)
    if stemmer is None:
        return ""
    return " ".join(stemmer.stemWords(_WORD.findall(text.lower())))


def word_stems(word: str, languages: Iterable[str]) -> list[str]:
    """A query word's stem in each of these languages that has a stemmer (no repeats)."""
    found = []
    for language in sorted(set(languages)):
        stemmer = _stemmer(language)
        if stemmer is not None:
            found.append(stemmer.stemWord(word.lower()))
    return list(dict.fromkeys(s for s in found if s))


def postgresql_configs(languages: Iterable[str]) -> list[str]:
    """The text-search configurations that index practices in these languages."""
    return sorted({POSTGRESQL_CONFIGS.get(code, FALLBACK_CONFIG) for code in languages})
