"""Suggestions for the comms team's first hour: alternative questions and keywords, proposed per passage,
accepted by a person.

Two sources, both cheap and both checkable by a reader: English keywords for a passage without a
translation (the general vocabulary's English terms for the Norwegian words the passage uses: what
lets an English question find it), and real questions employees asked that the bot declined or asked
back on, offered to the passage it ranked first (what the workbench's inbox will do with a click).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .gloss import english_keywords
from .answers import ANSWER, AnswerEngine
from .knowledge import DOCUMENTS_FOLDER, KnowledgeError, parse_yaml

@dataclass
class Suggestion:
    passage: str
    document: str
    title: str
    questions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


def suggest(engine: AnswerEngine, asked: Sequence[str] = ()) -> list[Suggestion]:
    """Per passage what a person could add; passages with nothing to propose are left out."""
    guideline = engine.guideline
    out = {p.id: Suggestion(p.id, p.document, p.title) for p in guideline.passages}
    for passage in guideline.passages:
        if not passage.translation:
            out[passage.id].keywords = english_keywords(passage.title + " " + passage.text, set(passage.keywords))
    for question in dict.fromkeys(q.strip() for q in asked if q.strip()):
        answer = engine.answer(question)
        if answer.outcome != ANSWER and answer.candidates and answer.reason in ("", "not_covered"):
            target = out[answer.candidates[0].id]
            if question not in guideline.passage(target.passage).questions:  # type: ignore[union-attr]
                target.questions.append(question)
    return [s for s in out.values() if s.questions or s.keywords]


def suggestions_yaml(suggestions: list[Suggestion], source: str) -> str:
    header = (f"# Suggestions for {source}, made by `guidebot knowledge suggest`.\n"
              "# Delete every question or keyword that is wrong, then:\n"
              f"#   guidebot knowledge suggest {source} --accept THIS_FILE\n")
    items = [{"passage": s.passage, "document": s.document, "title": s.title, "questions": s.questions,
              "keywords": s.keywords} for s in suggestions]
    return header + yaml.safe_dump({"suggestions": items}, allow_unicode=True, sort_keys=False, width=10_000)


def accept(directory: Path, suggestions_text: str, origin: str) -> int:
    """Adds the accepted questions and keywords to the documents' files; returns how many were added."""
    raw = parse_yaml(suggestions_text, origin)
    items = raw.get("suggestions") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise KnowledgeError(origin, 1, "suggestions", "is missing: give the file `knowledge suggest` wrote")
    wanted: dict[str, dict[str, list[str]]] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("passage"), str):
            wanted[item["passage"]] = {key: [str(v) for v in item.get(key) or []] for key in ("questions", "keywords")}
    added = 0
    for path in [directory / "guideline.yaml", *sorted((directory / DOCUMENTS_FOLDER).glob("*.yaml"))]:
        if path.exists():
            added += _add_to(path, wanted)
    return added


def _add_to(path: Path, wanted: dict[str, dict[str, list[str]]]) -> int:
    from .importer import _PlainDumper

    text = path.read_text(encoding="utf-8")
    data: Any = yaml.safe_load(text)
    added = 0
    for passage in data.get("passages", []):
        for key, values in wanted.get(passage.get("id"), {}).items():
            current = list(passage.get(key) or [])
            new = [v for v in values if v not in current]
            passage[key] = current + new
            added += len(new)
    if added:
        path.write_text(_leading_comments(text) + yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True,
                                                             sort_keys=False, width=10_000), encoding="utf-8")
    return added


def _leading_comments(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line + "\n")
    return "".join(lines)
