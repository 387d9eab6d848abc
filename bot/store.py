"""Durable state in one relational database: SQLite by default, PostgreSQL when `DATABASE_URL` is set.

On hosts like Heroku the disk is wiped at restart and several replicas share one database, so everything
that must survive (checklist requests, pending notices, published guideline versions, processed event
ids) lives here, and every write that two replicas could race on is a single conditional statement.
User ids are stored pseudonymised (keyed hash) wherever they are only needed for statistics.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import time
import weakref
from typing import Any
from collections.abc import AsyncIterator, Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from . import migrations
from .schema import (answers, conversation_refs, escalations, examples, feedback,
                     knowledge_versions, meta, outbox, processed_events, request_history, requests,
                     user_prefs, vectors, web_sessions)

log = logging.getLogger("guidebot.store")
# What a database that is down or unreachable raises (the driver's errors, wrapped or not).
UNAVAILABLE: tuple[type[BaseException], ...] = (sa.exc.DBAPIError, sa.exc.InterfaceError, OSError, TimeoutError)
DEFAULT_URL = "sqlite+aiosqlite:///guidebot.db"
Notice = tuple[str, dict[str, Any], str, dict[str, Any]]  # platform, recipient, kind, payload


class LiveVersionMoved(RuntimeError):
    """Another replica published while this one built on the version before: build again on the new one."""


def _new_id(result: Any) -> int:
    """The primary key an INSERT made (every table here has one)."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def database_url(url: str | None = None) -> str:
    """Accepts what hosts hand out (`postgres://…`) and plain driver-less URLs."""
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL and a busy timeout: concurrent handlers wait for the write lock instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


_MIGRATIONS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def _migrating() -> asyncio.Lock:
    """One migration at a time in this process (Alembic's running context is a module global); other
    processes are kept apart by the database (PostgreSQL's advisory lock, SQLite's write lock)."""
    loop = asyncio.get_running_loop()
    if loop not in _MIGRATIONS:
        _MIGRATIONS[loop] = asyncio.Lock()
    return _MIGRATIONS[loop]


def now() -> float:
    return time.time()


