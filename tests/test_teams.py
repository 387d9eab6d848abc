"""Teams scenarios: real Activity JSON posted to /api/messages; replies land at a stand-in Bot Connector."""
from __future__ import annotations

import asyncio

import base64
import json

from conftest import Service, slack_env, start_service, stop_service
from teams_fakes import activity, card_of, mention_in_channel


async def post_activity(service: Service, body: dict | str, headers: dict | None = None) -> int:
    data = body if isinstance(body, str) else json.dumps(body)
    response = await service.post("/api/messages", data, headers or {"Content-Type": "application/json"})
    return response.status


def texts(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


async def test_employee_asking_in_personal_chat_gets_a_card_quoting_the_rule(teams_service, fake_connector):
    body = activity(fake_connector.url, text="kan jeg legge ut bilde av barn?")
    assert await post_activity(teams_service, body) == 201
    [reply] = await fake_connector.wait_for()
    assert reply.verb == "reply" and reply.conversation == "a:personal-employee" and reply.reply_to == body["id"]
    card = texts(card_of(reply))
    assert "Vi skal alltid innhente skriftlig tillatelse fra foreldre før vi fotograferer barn." in card
    assert "Bilder og video - etiske kjøreregler" in card and "versjon 1.0" in card
    assert '"guidebot": "feedback"' in card and '"guidebot": "ask_comms"' in card


async def test_english_question_gets_the_unofficial_translation_in_the_card(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, text="can I post a photo of kids?", locale="en-US"))
    [reply] = await fake_connector.wait_for()
    card = texts(card_of(reply))
    assert "skriftlig tillatelse fra foreldre" in card and "Unofficial English translation" in card
    assert "Helpful" in card


async def test_mention_in_a_channel_is_stripped_and_answered_in_the_thread(teams_service, fake_connector):
    body = mention_in_channel(fake_connector.url, "må jeg si fra til kommunikasjonssjefen før vi lager en facebookside?")
    await post_activity(teams_service, body)
    [reply] = await fake_connector.wait_for()
    assert reply.conversation == "19:general@thread.tacv2;messageid=1700"
    assert "informere kommunikasjonssjef" in texts(card_of(reply))


async def test_a_question_outside_the_guideline_is_declined_with_the_comms_action(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, text="hvordan bytter jeg passord?"))
    [reply] = await fake_connector.wait_for()
    card = texts(card_of(reply))
    assert "sier ikke noe om dette" in card and '"guidebot": "ask_comms"' in card and "feedback" not in card


async def test_feedback_from_the_card_is_stored(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, text="kan jeg legge ut bilde av barn?"))
    [reply] = await fake_connector.wait_for()
    down = next(a for a in card_of(reply)["actions"] if a["data"]["guidebot"] == "feedback" and not a["data"]["helpful"])
    await post_activity(teams_service, activity(fake_connector.url, value=down["data"], reply_to="sent-x"))
    await fake_connector.wait_for(2)
    votes = await teams_service.bot.store.feedback_for(down["data"]["answer_id"])
    assert [(v["helpful"], v["passage_id"]) for v in votes] == [(False, "bilder-barn")]


async def test_ask_the_comms_team_from_teams_reaches_the_comms_channel(teams_service, fake_connector, fake_slack):
    await post_activity(teams_service, activity(fake_connector.url, text="hvordan bytter jeg passord?"))
    [reply] = await fake_connector.wait_for()
    ask = card_of(reply)["actions"][0]
    await post_activity(teams_service, activity(fake_connector.url, value=ask["data"]))
    [posted] = await fake_slack.wait_for("chat.postMessage")  # the comms channel is configured in Slack
    assert posted.args["channel"] == "CCOMMS" and "hvordan bytter jeg passord?" in json.dumps(posted.args["blocks"],
                                                                                               ensure_ascii=False)
    assert "Kari Nordmann" in json.dumps(posted.args["blocks"], ensure_ascii=False)


