"""Guideline files as people publish them (text, Markdown, web pages, Word, PDF) → a list of blocks.

Each reader keeps what the importer needs to section a document the way its author did: headings with
their level, paragraphs, and list items with their depth. Everything else a format carries (menus and
footers of a web page, fonts of a PDF) is used only to find those, then dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADING, TEXT, ITEM = "heading", "text", "item"
FORMATS = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")


class FormatError(ValueError):
    """A file the importer cannot read; the message says which formats it reads."""


@dataclass(frozen=True)
class Block:
    kind: str  # heading, text, item
    text: str
    level: int = 0  # heading: 1 for the top sections (0 for the document title); item: list depth from 0
    numbered: bool = False  # an item of a numbered list ("1.", "a)")


def read_file(path: Path) -> list[Block]:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return with_document_control(read_html(html_text(path.read_bytes())))
    if suffix == ".docx":
        return with_document_control(read_docx(path))
    if suffix == ".pdf":
        return with_document_control(read_pdf(path))
    if suffix in (".txt", ".md", ".markdown", ""):
        return read_text(plain_text(path.read_bytes()))
    raise FormatError(f"{path.name}: cannot import {suffix} files; give one of {', '.join(FORMATS)}")


CONTROL_HEADING = "Dokumentinformasjon"
# the labels of a routine's closing lines ("Godkjent av:", "Saksbehandler:", "Sist endret: 03.01.2019")
_CONTROL_LABEL = re.compile(
    r"^(?:godkjen[td]|vedtatt|vedteke|saksbehandler|sakshandsamar|gyldig|gjeldende|gjeldande|versjon|revidert|"
    r"revisjon|dato|utarbeid(?:et|d)|dokumentansvarle?i?g|dokument-?id|utgave|utgåve|utgitt|ansvarle?i?g|publisert|"
    r"oppretta|opprettet|oppdatert|updated|"
    r"skrevet|approved|version|valid|author|owner|sist\s+(?:endret|endra|oppdatert|revidert|redigert|"
    r"godkjent)|last\s+(?:updated|modified|changed|revised))\b", re.I)


def _control_line(text: str) -> bool:
    """"Godkjent av: Generalsekretær", "Versjon: 002", "Sist oppdatert 21.09.2015": a label with its value
    (or a label alone, its value on the next line)."""
    return len(text) <= 70 and bool(_CONTROL_LABEL.match(text)) and (":" in text or bool(re.search(r"\d", text))) \
        and not re.search(r"[.!?]\s+[A-ZÆØÅ]", text)  # "Vedtatt 3. mars 2025. Gjelder alle ansatte." goes on


def split_document_control(blocks: list[Block]) -> tuple[list[int], str]:
    """The positions of the blocks that are no document-control lines, and those lines as one text.

    A procedure ends in who approved it, its version and when it last changed; a web page starts or ends with
    when it was published or updated. As a passage each such line matched every question with "ansvarlig" or
    "skjema"; "Sist oppdatert 12. august 2019" under the title was read as the heading of every rule; and the
    line above closing lines ("S-4.5.13.5 Skjema, refusjon av utgifter", the last attachment listed) was read
    as their heading. A saved page's last chrome lines ("Kontaktinformasjon", "Eksterne lenker") are dropped."""
    start = _footer_start(blocks)
    chrome: set[int] = set(range(start, len(blocks)))
    while start > 0:
        block = blocks[start - 1]
        if block.kind == TEXT and _chrome_line(block.text):
            chrome.add(start - 1)
            start -= 1
        elif block.kind != ITEM and _control_line(block.text):
            start -= 1
        elif (start >= 2 and block.kind == TEXT and len(block.text) <= 60 and blocks[start - 2].kind != ITEM
              and _bare_label(blocks[start - 2].text)):
            start -= 2  # "Godkjent av:" over "Generalsekretær"
        else:
            break
    chrome |= {i for i in range(start) if blocks[i].kind == TEXT and blocks[i].text.strip().lower() in _CHROME_ANYWHERE}
    # a date stamp anywhere ("Publisert: 11. aug 2017, Sist endret: 22. okt 2018" under the lead paragraph)
    leading = [i for i in range(1, start) if _date_stamp(blocks[i])]
    control = [i for i in [*leading, *range(start, len(blocks))] if i not in chrome]
    lines: list[str] = []
    for index in control:
        text = blocks[index].text
        if lines and _bare_label(lines[-1]):
            lines[-1] = f"{lines[-1]} {text}"
        else:
            lines.append(text)
    kept = [i for i in range(len(blocks)) if i not in control and i not in chrome]
    if not lines:
        return kept, ""
    return kept, ". ".join(line.rstrip(".") for line in lines[:-1]) + (". " if len(lines) > 1 else "") + lines[-1]


_CHROME_LINES = frozenset("""kontaktinformasjon|kontakt oss|eksterne lenker|interne lenker|relaterte lenker|lenker|
del|del siden|del denne siden|del på facebook|skriv ut|utskrift|utskriftsvennlig versjon|til toppen|
fant du det du lette etter?|login for redigering|
logg inn|tilbakemelding|gi tilbakemelding|personvernerklæring|informasjonskapsler|share|print|back to top""".replace(
    "\n", "").split("|"))


def _footer_start(blocks: list[Block]) -> int:
    """Where a saved page's footer begins: after its date stamp ("Sist oppdatert: 07.03.2018"), when only short
    lines that are no sentences follow and one of them is a menu entry ("KONTAKT OSS"). The footer's opening
    hours and addresses were the site's, not the guideline's, and answered "when is the service open?"."""
    for index, block in enumerate(blocks):
        if not _date_stamp(block):
            continue
        tail = blocks[index + 1:]
        if any(_chrome_line(b.text) for b in tail) and all(
                b.kind != ITEM and len(b.text) <= 80 and not _sentence(b.text) for b in tail):
            return index + 1
    return len(blocks)


def _date_stamp(block: Block) -> bool:
    """"Sist oppdatert 12. august 2019 10:08" under a page's title: when, not what."""
    return block.kind == TEXT and _control_line(block.text) and bool(
        re.match(r"(?i)(?:sist\s+\w+|publisert|oppdatert|last\s+\w+)\b", block.text))


