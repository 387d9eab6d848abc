"""The core as the adapters see it: one object, plain data in and out, no platform code.

An adapter turns a chat platform's event into one of these calls and renders the result. Everything that
must behave the same on both platforms (what counts as an answer, who may acknowledge, who is told what)
is decided here.
"""
from __future__ import annotations

import asyncio
import time
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from .answers import Answer, AnswerEngine
from .checklist import (ACKNOWLEDGED, AlreadySubmitted, CHIEF_NOTIFIED, OPEN_STATES, SUBMITTED, TRANSITIONS, ChecklistForm,
                        NotAllowed, RequestNotFound, request_label)
from .knowledge import Guideline, KnowledgeError, KnowledgeFiles, default_directory, read_directory
from .messages import help_text, say
from .outbox import Outbox, role, user
from .publishing import Publisher, PublishError, format_history
from .retrieval import RetrievalParams
from .semantic import MemoryCache, SemanticIndex, curated_texts, load_embedder, semantic_wanted, vector_key
from .settings import Settings
from . import signin
from .threads import answer_thread, in_daemon_thread, work_thread
from .store import UNAVAILABLE, Store, now

log = logging.getLogger("guidebot")


@dataclass(frozen=True)
class Person:
    """Someone talking to the bot. `user_id` is the platform's id; it is stored only pseudonymised,
    except as the delivery address of that person's own checklist request."""

    platform: str
    user_id: str
    name: str = ""


NAMES_KEY = "_names"  # kept beside a request's answers: picked people's display names, by their id
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)  # seconds, for /metrics


@dataclass
class Histogram:
    """Answer times of this worker, counted into buckets (what Prometheus's histogram type expects)."""

    bounds: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    observed: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * len(self.bounds)

    def observe(self, seconds: float) -> None:
        self.observed += 1
        self.total += seconds
        for index, bound in enumerate(self.bounds):
            if seconds <= bound:
                self.counts[index] += 1


@dataclass(frozen=True)
class AdminResult:
    """What to show; `confirm` is the checksum a Publish button must carry back (preview shown first)."""

    text: str
    confirm: str | None = None
    note: str = ""
    private: bool = False  # for the person alone (a sign-in link): a direct message, never a channel


@dataclass(frozen=True)
class Reply:
    answer: Answer
    answer_id: str


