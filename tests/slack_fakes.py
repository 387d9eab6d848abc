"""Outside services for the Slack scenarios: a stand-in Web API that records calls, and request signing.

Only Slack itself is faked; the bot, its aiohttp server, Bolt and the database are the real ones.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from aiohttp import web

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    ts: str = ""  # the message's ts as the fake answered it


@dataclass
class FakeSlack:
    """Slack's Web API (and response_url) on loopback; `fail` makes the next calls of a method fail."""

    calls: list[Call] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)
    not_member: set[str] = field(default_factory=set)  # channels the bot was never added to
    rate_limited: dict[str, int] = field(default_factory=dict)  # method → how many calls get 429 first
    threads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # thread ts → its messages
    url: str = ""
    _runner: web.AppRunner | None = None
    _ts: int = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk reads some methods with GET
        app.router.add_post("/response/{id}", self._response)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _args(self, request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        args: dict[str, Any] = dict(request.query)  # slack_sdk sends some arguments as query parameters
        if request.content_type == "application/json":
            args.update(json.loads(raw or "{}"))
        else:
            args.update({k: v[0] for k, v in parse_qs(raw).items()})
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        if self.fail.get(method):
            self.fail[method] -= 1
            self.calls.append(Call(method + "!failed", args))
            return web.json_response({"ok": False, "error": "service_unavailable"}, status=503)
        if self.rate_limited.get(method):
            self.rate_limited[method] -= 1
            self.calls.append(Call(method + "!ratelimited", args))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        if method.startswith("chat.post") and args.get("channel") in self.not_member:
            self.calls.append(Call(method + "!not_in_channel", args))
            return web.json_response({"ok": False, "error": "not_in_channel"})  # as Slack answers it: 200
        self._ts += 1
        self.calls.append(Call(method, args, f"1700000000.{self._ts:06d}"))
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "D" + args.get("users", "X")}})
        if method == "chat.getPermalink":
            return web.json_response({"ok": True, "permalink": f"https://example.slack.com/archives/{args['channel']}/p1"})
        if method == "conversations.replies":
            return web.json_response({"ok": True, "messages": self.threads.get(str(args.get("ts")), [])})
        if method == "views.open":
            return web.json_response({"ok": True, "view": {"id": "V1"}})
        return web.json_response({"ok": True, "channel": args.get("channel"), "ts": f"1700000000.{self._ts:06d}"})

    async def _response(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", await self._args(request)))
        return web.Response(text="ok")

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} {method} call(s), got {len(self.of(method))}: "
                             f"{[c.method for c in self.calls]}")


def signed_headers(body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None,
                   content_type: str = "application/json") -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}", "Content-Type": content_type}


def event_body(event: dict[str, Any], event_id: str) -> str:
    return json.dumps({"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()), "event": event})


def dm_event(text: str, user: str = "UEMPLOYEE", ts: str = "1700000001.000100") -> dict[str, Any]:
    return {"type": "message", "channel": "DEMPLOYEE", "channel_type": "im", "user": user, "text": text,
            "ts": ts, "event_ts": ts}


def command_body(command: str, text: str, response_url: str, user: str = "UEMPLOYEE") -> str:
    return urlencode({"token": "x", "team_id": "T1", "team_domain": "kommune", "channel_id": "CGENERAL",
                      "channel_name": "general", "user_id": user, "user_name": "kari", "command": command,
                      "text": text, "api_app_id": "A1", "response_url": response_url, "trigger_id": "trig-123"})


def interaction_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action(action_id: str, value: str, user: str = "UEMPLOYEE", channel: str = "DEMPLOYEE",
                 message_ts: str = "1700000000.000001", response_url: str = "") -> dict[str, Any]:
    return {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": user, "username": "kari", "name": "kari"},
            "api_app_id": "A1", "token": "x", "trigger_id": "trig-9", "response_url": response_url,
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel}, "message": {"ts": message_ts, "text": "x"},
            "actions": [{"action_id": action_id, "block_id": "answer_actions", "value": value, "type": "button",
                         "action_ts": str(time.time())}]}
