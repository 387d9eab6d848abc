"""Slack scenarios against the real service on loopback: signed requests in, Web API calls out."""
from __future__ import annotations

import asyncio

import json
import time

from conftest import SETTINGS_YAML, Service, slack_env, start_service, stop_service
from slack_fakes import (FakeSlack, block_action, command_body, dm_event, event_body, interaction_body,
                         signed_headers)

FORM = "application/x-www-form-urlencoded"


async def send_event(service: Service, event: dict, event_id: str, retry: int | None = None) -> int:
    body = event_body(event, event_id)
    headers = signed_headers(body)
    if retry is not None:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    return (await service.post("/slack/events", body, headers)).status


async def send_form(service: Service, body: str) -> tuple[int, str]:
    async with service.http.post(service.url + "/slack/events", data=body,
                                 headers=signed_headers(body, content_type=FORM)) as response:
        return response.status, await response.text()


def all_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


async def test_employee_asking_in_a_dm_gets_the_parental_permission_rule_quoted(slack_service, fake_slack):
    assert await send_event(slack_service, dm_event("kan jeg legge ut bilde av barn?"), "Ev1") == 200
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "DEMPLOYEE"
    text = all_text(post.args["blocks"])
    assert "Vi skal alltid innhente skriftlig tillatelse fra foreldre før vi fotograferer barn." in text
    assert "Bilder og video - etiske kjøreregler" in text and "versjon 1.0" in text
    assert {"feedback_up", "feedback_down", "ask_comms"} <= {e["action_id"] for b in post.args["blocks"]
                                                              if b["type"] == "actions" for e in b["elements"]}


async def test_english_dm_gets_the_original_and_an_unofficial_translation(slack_service, fake_slack):
    await send_event(slack_service, dm_event("can I post a photo of kids?"), "Ev2")
    [post] = await fake_slack.wait_for("chat.postMessage")
    text = all_text(post.args["blocks"])
    assert "skriftlig tillatelse fra foreldre" in text
    assert "Unofficial English translation" in text and "written permission from parents" in text
    assert "Helpful" in text  # the buttons follow the asker's language


async def test_mention_in_a_channel_is_answered_in_the_thread(slack_service, fake_slack):
    event = {"type": "app_mention", "channel": "CGENERAL", "user": "UEMPLOYEE", "ts": "1700000005.000200",
             "text": "<@UBOT> må jeg si fra til kommunikasjonssjefen før vi lager en facebookside?"}
    await send_event(slack_service, event, "Ev3")
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "CGENERAL" and post.args["thread_ts"] == "1700000005.000200"
    assert "informere kommunikasjonssjef" in all_text(post.args["blocks"])


async def test_a_follow_up_in_the_thread_is_read_with_the_question_that_opened_it(slack_service, fake_slack):
    opened = "<@UBOT> kan jeg legge ut bilde av barn?"
    fake_slack.threads["1700000006.000100"] = [{"text": opened, "ts": "1700000006.000100", "user": "UEMPLOYEE"}]
    follow_up = {"type": "app_mention", "channel": "CGENERAL", "user": "UEMPLOYEE", "ts": "1700000006.000300",
                 "thread_ts": "1700000006.000100", "text": "<@UBOT> hva med video?"}
    await send_event(slack_service, follow_up, "EvFollow")
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.args["thread_ts"] == "1700000006.000100"
    assert "skriftlig tillatelse fra foreldre" in all_text(post.args["blocks"]), "video of children, not YouTube tips"
    [asked] = fake_slack.of("conversations.replies")
    assert asked.args["ts"] == "1700000006.000100" and asked.args["channel"] == "CGENERAL"
    changed = {**follow_up, "ts": "1700000006.000400", "text": "<@UBOT> hva med linkedin?"}
    await send_event(slack_service, changed, "EvFollow2")
    posts = await fake_slack.wait_for("chat.postMessage", count=2)
    assert "LinkedIn" in all_text(posts[1].args["blocks"]) and "skriftlig tillatelse" not in all_text(posts[1].args["blocks"])


async def test_a_question_outside_the_guideline_is_declined_with_the_comms_button(slack_service, fake_slack):
    await send_event(slack_service, dm_event("What's for lunch today?"), "Ev4")
    [post] = await fake_slack.wait_for("chat.postMessage")
    text = all_text(post.args["blocks"])
    assert "does not cover" in text and "won't guess" in text
    assert "ask_comms" in text and "feedback_up" not in text