@dataclass
class GuideBot:
    store: Store
    settings: Settings
    engine: AnswerEngine
    outbox: Outbox = field(init=False)
    publisher: Publisher = field(init=False)
    _semantic_task: asyncio.Task[None] | None = field(default=None, init=False, repr=False)
    _in_flight: int = field(default=0, init=False, repr=False)
    local_url: str = field(default="http://localhost:8000/", init=False)  # the workbench's host when unset
    latency: Histogram = field(default_factory=lambda: Histogram(LATENCY_BUCKETS), init=False, repr=False)

    def __post_init__(self) -> None:
        self.outbox = Outbox(self.store)
        self.outbox.on_sent.append(self._after_send)
        self.publisher = Publisher(self.store, self.settings, self.outbox, self.switch_to)

    # --- life cycle -----------------------------------------------------------------------------------
    async def open(self, bundled: KnowledgeFiles | None, *, background: bool = True) -> None:
        """Schema, the live version (the bundled files seed an empty database), and, for the service,
        the loops that follow the live pointer and deliver notices."""
        await self.store.start()
        await self.switch_to(await self.publisher.start(bundled), semantic=background)
        if background:
            self.publisher.watch()
            self.outbox.start()

    async def close(self) -> None:
        await self.publisher.stop()
        await self.stop_background()
        await self.outbox.stop()
        await self.store.close()

    @property
    def database(self) -> str:
        return self.store.kind

    # --- what the platforms need remembered -----------------------------------------------------------
    async def first_delivery(self, event_id: str) -> bool:
        """True the first time a platform delivers this event id, on any replica, also after a restart.
        While the database is away a retried event may be answered twice rather than not at all."""
        try:
            return await self.store.claim_event(event_id)
        except UNAVAILABLE:
            log.warning("could not record event %s (database unavailable): answering it anyway", event_id)
            return True

    async def remember_address(self, key: str, reference: dict[str, Any]) -> None:
        """How to reach a person or channel later (a platform's conversation reference); best effort,
        since the next message from them brings it again."""
        try:
            await self.store.save_reference(key, reference)
        except UNAVAILABLE:
            log.warning("could not keep a conversation reference (database unavailable)")

    async def ready(self) -> dict[str, Any]:
        """For /readyz: the database answers and a live version is loaded."""
        database = await self.store.ready()
        return {"ready": database and self.publisher.live is not None, "database": database,
                "version": self.guideline.document.version}

    async def address_of(self, key: str) -> dict[str, Any] | None:
        return await self.store.get_reference(key)

    @classmethod
    def create(cls, store: Store, settings: Settings, guideline: Guideline) -> GuideBot:
        return cls(store, settings, cls.engine_for(guideline, settings))

    @staticmethod
    def engine_for(guideline: Guideline, settings: Settings) -> AnswerEngine:
        """The lexical engine; `_add_semantic` adds the model's signal to it later."""
        params = RetrievalParams(min_coverage=settings.min_coverage) if settings.min_coverage else None
        return AnswerEngine(guideline, params, policy=settings.policy(), contact=settings.contact)

    def switch(self, guideline: Guideline) -> None:
        """Serve a new guideline version from the next question on: one reference swap, no half states."""
        self.engine = self.engine_for(guideline, self.settings)

    async def switch_to(self, guideline: Guideline, semantic: bool = True) -> None:
        """The same, with the new index built in a worker thread (a large corpus takes seconds to index).

        The lexical engine goes live at once; the semantic signal follows in the background (embedding
        the curated texts takes seconds unless another replica already stored them), so a publish or a
        start never waits for the model."""
        self.engine = await work_thread(self.engine_for, guideline, self.settings)
        if self._semantic_task is not None:
            self._semantic_task.cancel()
        if semantic and semantic_wanted():
            self._semantic_task = asyncio.create_task(self._add_semantic(guideline), name="guidebot-semantic")

    async def _add_semantic(self, guideline: Guideline) -> None:
        try:
            cache = MemoryCache()
            embedder = await work_thread(load_embedder)
            if embedder is None:
                return
            texts, queries, _, _ = curated_texts(guideline)
            key = vector_key(embedder.name, texts, queries)
            stored = await self.store.get_vectors(key)
            if stored:
                cache.data[key] = stored
            index = await in_daemon_thread(SemanticIndex.build, guideline, embedder, cache)
            if self.engine.guideline.checksum == guideline.checksum:  # no newer version went live meanwhile
                self.engine = self.engine.with_semantic(index)
                log.info("semantic signal on for version %s", guideline.document.version)
            for new_key, data in cache.new.items():
                await self.store.put_vectors(new_key, data)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("could not add the semantic signal; answering lexically")

    async def stop_background(self) -> None:
        if self._semantic_task is not None:
            self._semantic_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._semantic_task
            self._semantic_task = None

    async def report(self) -> dict[str, Any]:
        """For the comms team (`guidebot report`): what went unanswered, feedback per passage, open requests.
        Question texts past the retention period are deleted first."""
        forgotten = await self.forget_old_questions()
        return {"version": self.guideline.document.version, "retention_days": self.settings.retention_days,
                "forgotten": forgotten, "unanswered": await self.store.unanswered(),
                "feedback": await self.store.feedback_per_passage(),
                "open_requests": await self.store.list_requests(statuses=OPEN_STATES)}

    async def forget_old_questions(self) -> int:
        """Question texts older than the retention period are deleted (the statistics stay)."""
        return await self.store.forget_questions_before(now() - self.settings.retention_days * 86400)

    def is_comms_member(self, person: Person) -> bool:
        return self.settings.is_comms_member(person.platform, person.user_id)

    async def admin(self, person: Person, command: str, confirm_checksum: str | None = None) -> AdminResult:
        """`guideline-admin` from chat, for the comms team: history, publish (preview, then confirm), rollback."""
        lang = await self.lang_of(person)
        if not self.is_comms_member(person):
            return AdminResult(say("admin_only", lang))
        words = command.split(maxsplit=1)
        action, rest = (words[0].lower() if words else ""), (words[1].strip() if len(words) > 1 else "")
        author = f"{person.name or person.user_id} ({person.platform})"
        try:
            if action == "login":
                link = await self.workbench_link(person)
                return AdminResult(say("admin_login", lang, link=link), private=True)
            if action == "history":
                return AdminResult(format_history(await self.publisher.history(20), self.publisher.live_id))
            if action == "rollback" and rest:
                record, _ = await self.publisher.rollback(rest, author)
                return AdminResult(say("admin_rolled_back", lang, version=record.version, number=record.id))
            if action == "publish":
                files = read_directory(default_directory())
                candidate, change = await self.publisher.check(files, "knowledge")
                note = rest or f"publisert fra chat av {person.name or person.user_id}"
                if confirm_checksum is None:
                    return AdminResult(say("admin_confirm", lang) + "\n" + change.text(), confirm=candidate.checksum,
                                       note=note)
                if confirm_checksum != candidate.checksum:
                    return AdminResult(say("admin_stale", lang))
                record, _ = await self.publisher.publish(files, author, note, "knowledge")
                return AdminResult(say("admin_published", lang, version=record.version, number=record.id))
        except (PublishError, KnowledgeError) as error:
            return AdminResult(say("admin_failed", lang, error=str(error)))
        return AdminResult(say("admin_usage", lang))

    async def workbench_link(self, person: Person) -> str:
        """A one-time sign-in link to the workbench for a comms team member (checked by the caller)."""
        token = await signin.new_link(self.store, f"{person.name or person.user_id} ({person.platform})",
                                      self.pseudonym(person))
        base = self.settings.workbench_url or self.local_url.rstrip("/") + "/workbench/"
        return f"{base}login?token={token}"

    @property
    def guideline(self) -> Guideline:
        return self.engine.guideline

    def form(self) -> ChecklistForm:
        return ChecklistForm.from_knowledge(self.guideline.checklist)

    def pseudonym(self, person: Person) -> str:
        return self.store.pseudonym(person.platform, person.user_id)

    # --- answers ----------------------------------------------------------------------------------
    async def ask_in_thread(self, person: Person, question: str, thread: str) -> Reply:
        """A question in a thread the platform cannot tell us the start of: the bot remembers the first
        question it was asked there, and reads later ones as follow-ups to it."""
        key = f"thread:{person.platform}:{thread}"[:300]
        try:
            opened = await self.store.get_reference(key)
        except UNAVAILABLE:
            opened = None
        reply = await self.ask(person, question, opened.get("question") if opened else None)
        if opened is None and reply.answer.reason not in ("empty", "busy"):
            await self.remember_address(key, {"question": question[:500]})
        return reply

    async def ask(self, person: Person, question: str, earlier: str | None = None) -> Reply:
        """Answers off the event loop: BM25 over a large corpus takes long enough to stall other chats.
        `earlier`: the question that opened the thread, for a follow-up asked in it."""
        engine = self.engine  # one version for the whole question, even if a publish lands meanwhile
        if self._in_flight >= self.settings.max_answers_in_flight:  # shed load, politely, rather than queue
            log.warning("busy: %d questions in flight; asked to try again", self._in_flight)
            return Reply(engine.busy(question), "busy")
        self._in_flight += 1
        started = time.perf_counter()
        try:
            answer = await answer_thread(engine.answer_in_context, question, earlier)
            self.latency.observe(time.perf_counter() - started)
            return Reply(answer, await self._record_if_possible(person, answer))
        finally:
            self._in_flight -= 1

    async def _record_if_possible(self, person: Person, answer: Answer) -> str:
        """Answers come from memory: a database outage must not silence them (the id is then not stored)."""
        try:
            return await self._record(person, answer)
        except UNAVAILABLE as error:
            log.warning("answered without recording it (database unavailable: %s)", type(error).__name__)
            return "unrecorded"

    async def _record(self, person: Person, answer: Answer) -> str:
        first = answer.passages[0].id if answer.passages else None
        return await self.store.record_answer(
            platform=person.platform, user_hash=self.pseudonym(person), question=answer.question, lang=answer.lang,
            answered=answer.answered, outcome=answer.outcome, passage_id=first, version=answer.version,
            confidence=answer.confidence, remember_lang=answer.reason != "empty")

    async def share(self, person: Person, answer_id: str) -> Reply | None:
        """"Share in channel": the stored question answered again, as a fresh answer with its own buttons."""
        stored = await self.store.get_answer(answer_id)
        if not stored or not stored.get("question"):
            return None
        return await self.ask(person, stored["question"])

    async def pick(self, person: Person, answer_id: str, passage_id: str) -> Reply | None:
        """A "Did you mean …?" choice: the chosen passage as an answer, and the pair kept as a labelled
        example (question → passage) for the comms team and the learning loop. None if either is unknown."""
        stored = await self.store.get_answer(answer_id)
        engine = self.engine
        if not stored or not stored.get("question"):
            return None
        answer = engine.quote(stored["question"], passage_id, stored["lang"])
        if answer is None:
            return None
        new_id = await self._record(person, answer)
        await self.store.add_example(question=stored["question"], passage_id=passage_id, version=answer.version,
                                     source="clarify_pick", user_hash=self.pseudonym(person), answer_id=new_id)
        return Reply(answer, new_id)

    async def lang_of(self, person: Person, default: str = "nb") -> str:
        """The language of the person's last question: the bot's own words follow it."""
        try:
            return await self.store.get_lang(self.pseudonym(person)) or default
        except UNAVAILABLE:
            return default

    async def feedback(self, person: Person, answer_id: str, helpful: bool) -> bool:
        stored = await self.store.get_answer(answer_id)
        if not stored:
            return False
        await self.store.record_feedback(answer_id, self.pseudonym(person), helpful, stored["passage_id"])
        return True

    async def escalate(self, person: Person, answer_id: str, link: str | None = None) -> bool:
        """Posts the question to the comms channel (the asker's platform first); False if none is set."""
        stored = await self.store.get_answer(answer_id)
        configured = self.settings.comms_channel.platforms()
        platforms = [person.platform] + [p for p in configured if p != person.platform]
        target = next((p for p in platforms if self.settings.comms_channel.get(p)), None)
        if not stored or target is None:
            return False
        payload = {"question": stored["question"] or "", "lang": stored["lang"], "answered": stored["answered"],
                   "asker": {"platform": person.platform, "user_id": person.user_id, "name": person.name},
                   "link": link, "version": stored["version"], "passage_id": stored["passage_id"],
                   "answer_id": answer_id, "options": await self.passage_options(stored["question"] or "")}
        await self.outbox.put(target, role("comms_channel"), "escalation", payload)
        return True

    async def passage_options(self, question: str, count: int = 4) -> list[list[str]]:
        """The passages the bot weighed for a question, as [id, title] pairs: the comms team's reply form
        offers them as "this passage answers it"."""
        if not question.strip():
            return []
        answer = await answer_thread(self.engine.answer, question)
        return [[f"{p.document_id}/{p.id}", p.title] for p in answer.candidates[:count]]

    async def escalation_reply(self, person: Person, thread: str, text: str) -> bool:
        """A reply in the thread of an escalated question (`thread`: where the notice landed) goes to the
        asker through the bot, in their own chat, and is kept with the question. False when the thread
        is not an escalation, or the person is not in the comms team (when one is configured)."""
        escalation = await self.store.get_escalation(f"{person.platform}:{thread}")
        team = self.settings.comms_team.get(person.platform)
        if escalation is None or not text.strip() or (team and not self.is_comms_member(person)):
            return False
        asker = escalation["asker"]
        payload = {"question": escalation["question"] or "", "answer": text.strip()[:2500], "lang": escalation["lang"],
                   "who": person.name or self.contact, "answer_id": escalation["answer_id"]}
        await self.outbox.put(asker["platform"], user(asker["user_id"]), "escalation_answer", payload)
        await self.store.record_escalation_reply(escalation["ref"], text.strip())
        log.info("a comms reply to an escalated question was forwarded to the asker on %s", asker["platform"])
        return True

    # --- the new-channel checklist ----------------------------------------------------------------
    async def submit_request(self, person: Person, values: dict[str, Any], lang: str,
                             address: dict[str, Any] | None = None, once: str | None = None,
                             names: dict[str, str] | None = None) -> dict[str, Any]:
        """Validates (ChecklistInvalid), then stores the request with its receipt and the chief's notice
        in one transaction. `once` names one filled-in form: sent again, it raises AlreadySubmitted.
        `names`: the display names of picked people, where the platform sends ids only."""
        form = self.form()
        clean = form.validate(values, lang)
        if names:
            clean = {**clean, NAMES_KEY: dict(names)}
        key = f"form:{person.platform}:{once}" if once else None
        if key and not await self.store.claim_event(key):
            raise AlreadySubmitted(once)
        try:
            return await self._create_request(person, form, clean, lang, address)
        except BaseException:
            if key:
                await self.store.forget_event(key)
            raise

    async def _create_request(self, person: Person, form: ChecklistForm, clean: dict[str, Any], lang: str,
                              address: dict[str, Any] | None) -> dict[str, Any]:
        requester = {"platform": person.platform, "user_id": person.user_id, "name": person.name,
                     **(address or {})}
        connected = list(self.outbox.notifiers) or [person.platform]
        chief_platforms = [p for p in connected if self.settings.comms_chief.get(p)] or [person.platform]
        chief_reachable = await self._chief_reachable(chief_platforms)

        def notices(request: dict[str, Any]) -> list[tuple[str, dict[str, Any], str, dict[str, Any]]]:
            payload = self.request_payload(request, form)
            out = [(p, role("comms_chief"), "new_channel_request", payload) for p in chief_platforms]
            out += [(p, role("comms_channel"), "new_channel_request", payload)
                    for p in connected if self.settings.comms_channel.get(p)]
            out.append((person.platform, user(person.user_id), "request_receipt",
                        {**payload, "chief_configured": chief_reachable}))
            return out

        request = await self.store.create_request(
            platform=person.platform, requester=requester, requester_hash=self.pseudonym(person), lang=lang,
            answers_=clean, version=self.guideline.document.version, status=SUBMITTED, notices=notices)
        self.outbox.wake()
        log.info("checklist request %s submitted on %s", request_label(request["id"]), person.platform)
        return request

    async def _chief_reachable(self, platforms: list[str]) -> bool:
        for platform in platforms:
            notifier = self.outbox.notifiers.get(platform)
            if notifier is not None and await notifier.can_reach(role("comms_chief")):
                return True
        return False

    def request_payload(self, request: dict[str, Any], form: ChecklistForm) -> dict[str, Any]:
        return {"request_id": request["id"], "label": request_label(request["id"]), "lang": request["lang"],
                "requester": request["requester"], "version": request["version"], "status": request["status"],
                "summary": [list(row) for row in form.summary(request["answers"], "nb")],
                "summary_requester_lang": [list(row) for row in form.summary(request["answers"], request["lang"])],
                "title": form.title_text("nb"), "contact": self.contact,
                "names": dict(request["answers"].get(NAMES_KEY) or {})}

    @property
    def contact(self) -> str:
        """Whom the bot's own words point to: `wording.contact` in the settings, else `document.contact`."""
        return self.settings.contact or self.guideline.document.contact

    def help(self, lang: str, new_channel: str) -> str:
        """The help text in the organisation's own words where the settings give them."""
        return help_text(self.guideline, lang, new_channel, self.settings.help_examples.get(lang, ()),
                         self.settings.greeting.get(lang, ""))

    def answers_privately(self, platform: str, channel: str) -> bool:
        """Channels where a mention is answered to the asker alone (settings `private_answers`)."""
        return channel in self.settings.private_answers.get(platform, ())

    async def new_channel_command(self, person: Person, text: str, default_lang: str = "nb") -> tuple[str, str]:
        """`new-channel [status|en|nb]` → ("status" or "form", the language of the bot's words)."""
        option = text.strip().lower()
        lang = {"en": "en", "english": "en", "nb": "nb", "norsk": "nb"}.get(option) or await self.lang_of(person, default_lang)
        return ("status" if option in ("status", "list", "liste") else "form"), lang

    async def acknowledge(self, person: Person, request_id: int) -> tuple[dict[str, Any], bool]:
        """The chief (or comms team) confirms; returns the notice payload (with who acknowledged) and
        whether this click changed the request."""
        if not self.settings.is_comms_member(person.platform, person.user_id):
            raise NotAllowed("only the communications chief or team can acknowledge requests")
        return await self.acknowledge_as(person.name or person.user_id, self.pseudonym(person), request_id)

    async def acknowledge_as(self, name: str, actor_hash: str, request_id: int) -> tuple[dict[str, Any], bool]:
        """The same, for someone the caller has already checked (a signed-in workbench session)."""
        request = await self.store.get_request(request_id)
        if request is None:
            raise RequestNotFound(request_label(request_id))
        changed = await self.store.transition_request(
            request_id, TRANSITIONS[ACKNOWLEDGED], ACKNOWLEDGED, actor_hash, "acknowledged",
            acknowledged_by=name, acknowledged_at=now())
        request = await self.store.get_request(request_id)
        assert request is not None
        payload = {**self.request_payload(request, self.form()), "acknowledged_by": request["acknowledged_by"]}
        if changed:
            requester = request["requester"]
            await self.outbox.put(requester["platform"], user(requester["user_id"]), "request_acknowledged", payload)
        return payload, changed

    async def requests_for(self, person: Person, own: bool = False) -> tuple[list[dict[str, Any]], bool, int]:
        """The caller's own requests; for the comms chief and team (unless `own`), every open one. The
        newest 50, and how many there are in all (a list that stops must say that it does)."""
        if not own and self.settings.is_comms_member(person.platform, person.user_id):
            return (await self.store.list_requests(statuses=OPEN_STATES), True,
                    await self.store.count_requests(statuses=OPEN_STATES))
        mine = self.pseudonym(person)
        return await self.store.list_requests(requester_hash=mine), False, await self.store.count_requests(requester_hash=mine)

    async def _after_send(self, row: dict[str, Any]) -> None:
        if row["kind"] == "escalation" and row.get("delivered_as"):  # a reply in its thread can come back
            payload = row["payload"]
            await self.store.add_escalation(f"{row['platform']}:{row['delivered_as']}", answer_id=payload.get("answer_id"),
                                            asker=payload["asker"], question=payload.get("question"),
                                            lang=payload.get("lang") or "nb")
        if row["kind"] == "new_channel_request" and row["recipient"] == role("comms_chief"):
            await self.store.transition_request(row["payload"]["request_id"], TRANSITIONS[CHIEF_NOTIFIED],
                                                CHIEF_NOTIFIED, None, f"chief notified on {row['platform']}")
