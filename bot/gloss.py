"""English words for Norwegian official text, from the general vocabulary: what lets English questions find
a passage that has no translation yet (the semantic index embeds them; `knowledge suggest` proposes them)."""
from __future__ import annotations

from .analysis import EN, NB, content_words, stem
from .knowledge import general_vocabulary

MAX_KEYWORDS = 6


def english_keywords(text: str, known: frozenset[str] | set[str] = frozenset(), limit: int = MAX_KEYWORDS) -> list[str]:
    """English terms of the general vocabulary whose Norwegian terms the text uses, most specific first."""
    stems = {stem(w, NB) for w in content_words(text, NB)}
    found: list[tuple[int, str]] = []
    for entry in general_vocabulary():
        matched = [t for t in entry.nb if all(stem(w, NB) in stems for w in content_words(t, NB)) and content_words(t, NB)]
        if matched:
            english = next((t for t in entry.en if " " not in t and t not in known), entry.en[0])
            found.append((-max(len(t) for t in matched), english))
    ordered = [term for _, term in sorted(found)]
    return list(dict.fromkeys(t for t in ordered if stem(t, EN)))[:limit]
