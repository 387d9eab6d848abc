"""Guideline versions: validate, diff, publish, roll back, and keep every replica on the live version.

A version is published only after it has been parsed and checked completely, so a broken file never
reaches employees. Every version is kept; a rollback publishes an old version's content again, as a new
entry in the history (who, when, why). The live version is a pointer in the database: the replica that
publishes switches at once, and every other replica sees the pointer change on its next poll.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Awaitable, Callable


from .knowledge import (Document, Guideline, KnowledgeError, KnowledgeFiles, Passage, next_version, read_directory,
                        read_knowledge_file)
from .outbox import Outbox, channel
from .settings import Settings
from .threads import work_thread
from .store import Store, now
from .tasks import cancel_and_wait
from datetime import UTC

log = logging.getLogger("guidebot.publishing")
LIVE_KEY = "live_version"


class PublishError(ValueError):
    """A publish or rollback that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Diff:
    added: tuple[Passage, ...]
    removed: tuple[Passage, ...]
    changed: tuple[tuple[Passage, Passage], ...]
    glossary_changed: bool
    checklist_changed: bool
    old_version: str | None
    new_version: str

    @property
    def sections(self) -> list[str]:
        """The sections whose text changed, in guideline order, for the announcement."""
        seen: dict[str, None] = {}
        for passage in (*self.added, *self.removed, *(new for _old, new in self.changed)):
            seen.setdefault(passage.section_path)
        return list(seen)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.glossary_changed or self.checklist_changed)

    def summary(self) -> dict[str, Any]:
        return {"from": self.old_version, "to": self.new_version, "added": [p.id for p in self.added],
                "removed": [p.id for p in self.removed], "changed": [new.id for _old, new in self.changed],
                "sections": self.sections, "glossary_changed": self.glossary_changed,
                "checklist_changed": self.checklist_changed}

    def text(self) -> str:
        """Readable for the comms team: what an employee will see differently."""
        lines = [f"{self.old_version or '(none)'} → {self.new_version}"]
        for passage in self.added:
            lines.append(f"+ added   [{passage.id}] {passage.section_path}: {passage.text[:160]}")
        for passage in self.removed:
            lines.append(f"- removed [{passage.id}] {passage.section_path}: {passage.text[:160]}")
        for old, new in self.changed:
            lines.append(f"~ changed [{new.id}] {new.section_path}")
            if old.text != new.text:
                lines.append(f"    was: {old.text[:200]}")
                lines.append(f"    now: {new.text[:200]}")
            for name in ("title", "translation", "questions", "keywords", "section"):
                if getattr(old, name) != getattr(new, name) and name != "text":
                    lines.append(f"    {name} changed")
        if self.glossary_changed:
            lines.append("~ glossary changed")
        if self.checklist_changed:
            lines.append("~ new-channel checklist changed")
        if self.empty:
            lines.append("(no changes)")
        return "\n".join(lines)


def diff(old: Guideline | None, new: Guideline) -> Diff:
    before = {p.id: p for p in old.passages} if old else {}
    after = {p.id: p for p in new.passages}
    return Diff(added=tuple(p for p in new.passages if p.id not in before),
                removed=tuple(p for p in (old.passages if old else ()) if p.id not in after),
                changed=tuple((before[p.id], p) for p in new.passages if p.id in before and before[p.id] != p),
                glossary_changed=old is not None and old.glossary != new.glossary,
                checklist_changed=old is not None and old.checklist != new.checklist,
                old_version=old.document.version if old else None, new_version=new.document.version)


@dataclass(frozen=True)
class VersionRecord:
    id: int
    created_at: float
    author: str
    note: str
    version: str
    checksum: str
    action: str  # seed, publish, rollback

    @classmethod
    def of(cls, row: Any) -> VersionRecord:
        return cls(row["id"], row["created_at"], row["author"], row["note"], row["version"], row["checksum"],
                   row["action"])


Switch = Callable[[Guideline], Awaitable[None]]