async def test_a_retried_event_is_answered_once_also_after_a_restart(slack_service, fake_slack, sqlite_url):
    await send_event(slack_service, dm_event("kan jeg legge ut bilde av barn?"), "EvRetry")
    await fake_slack.wait_for("chat.postMessage")
    assert await send_event(slack_service, dm_event("kan jeg legge ut bilde av barn?"), "EvRetry", retry=1) == 200
    await stop_service(slack_service)
    restarted = await start_service(slack_env(fake_slack), db_url=sqlite_url)
    try:
        assert await send_event(restarted, dm_event("kan jeg legge ut bilde av barn?"), "EvRetry", retry=2) == 200
        await send_event(restarted, dm_event("hva er sosiale medier?"), "EvOther")
        await fake_slack.wait_for("chat.postMessage", count=2)
        assert len(fake_slack.of("chat.postMessage")) == 2  # the retries produced nothing
    finally:
        await stop_service(restarted)


async def test_the_bot_never_answers_itself_or_other_bots(slack_service, fake_slack):
    own = {**dm_event("kan jeg legge ut bilde av barn?"), "bot_id": "BBOT", "user": "UBOT"}
    edit = {**dm_event("kan jeg legge ut bilde av barn?"), "subtype": "message_changed"}
    await send_event(slack_service, own, "EvBot")
    await send_event(slack_service, edit, "EvEdit")
    await send_event(slack_service, dm_event("hva er sosiale medier?"), "EvHuman")
    await fake_slack.wait_for("chat.postMessage")
    assert len(fake_slack.of("chat.postMessage")) == 1


async def test_slash_guideline_replies_only_to_the_asker_with_a_share_button(slack_service, fake_slack):
    status, _ = await send_form(slack_service, command_body("/guideline", "can I post a photo of kids?",
                                                            fake_slack.url + "/response/1"))
    assert status == 200
    [reply] = await fake_slack.wait_for("response_url")
    assert reply.args["response_type"] == "ephemeral"
    assert "skriftlig tillatelse fra foreldre" in all_text(reply.args["blocks"])
    assert "share_answer" in all_text(reply.args["blocks"])


async def test_slash_guideline_without_text_gives_help_with_examples(slack_service, fake_slack):
    await send_form(slack_service, command_body("/guideline", "", fake_slack.url + "/response/2"))
    [reply] = await fake_slack.wait_for("response_url")
    shown = reply.args["text"]
    examples = [line[2:] for line in shown.splitlines() if line.startswith("• ")]
    questions = {q[:1].upper() + q[1:] for p in slack_service.bot.guideline.passages for q in p.questions}
    assert len(examples) == 3 and all(e.rstrip("?") in {q.rstrip("?") for q in questions} for e in examples), \
        "the examples are the organisation's own questions"


async def test_sharing_posts_the_answer_in_the_channel(slack_service, fake_slack):
    await send_form(slack_service, command_body("/guideline", "kan jeg legge ut bilde av barn?", fake_slack.url + "/response/3"))
    [reply] = await fake_slack.wait_for("response_url")
    answer_id = next(e["value"] for b in reply.args["blocks"] if b["type"] == "actions" for e in b["elements"]
                     if e["action_id"] == "share_answer")
    payload = block_action("share_answer", answer_id, channel="CGENERAL", response_url=fake_slack.url + "/response/3")
    await send_form(slack_service, interaction_body(payload))
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "CGENERAL"
    assert "skriftlig tillatelse fra foreldre" in all_text(post.args["blocks"])
    await fake_slack.wait_for("response_url", count=2)  # the ephemeral original is removed


async def _answer_id(fake: FakeSlack) -> str:
    [post] = await fake.wait_for("chat.postMessage")
    return next(e["value"] for b in post.args["blocks"] if b["type"] == "actions" for e in b["elements"])


