"""The guideline as data: documents, passages and the glossary, loaded from YAML with a schema check.

A broken file must never reach employees, so every error names the file, the line and the field that is
wrong; the person publishing a new version can fix it without reading Python.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser makes a cold `guidebot ask` several times faster
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

SECTION_SEPARATOR = " › "
DOCUMENT_FIELDS = ("id", "title", "language", "version", "source")
# Wanted for every document, but a fresh import answers without them: `validate` warns while they are empty.
OPTIONAL_DOCUMENT_FIELDS = ("organisation", "effective", "owner")
DOCUMENTS_FOLDER = "documents"  # further guideline documents of a directory, beside guideline.yaml


class KnowledgeError(ValueError):
    """A knowledge file that cannot be served; says where and what to fix."""

    def __init__(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.file, self.line, self.field, self.message = file, line, field, message
        where = file + (f", line {line}" if line else "") + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


def read_knowledge_file(path: Path) -> str:
    """A knowledge file's text. One saved as "ANSI" (Windows-1252) by an editor is refused with where its
    first such letter is, not read with æ, ø and å turned into something else."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise KnowledgeError(str(path), line, None, "is not saved as UTF-8 (perhaps as ANSI or Windows-1252): "
                             "save it again as UTF-8 and try again") from None


ITEM_MARK = "• "  # a list item inside a passage's text: "Vi er på Facebook for å: • informere • svare"


def with_items(head: str, items: list[str]) -> str:
    """A lead-in (or a rule) and its list as one passage text, the items marked where the page had bullets."""
    return " ".join([head, *(ITEM_MARK + item for item in items)] if head else [ITEM_MARK + item for item in items])


def split_items(text: str) -> tuple[str, list[str]]:
    """A passage text as written by `with_items`: its lead-in and its items."""
    head, *items = text.split(" " + ITEM_MARK)
    return head, items


@dataclass(frozen=True)
class Passage:
    """One idea of the guideline, quoted verbatim; `translation` is unofficial."""

    id: str
    section: tuple[str, ...]
    title: str
    text: str
    translation: str = ""
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    document: str = ""  # the id of the document it belongs to

    @property
    def section_path(self) -> str:
        return SECTION_SEPARATOR.join(self.section)


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    language: str
    version: str
    source: str
    organisation: str = ""
    effective: str = ""
    owner: str = ""
    contact: str = "kommunikasjonsteamet"


@dataclass(frozen=True)
class GlossaryEntry:
    en: tuple[str, ...]
    nb: tuple[str, ...]


@dataclass(frozen=True)
class Guideline:
    """Everything one published version serves: immutable, so a switch-over is one reference swap.

    `document` is the directory's main document (guideline.yaml); `documents` holds it and every other
    document of the directory, each passage names its own."""

    document: Document
    passages: tuple[Passage, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    checklist: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    checksum: str = ""
    documents: tuple[Document, ...] = ()

    def __post_init__(self) -> None:
        if not self.documents:  # a guideline of one document, built by hand
            object.__setattr__(self, "documents", (self.document,))

    def passage(self, passage_id: str) -> Passage | None:
        """By id, or as `document-id/passage-id`."""
        document, _, local = passage_id.rpartition("/")
        return next((p for p in self.passages if p.id == local and (not document or p.document == document)), None)

    @property
    def titles(self) -> str:
        """What the bot answers about, for its help text: one title, or each document's with how to ask
        one of them ("sikkerhet: …")."""
        if len(self.documents) == 1:
            return self.documents[0].title
        return "», «".join(f"{d.title} ({d.id}: …)" for d in self.documents)

    def document_of(self, passage: Passage) -> Document:
        return next((d for d in self.documents if d.id == passage.document), self.document)

    def document_by_id(self, document_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == document_id), None)


