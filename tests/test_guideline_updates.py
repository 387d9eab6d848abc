"""The comms team publishes guideline versions: validation, live switch-over, rollback, announcements,
durable requests and notices. Each scenario runs on SQLite and on the real PostgreSQL server."""
from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


from guidebot.bot.knowledge import KnowledgeFiles, read_directory
from conftest import ADMIN, ROOT, Service, slack_env, start_service, stop_service
from slack_fakes import block_action, command_body, dm_event, interaction_body
from teams_fakes import activity, card_of
from test_slack import all_text, send_event, send_form

OLD = "Vi skal alltid innhente skriftlig tillatelse fra foreldre før vi fotograferer barn."
NEW = "Vi skal alltid innhente skriftlig tillatelse fra begge foreldre før vi fotograferer eller filmer barn."


def revised(version: str = "1.1", old: str = OLD, new: str = NEW) -> KnowledgeFiles:
    files = read_directory(ROOT / "knowledge")
    guideline = files.guideline.replace('version: "1.0"', f'version: "{version}"').replace(old, new)
    return KnowledgeFiles(guideline=guideline, glossary=files.glossary, checklist=files.checklist)


async def publish(service: Service, body: str, token: str | None = ADMIN, note: str = "Begge foreldre må samtykke",
                  content_type: str = "application/x-yaml") -> tuple[int, dict]:
    headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {token}"} if token else {})}
    async with service.http.post(f"{service.url}/admin/knowledge?note={note}", data=body.encode(),
                                 headers=headers) as response:
        return response.status, await response.json()


async def ask_dm(service: Service, fake, question: str, event_id: str) -> str:
    """The answer posted back in the employee's DM (announcements go elsewhere)."""
    def answers() -> list:
        return [c for c in fake.of("chat.postMessage") if c.args["channel"] == "DEMPLOYEE"]

    before = len(answers())
    await send_event(service, dm_event(question), event_id)
    deadline = time.monotonic() + 10
    while len(answers()) <= before and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return all_text(answers()[before].args["blocks"])


async def test_a_published_version_answers_from_the_next_question_on(admin_service, fake_slack):
    assert OLD in await ask_dm(admin_service, fake_slack, "kan jeg legge ut bilde av barn?", "Ev1")
    status, body = await publish(admin_service, revised().guideline)
    assert status == 201, body
    assert body["published"]["version"] == "1.1" and body["diff"]["changed"] == ["bilder-barn"]
    assert NEW in await ask_dm(admin_service, fake_slack, "kan jeg legge ut bilde av barn?", "Ev2")
    async with admin_service.http.get(admin_service.url + "/healthz") as response:
        assert (await response.json())["version"] == "1.1"


async def test_broken_yaml_is_refused_with_its_line_and_the_old_version_keeps_answering(admin_service, fake_slack):
    broken = revised().guideline.replace("    title: Skriftlig tillatelse fra foreldre før fotografering av barn",
                                         "    title: [Skriftlig tillatelse")
    status, body = await publish(admin_service, broken)
    assert status == 400 and body["line"] and "not valid YAML" in body["error"]
    missing = revised().guideline.replace("  source: veileder-sosiale-medier-lorenskog.txt\n", "")
    status, body = await publish(admin_service, missing)
    assert status == 400 and body["field"] == "document.source" and body["line"] == 5
    assert OLD in await ask_dm(admin_service, fake_slack, "kan jeg legge ut bilde av barn?", "Ev3")
    assert [v["version"] for v in (await versions(admin_service))["versions"]] == ["1.0"]


async def versions(service: Service) -> dict:
    async with service.http.get(service.url + "/admin/knowledge/versions",
                                headers={"Authorization": f"Bearer {ADMIN}"}) as response:
        return await response.json()


async def test_rollback_restores_the_old_text_and_every_version_is_kept(admin_service, fake_slack):
    await publish(admin_service, revised().guideline)
    async with admin_service.http.post(admin_service.url + "/admin/knowledge/rollback", json={"version": "1.0"},
                                       headers={"Authorization": f"Bearer {ADMIN}"}) as response:
        assert response.status == 201
    assert OLD in await ask_dm(admin_service, fake_slack, "kan jeg legge ut bilde av barn?", "Ev4")
    history = (await versions(admin_service))["versions"]
    assert [(v["version"], v["action"]) for v in history] == [("1.0", "rollback"), ("1.1", "publish"), ("1.0", "seed")]
    assert history[1]["note"] == "Begge foreldre må samtykke"


