"""What a typed message asks for, parsed once for every channel (chat platforms, the terminal, the web).

A person types "help", "new-channel status", "guideline-admin history" or a question; each channel used to
parse that itself, with its own idea of which words count.
"""
from __future__ import annotations

from dataclasses import dataclass

ASK, HELP, NEW_CHANNEL, ADMIN = "ask", "help", "new_channel", "admin"
_HELP = ("help", "hjelp", "?")
_NEW_CHANNEL = ("new-channel", "ny-kanal", "new channel", "ny kanal", "/new-channel")
_ADMIN = ("guideline-admin", "/guideline-admin")


@dataclass(frozen=True)
class Command:
    kind: str  # ask, help, new_channel, admin
    text: str  # the question, the admin words, or the new-channel option ("status", "en", …)


def parse(text: str) -> Command:
    """Commands are recognised at the start of the message, in any case; everything else is a question."""
    plain = " ".join(text.split())
    lower = plain.lower()
    if lower in _HELP:
        return Command(HELP, "")
    for prefix in _ADMIN:
        if lower == prefix or lower.startswith(prefix + " "):
            return Command(ADMIN, plain[len(prefix):].strip())
    for prefix in _NEW_CHANNEL:
        if lower == prefix or lower.startswith(prefix + " "):
            words = lower[len(prefix):].split()
            return Command(NEW_CHANNEL, words[-1] if words else "")
    return Command(ASK, plain)
