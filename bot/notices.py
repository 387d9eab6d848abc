"""What the bot tells someone who did not just ask: the chief's notice of a new channel, the requester's
receipt and acknowledgement, an escalated question, an announcement of a new version.

The outbox keeps a notice as its kind and a JSON payload (it must survive a restart); `read` turns that
back into one of these types. The core decides what a notice says (its words, the organisation's own
contact); each platform's renderer decides only how it looks.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .messages import say


class UnknownNotice(ValueError):
    """A stored notice of a kind this version does not know (written by a newer replica): kept, not sent."""


@dataclass(frozen=True)
class _Notice:
    kind: ClassVar[str]
    payload: Mapping[str, Any]

    @property
    def lang(self) -> str:
        return str(self.payload.get("lang") or "nb")


@dataclass(frozen=True)
class TextNotice(_Notice):
    """A notice that is one sentence in the recipient's language."""

    @property
    def text(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class ChannelRequest(_Notice):
    """To the communications chief (and the comms channel): a new official channel, every answer given."""

    kind = "new_channel_request"

    @property
    def title(self) -> str:
        return say("new_request_title", "nb", label=self.payload["label"])


@dataclass(frozen=True)
class Receipt(TextNotice):
    """To the requester: registered, and whether the chief could be told yet."""

    kind = "request_receipt"

    @property
    def text(self) -> str:
        key = "receipt" if self.payload.get("chief_configured") else "receipt_waiting"
        return say(key, self.lang, label=self.payload["label"], contact=self.payload.get("contact", ""))


@dataclass(frozen=True)
class RequestAcknowledged(TextNotice):
    kind = "request_acknowledged"

    @property
    def text(self) -> str:
        return say("request_acknowledged", self.lang, label=self.payload["label"],
                   who=self.payload.get("acknowledged_by", ""))


@dataclass(frozen=True)
class Escalation(_Notice):
    """To the comms channel: a question someone wants a person to answer."""

    kind = "escalation"

    @property
    def title(self) -> str:
        return say("escalation_title", "nb")


@dataclass(frozen=True)
class EscalationAnswer(TextNotice):
    """To the asker: the comms team's reply to the question they escalated, through the bot."""

    kind = "escalation_answer"

    @property
    def text(self) -> str:
        return say("escalation_answer", self.lang, who=self.payload.get("who") or "", question=self.payload["question"],
                   answer=self.payload["answer"])


@dataclass(frozen=True)
class Announcement(_Notice):
    """To the announcement channels: a new or rolled-back guideline version."""

    kind = "announcement"


Notice = ChannelRequest | Receipt | RequestAcknowledged | Escalation | EscalationAnswer | Announcement
_KINDS: dict[str, type[Notice]] = {cls.kind: cls for cls in (ChannelRequest, Receipt, RequestAcknowledged,
                                                                Escalation, EscalationAnswer, Announcement)}


def read(kind: str, payload: Mapping[str, Any]) -> Notice:
    """The typed notice for a stored (kind, payload)."""
    try:
        return _KINDS[kind](payload)
    except KeyError:
        raise UnknownNotice(f"unknown notice kind {kind!r}") from None