async def test_feedback_is_stored_per_answer_and_a_second_click_changes_it(slack_service, fake_slack):
    await send_event(slack_service, dm_event("kan jeg legge ut bilde av barn?"), "EvFb")
    answer_id = await _answer_id(fake_slack)
    await send_form(slack_service, interaction_body(block_action("feedback_down", answer_id)))
    await fake_slack.wait_for("chat.postEphemeral")
    await send_form(slack_service, interaction_body(block_action("feedback_up", answer_id)))
    await fake_slack.wait_for("chat.postEphemeral", count=2)
    votes = await slack_service.bot.store.feedback_for(answer_id)
    assert [(v["helpful"], v["passage_id"]) for v in votes] == [(True, "bilder-barn")]
    assert votes[0]["user_hash"] != "UEMPLOYEE"  # pseudonymised


async def _escalate(service: Service, fake: FakeSlack, question: str, event_id: str):
    """An employee asks in a DM and presses "Ask the communications team": the answer's id and the post in
    the comms channel."""
    await send_event(service, dm_event(question), event_id)
    answer_id = await _answer_id(fake)
    await send_form(service, interaction_body(block_action("ask_comms", answer_id)))
    posts = await fake.wait_for("chat.postMessage", count=2)
    assert posts[1].args["channel"] == "CCOMMS"
    return answer_id, posts[1]


async def test_asking_the_comms_team_posts_question_asker_and_link_to_the_comms_channel(slack_service, fake_slack):
    _, escalation = await _escalate(slack_service, fake_slack, "What's for lunch today?", "EvEsc")
    text = all_text(escalation.args["blocks"])
    assert "What's for lunch today?" in text and "<@UEMPLOYEE>" in text
    assert "https://example.slack.com/archives/DEMPLOYEE/p1" in text
    [confirmation] = await fake_slack.wait_for("chat.postEphemeral")
    assert "communications team" in confirmation.args["text"]


async def test_a_comms_reply_in_the_escalations_thread_comes_back_to_the_asker(slack_service, fake_slack):
    answer_id, escalation = await _escalate(slack_service, fake_slack, "Kan vi ha quiz med premier på Instagram?", "EvEsc2")
    for _ in range(100):  # the notice is recorded as sent, with where it landed
        if await slack_service.bot.store.get_escalation(f"slack:CCOMMS:{escalation.ts}"):
            break
        await asyncio.sleep(0.05)
    outsider = {"type": "message", "channel": "CCOMMS", "channel_type": "channel", "user": "UOUTSIDER",
                "text": "Nei!", "ts": "1700000009.000001", "thread_ts": escalation.ts}
    await send_event(slack_service, outsider, "EvReply0")
    reply = {**outsider, "user": "U0COMMS", "text": "Ja, hvis premien er liten <!channel>", "ts": "1700000009.000002"}
    assert await send_event(slack_service, reply, "EvReply1") == 200
    posts = await fake_slack.wait_for("chat.postMessage", count=4)
    to_asker = next(p for p in posts[2:] if p.args["channel"] == "DUEMPLOYEE")
    shown = all_text(to_asker.args["blocks"])
    assert "Ja, hvis premien er liten &lt;!channel&gt;" in shown and "quiz med premier" in shown
    assert "Nei!" not in shown, "only the comms team answers for the comms team"
    confirmed = next(p for p in posts[2:] if p.args["channel"] == "CCOMMS")
    assert confirmed.args["thread_ts"] == escalation.ts
    stored = await slack_service.bot.store.get_escalation(f"slack:CCOMMS:{escalation.ts}")
    assert stored["reply"] == "Ja, hvis premien er liten <!channel>" and stored["answer_id"] == answer_id


async def test_channel_broadcasts_typed_by_a_user_are_never_echoed_unescaped(slack_service, fake_slack):
    await send_event(slack_service, dm_event("<!channel> <@U0CHIEF> what's for lunch & dinner?"), "EvEvil")
    answer_id = await _answer_id(fake_slack)
    await send_form(slack_service, interaction_body(block_action("ask_comms", answer_id)))
    posts = await fake_slack.wait_for("chat.postMessage", count=2)
    for call in posts:
        text = all_text(call.args.get("blocks") or []) + call.args.get("text", "")
        assert "<!channel>" not in text and "<@U0CHIEF>" not in text
    assert "&lt;!channel&gt;" in all_text(posts[1].args["blocks"])


