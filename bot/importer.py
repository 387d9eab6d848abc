"""A guideline as published (text, Markdown, web page, Word, PDF) → a knowledge document that answers as is.

Passages are cut the way people read the document: a heading's text goes into the section path and
never into a quote; each paragraph, rule and bullet is a passage; a line that introduces a list
("Når du går fra pulten, skal du:") stays with its list; a pointer ("Les også …") stays with the passage
before it. Ids are short slugs of the title and survive a re-import of a revised document (the passages
of the previous import are matched by their words), so feedback, examples and the comms team's
translations and questions stay attached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .analysis import EN_STOPWORDS, NB_STOPWORDS, detect_language, fold, words
from .formats import DOCUMENT_LINK, HEADING, ITEM, TEXT, Block, FormatError, read_file, strip_number
from .knowledge import ITEM_MARK, Passage, split_items, with_items
from .nynorsk import MARKERS as NYNORSK_MARKERS, nynorsk_form

_POINTER = re.compile(r"^(les også|se også|les mer|mer informasjon|sjå også|les meir|see also|read more)\b", re.I)
# the text of a link on a web page ("Klikk for skjema for varsling …", "Last ned logo"): a pointer when it is short
# and asks nothing of the reader ("Last ned skjemaet og send det til leder innen fredag" is a rule)
_LINK = re.compile(r"^(klikk|trykk her|last ned|lenke til|link til|gå til|her finner du|her finn du|click|download)\b", re.I)
# a link's text that ends where the link was ("Skjema for avviksmelding finner du her")
_LINK_END = re.compile(r"\b(?:finner du (?:den |det |dem )?her|finn du (?:den |det |dei )?her|finnes her|ligger her|klikk her|"
                       r"trykk her|les (?:mer|meir) her|lastes ned her|can be found here|click here)\s*[.!]?$", re.I)
_LINK_CHARS = 90
_ASKS_SOMETHING = re.compile(r"\b(skal|må|bør|should|must|innen|before)\b", re.I)
# a title that asks ("Hvordan varsler du"): the text under it, before the first heading, is its answer, not an introduction
_ASKING = re.compile(r"^(?:hva|kva|hvordan|korleis|hvorfor|kvifor|hvem|kven|når|kor|hvor|kvar|hvilke[nt]?|what|how|why|"
                     r"who|when|where|which)\b|\?$", re.I)
_IMAGE_DESCRIPTION = re.compile(r"^(the (screenshot|image|picture|photo) shows|bildet viser|skjermbildet viser)", re.I)
# a picture's caption, which ends in its credit ("Mange ønsker mer hjemmekontor … Foto: Shutterstock")
_PHOTO_CREDIT = re.compile(r"\b(?:foto|photo|bilde|illustrasjon|illustrasjonsfoto|illustration)\s*:\s*[\w .,/&'-]{2,60}$", re.I)
_SHORT_ITEMS = 160  # a list whose items are all this short is quoted whole, with the line that leads into it
_LONG_LIST = (4, 300)  # items, characters: unless it is this long (measured on the tuning half: right 0.81 -> 0.85)
_GENERIC_TITLE_WORDS = frozenset("""retningslinjer retningslinje retningsliner retningsline veileder rettleiar
rutine rutinar rutiner for i og om til av kommune kommunes fylkeskommune ansatte tilsette""".split())
_BOKMAAL_MARKERS = frozenset("""jeg ikke hva hvordan hvorfor hvem hvor noe noen mye bare fra være vært selv også
hun de deres hjemme hjem gjelder ansatte tjeneste tjenesten nærmeste leder skriftlig avtale uke""".split())


@dataclass
class Draft:
    """What one import made: the document's metadata and passages, and what a person should check."""

    document: dict[str, Any]
    passages: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


@dataclass
class _Piece:
    section: tuple[str, ...]
    text: str
    lead_in: str = ""


def import_file(path: Path, previous: tuple[Passage, ...] = (), taken: frozenset[str] = frozenset()) -> Draft:
    """`previous`: the passages of an earlier import of the same document (their ids are kept);
    `taken`: passage ids other documents of the directory already use."""
    return draft_from_blocks(read_file(path), path.name, previous, taken)


