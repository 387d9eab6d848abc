"""kill -9 at work: whatever moment the host dies, no half-done state is left behind.

The service runs as its own process; requests and publishes stream in; it is killed with SIGKILL while
they do. The database is then read as the next start would find it.
"""
from __future__ import annotations

from collections.abc import Callable

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys

import aiohttp

from conftest import ADMIN, ROOT, slack_env
from slack_fakes import interaction_body, signed_headers
from test_slack_new_channel import filled, view_submission

FORM = "application/x-www-form-urlencoded"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _service(tmp_path, fake_slack) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    settings = tmp_path / "settings.yaml"
    settings.write_text("comms_chief: {slack: U0CHIEF}\ncomms_channel: {slack: CCOMMS}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "GUIDEBOT_"))}
    env.update({**slack_env(fake_slack), "PORT": str(port), "WEB_CONCURRENCY": "1", "GUIDEBOT_SEMANTIC": "off",
                "GUIDEBOT_ADMIN_TOKEN": ADMIN, "GUIDEBOT_SETTINGS": str(settings),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'guidebot.db'}"})
    process = subprocess.Popen([sys.executable, "-m", "guidebot.adapters", "serve"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            try:
                async with http.get(url + "/readyz") as response:
                    if response.status == 200:
                        return process, url
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    raise AssertionError("the service did not start")


async def _kill_while(process: subprocess.Popen, work: asyncio.Task, after: float,
                      started: Callable[[], bool] = lambda: True) -> None:
    """Kills `after` seconds in, and not before `started()` says the work has begun (a busy machine)."""
    await asyncio.sleep(after)
    for _ in range(200):
        if started() or work.done():
            break
        await asyncio.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    await asyncio.gather(work, return_exceptions=True)


def _count(tmp_path) -> int:
    try:
        with sqlite3.connect(tmp_path / "guidebot.db") as db:
            return db.execute("SELECT count(*) FROM checklist_requests").fetchone()[0]
    except sqlite3.Error:  # not made yet, or locked for a moment
        return 0


async def _submit_many(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        async def one(n: int) -> None:
            values = filled(name={"value": {"type": "plain_text_input", "value": f"Kanal {n}"}})
            form = interaction_body(view_submission(values, user=f"U{n}"))
            async with http.post(url + "/slack/events", data=form,
                                 headers=signed_headers(form, content_type=FORM)) as response:
                await response.read()
        await asyncio.gather(*(one(n) for n in range(60)), return_exceptions=True)


async def _publish_many(url: str, text: str, label: str) -> None:
    async with aiohttp.ClientSession() as http:
        for n in range(1, 200):
            body = text.replace('version: "1.0"', f'version: "1.{n}.{label}"', 1)
            async with http.post(url + f"/admin/knowledge?note=run%20{n}", data=body.encode(),
                                 headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/x-yaml"}
                                 ) as response:
                await response.read()


async def test_killed_while_requests_stream_in_every_kept_request_has_its_chief_notice(fake_slack, tmp_path):
    for after in (0.15, 0.4):  # two different moments
        process, url = await _service(tmp_path, fake_slack)
        await _kill_while(process, asyncio.create_task(_submit_many(url)), after, lambda: _count(tmp_path) > 0)
        with sqlite3.connect(tmp_path / "guidebot.db") as db:
            kept = {row[0] for row in db.execute("SELECT id FROM checklist_requests")}
            noticed = {json.loads(row[0])["request_id"] for row in
                       db.execute("SELECT payload FROM outbox WHERE kind = 'new_channel_request'")}
        assert kept, "the kill came before any request was kept: nothing was tested"
        assert kept <= noticed, f"requests kept without a notice to the chief: {sorted(kept - noticed)}"


async def test_killed_while_publishing_the_newest_recorded_version_is_the_live_one(fake_slack, tmp_path):
    text = (ROOT / "knowledge" / "guideline.yaml").read_text(encoding="utf-8")
    for after in (0.3, 0.7):
        process, url = await _service(tmp_path, fake_slack)
        await _kill_while(process, asyncio.create_task(_publish_many(url, text, str(after))), after)
        with sqlite3.connect(tmp_path / "guidebot.db") as db:
            newest = db.execute("SELECT max(id) FROM knowledge_versions").fetchone()[0]
            live = db.execute("SELECT value FROM guidebot_meta WHERE key = 'live_version'").fetchone()[0]
        assert newest > 1, "the kill came before any publish: nothing was tested"
        assert int(live) == newest, "a recorded version that never went live"
