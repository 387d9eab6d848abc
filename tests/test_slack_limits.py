"""Nothing cut without a word in Slack: a long quote, the chief's notice with long answers, a long list of
requests, the modal's title and a publish button with a long Norwegian note all reach the person whole,
or say what is left out."""
from __future__ import annotations

import json

import yaml

from conftest import ROOT, slack_env, start_service, stop_service
from guidebot.adapters.slack import render
from guidebot.bot.checklist import ChecklistForm
from guidebot.bot.knowledge import KnowledgeFiles, read_directory
from slack_fakes import command_body
from test_slack import all_text, dm_event, send_event, send_form
from test_slack_new_channel import filled, submit

ENDING = "Unntak: dette gjelder ikke ved nødsituasjoner."


def sections_fit(blocks: list[dict]) -> bool:
    return len(blocks) <= 50 and all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")


def with_a_long_passage() -> KnowledgeFiles:
    files = read_directory(ROOT / "knowledge")
    data = yaml.safe_load(files.guideline)
    long_text = " ".join(f"Arkivering av innlegg nummer {n} skal skje i sak- og arkivsystemet innen en uke etter "
                         f"publisering, med dato og kanal." for n in range(1, 45)) + " " + ENDING
    assert len(long_text) > 4000
    data["passages"].append({"id": "arkivering-lang", "section": ["Arkivering"], "title": "Arkivering av innlegg",
                             "text": long_text})
    return KnowledgeFiles(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), files.glossary, files.checklist)


async def test_a_long_passage_reaches_slack_whole_over_several_sections(fake_slack, sqlite_url):
    service = await start_service(slack_env(fake_slack), db_url=sqlite_url, knowledge=with_a_long_passage())
    try:
        await send_event(service, dm_event("hvordan skal arkivering av innlegg skje i arkivsystemet?"), "EvLong")
        [post] = await fake_slack.wait_for("chat.postMessage")
        blocks = post.args["blocks"]
        assert ENDING in all_text(blocks) and sections_fit(blocks)
        assert sum("Arkivering av innlegg nummer" in b.get("text", {}).get("text", "") for b in blocks) >= 2
    finally:
        await stop_service(service)


async def test_the_chiefs_notice_carries_every_answer_however_long(slack_service, fake_slack):
    text = lambda v: {"value": {"type": "plain_text_input", "value": v}}  # noqa: E731
    long = {item: text(f"{item} " + "svært utførlig beskrivelse " * 70 + f"slutt-{item}")
            for item in ("goal", "target_group", "marketing_plan", "resources", "measurement")}
    await submit(slack_service, filled(**long))
    posts = await fake_slack.wait_for("chat.postMessage", count=3)
    chief = next(p for p in posts if p.args["channel"] == "DU0CHIEF")
    shown = all_text(chief.args["blocks"])
    assert all(f"slutt-{item}" in shown for item in long) and sections_fit(chief.args["blocks"])
    assert "<@UEDITOR>" in shown and "<@UMAIN>" in shown and "acknowledge_request" in shown


async def test_the_chiefs_status_list_says_how_many_it_does_not_show(slack_service, fake_slack):
    for n in range(55):
        await submit(slack_service, filled(name={"value": {"type": "plain_text_input", "value": f"Kanal {n}"}}),
                     user=f"U{n}")
    await send_form(slack_service, command_body("/new-channel", "status", fake_slack.url + "/response/s9", user="U0CHIEF"))
    [reply] = await fake_slack.wait_for("response_url")
    shown = all_text(reply.args["blocks"])
    assert "Kanal 54" in shown and "og 5 til" in shown and sections_fit(reply.args["blocks"])


def test_the_modal_title_is_cut_at_a_word_and_a_publish_button_fits_a_long_note(guideline):
    title = render.checklist_modal(ChecklistForm.from_knowledge(guideline.checklist), "nb")["title"]["text"]
    assert len(title) <= 24 and (title.endswith("…") or len(title) < 24)
    assert not title.rstrip("…").endswith(("sos", "kan", "ny offisiell kanal i"))

    class Preview:
        text, confirm, note = "diff", "abc123", "Endringer i reglene for bilder av barn og unge på Facebook. " * 60 + "æøå" * 200

    [_, actions] = render.admin_blocks(Preview())
    value = actions["elements"][0]["value"]
    assert len(value) <= 2000 and json.loads(value)["checksum"] == "abc123"
    assert json.loads(value)["note"].startswith("Endringer i reglene")
