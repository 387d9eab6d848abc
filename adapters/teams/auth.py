"""The Teams HTTP edge: the body checked before the SDK sees it, and the token checked as Azure would.

Three of the Bot Framework SDK's defaults are guarded here:
- with no app id it accepts unauthenticated activities: we serve that only in explicit local mode;
- malformed bodies and odd tokens end in unhandled exceptions (500): we check the body (400) and map
  every authentication failure to 401, logging why;
- its token check fetches OpenID metadata with a blocking `requests.get` and no timeout inside a
  coroutine: we run authentication in a small thread pool of its own, with a timeout.
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import BotFrameworkAuthentication, ClaimsIdentity, ConnectorFactory

from ..bodies import BodyRefused, loads_json, read_body

log = logging.getLogger("guidebot.teams")
MAX_BODY = 1_000_000
AUTH_TIMEOUT = 15.0
SEND_TIMEOUT = 8.0  # one call to the Bot Connector (msrest's default is 100 s, retried three times)
SEND_RETRIES = 1
TRUSTED_ISSUERS = re.compile(
    r"^https://(api\.botframework\.com|sts\.windows\.net/[^/]+/|login\.microsoftonline\.com/[^/]+/v2\.0)$")


@dataclass(frozen=True)
class TeamsConfig:
    app_id: str
    app_password: str
    app_type: str = "MultiTenant"
    tenant_id: str = ""
    local: bool = False  # no authentication: only with GUIDEBOT_TEAMS_LOCAL=1 and no app id


class _SdkConfiguration:
    """The attribute names botbuilder's configuration classes read."""

    def __init__(self, config: TeamsConfig) -> None:
        self.APP_ID, self.APP_PASSWORD = config.app_id, config.app_password
        self.APP_TYPE, self.APP_TENANTID = config.app_type, config.tenant_id


class RequestRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class TeamsEdge:
    """Turns a request into a checked Activity and an authentication result, or refuses it."""

    def __init__(self, config: TeamsConfig) -> None:
        self.config = config
        self.auth = ConfigurationBotFrameworkAuthentication(_SdkConfiguration(config))
        self.reusing = _ReusingAuthentication(self.auth)
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="teams-auth")
        if config.local:
            log.warning("TEAMS LOCAL MODE: /api/messages accepts activities WITHOUT authentication "
                        "(GUIDEBOT_TEAMS_LOCAL=1). Never use this where the service can be reached from outside.")
        else:
            # the SDK's OpenID metadata fetch (requests.get) has no timeout: bound every blocking socket
            # that sets none (asyncio's sockets are non-blocking and unaffected)
            socket.setdefaulttimeout(AUTH_TIMEOUT)

    async def admit(self, request: web.Request) -> tuple[Activity, Any]:
        activity = await self._activity(request)
        return activity, await self._authenticate(activity, request.headers.get("Authorization", ""))

    async def _activity(self, request: web.Request) -> Activity:
        if "application/json" not in request.headers.get("Content-Type", ""):
            raise RequestRefused(415, "Content-Type must be application/json")
        try:
            raw = await read_body(request, MAX_BODY)
        except BodyRefused as refused:
            raise RequestRefused(refused.status, refused.reason) from None
        try:
            body = loads_json(raw)
        except ValueError as error:  # UnicodeDecodeError included
            raise RequestRefused(400, f"body is not JSON: {error}"[:200]) from None
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            raise RequestRefused(400, "body must be an Activity object with a type")
        for path in (("serviceUrl",), ("conversation", "id"), ("from", "id")):
            value: Any = body
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if not isinstance(value, str) or not value:
                raise RequestRefused(400, f"activity without {'.'.join(path)}")
        if not body["serviceUrl"].startswith(("https://", "http://")):
            raise RequestRefused(400, "serviceUrl must be an http(s) URL")
        try:
            return Activity().deserialize(body)
        except Exception as exc:  # msrest raises several types for odd shapes
            raise RequestRefused(400, f"not an Activity: {type(exc).__name__}") from None

    async def _authenticate(self, activity: Activity, header: str) -> Any:
        if self.config.local:
            return self.reusing.reuse(await self.auth.authenticate_request(activity, ""))
        token = header[7:] if header.startswith("Bearer ") else ""
        issuer = _unverified_issuer(token)
        if issuer is None:
            raise RequestRefused(401, "missing or malformed bearer token")
        if not TRUSTED_ISSUERS.match(issuer):
            raise RequestRefused(401, f"token from an untrusted issuer {issuer[:80]!r}")
        loop = asyncio.get_running_loop()
        try:
            result = await asyncio.wait_for(loop.run_in_executor(self._pool, _authenticate_blocking,
                                                                 self.auth, activity, header), AUTH_TIMEOUT)
            return self.reusing.reuse(result)
        except TimeoutError:
            raise RequestRefused(401, "token could not be checked in time (OpenID metadata unreachable)") from None
        except Exception as exc:
            raise RequestRefused(401, f"token rejected: {type(exc).__name__}: {str(exc)[:120]}") from None


