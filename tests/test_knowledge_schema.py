"""A broken knowledge file is reported with its file, line and field, so the comms team can fix it."""
from __future__ import annotations

import pytest

from guidebot.bot.knowledge import KnowledgeError, KnowledgeFiles, parse_guideline

VALID = """\
document:
  id: test
  title: Testveileder
  organisation: Testkommune
  language: nb
  version: "2"
  effective: "2026-01-01"
  owner: Kommunikasjon
  source: test.txt
passages:
  - id: barn
    section: [Bilder]
    title: Barn
    text: Vi skal alltid innhente skriftlig tillatelse fra foreldre før vi fotograferer barn.
  - id: samtykke
    section: [Bilder]
    title: Samtykke
    text: Personer som avbildes skal alltid spørres om samtykke.
"""


def test_a_valid_file_loads_with_its_passages_in_order():
    document, passages = parse_guideline(VALID, "ok.yaml")
    assert document.version == "2"
    assert [p.id for p in passages] == ["barn", "samtykke"]


def test_a_passage_without_text_is_reported_with_line_and_field():
    broken = VALID.replace("    text: Personer som avbildes skal alltid spørres om samtykke.\n", "")
    with pytest.raises(KnowledgeError) as error:
        parse_guideline(broken, "knowledge/guideline.yaml")
    assert error.value.field == "passages[1].text"
    assert error.value.line == 15  # the line where that passage starts
    assert "knowledge/guideline.yaml, line 15, field 'passages[1].text'" in str(error.value)


def test_a_missing_document_version_is_named():
    broken = VALID.replace('  version: "2"\n', "")
    with pytest.raises(KnowledgeError) as error:
        parse_guideline(broken, "g.yaml")
    assert error.value.field == "document.version"


def test_a_duplicate_id_is_reported_at_its_second_use():
    broken = VALID.replace("  - id: samtykke", "  - id: barn")
    with pytest.raises(KnowledgeError) as error:
        parse_guideline(broken, "g.yaml")
    assert error.value.line == 15
    assert "duplicate id 'barn'" in str(error.value) and "line 11" in str(error.value)


def test_broken_yaml_is_reported_with_the_line_where_it_breaks():
    broken = VALID.replace("    title: Samtykke", "    title: [Samtykke")
    with pytest.raises(KnowledgeError) as error:
        parse_guideline(broken, "g.yaml")
    assert error.value.line is not None and 18 <= error.value.line <= 20
    assert "not valid YAML" in str(error.value)


def test_a_section_that_is_not_a_list_of_headings_is_refused():
    broken = VALID.replace("    section: [Bilder]\n    title: Samtykke", "    section: 42\n    title: Samtykke")
    with pytest.raises(KnowledgeError) as error:
        parse_guideline(broken, "g.yaml")
    assert error.value.field == "passages[1].section"


def test_a_checklist_item_pointing_at_an_unknown_passage_is_refused():
    checklist = "items:\n  - {id: goal, kind: textarea, label: {nb: Mål}, passage: finnes-ikke}\n"
    with pytest.raises(KnowledgeError) as error:
        KnowledgeFiles(guideline=VALID, checklist=checklist).build("draft")
    assert "finnes-ikke" in str(error.value) and error.value.file == "draft/checklist.yaml"


def test_a_glossary_entry_needs_both_languages():
    with pytest.raises(KnowledgeError) as error:
        KnowledgeFiles(guideline=VALID, glossary="terms:\n  - {en: [kids]}\n").build("k")
    assert error.value.field == "terms[0]" and error.value.file == "k/glossary.yaml"


def test_the_bundled_knowledge_loads(guideline):
    assert guideline.document.organisation == "Lørenskog kommune"
    assert len(guideline.passages) > 60
    assert guideline.checklist["items"], "the /new-channel checklist comes from knowledge/"


def test_a_glossary_word_yaml_reads_as_true_or_false_is_refused_with_its_line():
    """Unquoted, the Norwegian "true" (threaten) and the English "yes" become True: the bot silently looked
    for the word "True". The file is refused at the line, with the fix."""
    glossary = "terms:\n  - {en: [kids], nb: [barn]}\n  - {en: [threaten], nb: [true, truet]}\n"
    with pytest.raises(KnowledgeError) as error:
        KnowledgeFiles(guideline=VALID, glossary=glossary).build("k")
    assert error.value.field == "terms[1].nb" and error.value.line == 3 and "quotes" in str(error.value)
    quoted = KnowledgeFiles(guideline=VALID, glossary=glossary.replace("[true,", '["true",')).build("k")
    assert ("true", "truet") in [entry.nb for entry in quoted.glossary]
