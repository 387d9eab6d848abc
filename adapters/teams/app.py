"""Microsoft Teams through the Bot Framework SDK (botbuilder), the only module that imports it.

Microsoft archived the Bot Framework SDK in favour of the Microsoft 365 Agents SDK, which speaks the same
Activity protocol: moving means changing this module. Three of the SDK's defaults are guarded here:
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
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ConversationReference
from botframework.connector.auth import BotFrameworkAuthentication, ClaimsIdentity, ConnectorFactory

from ..bodies import BodyRefused, loads_json, read_body
from ...bot.checklist import ChecklistInvalid, NotAllowed, RequestNotFound
from ...bot.messages import say
from ...bot.outbox import DeliveryError, Recipient
from ...bot.service import GuideBot, Person

from . import render

log = logging.getLogger("guidebot.teams")
MAX_BODY = 1_000_000
AUTH_TIMEOUT = 15.0
TRUSTED_ISSUERS = re.compile(
    r"^https://(api\.botframework\.com|sts\.windows\.net/[^/]+/|login\.microsoftonline\.com/[^/]+/v2\.0)$")
_AT = re.compile(r"<at>.*?</at>", re.S)


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


class TeamsAdapter:
    def __init__(self, bot: GuideBot, config: TeamsConfig) -> None:
        self.bot, self.config = bot, config
        self.auth = ConfigurationBotFrameworkAuthentication(_SdkConfiguration(config))
        self.reusing = _ReusingAuthentication(self.auth)
        self.adapter = CloudAdapter(self.reusing)
        self._known_references: dict[str, str] = {}
        self.adapter.on_turn_error = self._on_turn_error
        self.notifier = TeamsNotifier(self)
        self._auth_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="teams-auth")
        if not config.local:
            # the SDK's OpenID metadata fetch (requests.get) has no timeout: bound every blocking socket
            # that sets none (asyncio's sockets are non-blocking and unaffected)
            socket.setdefaulttimeout(AUTH_TIMEOUT)
        if config.local:
            log.warning("TEAMS LOCAL MODE: /api/messages accepts activities WITHOUT authentication "
                        "(GUIDEBOT_TEAMS_LOCAL=1). Never use this where the service can be reached from outside.")

    # --- the HTTP edge --------------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.Response:
        try:
            activity = await self._activity(request)
            auth_result = await self._authenticate(activity, request.headers.get("Authorization", ""))
        except RequestRefused as refused:
            log.warning("refused a Teams request (%s): %s", refused.status, refused.reason)
            return web.json_response({"error": refused.reason}, status=refused.status)
        invoke_response = await self.adapter.process_activity(auth_result, activity, self.on_turn)
        if invoke_response:
            return web.json_response(invoke_response.body, status=invoke_response.status)
        return web.Response(status=201)

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
            result = await asyncio.wait_for(loop.run_in_executor(self._auth_pool, _authenticate_blocking,
                                                                 self.auth, activity, header), AUTH_TIMEOUT)
            return self.reusing.reuse(result)
        except TimeoutError:
            raise RequestRefused(401, "token could not be checked in time (OpenID metadata unreachable)") from None
        except Exception as exc:
            raise RequestRefused(401, f"token rejected: {type(exc).__name__}: {str(exc)[:120]}") from None

    async def _on_turn_error(self, context: TurnContext, error: Exception) -> None:
        log.error("Teams turn failed: %s: %s", type(error).__name__, error)
        try:
            await context.send_activity(say("error", _locale_lang(context.activity)))
        except Exception:
            log.warning("could not tell the user about the failed turn")

    # --- turns ----------------------------------------------------------------------------------------
    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        await self._remember(activity)
        if activity.type == ActivityTypes.message:
            if isinstance(activity.value, dict) and activity.value.get("guidebot"):
                await self._on_card_action(context, activity.value)
            else:
                await self._on_text(context)
        elif activity.type == ActivityTypes.conversation_update:
            await self._on_members_added(context)
        elif activity.type == ActivityTypes.invoke and activity.name == "adaptiveCard/action":
            data = ((activity.value or {}).get("action") or {}).get("data") or {}
            await self._on_card_action(context, data)
            await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=_invoke_ok()))

    async def _remember(self, activity: Activity) -> None:
        """Keeps how to reach this person (and this channel) later, for proactive notices."""
        if activity.type not in (ActivityTypes.message, ActivityTypes.conversation_update):
            return
        reference = TurnContext.get_conversation_reference(activity).serialize()
        reference.pop("activityId", None)  # a notice is a new message, not a reply in an old thread
        conversation = activity.conversation
        if getattr(conversation, "conversation_type", None) in (None, "personal"):
            for key in {activity.from_property.id, getattr(activity.from_property, "aad_object_id", None)} - {None}:
                await self._save_reference(f"teams:user:{key}", reference)
        else:
            channel_id = conversation.id.split(";")[0]
            await self._save_reference(f"teams:conversation:{channel_id}", {
                **reference, "conversation": {**reference["conversation"], "id": channel_id}})

    async def _save_reference(self, key: str, reference: dict[str, Any]) -> None:
        """Writes only what changed: most messages come from people the bot already knows."""
        text = json.dumps(reference, sort_keys=True)
        if self._known_references.get(key) != text:
            await self.bot.store.save_reference(key, reference)
            self._known_references[key] = text

    def _person(self, activity: Activity) -> Person:
        sender = activity.from_property
        return Person("teams", getattr(sender, "aad_object_id", None) or sender.id, sender.name or "")

    async def _on_text(self, context: TurnContext) -> None:
        activity = context.activity
        text = _AT.sub(" ", activity.text or "").strip()
        lower = " ".join(text.lower().split())
        person = self._person(activity)
        if lower in ("help", "hjelp", "?"):
            await context.send_activity(say("help", _locale_lang(activity), title=self.bot.guideline.document.title,
                                            new_channel="new-channel"))
            return
        if lower.startswith("guideline-admin"):
            result = await self.bot.admin(person, text[len("guideline-admin"):].strip())
            await self._send_admin(context, result)
            return
        if lower.startswith(("new-channel", "ny-kanal", "new channel", "ny kanal")):
            option = lower.split()[-1] if len(lower.split()) > 1 else ""
            await self._on_new_channel(context, person, option)
            return
        await self._send_reply(context, await self.bot.ask(person, text))

    async def _send_reply(self, context: TurnContext, reply: Any) -> None:
        card = render.answer_card(reply.answer, reply.answer_id)
        await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card),
                                                              text=render.answer_fallback(reply.answer)[:500]))

    async def _on_new_channel(self, context: TurnContext, person: Person, option: str) -> None:
        kind, lang = await self.bot.new_channel_command(person, option, _locale_lang(context.activity))
        if kind == "status":
            found, everyone = await self.bot.requests_for(person)
            await context.send_activity(MessageFactory.text(render.status_text(found, lang, everyone)))
            return
        card = render.checklist_card(self.bot.form(), lang)
        await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def _on_members_added(self, context: TurnContext) -> None:
        activity = context.activity
        if any(member.id == activity.recipient.id for member in activity.members_added or []):
            lang = _locale_lang(activity)
            await context.send_activity(say("help", lang, title=self.bot.guideline.document.title,
                                            new_channel="new-channel"))

    async def _on_card_action(self, context: TurnContext, value: dict[str, Any]) -> None:
        person = self._person(context.activity)
        action = value.get("guidebot")
        if action == "feedback":
            await self.bot.feedback(person, str(value.get("answer_id")), value.get("helpful") in (True, "true"))
            await context.send_activity(say("thanks_feedback", await self.bot.lang_of(person)))
        elif action == "ask_comms":
            sent = await self.bot.escalate(person, str(value.get("answer_id")))
            lang = await self.bot.lang_of(person)
            await context.send_activity(say("escalated", lang) if sent else
                                        say("escalation_unconfigured", lang, contact=self.bot.contact))
        elif action == "clarify_pick":
            reply = await self.bot.pick(person, str(value.get("answer_id")), str(value.get("passage_id")))
            if reply is None:
                await context.send_activity(say("not_found", await self.bot.lang_of(person)))
            else:
                await self._send_reply(context, reply)
        elif action == "new_channel_submit":
            await self._on_checklist_submit(context, person, value)
        elif action == "acknowledge":
            await self._on_acknowledge(context, person, value)
        elif action == "admin_publish":
            result = await self.bot.admin(person, f"publish {value.get('note', '')}",
                                          confirm_checksum=str(value.get("checksum", "")))
            await self._send_admin(context, result)

    async def _send_admin(self, context: TurnContext, result: Any) -> None:
        await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(render.admin_card(result))))

    async def _on_checklist_submit(self, context: TurnContext, person: Person, value: dict[str, Any]) -> None:
        lang = "en" if value.get("lang") == "en" else "nb"
        form = self.bot.form()
        values = render.submitted_values(form, value)
        try:
            await self.bot.submit_request(person, values, lang)
        except ChecklistInvalid as invalid:
            card = render.checklist_card(form, lang, values, invalid.errors)
            await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def _on_acknowledge(self, context: TurnContext, person: Person, value: dict[str, Any]) -> None:
        lang = await self.bot.lang_of(person)
        try:
            payload, _changed = await self.bot.acknowledge(person, int(str(value.get("request_id"))))
        except NotAllowed:
            await context.send_activity(say("not_allowed", lang))
            return
        except (RequestNotFound, TypeError, ValueError):
            await context.send_activity(say("not_found", lang))
            return
        updated = MessageFactory.attachment(CardFactory.adaptive_card(render.request_card(payload)))
        if context.activity.reply_to_id:
            updated.id = context.activity.reply_to_id
            await context.update_activity(updated)
        else:
            await context.send_activity(updated)


class TeamsNotifier:
    """Proactive messages: to a person or channel whose conversation reference the bot has stored."""

    def __init__(self, teams: TeamsAdapter) -> None:
        self.teams = teams

    async def _reference(self, recipient: Recipient) -> ConversationReference:
        """Where to post: a stored conversation. The chief falls back to the comms team's channel."""
        settings = self.teams.bot.settings
        kind, address = recipient["kind"], recipient["address"]
        candidates: list[str] = []
        if kind == "role":
            chief, comms = settings.comms_chief.get("teams"), settings.comms_channel.get("teams")
            if address == "comms_chief" and chief:
                candidates.append(f"teams:user:{chief}")
            if comms:
                candidates.append(f"teams:conversation:{comms.split(';')[0]}")
            if not candidates:
                raise DeliveryError(f"no Teams {address} is set in the organisation settings")
        else:
            candidates.append(f"teams:user:{address}" if kind == "user" else f"teams:conversation:{address.split(';')[0]}")
        for key in candidates:
            stored = await self.teams.bot.store.get_reference(key)
            if stored:
                return ConversationReference().deserialize(stored)
        raise DeliveryError(f"the bot cannot reach Teams {address} yet: it learns how when they first talk to it "
                            "or install it in the comms channel")

    async def can_reach(self, recipient: Recipient) -> bool:
        try:
            await self._reference(recipient)
            return True
        except DeliveryError:
            return False

    async def send(self, recipient: Recipient, kind: str, payload: dict[str, Any]) -> None:
        reference = await self._reference(recipient)
        message = self._message(kind, payload)

        async def deliver(context: TurnContext) -> None:
            await context.send_activity(message)

        try:
            await self.teams.adapter.continue_conversation(reference, deliver, self.teams.config.app_id)
        except Exception as exc:  # connector errors, timeouts, refused tokens
            raise DeliveryError(f"Teams did not take the message: {type(exc).__name__}: {str(exc)[:200]}") from None

    @staticmethod
    def _message(kind: str, payload: dict[str, Any]) -> Activity:
        lang = payload.get("lang", "nb")
        if kind == "new_channel_request":
            return MessageFactory.attachment(CardFactory.adaptive_card(render.request_card(payload)))
        if kind == "request_receipt":
            key = "receipt" if payload.get("chief_configured") else "receipt_waiting"
            return MessageFactory.text(say(key, lang, label=payload["label"], contact=payload.get("contact", "")))
        if kind == "request_acknowledged":
            return MessageFactory.text(say("request_acknowledged", lang, label=payload["label"],
                                           who=payload.get("acknowledged_by", "")))
        if kind == "escalation":
            return MessageFactory.attachment(CardFactory.adaptive_card(render.escalation_card(payload)))
        if kind == "announcement":
            return MessageFactory.attachment(CardFactory.adaptive_card(render.announcement_card(payload)))
        raise DeliveryError(f"unknown notice kind {kind}")


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


def _locale_lang(activity: Activity) -> str:
    return "en" if (activity.locale or "").lower().startswith("en") else "nb"


def _invoke_ok() -> Any:
    from botbuilder.core import InvokeResponse

    return InvokeResponse(status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                                            "value": "ok"})
