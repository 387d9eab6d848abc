"""Signing in to the workbench without a password: a one-time link from the chat, then a session.

The comms team already proves who they are to their chat platform; the bot hands a member a link that works
once, for ten minutes. Only hashes of links and sessions are stored, so a copy of the database opens
nothing, and a link redeemed on one replica is spent on all of them (one conditional UPDATE).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from .store import Store, now

LINK_SECONDS = 600
SESSION_SECONDS = 8 * 3600  # a working day; signing in again is one chat command


class SignInRefused(ValueError):
    """A link that is unknown, used or expired: ask the bot for a new one."""


@dataclass(frozen=True)
class Session:
    """Who is signed in, and the token every form of theirs must carry back (CSRF)."""

    token: str
    actor: str  # display name, as history shows it
    actor_hash: str
    csrf: str

    def csrf_ok(self, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(str(sent).encode(), self.csrf.encode())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def new_link(store: Store, actor: str, actor_hash: str) -> str:
    """A one-time sign-in token for a comms team member (the caller has checked membership)."""
    token = secrets.token_urlsafe(32)
    await store.add_web_token(token_hash=_hash(token), kind="link", expires_at=now() + LINK_SECONDS,
                              actor=actor[:200], actor_hash=actor_hash)
    return token


async def open_session(store: Store, actor: str, actor_hash: str) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    await store.add_web_token(token_hash=_hash(token), kind="session", expires_at=now() + SESSION_SECONDS,
                              actor=actor[:200], actor_hash=actor_hash, csrf=csrf)
    return Session(token, actor, actor_hash, csrf)


async def redeem(store: Store, link_token: str) -> Session:
    """Spends a link and opens a session for its owner; SignInRefused if it cannot be spent."""
    row = await store.use_web_link(_hash(link_token)) if link_token else None
    if row is None:
        raise SignInRefused("this sign-in link is used, expired or unknown: ask the bot for a new one "
                            "(guideline-admin login)")
    return await open_session(store, row["actor"], row["actor_hash"])


async def session_of(store: Store, token: str | None) -> Session | None:
    if not token:
        return None
    row = await store.get_web_session(_hash(token))
    return Session(token, row["actor"], row["actor_hash"], row["csrf"] or "") if row else None


async def sign_out(store: Store, token: str) -> None:
    await store.end_web_session(_hash(token))
