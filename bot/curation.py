"""Curation: a passage's translation, alternative questions and keywords, changed in a knowledge file.

The comms team changes these from the workbench; the official text is never touched here (that takes a
new version of the document). An edit is made in the file's own text, so the rest of the file (comments,
layout, the official wording) stays exactly as it was and a published version's diff shows only the edit.
Where the file's layout defeats that, the file is written out again from its data, and the result is
checked either way: a file whose passages come out other than intended is never returned.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

import yaml

from .knowledge import KnowledgeError, KnowledgeFiles, Passage, parse_guideline

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

CURATED_FIELDS = ("translation", "questions", "keywords")
Value = str | tuple[str, ...]


class CurationError(ValueError):
    """An edit that cannot be made (unknown passage, a field that is not curated); says what to do."""


@dataclass(frozen=True)
class Edit:
    """New values for some of one passage's curated fields (absent fields stay as they are)."""

    passage_id: str
    fields: tuple[tuple[str, Value], ...]
    base: tuple[tuple[str, Value], ...] = ()  # the same fields as they were live when the edit was made

    @classmethod
    def of(cls, passage_id: str, **fields: Value) -> Edit:
        unknown = set(fields) - set(CURATED_FIELDS)
        if unknown:
            raise CurationError(f"only {', '.join(CURATED_FIELDS)} can be changed here, not {', '.join(sorted(unknown))}: "
                                "the official text changes with a new version of the document")
        clean = {k: (" ".join(v.split()) if isinstance(v, str) else _unique(v)) for k, v in fields.items()}
        return cls(passage_id, tuple(sorted(clean.items())))

    def based_on(self, live: Passage) -> Edit:
        """The edit with the live values it was made against, so that it can be rebased later."""
        return dataclasses.replace(self, base=tuple((name, getattr(live, name)) for name, _ in self.fields))

    def rebased(self, live: Passage) -> Edit:
        """The edit made again on today's live passage: a question attached (or a keyword added) since the
        edit was drafted is kept, not silently dropped by publishing the draft's older list."""
        base, fields = dict(self.base), []
        for name, value in self.fields:
            if isinstance(value, tuple) and isinstance(base.get(name), tuple):
                value = value + tuple(x for x in getattr(live, name) if x not in base[name] and x not in value)
            fields.append((name, value))
        return dataclasses.replace(self, fields=tuple(fields))

    def applied_to(self, passage: Passage) -> Passage:
        return dataclasses.replace(passage, **dict(self.fields))  # type: ignore[arg-type]


def _unique(values: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        text = " ".join(str(value).split())
        if text and text.casefold() not in {s.casefold() for s in seen}:
            seen[text] = None
    return tuple(seen)


def with_question(passage: Passage, question: str) -> Edit:
    """The edit that makes `question` one of the passage's alternative questions."""
    return Edit.of(passage.id, questions=(*passage.questions, question))


def apply(files: KnowledgeFiles, edits: list[Edit]) -> KnowledgeFiles:
    """These files with every edit made in the file that holds its passage."""
    texts = dict((("guideline.yaml", files.guideline), *files.documents))
    for edit in edits:
        name = _file_of(texts, edit.passage_id)
        texts[name] = edit_text(texts[name], name, edit)
    return dataclasses.replace(files, guideline=texts.pop("guideline.yaml"), documents=tuple(sorted(texts.items())))


def _file_of(texts: dict[str, str], passage_id: str) -> str:
    document, _, local = passage_id.rpartition("/")
    for name, text in texts.items():
        owner, passages = parse_guideline(text, name)
        if (not document or owner.id == document) and any(p.id == local for p in passages):
            return name
    raise CurationError(f"no passage '{passage_id}' in the live knowledge: pick one from the list")


def edit_text(text: str, file: str, edit: Edit) -> str:
    """One passage's curated fields changed in a document's YAML text; everything else kept."""
    document, passages = parse_guideline(text, file)
    local = edit.passage_id.rpartition("/")[2]
    wanted = tuple(edit.applied_to(p) if p.id == local else p for p in passages)
    try:
        spliced = _splice(text, local, dict(edit.fields))
        if parse_guideline(spliced, file) == (document, wanted):
            return spliced
    except (yaml.YAMLError, KnowledgeError, LookupError):
        pass
    rewritten = _rewrite(text, local, dict(edit.fields))
    if parse_guideline(rewritten, file) != (document, wanted):  # pragma: no cover - a bug, not bad input
        raise CurationError(f"{file}: the edit of '{local}' could not be written; nothing was changed")
    return rewritten


def _splice(text: str, passage_id: str, fields: dict[str, Value]) -> str:
    """Replaces each field's value where it stands in the text (or adds the field after the passage's
    last one), keeping the surrounding layout; the caller checks the result."""
    for name, value in fields.items():
        mapping = _passage_node(yaml.compose(text, Loader=_Loader), passage_id)
        pairs = {key.value: (key, node) for key, node in mapping.value}
        if name in pairs:
            key, node = pairs[name]
            start, end = node.start_mark.index, node.end_mark.index
            block = isinstance(node, yaml.SequenceNode) and not node.flow_style and bool(node.value)
            if block:  # the sequence's span runs on to the next key: stop after its last item
                end = node.value[-1].end_mark.index
                kept = {str(item.value): text[item.start_mark.index:item.end_mark.index] for item in node.value}
                rendered = _render(value, node.start_mark.column, kept)
            else:
                rendered = _render(value, None)
                if text[start:end].endswith("\n"):  # a block scalar's span takes its line break with it
                    rendered += "\n"
            text = text[:start] + rendered + text[end:]
        else:
            last_key, last = mapping.value[-1]
            at = last.end_mark.index
            line = " " * last_key.start_mark.column + f"{name}: {_render(value, None)}"
            if text[at - 1:at] == "\n":
                text = text[:at] + line + "\n" + text[at:]
            else:
                text = text[:at] + "\n" + line + text[at:]
    return text


def _passage_node(root: Any, passage_id: str) -> yaml.MappingNode:
    passages = next(node for key, node in root.value if key.value == "passages")
    for item in passages.value:
        if any(key.value == "id" and str(node.value) == passage_id for key, node in item.value):
            return item
    raise LookupError(passage_id)


def _render(value: Value, block_column: int | None, kept: dict[str, str] | None = None) -> str:
    """JSON strings and lists are valid YAML: no quoting rule of YAML can bite. Items of a block list
    that stay keep their own spelling (`kept`), so the diff shows only what is new."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if block_column is None or not value:
        return json.dumps(list(value), ensure_ascii=False)
    kept = kept or {}
    indent = "\n" + " " * block_column
    return indent.join(f"- {kept.get(v) or json.dumps(v, ensure_ascii=False)}" for v in value)


def _rewrite(text: str, passage_id: str, fields: dict[str, Value]) -> str:
    raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - the safe loader
    for item in raw["passages"]:
        if str(item.get("id")) == passage_id:
            item.update({k: (list(v) if isinstance(v, tuple) else v) for k, v in fields.items()})
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100_000)
