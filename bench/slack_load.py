"""Load on the running service over loopback: signed Slack commands and DM events (and Teams messages).

    python bench/slack_load.py [--total 2000] [--concurrency 50] [--teams]
    python bench/slack_load.py --rate 1000 --total 5000 --workers 2 --floor   # open loop, with the floor

Starts `guidebot serve` as its own process (SQLite in a temporary directory unless DATABASE_URL is set),
a stand-in Slack Web API / response_url / Bot Connector that records arrival times, and sends requests
`--concurrency` at a time. Prints p50/p99 time to the HTTP ack and to the reply arriving at the stand-in,
requests per second, and the service's peak memory (VmHWM). Traffic goes to 127.0.0.1 only; the loop is
bounded by --total.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-signing-secret"
QUESTIONS = ["kan jeg legge ut bilde av barn?", "can I post a photo of kids?", "hvem må godkjenne en ny facebookside",
             "do we need a marketing plan", "What's for lunch today?", "gjelder taushetsplikten på sosiale medier?"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class Recorder:
    """Stand-in for Slack's Web API, response_url and the Teams Bot Connector: notes when each reply lands."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.waiters: dict[str, asyncio.Future[float]] = {}
        self.busy = 0  # polite "busy, try again" replies

    def _note_busy(self, raw: str) -> None:
        self.busy += "try again in a moment" in raw or "Prøv igjen om et øyeblikk" in raw

    def _land(self, key: str) -> None:
        self.arrived[key] = time.perf_counter()
        waiter = self.waiters.get(key)
        if waiter and not waiter.done():
            waiter.set_result(self.arrived[key])

    async def api(self, request: web.Request) -> web.Response:
        data = dict(request.query)
        raw = await request.text()
        self._note_busy(raw)
        if request.content_type == "application/json" and raw:
            data.update(json.loads(raw))
        if request.match_info["method"] == "chat.postMessage":
            self._land("slack:" + str(data.get("channel")))
        return web.json_response({"ok": True, "ts": "1.1", "channel": data.get("channel")})

    async def response(self, request: web.Request) -> web.Response:
        self._note_busy(await request.text())
        self._land("cmd:" + request.match_info["id"])
        return web.Response(text="ok")

    async def connector(self, request: web.Request) -> web.Response:
        await request.read()
        self._land("teams:" + request.match_info["conversation"])
        return web.json_response({"id": "reply"}, status=201)

    def wait(self, key: str) -> asyncio.Future[float]:
        future = asyncio.get_running_loop().create_future()
        if key in self.arrived:
            future.set_result(self.arrived[key])
        self.waiters[key] = future
        return future


async def wait_healthy(http: aiohttp.ClientSession, port: int, attempts: int = 300) -> None:
    """Until the service on `port` answers /healthz (it indexes and opens its database first)."""
    for _ in range(attempts):
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the service on port {port} did not start")


