"""HTTP admin API for the communications team: publish, list and roll back guideline versions.

Every route checks the bearer token first (`GUIDEBOT_ADMIN_TOKEN`): 401 without one, 403 with a wrong one.
A publish is validated completely before anything is written: a broken file gets 400 with its file, line
and field, and the live guideline stays as it was.
"""
from __future__ import annotations

import hmac
import json
import re
import logging
from typing import Any
from collections.abc import Awaitable, Callable

from aiohttp import web

from .bodies import BodyRefused, loads_json, read_body
from ..bot.knowledge import KnowledgeError, KnowledgeFiles
from ..bot.publishing import Publisher, PublishError, VersionRecord

log = logging.getLogger("guidebot.admin")
MAX_UPLOAD = 1_000_000
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _record(record: VersionRecord) -> dict[str, Any]:
    return {"number": record.id, "version": record.version, "author": record.author, "note": record.note,
            "action": record.action, "created_at": record.created_at, "checksum": record.checksum}


class AdminApi:
    def __init__(self, publisher: Publisher, token: str | None) -> None:
        self.publisher, self.token = publisher, token

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/admin/knowledge", self._guard(self.publish))
        app.router.add_get("/admin/knowledge", self._guard(self.live))
        app.router.add_get("/admin/knowledge/versions", self._guard(self.versions))
        app.router.add_post("/admin/knowledge/rollback", self._guard(self.rollback))

    def _guard(self, handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer ") or not header[7:].strip():
                return web.json_response({"error": "send Authorization: Bearer <GUIDEBOT_ADMIN_TOKEN>"}, status=401)
            if not self.token:
                return web.json_response({"error": "the admin API is off: set GUIDEBOT_ADMIN_TOKEN on the service"},
                                         status=403)
            if not hmac.compare_digest(header[7:].strip().encode(), self.token.encode()):
                log.warning("refused an admin request with a wrong token from %s", request.remote)
                return web.json_response({"error": "wrong admin token"}, status=403)
            return await handler(request)
        return guarded

    async def _body(self, request: web.Request) -> bytes:
        try:
            return await read_body(request, MAX_UPLOAD)
        except BodyRefused as refused:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_UPLOAD, actual_size=MAX_UPLOAD + 1,
                                                text=json.dumps({"error": refused.reason}),
                                                content_type="application/json") from None

    async def _files(self, request: web.Request, raw: bytes) -> tuple[KnowledgeFiles, str]:
        """YAML body: a new guideline.yaml (glossary and checklist stay). JSON body: all three files and a note."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise PublishError("the upload must be UTF-8 text") from None
        current = await self.publisher.export()
        if request.content_type == "application/json":
            try:
                data = loads_json(text)
            except ValueError as error:
                raise PublishError(f"the JSON body is not valid JSON: {error}") from None
            if not isinstance(data, dict) or not isinstance(data.get("guideline"), str):
                raise PublishError('a JSON body needs {"guideline": "<yaml text>", "note": "…"}, glossary and '
                                   "checklist optional")
            for field in ("glossary", "checklist", "note"):
                if data.get(field) is not None and not isinstance(data[field], str):
                    raise PublishError(f"'{field}' must be a string (the YAML file's text), not "
                                       f"{type(data[field]).__name__}")
            files = KnowledgeFiles(guideline=data["guideline"], glossary=data.get("glossary") or current.glossary,
                                   checklist=data.get("checklist") or current.checklist,
                                   documents=_documents(data.get("documents"), current.documents))
            return files, str(data.get("note") or request.query.get("note") or "")
        note = request.query.get("note") or request.headers.get("X-Guidebot-Note") or ""
        return KnowledgeFiles(guideline=text, glossary=current.glossary, checklist=current.checklist,
                              documents=current.documents), note

    async def publish(self, request: web.Request) -> web.Response:
        raw = await self._body(request)
        author = request.headers.get("X-Guidebot-Author") or "admin API"
        try:
            files, note = await self._files(request, raw)
            record, change = await self.publisher.publish(files, author=author, note=note, origin="upload")
        except KnowledgeError as error:
            return web.json_response({"error": str(error), "file": error.file, "line": error.line,
                                      "field": error.field, "message": error.message}, status=400)
        except PublishError as error:
            return web.json_response({"error": str(error)}, status=400)
        return web.json_response({"published": _record(record), "diff": change.summary()}, status=201)

    async def live(self, request: web.Request) -> web.Response:
        """The live version's files, for `guidebot knowledge export --url` (and committing to git)."""
        files = await self.publisher.export()
        return web.json_response({"number": self.publisher.live_id, "guideline": files.guideline,
                                  "glossary": files.glossary, "checklist": files.checklist,
                                  "documents": dict(files.documents)})

    async def versions(self, request: web.Request) -> web.Response:
        records = await self.publisher.history()
        return web.json_response({"live": self.publisher.live_id, "versions": [_record(r) for r in records]})

    async def rollback(self, request: web.Request) -> web.Response:
        raw = await self._body(request)
        try:
            data = loads_json(raw or b"{}")
        except ValueError:
            return web.json_response({"error": 'send {"version": "<number or label>"}'}, status=400)
        target = data.get("version") if isinstance(data, dict) else None
        if target in (None, ""):
            return web.json_response({"error": 'send {"version": "<number or label>"}'}, status=400)
        author = request.headers.get("X-Guidebot-Author") or "admin API"
        try:
            document = data.get("document")
            if document is not None and not isinstance(document, str):
                raise PublishError("'document' must be a document id")
            record, change = await self.publisher.rollback(str(target), author=author, note=str(data.get("note") or ""),
                                                           document=document or None)
        except (PublishError, KnowledgeError) as error:
            return web.json_response({"error": str(error)}, status=400)
        return web.json_response({"published": _record(record), "diff": change.summary()}, status=201)


_DOCUMENT_NAME = re.compile(r"documents/[a-z0-9][a-z0-9-]{0,60}\.yaml")


def _documents(value: Any, current: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The directory's further documents: {"documents/<id>.yaml": "<yaml text>"}; absent keeps the live ones."""
    if value is None:
        return current
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise PublishError("'documents' must map file names (documents/<id>.yaml) to their YAML text")
    wrong = [name for name in value if not _DOCUMENT_NAME.fullmatch(name)]
    if wrong:
        raise PublishError(f"document file names must look like documents/<id>.yaml, not {wrong[0][:80]!r}")
    return tuple(sorted(value.items()))
