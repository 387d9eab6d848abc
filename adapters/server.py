"""The service: one aiohttp application with Slack, Teams, health and admin side by side.

This is the composition root: it reads the environment, builds the core (`GuideBot`) and mounts each
configured platform's adapter. Nothing here knows what a guideline says.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import signal
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from collections.abc import Mapping

from aiohttp import web
from sqlalchemy.exc import DBAPIError

from . import logs
from ..bot.knowledge import KnowledgeError, KnowledgeFiles, read_directory
from ..bot.publishing import PublishError
from ..bot.service import GuideBot
from ..bot.settings import ConfigError, Settings, load_settings
from ..bot.store import Store
from ..bot.tasks import cancel_and_wait

log = logging.getLogger("guidebot.server")
BOT_KEY: web.AppKey[GuideBot] = web.AppKey("bot", GuideBot)
PLATFORMS_KEY: web.AppKey[list] = web.AppKey("platforms", list)
ADAPTERS_KEY: web.AppKey[dict] = web.AppKey("adapters", dict)
BUNDLED_KEY: web.AppKey[KnowledgeFiles] = web.AppKey("bundled", KnowledgeFiles)
RETENTION_INTERVAL = 6 * 3600


@dataclass(frozen=True)
class ServiceConfig:
    """Secrets and endpoints, from the environment only."""

    port: int = 3000
    slack: Any = None  # adapters.slack.app.SlackConfig
    teams: Any = None  # adapters.teams.app.TeamsConfig
    database_url: str | None = None
    admin_token: str | None = None

    @property
    def platforms(self) -> list[str]:
        return [name for name in ("slack", "teams") if getattr(self, name)]


def config_from_env(env: Mapping[str, str] | None = None) -> ServiceConfig:
    """Reads the platform secrets; a half-configured platform is an error that names what is missing."""
    env = os.environ if env is None else env
    port_text = env.get("PORT", "3000")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"PORT must be a port number, not {port_text!r}")
    slack = _slack_config(env)
    teams = _teams_config(env)
    if not slack and not teams:
        raise ConfigError(
            "no chat platform is configured. For Slack set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; for Teams set "
            "MicrosoftAppId and MicrosoftAppPassword (or GUIDEBOT_TEAMS_LOCAL=1 for a local trial without "
            "authentication). `guidebot ask` and `guidebot chat` work without any of them.")
    admin = env.get("GUIDEBOT_ADMIN_TOKEN") or None
    if admin is not None and len(admin) < 16:
        raise ConfigError("GUIDEBOT_ADMIN_TOKEN must be at least 16 characters long (use a random string)")
    return ServiceConfig(port=int(port_text), slack=slack, teams=teams, database_url=env.get("DATABASE_URL") or None,
                         admin_token=admin)


def _slack_config(env: Mapping[str, str]) -> Any:
    token, secret, app_token = (env.get(k) or None for k in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"))
    if not any((token, secret, app_token)):
        return None
    from .slack.app import SlackConfig

    if not token:
        raise ConfigError("SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from the Slack app")
    if not token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be the bot token that starts with xoxb-")
    if not secret:
        raise ConfigError("SLACK_SIGNING_SECRET is missing: copy it from the Slack app's Basic Information page")
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN must be an app-level token that starts with xapp- (or unset it)")
    api_url = env.get("SLACK_API_URL") or "https://slack.com/api/"
    return SlackConfig(bot_token=token, signing_secret=secret, app_token=app_token,
                       api_url=api_url if api_url.endswith("/") else api_url + "/")


def _teams_config(env: Mapping[str, str]) -> Any:
    app_id, local = env.get("MicrosoftAppId") or None, env.get("GUIDEBOT_TEAMS_LOCAL") == "1"
    if not app_id and not local and not env.get("MicrosoftAppPassword"):
        return None
    try:
        from .teams.app import TeamsConfig
    except ImportError as error:  # asked for Teams, and Teams cannot run: say so instead of going quiet
        raise ConfigError(f"Teams is configured (MicrosoftAppId or GUIDEBOT_TEAMS_LOCAL) but its SDK cannot be "
                          f"imported ({error}): reinstall guidebot (pip install -e .)") from None
    if not app_id and not local:
        raise ConfigError("MicrosoftAppId is missing: set it (and MicrosoftAppPassword) from the Azure Bot resource")
    if app_id and not env.get("MicrosoftAppPassword"):
        raise ConfigError("MicrosoftAppPassword is missing: create a client secret for the Azure Bot's app")
    from .teams.auth import IDENTITY_SETTINGS

    identity = tuple((name, env[name]) for name in IDENTITY_SETTINGS if env.get(name))
    return TeamsConfig(app_id=app_id or "", app_password=env.get("MicrosoftAppPassword") or "",
                       app_type=env.get("MicrosoftAppType") or "MultiTenant",
                       tenant_id=env.get("MicrosoftAppTenantId") or "", local=bool(local and not app_id),
                       identity=identity)


async def _health(request: web.Request) -> web.Response:
    """Alive (200 while the process answers, even from memory during a database outage), with what an
    operator checks first: versions, platforms, whether the database answers, settings still unset."""
    bot = request.app[BOT_KEY]
    document = bot.guideline.document
    database_ok = await bot.store.ready(timeout=1.0)
    return web.json_response({"status": "ok" if database_ok else "degraded", "worker": os.getpid(),
                              "version": document.version, "document": document.title,
                              "documents": [{"id": d.id, "title": d.title, "version": d.version}
                                            for d in bot.guideline.documents],
                              "passages": len(bot.guideline.passages), "platforms": request.app[PLATFORMS_KEY],
                              "database": bot.database, "database_ok": database_ok,
                              "semantic": bot.engine.semantic is not None,
                              "missing_settings": bot.settings.missing()})


async def _metrics(request: web.Request) -> web.Response:
    """Prometheus text format: counts from the database (the same on every replica) and this worker's
    own state. Counts only: no question, no user."""
    bot = request.app[BOT_KEY]
    figures = await bot.store.figures()
    lines = ["# HELP guidebot_answers_total Questions by outcome, all replicas.", "# TYPE guidebot_answers_total counter"]
    lines += [f'guidebot_answers_total{{outcome="{k}"}} {v}' for k, v in sorted(figures["answers"].items())]
    lines += ["# HELP guidebot_feedback_total Feedback clicks.", "# TYPE guidebot_feedback_total counter"]
    lines += [f'guidebot_feedback_total{{helpful="{str(k).lower()}"}} {v}' for k, v in sorted(figures["feedback"].items())]
    lines += ["# HELP guidebot_requests New-channel requests by state.", "# TYPE guidebot_requests gauge"]
    lines += [f'guidebot_requests{{state="{k}"}} {v}' for k, v in sorted(figures["requests"].items())]
    lines += ["# HELP guidebot_notices Notices in the outbox by state (pending ones wait for a retry).",
              "# TYPE guidebot_notices gauge"]
    lines += [f'guidebot_notices{{state="{k}"}} {v}' for k, v in sorted(figures["notices"].items())]
    lines += ["# HELP guidebot_outbox_oldest_unsent_seconds Age of the oldest notice not yet delivered (0: none).",
              "# TYPE guidebot_outbox_oldest_unsent_seconds gauge",
              f"guidebot_outbox_oldest_unsent_seconds {figures['oldest_unsent_age']:.1f}",
              "# HELP guidebot_versions_total Knowledge versions recorded, by action (seed, publish, rollback).",
              "# TYPE guidebot_versions_total counter"]
    lines += [f'guidebot_versions_total{{action="{k}"}} {v}' for k, v in sorted(figures["versions"].items())]
    latency = bot.latency
    lines += ["# HELP guidebot_answer_seconds Time to answer a question, this worker.",
              "# TYPE guidebot_answer_seconds histogram"]
    lines += [f'guidebot_answer_seconds_bucket{{le="{bound}"}} {count}'
              for bound, count in zip(latency.bounds, latency.counts, strict=True)]
    lines += [f'guidebot_answer_seconds_bucket{{le="+Inf"}} {latency.observed}',
              f"guidebot_answer_seconds_sum {latency.total:.6f}", f"guidebot_answer_seconds_count {latency.observed}"]
    lines += ["# HELP guidebot_passages Passages in the live knowledge.", "# TYPE guidebot_passages gauge",
              f"guidebot_passages {len(bot.guideline.passages)}",
              "# HELP guidebot_semantic 1 when this worker answers with the semantic signal.", "# TYPE guidebot_semantic gauge",
              f"guidebot_semantic {int(bot.engine.semantic is not None)}"]
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain", charset="utf-8",
                        headers={"X-Content-Type-Options": "nosniff"})


async def _ready(request: web.Request) -> web.Response:
    """Ready for traffic: the database answers and a version is live (a load balancer's check)."""
    state = await request.app[BOT_KEY].ready()
    return web.json_response(state, status=200 if state["ready"] else 503)


async def _teams_not_configured(request: web.Request) -> web.Response:
    """Without an app id and without explicit local mode nothing reaches the Bot Framework SDK."""
    return web.json_response({"error": "Teams is not configured: set MicrosoftAppId and MicrosoftAppPassword "
                                       "(or GUIDEBOT_TEAMS_LOCAL=1 for a local trial)"}, status=401)


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Unexpected failures are logged with context and answered without a traceback."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except DBAPIError as error:  # the database refused or is away: nothing was half written (one transaction)
        log.error("database error on %s %s: %s", request.method, request.path, type(error.orig).__name__)
        return web.json_response({"error": "the database is unavailable; nothing was changed, try again shortly"},
                                 status=503)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response({"error": "internal error"}, status=500)


def create_app(config: ServiceConfig, *, settings: Settings | None = None, knowledge: KnowledgeFiles | None = None,
               store: Store | None = None) -> web.Application:
    """`knowledge` is the bundled guideline: it becomes version #1 in an empty database; after that the
    database's live version is served (the bundled files are published like any other version)."""
    settings = settings if settings is not None else load_settings()
    store = store or Store(config.database_url)
    bundled = knowledge or read_directory()
    bot = GuideBot.create(store, settings, bundled.build("knowledge"))
    app = web.Application(middlewares=[_errors], client_max_size=2_000_000)
    app[BOT_KEY] = bot
    app[BUNDLED_KEY] = bundled
    app[PLATFORMS_KEY] = config.platforms
    app[ADAPTERS_KEY] = {}
    app.router.add_get("/healthz", _health)
    app.router.add_get("/readyz", _ready)
    app.router.add_get("/metrics", _metrics)
    from .admin import AdminApi

    AdminApi(bot.publisher, config.admin_token).routes(app)
    from ..bot.workbench import Workbench
    from .workbench.app import WorkbenchSite

    bench = Workbench(bot)  # one per process: the web page and the chat reply forms share its lock
    WorkbenchSite(bench, config.admin_token).routes(app)
    bot.local_url = f"http://localhost:{config.port}/"
    if config.slack:
        from .slack.app import SlackAdapter

        slack = SlackAdapter(bot, config.slack, bench)
        bot.outbox.notifiers["slack"] = slack.notifier
        app.router.add_post("/slack/events", slack.handle)
        app[ADAPTERS_KEY]["slack"] = slack
    if config.teams:
        from .teams.app import TeamsAdapter

        teams = TeamsAdapter(bot, config.teams, bench)
        bot.outbox.notifiers["teams"] = teams.notifier
        app.router.add_post("/api/messages", teams.handle)
        app[ADAPTERS_KEY]["teams"] = teams
    else:
        app.router.add_post("/api/messages", _teams_not_configured)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    return app


async def _start(app: web.Application) -> None:
    bot = app[BOT_KEY]
    # the Bot Framework connector's blocking requests (with retries) and DNS look-ups share this pool
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=32, thread_name_prefix="io"))
    await bot.open(app[BUNDLED_KEY])
    app[ADAPTERS_KEY]["retention"] = asyncio.create_task(_retention(bot))
    for gap in bot.settings.missing():
        log.warning("organisation setting not set: %s", gap)
    log.info("guidebot ready: %s version %s, %d passages, %s database, platforms: %s",
             bot.guideline.document.title, bot.guideline.document.version, len(bot.guideline.passages),
             bot.database, ", ".join(str(p) for p in app[PLATFORMS_KEY]))
    slack = app[ADAPTERS_KEY].get("slack")
    if slack is not None and slack.config.app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(slack.app, slack.config.app_token)
        await handler.connect_async()
        app[ADAPTERS_KEY]["socket_mode"] = handler
        log.info("Slack Socket Mode connected")