def sign(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def request_for(i: int, kind: str, fake: str) -> tuple[str, str, dict[str, str], str]:
    question = QUESTIONS[i % len(QUESTIONS)]
    if kind == "command":
        body = urlencode({"token": "x", "team_id": "T1", "channel_id": "C1", "user_id": f"U{i}", "user_name": "b",
                          "command": "/guideline", "text": question, "response_url": f"{fake}/response/{i}",
                          "trigger_id": "t", "api_app_id": "A1"})
        return "/slack/events", body, {**sign(body), "Content-Type": "application/x-www-form-urlencoded"}, f"cmd:{i}"
    if kind == "dm":
        body = json.dumps({"type": "event_callback", "event_id": f"EvBench{i}-{time.time_ns()}", "team_id": "T1",
                           "api_app_id": "A1", "event": {"type": "message", "channel_type": "im", "channel": f"D{i}",
                                                         "user": f"U{i}", "text": question, "ts": f"{i}.0"}})
        return "/slack/events", body, {**sign(body), "Content-Type": "application/json"}, f"slack:D{i}"
    body = json.dumps({"type": "message", "id": f"a{i}", "text": question, "serviceUrl": f"{fake}/teams/",
                       "channelId": "msteams", "from": {"id": f"29:u{i}", "name": "b"}, "recipient": {"id": "28:bot"},
                       "conversation": {"id": f"conv{i}", "conversationType": "personal"}, "locale": "nb-NO"})
    return "/api/messages", body, {"Content-Type": "application/json"}, f"teams:conv{i}"


async def run(args: argparse.Namespace) -> None:
    recorder = Recorder()
    app = web.Application()
    app.router.add_route("*", "/api/{method}", recorder.api)
    app.router.add_post("/response/{id}", recorder.response)
    app.router.add_post("/teams/v3/conversations/{conversation}/activities/{activity}", recorder.connector)
    app.router.add_post("/teams/v3/conversations/{conversation}/activities", recorder.connector)
    runner = web.AppRunner(app)
    await runner.setup()
    fake_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", fake_port).start()
    fake = f"http://127.0.0.1:{fake_port}"
    kinds = ["command", "dm"] + (["teams"] if args.teams else [])
    try:
        targets = [("guidebot", _start_guidebot)] + ([("do-nothing floor", _start_floor)] if args.floor else [])
        for label, start in targets:
            recorder.busy = 0
            recorder.arrived.clear()
            await _measure(label, start, args, recorder, fake, kinds)
    finally:
        await runner.cleanup()


async def _wait_semantic(http: aiohttp.ClientSession, port: int) -> None:
    """Measure the steady state: after start-up the semantic signal is added in the background."""
    if os.environ.get("GUIDEBOT_SEMANTIC", "on") == "off":
        return
    for _ in range(600):
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            if (await response.json()).get("semantic", True):
                return
        await asyncio.sleep(0.1)


def _start_guidebot(port: int, fake: str, args: argparse.Namespace) -> subprocess.Popen:
    workdir = tempfile.mkdtemp(prefix="guidebot-bench-")
    env = {**os.environ, "PORT": str(port), "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": fake + "/api/", "LOG_LEVEL": "WARNING", "WEB_CONCURRENCY": str(args.workers)}
    if args.teams:
        env["GUIDEBOT_TEAMS_LOCAL"] = "1"
    return subprocess.Popen([sys.executable, "-m", "guidebot.adapters", "serve"], env=env, cwd=workdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _start_floor(port: int, fake: str, args: argparse.Namespace) -> subprocess.Popen:
    """A minimal Bolt app on one process: verify, ack, reply with a fixed text. Nothing can be faster."""
    return subprocess.Popen([sys.executable, __file__, "--serve-floor", str(port), fake],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _measure(label: str, start: Any, args: argparse.Namespace, recorder: Recorder, fake: str,
                   kinds: list[str]) -> None:
    port = free_port()
    service = start(port, fake, args)
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await wait_healthy(http, port)
            await _wait_semantic(http, port)
            results: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
            failed: list[str] = []
            semaphore = asyncio.Semaphore(args.concurrency)
            began = time.perf_counter()

            async def one(i: int) -> None:
                kind = kinds[i % len(kinds)]
                path, body, headers, key = request_for(i, kind, fake)
                if args.rate:  # open loop: requests are offered on a schedule, whatever the service does
                    await asyncio.sleep(max(0.0, began + i / args.rate - time.perf_counter()))
                start_at = began + i / args.rate if args.rate else time.perf_counter()
                async with semaphore:
                    arrival = recorder.wait(key)
                    async with http.post(f"http://127.0.0.1:{port}{path}", data=body, headers=headers) as r:
                        await r.read()
                        status = r.status
                    acked = time.perf_counter()
                    if status >= 300:
                        failed.append(f"{kind}: HTTP {status}")
                        return
                try:
                    landed = await asyncio.wait_for(arrival, timeout=60)
                except TimeoutError:
                    failed.append(f"{kind}: no reply in 60 s")
                    return
                results[kind].append(((acked - start_at) * 1000, (landed - start_at) * 1000))

            await asyncio.gather(*(one(i) for i in range(args.total)))
            elapsed = time.perf_counter() - began
        peak = _peak_memory_mb(service.pid)
    finally:
        service.terminate()
        service.wait(timeout=30)
    offered = f"{args.rate} req/s offered (open loop)" if args.rate else "closed loop"
    print(f"{label}: {args.total} requests, {offered}, at most {args.concurrency} in flight, {elapsed:.1f} s, "
          f"{args.total / elapsed:.0f} requests/s, {recorder.busy} polite busy replies, {len(failed)} lost or failed, "
          f"peak memory {peak:.0f} MB (database: {_database_name()}, workers: {args.workers})")
    print(f"  {'kind':<10}{'n':>6}{'ack p50':>10}{'ack p99':>10}{'reply p50':>11}{'reply p99':>11}  (ms)")
    for kind, rows in results.items():
        acks, replies = [r[0] for r in rows], [r[1] for r in rows]
        print(f"  {kind:<10}{len(rows):>6}{percentile(acks, .5):>10.1f}{percentile(acks, .99):>10.1f}"
              f"{percentile(replies, .5):>11.1f}{percentile(replies, .99):>11.1f}")
    for reason in sorted(set(failed))[:5]:
        print(f"  failed: {reason} ({failed.count(reason)})")


def serve_floor(port: int, fake: str) -> None:
    """The do-nothing floor: Bolt with the same signature check, acking and replying with a fixed text."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.authorization import AuthorizeResult
    from slack_sdk.web.async_client import AsyncWebClient

    async def authorize(enterprise_id: Any, team_id: Any) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token="xoxb-bench")

    bolt = AsyncApp(client=AsyncWebClient(token="xoxb-bench", base_url=fake + "/api/"), signing_secret=SECRET,
                    authorize=authorize)

    @bolt.command("/guideline")
    async def command(ack: Any, respond: Any) -> None:
        await ack()
        await respond(text="ok")

    @bolt.event("message")
    async def message(event: dict[str, Any], client: AsyncWebClient) -> None:
        await client.chat_postMessage(channel=event["channel"], text="ok")

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/slack/events", handle)
    app.router.add_get("/healthz", health)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


def _database_name() -> str:
    """Driver and host only: a DATABASE_URL may carry a password."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "SQLite"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme} at {parts.hostname}:{parts.port or ''}"


def _peak_memory_mb(pid: int) -> float:
    """Peak resident memory of the process and its worker processes, added up."""
    total = 0.0
    for process in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--teams", action="store_true", help="also send Teams activities to /api/messages (local mode)")
    parser.add_argument("--rate", type=float, default=0.0, help="open loop: requests offered per second")
    parser.add_argument("--workers", type=int, default=1, help="WEB_CONCURRENCY of the service")
    parser.add_argument("--floor", action="store_true", help="also measure a minimal Bolt app, the floor")
    parser.add_argument("--serve-floor", nargs=2, metavar=("PORT", "FAKE_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_floor:
        serve_floor(int(args.serve_floor[0]), args.serve_floor[1])
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
