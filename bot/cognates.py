"""English words that are spelt almost like the Norwegian ones ("camera" ~ "kamera", "documentation" ~
"dokumentasjon", "certificate" ~ "sertifikat"): a fresh import has no translation, and the general
vocabulary cannot list every such word, but spelling carries them. Used only for an English question word
that the index and the vocabulary do not know.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

# English spellings → how Norwegian writes the same sounds (order matters: "tion" before "t", "ch" before "c")
_ENGLISH = (("tion", "sjon"), ("sion", "sjon"), ("ph", "f"), ("th", "t"), ("qu", "kv"), ("ch", "k"),
            ("ce", "se"), ("ci", "si"), ("c", "k"), ("x", "ks"), ("w", "v"), ("z", "s"), ("y", "i"))
_DOUBLE = re.compile(r"(.)\1")
SHORTEST = 6  # shorter words share too many beginnings by chance ("taks" is not "tax")
PREFIX = 5  # letters the two spellings must share at least from the start
LONGER = 3  # a Norwegian word much longer than the English is a compound of it: "personvern" is not "person"


def _english_key(word: str) -> str:
    for spelt, said in _ENGLISH:
        word = word.replace(spelt, said)
    return _DOUBLE.sub(r"\1", word)


def _norwegian_key(word: str) -> str:
    word = word.replace("æ", "e").replace("ø", "o").replace("å", "a").replace("y", "i").replace("c", "k")
    return _DOUBLE.sub(r"\1", word.replace("w", "v"))


def _alike(a: str, b: str) -> bool:
    """The same first letters, then at most one letter different (in words of nine letters or more) up to
    the ending, which may differ ("-ate"/"-at", "-ity"/"-itet"): "kompetense" ~ "kompetanse", while "konsent"
    (consent) is not "konsert"."""
    if a[:PREFIX] != b[:PREFIX] or len(b) > len(a) + LONGER:
        return False
    shorter = min(len(a), len(b))
    upto = shorter - 2 if shorter >= 8 else shorter - 1
    different = sum(x != y for x, y in zip(a[:upto], b[:upto], strict=True))
    return different == 0 or (different == 1 and shorter >= 9)


class Cognates:
    """Norwegian words of the guideline by the first letters of their spelling key."""

    def __init__(self, norwegian_words: Iterable[str]) -> None:
        self._by_start: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for word in set(norwegian_words):
            if len(word) >= SHORTEST:
                key = _norwegian_key(word)
                self._by_start[key[:PREFIX]].append((key, word))

    def of(self, english_word: str) -> tuple[str, ...]:
        """The guideline's words spelt like `english_word` ("documentation" → dokumentasjon, dokumentasjonen)."""
        if len(english_word) < SHORTEST:
            return ()
        key = _english_key(english_word)
        return tuple(sorted(word for other, word in self._by_start.get(key[:PREFIX], ()) if _alike(key, other)))
