"""The /new-channel checklist in Slack: modal, validation, submission, chief notified, acknowledged."""
from __future__ import annotations

import json

from conftest import slack_env, start_service, stop_service
from slack_fakes import block_action, command_body, interaction_body
from test_slack import all_text, send_form


def view_submission(values: dict, user: str = "UEMPLOYEE", lang: str = "nb") -> dict:
    return {"type": "view_submission", "team": {"id": "T1"}, "api_app_id": "A1", "token": "x",
            "user": {"id": user, "username": "kari", "name": "kari"}, "trigger_id": "trig-5",
            "view": {"id": "V1", "type": "modal", "callback_id": "new_channel", "private_metadata": json.dumps({"lang": lang}),
                     "state": {"values": values}, "hash": "h"}}


def filled(**overrides) -> dict:
    text = lambda v: {"value": {"type": "plain_text_input", "value": v}}  # noqa: E731
    values = {
        "platform": {"value": {"type": "static_select", "selected_option": {"value": "Instagram"}}},
        "name": text("Lørenskog bibliotek"), "unit": text("Biblioteket"),
        "goal": text("Synlighet for arrangementer og dialog med lånere"),
        "target_group": text("Unge voksne i Lørenskog"),
        "editor": {"value": {"type": "users_select", "selected_user": "UEDITOR"}},
        "main_responsible": {"value": {"type": "users_select", "selected_user": "UMAIN"}},
        "marketing_plan": text("Plakater i biblioteket og lenke fra nettsidene"),
        "resources": text("To timer i uken, moderering av kommentarer"),
        "measurement": text("Følgere, delinger og kommentarer hver måned"),
    }
    for item in ("confirm_leader", "confirm_official", "confirm_web_first", "confirm_photo_rules"):
        values[item] = {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}}
    values.update(overrides)
    return values


async def submit(service, values: dict, user: str = "UEMPLOYEE", lang: str = "nb") -> tuple[int, str]:
    return await send_form(service, interaction_body(view_submission(values, user, lang)))


async def test_new_channel_opens_the_guideline_checklist_as_a_modal(slack_service, fake_slack):
    status, _ = await send_form(slack_service, command_body("/new-channel", "", fake_slack.url + "/response/9"))
    assert status == 200
    [opened] = await fake_slack.wait_for("views.open")
    assert opened.args["trigger_id"] == "trig-123"
    view = opened.args["view"]
    block_ids = [b.get("block_id") for b in view["blocks"] if b["type"] == "input"]
    for item in ("platform", "name", "unit", "goal", "target_group", "editor", "main_responsible", "marketing_plan",
                 "resources", "measurement", "confirm_leader"):
        assert item in block_ids
    assert {b["element"]["type"] for b in view["blocks"] if b["type"] == "input"} >= {"users_select", "checkboxes",
                                                                                       "static_select"}
    platforms = next(b for b in view["blocks"] if b.get("block_id") == "platform")["element"]["options"]
    assert [o["value"] for o in platforms][:5] == ["Facebook", "Instagram", "YouTube", "LinkedIn", "X/Twitter"]


async def test_invalid_answers_come_back_as_inline_errors_and_nothing_is_stored(slack_service, fake_slack):
    values = filled(goal={"value": {"type": "plain_text_input", "value": "kort"}},
                    confirm_leader={"value": {"type": "checkboxes", "selected_options": []}})
    values.pop("editor")
    status, body = await submit(slack_service, values, lang="en")
    assert status == 200
    response = json.loads(body)
    assert response["response_action"] == "errors"
    assert set(response["errors"]) == {"goal", "confirm_leader", "editor"}
    assert "at least 10" in response["errors"]["goal"]
    assert await slack_service.bot.store.list_requests() == []