async def test_very_long_and_empty_questions_get_a_polite_reply(slack_service, fake_slack):
    await send_event(slack_service, dm_event("bilde " * 400), "EvLong")
    await send_event(slack_service, dm_event("   "), "EvEmpty", )
    posts = await fake_slack.wait_for("chat.postMessage", count=2)
    texts = sorted(p.args["text"] for p in posts)
    assert any("for langt" in t for t in texts) and any("Skriv et spørsmål" in t for t in texts)


async def test_bad_signature_and_stale_timestamp_are_refused_without_processing(slack_service, fake_slack):
    body = event_body(dm_event("kan jeg legge ut bilde av barn?"), "EvForged")
    forged = signed_headers(body, secret="wrong-secret")
    stale = signed_headers(body, timestamp=int(time.time()) - 6 * 60)
    unsigned = {"Content-Type": "application/json"}
    for headers in (forged, stale, unsigned):
        assert (await slack_service.post("/slack/events", body, headers)).status == 401
    for junk in ("[1, 2]", "not json", "payload=%7Bbroken"):
        assert (await slack_service.post("/slack/events", junk, {"Content-Type": FORM})).status == 401
    assert fake_slack.calls == []


async def test_signed_but_malformed_bodies_get_400_not_500(slack_service, fake_slack):
    for junk, content_type in (("[1, 2]", "application/json"), ("{not json", "application/json"),
                               ("payload=%7Bbroken", FORM), ("payload=%5B1%5D", FORM), ("", FORM)):
        response = await slack_service.post("/slack/events", junk, signed_headers(junk, content_type=content_type))
        assert response.status == 400, junk
    assert fake_slack.calls == []


async def test_health_names_the_version_and_what_is_not_configured(fake_slack, sqlite_url):
    service = await start_service(slack_env(fake_slack), settings_yaml="organisation: X\n", db_url=sqlite_url)
    try:
        async with service.http.get(service.url + "/healthz") as response:
            health = await response.json()
        assert response.status == 200 and health["version"] == "1.0"
        assert any(gap.startswith("comms_chief") for gap in health["missing_settings"])
    finally:
        await stop_service(service)


async def test_in_a_channel_the_bot_was_never_added_to_every_button_still_answers_the_person(slack_service, fake_slack):
    """`/guideline` works in any channel; Share, 👍 and "Ask the communications team" must too."""
    fake_slack.not_member.add("CPUBLIC")
    response_url = fake_slack.url + "/response/pub"
    await send_form(slack_service, command_body("/guideline", "kan jeg legge ut bilde av barn?", response_url))
    [reply] = await fake_slack.wait_for("response_url")
    answer_id = next(e["value"] for b in reply.args["blocks"] if b["type"] == "actions" for e in b["elements"]
                     if e["action_id"] == "share_answer")
    for action in ("feedback_up", "ask_comms", "share_answer"):
        await send_form(slack_service, interaction_body(block_action(action, answer_id, channel="CPUBLIC",
                                                                     response_url=response_url)))
    replies = await fake_slack.wait_for("response_url", count=5)  # answer, thanks, escalated, shared, removed
    texts = [str(r.args.get("text")) for r in replies[1:]]
    assert any("Takk" in t for t in texts), texts
    shared = [r for r in replies if r.args.get("response_type") == "in_channel"]
    assert shared and "skriftlig tillatelse fra foreldre" in all_text(shared[0].args["blocks"])
    assert not fake_slack.of("chat.postEphemeral!not_in_channel") and not fake_slack.of("chat.postEphemeral")
    deadline = time.monotonic() + 10  # the escalation goes through the outbox
    while not [c for c in fake_slack.of("chat.postMessage") if c.args["channel"] == "CCOMMS"]:
        assert time.monotonic() < deadline, "the question still reaches the comms channel"
        await asyncio.sleep(0.05)


async def test_a_rate_limited_reply_waits_as_slack_asks_and_is_delivered_once(slack_service, fake_slack):
    fake_slack.rate_limited["chat.postMessage"] = 1
    await send_event(slack_service, dm_event("kan jeg legge ut bilde av barn?"), "EvRate")
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert "skriftlig tillatelse fra foreldre" in all_text(post.args["blocks"])
    [limited] = fake_slack.of("chat.postMessage!ratelimited")
    assert fake_slack.calls.index(limited) < fake_slack.calls.index(post)
    assert len(fake_slack.of("chat.postMessage")) == 1


