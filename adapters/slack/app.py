"""Slack: Bolt's AsyncApp mounted into our aiohttp service, with the checks Bolt does too late done first.

Bolt parses a body before it checks the signature, so a malformed unsigned request ends in a 500; and
with a single token it calls auth.test on the first request, so an unreachable Web API fails every event.
Here the signature and the body are checked before Bolt sees the request (401 / 400), retried events are
dropped by their event id (stored, so also across restarts and replicas), and authorization uses the
token without a Web API round trip. Listeners only translate: Slack event → core call → Block Kit.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from ..bodies import BodyRefused, loads_json, read_body
from ...bot import commands
from ...bot.checklist import ChecklistInvalid, NotAllowed, RequestNotFound
from ...bot.curation import CurationError
from ...bot.knowledge import KnowledgeError
from ...bot.publishing import PublishError
from ...bot.messages import escalation_handled, say
from ...bot.service import GuideBot, Person
from ...bot.workbench import Workbench

from . import render
from .notifier import SlackNotifier

log = logging.getLogger("guidebot.slack")
NOT_A_MEMBER = ("not_in_channel", "channel_not_found")  # the bot was never added to the channel
_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
MAX_BODY = 1_000_000


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str
    signing_secret: str
    app_token: str | None = None
    api_url: str = "https://slack.com/api/"


class SlackAdapter:
    def __init__(self, bot: GuideBot, config: SlackConfig, bench: Workbench | None = None) -> None:
        self.bot, self.config = bot, config
        self.bench = bench or Workbench(bot)  # the comms team's reply form learns as the workbench does
        self.client = AsyncWebClient(token=config.bot_token, base_url=config.api_url)
        # Slack's 429 says when to come back (Retry-After): wait that long and retry, up to twice, instead of
        # failing the reply; what still fails is retried later by the outbox
        self.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        self.verifier = SignatureVerifier(config.signing_secret)
        self.app = AsyncApp(client=self.client, signing_secret=config.signing_secret,
                            authorize=_token_authorize(config.bot_token), name="guidebot")
        self.notifier = SlackNotifier(self.client, bot.settings, bot.form)
        self._register()

    # --- the HTTP edge --------------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.Response:
        """POST /slack/events: verify and validate, then let Bolt dispatch (and ack)."""
        try:
            raw = await read_body(request, MAX_BODY)
        except BodyRefused as refused:
            return refused.response()
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            body = None
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        # slack_sdk's verifier raises on a timestamp that is not a number: check that first
        if body is None or not timestamp.isdigit() or not signature or not self.verifier.is_valid(
                body=body, timestamp=timestamp, signature=signature):
            log.warning("refused a Slack request with a bad, stale or missing signature")
            return web.json_response({"error": "invalid signature"}, status=401)
        parsed = _parse(body, request.headers.get("Content-Type", ""))
        if parsed is None:
            log.warning("refused a signed Slack request whose body cannot be parsed")
            return web.json_response({"error": "body must be a JSON object or a form"}, status=400)
        bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=dict(request.headers))
        try:
            bolt_response = await self.app.async_dispatch(bolt_request)
        except Exception:  # Bolt's own parsing assumes fields a signed but odd payload may lack
            log.exception("Bolt could not process a signed request; answered 400")
            return web.json_response({"error": "the request could not be processed"}, status=400)
        if bolt_response.status >= 500:  # a listener failed on a signed but odd payload (logged by _on_error)
            return web.json_response({"error": "the request could not be processed"}, status=400)
        return await to_aiohttp_response(bolt_response)

    # --- listeners ------------------------------------------------------------------------------------
    def _register(self) -> None:
        app = self.app
        app.event("message")(self._on_message)
        app.event("app_mention")(self._on_mention)
        app.command("/guideline")(self._on_guideline)
        app.command("/new-channel")(self._on_new_channel)
        app.command("/guideline-admin")(self._on_admin)
        app.action("admin_publish")(self._on_admin_publish)
        app.view("new_channel")(self._on_checklist_submit)
        app.action("feedback_up")(self._on_feedback)
        app.action("feedback_down")(self._on_feedback)
        app.action("ask_comms")(self._on_ask_comms)
        app.action("share_answer")(self._on_share)
        app.action(re.compile(r"^clarify_pick_\d$"))(self._on_clarify_pick)
        app.action("acknowledge_request")(self._on_acknowledge)
        app.action("escalation_reply_open")(self._on_escalation_open)
        app.view("escalation_reply")(self._on_escalation_submit)
        app.shortcut("ask_about_message")(self._on_message_shortcut)
        app.event("app_home_opened")(self._on_home_opened)
        app.error(self._on_error)

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed: %s: %s", type(error).__name__, error)

    async def _reply(self, channel: str, user: str, text: str, thread_ts: str | None, in_thread: bool = False) -> None:
        earlier = await self._thread_question(channel, thread_ts) if in_thread and thread_ts else None
        reply = await self.bot.ask(Person("slack", user), text, earlier)
        if self.bot.answers_privately("slack", channel):  # this channel's answers go to the asker alone
            await self.client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                                 text=render.answer_text(reply.answer),
                                                 blocks=render.answer_blocks(reply.answer, reply.answer_id))
            return
        await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False,
                                           text=render.answer_text(reply.answer),
                                           blocks=render.answer_blocks(reply.answer, reply.answer_id))

    async def _thread_question(self, channel: str, thread_ts: str) -> str | None:
        """The message that opened the thread (a follow-up leans on it); None if Slack will not say."""
        try:
            found = await self.client.conversations_replies(channel=channel, ts=thread_ts, limit=1, inclusive=True)
        except Exception as exc:  # a follow-up is then answered on its own
            log.info("no thread context: %s", type(exc).__name__)
            return None
        messages = found.get("messages") or []
        return _MENTION.sub(" ", str(messages[0].get("text") or "")).strip() or None if messages else None

    async def _first_delivery(self, body: dict[str, Any]) -> bool:
        """Slack retries an event it thinks was missed; its id is claimed in the database (after the ack,
        so the claim costs the ack nothing) and a second delivery is dropped, also after a restart."""
        event_id = body.get("event_id")
        if not isinstance(event_id, str):
            return True
        if await self.bot.first_delivery(event_id):
            return True
        log.info("dropped a repeated delivery of event %s", event_id)
        return False

    async def _on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return  # never answer itself, other bots, edits or joins
        if event.get("channel_type") in ("channel", "group") and event.get("thread_ts") not in (None, event.get("ts")):
            await self._on_thread_reply(event, body)
            return
        if event.get("channel_type") != "im":
            return
        if await self._first_delivery(body):
            await self._reply(event["channel"], event["user"], event.get("text") or "", None)

    async def _on_thread_reply(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """A reply in a thread: if the thread is an escalated question, the reply goes back to the asker."""
        if not event.get("user") or not await self._first_delivery(body):
            return
        person = Person("slack", event["user"], str(event.get("user_name") or ""))
        thread = f"{event.get('channel')}:{event.get('thread_ts')}"
        if await self.bot.escalation_reply(person, thread, str(event.get("text") or "")):
            await self.client.chat_postMessage(channel=event["channel"], thread_ts=event["thread_ts"],
                                               text=say("escalation_forwarded", "nb"))

    async def _on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("bot_id") or not await self._first_delivery(body):
            return
        text = _MENTION.sub(" ", event.get("text") or "")  # the bot's own name is not part of the question
        follow_up = event.get("thread_ts") not in (None, event.get("ts"))
        await self._reply(event["channel"], event["user"], text, event.get("thread_ts") or event["ts"], follow_up)

    async def _on_guideline(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()
        typed = commands.parse(command.get("text") or "")
        if typed.kind == commands.HELP or not typed.text:
            await respond(response_type="ephemeral", text=self.bot.help("nb", "/new-channel"),
                          blocks=render.help_blocks(self.bot.help("nb", "/new-channel"), self.bot.help("en", "/new-channel")))
            return
        reply = await self.bot.ask(Person("slack", command.get("user_id") or "", command.get("user_name", "")),
                                   typed.text)
        await respond(response_type="ephemeral", text=render.answer_text(reply.answer),
                      blocks=render.answer_blocks(reply.answer, reply.answer_id, shareable=reply.answer.answered))

    async def _on_new_channel(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()  # first: within Slack's 3 seconds whatever follows
        person = Person("slack", command.get("user_id") or "", command.get("user_name", ""))
        kind, lang = await self.bot.new_channel_command(person, command.get("text") or "")
        if kind == "status":
            found, everyone, total = await self.bot.requests_for(person)
            await respond(response_type="ephemeral", text=say("status_title", lang),
                          blocks=render.status_blocks(found, lang, everyone, total))
            return
        await self.client.views_open(trigger_id=command["trigger_id"], view=render.checklist_modal(self.bot.form(), lang))

    async def _on_admin(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()
        person = Person("slack", command.get("user_id") or "", command.get("user_name", ""))
        result = await self.bot.admin(person, command.get("text") or "")
        if result.private:  # a sign-in link: in the person's own DM with the bot, never unfurled
            await self.client.chat_postMessage(channel=person.user_id, text=result.text, unfurl_links=False,
                                               unfurl_media=False)
            await respond(response_type="ephemeral", text=say("admin_login_sent", await self.bot.lang_of(person)))
            return
        await respond(response_type="ephemeral", text=render.fallback(result.text), blocks=render.admin_blocks(result))

    async def _on_admin_publish(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        person = Person("slack", body["user"]["id"], body["user"].get("name", ""))
        data = _metadata({"private_metadata": action.get("value")})
        result = await self.bot.admin(person, f"publish {data.get('note', '')}", confirm_checksum=data.get("checksum", ""))
        await respond(replace_original=True, response_type="ephemeral", text=render.fallback(result.text),
                      blocks=render.admin_blocks(result))

    async def _on_escalation_open(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """The button under an escalated question: the reply form, for the comms team."""
        await ack()
        person = Person("slack", body["user"]["id"], body["user"].get("name", ""))
        container = body.get("container") or {}
        thread = f"{container.get('channel_id')}:{container.get('message_ts')}"
        question = await self.bench.escalated_question(person, thread)
        if question is None:
            await self._ephemeral(body, say("escalation_not_yours", await self.bot.lang_of(person)), respond)
            return
        options = await self.bot.passage_options(question)
        await self.client.views_open(trigger_id=body["trigger_id"],
                                     view=render.escalation_modal(question, options, thread))

    async def _on_escalation_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        reply, about = render.escalation_form_values(view.get("state") or {})
        if self.bench.nothing_to_send(reply, about):
            await ack(response_action="errors", errors={"reply": say("escalation_form_empty", "nb")})
            return
        await ack()
        user = body.get("user") or {}
        person = Person("slack", str(user.get("id") or ""), user.get("name", ""))
        thread = str(_metadata(view).get("thread") or "")
        channel, _, ts = thread.partition(":")
        try:
            done = await self.bench.answer_escalation(person, thread, reply, about)
            text = escalation_handled(done.forwarded, done.attached_to, done.out_of_scope, "nb") if done else ""
        except (CurationError, KnowledgeError, PublishError) as error:  # said in the thread, not lost
            text = say("admin_failed", "nb", error=str(error))
        if text and channel and ts:
            await self.client.chat_postMessage(channel=channel, thread_ts=ts, text=text)

    async def _on_checklist_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Validation has to answer inside the modal, so the work comes before the ack (it is fast)."""
        lang = _metadata(view).get("lang", "nb")
        form = self.bot.form()
        try:
            user = body.get("user") or {}
            person = Person("slack", str(user["id"]), user.get("name", ""))
            values = render.modal_values(form, ((view.get("state") or {}).get("values")) or {})
            await self.bot.submit_request(person, values, lang)
        except ChecklistInvalid as invalid:
            await ack(response_action="errors", errors=invalid.errors)
            return
        except Exception:
            log.exception("a checklist submission could not be stored")
            await ack(response_action="errors", errors={form.items[0].id: say("error", lang)})
            return
        await ack()

    async def _on_feedback(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        person = Person("slack", body["user"]["id"], body["user"].get("name", ""))
        await self.bot.feedback(person, action["value"], action["action_id"] == "feedback_up")
        await self._ephemeral(body, say("thanks_feedback", await self.bot.lang_of(person)), respond)

    async def _on_ask_comms(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        person = Person("slack", body["user"]["id"], body["user"].get("name", ""))
        link = await self._permalink(body)
        sent = await self.bot.escalate(person, action["value"], link)
        lang = await self.bot.lang_of(person)
        message = say("escalated", lang) if sent else say("escalation_unconfigured", lang, contact=self.bot.contact)
        await self._ephemeral(body, message, respond)

    async def _on_share(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        person = Person("slack", body["user"]["id"], body["user"].get("name", ""))
        channel = (body.get("channel") or {}).get("id")
        if not channel:
            return
        reply = await self.bot.share(person, action["value"])
        if reply is None:
            return
        blocks = render.answer_blocks(reply.answer, reply.answer_id)
        blocks.insert(0, render.context(say("shared_by", reply.answer.lang, who=f"<@{person.user_id}>")))
        text = render.answer_text(reply.answer)
        try:
            await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        except SlackApiError as error:  # `/guideline` works in channels the bot is not a member of
            if not body.get("response_url") or error.response.get("error") not in NOT_A_MEMBER:
                raise
            await respond(response_type="in_channel", replace_original=False, text=text, blocks=blocks)
        await respond(delete_original=True)

    async def _on_clarify_pick(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """The asker chose a passage: it replaces the question's "Did you mean" as a normal answer."""
        await ack()
        person = Person("slack", body["user"]["id"], body["user"].get("name", ""))
        answer_id, _, passage_id = str(action.get("value") or "").partition(":")
        reply = await self.bot.pick(person, answer_id, passage_id)
        if reply is None:
            await self._ephemeral(body, say("not_found", await self.bot.lang_of(person)), respond)
            return
        await respond(replace_original=True, text=render.answer_text(reply.answer),
                      blocks=render.answer_blocks(reply.answer, reply.answer_id))

    async def _on_acknowledge(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        person = Person("slack", body["user"]["id"], body["user"].get("name", "") or body["user"].get("username", ""))
        try:
            payload, _changed = await self.bot.acknowledge(person, int(action["value"]))
        except NotAllowed:
            await self._ephemeral(body, say("not_allowed", await self.bot.lang_of(person)), respond)
            return
        except (RequestNotFound, ValueError):
            await self._ephemeral(body, say("not_found", await self.bot.lang_of(person)), respond)
            return
        container = body.get("container") or {}
        if container.get("channel_id") and container.get("message_ts"):
            await self.client.chat_update(channel=container["channel_id"], ts=container["message_ts"],
                                          text=say("acknowledged_by", "nb", who=payload["acknowledged_by"]),
                                          blocks=render.request_blocks(payload, self.bot.form()))

    async def _on_message_shortcut(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """"Ask guidebot about this message": the message's text is the question; only the person sees the answer."""
        await ack()
        person = Person("slack", body["user"]["id"], body["user"].get("name", ""))
        text = str((body.get("message") or {}).get("text") or "")
        reply = await self.bot.ask(person, text)
        await respond(response_type="ephemeral", replace_original=False, text=render.answer_text(reply.answer),
                      blocks=render.answer_blocks(reply.answer, reply.answer_id))

    async def _on_home_opened(self, event: dict[str, Any]) -> None:
        """The App Home tab: what the bot knows, examples in the person's language, and their own requests."""
        if event.get("tab") != "home" or not event.get("user"):
            return
        person = Person("slack", event["user"])
        lang = await self.bot.lang_of(person)
        mine, _everyone, total = await self.bot.requests_for(Person("slack", event["user"], ""), own=True)
        await self.client.views_publish(user_id=event["user"],
                                        view=render.home_view(self.bot.help(lang, "/new-channel"), lang, mine, total))

    async def _ephemeral(self, body: dict[str, Any], text: str, respond: Any) -> None:
        """A word to the person who clicked: through the interaction's response_url, which reaches them in
        any channel (chat.postEphemeral needs the bot to be a member); the Web API where there is none."""
        if body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False, text=render.fallback(text))
            return
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        if channel:
            await self.client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=text)

    async def _permalink(self, body: dict[str, Any]) -> str | None:
        container = body.get("container") or {}
        if not container.get("channel_id") or not container.get("message_ts") or container.get("is_ephemeral"):
            return None
        try:
            result = await self.client.chat_getPermalink(channel=container["channel_id"],
                                                         message_ts=container["message_ts"])
        except Exception as exc:  # a link is a nicety; the escalation goes without it
            log.info("no permalink for an escalation: %s", type(exc).__name__)
            return None
        link = str(result.get("permalink") or "")
        return link if link.startswith("https://") and not re.search(r"[<>|\s]", link) else None


def _token_authorize(token: str) -> Any:
    """Authorization from the configured token alone: no auth.test round trip that could fail every event."""
    async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=token)
    return authorize


_OBJECTS = ("event", "user", "team", "channel", "view", "container", "enterprise", "message", "authorizations")


def _parse(body: str, content_type: str) -> dict[str, Any] | None:
    """The body as Bolt will read it, or None when Bolt would crash on it."""
    try:
        if "application/json" in content_type or body.lstrip().startswith("{"):
            parsed = loads_json(body)
        else:
            form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
            parsed = loads_json(form["payload"]) if "payload" in form else (form or None)
    except (ValueError, TypeError):
        return None
    return parsed if isinstance(parsed, dict) and _shape_ok(parsed) else None


def _shape_ok(parsed: dict[str, Any]) -> bool:
    """The fields Bolt reads without checking have the types it assumes (objects, lists of objects)."""
    for key in _OBJECTS:
        wanted = list if key == "authorizations" else dict
        if key in parsed and parsed[key] is not None and not isinstance(parsed[key], wanted):
            return False
    event = parsed.get("event")
    if isinstance(event, dict) and any(k in event and not isinstance(event[k], (str, type(None)))
                                       for k in ("type", "user", "channel", "text", "ts", "thread_ts")):
        return False
    actions = parsed.get("actions")
    if actions is not None and not (isinstance(actions, list) and all(isinstance(a, dict) for a in actions)):
        return False
    return all(not isinstance(parsed.get(k), (dict, list)) for k in ("type", "command", "user_id", "text"))


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
        return data if isinstance(data, dict) else {}
    except ValueError:
        return {}
