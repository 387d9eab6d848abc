"""Proactive Teams messages for the outbox: to a person or channel whose conversation reference is kept."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference

from ...bot import notices
from ...bot.outbox import DeliveryError, Recipient
from ...bot.settings import Settings

from . import render

log = logging.getLogger("guidebot.teams")
SEND_DEADLINE = 20.0
AddressBook = Callable[[str], Awaitable[dict[str, Any] | None]]


class TeamsNotifier:
    """Proactive messages: to a person or channel whose conversation reference the bot has stored."""

    def __init__(self, adapter: CloudAdapter, app_id: str, settings: Settings, address_of: AddressBook,
                 slots: asyncio.Semaphore) -> None:
        self.adapter, self.app_id, self.settings, self.address_of = adapter, app_id, settings, address_of
        self.slots = slots

    async def _reference(self, recipient: Recipient) -> ConversationReference:
        """Where to post: a stored conversation. The chief falls back to the comms team's channel."""
        settings = self.settings
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
            stored = await self.address_of(key)
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

    async def send_to_user(self, user_id: str, message: Activity) -> bool:
        """One message in a person's own chat with the bot (an answer given privately); False if the bot
        cannot reach them there yet."""
        try:
            reference = await self._reference({"kind": "user", "address": user_id})

            async def deliver(context: TurnContext) -> None:
                await context.send_activity(message)

            async with self.slots:
                await asyncio.wait_for(self.adapter.continue_conversation(reference, deliver, self.app_id), SEND_DEADLINE)
            return True
        except Exception as exc:  # not reachable privately: the caller answers where it was asked
            log.info("no private answer in Teams: %s", type(exc).__name__)
            return False

    async def send(self, recipient: Recipient, kind: str, payload: dict[str, Any]) -> str | None:
        """Posts the notice; returns "<conversation>;messageid=<id>", the thread a reply in a channel names."""
        reference = await self._reference(recipient)
        message = self._message(kind, payload)
        landed: list[str] = []

        async def deliver(context: TurnContext) -> None:
            sent = await context.send_activity(message)
            if sent is not None and getattr(sent, "id", None):
                landed.append(f"{reference.conversation.id.split(';')[0]};messageid={sent.id}")

        try:
            async with self.slots:
                await asyncio.wait_for(self.adapter.continue_conversation(reference, deliver, self.app_id), SEND_DEADLINE)
        except TimeoutError:
            raise DeliveryError(f"Teams did not take the message within {SEND_DEADLINE:.0f} s") from None
        except Exception as exc:  # connector errors, timeouts, refused tokens
            raise DeliveryError(f"Teams did not take the message: {type(exc).__name__}: {str(exc)[:200]}") from None
        return landed[0] if landed else None

    @staticmethod
    def _message(kind: str, payload: dict[str, Any]) -> Activity:
        try:
            item = notices.read(kind, payload)
        except notices.UnknownNotice as error:
            raise DeliveryError(str(error)) from None
        if isinstance(item, notices.TextNotice):  # may carry what people typed (a question, a comms reply)
            return MessageFactory.text(render.escape(item.text))
        return MessageFactory.attachment(CardFactory.adaptive_card(render.notice_card(item)))