async def test_welcome_when_installed_and_help_on_request(teams_service, fake_connector):
    added = activity(fake_connector.url, type_="conversationUpdate",
                     membersAdded=[{"id": "28:guidebot"}, {"id": "29:employee"}])
    assert await post_activity(teams_service, added) == 201
    await post_activity(teams_service, activity(fake_connector.url, text="help", locale="en-US"))
    posted = await fake_connector.wait_for(2)
    assert "Prøv for eksempel" in posted[0].activity["text"]  # welcome in the user's locale (nb)
    assert "Try for example" in posted[1].activity["text"] and "What is social media?" in posted[1].activity["text"]


async def test_missing_or_invalid_tokens_get_401_when_authentication_is_on(fake_slack, fake_connector, sqlite_url):
    env = {**slack_env(fake_slack), "MicrosoftAppId": "11111111-2222-3333-4444-555555555555",
           "MicrosoftAppPassword": "not-a-real-secret"}
    service = await start_service(env, db_url=sqlite_url)

    def jwt(header: dict, claims: dict) -> str:
        enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
        return f"{enc(header)}.{enc(claims)}.c2lnbmF0dXJl"

    try:
        body = activity(fake_connector.url, text="kan jeg legge ut bilde av barn?")
        for auth in (None, "Bearer not-a-jwt", "Basic dXNlcjpwYXNz",
                     "Bearer " + jwt({"alg": "RS256", "kid": "k1"}, {"aud": "x"}),  # no iss (KeyError in the SDK)
                     "Bearer " + jwt({"alg": "RS256", "kid": "k1"}, {"iss": "https://evil.example.com"})):
            headers = {"Content-Type": "application/json", **({"Authorization": auth} if auth else {})}
            assert await post_activity(service, body, headers) == 401, auth
        assert fake_connector.posted == []
    finally:
        await stop_service(service)


async def test_local_mode_is_off_by_default(fake_slack, fake_connector, sqlite_url):
    service = await start_service(slack_env(fake_slack), db_url=sqlite_url)
    try:
        body = activity(fake_connector.url, text="kan jeg legge ut bilde av barn?")
        assert await post_activity(service, body) == 401
        assert fake_connector.posted == []
    finally:
        await stop_service(service)


async def test_malformed_activities_get_4xx_never_500(teams_service, fake_connector):
    good = activity(fake_connector.url, text="hei")
    no_service_url = {k: v for k, v in good.items() if k != "serviceUrl"}
    cases = [("not json", {"Content-Type": "application/json"}), ("[1, 2]", {"Content-Type": "application/json"}),
             (json.dumps(no_service_url), {"Content-Type": "application/json"}),
             (json.dumps({"type": "message"}), {"Content-Type": "application/json"}),
             (json.dumps({**good, "serviceUrl": "javascript:alert(1)"}), {"Content-Type": "application/json"}),
             (json.dumps(good), {})]
    for body, headers in cases:
        status = (await teams_service.post("/api/messages", body, headers)).status
        assert 400 <= status < 500, (body[:40], status)
    assert fake_connector.posted == []


async def test_an_answer_is_shown_once_in_its_card_not_again_as_text(teams_service, fake_connector):
    await post_activity(teams_service, activity(fake_connector.url, text="kan jeg legge ut bilde av barn?"))
    [reply] = await fake_connector.wait_for()
    assert "skriftlig tillatelse fra foreldre" in texts(card_of(reply))
    assert "skriftlig tillatelse fra foreldre" not in str(reply.activity.get("text") or "")
    assert "skriftlig tillatelse fra foreldre" in reply.activity["summary"]  # notifications still say something


