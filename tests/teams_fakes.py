"""Outside services for the Teams scenarios: a stand-in Bot Connector at the activities' serviceUrl,
and Activity JSON as Teams sends it. Only the connector is faked; the SDK and the bot are real."""
from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = "28:guidebot"
_ids = itertools.count(1)


@dataclass
class Posted:
    verb: str  # reply, send, update
    conversation: str
    activity: dict[str, Any]
    reply_to: str | None = None
    authorization: str = ""  # the bot's own token, as the connector received it
    sent_id: str = ""  # the id the connector gave the new message


@dataclass
class FakeConnector:
    posted: list[Posted] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # Azure AD id → display name (the roster)
    fail: int = 0
    hang: bool = False  # accept connections and never answer: a Teams connector that is down
    url: str = ""
    _runner: web.AppRunner | None = None
    _released: asyncio.Event | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._reply)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._released:
            self._released.set()
        if self._runner:
            await self._runner.cleanup()

    async def _record(self, request: web.Request, verb: str) -> web.Response:
        body = await request.json()
        if self.hang:
            self._released = self._released or asyncio.Event()
            await self._released.wait()  # until the test ends
            return web.Response(status=503)
        if self.fail:
            self.fail -= 1
            return web.json_response({"error": {"code": "ServiceError", "message": "unavailable"}}, status=503)
        sent_id = f"sent-{next(_ids)}"
        self.posted.append(Posted(verb, request.match_info["conversation"], body, request.match_info.get("activity"),
                                  request.headers.get("Authorization", ""), sent_id))
        return web.json_response({"id": sent_id}, status=201 if verb != "update" else 200)

    async def _member(self, request: web.Request) -> web.Response:
        """The roster: people the fake knows by Azure AD id (`people`), else 404 as Teams answers."""
        member = request.match_info["member"]
        if member not in self.people:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response({"id": f"29:{member}", "name": self.people[member], "aadObjectId": member})

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._record(request, "reply")

    async def _send(self, request: web.Request) -> web.Response:
        return await self._record(request, "send")

    async def _update(self, request: web.Request) -> web.Response:
        return await self._record(request, "update")

    async def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[Posted]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.posted) >= count:
                return list(self.posted)
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} connector call(s), got {len(self.posted)}")


def activity(service_url: str, *, type_: str = "message", text: str | None = None, user: str = "29:employee",
             aad: str = "aad-employee", name: str = "Kari Nordmann", conversation: str = "a:personal-employee",
             conversation_type: str = "personal", value: Any = None, reply_to: str | None = None,
             locale: str = "nb-NO", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": type_, "id": f"act-{next(_ids)}", "timestamp": "2026-11-24T10:00:00.000Z", "serviceUrl": service_url,
        "channelId": "msteams", "from": {"id": user, "name": name, "aadObjectId": aad},
        "conversation": {"id": conversation, "conversationType": conversation_type, "tenantId": "tenant-1"},
        "recipient": {"id": BOT_ID, "name": "guidebot"}, "locale": locale,
        "channelData": {"tenant": {"id": "tenant-1"}},
    }
    if text is not None:
        body["text"] = text
    if value is not None:
        body["value"] = value
    if reply_to:
        body["replyToId"] = reply_to
    body.update(extra)
    return body


def mention_in_channel(service_url: str, question: str) -> dict[str, Any]:
    return activity(service_url, text=f"<at>guidebot</at> {question}", conversation="19:general@thread.tacv2;messageid=1700",
                    conversation_type="channel",
                    entities=[{"type": "mention", "text": "<at>guidebot</at>",
                               "mentioned": {"id": BOT_ID, "name": "guidebot"}}],
                    channelData={"tenant": {"id": "tenant-1"}, "team": {"id": "19:team@thread.tacv2"},
                                 "channel": {"id": "19:general@thread.tacv2"}})


def card_of(posted: Posted) -> dict[str, Any]:
    [attachment] = posted.activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]