# chrome a saved page repeats between its sections ("Til toppen" under every heading)
_CHROME_ANYWHERE = frozenset(["til toppen", "tilbake til toppen", "back to top", "skriv ut", "del på facebook",
                              "login for redigering", "fant du det du lette etter?"])


def _chrome_line(text: str) -> bool:
    """A saved web page's closing chrome: a menu entry, a share button, the logo's alt text."""
    key = text.strip().rstrip("»›> ").lower()
    return key in _CHROME_LINES or bool(re.fullmatch(r"logo\b.{0,40}", key))


def _bare_label(text: str) -> bool:
    """A control label whose value is on the next line: "Godkjent av:", "Publisert", "Sist endret"."""
    label = _CONTROL_LABEL.match(text)
    return label is not None and len(text) <= 30 and (text.endswith(":") or text[label.end():].strip().lower() in ("", "av"))


def with_document_control(blocks: list[Block]) -> list[Block]:
    """The document-control lines as one passage under a heading of their own, at the end."""
    kept, control = split_document_control(blocks)
    out = [blocks[i] for i in kept]
    return [*out, Block(HEADING, CONTROL_HEADING, 1), Block(TEXT, control)] if control and out else out


def plain_text(data: bytes) -> str:
    """A text file in whatever encoding Norwegian offices save them: UTF-8 (with or without a byte order
    mark), UTF-16 ("Unicode text" from Word and Notepad), or Windows-1252 from older Windows programs, where
    decoding as UTF-8 would turn every æ, ø and å into a replacement character."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def html_text(data: bytes) -> str:
    """A saved web page in the encoding it declares (`<meta charset>`), or the one its bytes show."""
    from bs4 import UnicodeDammit

    decoded = UnicodeDammit(data, ["utf-8"], is_html=True).unicode_markup
    return decoded if decoded is not None else data.decode("utf-8", errors="replace")


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace("**", "").replace("__", "").split())


# --- plain text and Markdown ----------------------------------------------------------------------------
_TOC_TITLES = {"innhold", "innholdsfortegnelse", "contents", "table of contents", "innhald", "innhaldsliste"}
_TOC_ENTRY = re.compile(r"^(?P<name>.+?)(?:\t+|\s{2,}|\.{3,}\s*|\s)(?P<page>\d{1,3})\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)([-•*+–▪◦·]|\d{1,2}[.)]|[a-z][.)])\s+(.*)$")
# a line a web page showed as a link to a file: lines of them are a list, not a paragraph run together
DOCUMENT_LINK = re.compile(r"\((?:PDF|DOCX?|Word|Excel|XLSX?|PPTX?|ODT)(?:,\s*[\d.,]+\s*[kKmM]B)?\)\s*$|"
                            r"^[^.!?]{3,120}\.(?:pdf|docx?|xlsx?|pptx?|odt)\s*$", re.I)  # "Avtale om heimekontor.pdf"
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-ZÆØÅ].{1,90})$")


def _heading_level(number: str) -> int:
    return number.rstrip(".").count(".") + 1


def _numbered_heading(line: str, following: str) -> bool:
    """"2.1 Nye kontoer" or "3 Formål" is a heading; "1. Del aldri passord." is a numbered rule. A
    numbered line without closing punctuation is a heading when its number has inner dots, has no dot,
    or a blank line, a bulleted (not numbered) list no deeper than itself ("1. Kva er sosiale medier" over
    "• Sosiale medier er …": a numbered section of bullet rules, as web pages print them) or a sentence
    follows it ("1. Formål" over "Retningslinjene skal sikre …"), or its first sub-section ("2. Utlevering"
    over "2.1 Adgangskort")."""
    stripped = line.strip()
    match = _NUMBERED_HEADING.match(stripped)
    if not match or re.search(r"[.!:;,]$", stripped) or len(stripped.split()) > 10:
        return False  # "3.2 Hvilke plasser kan bestilles?" is a heading that asks
    number = stripped[:match.end(1) + 1]
    bullet = _BULLET.match(following)
    bullets_below = bullet is not None and not bullet.group(2)[0].isalnum() and \
        len(bullet.group(1).expandtabs(4)) <= len(line) - len(line.lstrip()) + 1
    prose_below = not bullet and following[:1].isupper() and _reads_on(following.strip())
    below = _NUMBERED_HEADING.match(following.strip())  # "2. Utlevering" over "2.1 Adgangskort"
    child_below = below is not None and below.group(1).startswith(match.group(1).rstrip(".") + ".") and \
        len(below.group(1).rstrip(".")) > len(match.group(1).rstrip("."))
    return "." in match.group(1) or not number.endswith(".") or not following.strip() or bullets_below or \
        prose_below or child_below


def _next_number(line: str, last: str) -> bool:
    """Whether a numbered line continues the numbering of the headings so far ("3.1" → "3.2", "2.3" → "3",
    "3" → "3.1"): then it is a heading even glued to the paragraph above it, which a wrapped sentence
    starting with a number ("12 Ansatte …") is not."""
    match = _NUMBERED_HEADING.match(line)
    if not match or not last:
        return False
    number = [int(n) for n in match.group(1).rstrip(".").split(".")]
    before = [int(n) for n in last.split(".")]
    depth = len(number)
    if depth <= len(before) and number == [*before[:depth - 1], before[depth - 1] + 1]:  # a sibling or an uncle
        return True
    return number == [*before, 1]  # the first child


def read_text(text: str) -> list[Block]:
    """Markdown syntax where it is used; otherwise headings are recognised the way a reader sees them:
    a numbered line ("2.1 Nye kontoer"), or a short line that stands alone and ends without punctuation."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [re.sub(r"\s+#\s*$", "", line) for line in lines if not _SITE_CHROME.match(line)]  # "Fellestrening #": an anchor
    transcript = any(_TRANSCRIPT.match(line) for line in lines)
    if transcript:
        lines = _transcript_lines(lines)
    blocks: list[Block] = []
    paragraph: list[str] = []
    lone: list[bool] = []  # per block: a one-line paragraph standing between blank lines

    def flush() -> None:
        if len(paragraph) == 1:
            blocks.append(Block(TEXT, _clean(paragraph[0])))
            lone.append(True)
        elif paragraph:
            for block in _paragraph_lines(paragraph, opening=not blocks):
                blocks.append(block)
                lone.append(False)
        paragraph.clear()

    toc: set[str] = set()
    in_toc = plain_toc = False
    table: list[str] = []
    item_indent = 0  # of the last bullet's marker
    last_number = ""  # of the last numbered heading: "3.2 Måltider" right under a paragraph continues it
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        following_raw = lines[index + 1].rstrip() if index + 1 < len(lines) else ""
        following = following_raw.strip()
        if not line.strip():
            flush()
            in_toc = in_toc and not plain_toc  # a table of contents without page numbers ends at a blank line
            continue
        if _clean(line).lower().rstrip(":") in _TOC_TITLES:
            flush()
            in_toc, plain_toc = True, False
            continue
        entry = _TOC_ENTRY.match(line.strip())
        if in_toc and entry:
            toc.add(_key(entry.group("name")))
            continue
        if in_toc and _toc_line(line) and (plain_toc or _toc_line(following)):
            plain_toc = True  # "Innholdsfortegnelse" over lines that name the sections, without page numbers
            toc.add(_key(line))
            continue
        in_toc = False
        if re.fullmatch(r"\s*(=+|-{3,})\s*", line) and paragraph:  # setext underline
            level = 1 if "=" in line else 2
            blocks.append(Block(HEADING, _clean(" ".join(paragraph)), level))
            lone.append(False)
            paragraph.clear()
            continue
        markdown = _MD_HEADING.match(line)
        if markdown:
            flush()
            blocks.append(Block(HEADING, _clean(markdown.group(2)), len(markdown.group(1))))
            lone.append(False)
            continue
        last_of_list = bool(blocks) and blocks[-1].kind == ITEM and blocks[-1].numbered and not paragraph \
            and index > 0 and bool(lines[index - 1].strip())  # "3. Lever sykemelding" under "2. Rapporter fravær"
        if _numbered_heading(line, following_raw) and not last_of_list and (
                not paragraph or _next_number(line.strip(), last_number) or _heading_line_above(paragraph)):
            flush()
            number = _NUMBERED_HEADING.match(line.strip())
            last_number = number.group(1).rstrip(".") if number else last_number
            blocks.append(Block(HEADING, _clean(line), _heading_level(number.group(1)) if number else 1))
            lone.append(False)
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):  # a Markdown table row
            flush()
            table.append(line.strip())
            if not following.startswith("|"):
                rows = _markdown_table(table)
                blocks.extend(Block(TEXT, text) for text in rows)
                lone.extend([False] * len(rows))
                table.clear()
            continue
        bullet = None if transcript else _BULLET.match(line)  # a transcript's page is one line: "1. Innledning …"
        if bullet:
            flush()
            item_indent = len(bullet.group(1).expandtabs(4))
            depth = item_indent // 2
            numbered = bullet.group(2)[0].isalnum()  # "8. Del aldri …": the rule's number is part of its text
            text = bullet.group(2) + " " + bullet.group(3) if numbered else bullet.group(3)
            blocks.append(Block(ITEM, _clean(text), min(depth, 4), numbered))
            lone.append(False)
            continue
        if DOCUMENT_LINK.search(line):  # "Skjema - Søknad om permisjon (PDF, 122 kB)": one link of a list
            flush()
            blocks.append(Block(ITEM, _clean(line.strip()), 0))
            lone.append(False)
            continue
        wrapped_item = line[:1].islower() and index > 0 and bool(lines[index - 1].strip())  # a PDF's wrapped bullet
        # a line indented deeper than the bullet continues its item; one level with it ("    Andre kontoer:" under
        # "    • Instagram …" on a page indented throughout) does not
        indented = len(raw) - len(raw.lstrip()) > item_indent if raw[:1].isspace() else False
        if blocks and blocks[-1].kind == ITEM and (indented or wrapped_item) and not paragraph:
            blocks[-1] = Block(ITEM, _clean(blocks[-1].text + " " + line), blocks[-1].level, blocks[-1].numbered)
            continue
        paragraph.append(line.strip())
    flush()
    kept, control = split_document_control(blocks)
    out = _lone_lines_as_headings(_numbered_steps_as_headings([blocks[i] for i in kept]), [lone[i] for i in kept], toc)
    out = _inline_headings(out, transcript)
    return [*out, Block(HEADING, CONTROL_HEADING, 1), Block(TEXT, control)] if control and out else out


