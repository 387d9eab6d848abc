"""Both cores and overload: worker processes share one port and the database; too many questions at once
get a polite "busy, try again" instead of a growing queue."""
from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys

import aiohttp

from conftest import ROOT, SETTINGS_YAML, slack_env, start_service, stop_service
from slack_fakes import command_body, dm_event, event_body, signed_headers

FORM = "application/x-www-form-urlencoded"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_two_worker_processes_share_the_port_and_answer_a_retried_event_once(fake_slack, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "GUIDEBOT_"))}
    env.update({**slack_env(fake_slack), "WEB_CONCURRENCY": "2", "PORT": str(port), "GUIDEBOT_SEMANTIC": "off",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'guidebot.db'}"})
    service = subprocess.Popen([sys.executable, "-m", "guidebot.adapters", "serve"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        workers: set[int] = set()
        async with aiohttp.ClientSession() as http:
            for _ in range(600):  # both workers up, each answering on the same port
                try:
                    async with http.get(url + "/healthz", headers={"Connection": "close"}) as response:
                        workers.add((await response.json())["worker"])
                except aiohttp.ClientError:
                    pass
                if len(workers) == 2:
                    break
                await asyncio.sleep(0.1)
            assert len(workers) == 2, "two worker processes answer on one port"

            body = event_body(dm_event("kan jeg legge ut bilde av barn?"), "EvRetried")

            async def deliver(attempt: int) -> int:
                headers = {**signed_headers(body), "Connection": "close"}
                if attempt:
                    headers.update({"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"})
                async with http.post(url + "/slack/events", data=body, headers=headers) as response:
                    return response.status

            assert set(await asyncio.gather(*(deliver(n) for n in range(12)))) == {200}
            await fake_slack.wait_for("chat.postMessage")
            await asyncio.sleep(1.5)
            assert len(fake_slack.of("chat.postMessage")) == 1, "one answer, whichever worker got each delivery"
    finally:
        service.terminate()
        output, _ = service.communicate(timeout=30)
    assert service.returncode == 0, output[-2000:]


async def test_more_questions_at_once_than_allowed_get_a_polite_busy_reply_and_none_is_lost(fake_slack, sqlite_url):
    settings = SETTINGS_YAML + "thresholds: {max_answers_in_flight: 1}\n"
    service = await start_service(slack_env(fake_slack), settings_yaml=settings, db_url=sqlite_url)
    try:
        async def ask(n: int) -> int:
            body = command_body("/guideline", "kan jeg legge ut bilde av barn?", f"{fake_slack.url}/response/{n}")
            return (await service.post("/slack/events", body, signed_headers(body, content_type=FORM))).status

        assert set(await asyncio.gather(*(ask(n) for n in range(30)))) == {200}
        replies = await fake_slack.wait_for("response_url", count=30, timeout=20)
        texts = [json.dumps(r.args, ensure_ascii=False) for r in replies]
        busy = [t for t in texts if "Prøv igjen om et øyeblikk" in t]
        answered = [t for t in texts if "skriftlig tillatelse fra foreldre" in t]
        assert busy and answered and len(busy) + len(answered) == 30
    finally:
        await stop_service(service)


def test_a_wrong_worker_count_stops_start_up_with_a_reason(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "GUIDEBOT_"))}
    env.update({"WEB_CONCURRENCY": "many", "GUIDEBOT_TEAMS_LOCAL": "1", "PORT": str(_free_port())})
    result = subprocess.run([sys.executable, "-m", "guidebot.adapters", "serve"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "WEB_CONCURRENCY" in result.stdout + result.stderr