class _ReusingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, cache: dict[tuple[str, str, str], Any], app_id: str) -> None:
        self._inner, self._cache, self._app_id = inner, cache, app_id

    async def create(self, service_url: str, audience: str = None) -> Any:  # type: ignore[assignment]
        key = (service_url, audience or "", self._app_id)
        client = self._cache.get(key)
        if client is None:
            if len(self._cache) > 256:
                self._cache.clear()
            client = self._cache[key] = await self._inner.create(service_url, audience)
            bound_connector(client)
        return client


class _ReusingAuthentication(BotFrameworkAuthentication):
    """botbuilder builds a new ConnectorClient and UserTokenClient on every turn, and msrest spends ~3 ms of
    CPU on each one's retry table; these are reusable, so they are built once per service URL and app id."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._connectors: dict[tuple[str, str, str], Any] = {}
        self._token_clients: dict[str, Any] = {}

    @staticmethod
    def _app_id(claims_identity: ClaimsIdentity | None) -> str:
        claims = getattr(claims_identity, "claims", None) or {}
        return str(claims.get("aud") or claims.get("appid") or "")

    def reuse(self, result: Any) -> Any:
        if result.connector_factory is not None:
            result.connector_factory = _ReusingConnectorFactory(result.connector_factory, self._connectors,
                                                                self._app_id(result.claims_identity))
        return result

    async def authenticate_request(self, activity: Activity, auth_header: str) -> Any:
        return self.reuse(await self._inner.authenticate_request(activity, auth_header))

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> Any:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _ReusingConnectorFactory(self._inner.create_connector_factory(claims_identity), self._connectors,
                                        self._app_id(claims_identity))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        key = self._app_id(claims_identity)
        if key not in self._token_clients:
            self._token_clients[key] = await self._inner.create_user_token_client(claims_identity)
        return self._token_clients[key]

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> Any:
        return await self._inner.authenticate_channel_request(auth_header)


def bound_connector(client: Any) -> None:
    """A Teams reply that cannot be sent in seconds is not sent: a dead connector must not hold threads."""
    client.config.connection.timeout = SEND_TIMEOUT
    client.config.retry_policy.retries = SEND_RETRIES


def _authenticate_blocking(auth: Any, activity: Activity, header: str) -> Any:
    """Runs the SDK's check in its own event loop on a worker thread: its blocking metadata fetch
    stalls only that thread (and the socket default timeout set at start-up bounds it)."""
    return asyncio.run(auth.authenticate_request(activity, header))


def _unverified_issuer(token: str) -> str | None:
    """The `iss` of a JWT, read without verifying it, or None if it is not a JWT with kid and iss."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = (json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in parts[:2])
    except (ValueError, TypeError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict) or not header.get("kid"):
        return None
    issuer = claims.get("iss")
    return issuer if isinstance(issuer, str) else None