class _LineLoader(_BaseLoader):
    """Records the line of every mapping and of each of its keys, for error messages."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
        return mapping


MAX_YAML_DEPTH = 50  # nesting of collections: a guideline needs five or six
MAX_YAML_NODES = 200_000  # nodes after aliases are expanded: the bundled guideline has about 5,000


def _bounded_compose(loader: _LineLoader) -> Any:
    """Composes with a depth limit (deep nesting would end in a RecursionError), then refuses a document
    whose aliases expand past MAX_YAML_NODES (a "billion laughs" costs gigabytes once constructed)."""
    depth = 0
    compose = getattr(loader, "compose_node", None)
    if compose is None:  # libyaml composes in C: its recursion limit becomes a RecursionError, caught above
        node = loader.get_single_node()
        if node is not None:
            _expanded_size(node, {}, 0)
        return node

    def bounded(parent: Any, index: Any) -> Any:
        nonlocal depth
        depth += 1
        try:
            if depth > MAX_YAML_DEPTH:
                event = loader.peek_event()
                raise yaml.MarkedYAMLError(None, None, f"nested deeper than {MAX_YAML_DEPTH} levels",
                                           event.start_mark if event else None)  # type: ignore[arg-type]
            return compose(parent, index)
        finally:
            depth -= 1

    setattr(loader, "compose_node", bounded)  # noqa: B010 (an instance hook, not an attribute of the type)
    node = loader.get_single_node()
    if node is not None:
        _expanded_size(node, {}, 0)
    return node


def _expanded_size(node: yaml.Node, seen: dict[int, int], depth: int) -> int:
    """Nodes counted as construction would copy them: an alias counts its whole target again."""
    if id(node) in seen:
        return seen[id(node)]
    if depth > MAX_YAML_DEPTH:  # an alias chain deeper than any nesting written out
        raise yaml.MarkedYAMLError(None, None, f"aliases nested deeper than {MAX_YAML_DEPTH} levels",
                                   node.start_mark)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, seen, depth + 1) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, seen, depth + 1) + _expanded_size(v, seen, depth + 1) for k, v in node.value)
    if size > MAX_YAML_NODES:
        raise yaml.MarkedYAMLError(None, None, f"expands to more than {MAX_YAML_NODES} values (aliases?)",
                                   node.start_mark)
    seen[id(node)] = size
    return size


def parse_yaml(text: str, file: str) -> Any:
    """YAML with line numbers; a syntax error becomes a KnowledgeError at the line the parser stopped.

    Uploaded files come from outside: nesting depth and the size after alias expansion are bounded."""
    loader = _LineLoader(text)
    try:
        node = _bounded_compose(loader)
        return loader.construct_document(node) if node is not None else None
    except RecursionError:
        raise KnowledgeError(file, None, None, "not valid YAML: nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise KnowledgeError(file, line, None, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(file, None, None, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


def _line(mapping: dict[str, Any], key: str | None = None) -> int | None:
    if key is not None and key in mapping.get("__lines__", {}):
        return mapping["__lines__"][key]
    return mapping.get("__line__")


def _string(mapping: dict[str, Any], key: str, file: str, prefix: str, required: bool = True) -> str:
    value = mapping.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise KnowledgeError(file, _line(mapping), prefix + key, "is missing or empty")
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise KnowledgeError(file, _line(mapping, key), prefix + key, "must be text")
    return " ".join(value.split())


def _strings(mapping: dict[str, Any], key: str, file: str, prefix: str) -> tuple[str, ...]:
    value = mapping.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise KnowledgeError(file, _line(mapping, key), prefix + key, "must be a list of texts")
    if any(isinstance(v, bool) for v in value):  # "true" is the Norwegian for "threaten"; YAML 1.1 reads it as True
        raise KnowledgeError(file, _line(mapping, key), prefix + key, "has a word YAML reads as true or false "
                             "(yes, no, true, false, on, off): write it in quotes, as in [\"true\", truet]")
    return tuple(" ".join(str(v).split()) for v in value if str(v).strip())


def _document(raw: Any, file: str) -> Document:
    if not isinstance(raw, dict):
        raise KnowledgeError(file, 1, "document", "is missing: the file needs a 'document:' block")
    values = {name: _string(raw, name, file, "document.") for name in DOCUMENT_FIELDS}
    values.update({name: _string(raw, name, file, "document.", required=False) for name in OPTIONAL_DOCUMENT_FIELDS})
    contact = _string(raw, "contact", file, "document.", required=False) or "kommunikasjonsteamet"
    if values["language"] not in ("nb", "nn", "no", "en"):
        raise KnowledgeError(file, _line(raw, "language"), "document.language", "must be nb, nn or en")
    if "/" in values["id"]:
        raise KnowledgeError(file, _line(raw, "id"), "document.id", "must not contain '/'")
    return Document(**values, contact=contact)


def _passage(raw: Any, index: int, file: str, document: str = "") -> Passage:
    prefix = f"passages[{index}]."
    if not isinstance(raw, dict):
        raise KnowledgeError(file, None, prefix.rstrip("."), "must be a mapping with id, section, title, text")
    section = raw.get("section")
    if isinstance(section, str):
        section = [part.strip() for part in section.split("›")]
    if not section or not isinstance(section, list) or not all(isinstance(s, str) and s.strip() for s in section):
        raise KnowledgeError(file, _line(raw, "section") if section else _line(raw), prefix + "section",
                             "is missing: give the section path as a list of headings")
    return Passage(
        id=_string(raw, "id", file, prefix),
        section=tuple(" ".join(s.split()) for s in section),
        title=_string(raw, "title", file, prefix),
        text=_string(raw, "text", file, prefix),
        translation=_string(raw, "translation", file, prefix, required=False),
        questions=_strings(raw, "questions", file, prefix),
        keywords=_strings(raw, "keywords", file, prefix),
        document=document,
    )


def parse_guideline(text: str, file: str = "guideline.yaml") -> tuple[Document, tuple[Passage, ...]]:
    """Checks the whole schema; a duplicate id is reported at the line of its second use."""
    raw = parse_yaml(text, file)
    if not isinstance(raw, dict):
        raise KnowledgeError(file, 1, None, "must be a mapping with 'document' and 'passages'")
    document = _document(raw.get("document"), file)
    raw_passages = raw.get("passages")
    if not isinstance(raw_passages, list) or not raw_passages:
        raise KnowledgeError(file, _line(raw, "passages"), "passages", "is missing or empty")
    passages: list[Passage] = []
    seen: dict[str, int | None] = {}
    for index, item in enumerate(raw_passages):
        passage = _passage(item, index, file, document.id)
        if "/" in passage.id:
            raise KnowledgeError(file, _line(item, "id"), f"passages[{index}].id", "must not contain '/'")
        if passage.id in seen:
            raise KnowledgeError(file, _line(item, "id"), f"passages[{index}].id",
                                 f"duplicate id '{passage.id}' (first used on line {seen[passage.id]})")
        seen[passage.id] = _line(item, "id")
        passages.append(passage)
    return document, tuple(passages)


def parse_glossary(text: str, file: str = "glossary.yaml") -> tuple[GlossaryEntry, ...]:
    raw = parse_yaml(text, file)
    terms = raw.get("terms") if isinstance(raw, dict) else None
    if not isinstance(terms, list):
        raise KnowledgeError(file, 1, "terms", "is missing: the glossary needs a 'terms:' list")
    entries = []
    for index, item in enumerate(terms):
        if not isinstance(item, dict):
            raise KnowledgeError(file, None, f"terms[{index}]", "must be a mapping with en and nb")
        en = _strings(item, "en", file, f"terms[{index}].")
        nb = _strings(item, "nb", file, f"terms[{index}].")
        if not en or not nb:
            raise KnowledgeError(file, _line(item), f"terms[{index}]", "needs at least one 'en' and one 'nb' term")
        entries.append(GlossaryEntry(en=en, nb=nb))
    return tuple(entries)


def parse_checklist(text: str, file: str = "checklist.yaml") -> dict[str, Any]:
    """The checklist stays a plain dict (see bot.checklist); here only its shape is checked."""
    raw = parse_yaml(text, file)
    items = raw.get("items") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise KnowledgeError(file, 1, "items", "is missing: the checklist needs an 'items:' list")
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("id") or not item.get("kind"):
            raise KnowledgeError(file, _line(item) if isinstance(item, dict) else None, f"items[{index}]",
                                 "needs 'id' and 'kind'")
        if item["kind"] not in ("choice", "text", "textarea", "user", "confirm"):
            raise KnowledgeError(file, _line(item, "kind"), f"items[{index}].kind",
                                 "must be choice, text, textarea, user or confirm")
        if not isinstance(item.get("label"), dict) or not item["label"].get("nb"):
            raise KnowledgeError(file, _line(item), f"items[{index}].label", "needs at least an 'nb' label")
    return _strip_lines(raw)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in ("__line__", "__lines__")}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def next_version(version: str) -> str:
    """The version label after this one ("1.0" → "1.1"), proposed when a document changes."""
    head, _, last = version.rpartition(".")
    return f"{head}.{int(last) + 1}" if last.isdigit() and head else version + ".1"


def checksum(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class KnowledgeFiles:
    """The texts one version consists of; what is stored and published."""

    guideline: str
    glossary: str = "terms: []\n"
    checklist: str = ""
    documents: tuple[tuple[str, str], ...] = ()  # further documents: (name in the directory, YAML text)

    def document_files(self) -> dict[str, tuple[str, str]]:
        """Document id → (file name in the directory, YAML text), for work on one document."""
        out = {}
        for name, text in (("guideline.yaml", self.guideline), *self.documents):
            document, _ = parse_guideline(text, name)
            out[document.id] = (name, text)
        return out

    def with_document_from(self, other: KnowledgeFiles, document_id: str) -> KnowledgeFiles:
        """These files with one document as `other` has it (absent there: removed here)."""
        mine, theirs = self.document_files(), other.document_files()
        if document_id not in mine and document_id not in theirs:
            raise KnowledgeError(document_id, None, None, "no such document in either version")
        if "guideline.yaml" in (mine.get(document_id, ("",))[0], theirs.get(document_id, ("",))[0]):
            if document_id not in theirs:
                raise KnowledgeError(document_id, None, None, "the main document cannot be removed")
            return dataclasses.replace(self, guideline=theirs[document_id][1])
        documents = dict(self.documents)
        if document_id in mine:
            del documents[mine[document_id][0]]
        if document_id in theirs:
            documents.update([theirs[document_id]])
        return dataclasses.replace(self, documents=tuple(sorted(documents.items())))

    def build(self, origin: str = "knowledge") -> Guideline:
        document, passages = parse_guideline(self.guideline, f"{origin}/guideline.yaml")
        documents, all_passages = [document], list(passages)
        owner = {p.id: "guideline.yaml" for p in passages}
        for name, text in self.documents:
            other, more = parse_guideline(text, f"{origin}/{name}")
            if any(d.id == other.id for d in documents):
                raise KnowledgeError(f"{origin}/{name}", None, "document.id",
                                     f"'{other.id}' is already the id of another document: give each its own")
            for passage in more:
                if passage.id in owner:
                    raise KnowledgeError(f"{origin}/{name}", None, f"passage {passage.id}",
                                         f"the id is used in {owner[passage.id]} too: ids must be unique in the directory")
                owner[passage.id] = name
            documents.append(other)
            all_passages.extend(more)
        glossary = parse_glossary(self.glossary, f"{origin}/glossary.yaml") if self.glossary.strip() else ()
        checklist = parse_checklist(self.checklist, f"{origin}/checklist.yaml") if self.checklist.strip() else {}
        guideline = Guideline(document, tuple(all_passages), glossary, checklist,
                              checksum(self.guideline, self.glossary, self.checklist,
                                       *(part for pair in self.documents for part in pair)), tuple(documents))
        for item in checklist.get("items", []):
            if item.get("passage") and guideline.passage(str(item["passage"])) is None:
                raise KnowledgeError(f"{origin}/checklist.yaml", None, f"items.{item['id']}.passage",
                                     f"names passage '{item['passage']}', which the guideline does not have")
        return guideline


def general_vocabulary() -> tuple[GlossaryEntry, ...]:
    """The bundled English ↔ Norwegian vocabulary of working life (bot/data/vocabulary.yaml): used beside
    every organisation's glossary, so a fresh import answers English questions from the first minute."""
    return _vocabulary_in_use if _vocabulary_in_use is not None else _bundled_vocabulary()