def draft_from_blocks(blocks: list[Block], source: str, previous: tuple[Passage, ...] = (),
                      taken: frozenset[str] = frozenset()) -> Draft:
    title, body = _title_of(blocks, source)
    byline, body = _byline_of(body)
    pieces, notes = _pieces(body, title)
    passages = _passages(pieces, previous, set(taken))
    text = " ".join(p.text for p in pieces)
    document = {"id": _document_id(title), "title": title,
                "organisation": _organisation(f"{title} {byline} {text}"),
                "language": document_language(text), "version": "1.0", "effective": "", "owner": "",
                "source": source}
    return Draft(document, passages, notes)


def _title_of(blocks: list[Block], source: str) -> tuple[str, list[Block]]:
    """The first heading (or a short first line) is the document's title, in the case it was written. A saved page's
    breadcrumb trail ("Min side Hjem… Film, bilder og sosiale medierRetningslinjer for sosiale medier") ends in the
    title printed under it: the trail is left out."""
    trail = len(blocks) >= 2 and len(blocks[1].text) >= 8 and blocks[0].text != blocks[1].text \
        and blocks[0].text.endswith(blocks[1].text) and blocks[1].kind != ITEM
    if trail:
        blocks = blocks[1:]
    if trail and blocks[0].kind == HEADING:  # the page's own title, numbered in its site ("01. Oppfølging av avvik")
        return _tidy_title(strip_number(blocks[0].text)), blocks[1:]
    if blocks and blocks[0].kind == HEADING and strip_number(blocks[0].text) == blocks[0].text:
        return _tidy_title(blocks[0].text), blocks[1:]
    if blocks and blocks[0].kind == TEXT and len(blocks[0].text) <= 100 and not blocks[0].text.endswith("."):
        return _tidy_title(blocks[0].text), blocks[1:]
    return Path(source).stem.replace("-", " ").replace("_", " ").capitalize(), blocks


def _byline_of(body: list[Block]) -> tuple[str, list[Block]]:
    """A short line under the title naming the organisation ("Strandvik kommune, HR-avdelingen") says who
    wrote the document, not a rule: it is metadata, and as a passage it would be quoted for "who …?"."""
    if body and body[0].kind == TEXT and len(body[0].text) <= 80 and not re.search(r"[.!?:]$", body[0].text) \
            and _organisation(body[0].text) and not re.search(r"\b(gjelder|gjeld|omfatter|applies)\b", body[0].text, re.I):
        return body[0].text, body[1:]
    return "", body


def _tidy_title(text: str) -> str:
    if text.isupper():  # "VEILEDER FOR BRUK AV SOSIALE MEDIER I LØRENSKOG KOMMUNE": only the first letter
        text = text.capitalize()
        text = re.sub(r"\b(\w+)( (?:fylkes)?kommune)\b", lambda m: m.group(1).capitalize() + m.group(2), text)
    return text


def _is_pointer(text: str) -> bool:
    """A line that only sends the reader elsewhere: it belongs to the passage before it, never stands alone."""
    if _POINTER.match(text):
        return True
    return bool(_LINK.match(text) or _LINK_END.search(text)) and len(text) <= _LINK_CHARS \
        and not _ASKS_SOMETHING.search(text)