async def test_publishing_without_the_admin_token_is_refused(admin_service, fake_slack):
    assert (await publish(admin_service, revised().guideline, token=None))[0] == 401
    assert (await publish(admin_service, revised().guideline, token="wrong-token-wrong-token"))[0] == 403
    huge = revised().guideline + "#" * 1_100_000
    assert (await publish(admin_service, huge))[0] == 413
    same = read_directory(ROOT / "knowledge").guideline
    status, body = await publish(admin_service, same)
    assert status == 400 and "nothing to publish" in body["error"]
    unchanged_label = revised(version="1.0").guideline
    status, body = await publish(admin_service, unchanged_label)
    assert status == 400 and "raise it" in body["error"]
    assert [v["version"] for v in (await versions(admin_service))["versions"]] == ["1.0"]


async def test_publish_in_chat_needs_the_comms_team_and_shows_the_diff_before_it_publishes(fake_slack, db_url):
    """The service runs an older version; the comms team publishes knowledge/ as it stands, from Slack."""
    older = revised(version="0.9", old=OLD, new="Foreldre må si ja før barn fotograferes.")
    service = await start_service(slack_env(fake_slack), db_url=db_url, knowledge=older)
    try:
        await send_form(service, command_body("/guideline-admin", "publish", fake_slack.url + "/response/a1"))
        [refused] = await fake_slack.wait_for("response_url")
        assert "Bare kommunikasjonsteamet" in refused.args["text"]

        await send_form(service, command_body("/guideline-admin", "publish Retter teksten om barn",
                                              fake_slack.url + "/response/a2", user="U0COMMS"))
        preview = (await fake_slack.wait_for("response_url", count=2))[1]
        assert "0.9 → 1.0" in preview.args["text"] and "bilder-barn" in preview.args["text"]
        button = next(e for b in preview.args["blocks"] if b["type"] == "actions" for e in b["elements"])
        assert (await service.bot.publisher.history())[0].version == "0.9"  # nothing published yet

        payload = {"type": "block_actions", "team": {"id": "T1"}, "api_app_id": "A1", "token": "x",
                   "user": {"id": "U0COMMS", "name": "comms"}, "response_url": fake_slack.url + "/response/a3",
                   "container": {"type": "message", "is_ephemeral": True}, "trigger_id": "t",
                   "actions": [{"action_id": "admin_publish", "value": button["value"], "type": "button",
                                "block_id": "b", "action_ts": "1"}]}
        await send_form(service, interaction_body(payload))
        done = (await fake_slack.wait_for("response_url", count=3))[2]
        assert "Versjon 1.0 (#2) er publisert" in done.args["text"]
        [record, _seed] = await service.bot.publisher.history()
        assert record.note == "Retter teksten om barn" and record.author.startswith("comms")
        assert OLD in await ask_dm(service, fake_slack, "kan jeg legge ut bilde av barn?", "EvChat")

        await send_form(service, command_body("/guideline-admin", "history", fake_slack.url + "/response/a4",
                                              user="U0CHIEF"))
        history = (await fake_slack.wait_for("response_url", count=4))[3]
        assert "#2" in history.args["text"] and "#1" in history.args["text"]
    finally:
        await stop_service(service)


async def test_a_new_version_is_announced_in_slack_and_teams(admin_service, fake_slack, fake_connector):
    installed = activity(fake_connector.url, type_="conversationUpdate", conversation="19:announce@thread.tacv2",
                         conversation_type="channel", membersAdded=[{"id": "28:guidebot"}],
                         channelData={"team": {"id": "19:team"}, "tenant": {"id": "tenant-1"}})
    await admin_service.post("/api/messages", json.dumps(installed), {"Content-Type": "application/json"})
    await fake_connector.wait_for(1)  # the welcome message
    await publish(admin_service, revised().guideline)
    [slack] = await fake_slack.wait_for("chat.postMessage")
    assert slack.args["channel"] == "CANNOUNCE"
    text = all_text(slack.args["blocks"])
    assert "versjon 1.1" in text and "Begge foreldre må samtykke" in text and "Bilder og video" in text
    posted = await fake_connector.wait_for(2)
    card = json.dumps(card_of(posted[1]), ensure_ascii=False)
    assert posted[1].conversation == "19:announce@thread.tacv2" and "versjon 1.1" in card and "Begge foreldre" in card


async def test_a_notice_slack_refuses_three_times_is_retried_and_delivered_exactly_once(fake_slack, db_url):
    service = await start_service(slack_env(fake_slack), db_url=db_url)
    try:
        await send_event(service, dm_event("What's for lunch today?"), "EvR1")
        [answer] = await fake_slack.wait_for("chat.postMessage")
        answer_id = next(e["value"] for b in answer.args["blocks"] if b["type"] == "actions" for e in b["elements"])
        fake_slack.fail["chat.postMessage"] = 3  # Slack refuses the escalation three times, then takes it
        await send_form(service, interaction_body(block_action("ask_comms", answer_id)))
        await fake_slack.wait_for("chat.postMessage", count=2, timeout=15)
        await asyncio.sleep(0.5)  # room for a wrong second delivery
        escalations = [c for c in fake_slack.of("chat.postMessage") if c.args["channel"] == "CCOMMS"]
        assert len(escalations) == 1 and len(fake_slack.of("chat.postMessage!failed")) == 3
        [notice] = await service.bot.store.notices("escalation")
        assert notice["status"] == "sent" and notice["attempts"] == 4 and "service_unavailable" in notice["last_error"]
    finally:
        await stop_service(service)


