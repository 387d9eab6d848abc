"""Time from a publish to the first answer quoting the new text, on one replica and on a second one.

    python bench/publish_switch.py [--rounds 5]      (DATABASE_URL: PostgreSQL; default SQLite in a temp dir)

Starts two `guidebot serve` processes on one database (Teams local mode, so a question is a plain POST),
publishes a new version to replica A through the admin API, and asks A (one replica) or B (the other
replica) every 20 ms until the reply quotes the new text. Loopback only; bounded by --rounds.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.slack_load import free_port, wait_healthy  # noqa: E402
from guidebot.bot.knowledge import read_directory  # noqa: E402

TOKEN = "bench-admin-token-0123456789"
QUESTION = "kan jeg legge ut bilde av barn?"
RULE = "Vi skal alltid innhente skriftlig tillatelse fra foreldre før vi fotograferer barn."


async def main(rounds: int) -> None:
    replies: asyncio.Queue[str] = asyncio.Queue()

    async def connector(request: web.Request) -> web.Response:
        await replies.put(await request.text())
        return web.json_response({"id": "r"}, status=201)

    app = web.Application()
    app.router.add_post("/v3/conversations/{c}/activities/{a}", connector)
    runner = web.AppRunner(app)
    await runner.setup()
    fake_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", fake_port).start()

    workdir = tempfile.mkdtemp(prefix="guidebot-switch-")
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/guidebot.db"
    ports = [free_port(), free_port()]
    env = {**os.environ, "DATABASE_URL": database, "GUIDEBOT_ADMIN_TOKEN": TOKEN, "GUIDEBOT_TEAMS_LOCAL": "1",
           "LOG_LEVEL": "WARNING"}
    replicas = [subprocess.Popen([sys.executable, "-m", "guidebot.adapters", "serve"], cwd=workdir, env={**env, "PORT": str(p)},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for p in ports]
    base = read_directory(ROOT / "knowledge")
    results: dict[str, list[float]] = {"one replica (asks A)": [], "two replicas (asks B)": []}
    try:
        async with aiohttp.ClientSession() as http:
            for port in ports:
                await wait_healthy(http, port)
            for n in range(rounds * 2):
                label = list(results)[n % 2]
                target = ports[n % 2]
                marker = f"(utgave {n + 2})"
                text = base.guideline.replace('version: "1.0"', f'version: "2.{n}"').replace(RULE, RULE[:-1] + " " + marker + ".")
                started = time.perf_counter()
                async with http.post(f"http://127.0.0.1:{ports[0]}/admin/knowledge?note=bench", data=text.encode(),
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-yaml"}) as r:
                    assert r.status == 201, await r.text()
                while True:
                    body = json.dumps({"type": "message", "id": f"a{n}", "text": QUESTION, "channelId": "msteams",
                                       "serviceUrl": f"http://127.0.0.1:{fake_port}/", "from": {"id": "29:b", "name": "b"},
                                       "recipient": {"id": "28:bot"},
                                       "conversation": {"id": f"c{n}", "conversationType": "personal"}})
                    async with http.post(f"http://127.0.0.1:{target}/api/messages", data=body,
                                         headers={"Content-Type": "application/json"}) as r:
                        await r.read()
                    reply = await asyncio.wait_for(replies.get(), timeout=30)
                    if marker in reply:
                        results[label].append((time.perf_counter() - started) * 1000)
                        break
                    await asyncio.sleep(0.02)
    finally:
        for replica in replicas:
            replica.terminate()
            replica.wait(timeout=30)
        await runner.cleanup()
    kind = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    print(f"publish → first answer quoting the new text ({kind}, {rounds} publishes each, poll interval 2 s)")
    for label, values in results.items():
        print(f"  {label:<24} median {statistics.median(values):8.0f} ms   max {max(values):8.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