def test_the_official_text_reaches_teams_without_stray_backslashes_and_typed_markup_stays_text(engine):
    from guidebot.adapters.teams import render

    with_brackets = [p for p in engine.guideline.passages if "(" in p.text]
    assert with_brackets
    for passage in with_brackets:
        card = render.answer_card(engine.quote("spørsmål", passage.id, "nb"), "a1")
        shown = [block["text"] for item in card["body"] for block in [item, *item.get("items", [])] if "text" in block]
        assert passage.text in shown, passage.id  # verbatim: no "\(" that Teams mobile would show
    typed = render.escape("[klikk her](https://evil.example) **viktig** <at>alle</at>")
    assert typed == r"\[klikk her\](https://evil.example) \*\*viktig\*\* \<at\>alle\</at\>"


TEAMS_COMMS = """
comms_channel: {teams: "19:comms@thread.tacv2"}
comms_team: {teams: [aad-comms]}
"""


async def test_a_comms_reply_in_the_teams_thread_of_an_escalation_comes_back_to_the_asker(fake_connector, sqlite_url):
    from conftest import start_service, stop_service

    service = await start_service({"GUIDEBOT_TEAMS_LOCAL": "1"}, db_url=sqlite_url, settings_yaml=TEAMS_COMMS)
    try:
        comms = dict(user="29:comms", aad="aad-comms", name="Kommunikasjonsteamet", conversation_type="channel")
        learn = mention_in_channel(fake_connector.url, "hei")  # the bot learns where the comms channel is
        learn.update(activity(fake_connector.url, text="<at>guidebot</at> hei", conversation="19:comms@thread.tacv2;messageid=1",
                              entities=learn["entities"], channelData=learn["channelData"], **comms))
        await post_activity(service, learn)
        await post_activity(service, activity(fake_connector.url, text="kan vi ha quiz med premier på instagram?"))
        posted = await fake_connector.wait_for(2)
        declined = card_of(posted[-1])
        await post_activity(service, activity(fake_connector.url, value=declined["actions"][0]["data"]))
        posted = await fake_connector.wait_for(4)
        escalation = next(p for p in posted if p.conversation == "19:comms@thread.tacv2")  # a new thread there
        for _ in range(100):
            if await service.bot.store.get_escalation(f"teams:19:comms@thread.tacv2;messageid={escalation.sent_id}"):
                break
            await asyncio.sleep(0.05)
        reply = activity(fake_connector.url, text="<at>guidebot</at> Ja, hvis premien er liten **og** lovlig",
                         conversation=f"19:comms@thread.tacv2;messageid={escalation.sent_id}",
                         entities=learn["entities"], channelData=learn["channelData"], **comms)
        await post_activity(service, reply)
        posted = await fake_connector.wait_for(6)
        to_asker = [p for p in posted if p.conversation == "a:personal-employee" and "premien" in str(p.activity.get("text"))]
        assert to_asker and "kan vi ha quiz med premier på instagram?" in to_asker[0].activity["text"]
        assert "\\*\\*og\\*\\*" in to_asker[0].activity["text"], "what people typed is shown as typed, not as markup"
        assert any("Sendt til den som spurte" in str(p.activity.get("text")) for p in posted
                   if p.conversation.startswith("19:comms@thread.tacv2;messageid="))
    finally:
        await stop_service(service)


async def test_a_follow_up_in_a_teams_channel_thread_is_read_with_its_first_question(teams_service, fake_connector):
    first = mention_in_channel(fake_connector.url, "kan jeg legge ut bilde av barn?")
    first["conversation"]["id"] = "19:general@thread.tacv2;messageid=1800"
    await post_activity(teams_service, first)
    await fake_connector.wait_for(1)
    follow_up = mention_in_channel(fake_connector.url, "hva med video?")
    follow_up["conversation"]["id"] = "19:general@thread.tacv2;messageid=1800"
    await post_activity(teams_service, follow_up)
    posted = await fake_connector.wait_for(2)
    assert "skriftlig tillatelse fra foreldre" in texts(card_of(posted[1])), "video of children, not YouTube tips"
    elsewhere = mention_in_channel(fake_connector.url, "hva med video?")
    elsewhere["conversation"]["id"] = "19:general@thread.tacv2;messageid=1900"
    await post_activity(teams_service, elsewhere)
    posted = await fake_connector.wait_for(3)
    assert "skriftlig tillatelse fra foreldre" not in texts(card_of(posted[2])), "another thread has no such context"