async def test_the_message_shortcut_answers_about_someone_elses_message_to_me_alone(slack_service, fake_slack):
    shortcut = {"type": "message_action", "callback_id": "ask_about_message", "team": {"id": "T1"},
                "user": {"id": "UEMPLOYEE", "name": "kari"}, "channel": {"id": "CGENERAL"}, "token": "x",
                "trigger_id": "trig-7", "response_url": fake_slack.url + "/response/sc", "action_ts": "1.2",
                "message": {"type": "message", "user": "UOTHER", "ts": "1700000000.000100",
                            "text": "Kan vi legge ut bildene av barna fra juleavslutningen?"}}
    assert (await send_form(slack_service, interaction_body(shortcut)))[0] == 200
    [reply] = await fake_slack.wait_for("response_url")
    assert reply.args["response_type"] == "ephemeral"
    assert "skriftlig tillatelse fra foreldre" in all_text(reply.args["blocks"])
    assert not fake_slack.of("chat.postMessage"), "nothing is posted where others see it"


async def test_the_app_home_shows_examples_and_my_own_requests(slack_service, fake_slack):
    from test_slack_new_channel import filled, submit

    await submit(slack_service, filled())
    opened = {"type": "app_home_opened", "user": "UEMPLOYEE", "channel": "DEMPLOYEE", "tab": "home"}
    assert (await send_event(slack_service, opened, "EvHome")) == 200
    [published] = await fake_slack.wait_for("views.publish")
    view = published.args["view"]
    assert published.args["user_id"] == "UEMPLOYEE" and view["type"] == "home"
    shown = all_text(view["blocks"])
    assert "Prøv for eksempel" in shown and "Lørenskog bibliotek" in shown and "NK-0001" in shown


async def test_metrics_count_outcomes_across_the_service_without_any_question_or_user(slack_service, fake_slack):
    await send_event(slack_service, dm_event("kan jeg legge ut bilde av barn?"), "EvM1")
    await send_event(slack_service, dm_event("hva blir det til lunsj i kantina i dag?"), "EvM2")
    await fake_slack.wait_for("chat.postMessage", count=2)
    async with slack_service.http.get(slack_service.url + "/metrics") as response:
        text = await response.text()
    assert response.status == 200 and response.content_type == "text/plain"
    assert 'guidebot_answers_total{outcome="answer"} 1' in text
    assert 'guidebot_answers_total{outcome="decline"} 1' in text and "guidebot_passages 80" in text
    assert "lunsj" not in text and "UEMPLOYEE" not in text
    assert "guidebot_answer_seconds_count 2" in text and 'guidebot_answer_seconds_bucket{le="+Inf"} 2' in text
    assert 'guidebot_versions_total{action="seed"} 1' in text and "guidebot_outbox_oldest_unsent_seconds" in text


WORDED = SETTINGS_YAML + """
wording:
  contact: servicetorget på 12 34 56 78
  greeting: {nb: "Hei fra Fjellvik!"}
  examples: {nb: ["Hvor lenge lagres bildene?", "Hvem godkjenner nye kontoer?"]}
private_answers: {slack: [CPRIVATE]}
"""


async def test_the_organisations_own_wording_and_private_channels_from_the_settings(fake_slack, sqlite_url):
    service = await start_service(slack_env(fake_slack), db_url=sqlite_url, settings_yaml=WORDED)
    try:
        await send_form(service, command_body("/guideline", "", fake_slack.url + "/response/w1"))
        [shown] = await fake_slack.wait_for("response_url")
        assert shown.args["text"].startswith("Hei fra Fjellvik!") and "• Hvor lenge lagres bildene?" in shown.args["text"]
        await send_event(service, dm_event("What's for lunch today?"), "EvWord")
        [declined] = await fake_slack.wait_for("chat.postMessage")
        assert "servicetorget på 12 34 56 78" in all_text(declined.args["blocks"])
        mention = {"type": "app_mention", "channel": "CPRIVATE", "user": "UEMPLOYEE", "ts": "1700000007.000100",
                   "text": "<@UBOT> kan jeg legge ut bilde av barn?"}
        await send_event(service, mention, "EvPrivate")
        [private] = await fake_slack.wait_for("chat.postEphemeral")
        assert private.args["user"] == "UEMPLOYEE" and private.args["channel"] == "CPRIVATE"
        assert "skriftlig tillatelse fra foreldre" in all_text(private.args["blocks"])
        assert [p.args["channel"] for p in fake_slack.of("chat.postMessage")] == ["DEMPLOYEE"], "nothing public"
    finally:
        await stop_service(service)