@functools.cache
def _bundled_vocabulary() -> tuple[GlossaryEntry, ...]:
    path = Path(__file__).resolve().parent / "data" / "vocabulary.yaml"
    return parse_glossary(path.read_text(encoding="utf-8"), str(path)) if path.exists() else ()


_vocabulary_in_use: tuple[GlossaryEntry, ...] | None = None


@contextlib.contextmanager
def vocabulary_gaps(share: float, seed: int) -> Iterator[None]:
    """Engines built inside see the general vocabulary with `share` of its entries left out (chosen by
    `seed`). A guideline nobody has seen uses words the vocabulary lacks, while the guidelines it was
    written from use few: bench/calibration.py fits the day-one decision under such gaps, so that it does
    not expect every English word to have found its Norwegian one."""
    global _vocabulary_in_use
    rnd = random.Random(seed)
    _vocabulary_in_use = tuple(entry for entry in _bundled_vocabulary() if rnd.random() >= share)
    try:
        yield
    finally:
        _vocabulary_in_use = None


def curated_shares(guideline: Guideline) -> dict[str, float]:
    """Per document, the share of passages with a translation (0 on day one). Alternative questions alone
    do not count: the workbench attaches them one by one, and a document must not lose the general
    vocabulary (its English words) because a few questions were attached to its passages."""
    flags: dict[str, list[bool]] = {}
    for p in guideline.passages:
        flags.setdefault(p.document, []).append(bool(p.translation))
    return {document: sum(found) / len(found) for document, found in flags.items()}