# a site's lines around the article: a wiki's navigation ("Fra Setesdalswiki", "Hopp til: navigasjon, søk"), skip links
# ("Droppe til innhold", "Main content"), the link to a page's other language and the notice that it has none
_SITE_CHROME = re.compile(r"(?i)^\s*(?:hopp til:?\s*navigasjon,?\s*søk|hopp til navigering\s*hopp til søk|"
                          r"jump to:?\s*navigation,?\s*search|share/save/bookmark|fra wikipedia\b.*|"
                          r"fra \w+wiki|from wikipedia\b.*|home|hjem|main content|hovedinnhold|warning message|"
                          r"(?:(?:droppe|hopp|gå|skip) (?:til|to) (?:hoved)?"
                          r"(?:innhold|content|main content|meny|menu|navigasjon|navigation)\s*)+|"
                          r"english version\b.*|norsk versjon\b.*|in english|på norsk|chatbot-portlet|"
                          r"there has not been added a translated version\b.*|placeholder\s*:.*)\s*$")
# a document sharing site's copy of a PDF ("Størrelse: px", "Begynne med side:", "Transkript", then each page as one
# paragraph that starts with its number: "2 1. Innledning Stadig flere …")
_TRANSCRIPT = re.compile(r"^\s*(?:Transkript|Transcript|Transkription)\s*$")
_TRANSCRIPT_CHROME = re.compile(r"(?i)^\s*(?:save this pdf as:?|word\s+png\s+txt\s+jpg|størrelse:\s*px|storlek:\s*px|"
                                r"size:\s*px|begynne med side:?|starta visningen från sidan:?|start display at page:?|"
                                r"download\s+\".*\"|like dokumenter|liknande dokument|similar documents)\s*$")