def _pieces(blocks: list[Block], title: str) -> tuple[list[_Piece], list[str]]:
    """The blocks as passages-to-be, each with the path of headings above it."""
    blocks = list(blocks)  # a colon line is joined to the paragraph under it here, not in the caller's list
    has_headings = any(b.kind == HEADING for b in blocks)
    stack: list[tuple[int, str]] = []
    pieces: list[_Piece] = []
    notes: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        section = tuple(name for _level, name in stack) or (("Innledning",) if has_headings and not _ASKING.search(title)
                                                             else (title,))
        if block.kind == HEADING:
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, _heading_name(block.text)))
            index += 1
            continue
        if _IMAGE_DESCRIPTION.match(block.text) or (block.kind == TEXT and _PHOTO_CREDIT.search(block.text)):
            notes.append(f"left out as an image description: {block.text[:80]}")
            index += 1
            continue
        if block.kind == TEXT and _is_pointer(block.text) and pieces and pieces[-1].section == section \
                and not _leads_in(block, blocks, index):  # "Les mer:" over a list of links introduces the list
            pieces[-1].text += " " + block.text
            index += 1
            continue
        if _introduces_paragraph(block, blocks, index):  # "Kommunens interne varslingsinstans:" / "HR-sjef …"
            blocks[index + 1] = Block(TEXT, f"{block.text} {blocks[index + 1].text}")
            index += 1
            continue
        items, after = _list_at(blocks, index + 1 if _leads_in(block, blocks, index) else index)
        if block.kind == TEXT and _leads_in(block, blocks, index):
            if all(len(text) <= _SHORT_ITEMS for text in items) and not _long_list(items):
                pieces.append(_Piece(section, with_items(block.text, items)))
            else:
                rule, lead_in = _last_sentence_apart(block.text)
                if rule:  # "Materialet skal kun brukes til … . Dersom du bruker det, må du følge disse:"
                    pieces.append(_Piece(section, rule))
                for text in items:
                    pieces.extend(_item_pieces(section + (lead_in.rstrip(":"),), text, lead_in))
            index = after
            continue
        if block.kind == ITEM:
            if _fragments(items):  # "• Dialog med innbyggerne • Omdømmebygging": parts of one statement
                pieces.append(_Piece(section, with_items("", items)))
            else:
                for text in items:
                    pieces.extend(_item_pieces(section, text))
            index = after
            continue
        pieces.extend(_Piece(section, part) for part in split_long(block.text))
        index += 1
    return pieces, notes


LONG_PASSAGE = 900  # characters: a longer paragraph is quoted in parts of whole sentences
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«\"(])")
# abbreviations a capital often follows inside a sentence ("St. Olavs hospital", "f.eks. Facebook"); not "osv."
# or "etc.", which mostly end one
_ABBREVIATIONS = frozenset("st. sct. f.eks. bl.a. ca. kl. nr. jf. jfr. pkt. evt. dvs. iht. ifm. mht. tlf. ref. "
                           "e.l. o.l. m.m. t.o.m. f.o.m. ang. vedr. mr. dr. e.g. i.e.".split())


_CLOSING_ABBREVIATIONS = _ABBREVIATIONS | {"osv.", "etc."}  # inside a list item, these end no sentence either


def sentences(text: str, pattern: re.Pattern[str] = _SENTENCE_END) -> list[str]:
    """The text's sentences, not cut after an abbreviation."""
    out: list[str] = []
    for piece in pattern.split(text):
        if out and out[-1].split()[-1].lower() in _ABBREVIATIONS:
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def split_long(text: str, size: int = LONG_PASSAGE) -> list[str]:
    """A very long paragraph as parts of whole sentences, each under `size` where a sentence allows: a
    quote answers one thing, and fits in a chat message."""
    if len(text) <= size:
        return [text]
    parts: list[str] = []
    for sentence in sentences(text):
        if parts and len(parts[-1]) + 1 + len(sentence) <= size * 0.6:
            parts[-1] += " " + sentence
        else:
            parts.append(sentence)
    return parts


def _heading_name(text: str) -> str:
    """A heading as a section name; one set in capitals ("SYKT BARN") reads as a heading does ("Sykt barn")."""
    name = " ".join(text.rstrip(":").split())
    return _tidy_title(name) if sum(c.isalpha() for c in name) > 5 else name  # not "HMS", "GDPR"


def _long_list(items: list[str]) -> bool:
    """Four or more cases of 300 characters together ("Du kan få permisjon i disse tilfellene: • bryllup …
    • begravelse … • flytting …") are quoted a case at a time, the lead-in line as their context: the
    employee asking about a funeral gets the funeral rule, and it is not diluted by the other four."""
    return len(items) >= _LONG_LIST[0] and sum(map(len, items)) > _LONG_LIST[1]


_LONG_SUB_ITEMS = 200  # characters of whole-sentence sub-items under a rule that ends in a colon