async def test_in_a_channel_set_to_private_answers_the_mention_is_answered_in_the_persons_own_chat(fake_connector, sqlite_url):
    from conftest import start_service, stop_service

    service = await start_service({"GUIDEBOT_TEAMS_LOCAL": "1"}, db_url=sqlite_url,
                                  settings_yaml='private_answers: {teams: ["19:general@thread.tacv2"]}\n')
    try:
        await post_activity(service, activity(fake_connector.url, text="hei"))  # the bot knows the person's own chat
        await fake_connector.wait_for(1)
        await post_activity(service, mention_in_channel(fake_connector.url, "kan jeg legge ut bilde av barn?"))
        posted = await fake_connector.wait_for(2)
        private = posted[1]
        assert private.conversation == "a:personal-employee"
        assert "skriftlig tillatelse fra foreldre" in texts(card_of(private))
        assert not any(p.conversation.startswith("19:general") for p in posted), "nothing in the channel"
    finally:
        await stop_service(service)


async def test_the_escalation_card_is_a_reply_form_that_answers_the_asker_and_teaches_the_bot(fake_connector, sqlite_url):
    question = "må mamma og pappa begge skrive under før jeg filmer ungene"
    service = await start_service({"GUIDEBOT_TEAMS_LOCAL": "1"}, db_url=sqlite_url, settings_yaml=TEAMS_COMMS)
    try:
        comms = dict(user="29:comms", aad="aad-comms", name="Kari Komm", conversation_type="channel")
        learn = mention_in_channel(fake_connector.url, "hei")
        learn.update(activity(fake_connector.url, text="<at>guidebot</at> hei", conversation="19:comms@thread.tacv2;messageid=1",
                              entities=learn["entities"], channelData=learn["channelData"], **comms))
        await post_activity(service, learn)
        await post_activity(service, activity(fake_connector.url, text=question))
        posted = await fake_connector.wait_for(2)
        await post_activity(service, activity(fake_connector.url, value=card_of(posted[-1])["actions"][-1]["data"]))
        posted = await fake_connector.wait_for(4)
        escalation = next(p for p in posted if p.conversation == "19:comms@thread.tacv2")
        card = card_of(escalation)
        about = next(e for e in card["body"] if e.get("id") == "about")
        assert about["choices"][-1]["value"] == "out_of_scope" and any(e.get("id") == "reply" for e in card["body"])
        for _ in range(100):
            if await service.bot.store.get_escalation(f"teams:19:comms@thread.tacv2;messageid={escalation.sent_id}"):
                break
            await asyncio.sleep(0.05)
        thread = f"19:comms@thread.tacv2;messageid={escalation.sent_id}"
        form = {"guidebot": "escalation_answer", "reply": "Ja, begge må samtykke skriftlig.",
                "about": "veileder-sosiale-medier/bilder-barn"}
        outsider = {**comms, "aad": "aad-outsider", "user": "29:outsider"}
        await post_activity(service, activity(fake_connector.url, value=form, conversation=thread, **outsider))
        refused = (await fake_connector.wait_for(5))[-1]
        assert "Bare kommunikasjonsteamet" in refused.activity["text"]
        await post_activity(service, activity(fake_connector.url, value=form, conversation=thread, **comms))
        posted = await fake_connector.wait_for(7)
        to_asker = [p for p in posted if p.conversation == "a:personal-employee" and "begge må samtykke" in str(p.activity)]
        done = [p for p in posted if p.conversation == thread and "Skriftlig tillatelse fra foreldre" in str(p.activity)]
        assert to_asker and done and "Sendt til den som spurte" in done[0].activity["text"]
        [example] = await service.bot.store.list_examples("workbench")
        assert (example["question"], example["passage_id"]) == (question, "bilder-barn")
    finally:
        await stop_service(service)