async def test_a_pending_notice_survives_a_restart_and_is_sent_once(fake_slack, db_url):
    fake_slack.fail["conversations.open"] = 1000  # Slack is down
    service = await start_service(slack_env(fake_slack), db_url=db_url)
    from test_slack_new_channel import filled, submit

    await submit(service, filled())
    await fake_slack.wait_for("conversations.open!failed", count=2)
    await stop_service(service)
    fake_slack.fail.clear()  # Slack is back
    restarted = await start_service(slack_env(fake_slack), db_url=db_url)
    try:
        opened = await fake_slack.wait_for("conversations.open", count=2, timeout=15)
        await asyncio.sleep(0.5)
        assert sorted(c.args["users"] for c in fake_slack.of("conversations.open")) == ["U0CHIEF", "UEMPLOYEE"]
        chief = [p for p in fake_slack.of("chat.postMessage") if p.args["channel"] == "DU0CHIEF"]
        assert len(chief) == 1 and len(opened) == 2
        [request] = await restarted.bot.store.list_requests()
        assert request["status"] == "chief_notified"
    finally:
        await stop_service(restarted)


async def test_requests_survive_a_restart_on_either_database(fake_slack, db_url):
    from test_slack_new_channel import filled, submit

    service = await start_service(slack_env(fake_slack), db_url=db_url)
    await submit(service, filled())
    await stop_service(service)
    again = await start_service(slack_env(fake_slack), db_url=db_url)
    try:
        [request] = await again.bot.store.list_requests()
        assert request["answers"]["name"] == "Lørenskog bibliotek" and request["requester_hash"] != "UEMPLOYEE"
    finally:
        await stop_service(again)


async def test_the_schema_version_is_recorded(db_url):
    from guidebot.bot.schema import SCHEMA_VERSION
    from guidebot.bot.store import Store

    store = Store(db_url)
    await store.start()
    await store.start()  # idempotent, as when several replicas start
    try:
        assert await store.get_meta("schema_version") == str(SCHEMA_VERSION)
    finally:
        await store.close()


def test_the_postgres_url_that_hosts_hand_out_is_accepted():
    from guidebot.bot.store import database_url

    assert database_url("postgres://u:p@db.example:5432/app") == "postgresql+asyncpg://u:p@db.example:5432/app"
    assert database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


async def test_two_service_processes_on_one_database_both_switch(db_url, tmp_path, fake_connector):
    """Two replicas share the database; publishing to one makes the other answer with the new text."""
    ports = [_free_port(), _free_port()]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "GUIDEBOT_"))}
    env.update({"DATABASE_URL": db_url, "GUIDEBOT_ADMIN_TOKEN": ADMIN, "GUIDEBOT_TEAMS_LOCAL": "1"})
    logs = [open(tmp_path / f"replica-{i}.log", "w") for i in range(2)]  # noqa: SIM115 (closed in finally)
    replicas = [subprocess.Popen([sys.executable, "-m", "guidebot.adapters", "serve"], cwd=tmp_path, env={**env, "PORT": str(p)},
                                 stdout=log, stderr=subprocess.STDOUT) for p, log in zip(ports, logs, strict=True)]
    try:
        for i, port in enumerate(ports):
            await _wait_healthy(port, tmp_path / f"replica-{i}.log")
        request = urllib.request.Request(f"http://127.0.0.1:{ports[0]}/admin/knowledge?note=ny", method="POST",
                                         data=revised().guideline.encode(),
                                         headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/x-yaml"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _get(f"http://127.0.0.1:{ports[1]}/healthz")["version"] != "1.1":
            await asyncio.sleep(0.1)
        assert _get(f"http://127.0.0.1:{ports[1]}/healthz")["version"] == "1.1"
        body = json.dumps(activity(fake_connector.url, text="kan jeg legge ut bilde av barn?"))
        request = urllib.request.Request(f"http://127.0.0.1:{ports[1]}/api/messages", data=body.encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        await asyncio.to_thread(urllib.request.urlopen, request, timeout=30)
        [reply] = await fake_connector.wait_for(1)
        assert NEW in json.dumps(card_of(reply), ensure_ascii=False)
    finally:
        for replica in replicas:
            replica.terminate()
            replica.wait(timeout=30)
        for log in logs:
            log.close()


async def _wait_healthy(port: int, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(f"http://127.0.0.1:{port}/healthz")
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"replica on port {port} never became healthy:\n{log.read_text()[-2000:]}")
