"""Scenarios: an employee asks, the bot quotes the guideline, or says it does not cover the question."""
from __future__ import annotations

from guidebot.bot.answers import MAX_QUESTION_CHARS


def test_employee_asking_in_norwegian_about_photos_of_children_gets_the_parental_permission_rule(engine, guideline):
    answer = engine.answer("kan jeg legge ut bilde av barn?")
    assert answer.answered and answer.lang == "nb"
    assert answer.best.text == guideline.passage("bilder-barn").text
    assert answer.best.section == "Bilder og video - etiske kjøreregler"
    assert answer.version == guideline.document.version


def test_employee_asking_in_english_gets_the_norwegian_original_and_the_translation(engine, guideline):
    answer = engine.answer("can I post a photo of kids?")
    assert answer.answered and answer.lang == "en"
    assert "skriftlig tillatelse fra foreldre" in answer.best.text
    assert answer.best.translation == guideline.passage("bilder-barn").translation


def test_new_official_page_question_quotes_the_duty_to_inform_the_communications_chief(engine):
    answer = engine.answer("Do I need approval before opening an official Facebook page?")
    assert answer.answered
    assert "informere kommunikasjonssjef" in answer.best.text


def test_related_passages_are_at_most_two_and_differ_from_the_quote(engine):
    answer = engine.answer("hvilke regler gjelder for bilder og video")
    assert answer.answered
    assert len(answer.related) <= 2
    assert answer.best.id not in {p.id for p in answer.related}


def test_lunch_and_passwords_are_declined_not_answered_with_the_least_bad_passage(engine):
    for question in ("What's for lunch today?", "how do I reset my password?", "hvor mange feriedager har jeg"):
        answer = engine.answer(question)
        assert not answer.answered, question
        assert answer.reason == "not_covered"
        assert answer.passages == ()
        assert answer.contact  # the decline names who to ask


def test_a_question_with_no_words_gets_the_empty_reason(engine):
    answer = engine.answer("?? !!")
    assert not answer.answered and answer.reason == "empty"


def test_a_very_long_question_is_politely_refused(engine):
    answer = engine.answer("bilde " * (MAX_QUESTION_CHARS // 3))
    assert not answer.answered and answer.reason == "too_long"


def test_the_declined_answer_still_lists_candidates_for_the_json_contract(engine):
    answer = engine.answer("hva er det til lunsj")
    assert not answer.answered
    assert len(answer.candidates) == 5


def test_quality_on_the_evaluation_set_meets_the_bar(engine):
    """hit@1 ≥ 0.90, hit@3 ≥ 0.97 per language; ≥ 90 % out-of-scope declined; ≤ 5 % in-scope declined."""
    from pathlib import Path

    from guidebot.bot.evaluation import evaluate, load_cases

    scores, _ = evaluate(engine, load_cases(Path(__file__).parent / "eval" / "questions.yaml"))
    for lang in ("nb", "en"):
        figures = scores[lang].figures()
        assert figures["hit@1"] >= 0.90, (lang, figures)
        assert figures["hit@3"] >= 0.97, (lang, figures)
        assert figures["in_scope_declined"] <= 0.05, (lang, figures)
    assert scores["all"].figures()["out_of_scope_declined"] >= 0.90