def _item_pieces(section: tuple[str, ...], text: str, lead_in: str = "") -> list[_Piece]:
    """A list item with its sub-items. A rule ending in a colon over sub-items that are whole sentences of
    some length ("Fotograf skal alltid krediteres med navn: • Kreditering skal … . • Der fotograf ikke er
    oppgitt, …") is quoted a rule at a time, the rule itself first and as the others' context; otherwise
    the item and its sub-items are one passage."""
    head, subs = split_items(text)
    if not (head.endswith(":") and subs and all(re.search(r"[.!?]$", sub) for sub in subs)
            and sum(map(len, subs)) > _LONG_SUB_ITEMS):
        return [_Piece(section, text, lead_in)]
    return [_Piece(section, head, lead_in), *(_Piece(section + (head.rstrip(":"),), sub, head) for sub in subs)]


def _last_sentence_apart(text: str) -> tuple[str, str]:
    """A paragraph leading into a long list: its sentences before the last one are a rule of their own, to be
    quoted; only the last one ("… må du følge disse retningslinjene:") is the list's context."""
    parts = sentences(text)
    return " ".join(parts[:-1]), parts[-1]


def _fragments(items: list[str]) -> bool:
    """A short list without a line leading into it whose items are no sentences (no closing punctuation,
    or each continuing the heading's sentence in lower case: "• at kontoar blir avslutta …"): the purposes,
    channels or duties a heading names, quoted whole as one passage (a lone "Omdømmebygging" answers
    nothing)."""
    if len(items) < 2 or _long_list(items) or any(len(text) > _SHORT_ITEMS for text in items):
        return False
    return all(not re.search(r"[.!?]$", text) or _abbreviation_end(text) for text in items) \
        or all(text[:1].islower() for text in items)


def _abbreviation_end(text: str) -> bool:
    """"Opparbeidelse av bonuser m.m.": the full stop closes an abbreviation, not a sentence."""
    return text.split()[-1].lower() in _CLOSING_ABBREVIATIONS


def _introduces_paragraph(block: Block, blocks: list[Block], index: int) -> bool:
    """A line ending in a colon over a paragraph, not a list: it says what the paragraph is ("Kommunens
    interne varslingsinstans:" over a name and an address), and alone it would answer nothing."""
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    return block.kind == TEXT and block.text.endswith(":") and nxt is not None and nxt.kind == TEXT \
        and len(block.text) + len(nxt.text) <= LONG_PASSAGE


def _leads_in(block: Block, blocks: list[Block], index: int) -> bool:
    """A line over a list introduces it: it ends in a colon, or is short and unfinished. Links to files
    ("Avtale om heimekontor.pdf") are introduced only by a colon or a pointer ("Les mer"): the routine's last
    sentence above them ("Rutina er vedteke av Administrasjonsutvalet") is no heading of theirs."""
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    if block.kind != TEXT or nxt is None or nxt.kind != ITEM:
        return False
    if block.text.endswith(":"):
        return True
    if DOCUMENT_LINK.search(nxt.text) and not _is_pointer(block.text):
        return False
    return len(block.text) < 120 and not re.search(r"[.!?]$", block.text)


def _list_at(blocks: list[Block], start: int) -> tuple[list[str], int]:
    """The list starting at `start`: each top item with its sub-items after it ("item • sub • sub")."""
    items: list[str] = []
    index = start
    top = blocks[start].level if start < len(blocks) and blocks[start].kind == ITEM else 0
    # a flat list's item ending in a colon ("I dialog med innbyggerne skal vi:") leads into the fragments after
    # it ("• Svare på spørsmål • Rette opp faktafeil"), up to the next sentence or colon
    lead_in = False
    while index < len(blocks) and blocks[index].kind == ITEM:
        block = blocks[index]
        fragment = not re.search(r"[.!?:]$", block.text)
        if items and (block.level > top or lead_in and fragment):
            items[-1] = with_items(items[-1], [block.text])
        else:
            items.append(block.text)
            lead_in = block.text.endswith(":") and index + 1 < len(blocks) and blocks[index + 1].kind == ITEM
        index += 1
    return items, index


