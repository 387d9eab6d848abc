"""Load on the running service over loopback: signed Slack commands and DM events (and Teams messages).

    python bench/slack_load.py [--total 2000] [--concurrency 50] [--teams]

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

    def _land(self, key: str) -> None:
        self.arrived[key] = time.perf_counter()
        waiter = self.waiters.get(key)
        if waiter and not waiter.done():
            waiter.set_result(self.arrived[key])

    async def api(self, request: web.Request) -> web.Response:
        data = dict(request.query)
        raw = await request.text()
        if request.content_type == "application/json" and raw:
            data.update(json.loads(raw))
        if request.match_info["method"] == "chat.postMessage":
            self._land("slack:" + str(data.get("channel")))
        return web.json_response({"ok": True, "ts": "1.1", "channel": data.get("channel")})

    async def response(self, request: web.Request) -> web.Response:
        await request.read()
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

    port = free_port()
    workdir = tempfile.mkdtemp(prefix="guidebot-bench-")
    env = {**os.environ, "PORT": str(port), "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": fake + "/api/", "LOG_LEVEL": "WARNING"}
    if args.teams:
        env["GUIDEBOT_TEAMS_LOCAL"] = "1"
    service = subprocess.Popen([sys.executable, "-m", "guidebot.adapters", "serve"], env=env, cwd=workdir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kinds = ["command", "dm"] + (["teams"] if args.teams else [])
    try:
        async with aiohttp.ClientSession() as http:
            await wait_healthy(http, port)
            results: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
            semaphore = asyncio.Semaphore(args.concurrency)

            async def one(i: int) -> None:
                kind = kinds[i % len(kinds)]
                path, body, headers, key = request_for(i, kind, fake)
                async with semaphore:
                    arrival = recorder.wait(key)
                    start = time.perf_counter()
                    async with http.post(f"http://127.0.0.1:{port}{path}", data=body, headers=headers) as r:
                        await r.read()
                        status = r.status
                    acked = time.perf_counter()
                    if status >= 300:
                        raise RuntimeError(f"{kind} got HTTP {status}")
                    landed = await asyncio.wait_for(arrival, timeout=30)
                results[kind].append(((acked - start) * 1000, (landed - start) * 1000))

            started = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(args.total)))
            elapsed = time.perf_counter() - started
        peak = _peak_memory_mb(service.pid)
    finally:
        service.terminate()
        service.wait(timeout=30)
        await runner.cleanup()
    print(f"{args.total} requests, {args.concurrency} concurrent, {elapsed:.1f} s, {args.total / elapsed:.0f} requests/s, "
          f"service peak memory {peak:.0f} MB (database: {_database_name()})")
    print(f"  {'kind':<10}{'n':>6}{'ack p50':>10}{'ack p99':>10}{'reply p50':>11}{'reply p99':>11}  (ms)")
    for kind, rows in results.items():
        acks, replies = [r[0] for r in rows], [r[1] for r in rows]
        print(f"  {kind:<10}{len(rows):>6}{percentile(acks, .5):>10.1f}{percentile(acks, .99):>10.1f}"
              f"{percentile(replies, .5):>11.1f}{percentile(replies, .99):>11.1f}")


def _database_name() -> str:
    """Driver and host only: a DATABASE_URL may carry a password."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "SQLite"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme} at {parts.hostname}:{parts.port or ''}"


def _peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--teams", action="store_true", help="also send Teams activities to /api/messages (local mode)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
