"""Microsoft Teams through the Bot Framework SDK (botbuilder): turns on the SDK's own ActivityHandler.

Every botbuilder import lives in adapters/teams/: the edge and token check (`auth.py`), proactive
notices (`notifier.py`), cards (`render.py`) and this dispatch. Microsoft archived the SDK in favour of the
Microsoft 365 Agents SDK, which speaks the same Activity protocol: moving means changing this folder.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from aiohttp import web
from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (Activity, ActivityTypes, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue,
                              ChannelAccount)

from ...bot import commands
from ...bot.checklist import AlreadySubmitted, ChecklistInvalid, NotAllowed, RequestNotFound
from ...bot.curation import CurationError
from ...bot.knowledge import KnowledgeError
from ...bot.publishing import PublishError
from ...bot.messages import escalation_handled, say
from ...bot.service import GuideBot, Person, Reply
from ...bot.workbench import Workbench

from . import render
from .auth import RequestRefused, TeamsConfig, TeamsEdge
from .notifier import TeamsNotifier

__all__ = ["TeamsAdapter", "TeamsConfig"]
log = logging.getLogger("guidebot.teams")
_AT = re.compile(r"<at>.*?</at>", re.S)
MAX_TURNS = 8  # Teams turns (and notices) in flight at once; the loop's default executor has 32 threads
TURN_TIMEOUT = 20.0  # a turn still running then gets its HTTP response anyway (the reply may follow)


class TeamsAdapter:
    """The route: the edge admits a request, the SDK runs the turn on `GuideBotHandler`."""

    def __init__(self, bot: GuideBot, config: TeamsConfig, bench: Workbench | None = None) -> None:
        self.bot, self.config = bot, config
        self.edge = TeamsEdge(config)
        self.adapter = CloudAdapter(self.edge.reusing)
        self.adapter.on_turn_error = self._on_turn_error
        # the SDK sends with blocking calls on the loop's default executor: a bounded number of turns (and
        # notices) at once, each within a deadline, so a dead connector cannot take every thread
        self.slots = asyncio.Semaphore(MAX_TURNS)
        self.notifier = TeamsNotifier(self.adapter, config.app_id, bot.settings, bot.address_of, self.slots)
        self.handler = GuideBotHandler(bot, self.notifier.send_to_user, bench or Workbench(bot))

    async def handle(self, request: web.Request) -> web.Response:
        try:
            activity, auth_result = await self.edge.admit(request)
        except RequestRefused as refused:
            log.warning("refused a Teams request (%s): %s", refused.status, refused.reason)
            return web.json_response({"error": refused.reason}, status=refused.status)
        try:
            invoke_response = await asyncio.wait_for(self._turn(auth_result, activity), TURN_TIMEOUT)
        except TimeoutError:
            log.warning("a Teams turn did not finish in %.0f s (connector slow or down); answered 202", TURN_TIMEOUT)
            return web.Response(status=202)
        if invoke_response:
            return web.json_response(invoke_response.body, status=invoke_response.status)
        return web.Response(status=201)

    async def _turn(self, auth_result: Any, activity: Activity) -> Any:
        async with self.slots:
            return await self.adapter.process_activity(auth_result, activity, self.handler.on_turn)

    async def _on_turn_error(self, context: TurnContext, error: Exception) -> None:
        log.error("Teams turn failed: %s: %s", type(error).__name__, error)
        try:
            await context.send_activity(say("error", _locale_lang(context.activity)))
        except Exception:
            log.warning("could not tell the user about the failed turn")


class GuideBotHandler(ActivityHandler):
    """Turns → core calls → cards. The SDK dispatches by activity type; card actions arrive as message
    values (Action.Submit) or as adaptiveCard/action invokes (Action.Execute), both handled by `_on_action`."""

    def __init__(self, bot: GuideBot, send_to_user: Any = None, bench: Workbench | None = None) -> None:
        self.bot = bot
        self.bench = bench or Workbench(bot)  # the comms team's reply form learns as the workbench does
        self.send_to_user = send_to_user  # (user id, activity) → bool: a message in the person's own chat
        self._known_references: dict[str, str] = {}

    async def on_turn(self, turn_context: TurnContext) -> None:
        await self._remember(turn_context.activity)
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        value = turn_context.activity.value
        if isinstance(value, dict) and value.get("guidebot"):
            await self._on_action(turn_context, value)
        else:
            await self._on_text(turn_context)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if any(member.id == activity.recipient.id for member in members_added or []):
            await turn_context.send_activity(self.bot.help(_locale_lang(activity), "new-channel"))

    async def on_adaptive_card_invoke(self, turn_context: TurnContext,
                                      invoke_value: AdaptiveCardInvokeValue) -> AdaptiveCardInvokeResponse:
        await self._on_action(turn_context, (invoke_value.action or {}).get("data") or {})
        return AdaptiveCardInvokeResponse(status_code=200, type="application/vnd.microsoft.activity.message",
                                          value="ok")

    # --- remembering how to reach people ------------------------------------------------------------------
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
            await self.bot.remember_address(key, reference)
            self._known_references[key] = text

    # --- messages ---------------------------------------------------------------------------------------
    async def _on_text(self, context: TurnContext) -> None:
        activity = context.activity
        person = _person(activity)
        command = commands.parse(_AT.sub(" ", activity.text or ""))
        if command.kind == commands.HELP:
            await context.send_activity(self.bot.help(_locale_lang(activity), "new-channel"))
        elif command.kind == commands.ADMIN:
            if command.text.strip().lower().startswith("login") and not _personal(activity):
                await context.send_activity(say("admin_login_private", await self.bot.lang_of(person)))
                return
            await _send_card(context, render.admin_card(await self.bot.admin(person, command.text)))
        elif command.kind == commands.NEW_CHANNEL:
            await self._on_new_channel(context, person, command.text)
        elif ";messageid=" in (activity.conversation.id or "") and await self.bot.escalation_reply(
                person, activity.conversation.id, command.text):  # a comms reply in an escalation's thread
            await context.send_activity(say("escalation_forwarded", "nb"))
        elif self.bot.answers_privately("teams", (activity.conversation.id or "").split(";")[0]):
            reply = await self.bot.ask(person, command.text)
            private = _reply_activity(reply)
            if not (self.send_to_user and await self.send_to_user(person.user_id, private)):
                await _send_reply(context, reply)  # the person never talked to the bot alone: in the thread
        elif ";messageid=" in (activity.conversation.id or ""):  # a channel thread: follow-ups lean on its first question
            await _send_reply(context, await self.bot.ask_in_thread(person, command.text, activity.conversation.id))
        else:
            await _send_reply(context, await self.bot.ask(person, command.text))

    async def _on_new_channel(self, context: TurnContext, person: Person, option: str) -> None:
        kind, lang = await self.bot.new_channel_command(person, option, _locale_lang(context.activity))
        if kind == "status":
            found, everyone, total = await self.bot.requests_for(person)
            await context.send_activity(MessageFactory.text(render.status_text(found, lang, everyone, total)))
            return
        await _send_card(context, render.checklist_card(self.bot.form(), lang))

    # --- card actions -----------------------------------------------------------------------------------
    async def _on_action(self, context: TurnContext, value: dict[str, Any]) -> None:
        person = _person(context.activity)
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
                await _send_reply(context, reply)
        elif action == "new_channel_submit":
            await self._on_checklist_submit(context, person, value)
        elif action == "acknowledge":
            await self._on_acknowledge(context, person, value)
        elif action == "escalation_answer":
            await self._on_escalation_answer(context, person, value)
        elif action == "admin_publish":
            result = await self.bot.admin(person, f"publish {value.get('note', '')}",
                                          confirm_checksum=str(value.get("checksum", "")))
            await _send_card(context, render.admin_card(result))

    async def _on_escalation_answer(self, context: TurnContext, person: Person, value: dict[str, Any]) -> None:
        """The reply form on an escalated question's card, sent from its thread in the comms channel."""
        conversation = context.activity.conversation.id or ""
        thread = conversation if ";messageid=" in conversation else f"{conversation};messageid={context.activity.reply_to_id}"
        reply, about = str(value.get("reply") or ""), str(value.get("about") or "")
        if self.bench.nothing_to_send(reply, about):
            await context.send_activity(say("escalation_form_empty", "nb"))
            return
        try:
            done = await self.bench.answer_escalation(person, thread, reply, about)
        except (CurationError, KnowledgeError, PublishError) as error:  # said in the thread, not lost
            await context.send_activity(say("admin_failed", "nb", error=str(error)))
            return
        await context.send_activity(say("escalation_not_yours", "nb") if done is None else
                                    escalation_handled(done.forwarded, done.attached_to, done.out_of_scope, "nb"))

    async def _on_checklist_submit(self, context: TurnContext, person: Person, value: dict[str, Any]) -> None:
        lang = "en" if value.get("lang") == "en" else "nb"
        form = self.bot.form()
        values = render.submitted_values(form, value)
        try:
            request = await self.bot.submit_request(person, values, lang, once=str(value.get("submission") or "") or None,
                                                    names=await _names_of(context, form, values))
        except ChecklistInvalid as invalid:
            await _send_card(context, render.checklist_card(form, lang, values, invalid.errors))
            return
        except AlreadySubmitted:
            await context.send_activity(say("form_already_sent", lang))
            return
        if context.activity.reply_to_id:  # the card stays on screen: it no longer offers a button
            sent = MessageFactory.attachment(CardFactory.adaptive_card(render.submitted_card(request["id"], lang)))
            sent.id = context.activity.reply_to_id
            await context.update_activity(sent)

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