def _passages(pieces: list[_Piece], previous: tuple[Passage, ...], taken: set[str]) -> list[dict[str, Any]]:
    per_section: dict[tuple[str, ...], int] = {}
    for piece in pieces:
        per_section[piece.section] = per_section.get(piece.section, 0) + 1
    matched = _match_previous(pieces, previous)
    used = set(taken) | {p.id for p in matched.values()}
    out = []
    for index, piece in enumerate(pieces):
        alone = per_section[piece.section] == 1 and len(piece.section) > 0
        named = strip_number(piece.section[-1]) if alone and piece.section[-1] not in ("Innledning",) else ""
        # a heading that is only a number ("§ 2") or a verdict ("Ja", "Nei") names nothing
        title = named if _content(named) and fold(named.lower()) not in _VERDICTS else rule_title(piece.text)
        old = matched.get(index)
        passage: dict[str, Any] = {"id": old.id if old else _slug(title, used), "section": list(piece.section),
                                   "title": title, "text": piece.text, "translation": "", "questions": [],
                                   "keywords": []}
        if old:
            passage.update(questions=list(old.questions), keywords=list(old.keywords),
                           translation=old.translation if old.text == piece.text else "")
        out.append(passage)
    return out


_VERDICTS = frozenset("ja nei yes no kanskje maybe ok tillatt forbudt allowed forbidden".split())
_ATTENTION_WORDS = {"merk", "nb", "obs", "husk", "viktig", "tips", "eksempel", "for eksempel", "note", "important"}


_CLAUSE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ•])")


def rule_title(text: str) -> str:
    """A rule's first clause, up to nine words: what a person scanning a list of passages reads."""
    plain = re.sub(r"^\d{1,2}[.)]\s+", "", split_items(text.removeprefix(ITEM_MARK))[0])
    plain = re.sub(r"^(?:ja|nei|yes|no)[.,!]\s+(?=\S)", "", plain, flags=re.I) or plain  # "Nei. Ordningen er frivillig"
    first = sentences(plain, _CLAUSE_END)[0]
    label = re.match(r"^([^:]{3,60}):\s", first)  # "Begravelse i nær familie: inntil 3 dager …": the case it names
    if label and len(label.group(1).split()) <= 6 and fold(label.group(1).lower()) not in _ATTENTION_WORDS:
        return label.group(1)
    parts = first.split()
    return " ".join(parts[:9]).rstrip(".:,;") + ("…" if len(parts) > 9 else "")


def _content(text: str) -> list[str]:
    return [w for w in words(text) if w not in NB_STOPWORDS and w not in EN_STOPWORDS and len(w) > 1]


def _slug(title: str, used: set[str], size: int = 3) -> str:
    """Three content words of the title ("passord-minst-14"): short, readable, and the same next import."""
    parts = _without_joined([fold(w) for w in _content(title)]) or ["passasje"]
    for n in range(min(size, len(parts)), len(parts) + 1):
        slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts[:n]))[:40].strip("-")
        if slug not in used:
            used.add(slug)
            return slug
    base = re.sub(r"[^a-z0-9]+", "-", "-".join(parts[:size]))[:40].strip("-")
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    used.add(f"{base}-{n}")
    return f"{base}-{n}"


def _without_joined(parts: list[str]) -> list[str]:
    """"HR-avdelingen" is read as "hr", "avdelingen" and "hravdelingen": an id names it once ("hr-avdelingen")."""
    out: list[str] = []
    for part in parts:
        if not any("".join(out[i:]) == part for i in range(max(0, len(out) - 3), len(out) - 1)):
            out.append(part)
    return out


def _match_previous(pieces: list[_Piece], previous: tuple[Passage, ...]) -> dict[int, Passage]:
    """Each new passage takes the id of the previous import's passage with most words in common (at least
    half of them), each old id once: a reworded rule keeps its id, a new rule gets a new one."""
    if not previous:
        return {}
    old_words = [set(_content(p.text)) for p in previous]
    pairs = []
    for i, piece in enumerate(pieces):
        new = set(_content(piece.text))
        for j, old in enumerate(old_words):
            union = new | old
            score = len(new & old) / len(union) if union else 0.0
            if score >= 0.5:
                pairs.append((score, i, j))
    matched: dict[int, Passage] = {}
    taken: set[int] = set()
    for _score, i, j in sorted(pairs, reverse=True):
        if i not in matched and j not in taken:
            matched[i] = previous[j]
            taken.add(j)
    return matched