async def test_the_whole_flow_reaches_the_chief_and_back_to_the_requester(slack_service, fake_slack):
    status, body = await submit(slack_service, filled())
    assert status == 200 and body == ""  # the modal closes
    [request] = await slack_service.bot.store.list_requests()
    assert request["answers"]["editor"] == "UEDITOR" and request["answers"]["platform"] == "Instagram"

    # the chief gets a DM with the summary and an Acknowledge button; the comms channel a copy; the requester a receipt
    opened = await fake_slack.wait_for("conversations.open", count=2)
    assert {c.args["users"] for c in opened} == {"U0CHIEF", "UEMPLOYEE"}
    posts = await fake_slack.wait_for("chat.postMessage", count=3)
    by_channel = {p.args["channel"]: p for p in posts}
    chief = by_channel["DU0CHIEF"]
    chief_text = all_text(chief.args["blocks"])
    assert "NK-0001" in chief_text and "Lørenskog bibliotek" in chief_text and "<@UEDITOR>" in chief_text
    assert "<@UEMPLOYEE>" in chief_text and "acknowledge_request" in chief_text
    assert "CCOMMS" in by_channel
    assert "NK-0001" in by_channel["DUEMPLOYEE"].args["text"]

    refreshed = await slack_service.bot.store.get_request(request["id"])
    assert refreshed["status"] == "chief_notified"

    # someone else cannot acknowledge
    await send_form(slack_service, interaction_body(block_action("acknowledge_request", str(request["id"]),
                                                                 user="UEMPLOYEE", channel="DU0CHIEF")))
    [refused] = await fake_slack.wait_for("chat.postEphemeral")
    assert "Bare kommunikasjonssjefen" in refused.args["text"]

    # the chief acknowledges: the message is updated and the requester is told
    await send_form(slack_service, interaction_body(block_action("acknowledge_request", str(request["id"]),
                                                                 user="U0CHIEF", channel="DU0CHIEF",
                                                                 message_ts=chief.args.get("ts", "1.1"))))
    [update] = await fake_slack.wait_for("chat.update")
    assert update.args["channel"] == "DU0CHIEF" and "Bekreftet av" in all_text(update.args["blocks"])
    assert "acknowledge_request" not in all_text(update.args["blocks"])
    posts = await fake_slack.wait_for("chat.postMessage", count=4)
    assert "bekreftet" in posts[-1].args["text"] and posts[-1].args["channel"] == "DUEMPLOYEE"
    done = await slack_service.bot.store.get_request(request["id"])
    assert done["status"] == "acknowledged" and done["acknowledged_at"]
    history = [h["status"] for h in await slack_service.bot.store.request_history_of(request["id"])]
    assert history == ["submitted", "chief_notified", "acknowledged"]


async def test_status_lists_my_requests_and_the_chief_sees_all_open_ones(slack_service, fake_slack):
    await submit(slack_service, filled())
    await submit(slack_service, filled(name={"value": {"type": "plain_text_input", "value": "Ungdomsklubben"}}),
                 user="UOTHER")
    await send_form(slack_service, command_body("/new-channel", "status", fake_slack.url + "/response/s1"))
    [mine] = await fake_slack.wait_for("response_url")
    assert "Lørenskog bibliotek" in all_text(mine.args["blocks"]) and "Ungdomsklubben" not in all_text(mine.args["blocks"])
    await send_form(slack_service, command_body("/new-channel", "status", fake_slack.url + "/response/s2", user="U0CHIEF"))
    replies = await fake_slack.wait_for("response_url", count=2)
    everyone = all_text(replies[1].args["blocks"])
    assert "Lørenskog bibliotek" in everyone and "Ungdomsklubben" in everyone


async def test_requests_survive_a_restart(fake_slack, sqlite_url):
    service = await start_service(slack_env(fake_slack), db_url=sqlite_url)
    await submit(service, filled())
    await stop_service(service)
    again = await start_service(slack_env(fake_slack), db_url=sqlite_url)
    try:
        [request] = await again.bot.store.list_requests()
        assert request["answers"]["name"] == "Lørenskog bibliotek"
    finally:
        await stop_service(again)


async def test_without_a_comms_chief_the_request_is_kept_and_the_requester_told(fake_slack, sqlite_url):
    service = await start_service(slack_env(fake_slack), settings_yaml="organisation: X\n", db_url=sqlite_url)
    try:
        await submit(service, filled())
        [receipt] = await fake_slack.wait_for("chat.postMessage")
        assert "kan ikke nå kommunikasjonssjefen" in receipt.args["text"]
        pending = await service.bot.store.notices("new_channel_request")
        assert pending and pending[0]["status"] == "pending" and "comms_chief" in pending[0]["last_error"]
    finally:
        await stop_service(service)