async def _names_of(context: TurnContext, form: Any, values: dict[str, Any]) -> dict[str, str]:
    """The people picker sends an id only: each picked person's name, from the conversation's roster, so
    the chief reads "Kari Nordmann", not an Azure AD id. A person the roster does not know keeps the id."""
    names: dict[str, str] = {}
    for item in form.items:
        picked = values.get(item.id)
        if item.kind != "user" or not isinstance(picked, str) or not picked or picked in names:
            continue
        try:
            member = await asyncio.wait_for(TeamsInfo.get_member(context, picked), timeout=3)
        except Exception as exc:  # outside a team or not in the roster: the id is shown
            log.info("no name for a picked person: %s", type(exc).__name__)
            continue
        if getattr(member, "name", None):
            names[picked] = str(member.name)[:100]
    return names


async def _send_card(context: TurnContext, card: dict[str, Any]) -> None:
    await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))


def _reply_activity(reply: Reply) -> Activity:
    card = render.answer_card(reply.answer, reply.answer_id)
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    # the quote once, in the card; `summary` is only for notifications and clients without cards
    activity.summary = render.answer_fallback(reply.answer)[:500]
    return activity


async def _send_reply(context: TurnContext, reply: Reply) -> None:
    await context.send_activity(_reply_activity(reply))


def _person(activity: Activity) -> Person:
    sender = activity.from_property
    return Person("teams", getattr(sender, "aad_object_id", None) or sender.id, sender.name or "")


def _locale_lang(activity: Activity) -> str:
    return "en" if (activity.locale or "").lower().startswith("en") else "nb"


def _personal(activity: Activity) -> bool:
    """A one-to-one chat with the bot: the only place a sign-in link may be shown."""
    return getattr(activity.conversation, "conversation_type", None) in (None, "personal")
