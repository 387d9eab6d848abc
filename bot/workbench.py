"""What the comms team does on the workbench, as plain calls: the web page is only a renderer of these.

Every change to the knowledge goes through the one `Publisher` that the CLI, the admin API and the chat
use: attaching a question publishes a new version at once (so every replica answers it within its next
poll); edits of translations, questions and keywords wait in a draft until someone publishes it with a
note. Whoever is signed in is the author in the version history and on each labelled example.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

from . import health, inbox
from .answers import Answer, AnswerEngine
from .curation import CurationError, Edit, apply, with_question
from .knowledge import Guideline, KnowledgeFiles, Passage
from .publishing import Diff, PublishError, VersionRecord, diff
from .service import GuideBot, Person
from .signin import Session
from .store import LiveVersionMoved, now
from .threads import work_thread

DRAFT_KEY = "workbench_draft"
PREVIEW_QUESTIONS = 200


@dataclass(frozen=True)
class Handled:
    """What the reply form did: forwarded the reply, attached to a passage (its title), out of scope."""

    forwarded: bool
    attached_to: str
    out_of_scope: bool


@dataclass(frozen=True)
class Changed:
    """One inbox question the bot would answer differently after an edit."""

    question: str
    before: tuple[str, str]  # outcome, passage title ("" when declined)
    after: tuple[str, str]


class Workbench:
    def __init__(self, bot: GuideBot) -> None:
        self.bot = bot
        self._lock = asyncio.Lock()  # one knowledge change at a time in this process

    @staticmethod
    def author(session: Session) -> str:
        return f"{session.actor} (workbench)"

    # --- the inbox --------------------------------------------------------------------------------
    async def inbox(self, days: int = 90) -> list[inbox.InboxItem]:
        rows = await self.bot.store.answers_since(now() - days * 86400)
        return await work_thread(inbox.build, rows, await self.bot.store.list_examples())  # stems every question

    async def decisions(self, source: str) -> list[dict[str, Any]]:
        return list(reversed(await self.bot.store.list_examples(source)))

    def passages(self, query: str = "", document: str = "", limit: int = 50) -> list[Passage]:
        """Passages for a picker or the knowledge page: the engine's own search, or all in order."""
        guideline = self.bot.guideline
        if query.strip():
            hits = self.bot.engine.retriever.search(query, limit=limit).hits
            found = [h.passage for h in hits if h.score > 0]
            words = query.casefold().split()
            found += [p for p in guideline.passages if p not in found
                      and all(w in f"{p.title} {p.text} {p.id}".casefold() for w in words)]
        else:
            found = list(guideline.passages)
        return [p for p in found if not document or p.document == document][:limit]

    async def candidates(self, question: str, query: str = "", limit: int = 8) -> list[Passage]:
        """Passages to offer for a question: the search, if one was typed; else what the bot itself
        considered (the "did you mean" options and the runners-up), then plain search hits."""
        if query.strip():
            return await work_thread(self.passages, query, "", limit)
        guideline = self.bot.guideline
        found = [p for pid, _ in await self.bot.passage_options(question, limit)
                 if (p := guideline.passage(pid)) is not None]
        found += [p for p in await work_thread(self.passages, question, "", limit) if p not in found]
        return found[:limit]

    async def attach(self, session: Session, question: str, passage_id: str) -> VersionRecord | None:
        """The question becomes one of the passage's alternative questions, live at once (None when it
        already was one), and is kept as a labelled example with who and when."""
        question = " ".join(question.split())[:500]
        passage = self.bot.guideline.passage(passage_id)
        if passage is None or not question:
            raise CurationError(f"no passage '{passage_id}' in the live knowledge: pick one from the list")

        def edits(live: Guideline) -> list[Edit]:
            current = live.passage(passage_id)
            if current is None:
                raise CurationError(f"the passage '{passage_id}' is gone from the live knowledge: pick another")
            known = {q.casefold() for q in current.questions}
            return [] if question.casefold() in known else [with_question(current, question)]

        record = await self._publish(session, edits, f"«{question}» → {passage.title} ({passage.id})", announce=False)
        await self._remember(session, question, passage.id, inbox.ATTACHED, passage.document)
        return record

    async def _publish(self, session: Session, edits_for: Callable[[Guideline], list[Edit]], note: str,
                       announce: bool = True) -> VersionRecord | None:
        """Edits made on the live version as it is in the database, published only if it is still live:
        when another replica published meanwhile, they are made again on that (nothing is lost)."""
        async with self._lock:
            for _ in range(5):
                version_id, files = await self.bot.publisher.export_live()
                live = await work_thread(files.build, f"version #{version_id}")
                edits = edits_for(live)
                if not edits:
                    return None
                changed = await work_thread(apply, files, edits)
                try:
                    record, _ = await self.bot.publisher.publish(changed, self.author(session), note, "workbench",
                                                                 announce=announce, based_on=version_id)
                    return record
                except LiveVersionMoved:
                    continue
        raise PublishError("the knowledge kept changing while this was published: try again in a moment")

    async def decide(self, session: Session, question: str, decision: str, document: str = "") -> None:
        """Out of scope (a labelled negative example) or "the guideline needs a new rule" (a list for the
        owner of `document`, the main document unless another is named)."""
        if decision not in (inbox.OUT_OF_SCOPE, inbox.NEEDS_RULE):
            raise CurationError("a question is attached to a passage, out of scope, or needs a new rule")
        concerned = self.bot.guideline.document_by_id(document) or self.bot.guideline.document
        await self._remember(session, " ".join(question.split())[:500], None, decision,
                             concerned.id if decision == inbox.NEEDS_RULE else None)

    async def _remember(self, session: Session, question: str, passage_id: str | None, source: str,
                        document: str | None) -> None:
        await self.bot.store.add_example(question=question, passage_id=passage_id,
                                         version=self.bot.guideline.document.version, source=source,
                                         user_hash=session.actor_hash, actor=session.actor, document=document)

    # --- the reply form of an escalated question (in chat) ------------------------------------------------
    def actor(self, person: Person) -> Session:
        """A comms member acting from chat, named as on the workbench."""
        return Session("", f"{person.name or person.user_id} ({person.platform})", self.bot.pseudonym(person), "")

    async def escalated_question(self, person: Person, thread: str) -> str | None:
        """The question behind an escalation notice, for a comms member; None for anyone else."""
        escalation = await self.bot.store.get_escalation(f"{person.platform}:{thread}")
        if escalation is None or not self.bot.is_comms_member(person):
            return None
        return str(escalation["question"] or "")

    @staticmethod
    def nothing_to_send(reply: str, about: str) -> bool:
        """The reply form needs a reply, a passage or "out of scope"; checked before the slow part runs."""
        return not reply.strip() and not about

    async def answer_escalation(self, person: Person, thread: str, reply: str, about: str) -> Handled | None:
        """The comms team's reply form: the reply goes back to the asker, and the question is attached to
        the chosen passage or marked out of scope, as on the workbench. None if it is not theirs to answer."""
        question = await self.escalated_question(person, thread)
        if question is None:
            return None
        forwarded = bool(reply.strip()) and await self.bot.escalation_reply(person, thread, reply)
        passage = self.bot.guideline.passage(about) if about and about != inbox.OUT_OF_SCOPE else None
        if about == inbox.OUT_OF_SCOPE:
            await self.decide(self.actor(person), question, inbox.OUT_OF_SCOPE)
        elif passage is not None:
            await self.attach(self.actor(person), question, about)
        return Handled(forwarded, passage.title if passage else "", about == inbox.OUT_OF_SCOPE)

    # --- curation: a draft, previewed against the inbox, then published --------------------------------
    async def draft(self) -> list[Edit]:
        """The draft's edits, each rebased on the live version (see Edit.rebased)."""
        return _rebased(await self._stored_draft(), self.bot.guideline)

    async def _stored_draft(self) -> list[Edit]:
        raw = json.loads(await self.bot.store.get_meta(DRAFT_KEY) or "[]")
        return [Edit(e["passage_id"], _pairs(e["fields"]), _pairs(e.get("base", []))) for e in raw]

    async def save_edit(self, edit: Edit) -> None:
        """Into the draft; a later edit of the same passage's field replaces the earlier one."""
        async with self._lock:
            draft = await self.draft()
            earlier = next((e for e in draft if e.passage_id == edit.passage_id), None)
            live = self.bot.guideline.passage(edit.passage_id)
            if live is None:
                raise CurationError(f"no passage '{edit.passage_id}' in the live knowledge: pick one from the list")
            merged = Edit.of(edit.passage_id, **(dict(earlier.fields if earlier else ()) | dict(edit.fields)))
            edits = [e for e in draft if e.passage_id != edit.passage_id] + [merged.based_on(live)]
            await work_thread(apply, await self.bot.publisher.export(), edits)  # refuses an edit that cannot apply
            await self.bot.store.set_meta(DRAFT_KEY, json.dumps(
                [{"passage_id": e.passage_id, "fields": _plain(e.fields), "base": _plain(e.base)} for e in edits],
                ensure_ascii=False))

    async def discard_draft(self) -> None:
        await self.bot.store.set_meta(DRAFT_KEY, "[]")

    async def draft_files(self, extra: Edit | None = None) -> KnowledgeFiles:
        edits = await self.draft() + ([extra] if extra else [])
        return await work_thread(apply, await self.bot.publisher.export(), edits)

    async def draft_diff(self) -> Diff | None:
        edits = await self.draft()
        if not edits:
            return None
        candidate = await work_thread((await self.draft_files()).build, "draft")
        return diff(self.bot.guideline, candidate)

    async def preview(self, edit: Edit) -> list[Changed]:
        """What the bot would answer differently, for the inbox's questions and the passage's own
        questions, if the draft and this edit were live."""
        candidate = await work_thread((await self.draft_files(edit)).build, "draft")
        questions = [w for item in await self.inbox() for w in item.wordings][:PREVIEW_QUESTIONS]
        passage = candidate.passage(edit.passage_id)
        questions += [q for q in (passage.questions if passage else ()) if q not in questions]
        before, settings = self.bot.engine, self.bot.settings
        return await work_thread(lambda: _compare(before, self.bot.engine_for(candidate, settings), questions))

    async def publish_draft(self, session: Session, note: str) -> VersionRecord:
        stored = await self._stored_draft()
        if not stored:
            raise PublishError("the draft is empty: edit a passage on the knowledge page first")
        if not note.strip():
            raise PublishError("a note is required: say in a sentence what changed and why")
        record = await self._publish(session, lambda live: _rebased(stored, live), note)
        if record is None:  # pragma: no cover - a draft with edits always changes something
            raise PublishError("nothing to publish: the draft changes nothing")
        await self.discard_draft()
        return record

    async def rollback(self, session: Session, target: str, note: str = "") -> VersionRecord:
        async with self._lock:
            record, _ = await self.bot.publisher.rollback(target, self.author(session), note)
            return record

    async def history(self, limit: int = 30) -> list[VersionRecord]:
        return await self.bot.publisher.history(limit)

    # --- requests and health ------------------------------------------------------------------------
    async def requests(self) -> list[dict[str, Any]]:
        return await self.bot.store.list_requests(limit=100)

    async def acknowledge(self, session: Session, request_id: int) -> bool:
        _, changed = await self.bot.acknowledge_as(session.actor, session.actor_hash, request_id)
        return changed

    async def health(self, weeks: int = 12) -> health.Health:
        rows = await self.bot.store.answers_since(now() - weeks * 7 * 86400)
        return await work_thread(health.weekly, rows, weeks)

    @property
    def guideline(self) -> Guideline:
        return self.bot.guideline


def _rebased(edits: list[Edit], guideline: Guideline) -> list[Edit]:
    return [e.rebased(live) if (live := guideline.passage(e.passage_id)) else e for e in edits]


def _pairs(raw: list[list[Any]]) -> tuple[tuple[str, Any], ...]:
    return tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in raw)


def _plain(pairs: tuple[tuple[str, Any], ...]) -> list[list[Any]]:
    return [[k, list(v) if isinstance(v, tuple) else v] for k, v in pairs]


def _outcome(engine: AnswerEngine, question: str) -> tuple[str, str]:
    answer: Answer = engine.answer(question)
    return answer.outcome, (answer.passages[0].title if answer.passages and answer.outcome != "decline" else "")


def _compare(before: AnswerEngine, after: AnswerEngine, questions: list[str]) -> list[Changed]:
    out = []
    for question in questions:
        old, new = _outcome(before, question), _outcome(after, question)
        if old != new:
            out.append(Changed(question, old, new))
    return out