def document_language(text: str) -> str:
    """nb, nn or en, from the words that only one of them uses. A rule in Nynorsk seldom has the markers of
    a Nynorsk question ("eg", "kva"): its words in Nynorsk form ("tilsette", "arbeidsgjevar", "særleg",
    "stillingar") count as well."""
    tokens = words(text)
    nynorsk = sum(1 for w in tokens if w in NYNORSK_MARKERS or nynorsk_form(w))
    bokmaal = sum(1 for w in tokens if w in _BOKMAAL_MARKERS)
    if nynorsk > max(2, bokmaal):
        return "nn"
    return "en" if detect_language(text) == "en" and bokmaal < 3 else "nb"


def _organisation(text: str) -> str:
    match = re.search(r"\b([A-ZÆØÅ][\wæøå-]+(?: [A-ZÆØÅ][\wæøå-]+)? (?:fylkes)?kommune)\b", text)
    return match.group(1) if match else ""


def _document_id(title: str) -> str:
    parts = [fold(w) for w in words(_organisation_removed(title)) if w not in _GENERIC_TITLE_WORDS
             and w not in NB_STOPWORDS]
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts[:3]))[:40].strip("-") or "retningslinje"


def _organisation_removed(title: str) -> str:
    organisation = _organisation(title)
    return title.replace(organisation, "") if organisation else title


class _PlainDumper(yaml.SafeDumper):
    """Block style, and a repeated value written out again: a file people edit by hand has no `&id001`."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def draft_yaml(draft: Draft) -> str:
    """The document as YAML that validates and answers; the header says what a person should add."""
    header = (f"# Made by `guidebot knowledge import` from {draft.document['source']}. It answers as it is;\n"
              "# to answer better, fill in effective, owner, translations, questions and keywords\n"
              "# (`guidebot knowledge suggest` proposes questions and keywords to accept).\n")
    header += "".join(f"# Note: {note}\n" for note in draft.notes)
    body = yaml.dump({"document": draft.document, "passages": draft.passages}, Dumper=_PlainDumper,
                     allow_unicode=True, sort_keys=False, width=10_000)
    return header + body


@dataclass(frozen=True)
class Imported:
    path: Path  # the file written
    draft: Draft
    replaced: bool  # a re-import: an earlier import of the same document was there


def import_into(source: Path, directory: Path) -> Imported:
    """Writes `source` as a document of the knowledge directory (made if need be) and checks that the
    whole directory validates. The first document becomes guideline.yaml, the others documents/<id>.yaml;
    a re-import of the same document keeps its passage ids, curated fields and filled-in metadata."""
    from .knowledge import DOCUMENTS_FOLDER, load_directory, next_version

    existing = load_directory(directory) if (directory / "guideline.yaml").exists() else None
    draft = import_file(source)
    old_document = existing.document_by_id(draft.document["id"]) if existing else None
    taken = frozenset(p.id for p in existing.passages if not old_document or p.document != old_document.id) \
        if existing else frozenset()
    previous = tuple(p for p in existing.passages if p.document == old_document.id) if existing and old_document else ()
    draft = import_file(source, previous, taken)
    if not draft.passages:
        raise FormatError(f"{source.name}: found no text to quote (an empty file, or headings only): "
                          "import the guideline's full text")
    if old_document is not None:
        for name in ("organisation", "effective", "owner", "contact"):
            if getattr(old_document, name):
                draft.document[name] = getattr(old_document, name)
        draft.document["version"] = next_version(old_document.version)
    if existing is None or (old_document is not None and old_document.id == existing.document.id):
        target = directory / "guideline.yaml"
    else:
        target = directory / DOCUMENTS_FOLDER / f"{draft.document['id']}.yaml"
    before = target.read_text(encoding="utf-8") if target.exists() else None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(draft_yaml(draft), encoding="utf-8")
    glossary = directory / "glossary.yaml"
    if not glossary.exists():
        glossary.write_text("# Words of this organisation, English ↔ Norwegian, beyond the general vocabulary.\n"
                            "terms: []\n", encoding="utf-8")
    try:
        load_directory(directory)
    except Exception:
        if before is None:
            target.unlink()
        else:
            target.write_text(before, encoding="utf-8")
        raise
    return Imported(target, draft, old_document is not None)
