"""Shared fixtures: the real bundled knowledge and an answer engine over it."""
from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import pytest

from guidebot.bot.answers import AnswerEngine
from guidebot.bot.knowledge import Guideline, load_directory

ROOT = Path(__file__).resolve().parent.parent

# Every scenario runs on the lexical engine alone unless it asks for the model (tests/test_outcomes.py):
# the lexical engine must keep its quality by itself, and the suite stays fast.
os.environ.setdefault("GUIDEBOT_SEMANTIC", "off")
os.environ.setdefault("WEB_CONCURRENCY", "1")  # one worker process per started service, unless a scenario asks
SOURCE = ROOT / "knowledge" / "source" / "veileder-sosiale-medier-lorenskog.txt"


@pytest.fixture(scope="session")
def guideline() -> Guideline:
    return load_directory(ROOT / "knowledge")


@pytest.fixture(scope="session")
def engine(guideline: Guideline) -> AnswerEngine:
    return AnswerEngine(guideline)


# --- a running service ------------------------------------------------------------------------------
import contextlib  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any
from collections.abc import AsyncIterator  # noqa: E402

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from guidebot.bot.settings import parse_settings  # noqa: E402
from slack_fakes import BOT_TOKEN, SIGNING_SECRET, FakeSlack  # noqa: E402
from teams_fakes import FakeConnector  # noqa: E402

SETTINGS_YAML = """
organisation: Testkommune
comms_chief: {slack: U0CHIEF, teams: aad-chief}
comms_channel: {slack: CCOMMS}
comms_team: {slack: [U0CHIEF, U0COMMS], teams: [aad-chief]}
announcement_channels: {slack: [CANNOUNCE]}
"""


@dataclass
class Service:
    url: str
    app: web.Application
    runner: web.AppRunner
    http: aiohttp.ClientSession

    @property
    def bot(self):
        from guidebot.adapters.server import BOT_KEY

        return self.app[BOT_KEY]

    async def post(self, path: str, body: str | bytes, headers: dict[str, str]) -> aiohttp.ClientResponse:
        async with self.http.post(self.url + path, data=body, headers=headers) as response:
            await response.read()
            return response


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_service(env: dict[str, str], *, settings_yaml: str = SETTINGS_YAML, db_url: str,
                        knowledge: Any = None, port: int = 0) -> Service:
    """`port`: a fixed one, for scenarios whose settings name the service's own address (workbench_url)."""
    from guidebot.adapters.server import config_from_env, create_app
    from guidebot.bot.store import Store

    config = config_from_env(env)
    app = create_app(config, settings=parse_settings(settings_yaml), knowledge=knowledge, store=Store(db_url))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    service = Service(f"http://127.0.0.1:{port}", app, runner, aiohttp.ClientSession())
    service.bot.outbox.base_delay = 0.05  # quick retries; the backoff shape is the same
    service.bot.outbox.poll_interval = 0.05
    service.bot.publisher.poll_interval = 0.2
    return service


async def stop_service(service: Service) -> None:
    await service.http.close()
    await service.runner.cleanup()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'guidebot.db'}"


POSTGRES_URL = os.environ.get("GUIDEBOT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def _admin(url: str, statement: str) -> None:
    """CREATE/DROP DATABASE on the server (they cannot run inside a transaction)."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from guidebot.bot.store import database_url

    engine = create_async_engine(database_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request, tmp_path) -> AsyncIterator[str]:
    """The same scenario on the embedded default and on the real PostgreSQL server.

    Each PostgreSQL scenario gets a database of its own, made here and dropped after: two test runs on one
    server (two developers, CI beside a developer) never touch each other's tables."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'guidebot.db'}"
        return
    name = f"guidebot_test_{uuid.uuid4().hex[:12]}"
    try:
        await asyncio.wait_for(_admin(POSTGRES_URL, f'CREATE DATABASE "{name}"'), timeout=10)
    except Exception as exc:  # no server here: say so, visibly
        host = POSTGRES_URL.split("@")[-1]
        pytest.skip(f"no PostgreSQL reachable at {host} ({type(exc).__name__}); set GUIDEBOT_TEST_DATABASE_URL")
    yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    await _admin(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def slack_env(fake: FakeSlack) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.url + "/api/"}


@pytest.fixture
async def slack_service(fake_slack, sqlite_url) -> AsyncIterator[Service]:
    service = await start_service(slack_env(fake_slack), db_url=sqlite_url)
    yield service
    with contextlib.suppress(Exception):
        await stop_service(service)


@pytest.fixture
async def fake_connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def teams_service(fake_slack, fake_connector, sqlite_url) -> AsyncIterator[Service]:
    """Slack and Teams (local mode) side by side, as one service."""
    service = await start_service({**slack_env(fake_slack), "GUIDEBOT_TEAMS_LOCAL": "1"}, db_url=sqlite_url)
    yield service
    with contextlib.suppress(Exception):
        await stop_service(service)


ADMIN = "admin-token-0123456789abcdef"


@pytest.fixture
async def admin_service(fake_slack, fake_connector, db_url):
    settings = """
comms_chief: {slack: U0CHIEF}
comms_channel: {slack: CCOMMS}
comms_team: {slack: [U0CHIEF, U0COMMS]}
announcement_channels: {slack: [CANNOUNCE], teams: ["19:announce@thread.tacv2"]}
"""
    env = {**slack_env(fake_slack), "GUIDEBOT_TEAMS_LOCAL": "1", "GUIDEBOT_ADMIN_TOKEN": ADMIN}
    service = await start_service(env, settings_yaml=settings, db_url=db_url)
    service.db_url = db_url  # type: ignore[attr-defined]
    yield service
    await stop_service(service)
