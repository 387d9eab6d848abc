"""Generated odd requests on every route, in every auth mode: none may end in a 500.

A seeded generator (reproducible: the seed is in the failure message) builds bodies that real clients
never send: wrong types in the fields the platforms define, deep and wide nesting, odd unicode, forms whose
payload is not what it claims, bytes that are not text.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable
from urllib.parse import urlencode

import pytest

from conftest import ADMIN, slack_env, start_service, stop_service
from slack_fakes import signed_headers
from teams_fakes import activity

SEED = 20261125
FIELDS = ["type", "event", "user", "channel", "text", "ts", "thread_ts", "event_id", "view", "actions", "payload",
          "value", "command", "trigger_id", "response_url", "serviceUrl", "conversation", "from", "recipient",
          "channelId", "name", "id", "guidebot", "answer_id", "passage_id", "request_id", "guideline", "glossary",
          "checklist", "note", "version", "state", "values", "private_metadata", "container", "message", "team"]
STRINGS = ["", " ", "x", "kan jeg legge ut bilde av barn?", "<!channel>", "\u0000", "\ud7ff\ue000", "æøå" * 50,
           "message", "app_mention", "block_actions", "view_submission", "invoke", "adaptiveCard/action",
           "http://127.0.0.1:9/", "feedback", "clarify_pick", "acknowledge", "new_channel_submit", "1", "-1", "NaN",
           "x" * 5000, "{\"a\": [1, 2]}", "[[[[", "%s%n", "../../etc/passwd"]


def value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(9 if depth < 6 else 5)
    if kind == 0:
        return rng.choice(STRINGS)
    if kind == 1:
        return rng.choice([0, 1, -1, 2**63, 3.5, float("1e308")])
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3:
        return "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 40)))
    if kind == 4:
        return [] if rng.random() < 0.5 else {}
    if kind in (5, 6):
        return {rng.choice(FIELDS): value(rng, depth + 1) for _ in range(rng.randrange(1, 6))}
    return [value(rng, depth + 1) for _ in range(rng.randrange(1, 5))]


def body(rng: random.Random, base: Callable[[], dict]) -> tuple[bytes, str]:
    """A body and its content type: mostly a real object with odd fields, sometimes worse."""
    roll = rng.random()
    if roll < 0.6:
        obj = base()
        for _ in range(rng.randrange(1, 5)):
            obj[rng.choice(FIELDS)] = value(rng)
        return json.dumps(obj).encode(), "application/json"
    if roll < 0.75:
        form = {rng.choice(FIELDS): json.dumps(value(rng)) if rng.random() < 0.7 else str(value(rng))
                for _ in range(rng.randrange(1, 5))}
        return urlencode(form).encode(), "application/x-www-form-urlencoded"
    if roll < 0.85:
        return json.dumps(value(rng)).encode(), "application/json"
    if roll < 0.93:
        return ("[" * rng.randrange(50, 3000) + "]" * rng.randrange(0, 3000)).encode(), "application/json"
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))), rng.choice(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", ""])


def slack_base() -> dict:
    return {"type": "event_callback", "event_id": "EvFuzz", "team_id": "T1", "api_app_id": "A1",
            "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hei",
                      "ts": "1.0"}}


async def fuzz(service, path: str, base: Callable[[], dict], headers: Callable[[bytes, str], dict], count: int,
               seed: int) -> None:
    rng = random.Random(seed)
    for n in range(count):
        raw, content_type = body(rng, base)
        response = await service.post(path, raw, headers(raw, content_type))
        assert response.status < 500, (f"seed {seed}, request {n}", path, raw[:200], response.status)


def signed(raw: bytes, content_type: str) -> dict:
    return signed_headers(raw.decode("utf-8", "replace"), content_type=content_type or "application/json")


@pytest.fixture
async def local_service(fake_slack, fake_connector, sqlite_url):
    env = {**slack_env(fake_slack), "GUIDEBOT_TEAMS_LOCAL": "1", "GUIDEBOT_ADMIN_TOKEN": ADMIN}
    service = await start_service(env, db_url=sqlite_url)
    service.connector_url = fake_connector.url  # type: ignore[attr-defined]
    yield service
    await stop_service(service)


async def test_generated_slack_bodies_signed_and_unsigned_never_end_in_500(local_service):
    await fuzz(local_service, "/slack/events", slack_base, signed, 150, SEED)
    await fuzz(local_service, "/slack/events", slack_base, lambda raw, ct: {"Content-Type": ct}, 60, SEED + 1)


async def test_generated_teams_activities_in_local_mode_never_end_in_500(local_service):
    base = lambda: activity(local_service.connector_url, text="hei")  # noqa: E731
    await fuzz(local_service, "/api/messages", base, lambda raw, ct: {"Content-Type": ct or "application/json"},
               150, SEED + 2)


async def test_generated_teams_activities_in_authenticated_mode_never_end_in_500(fake_slack, fake_connector,
                                                                                  sqlite_url):
    env = {**slack_env(fake_slack), "MicrosoftAppId": "11111111-2222-3333-4444-555555555555",
           "MicrosoftAppPassword": "x"}
    service = await start_service(env, db_url=sqlite_url)
    try:
        base = lambda: activity(fake_connector.url, text="hei")  # noqa: E731
        tokens = ["", "Bearer ", "Bearer abc", "Bearer a.b.c", "Basic x", "Bearer " + "e30." * 3]
        rng = random.Random(SEED + 3)
        await fuzz(service, "/api/messages", base,
                   lambda raw, ct: {"Content-Type": ct or "application/json", "Authorization": rng.choice(tokens)},
                   100, SEED + 3)
    finally:
        await stop_service(service)


async def test_generated_admin_uploads_with_and_without_the_token_never_end_in_500(local_service):
    def admin(token: str) -> Callable[[bytes, str], dict]:
        return lambda raw, ct: {"Content-Type": ct or "application/json", "Authorization": f"Bearer {token}"}

    base = lambda: {"guideline": "document: {}\npassages: []\n", "note": "x"}  # noqa: E731
    await fuzz(local_service, "/admin/knowledge", base, admin(ADMIN), 120, SEED + 4)
    await fuzz(local_service, "/admin/knowledge/rollback", lambda: {"version": "1.0"}, admin(ADMIN), 60, SEED + 5)
    await fuzz(local_service, "/admin/knowledge", base, admin("wrong"), 40, SEED + 6)