async def test_the_comms_team_answers_from_a_reply_form_and_the_bot_learns_the_question(slack_service, fake_slack):
    """The button under an escalated question opens a form: the reply goes to the asker, and the passage
    picked there answers the question from now on (the same learning as the workbench)."""
    question = "må mamma og pappa begge skrive under før jeg filmer ungene"
    answer_id, escalation = await _escalate(slack_service, fake_slack, question, "EvForm1")
    [button] = [e for b in escalation.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    for _ in range(100):
        if await slack_service.bot.store.get_escalation(f"slack:CCOMMS:{escalation.ts}"):
            break
        await asyncio.sleep(0.05)

    def click(user: str) -> dict:
        return block_action(button["action_id"], button["value"], user=user, channel="CCOMMS",
                            message_ts=escalation.ts, response_url=fake_slack.url + f"/response/{user}")

    await send_form(slack_service, interaction_body(click("UOUTSIDER")))
    [refused] = await fake_slack.wait_for("response_url")
    assert "Bare kommunikasjonsteamet" in refused.args["text"] and not fake_slack.of("views.open")

    await send_form(slack_service, interaction_body(click("U0COMMS")))
    [opened] = await fake_slack.wait_for("views.open")
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    about = next(b for b in view["blocks"] if b.get("block_id") == "about")
    values = [o["value"] for o in about["element"]["options"]]
    assert values[-1] == "out_of_scope" and len(view["title"]["text"]) <= 24

    def submitted(reply: str, picked: str | None) -> dict:
        state = {"reply": {"value": {"type": "plain_text_input", "value": reply}},
                 "about": {"value": {"type": "static_select",
                                     "selected_option": {"value": picked} if picked else None}}}
        return {"type": "view_submission", "team": {"id": "T1"}, "api_app_id": "A1", "token": "x",
                "user": {"id": "U0COMMS", "username": "comms", "name": "comms"}, "trigger_id": "t",
                "view": {**view, "id": "V2", "state": {"values": state}, "hash": "h"}}

    status, body = await send_form(slack_service, interaction_body(submitted("", None)))
    assert status == 200 and "Skriv et svar eller velg et avsnitt" in body  # nothing to send: said in the form
    await send_form(slack_service, interaction_body(submitted("Ja, begge må samtykke skriftlig.",
                                                              "veileder-sosiale-medier/bilder-barn")))
    deadline = time.monotonic() + 10
    while not any("begge må samtykke" in all_text(p.args.get("blocks") or [])
                  for p in fake_slack.of("chat.postMessage") if p.args["channel"] == "DUEMPLOYEE"):
        assert time.monotonic() < deadline, "the reply did not reach the asker"
        await asyncio.sleep(0.05)
    while not (confirmed := [p for p in fake_slack.of("chat.postMessage") if p.args.get("thread_ts") == escalation.ts]):
        assert time.monotonic() < deadline, "no word in the escalation's thread"
        await asyncio.sleep(0.05)
    assert "Sendt til den som spurte" in confirmed[-1].args["text"]
    assert "Skriftlig tillatelse fra foreldre" in confirmed[-1].args["text"]
    [example] = await slack_service.bot.store.list_examples("workbench")
    assert (example["question"], example["passage_id"], example["actor"]) == (question, "bilder-barn", "comms (slack)")
    def answers() -> list:
        return [p for p in fake_slack.of("chat.postMessage") if p.args["channel"] == "DEMPLOYEE"]

    before = len(answers())
    await send_event(slack_service, dm_event(question, ts="1700000050.000001"), "EvForm2")
    while len(answers()) == before:
        assert time.monotonic() < deadline + 10, "the question asked again was not answered"
        await asyncio.sleep(0.05)
    asked_again = answers()[-1]
    assert "Vi skal alltid innhente skriftlig tillatelse fra foreldre" in all_text(asked_again.args["blocks"])
