"""The new-channel checklist in Teams: card form, validation, proactive notice to the chief, acknowledgement."""
from __future__ import annotations

import json

from conftest import start_service, stop_service
from teams_fakes import activity, card_of
from test_teams import post_activity, texts

CHIEF = dict(user="29:chief", aad="aad-chief", name="Kommunikasjonssjefen", conversation="a:personal-chief")


def answers(**overrides) -> dict:
    values = {"platform": "Facebook", "name": "Biblioteket på Facebook", "unit": "Biblioteket",
              "goal": "Informere om arrangementer og åpningstider", "target_group": "Familier og unge voksne",
              "editor": "aad-editor", "main_responsible": "aad-main",
              "marketing_plan": "Plakater i biblioteket og lenke fra nettsidene",
              "resources": "Tre timer i uken", "measurement": "Følgere og kommentarer månedlig",
              "confirm_leader": "true", "confirm_official": "true", "confirm_web_first": "true",
              "confirm_photo_rules": "true"}
    values.update(overrides)
    return values


async def wait_until(service, predicate, timeout: float = 10.0) -> dict:
    """The chief's notice once `predicate` holds for it (the outbox works in the background)."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [notice] = await service.bot.store.notices("new_channel_request")
        if predicate(notice):
            return notice
        await asyncio.sleep(0.05)
    raise AssertionError(f"notice never reached the expected state: {notice}")


async def test_new_channel_sends_the_checklist_as_an_adaptive_card(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, text="new-channel"))
    [reply] = await fake_connector.wait_for()
    card = card_of(reply)
    ids = [element.get("id") for element in card["body"]]
    for item in ("platform", "name", "unit", "goal", "target_group", "editor", "main_responsible", "marketing_plan",
                 "resources", "measurement", "confirm_leader"):
        assert item in ids
    editor = next(e for e in card["body"] if e.get("id") == "editor")
    assert editor["choices.data"]["dataset"] == "graph.microsoft.com/users"  # a people picker
    assert card["version"] == "1.6"  # the schema version that has choices.data (1.4 cards with it are invalid)
    assert card["actions"][0]["data"]["guidebot"] == "new_channel_submit"


async def test_a_form_with_errors_comes_back_with_the_answers_kept(teams_service, fake_connector):
    value = {**answers(goal="kort", confirm_leader="false"), "guidebot": "new_channel_submit", "lang": "en"}
    value.pop("editor")
    await post_activity(teams_service, activity(fake_connector.url, value=value))
    [reply] = await fake_connector.wait_for()
    card = texts(card_of(reply))
    assert "at least 10" in card and "Must be confirmed" in card and "Required." in card
    assert "Biblioteket på Facebook" in card  # kept
    assert await teams_service.bot.store.list_requests() == []


async def test_the_whole_flow_in_teams_with_a_proactive_notice_to_the_chief(teams_service, fake_connector):
    # the chief has talked to the bot once, so the bot knows how to reach the chief
    await post_activity(teams_service, activity(fake_connector.url, text="hei", **CHIEF))
    await fake_connector.wait_for(1)
    value = {**answers(), "guidebot": "new_channel_submit", "lang": "nb"}
    await post_activity(teams_service, activity(fake_connector.url, value=value))
    [request] = await teams_service.bot.store.list_requests()

    posted = await fake_connector.wait_for(3)  # hei-answer, chief's card, requester's receipt
    # proactive messages: the SDK posts them as replies to a fresh continuation id, in the stored conversation
    [chief_notice] = [p for p in posted if p.conversation == "a:personal-chief" and "NK-0001" in json.dumps(p.activity)]
    chief_card = card_of(chief_notice)
    assert "Biblioteket på Facebook" in texts(chief_card)
    assert chief_card["actions"][0]["data"] == {"guidebot": "acknowledge", "request_id": request["id"]}
    [receipt] = [p for p in posted if p.conversation == "a:personal-employee"]
    assert "NK-0001" in receipt.activity["text"]

    # an employee cannot acknowledge
    await post_activity(teams_service, activity(fake_connector.url, value=chief_card["actions"][0]["data"]))
    posted = await fake_connector.wait_for(4)
    assert "Bare kommunikasjonssjefen" in posted[-1].activity["text"]

    # the chief acknowledges on the card: the card is updated and the requester told
    await post_activity(teams_service, activity(fake_connector.url, value=chief_card["actions"][0]["data"],
                                                reply_to="chief-card-1", **CHIEF))
    posted = await fake_connector.wait_for(6)
    update = next(p for p in posted if p.verb == "update")
    assert update.conversation == "a:personal-chief" and update.reply_to == "chief-card-1"
    assert "Bekreftet av Kommunikasjonssjefen" in texts(card_of(update))
    told = [p for p in posted if p.verb != "update" and p.conversation == "a:personal-employee"]
    assert "bekreftet" in told[-1].activity["text"]
    assert (await teams_service.bot.store.get_request(request["id"]))["status"] == "acknowledged"


async def test_a_request_from_teams_reaches_the_same_chief_in_slack(teams_service, fake_connector, fake_slack):
    await post_activity(teams_service, activity(fake_connector.url, value={**answers(), "guidebot": "new_channel_submit"}))
    opened = await fake_slack.wait_for("conversations.open")
    assert opened[0].args["users"] == "U0CHIEF"
    posts = await fake_slack.wait_for("chat.postMessage")  # the chief's DM (the comms channel's copy may follow)
    [post] = [p for p in posts if p.args["channel"] == "DU0CHIEF"]
    assert "Biblioteket på Facebook" in json.dumps(post.args["blocks"], ensure_ascii=False)
    assert "Kari Nordmann" in json.dumps(post.args["blocks"], ensure_ascii=False)


async def test_an_unreachable_chief_keeps_the_notice_pending_and_the_requester_is_told(fake_connector, sqlite_url):
    settings = "comms_chief: {teams: aad-chief}\ncomms_team: {teams: [aad-chief]}\n"
    service = await start_service({"GUIDEBOT_TEAMS_LOCAL": "1"}, settings_yaml=settings, db_url=sqlite_url)
    try:
        await post_activity(service, activity(fake_connector.url, value={**answers(), "guidebot": "new_channel_submit"}))
        [receipt] = await fake_connector.wait_for(1)
        assert "kan ikke nå kommunikasjonssjefen" in receipt.activity["text"]
        notice = await wait_until(service, lambda n: n["last_error"] is not None)
        assert notice["status"] in ("pending", "sending") and "cannot reach" in notice["last_error"]
        assert notice["sent_at"] is None
        # the chief says hello to the bot: the pending notice goes out on its next retry
        await post_activity(service, activity(fake_connector.url, text="hei", **CHIEF))
        posted = await fake_connector.wait_for(3, timeout=15)
        assert any(p.conversation == "a:personal-chief" and "NK-0001" in json.dumps(p.activity) for p in posted)
        assert (await wait_until(service, lambda n: n["status"] == "sent"))["attempts"] >= 2
    finally:
        await stop_service(service)


async def test_status_in_teams_lists_my_requests_and_the_chief_sees_all(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, value={**answers(), "guidebot": "new_channel_submit"}))
    await post_activity(teams_service, activity(fake_connector.url, value={**answers(name="Ungdomsklubben"),
                                                                            "guidebot": "new_channel_submit"},
                                                user="29:other", aad="aad-other", conversation="a:personal-other"))
    await post_activity(teams_service, activity(fake_connector.url, text="new-channel status"))
    await post_activity(teams_service, activity(fake_connector.url, text="new-channel status", **CHIEF))
    posted = await fake_connector.wait_for(6)
    mine = next(p for p in posted if p.conversation == "a:personal-employee" and "forespørsler" in str(p.activity.get("text")))
    assert "Biblioteket på Facebook" in mine.activity["text"] and "Ungdomsklubben" not in mine.activity["text"]
    everyone = next(p for p in posted
                    if p.conversation == "a:personal-chief" and "Åpne forespørsler" in str(p.activity.get("text")))
    assert "Biblioteket på Facebook" in everyone.activity["text"] and "Ungdomsklubben" in everyone.activity["text"]


async def test_guideline_admin_in_teams_is_for_the_comms_team_only(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, text="guideline-admin history"))
    await post_activity(teams_service, activity(fake_connector.url, text="guideline-admin history", **CHIEF))
    posted = await fake_connector.wait_for(2)
    refused, history = texts(card_of(posted[0])), texts(card_of(posted[1]))
    assert "Bare kommunikasjonsteamet" in refused
    assert "#1" in history and "seed" in history


async def test_a_second_click_on_the_same_card_creates_nothing_and_the_card_closes(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, text="new-channel"))
    [form] = await fake_connector.wait_for(1)
    submit_data = card_of(form)["actions"][0]["data"]
    value = {**answers(), **submit_data}
    for _ in range(2):  # a double click, or the card clicked again later
        await post_activity(teams_service, activity(fake_connector.url, value=value, reply_to="form-card-1"))
    assert len(await teams_service.bot.store.list_requests()) == 1
    posted = await fake_connector.wait_for(4)
    closed = next(p for p in posted if p.verb == "update")
    assert closed.reply_to == "form-card-1" and "NK-0001" in texts(card_of(closed))
    assert "actions" not in card_of(closed)
    assert any("allerede sendt" in str(p.activity.get("text")) for p in posted)
    chief_notices = [n for n in await teams_service.bot.store.notices("new_channel_request")]
    assert len({n["payload"]["request_id"] for n in chief_notices}) == 1


async def test_every_required_input_of_the_card_has_a_label_and_an_error_message(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, text="new-channel"))
    [reply] = await fake_connector.wait_for()
    inputs = [e for e in card_of(reply)["body"] if e.get("type", "").startswith("Input.")]
    assert inputs and all(e.get("label") for e in inputs)
    required = [e for e in inputs if e.get("isRequired")]
    assert required and all(e.get("errorMessage") in ("Må fylles ut.", "Må bekreftes før du sender.") for e in required)


async def test_the_chief_reads_the_names_of_the_people_picked_not_their_ids(teams_service, fake_connector):
    fake_connector.people["aad-editor"] = "Ola Redaktør"
    await post_activity(teams_service, activity(fake_connector.url, text="hei", **CHIEF))
    await fake_connector.wait_for(1)
    await post_activity(teams_service, activity(fake_connector.url, value={**answers(), "guidebot": "new_channel_submit"}))
    posted = await fake_connector.wait_for(3)
    [notice] = [p for p in posted if p.conversation == "a:personal-chief" and "NK-0001" in json.dumps(p.activity)]
    facts = {f["title"]: f["value"] for block in card_of(notice)["body"] if block["type"] == "FactSet"
             for f in block["facts"]}
    assert "Ola Redaktør" in facts.values() and "aad-editor" not in facts.values()
    assert "aad-main" in facts.values(), "a person the roster does not know keeps the id rather than nothing"