def _transcript_lines(lines: list[str]) -> list[str]:
    """The transcript without the site's chrome and with each page's number taken off the start of its text; a
    page that only repeats the title (the cover) is left out."""
    title = next((line.strip() for line in lines if line.strip()), "")
    out: list[str] = []
    page = 1
    for line in lines:
        if _TRANSCRIPT.match(line) or _TRANSCRIPT_CHROME.match(line):
            continue
        numbered = re.match(rf"^\s*{page}\s+(?=\S)", line)
        if numbered:
            line = line[numbered.end():]
            page += 1
            if title and line.lower().startswith(title.lower()) and len(line) <= len(title) + 12:
                continue
        out.append(line)
    return out


# "… for Sametinget. 1.2 OMFANG Disse retningslinjer gjelder …": a numbered heading in capitals inside running text,
# where a PDF's text was copied without its line breaks (a page number may stand before it: "2 1.1 FORMÅL")
_INLINE_HEADING = re.compile(r"(?:(?<=\s)|^)(?:\d{1,3}\s+)?(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+"
                             r"([A-ZÆØÅ]{3,}(?:[ -][A-ZÆØÅ]{2,}){0,4})\s+(?=[A-ZÆØÅ][a-zæøå])")


def _inline_headings(blocks: list[Block], transcript: bool = False) -> list[Block]:
    """Numbered headings in capitals inside a paragraph, at its start or after a full stop, become headings: run
    together, "1.2 OMFANG" and "1.3 ANSVAR" stood in one quote with the rules of both, and the question who
    fills in the travel claim met the rule on whom the policy covers. In a transcript, whose pages lost every line
    break, so do headings of one word ("2. Sammendrag Vær gjerne aktiv …"), wherever they stand."""
    out: list[Block] = []
    pattern = _INLINE_TITLE if transcript else _INLINE_HEADING
    for block in blocks:
        start = 0
        for match in pattern.finditer(block.text) if block.kind == TEXT else ():
            before = block.text[start:match.start()].strip()
            if before and not before.endswith((".", "!", "?")) and not transcript:
                continue
            if before:
                out.append(Block(TEXT, before))
            out.append(Block(HEADING, f"{match.group(1)} {match.group(2)}", _heading_level(match.group(1))))
            start = match.end()
        rest = block.text[start:].strip()
        if start == 0:
            out.append(block)
        elif rest:
            out.append(Block(TEXT, rest))
    return [part for block in out for part in _inline_list(block)] if transcript else out


_ENUMERATION = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\.\s+(?=[A-ZÆØÅ])")


def _inline_list(block: Block) -> list[Block]:
    """A transcript's numbered rules run together ("… jobber! 1. Avklar hvilken rolle … 2. Tenk gjennom … 3. Vær
    bevisst …. For aktivitet på vegne av kommunen gjelder i tillegg: 1. Bruk kommunens logo …"): each rule an item,
    the text before a list (and a closing line that ends in a colon) the line that leads into it."""
    if block.kind != TEXT:
        return [block]
    starts: list[re.Match[str]] = []
    expected = 1
    for match in _ENUMERATION.finditer(block.text):
        number = int(match.group(1))
        if number == expected or number == 1 and expected > 2:
            starts.append(match)
            expected = number + 1
    if len(starts) < 2:  # (the first one kept is always a "1.")
        return [block]
    out = [Block(TEXT, block.text[:starts[0].start()].strip())] if block.text[:starts[0].start()].strip() else []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(block.text)
        item = block.text[match.start():end].strip()
        lead = re.search(r"(?<=[.!?])\s+([A-ZÆØÅ][^.!?]*:)$", item)
        if lead:
            out.append(Block(ITEM, item[:lead.start()].strip(), 0, True))
            out.append(Block(TEXT, lead.group(1)))
        else:
            out.append(Block(ITEM, item, 0, True))
    return out


# "1. Innledning Stadig flere …", "2. Roller og ansvar Kommunikasjonssjefen …": a capitalised word (or two joined by
# "og") between a section number and the capital that starts the text; "1. Avklar hvilken rolle …" is a rule
_INLINE_TITLE = re.compile(r"(?:(?<=\s)|^)(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-ZÆØÅ][a-zæøå]{3,}(?:\s+og\s+[a-zæøå]{3,})?)"
                           r"\s+(?=[A-ZÆØÅ][a-zæøå])")


def _heading_line_above(paragraph: list[str]) -> bool:
    """"PROSEDYRE" right over "1. Hvem kan klage": a heading line, not a paragraph the numbered line continues."""
    return len(paragraph) == 1 and _looks_like_heading(paragraph[0]) and not _sentence(paragraph[0])


def _toc_line(line: str) -> bool:
    """An entry of a table of contents that has no page numbers: a short line that is no sentence."""
    text = line.strip()
    return 0 < len(text) <= 150 and not re.search(r"[.!?:;,]$", text) and not _sentence(text)


def _markdown_table(lines: list[str]) -> list[str]:
    rows = [[_clean(cell) for cell in line.strip("|").split("|")] for line in lines]
    rows = [r for r in rows if not all(re.fullmatch(r":?-{2,}:?", c) for c in r if c)]  # the |---| line
    header = rows[0] if len(rows) > 1 and len(lines) > 1 and re.search(r"-{2,}", lines[1]) else None
    return table_rows(rows[1:] if header else rows, header)


WRAP_WIDTH = 130


def _paragraph_lines(lines: list[str], opening: bool = False) -> list[Block]:
    """Lines without a blank line between them. Text wrapped at a width (most lines long) is one
    paragraph; text copied from a web page has a paragraph a line, and a short line before a sentence is
    a heading glued to its text ("Ansvar og drift" / "Tenesteleiar er ansvarleg …"): it must not enter
    the quote. `opening`: the document's first lines, whose first is its title."""
    # wrapped at a width: most lines long, and none much longer than a printed line (a web page's paragraph
    # of three hundred letters on one line was never wrapped)
    wrapped = sum(55 <= len(line) <= WRAP_WIDTH for line in lines[:-1]) >= 0.8 * (len(lines) - 1)
    out: list[Block] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not wrapped and _control_line(line.strip()):  # "Publisert 10.10.2023 12.09" over the text: when, not what
            if current:
                out.append(Block(TEXT, _clean(" ".join(current))))
                current = []
            out.append(Block(TEXT, _clean(line)))
            continue
        if not current and _glued_heading(line, following, title=opening and index == 0):
            out.append(Block(HEADING, _clean(line), 2))
            continue
        current.append(line)
        if not wrapped and (re.search(r"[.!?:]$", line) or _line_of_its_own(line, following)) or not following:
            out.append(Block(TEXT, _clean(" ".join(current))))
            current = []
    return _labels_joined(out, lines)


