"""Delivers outbox notices through Slack's Web API (the core's `Notifier` for Slack)."""
from __future__ import annotations

from typing import Any
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from ...bot.checklist import ChecklistForm
from ...bot import notices
from ...bot.outbox import DeliveryError, Recipient
from ...bot.settings import Settings

from . import render


class SlackNotifier:
    def __init__(self, client: AsyncWebClient, settings: Settings, form: Callable[[], ChecklistForm]) -> None:
        self.client, self.settings, self.form = client, settings, form

    async def send(self, recipient: Recipient, kind: str, payload: dict[str, Any]) -> str | None:
        """Posts the notice; returns "channel:ts", the message a reply in its thread names."""
        channel = await self._channel(recipient)
        text, blocks = self._message(recipient, kind, payload)
        try:
            posted = await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)
            return f"{posted.get('channel') or channel}:{posted.get('ts')}" if posted.get("ts") else None
        except SlackApiError as exc:
            raise DeliveryError(f"Slack refused chat.postMessage: {exc.response.get('error')}") from None
        except Exception as exc:  # connection errors, timeouts
            raise DeliveryError(f"Slack not reachable: {type(exc).__name__}") from None

    async def can_reach(self, recipient: Recipient) -> bool:
        if recipient["kind"] != "role":
            return True
        setting = {"comms_chief": self.settings.comms_chief, "comms_channel": self.settings.comms_channel}
        return bool(setting[recipient["address"]].get("slack"))

    async def _channel(self, recipient: Recipient) -> str:
        kind, address = recipient["kind"], recipient["address"]
        if kind == "role":
            setting = {"comms_chief": self.settings.comms_chief, "comms_channel": self.settings.comms_channel}[address]
            resolved = setting.get("slack")
            if not resolved:
                raise DeliveryError(f"no Slack {address} is set in the organisation settings")
            kind, address = ("user" if address == "comms_chief" else "channel"), resolved
        if kind == "channel":
            return address
        try:
            opened = await self.client.conversations_open(users=address)
        except SlackApiError as exc:
            raise DeliveryError(f"Slack refused conversations.open: {exc.response.get('error')}") from None
        except Exception as exc:
            raise DeliveryError(f"Slack not reachable: {type(exc).__name__}") from None
        return opened["channel"]["id"]

    def _message(self, recipient: Recipient, kind: str, payload: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        try:
            return render.notice(notices.read(kind, payload), self.form())
        except notices.UnknownNotice as error:
            raise DeliveryError(str(error)) from None