class Publisher:
    """Publishing and the live pointer; one per process (service or CLI)."""

    def __init__(self, store: Store, settings: Settings, outbox: Outbox | None = None,
                 switch: Switch | None = None, poll_interval: float = 2.0) -> None:
        self.store, self.settings, self.outbox, self.switch = store, settings, outbox, switch
        self.poll_interval = poll_interval
        self.live_id: int | None = None
        self.live: Guideline | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    # --- reading ----------------------------------------------------------------------------------
    async def _row(self, version_id: int) -> Any:
        return await self.store.get_version(version_id)

    @staticmethod
    def files_of(row: Any) -> KnowledgeFiles:
        documents = tuple(sorted(json.loads(row["documents"]).items())) if row.get("documents") else ()
        return KnowledgeFiles(guideline=row["guideline"], glossary=row["glossary"], checklist=row["checklist"],
                              documents=documents)

    async def live_version_id(self) -> int | None:
        value = await self.store.get_meta(LIVE_KEY)
        return int(value) if value else None

    async def load_live(self) -> Guideline | None:
        version_id = await self.live_version_id()
        if version_id is None:
            return None
        row = await self._row(version_id)
        guideline = await work_thread(self.files_of(row).build, f"version #{version_id}")
        self.live_id, self.live = version_id, guideline
        return guideline

    async def history(self, limit: int = 50, document: str | None = None) -> list[VersionRecord]:
        """Every version, newest first; with `document`, only those where that document changed."""
        rows = await self.store.list_versions(limit)
        if document is None:
            return [VersionRecord.of(r) for r in rows]
        changed, before = [], None
        for row in reversed(rows):  # oldest first, to see each change
            text = await work_thread(lambda r=row: self.files_of(r).document_files().get(document))
            if text != before:
                changed.append(VersionRecord.of(row))
            before = text
        return list(reversed(changed))

    async def export(self) -> KnowledgeFiles:
        return (await self.export_live())[1]

    async def export_live(self) -> tuple[int, KnowledgeFiles]:
        """The live version's number and files, read together: an edit of them names what it was based on."""
        version_id = await self.live_version_id()
        if version_id is None:
            raise PublishError("nothing is published yet: publish the knowledge directory first")
        return version_id, self.files_of(await self._row(version_id))

    # --- start-up and the live pointer --------------------------------------------------------------
    async def start(self, bundled: KnowledgeFiles | None) -> Guideline:
        """Serves the live version; on a first start, the bundled knowledge becomes version #1."""
        guideline = await self.load_live()
        if guideline is not None:
            return guideline
        if bundled is None:
            raise PublishError("no guideline is published and none is bundled")
        if await self.store.set_meta_if_absent("seeded_by", f"pid {os.getpid()} at {now():.0f}"):
            await self._record(bundled, bundled.build("knowledge"), "guidebot", "bundled knowledge", "seed")
        else:  # another replica is seeding the empty database right now
            for _ in range(300):
                if await self.live_version_id() is not None:
                    break
                await asyncio.sleep(0.1)
        guideline = await self.load_live()
        if guideline is None:
            raise PublishError("the database was claimed for seeding but no version appeared: check the other replica")
        return guideline

    def watch(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._poll(), name="guidebot-live-version")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval)
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("could not check the live guideline version; still serving #%s", self.live_id)

    async def refresh(self) -> bool:
        """Follows the live pointer if another replica moved it; True when this replica switched."""
        version_id = await self.live_version_id()
        if version_id is None or version_id == self.live_id:
            return False
        async with self._lock:
            if version_id == self.live_id:
                return False
            guideline = await self.load_live()
            if guideline is not None and self.switch:
                await self.switch(guideline)
        log.info("now serving guideline version %s (#%s)", guideline.document.version if guideline else "?", version_id)
        return True

    # --- writing ----------------------------------------------------------------------------------
    async def check(self, files: KnowledgeFiles, origin: str = "upload") -> tuple[Guideline, Diff]:
        """Validates a candidate and diffs it against the live version; raises KnowledgeError or PublishError."""
        candidate = await work_thread(files.build, origin)
        live = self.live if self.live_id == await self.live_version_id() else await self.load_live()
        change = diff(live, candidate)
        if live is not None and candidate.checksum == live.checksum:
            raise PublishError(f"nothing to publish: this is the live version {live.document.version} as it stands")
        for document in _unversioned_changes(live, candidate) if live is not None else ():
            raise PublishError(f"document.version of '{document.id}' is still {document.version!r}: raise it (for "
                               f"example to {next_version(document.version)!r}) so employees can tell the versions apart")
        return candidate, change

    async def publish(self, files: KnowledgeFiles, author: str, note: str, origin: str = "upload",
                      announce: bool = True, based_on: int | None = None) -> tuple[VersionRecord, Diff]:
        """`announce=False` for a change employees need not hear about (a question attached to a passage);
        `based_on`: the version `files` were edited from, which must still be live (LiveVersionMoved)."""
        if not note.strip():
            raise PublishError("a note is required: say in a sentence what changed and why")
        candidate, change = await self.check(files, origin)
        before = self.live
        record = await self._record(files, candidate, author, note, "publish", based_on)
        if announce:
            await self._announce(record, change, changed_documents(before, candidate))
        return record, change

    async def rollback(self, target: str, author: str, note: str = "", document: str | None = None) -> tuple[VersionRecord, Diff]:
        """The whole directory as it was in `target`, or only `document` as it was there (the others stay)."""
        row = await self._find(target)
        files = self.files_of(row)
        if document:
            files = (await self.export()).with_document_from(files, document)
            note = note or f"rollback of {document} to its text in {row['version']} (#{row['id']})"
        candidate = await work_thread(files.build, f"version #{row['id']}")
        live = await self.load_live()
        if live is not None and candidate.checksum == live.checksum:
            raise PublishError(f"version {row['version']} (#{row['id']}) is already live")
        change = diff(live, candidate)
        record = await self._record(files, candidate, author, note or f"rollback to {row['version']} (#{row['id']})",
                                    "rollback")
        await self._announce(record, change, changed_documents(live, candidate))
        return record, change

    async def _find(self, target: str) -> Any:
        text = target.strip().lstrip("#")
        row = await self.store.get_version(int(text)) if text.isdigit() else None
        row = row or await self.store.find_version(text)
        if not row:
            raise PublishError(f"no version {target!r}: `history` lists the versions (number or version label)")
        return row

    async def _record(self, files: KnowledgeFiles, guideline: Guideline, author: str, note: str,
                      action: str, based_on: int | None = None) -> VersionRecord:
        label = version_label(self.live, guideline)
        version_id = await self.store.add_version(
            LIVE_KEY, based_on, author=author[:200], note=note, checksum=guideline.checksum, version=label,
            guideline=files.guideline, glossary=files.glossary, checklist=files.checklist, action=action,
            documents=json.dumps(dict(files.documents), ensure_ascii=False) if files.documents else None)
        self.live_id, self.live = version_id, guideline
        if self.switch:
            await self.switch(guideline)
        log.info("%s: guideline version %s (#%s) by %s", action, label, version_id, author)
        return VersionRecord(version_id, now(), author, note, label, guideline.checksum, action)

    async def _announce(self, record: VersionRecord, change: Diff, documents: list[Document]) -> None:
        if self.outbox is None:
            return
        title = " · ".join(d.title for d in documents) or (self.live.document.title if self.live else "")
        payload = {"version": record.version, "previous": change.old_version, "note": record.note, "title": title,
                   "sections": change.sections[:10], "action": record.action, "number": record.id,
                   "added": len(change.added), "removed": len(change.removed), "changed": len(change.changed)}
        for platform, addresses in self.settings.announcement_channels.items():
            for address in addresses:
                await self.outbox.put(platform, channel(address), "announcement", payload)


