"""The command line as a user runs it: a real process, real stdin and stdout."""
from __future__ import annotations

import json
import subprocess
import sys

import yaml

from guidebot.bot.knowledge import parse_guideline
from conftest import ROOT, SOURCE


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guidebot.adapters", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_ask_prints_the_quote_and_where_it_comes_from():
    result = run("ask", "kan jeg legge ut bilde av barn?")
    assert result.returncode == 0
    assert "skriftlig tillatelse fra foreldre" in result.stdout
    assert "Bilder og video" in result.stdout and "versjon" in result.stdout


def test_ask_in_english_marks_the_translation_as_unofficial():
    result = run("ask", "can I post a photo of kids?")
    assert "Unofficial English translation" in result.stdout
    assert "written permission from parents" in result.stdout


def test_ask_json_gives_one_object_with_the_contract_fields():
    result = run("ask", "--json", "kan jeg legge ut bilde av barn?")
    obj = json.loads(result.stdout)
    assert set(obj) == {"question", "lang", "outcome", "answered", "confidence", "passages"}
    assert obj["outcome"] == "answer" and obj["answered"] is True
    assert obj["answered"] is True and obj["lang"] == "nb"
    assert 1 <= len(obj["passages"]) <= 5
    assert set(obj["passages"][0]) == {"id", "section", "title", "text", "translation", "score", "document"}
    assert obj["passages"][0]["document"] == {"id": "veileder-sosiale-medier",
                                              "title": "Veileder for bruk av sosiale medier i Lørenskog kommune",
                                              "version": "1.0"}
    assert obj["passages"][0]["text"] == "Vi skal alltid innhente skriftlig tillatelse fra foreldre før vi fotograferer barn."


def test_ask_json_from_stdin_answers_one_line_per_question_in_order():
    questions = ["What's for lunch today?", "kan jeg legge ut bilde av barn?", "who speaks for us in a crisis?"]
    result = run("ask", "--json", stdin="\n".join(questions) + "\n")
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["question"] for o in objects] == questions
    assert [o["answered"] for o in objects] == [False, True, True]
    assert objects[0]["passages"], "passages are present even when the bot declines"


def test_eval_prints_the_figures_per_language():
    result = run("eval", "tests/eval/questions.yaml")
    assert result.returncode == 0
    header, *rows = result.stdout.strip().splitlines()
    assert "hit@1" in header and "MRR@5" in header
    assert {row.split()[0] for row in rows} == {"nb", "en", "all"}


def test_import_turns_the_shared_text_into_a_valid_draft(tmp_path):
    out = tmp_path / "draft.yaml"
    result = run("knowledge", "import", str(SOURCE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    document, passages = parse_guideline(out.read_text(encoding="utf-8"), str(out))
    sections = {p.section_path for p in passages}
    assert "Retningslinjer for bruk av sosiale medier - privat og på jobb" in sections
    rules = [p for p in passages if p.text.startswith(("1. ", "8. "))]
    assert len(rules) == 2, "each numbered rule is its own passage"
    assert any(p.text == "Vi skal alltid innhente skriftlig tillatelse fra foreldre før vi fotograferer barn." for p in passages)
    assert all(p.translation == "" for p in passages), "translations are left for a person"
    assert not any("screenshot" in p.text.lower() for p in passages)
    assert "Innhold" not in {p.section[0] for p in passages}
    raw = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert raw["document"]["source"] == SOURCE.name


def test_a_broken_knowledge_directory_is_reported_with_file_and_line(tmp_path):
    (tmp_path / "guideline.yaml").write_text("document:\n  id: x\npassages: [\n", encoding="utf-8")
    result = run("--knowledge", str(tmp_path), "ask", "hei")
    assert result.returncode == 1
    assert "guideline.yaml, line" in result.stderr and "Traceback" not in result.stderr


def test_chat_answers_each_line_and_quits_at_end_of_input():
    result = run("chat", stdin="kan jeg legge ut bilde av barn?\nhjelp\nWhat's for lunch today?\n")
    assert result.returncode == 0
    assert "skriftlig tillatelse fra foreldre" in result.stdout
    assert "Prøv for eksempel" in result.stdout  # help
    assert "does not cover this" in result.stdout


def test_version_and_global_options_after_the_subcommand():
    assert run("--version").stdout.startswith("guidebot ")
    result = run("ask", "--knowledge", str(ROOT / "knowledge"), "--json", "kan jeg legge ut bilde av barn?")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "answer"