def uncurated(guideline: Guideline) -> bool:
    """Some document's passages mostly have no translation (a fresh import)."""
    return any(share < 0.5 for share in curated_shares(guideline).values())


def query_glossary(guideline: Guideline) -> tuple[GlossaryEntry, ...]:
    """The organisation's glossary, and while any document is uncurated the general vocabulary beside it
    (only for English words the organisation does not define itself, so its own choices are never widened).
    Curated knowledge answers exactly as it did before the vocabulary existed."""
    glossary = guideline.glossary
    if not uncurated(guideline):
        return glossary
    own = {term.lower() for entry in glossary for term in entry.en}
    return glossary + tuple(entry for entry in general_vocabulary() if not own & {t.lower() for t in entry.en})


def default_directory() -> Path:
    """The bundled knowledge: next to the package in a checkout, inside it when installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "knowledge", here / "knowledge"):
        if (candidate / "guideline.yaml").exists():
            return candidate
    raise KnowledgeError(str(here.parent / "knowledge"), None, None, "no guideline.yaml found")


def read_directory(directory: Path | None = None) -> KnowledgeFiles:
    directory = directory or default_directory()
    guideline_file = directory / "guideline.yaml"
    if not guideline_file.exists():
        raise KnowledgeError(str(guideline_file), None, None, "file not found")

    def read(name: str) -> str:
        path = directory / name
        return read_knowledge_file(path) if path.exists() else ""

    documents = tuple((f"{DOCUMENTS_FOLDER}/{path.name}", read_knowledge_file(path))
                      for path in sorted((directory / DOCUMENTS_FOLDER).glob("*.yaml")))
    return KnowledgeFiles(guideline=read("guideline.yaml"), glossary=read("glossary.yaml") or "terms: []\n",
                          checklist=read("checklist.yaml"), documents=documents)


def warnings(guideline: Guideline) -> list[str]:
    """What a person should still add: answers work without it, but answer less well or less clearly."""
    out = []
    for document in guideline.documents:
        missing = [name for name in OPTIONAL_DOCUMENT_FIELDS if not getattr(document, name)]
        if missing:
            out.append(f"{document.id}: document.{', document.'.join(missing)} not filled in")
        passages = [p for p in guideline.passages if p.document == document.id]
        untranslated = sum(1 for p in passages if not p.translation)
        unasked = sum(1 for p in passages if not p.questions)
        if untranslated:
            out.append(f"{document.id}: {untranslated} of {len(passages)} passages have no English translation "
                       "(English questions lean on the general vocabulary)")
        if unasked:
            out.append(f"{document.id}: {unasked} of {len(passages)} passages have no alternative questions "
                       "(`guidebot knowledge suggest` proposes some)")
        placeholders = [p.id for p in passages if "FYLL INN" in (p.text + p.title + p.translation)]
        if placeholders or any("FYLL INN" in str(getattr(document, name)) for name in OPTIONAL_DOCUMENT_FIELDS):
            out.append(f"{document.id}: 'FYLL INN' placeholders left in {', '.join(placeholders) or 'document'}")
    return out


def load_directory(directory: Path | None = None) -> Guideline:
    directory = directory or default_directory()
    return read_directory(directory).build(str(directory))