async def _retention(bot: GuideBot) -> None:
    while True:
        try:
            forgotten = await bot.forget_old_questions()
            if forgotten:
                log.info("deleted %d question texts older than %d days", forgotten, bot.settings.retention_days)
        except Exception:
            log.exception("retention clean-up failed; trying again later")
        await asyncio.sleep(RETENTION_INTERVAL)


async def _stop(app: web.Application) -> None:
    bot = app[BOT_KEY]
    await cancel_and_wait(app[ADAPTERS_KEY]["retention"])
    if "socket_mode" in app[ADAPTERS_KEY]:
        await app[ADAPTERS_KEY]["socket_mode"].close_async()
    await bot.close()


def serve() -> int:
    """One worker process per core (`WEB_CONCURRENCY`, default the core count) on one port: the kernel
    spreads connections over them (SO_REUSEPORT) and they share state through the database, as replicas do."""
    logs.configure()
    try:
        config = config_from_env()
        workers = _workers(os.environ.get("WEB_CONCURRENCY"))
        app = create_app(config)  # every setting checked once, before any worker starts
    except (ConfigError, KnowledgeError, PublishError) as exc:
        print(f"guidebot serve: {exc}", flush=True)
        return 2
    print(f"guidebot listening on http://{_host(config)}:{config.port} ({workers} worker process"
          f"{'es' if workers > 1 else ''})", flush=True)
    if workers == 1:
        web.run_app(app, host=_host(config), port=config.port, print=None)
        return 0
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_run_worker, args=(index,), name=f"guidebot-worker-{index}")
                 for index in range(workers)]
    for process in processes:
        process.start()
    log.info("guidebot serving on port %d with %d worker processes", config.port, workers)

    def stop(signum: int, _frame: Any) -> None:
        for process in processes:
            if process.is_alive():
                os.kill(process.pid or 0, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process in processes:
        process.join()
    return 0


def _workers(value: str | None) -> int:
    if not value:
        return max(1, os.cpu_count() or 1)
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"WEB_CONCURRENCY must be a whole number of worker processes, not {value!r}")
    return int(value)


def _run_worker(index: int) -> None:
    """A worker: its own app and event loop; only the first keeps Slack's Socket Mode connection."""
    if index:
        logs.configure(worker=f"w{index}")
        os.environ.pop("SLACK_APP_TOKEN", None)
    config = config_from_env()
    web.run_app(create_app(config), host=_host(config), port=config.port, print=None, reuse_port=True)


def _host(config: ServiceConfig) -> str:
    """`HOST` if set; in Teams' unauthenticated local mode only this machine (loopback), else every interface."""
    local = config.teams is not None and getattr(config.teams, "local", False)
    return os.environ.get("HOST") or ("127.0.0.1" if local else "0.0.0.0")