def _document_state(guideline: Guideline, document_id: str) -> tuple[Any, ...]:
    return (guideline.document_by_id(document_id) or guideline.document,
            tuple(p for p in guideline.passages if p.document == document_id))


def document_view(guideline: Guideline, document_id: str) -> Guideline:
    """One document of a directory as if it were alone (for a diff of that document)."""
    from dataclasses import replace

    document = guideline.document_by_id(document_id)
    if document is None:
        raise PublishError(f"no document '{document_id}' here: its id is in its file's document.id")
    return replace(guideline, document=document, passages=tuple(p for p in guideline.passages if p.document == document_id),
                   glossary=(), checklist={}, documents=(document,))


def changed_documents(old: Guideline | None, new: Guideline) -> list[Document]:
    """The documents of `new` that are new or differ from `old` (text, passages or metadata)."""
    documents = new.documents
    if old is None:
        return list(documents)
    return [d for d in documents if old.document_by_id(d.id) is None
            or _document_state(old, d.id) != _document_state(new, d.id)]


def _official_state(guideline: Guideline, document_id: str) -> tuple[Any, ...]:
    """What a document's version label vouches for: its metadata and its passages' official wording. A
    passage's translation, alternative questions and keywords are the bot's own curation, not the text."""
    return (guideline.document_by_id(document_id),
            tuple((p.id, p.section, p.title, p.text) for p in guideline.passages if p.document == document_id))


def _unversioned_changes(live: Guideline, candidate: Guideline) -> list[Document]:
    """Documents whose official text changed while their version label did not; a checklist change alone
    asks for a new version of the main document. Curation alone (translations, alternative questions,
    keywords, the glossary) is published under the same label: the official document did not change."""
    changed = [d for d in candidate.documents
               if (old := live.document_by_id(d.id)) is not None and old.version == d.version
               and _official_state(live, d.id) != _official_state(candidate, d.id)]
    if live.checklist != candidate.checklist and candidate.document.version == live.document.version:
        return [candidate.document]
    return changed


def version_label(old: Guideline | None, new: Guideline) -> str:
    """The history's label of a published directory: the main document's version, or, when only other
    documents changed, theirs ("etikk 1.1")."""
    changed = changed_documents(old, new)
    if old is None or not changed or any(d.id == new.document.id for d in changed):
        return new.document.version
    return ", ".join(f"{d.id} {d.version}" for d in changed)[:64]


def format_history(records: list[VersionRecord], live_id: int | None) -> str:
    """One line a version, newest first; the live one marked."""
    from datetime import datetime

    lines = []
    for r in records:
        when = datetime.fromtimestamp(r.created_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        mark = "▶" if r.id == live_id else " "
        lines.append(f"{mark} #{r.id}  {r.version:<8} {r.action:<8} {when}  {r.author}: {r.note}")
    return "\n".join(lines) or "(no versions)"


def read_candidate(path: Path) -> KnowledgeFiles:
    """A knowledge directory, or a single guideline.yaml (then the glossary and checklist beside it)."""
    path = Path(path)
    if path.is_dir():
        return read_directory(path)
    if not path.exists():
        raise KnowledgeError(str(path), None, None, "file not found")
    files = read_directory(path.parent) if (path.parent / "guideline.yaml").exists() else KnowledgeFiles("")
    return KnowledgeFiles(guideline=read_knowledge_file(path), glossary=files.glossary,
                          checklist=files.checklist)

