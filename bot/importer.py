"""Plain-text guideline → draft knowledge YAML, so another organisation can start from its own document.

The draft is a starting point for a person: sections come from headings (those listed in the table of
contents, and short unpunctuated lines between paragraphs), passages from paragraphs, bullets and
numbered rules, with the text verbatim. Translations, questions and keywords are left empty to fill in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .analysis import fold

_BULLET = re.compile(r"^[-•*–]\s+")
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+")
_TOC_ENTRY = re.compile(r"^(?P<name>.+?)(?:\t+|\s{2,}|\.{3,}\s*)(?P<page>\d{1,3})\s*$")
_TOC_TITLES = {"innhold", "innholdsfortegnelse", "contents", "table of contents"}
_IMAGE_DESCRIPTION = re.compile(r"^(the (screenshot|image|picture|photo) shows|bildet viser|skjermbildet viser)", re.I)


def _clean_heading(line: str) -> str:
    return " ".join(line.replace("**", "").strip().rstrip(":.").split())


def _key(line: str) -> str:
    return _clean_heading(line).lower()


@dataclass
class _Draft:
    title: str = ""
    toc: set[str] = field(default_factory=set)
    passages: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_heading(block: list[str], toc: set[str]) -> bool:
    if len(block) != 1:
        return False
    line = block[0].strip()
    if _key(line) in toc:
        return True
    if _BULLET.match(line) or _NUMBERED.match(line) or len(line) > 90:
        return False
    return not re.search(r"[.!?»\"”)]$", line.replace("**", "")) and len(line.split()) <= 12


def _items(block: list[str]) -> list[str]:
    """Paragraph lines join into one item; each bullet or numbered rule is its own item (sub-bullets stay in)."""
    items: list[str] = []
    kind = None
    for raw in block:
        line = raw.strip()
        indented = raw[:1].isspace()
        if _BULLET.match(line) and indented and kind == "list":
            items[-1] += " " + _BULLET.sub("", line)
        elif _BULLET.match(line) or _NUMBERED.match(line):
            items.append(_BULLET.sub("", line))
            kind = "list"
        elif kind == "list" or (items and kind == "para"):
            items[-1] += " " + line
        else:
            items.append(line)
            kind = "para"
    return [" ".join(i.split()) for i in items]


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(text.lower().replace("**", "")))[:40].strip("-") or "passasje"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _title(text: str) -> str:
    plain = _NUMBERED.sub("", text.replace("**", ""))
    first = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", plain, maxsplit=1)[0]
    words = first.split() if len(first.split()) >= 3 else plain.split()
    return " ".join(words[:9]).rstrip(".:,;") + ("…" if len(words) > 9 else "")


def _read(text: str) -> _Draft:
    draft = _Draft()
    lines = text.replace("\r\n", "\n").split("\n")
    blocks = _blocks(lines)
    body: list[list[str]] = []
    in_toc = False
    for block in blocks:
        if not draft.title:
            draft.title = " ".join(block[0].split())
            continue
        if len(block) == 1 and block[0].strip().lower() in _TOC_TITLES:
            in_toc = True
            continue
        entries = [_TOC_ENTRY.match(line.strip()) for line in block]
        if in_toc and all(entries):
            draft.toc.update(_key(entry.group("name")) for entry in entries if entry)
            continue
        in_toc = False
        body.append(block)
    _passages(body, draft)
    return draft


def _passages(body: list[list[str]], draft: _Draft) -> None:
    used: set[str] = set()
    top: list[str] = []
    sub: list[str] = []
    previous_heading = False
    for block in body:
        if _is_heading(block, draft.toc):
            name = _clean_heading(block[0])
            if draft.toc and _key(name) not in draft.toc and not name.isupper():
                sub = [name]
            elif previous_heading and top:
                top, sub = [top[0], name], []
            else:
                top, sub = [name], []
            previous_heading = True
            continue
        previous_heading = False
        if _IMAGE_DESCRIPTION.match(block[0].strip()):
            draft.skipped.append(" ".join(block)[:80])
            continue
        section = (top + sub) or ["Innledning"]
        for item in _items(block):
            draft.passages.append({
                "id": _slug(section[-1] + " " + _title(item), used), "section": section, "title": _title(item),
                "text": item, "translation": "", "questions": [], "keywords": []})


class _PlainDumper(yaml.SafeDumper):
    """Block style, and a repeated value written out again: a file people edit by hand has no `&id001`."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def draft_yaml(text: str, source: str) -> str:
    """The draft as YAML text that passes the schema check (translations empty, metadata to review)."""
    draft = _read(text)
    document = {"id": _slug(draft.title, set()), "title": draft.title.title() if draft.title.isupper() else draft.title,
                "organisation": "FYLL INN", "language": "nb", "version": "0.1", "effective": "FYLL INN",
                "owner": "FYLL INN", "source": source, "contact": "kommunikasjonsteamet"}
    header = (f"# Draft made by `guidebot knowledge import` from {source}.\n"
              "# Check every section and passage, fill in the FYLL INN fields, translations, questions and keywords.\n")
    if draft.skipped:
        header += "# Left out as image descriptions:\n" + "".join(f"#   {s}\n" for s in draft.skipped)
    body = yaml.dump({"document": document, "passages": draft.passages}, Dumper=_PlainDumper, allow_unicode=True,
                     sort_keys=False, width=10_000)
    return header + body
