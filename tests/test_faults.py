"""Faults a real network and a real host produce: bodies split into segments or chunked, absurd nesting,
YAML that expands without end, a database that refuses the second half of a write.

Bodies are written on a raw socket, so the server sees exactly what a slow network would send.
"""
from __future__ import annotations

import asyncio
import json
import sqlite3
from urllib.parse import urlsplit

import pytest

from conftest import ADMIN, ROOT, slack_env, start_service, stop_service
from slack_fakes import command_body, dm_event, event_body, interaction_body, signed_headers
from teams_fakes import activity
from test_slack_new_channel import filled, view_submission

FORM = "application/x-www-form-urlencoded"


async def send_raw(base_url: str, path: str, headers: dict[str, str], body: bytes, *, segments: int = 3,
                   pause: float = 0.25, chunked: bool = False) -> tuple[int, bytes]:
    """POSTs `body` in `segments` writes with pauses between them (as chunks when `chunked`)."""
    url = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    head = [f"POST {path} HTTP/1.1", f"Host: {url.hostname}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers.items() if k.lower() != "content-length"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    size = max(1, len(body) // segments + 1)
    for start in range(0, len(body), size):
        part = body[start:start + size]
        writer.write(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
        await writer.drain()
        await asyncio.sleep(pause)
    if chunked:
        writer.write(b"0\r\n\r\n")
    await writer.drain()
    response = await asyncio.wait_for(reader.read(), timeout=30)
    writer.close()
    status = int(response.split(b" ", 2)[1])
    return status, response.split(b"\r\n\r\n", 1)[-1]


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.fixture
async def both(fake_slack, fake_connector, sqlite_url):
    env = {**slack_env(fake_slack), "GUIDEBOT_TEAMS_LOCAL": "1", "GUIDEBOT_ADMIN_TOKEN": ADMIN}
    service = await start_service(env, db_url=sqlite_url)
    yield service
    await stop_service(service)


# --- whole bodies ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("chunked", [False, True], ids=["segments", "chunked"])
async def test_a_signed_slack_event_arriving_in_pieces_is_verified_and_answered(both, fake_slack, chunked):
    question = "kan jeg legge ut bilde av barn? " + "x" * 20_000
    body = event_body(dm_event(question), "EvSplit")
    status, _ = await send_raw(both.url, "/slack/events", signed_headers(body), body.encode(), chunked=chunked)
    assert status == 200
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert "for langt" in post.args["text"]  # the whole (long) question arrived and got the polite reply


async def test_a_signed_slash_command_arriving_in_pieces_is_answered(both, fake_slack):
    body = command_body("/guideline", "kan jeg legge ut bilde av barn? " + "og " * 2000, fake_slack.url + "/response/1")
    status, _ = await send_raw(both.url, "/slack/events", signed_headers(body, content_type=FORM), body.encode(),
                               segments=4)
    assert status == 200
    await fake_slack.wait_for("response_url")


@pytest.mark.parametrize("chunked", [False, True], ids=["segments", "chunked"])
async def test_a_teams_activity_arriving_in_pieces_is_answered(both, fake_connector, chunked):
    body = json.dumps(activity(fake_connector.url, text="kan jeg legge ut bilde av barn? " + "ja " * 5000))
    status, _ = await send_raw(both.url, "/api/messages", {"Content-Type": "application/json"}, body.encode(),
                               chunked=chunked)
    assert status == 201
    await fake_connector.wait_for(1)


@pytest.mark.parametrize("chunked", [False, True], ids=["segments", "chunked"])
async def test_a_guideline_published_in_pieces_goes_live_whole(both, chunked):
    text = (ROOT / "knowledge" / "guideline.yaml").read_text(encoding="utf-8").replace(
        'version: "1.0"', 'version: "1.1"', 1)
    headers = {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/x-yaml"}
    status, answer = await send_raw(both.url, "/admin/knowledge?note=split", headers, text.encode(), segments=2,
                                    pause=0.3, chunked=chunked)
    assert status == 201, answer
    assert len(both.bot.guideline.passages) == 80
    assert both.bot.guideline.passages[-1].text.endswith("www.lorenskog.kommune.no")


async def test_a_chunked_upload_over_the_limit_is_refused_and_nothing_changes(both):
    before = both.bot.guideline.checksum
    headers = {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/x-yaml"}
    status, _ = await send_raw(both.url, "/admin/knowledge", headers, b"# " + b"x" * 1_200_000, segments=6,
                               pause=0.05, chunked=True)
    assert status == 413
    assert both.bot.guideline.checksum == before


# --- parsing that cannot crash -----------------------------------------------------------------------------
async def test_deeply_nested_json_is_refused_with_400_on_every_route(both):
    body = deep(100_000)
    slack = await both.post("/slack/events", body, signed_headers(body))
    teams = await both.post("/api/messages", body, {"Content-Type": "application/json"})
    admin = await both.post("/admin/knowledge", json.dumps({"guideline": "x", "checklist": deep(10)})[:-1] + deep(100_000) + "}",
                            {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"})
    rollback = await both.post("/admin/knowledge/rollback", body,
                               {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"})
    assert [slack.status, teams.status, admin.status, rollback.status] == [400, 400, 400, 400]


async def test_deep_json_to_teams_in_authenticated_mode_is_refused_without_a_500(fake_slack, sqlite_url):
    env = {**slack_env(fake_slack), "MicrosoftAppId": "11111111-2222-3333-4444-555555555555",
           "MicrosoftAppPassword": "secret"}
    service = await start_service(env, db_url=sqlite_url)
    try:
        response = await service.post("/api/messages", deep(100_000), {"Content-Type": "application/json"})
        assert response.status in (400, 401)
    finally:
        await stop_service(service)


def billion_laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


async def test_a_yaml_alias_bomb_in_an_uploaded_checklist_is_refused_and_nothing_changes(both):
    before = both.bot.guideline.checksum
    guideline = (ROOT / "knowledge" / "guideline.yaml").read_text(encoding="utf-8")
    for checklist in (billion_laughs(7), "a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 3000))):
        body = json.dumps({"guideline": guideline, "checklist": checklist, "note": "x"})
        response = await both.post("/admin/knowledge", body,
                                   {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"})
        assert response.status == 400
        refusal = await response.json()
        assert "checklist.yaml" in refusal["file"] and "expands to more than" in refusal["message"]
    assert both.bot.guideline.checksum == before


@pytest.mark.parametrize("field, value", [("glossary", 5), ("checklist", ["x"]), ("note", {"a": 1})])
async def test_wrong_field_types_in_the_admin_json_are_refused_naming_the_field(both, field, value):
    guideline = (ROOT / "knowledge" / "guideline.yaml").read_text(encoding="utf-8")
    body = json.dumps({"guideline": guideline, field: value})
    async with both.http.post(both.url + "/admin/knowledge", data=body,
                              headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"}) as r:
        assert r.status == 400
        assert field in (await r.json())["error"]


# --- all or nothing ----------------------------------------------------------------------------------------
async def with_fault(env: dict[str, str], db_file: str, trigger: str):
    """A service on a database whose trigger fails a write: the schema is made by a first start, the
    trigger added while no service holds the file, then the service started again."""
    await stop_service(await start_service(env, db_url=f"sqlite:///{db_file}"))
    with sqlite3.connect(db_file, timeout=15) as conn:
        conn.execute(trigger)
    return await start_service(env, db_url=f"sqlite:///{db_file}")


async def test_a_request_whose_notices_cannot_be_queued_is_not_kept_half_done(fake_slack, tmp_path):
    db_file = str(tmp_path / "guidebot.db")
    service = await with_fault(slack_env(fake_slack), db_file, "CREATE TRIGGER fault BEFORE INSERT ON outbox "
                               "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    try:
        form = interaction_body(view_submission(filled()))
        async with service.http.post(service.url + "/slack/events", data=form,
                                     headers=signed_headers(form, content_type=FORM)) as response:
            assert response.status == 200
            assert "errors" in await response.text()  # the person is told; nothing pretends to be sent
        assert await service.bot.store.list_requests() == []
    finally:
        await stop_service(service)


async def test_a_version_that_cannot_go_live_is_not_recorded(fake_slack, tmp_path):
    db_file = str(tmp_path / "guidebot.db")
    service = await with_fault({**slack_env(fake_slack), "GUIDEBOT_ADMIN_TOKEN": ADMIN}, db_file,
                               "CREATE TRIGGER fault BEFORE UPDATE ON guidebot_meta WHEN NEW.key = 'live_version' "
                               "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    try:
        history = await service.bot.publisher.history()
        text = (ROOT / "knowledge" / "guideline.yaml").read_text(encoding="utf-8").replace(
            'version: "1.0"', 'version: "1.1"', 1)
        response = await service.post("/admin/knowledge?note=ny", text, {"Authorization": f"Bearer {ADMIN}",
                                                                 "Content-Type": "application/x-yaml"})
        assert response.status == 503, await response.text()  # refused clearly: try again later
        assert [r.id for r in await service.bot.publisher.history()] == [r.id for r in history]
        assert service.bot.guideline.document.version == "1.0"
    finally:
        await stop_service(service)


# --- isolation ---------------------------------------------------------------------------------------------
async def test_a_dead_teams_connector_does_not_stall_slack_or_the_admin_api(both, fake_slack, fake_connector):
    """40 Teams turns whose replies hang: a Slack DM is still answered, a publish still returns, and every
    Teams request gets its HTTP response within the turn deadline."""
    fake_connector.hang = True
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def teams_turn(n: int) -> int:
        body = json.dumps(activity(fake_connector.url, text=f"kan jeg legge ut bilde av barn? {n}"))
        async with both.http.post(both.url + "/api/messages", data=body,
                                  headers={"Content-Type": "application/json"}) as response:
            return response.status

    turns = [asyncio.create_task(teams_turn(n)) for n in range(40)]
    await asyncio.sleep(1.0)  # the turns are in flight, their replies hanging

    body = event_body(dm_event("kan jeg legge ut bilde av barn?"), "EvWhileTeamsHangs")
    asked = loop.time()
    assert (await both.post("/slack/events", body, signed_headers(body))).status == 200
    await fake_slack.wait_for("chat.postMessage", timeout=5)
    assert loop.time() - asked < 5

    text = (ROOT / "knowledge" / "guideline.yaml").read_text(encoding="utf-8").replace(
        'version: "1.0"', 'version: "1.1"', 1)
    published = loop.time()
    response = await both.post("/admin/knowledge?note=under%20load", text,
                               {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/x-yaml"})
    assert response.status == 201 and loop.time() - published < 5

    statuses = await asyncio.wait_for(asyncio.gather(*turns), timeout=40)
    assert set(statuses) <= {201, 202}
    assert loop.time() - started < 40
