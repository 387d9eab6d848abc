"""A database outage: answers keep flowing from memory, writes that must not be lost are refused clearly,
/readyz says not ready, and everything recovers without a restart.

The outage is real: a private PostgreSQL cluster started for this test (never the shared server) is
stopped and started again.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import slack_env, start_service, stop_service
from slack_fakes import dm_event, event_body, interaction_body, signed_headers
from test_slack_new_channel import filled, view_submission

FORM = "application/x-www-form-urlencoded"


def _bindir() -> Path | None:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout.strip()
        if out and (Path(out) / "initdb").exists():
            return Path(out)
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    return None


class Cluster:
    """initdb, pg_ctl start and stop, run as the `postgres` user (PostgreSQL refuses to run as root)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="guidebot-pg-", dir="/tmp"))
        os.chmod(self.dir, 0o755)
        shutil.chown(self.dir, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as_postgres("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres")

    def _as_postgres(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-o",
                          f"-p {self.port} -h 127.0.0.1 -k {self.dir}", "start")

    def stop(self) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    bindir = _bindir()
    if bindir is None or shutil.which("runuser") is None and os.geteuid() == 0:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) here to start a private cluster")
    try:
        made = Cluster(bindir)
        made.start()
    except (subprocess.CalledProcessError, KeyError, LookupError, OSError) as error:
        pytest.skip(f"could not start a private PostgreSQL cluster: {error}")
    yield made
    made.remove()


async def _ready(service) -> int:
    async with service.http.get(service.url + "/readyz") as response:
        return response.status


async def test_while_the_database_is_down_answers_flow_writes_are_refused_and_it_recovers(cluster, fake_slack):
    service = await start_service(slack_env(fake_slack), db_url=cluster.url)
    try:
        assert await _ready(service) == 200
        await asyncio.to_thread(cluster.stop)

        body = event_body(dm_event("kan jeg legge ut bilde av barn?"), "EvOutage")
        assert (await service.post("/slack/events", body, signed_headers(body))).status == 200
        [post] = await fake_slack.wait_for("chat.postMessage", timeout=10)
        assert "skriftlig tillatelse fra foreldre" in str(post.args["blocks"])
        assert await _ready(service) == 503
        async with service.http.get(service.url + "/healthz") as response:  # alive, and says what is wrong
            health = await response.json()
        assert response.status == 200 and health["status"] == "degraded" and health["database_ok"] is False

        form = interaction_body(view_submission(filled()))
        async with service.http.post(service.url + "/slack/events", data=form,
                                     headers=signed_headers(form, content_type=FORM)) as response:
            assert response.status == 200 and "errors" in await response.text()  # told; nothing pretends

        await asyncio.sleep(15)  # with the stop and start, about 20 s without a database
        await asyncio.to_thread(cluster.start)
        for _ in range(100):
            if await _ready(service) == 200:
                break
            await asyncio.sleep(0.2)
        assert await _ready(service) == 200

        async with service.http.post(service.url + "/slack/events", data=form,
                                     headers=signed_headers(form, content_type=FORM)) as response:
            assert response.status == 200 and "errors" not in await response.text()
        [request] = await service.bot.store.list_requests()
        assert request["answers"]["name"] == "Lørenskog bibliotek"
    finally:
        await stop_service(service)