class Store:
    """All database access; one instance per process, shared by every handler."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        kwargs: dict[str, Any] = {}
        if self.url.startswith("postgresql"):
            kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        self._key: bytes = b""
        # SQLite has one writer: queueing writes here is fast, SQLite's own busy handler sleeps up to 100 ms
        self._write_lock: asyncio.Lock | None = None
        if self.kind == "sqlite":
            sa.event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            self._write_lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def _begin(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction (serialised within the process on SQLite)."""
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock, self.engine.begin() as conn:
            yield conn

    @property
    def kind(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"

    async def start(self) -> None:
        """Brings the schema to the newest revision (from empty, or from any older guidebot); safe when
        several replicas start at once."""
        await self._migrate()
        # one random key for every replica, made on the first start
        await self.set_meta_if_absent("pseudonym_key", secrets.token_hex(32))
        self._key = (await self.get_meta("pseudonym_key") or "").encode()

    async def _migrate(self) -> None:
        """PostgreSQL serialises replicas with an advisory lock; a replica that still loses a race (SQLite
        across processes) retries and then finds the schema there."""
        for attempt in range(6):
            try:
                async with _migrating(), self.engine.begin() as conn:
                    if self.kind == "postgresql":
                        await conn.execute(sa.text("SELECT pg_advisory_xact_lock(7305112)"))
                    revision = await conn.run_sync(migrations.upgrade)
                log.debug("database schema at revision %s", revision)
                return
            except (OperationalError, ProgrammingError, IntegrityError):
                if attempt == 5:
                    raise
                await asyncio.sleep(0.1 * (attempt + 1))

    async def close(self) -> None:
        await self.engine.dispose()

    async def ready(self, timeout: float = 2.0) -> bool:
        """The database answers a trivial query within `timeout` seconds."""
        try:
            async with asyncio.timeout(timeout), self.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
            return True
        except UNAVAILABLE:
            return False

    def pseudonym(self, platform: str, user_id: str) -> str:
        """A keyed hash: stable per user, so statistics work, but not reversible without the key."""
        return hmac.new(self._key, f"{platform}:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]

    # --- meta -------------------------------------------------------------------------------------
    async def get_meta(self, key: str) -> str | None:
        async with self.engine.connect() as conn:
            return (await conn.execute(sa.select(meta.c.value).where(meta.c.key == key))).scalar()

    async def set_meta_if_absent(self, key: str, value: str) -> bool:
        try:
            async with self._begin() as conn:
                await conn.execute(meta.insert().values(key=key, value=value))
            return True
        except IntegrityError:
            return False

    async def set_meta(self, key: str, value: str) -> None:
        async with self._begin() as conn:
            await self._upsert_meta(conn, key, value)

    @staticmethod
    async def _upsert_meta(conn: AsyncConnection, key: str, value: str) -> None:
        """An upsert that holds when two replicas write the same key at once."""
        update = meta.update().where(meta.c.key == key).values(value=value)
        if (await conn.execute(update)).rowcount == 0:
            try:
                async with conn.begin_nested():
                    await conn.execute(meta.insert().values(key=key, value=value))
            except IntegrityError:
                await conn.execute(update)

    # --- knowledge versions ---------------------------------------------------------------------------
    async def add_version(self, live_key: str, based_on: int | None = None, **values: Any) -> int:
        """Records a version and makes it live in one transaction: after a crash either the old or the new
        version is live, never a recorded version that did not go live. With `based_on`, only if that
        version is still the live one (LiveVersionMoved otherwise): an edit made on it must not undo
        another replica's edit published meanwhile."""
        async with self._begin() as conn:
            result = await conn.execute(knowledge_versions.insert().values(created_at=now(), **values))
            version_id = _new_id(result)
            if based_on is None:
                await self._upsert_meta(conn, live_key, str(version_id))
                return version_id
            # one conditional UPDATE: atomic on PostgreSQL (the row's lock) and SQLite (the write lock the
            # INSERT took); a check by SELECT first would leave a gap another replica can publish in
            moved = await conn.execute(meta.update().where((meta.c.key == live_key) & (meta.c.value == str(based_on)))
                                       .values(value=str(version_id)))
            if moved.rowcount != 1:
                raise LiveVersionMoved(f"version #{based_on} is no longer the live one")
        return version_id

    async def get_version(self, version_id: int) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(knowledge_versions).where(knowledge_versions.c.id == version_id))
                   ).mappings().first()
        return dict(row) if row else None

    async def find_version(self, label: str) -> dict[str, Any] | None:
        """The newest version with this label."""
        query = (sa.select(knowledge_versions).where(knowledge_versions.c.version == label)
                 .order_by(knowledge_versions.c.id.desc()).limit(1))
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        return dict(row) if row else None

    async def list_versions(self, limit: int = 50) -> list[dict[str, Any]]:
        query = sa.select(knowledge_versions).order_by(knowledge_versions.c.id.desc()).limit(limit)
        async with self.engine.connect() as conn:
            return [dict(r) for r in (await conn.execute(query)).mappings()]

    # --- events -----------------------------------------------------------------------------------
    async def claim_event(self, event_id: str) -> bool:
        """True the first time an event id is seen, on any replica, also after a restart."""
        try:
            async with self._begin() as conn:
                await conn.execute(processed_events.insert().values(event_id=event_id, received_at=now()))
            return True
        except IntegrityError:
            return False

    async def add_escalation(self, ref: str, **values: Any) -> None:
        try:
            async with self._begin() as conn:
                await conn.execute(escalations.insert().values(ref=ref[:300], created_at=now(), **values))
        except IntegrityError:  # the same notice recorded twice (a retried hook): the first stands
            pass

    async def get_escalation(self, ref: str) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(escalations).where(escalations.c.ref == ref[:300]))).mappings().first()
        return dict(row) if row else None

    async def record_escalation_reply(self, ref: str, reply: str) -> None:
        async with self._begin() as conn:
            await conn.execute(escalations.update().where(escalations.c.ref == ref[:300])
                               .values(reply=reply, replied_at=now()))

    async def forget_event(self, event_id: str) -> None:
        """Undoes a claim whose work failed, so that a retry is not taken for a duplicate."""
        async with self._begin() as conn:
            await conn.execute(processed_events.delete().where(processed_events.c.event_id == event_id))

    # --- answers, feedback, preferences -----------------------------------------------------------
    async def record_answer(self, remember_lang: bool = True, **values: Any) -> str:
        """Logs an answer and remembers the asker's language, in one transaction."""
        answer_id = secrets.token_hex(8)
        async with self._begin() as conn:
            await conn.execute(answers.insert().values(id=answer_id, created_at=now(), **values))
            if remember_lang:
                await self._upsert_lang(conn, values["user_hash"], values["lang"])
        return answer_id

    async def get_answer(self, answer_id: str) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(answers).where(answers.c.id == answer_id))).mappings().first()
        return dict(row) if row else None

    async def add_example(self, *, question: str, passage_id: str | None, version: str, source: str,
                          user_hash: str, answer_id: str | None = None, actor: str | None = None,
                          document: str | None = None) -> int:
        async with self._begin() as conn:
            result = await conn.execute(examples.insert().values(
                created_at=now(), question=question, passage_id=passage_id, version=version, source=source,
                user_hash=user_hash, answer_id=answer_id, actor=actor, document=document))
            return _new_id(result)

    async def list_examples(self, source: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(examples).order_by(examples.c.id)
        if source:
            query = query.where(examples.c.source == source)
        async with self.engine.connect() as conn:
            return [dict(row) for row in (await conn.execute(query)).mappings()]

    async def get_vectors(self, key: str) -> bytes | None:
        async with self.engine.connect() as conn:
            return (await conn.execute(sa.select(vectors.c.data).where(vectors.c.key == key))).scalar()

    async def put_vectors(self, key: str, data: bytes) -> None:
        """Two replicas may compute the same vectors at once; the second insert is simply not needed."""
        try:
            async with self._begin() as conn:
                await conn.execute(vectors.insert().values(key=key, data=data, created_at=now()))
        except IntegrityError:
            pass

    async def record_feedback(self, answer_id: str, user_hash: str, helpful: bool, passage_id: str | None) -> None:
        """One vote per person and answer; a second click changes the vote."""
        async with self._begin() as conn:
            updated = await conn.execute(feedback.update().where(
                (feedback.c.answer_id == answer_id) & (feedback.c.user_hash == user_hash)).values(
                helpful=helpful, created_at=now()))
            if updated.rowcount == 0:
                await conn.execute(feedback.insert().values(answer_id=answer_id, user_hash=user_hash, helpful=helpful,
                                                            passage_id=passage_id, created_at=now()))

    async def feedback_for(self, answer_id: str) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(feedback).where(feedback.c.answer_id == answer_id))
            return [dict(r) for r in rows.mappings()]

    async def get_lang(self, user_hash: str) -> str | None:
        async with self.engine.connect() as conn:
            return (await conn.execute(sa.select(user_prefs.c.lang).where(user_prefs.c.user_hash == user_hash))).scalar()

    @staticmethod
    async def _upsert_lang(conn: AsyncConnection, user_hash: str, lang: str) -> None:
        result = await conn.execute(user_prefs.update().where(user_prefs.c.user_hash == user_hash).values(lang=lang))
        if result.rowcount == 0:
            try:
                async with conn.begin_nested():
                    await conn.execute(user_prefs.insert().values(user_hash=user_hash, lang=lang))
            except IntegrityError:
                pass

    # --- checklist requests -----------------------------------------------------------------------
    async def create_request(self, *, platform: str, requester: dict[str, Any], requester_hash: str, lang: str,
                             answers_: dict[str, Any], version: str, status: str,
                             notices: Callable[[dict[str, Any]], list[Notice]] = lambda _: []) -> dict[str, Any]:
        """Stores a request and the notices it owes (built from the stored row) in one transaction: a crash
        leaves either nothing or a request whose chief notice is queued, never a request nobody is told of."""
        async with self._begin() as conn:
            t = now()
            result = await conn.execute(requests.insert().values(
                created_at=t, updated_at=t, platform=platform, requester=requester, requester_hash=requester_hash,
                status=status, lang=lang, answers=answers_, version=version))
            request_id = _new_id(result)
            await conn.execute(request_history.insert().values(request_id=request_id, at=t, status=status,
                                                               actor_hash=requester_hash, note="submitted"))
            row = (await conn.execute(sa.select(requests).where(requests.c.id == request_id))).mappings().one()
            request = dict(row)
            for notice_platform, recipient, kind, payload in notices(request):
                await conn.execute(self._notice_row(notice_platform, recipient, kind, payload))
        return request

    async def get_request(self, request_id: int) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(requests).where(requests.c.id == request_id))).mappings().first()
        return dict(row) if row else None

    async def transition_request(self, request_id: int, allowed_from: tuple[str, ...], status: str,
                                 actor_hash: str | None, note: str, **fields: Any) -> bool:
        """Moves a request to `status` only from an allowed state: one statement, so replicas cannot race."""
        async with self._begin() as conn:
            t = now()
            result = await conn.execute(requests.update().where(
                (requests.c.id == request_id) & requests.c.status.in_(allowed_from)).values(
                status=status, updated_at=t, **fields))
            if result.rowcount != 1:
                return False
            await conn.execute(request_history.insert().values(request_id=request_id, at=t, status=status,
                                                               actor_hash=actor_hash, note=note))
        return True

    async def figures(self) -> dict[str, Any]:
        """Counts across every replica, for /metrics: answers by outcome, feedback, requests by state,
        notices by state. No question text and no user."""
        async with self.engine.connect() as conn:
            outcome = sa.func.coalesce(answers.c.outcome, sa.case((answers.c.answered.is_(True), "answer"),
                                                                  else_="decline"))
            by_outcome = {r[0]: int(r[1]) for r in await conn.execute(
                sa.select(outcome, sa.func.count()).group_by(outcome))}
            votes = {bool(r[0]): int(r[1]) for r in await conn.execute(
                sa.select(feedback.c.helpful, sa.func.count()).group_by(feedback.c.helpful))}
            by_state = {r[0]: int(r[1]) for r in await conn.execute(
                sa.select(requests.c.status, sa.func.count()).group_by(requests.c.status))}
            notices = {r[0]: int(r[1]) for r in await conn.execute(
                sa.select(outbox.c.status, sa.func.count()).group_by(outbox.c.status))}
            oldest = (await conn.execute(sa.select(sa.func.min(outbox.c.created_at))
                                         .where(outbox.c.status != "sent"))).scalar()
            published = {r[0]: int(r[1]) for r in await conn.execute(
                sa.select(knowledge_versions.c.action, sa.func.count()).group_by(knowledge_versions.c.action))}
        return {"answers": by_outcome, "feedback": votes, "requests": by_state, "notices": notices,
                "oldest_unsent_age": max(0.0, now() - float(oldest)) if oldest is not None else 0.0,
                "versions": published}

    async def count_requests(self, requester_hash: str | None = None, statuses: tuple[str, ...] | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(requests)
        if requester_hash:
            query = query.where(requests.c.requester_hash == requester_hash)
        if statuses:
            query = query.where(requests.c.status.in_(statuses))
        async with self.engine.connect() as conn:
            return int((await conn.execute(query)).scalar() or 0)

    async def list_requests(self, requester_hash: str | None = None, statuses: tuple[str, ...] | None = None,
                            limit: int = 50) -> list[dict[str, Any]]:
        query = sa.select(requests).order_by(requests.c.id.desc()).limit(limit)
        if requester_hash:
            query = query.where(requests.c.requester_hash == requester_hash)
        if statuses:
            query = query.where(requests.c.status.in_(statuses))
        async with self.engine.connect() as conn:
            return [dict(r) for r in (await conn.execute(query)).mappings()]

    async def request_history_of(self, request_id: int) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(request_history).where(request_history.c.request_id == request_id)
                                      .order_by(request_history.c.id))
            return [dict(r) for r in rows.mappings()]

    # --- outbox -----------------------------------------------------------------------------------
    async def enqueue(self, platform: str, recipient: dict[str, Any], kind: str, payload: dict[str, Any]) -> int:
        async with self._begin() as conn:
            result = await conn.execute(self._notice_row(platform, recipient, kind, payload))
            return _new_id(result)

    @staticmethod
    def _notice_row(platform: str, recipient: dict[str, Any], kind: str, payload: dict[str, Any]) -> Any:
        return outbox.insert().values(created_at=now(), platform=platform, recipient=recipient, kind=kind,
                                      payload=payload, status="pending", attempts=0, next_attempt_at=now())

    async def claim_due(self, limit: int, lease_seconds: float) -> list[dict[str, Any]]:
        """Claims due notices with a lease; a replica that dies mid-send frees them when the lease ends."""
        t = now()
        due = ((outbox.c.status == "pending") & (outbox.c.next_attempt_at <= t)) | (
            (outbox.c.status == "sending") & (outbox.c.claimed_until < t))
        async with self.engine.connect() as conn:
            query = sa.select(outbox.c.id).where(due).order_by(outbox.c.id).limit(limit)
            candidates = (await conn.execute(query)).scalars().all()
        claimed = []
        for notice_id in candidates:
            async with self._begin() as conn:
                result = await conn.execute(outbox.update().where((outbox.c.id == notice_id) & due).values(
                    status="sending", claimed_until=t + lease_seconds))
                if result.rowcount == 1:
                    row = (await conn.execute(sa.select(outbox).where(outbox.c.id == notice_id))).mappings().first()
                    claimed.append(dict(row or {}))
        return claimed

    async def mark_sent(self, notice_id: int) -> None:
        async with self._begin() as conn:
            await conn.execute(outbox.update().where(outbox.c.id == notice_id).values(
                status="sent", sent_at=now(), claimed_until=None, attempts=outbox.c.attempts + 1))

    async def mark_failed(self, notice_id: int, error: str, retry_at: float) -> None:
        async with self._begin() as conn:
            await conn.execute(outbox.update().where(outbox.c.id == notice_id).values(
                status="pending", last_error=error[:1000], next_attempt_at=retry_at, claimed_until=None,
                attempts=outbox.c.attempts + 1))

    async def release(self, notice_ids: list[int]) -> None:
        """Claimed notices this process will not finish: due again now. Best effort: if a row is still
        locked, its lease frees it a little later."""
        try:
            await asyncio.wait_for(self._release(notice_ids), timeout=5)
        except Exception as exc:
            log.warning("could not release %d claimed notices now (%s); their lease will", len(notice_ids),
                        type(exc).__name__)

    async def _release(self, notice_ids: list[int]) -> None:
        async with self._begin() as conn:
            if self.kind == "postgresql":
                await conn.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
            await conn.execute(outbox.update().where(outbox.c.id.in_(notice_ids) & (outbox.c.status == "sending"))
                               .values(status="pending", claimed_until=None, next_attempt_at=now()))

    async def notices(self, kind: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(outbox).order_by(outbox.c.id)
        if kind:
            query = query.where(outbox.c.kind == kind)
        async with self.engine.connect() as conn:
            return [dict(r) for r in (await conn.execute(query)).mappings()]

    # --- conversation references (how to reach someone later, for proactive messages) ---------------------------------------
    async def save_reference(self, key: str, reference: dict[str, Any]) -> None:
        async with self._begin() as conn:
            result = await conn.execute(conversation_refs.update().where(conversation_refs.c.key == key).values(
                reference=reference, updated_at=now()))
            if result.rowcount == 0:
                try:
                    async with conn.begin_nested():
                        await conn.execute(conversation_refs.insert().values(key=key, reference=reference,
                                                                             updated_at=now()))
                except IntegrityError:
                    pass

    async def get_reference(self, key: str) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            return (await conn.execute(sa.select(conversation_refs.c.reference)
                                       .where(conversation_refs.c.key == key))).scalar()

    # --- the workbench: sign-in links and sessions --------------------------------------------------------
    async def add_web_token(self, **values: Any) -> None:
        async with self._begin() as conn:
            await conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < now() - 86400))
            await conn.execute(web_sessions.insert().values(created_at=now(), **values))

    async def use_web_link(self, token_hash: str) -> dict[str, Any] | None:
        """Marks an unused, unexpired link used and returns it; one conditional UPDATE, so two clicks on
        two replicas cannot both open a session."""
        async with self._begin() as conn:
            claimed = await conn.execute(web_sessions.update().where(
                (web_sessions.c.token_hash == token_hash) & (web_sessions.c.kind == "link")
                & web_sessions.c.used_at.is_(None) & (web_sessions.c.expires_at > now())).values(used_at=now()))
            if claimed.rowcount != 1:
                return None
            row = (await conn.execute(sa.select(web_sessions).where(web_sessions.c.token_hash == token_hash))
                   ).mappings().first()
        return dict(row) if row else None

    async def get_web_session(self, token_hash: str) -> dict[str, Any] | None:
        query = sa.select(web_sessions).where(
            (web_sessions.c.token_hash == token_hash) & (web_sessions.c.kind == "session")
            & web_sessions.c.used_at.is_(None) & (web_sessions.c.expires_at > now()))
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        return dict(row) if row else None

    async def end_web_session(self, token_hash: str) -> None:
        async with self._begin() as conn:
            await conn.execute(web_sessions.update().where(web_sessions.c.token_hash == token_hash)
                               .values(used_at=now()))

    # --- the workbench: what was asked ------------------------------------------------------------------
    async def answers_since(self, since: float, limit: int = 20000) -> list[dict[str, Any]]:
        """Answers (newest first) with their 👎 count: the inbox and the weekly figures read these."""
        down = (sa.select(sa.func.count()).where((feedback.c.answer_id == answers.c.id) & feedback.c.helpful.is_(False))
                .scalar_subquery())
        up = (sa.select(sa.func.count()).where((feedback.c.answer_id == answers.c.id) & feedback.c.helpful.is_(True))
              .scalar_subquery())
        query = (sa.select(answers.c.id, answers.c.created_at, answers.c.question, answers.c.lang, answers.c.answered,
                           answers.c.outcome, answers.c.passage_id, answers.c.version, down.label("down"),
                           up.label("up"))
                 .where(answers.c.created_at >= since).order_by(answers.c.created_at.desc()).limit(limit))
        async with self.engine.connect() as conn:
            return [dict(r) for r in (await conn.execute(query)).mappings()]

    # --- the comms team's report ----------------------------------------------------------------------
    async def unanswered(self, limit: int = 15) -> list[tuple[str, int]]:
        """The most frequent questions the bot declined (texts within the retention period)."""
        question = sa.func.lower(answers.c.question)
        query = (sa.select(question.label("q"), sa.func.count().label("n"))
                 .where(answers.c.answered.is_(False) & answers.c.question.is_not(None))
                 .group_by(question).order_by(sa.desc("n"), question).limit(limit))
        async with self.engine.connect() as conn:
            return [(r.q, int(r.n)) for r in await conn.execute(query)]

    async def feedback_per_passage(self) -> list[tuple[str, int, int]]:
        helpful = sa.func.sum(sa.case((feedback.c.helpful.is_(True), 1), else_=0))
        unhelpful = sa.func.sum(sa.case((feedback.c.helpful.is_(False), 1), else_=0))
        query = (sa.select(feedback.c.passage_id, helpful.label("up"), unhelpful.label("down"))
                 .group_by(feedback.c.passage_id).order_by(sa.desc("down"), feedback.c.passage_id))
        async with self.engine.connect() as conn:
            return [(r.passage_id or "(declined)", int(r.up), int(r.down)) for r in await conn.execute(query)]

    # --- retention --------------------------------------------------------------------------------
    async def forget_questions_before(self, cutoff: float) -> int:
        async with self._begin() as conn:
            result = await conn.execute(answers.update().where(
                (answers.c.created_at < cutoff) & answers.c.question.is_not(None)).values(question=None))
            await conn.execute(processed_events.delete().where(processed_events.c.received_at < cutoff))
            # an old escalation's question, reply and asker go too: its thread can no longer be answered
            await conn.execute(escalations.delete().where(escalations.c.created_at < cutoff))
            await conn.execute(conversation_refs.delete().where(  # a thread's first question, kept for follow-ups
                conversation_refs.c.key.like("thread:%") & (conversation_refs.c.updated_at < cutoff)))
            return result.rowcount