def _labels_joined(out: list[Block], lines: list[str]) -> list[Block]:
    """"Salita skal forespørres først." over "Salitas bestillingsportal" / "Hero Tolks bestillingsportal": the
    names of links closing a paragraph belong to the sentence they follow. Alone they were a passage that
    named the subject of every question about it and said nothing."""
    if len(out) < 2 or out[-1].kind != TEXT or out[-2].kind != TEXT or not re.search(r"[.!?:]$", out[-2].text):
        return out
    labels = len(_tail_labels(lines))
    if not labels or _clean(" ".join(lines[-labels:])) != out[-1].text:
        return out
    return [*out[:-2], Block(TEXT, f"{out[-2].text} {out[-1].text}")]


def _tail_labels(lines: list[str]) -> list[str]:
    """The paragraph's last lines that are a link's or a document's name: short, unpunctuated, no sentence."""
    tail: list[str] = []
    for line in reversed(lines):
        if len(line.split()) > 5 or re.search(r"[.!?:,;]$", line) or _sentence(line):
            break
        tail.append(line)
    return tail


def _line_of_its_own(line: str, following: str) -> bool:
    """"Generalsekretæren er ansvarlig for prosedyren" over "Personalleder har ansvar for …": short lines that
    are sentences without a full stop, each starting with a capital, are one statement a line; run together they
    read as one sentence and answered no question about either."""
    return following[:1].isupper() and _sentence(line) and not _FUNCTION_END.search(line)


def _glued_heading(line: str, following: str, title: bool) -> bool:
    """A short line over running text, with no blank line between: a heading ("Ansvar og drift" / "Tenesteleiar
    er ansvarleg …"), as is a line in capitals or a document's first line (its title)."""
    return following[:1].isupper() and len(line) <= 60 and _looks_like_heading(line) and not _BULLET.match(line) \
        and (_reads_on(following) or line.isupper() or title) and (title or not _sentence(line))


def _reads_on(line: str) -> bool:
    """A line of running text (a sentence, or a long line): what a heading glued to it would introduce. Under a
    contact block's lines ("Kommuneadvokaten i …" / "Advokat Rune Erstad" / "rune.erstad@…") nothing is a
    heading, and nothing may be lost."""
    return len(line) > 60 or bool(re.search(r"[.!?:]$", line))


_FUNCTION_END = re.compile(r"\b(er|å|som|at|til|for|med|og|av|på|i|om|is|are|to|of|the|and|for|with)$", re.I)
# a line with one of these verbs is a sentence ("Det er fire formål med kontoene"), not a heading, unless it
# asks ("Hva er sosiale medier")
_FINITE_VERBS = frozenset("""er var har skal må kan bør gjelder gjeld vil blir vert ønsker ønskjer trenger treng
får is are has have must should will""".split())
_QUESTION_WORDS = frozenset("""hva kva hvordan korleis kvifor hvorfor hvem kven når kor hvor hvilke kva slags
what how why who when where which""".split())


def _sentence(text: str) -> bool:
    tokens = text.lower().split()
    return len(tokens) >= 4 and tokens[0] not in _QUESTION_WORDS and any(t in _FINITE_VERBS for t in tokens[1:])


def _key(text: str) -> str:
    return _clean(text).rstrip(":.").lower()


def _lone_lines_as_headings(blocks: list[Block], lone: list[bool], toc: set[str]) -> list[Block]:
    """A short line between blank lines, without closing punctuation, is a heading, unless it leads into
    the list below it ("Hensikten med kontoen er", or a sentence: "Det er fire formål med kontoene"). With
    a table of contents, its entries are headings (whatever their punctuation) and other such lines are
    sub-headings."""
    out: list[Block] = []
    made: set[int] = set()  # positions in `out` of headings read from lone lines
    numbered = 0  # level of the last numbered heading: a plain heading under "3.1 …" is nested in it
    for index, block in enumerate(blocks):
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == HEADING and _NUMBERED_HEADING.match(block.text):
            numbered = block.level
        if block.kind == TEXT and toc and _key(block.text) in toc:
            nested = bool(out) and out[-1].kind == HEADING and out[-1].level >= 1
            out.append(Block(HEADING, block.text.rstrip(":"), 2 if nested else 1))
            continue
        if block.kind == TEXT and lone[index] and (_instruction(block.text) or _label_and_value(block.text)
                                                   or _control_line(block.text)):
            # "Lukk dører og vinduer" under "BEGRENSE" is what to do, not a heading; "Vedtatt av kommunestyret
            # 18.06.2015, sak 15/64" under the title says when, and answers "når ble reglementet vedtatt?"
            out.append(block)
            continue
        if block.kind == TEXT and lone[index] and (_looks_like_heading(block.text) or
                                                   nxt is not None and _question_heading(block.text) or
                                                   not out and _title_with_full_stop(block.text)):
            leads_in = nxt is not None and nxt.kind == ITEM and (bool(_FUNCTION_END.search(block.text))
                                                                  or _sentence(block.text))
            if leads_in or _sentence(block.text) and not _question_heading(block.text) and _heading_next(blocks, lone, index):
                # a sentence with nothing under it but the next heading is text, not a heading; a question over
                # short headings ("Er dette gaver jeg kan ta imot?" / "Ja" / "Nei") heads them
                out.append(block)
            elif not (out and out[-1].kind == HEADING and _key(strip_number(out[-1].text)) == _key(block.text)):
                level = numbered + 1 if numbered else (2 if toc else 1) if out else 0  # (a repeated title is dropped)
                if not numbered and out and out[-1].kind == HEADING and out[-1].level >= level:
                    # right under another heading, with nothing between: its sub-heading ("Behandling av
                    # varselet" / "Mottak av varsling"), not the next section, which would drop the first
                    level = min(out[-1].level + 1, 4)
                title = not out and _title_with_full_stop(block.text)
                made.add(len(out))
                out.append(Block(HEADING, block.text[:-1] if title else block.text.rstrip(":"), level))
            continue
        out.append(block)
    return _pointed_to(_trailing_text(out, made))


