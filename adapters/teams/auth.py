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
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import (BotFrameworkAuthentication, ClaimsIdentity, ConnectorFactory,
                                         MicrosoftAppCredentials, PasswordServiceClientCredentialFactory)
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from msal import ConfidentialClientApplication

from ..bodies import BodyRefused, loads_json, read_body

log = logging.getLogger("guidebot.teams")
MAX_BODY = 1_000_000
AUTH_TIMEOUT = 15.0
KEY_REFRESH_INTERVAL = 60.0
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
    # The Bot Framework's identity endpoints, under botbuilder's own configuration names; empty means
    # Microsoft's public cloud. Set for a sovereign cloud, or a stand-in identity provider in tests.
    identity: tuple[tuple[str, str], ...] = ()

    @property
    def token_issuer(self) -> str:
        return dict(self.identity).get("TO_BOT_FROM_CHANNEL_TOKEN_ISSUER", "")

    @property
    def login_url(self) -> str:
        return dict(self.identity).get("TO_CHANNEL_FROM_BOT_LOGIN_URL", "")


IDENTITY_SETTINGS = ("TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL", "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER",
                     "TO_CHANNEL_FROM_BOT_LOGIN_URL", "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE")


class _SdkConfiguration:
    """The attribute names botbuilder's configuration classes read."""

    def __init__(self, config: TeamsConfig) -> None:
        self.APP_ID, self.APP_PASSWORD = config.app_id, config.app_password
        self.APP_TYPE, self.APP_TENANTID = config.app_type, config.tenant_id
        for name, value in config.identity:
            setattr(self, name, value)


class _ExplicitAuthorityCredentials(PasswordServiceClientCredentialFactory):
    """The bot's own outgoing token from a configured login URL. botbuilder builds its msal client without
    `validate_authority`, so msal would ask login.microsoftonline.com to vouch for any other authority; an
    explicitly configured one is taken as given."""

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> Any:
        if not login_endpoint or app_id != self.app_id:
            return await super().create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
        return _ExplicitAuthorityAppCredentials(app_id, self.password, self.tenant_id, oauth_scope, login_endpoint)


class _ExplicitAuthorityAppCredentials(MicrosoftAppCredentials):
    """msal's client is made where the SDK makes its own, on first use (tenant discovery is a blocking call)."""

    def __init__(self, app_id: str, password: str, tenant_id: str | None, oauth_scope: str, authority: str) -> None:
        super().__init__(app_id, password, channel_auth_tenant=tenant_id, oauth_scope=oauth_scope)
        self.oauth_endpoint = authority

    def get_access_token(self, force_refresh: bool = False) -> str:
        if self.app is None:
            self.app: ConfidentialClientApplication | None = ConfidentialClientApplication(client_id=self.microsoft_app_id,
                                                     client_credential=self.microsoft_app_password,
                                                     authority=self.oauth_endpoint, validate_authority=False,
                                                     instance_discovery=False)
        return super().get_access_token(force_refresh)


class RequestRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class TeamsEdge:
    """Turns a request into a checked Activity and an authentication result, or refuses it."""

    def __init__(self, config: TeamsConfig) -> None:
        self.config = config
        sdk_config = _SdkConfiguration(config)
        factory = _ExplicitAuthorityCredentials(config.app_id, config.app_password, config.tenant_id) \
            if config.login_url else None
        self.auth = ConfigurationBotFrameworkAuthentication(sdk_config, credentials_factory=factory)
        self._issuers = TRUSTED_ISSUERS
        self._forced_refresh = 0.0
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
        if not TRUSTED_ISSUERS.match(issuer) and issuer != self.config.token_issuer:
            raise RequestRefused(401, f"token from an untrusted issuer {issuer[:80]!r}")
        try:
            return self.reusing.reuse(await self._check(activity, header))
        except TimeoutError:
            raise RequestRefused(401, "token could not be checked in time (OpenID metadata unreachable)") from None
        except Exception as exc:
            failure: Exception = exc
            if self._refresh_keys_for(token):  # a key rotated since the SDK's last fetch: fetch and retry once
                try:
                    return self.reusing.reuse(await self._check(activity, header))
                except Exception as again:
                    failure = again
            raise RequestRefused(401, f"token rejected: {type(failure).__name__}: {str(failure)[:120]}") from None

    async def _check(self, activity: Activity, header: str) -> Any:
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(self._pool, _authenticate_blocking, self.auth, activity,
                                                           header), AUTH_TIMEOUT)

    def _refresh_keys_for(self, token: str) -> bool:
        """The SDK refetches signing keys for an unknown key id at most once an hour (and meanwhile refuses
        tokens signed with a key Azure has just started using). When a token names a key id none of the
        cached key sets holds, they are marked stale, at most once a minute, so the next check fetches."""
        kid = _unverified_kid(token)
        cached = list(JwtTokenExtractor.metadataCache.values())
        if not kid or any(any(k.get("kid") == kid for k in m.keys) for m in cached):
            return False
        if time.monotonic() - self._forced_refresh < KEY_REFRESH_INTERVAL:
            return False
        self._forced_refresh = time.monotonic()
        for metadata in cached:
            metadata.last_updated = datetime.min
        log.info("a token names an unknown signing key %s: fetching the keys again", kid[:40])
        return True


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
        await _token_off_the_loop(client)
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


_TOKEN_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="teams-token")


async def _token_off_the_loop(client: Any) -> None:
    """msrest asks the credentials for the bot's token on the event loop, and msal fetches it (and discovers
    its authority) with blocking HTTP. Asking first on a worker thread fills msal's cache, so the call on
    the loop is answered from memory; msal renews the token here too, before it expires."""
    credentials = getattr(client.config, "credentials", None)
    if isinstance(credentials, MicrosoftAppCredentials) and credentials.microsoft_app_id:
        await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(_TOKEN_POOL, credentials.get_access_token),
                               AUTH_TIMEOUT)


def _authenticate_blocking(auth: Any, activity: Activity, header: str) -> Any:
    """Runs the SDK's check in its own event loop on a worker thread: its blocking metadata fetch
    stalls only that thread (and the socket default timeout set at start-up bounds it)."""
    return asyncio.run(auth.authenticate_request(activity, header))


def _unverified_kid(token: str) -> str | None:
    try:
        header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=" * (-len(token.split(".")[0]) % 4)))
    except (ValueError, TypeError):
        return None
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None


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
