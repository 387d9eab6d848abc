"""The knowledge is the guideline, verbatim and complete: every body sentence in exactly one passage."""
from __future__ import annotations

import re

from conftest import SOURCE

_MARKER = re.compile(r"^\s*[-•]\s+")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _source_lines() -> list[str]:
    """The body: after the table of contents, without the screenshot description."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Sosiale medier i kommunen" and i > 20)
    body = [_MARKER.sub("", line).strip() for line in lines[start:]]
    return [line for line in body if line and not line.startswith("The screenshot shows")]


def _sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«(\"#@])", line) if s.strip()]


def _heading_keys(guideline) -> set[str]:
    return {s.replace("**", "").rstrip(":.").lower() for p in guideline.passages for s in p.section}


def test_every_passage_text_stands_verbatim_in_the_source(guideline):
    source = _flat(" ".join(_source_lines()))
    not_verbatim = [p.id for p in guideline.passages if _flat(p.text) not in source]
    assert not_verbatim == []


def test_every_sentence_of_the_body_is_in_exactly_one_passage(guideline):
    headings = _heading_keys(guideline)
    texts = [_flat(p.text) for p in guideline.passages]
    problems = []
    for line in _source_lines():
        if line.replace("**", "").rstrip(":.").lower() in headings:
            continue
        for sentence in _sentences(line):
            count = sum(_flat(sentence) in text for text in texts)
            if count != 1:
                problems.append((count, sentence[:70]))
    assert problems == []


def test_every_passage_has_an_english_translation_and_a_section(guideline):
    assert [p.id for p in guideline.passages if not p.translation or not p.section] == []