# verbs an instruction starts with in the imperative ("Lukk dører og vinduer", "Ring 110"); "Bruk av …" is a noun
_IMPERATIVES = frozenset("""lukk ring gå bruk meld send husk ta sjekk hold slokk slukk steng forlat kontakt les fyll
lever skriv vask følg unngå sørg informer evakuer trekk finn varsle ikke aldri""".split())


def _instruction(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 and not text.isupper() and words[0].lower() in _IMPERATIVES and words[1].lower() != "av" \
        and not _chrome_line(text)  # "Kontakt oss" heads the contact lines under it


def _label_and_value(text: str) -> bool:
    """"Flytting: En dag", "Tilvenning i barnehage: Inntil tre dager": a case and what it gets, a rule of a
    list; read as headings, each nested in the one before. "Del 1: Medieretningslinjer …" is a heading."""
    label, colon, value = text.partition(": ")
    return bool(colon) and bool(value.strip()) and not re.search(
        r"(?i)(?:^(?:del|kapittel|kap|vedlegg|part|chapter|appendix|steg|trinn|fase)\b|\b(?:\d+|[ivx]+|[a-z])$)", label.strip())


def _numbered_steps_as_headings(blocks: list[Block]) -> list[Block]:
    """"1) Varsle" / "2) Redde" each over a paragraph of its own are the steps' headings, not a list: read as
    items they ran together with the line above them, and every step below fell under the next plain heading."""
    out = list(blocks)
    for index, block in enumerate(blocks[:-1]):
        words = block.text.split()
        if block.kind == ITEM and block.numbered and 2 <= len(words) <= 5 and not re.search(r"[.!?:,;]$", block.text) \
                and blocks[index + 1].kind == TEXT and not _looks_like_heading(blocks[index + 1].text):
            # (the last step of a list over the next heading, "3. Lever sykemelding" / "Egenmelding", stays a step)
            out[index] = Block(HEADING, block.text, 1)
    return out


def _trailing_text(out: list[Block], made: set[int]) -> list[Block]:
    """Lone lines read as headings (`made`) at the very end of a document, with nothing under them
    ("Kommunestyret 06.09.2016: Tiltaksplan for folkehelse" under "Vedtak:"), are its last lines of text, not
    headings: a heading with nothing under it is dropped, and they would be lost."""
    end = len(out)
    while end > 1 and end - 1 in made:
        end -= 1
    return out[:end] + [Block(TEXT, b.text) for b in out[end:]]


def _pointed_to(out: list[Block]) -> list[Block]:
    """"… fylle ut søknadskjema som du finner nederst på denne siden." over the form's name (or its labels: "Jeg
    ønsker å være anonym"), the document's last line: the thing pointed to joins the line pointing to it. Alone it
    was a passage that matched every question on the subject and said nothing."""
    if len(out) >= 2 and out[-2].kind == out[-1].kind == TEXT and _POINTS_DOWN.search(out[-2].text) \
            and not re.search(r"[.!?:]$", out[-1].text):
        return [*out[:-2], Block(TEXT, f"{out[-2].text} {out[-1].text}")]
    return out


_POINTS_DOWN = re.compile(r"(?i)\b(?:nederst|nedanfor|nedenfor|under her|(?:lenken?|skjema\w*|knappen) under|below)\b")


def _title_with_full_stop(text: str) -> bool:
    """A document's first line may end in a full stop and still be its title ("Etiske retningslinjer for
    ansatte og folkevalgte."): short, one full stop, and no finite verb, so no sentence."""
    name = text[:-1]
    return (text.endswith(".") and "." not in name and _looks_like_heading(name)
            and not any(t in _FINITE_VERBS for t in name.lower().split()))


def _heading_next(blocks: list[Block], lone: list[bool], index: int) -> bool:
    """The block after `index` is (or will read as) a heading, or there is none."""
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    return nxt is None or nxt.kind == HEADING or (nxt.kind == TEXT and lone[index + 1] and _looks_like_heading(nxt.text)
                                                  and not _sentence(nxt.text))


def _question_heading(text: str) -> bool:
    """"Kva vil vi oppnå?" over a list or a paragraph names what follows, as a heading does; so do two such
    questions on one line ("Hva gjør du når brannalarmen går? Hva gjør du hvis det brenner?"), and a question
    that starts with its verb ("Dekkes utgifter til arbeidsklær?", "Kan jeg ta med barn på jobb?"): read as a rule,
    the bare question was quoted as the answer to itself."""
    questions = re.findall(r"[^?]+\?", text)
    return bool(questions) and "".join(questions).strip() == text.strip() and len(questions) <= 3 and all(
        2 <= len(q.split()) <= 10 and _asks(q.split()[0]) for q in questions)


def _asks(word: str) -> bool:
    """A question's first word: a question word, or a verb that opens a yes/no question ("Kan", "Dekkes")."""
    lower = word.lower()
    return lower in _QUESTION_WORDS or lower in _QUESTION_VERBS or (word[:1].isupper() and lower.endswith("es")
                                                                    and len(lower) >= 5)


_QUESTION_VERBS = frozenset("""er var har skal må kan bør får gjelder gjeld trenger treng finnes fins finst blir vert
kreves gis is are do does can may must should will""".split())


def strip_number(heading: str) -> str:
    """"3.1 Roller og ansvar" → "Roller og ansvar"; "§ 3 Formål" → "Formål"; "§ 2" → ""."""
    return re.sub(r"^(?:\d{1,2}(\.\d{1,2})*\.?\s+|§\s*\d+\s*[a-z]?\.?\s*)", "", heading)


def _looks_like_heading(text: str) -> bool:
    """Short, capitalised, no closing punctuation (a closing remark in brackets aside); a line in capitals
    may end in a colon ("MÅL:"); a by-law's "§ 2" is one too."""
    if text.isupper() and text.endswith(":") and len(text) <= 40:
        return True
    text = re.sub(r"\s*\([^()]{1,40}\)$", "", text) or text  # "Kven kan få telefon (i og utafor arbeidstid)"
    text = re.sub(r"^[«\"“]([^«»\"”]{2,60})[»\"”]$", r"\1", text)  # "«Fellestrening»": a heading in quotes
    if _SENTENCE_INSIDE.search(text):  # "Du finner veiledningen i Visma. Velg spørsmålstegn og video"
        return False
    return (len(text) <= 90 and len(text.split()) <= 12 and not re.search(r"[.!?»\"”),;:]$", text)
            and (text[:1].isupper() or _SECTION_SIGN.match(text) is not None) or text.isupper()) and not text.endswith(":")


# a sentence ending inside a line: a word of four letters or more, a full stop, a capitalised word ("f.eks. Facebook",
# "St. Olavs" are no sentence ends)
_SENTENCE_INSIDE = re.compile(r"\b[^\W\d_][^\W\d_A-ZÆØÅ]{3,}[.!?]\s+[A-ZÆØÅ][a-zæøå]")
# "§ 2", "§ 3 Formål", "§ 4a.": a section of a regulation or a by-law, over its text
_SECTION_SIGN = re.compile(r"^§\s*\d+\s*[a-z]?\.?(?:\s+[A-ZÆØÅ]|$)")


# --- HTML --------------------------------------------------------------------------------------------------
_CHROME = re.compile(r"(^|[-_ ])(nav|navbar|menu|meny|breadcrumbs?|brødsmule|footer|bunn|header|topp|cookie|"
                     r"sidebar|share|del-|social|skip|search|søk|related|relaterte)([-_ ]|$)", re.I)


def read_html(html: str) -> list[Block]:
    """The page's main content: `<main>`, `<article>` or `role=main`, else the element holding most of
    the paragraphs, with navigation, header, footer, asides, scripts and forms removed."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template",
                     "svg", "button", "iframe"]):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        marks = " ".join([*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or "")])
        if marks.strip() and _CHROME.search(marks) and tag.name not in ("body", "main", "html"):
            tag.decompose()
    root = soup.find("main") or soup.find(None, {"role": "main"}) or soup.find("article") or _densest(soup)
    blocks: list[Block] = []
    if root is not None:
        _walk(root, blocks, 0)
    if not any(b.kind == HEADING for b in blocks) and soup.title and soup.title.string:
        blocks.insert(0, Block(HEADING, _clean(soup.title.string.split("–")[0].split("|")[0]), 1))
    return blocks


def _densest(soup: object) -> object:
    from bs4 import Tag

    best, best_count = None, 0
    for tag in soup.find_all(["div", "section", "body"]):  # type: ignore[attr-defined]
        if isinstance(tag, Tag):
            count = len(tag.find_all(["p", "li"], recursive=True))
            if count > best_count or (count == best_count and best is not None and tag in best.descendants):
                best, best_count = tag, count
    return best


def _inline(tag: object) -> str:
    """A tag's text with inline elements joined by spaces, without the space that adds before punctuation."""
    return re.sub(r" ([.,;:!?)])", r"\1", _clean(tag.get_text(" ")))  # type: ignore[attr-defined]


def _walk(node: object, blocks: list[Block], depth: int) -> None:
    from bs4 import NavigableString, Tag

    for child in node.children:  # type: ignore[attr-defined]
        if isinstance(child, NavigableString):
            text = _clean(str(child))
            if text and child.parent is not None and child.parent.name in ("div", "section", "main", "article", "body"):
                blocks.append(Block(TEXT, text))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name or ""
        if re.fullmatch(r"h[1-6]", name):
            text = _inline(child)
            if text:
                blocks.append(Block(HEADING, text, int(name[1])))
        elif name in ("p", "blockquote", "dd", "dt", "figcaption"):
            text = _inline(child)
            if text and _bold_only(child, text):  # <p><strong>Formål</strong></p>: a heading made by hand
                blocks.append(Block(HEADING, text.rstrip(":"), 3))
            elif text:
                blocks.append(Block(TEXT, text))
        elif name in ("ul", "ol"):
            for item in child.find_all("li", recursive=False):
                nested = [x.extract() for x in item.find_all(["ul", "ol"], recursive=False)]
                text = _inline(item)
                if text:
                    blocks.append(Block(ITEM, text, depth, name == "ol"))
                for sub in nested:
                    _walk_list(sub, blocks, depth + 1)
        elif name == "table":
            rows = [[_clean(c.get_text(" ")) for c in row.find_all(["td", "th"])] for row in child.find_all("tr")]
            first = child.find("tr")
            header = rows[0] if rows and isinstance(first, Tag) and first.find("th") is not None else None
            blocks.extend(Block(TEXT, text) for text in table_rows(rows[1:] if header else rows, header))
        else:
            _walk(child, blocks, depth)


def _bold_only(tag: Any, text: str) -> bool:
    bold = " ".join(_clean(b.get_text(" ")) for b in tag.find_all(["strong", "b"]))
    return bool(bold) and _clean(bold) == text and len(text.split()) <= 10 and not text.endswith(".")


def table_rows(rows: list[list[str]], header: list[str] | None) -> list[str]:
    """A table as one text a row; with a header row, each cell named by its column ("Dekkes av: Kommunen")."""
    out = []
    for cells in rows:
        if not any(cells):
            continue
        if header and len(header) == len(cells):
            out.append("; ".join(f"{name}: {cell}" for name, cell in zip(header, cells, strict=True) if cell))
        else:
            out.append(" – ".join(c for c in cells if c))
    return out


def _walk_list(list_tag: object, blocks: list[Block], depth: int) -> None:
    from bs4 import BeautifulSoup

    holder = BeautifulSoup("", "html.parser")
    wrapper = holder.new_tag("div")
    wrapper.append(list_tag)  # type: ignore[arg-type]
    _walk(wrapper, blocks, depth)


# --- Word -------------------------------------------------------------------------------------------------
def read_docx(path: Path) -> list[Block]:
    """Word's own styles say what a paragraph is: Title, Heading n, List … (or list numbering)."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a file that is not a Word document
        raise FormatError(f"{path.name}: not a readable Word (.docx) file ({exc})") from None
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        text = _clean(paragraph.text)
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        properties: Any = paragraph._p.pPr
        numbering_of: Any = getattr(properties, "numPr", None)
        numbering = numbering_of is not None
        heading = re.match(r"(?:Heading|Overskrift)\s*(\d)", style, re.I)
        if style.lower() in ("title", "tittel"):
            blocks.append(Block(HEADING, text, 0))
        elif heading:
            blocks.append(Block(HEADING, text, int(heading.group(1))))
        elif "list" in style.lower() or "liste" in style.lower() or numbering:
            level = 0
            if numbering and getattr(numbering_of, "ilvl", None) is not None:
                level = int(numbering_of.ilvl.val or 0)
            blocks.append(Block(ITEM, text, level, "number" in style.lower() or "nummer" in style.lower()))
        elif _typed_bullet(text):  # a bullet typed by hand in a plain paragraph
            bullet = _BULLET.match(text)
            assert bullet is not None
            numbered = bullet.group(2)[0].isalnum()
            blocks.append(Block(ITEM, text if numbered else _clean(bullet.group(3)), 0, numbered))
        elif _bold_heading(paragraph, text):  # a heading made by hand: a short line, bold throughout
            blocks.append(Block(HEADING, text.rstrip(":"), 1))
        else:
            blocks.append(Block(TEXT, text))
    for table in document.tables:
        rows = [[_clean(c.text) for c in row.cells] for row in table.rows]
        header = rows[0] if len(rows) > 1 and all(rows[0]) and all(len(c) <= 40 for c in rows[0]) else None
        blocks.extend(Block(TEXT, text) for text in table_rows(rows[1:] if header else rows, header))
    return blocks


def _typed_bullet(text: str) -> bool:
    bullet = _BULLET.match(text)
    return bullet is not None and (not bullet.group(2)[0].isalnum() or len(text) > 40)


def _bold_heading(paragraph: Any, text: str) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs) and len(text.split()) <= 12 and not text.endswith(".")


# --- PDF --------------------------------------------------------------------------------------------------
@dataclass
class _Line:
    text: str
    size: float
    bold: bool
    y: float


def read_pdf(path: Path) -> list[Block]:
    """Text-based PDFs: lines with their font size; the body's size is the most common one, larger or
    bold short lines are headings (level by size), a vertical gap or a bullet starts a new block."""
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [_pdf_lines(page) for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for a damaged or encrypted file
        raise FormatError(f"{path.name}: not a readable text PDF ({exc})") from None
    lines = [line for page in _without_running_lines(pages) for line in page]
    if not lines:
        raise FormatError(f"{path.name}: the PDF has no text layer (a scan?); import a text version")
    body = Counter(round(line.size) for line in lines).most_common(1)[0][0]
    sizes = sorted({round(line.size) for line in lines if round(line.size) > body}, reverse=True)
    blocks: list[Block] = []
    previous: _Line | None = None
    for line in lines:
        text = _clean(line.text)
        if not text:
            continue
        heading_size = round(line.size) > body or (line.bold and len(text.split()) <= 10 and not text.endswith("."))
        if heading_size:
            level = sizes.index(round(line.size)) if round(line.size) in sizes else len(sizes)
            number = _NUMBERED_HEADING.match(text)
            if number:
                level = _heading_level(number.group(1))
            if blocks and blocks[-1].kind == HEADING and previous is not None and previous.size == line.size \
                    and abs(previous.y - line.y) < line.size * 1.6:
                blocks[-1] = Block(HEADING, blocks[-1].text + " " + text, blocks[-1].level)
            else:
                blocks.append(Block(HEADING, text, level))
        else:
            bullet = _BULLET.match(text)
            gap = previous is None or abs(previous.y - line.y) > line.size * 1.75 or round(previous.size) != body
            # a sentence that runs on over a gap (a page break) goes on in lower case
            continues = blocks and blocks[-1].kind in (TEXT, ITEM) and not bullet \
                and not re.search(r"[.!?:]$", blocks[-1].text) and (not gap or text[:1].islower())
            if continues:
                last = blocks[-1]
                joined = last.text[:-1] + text if last.text.endswith("-") and text[:1].islower() else last.text + " " + text
                blocks[-1] = Block(last.kind, joined, last.level, last.numbered)
            elif bullet:
                blocks.append(Block(ITEM, _clean(bullet.group(3)), 0, bullet.group(2)[0].isalnum()))
            else:
                blocks.append(Block(TEXT, text))
        previous = line
    return blocks


_PAGE_NUMBER = re.compile(r"^(side|page|s\.)?\s*\d{1,3}(\s*(av|of|/)\s*\d{1,3})?$", re.I)


def _without_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drops page numbers, and a header or footer that repeats on most pages (the title, a date, a logo's
    text): it belongs to the layout, not to any section."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", _clean(line.text).lower())

    counts = Counter(k for page in pages for k in {key(line) for line in page})
    sizes = sorted(line.size for page in pages for line in page)
    middle = sizes[len(sizes) // 2] if sizes else 0.0
    small = {key(line) for page in pages for line in page if line.size < middle}
    # on most of three or more pages; on both of two pages only in a small font (a header, not a heading)
    running = {k for k, n in counts.items() if (len(pages) >= 3 and n >= max(3, len(pages) * 0.6))
               or (len(pages) == 2 and n == 2 and k in small)}
    # on the first page, a repeated line in a large font is the title itself
    return [[line for line in page if (key(line) not in running or (number == 0 and line.size > middle))
             and not _PAGE_NUMBER.match(_clean(line.text))] for number, page in enumerate(pages)]


def _pdf_lines(page: object) -> list[_Line]:
    fragments: list[tuple[float, float, float, str, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        scale = abs(tm[3] * cm[3]) or 1.0
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        fragments.append((round(tm[5] * cm[3] + cm[5], 1), tm[4] * cm[0] + cm[4], size * scale, text,
                          "bold" in name.lower()))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    lines: list[_Line] = []
    for y, _x, size, text, bold in fragments:
        if lines and abs(lines[-1].y - y) < 1.0:
            lines[-1].text += text
            continue
        lines.append(_Line(text.replace("\n", " "), size, bold, y))
    return lines
