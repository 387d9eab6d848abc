"""The workbench's HTTP edge: sessions, CSRF, and pages; every decision is a `Workbench` call.

Signing in: a one-time link from the chat (`guideline-admin login`) opens a page whose button spends the
link (a link checker or preview that fetches the URL does not), or the admin token does. The session is
an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS); every form carries the session's CSRF token.
Without a session every page answers 401 and shows nothing but how to sign in.
"""
from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from aiohttp import web

from ...bot import signin
from ...bot.checklist import OPEN_STATES, NotAllowed, RequestNotFound, request_label
from ...bot.curation import CurationError, Edit
from ...bot.inbox import NEEDS_RULE, OUT_OF_SCOPE, ATTACHED
from ...bot.knowledge import KnowledgeError
from ...bot.publishing import PublishError
from ...bot.signin import Session, SignInRefused
from ...bot.threads import work_thread
from ...bot.workbench import Workbench
from . import pages
from .words import preferred_language, word

log = logging.getLogger("guidebot.workbench")
COOKIE = "guidebot_workbench"
STATIC = Path(__file__).parent / "static"
MAX_FORM = 200_000
HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; "
                                      "frame-ancestors 'none'; base-uri 'none'",
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",  # the link's token never leaves
           "Cache-Control": "no-store", "X-Frame-Options": "DENY"}
Page = Callable[[web.Request, Session, str], Awaitable[web.StreamResponse]]


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)


def _see(location: str, flash: str = "") -> web.Response:
    target = location + (("&" if "?" in location else "?") + "flash=" + quote(flash) if flash else "")
    return web.Response(status=303, headers={"Location": target, **HEADERS})


class WorkbenchSite:
    def __init__(self, bench: Workbench, admin_token: str | None) -> None:
        self.bench, self.bot, self.admin_token = bench, bench.bot, admin_token

    def routes(self, app: web.Application) -> None:
        r = app.router
        r.add_get("/workbench", self.home)
        r.add_get("/workbench/static/workbench.css", self.css)
        r.add_get("/workbench/login", self.login_page)
        r.add_post("/workbench/login", self.login)
        r.add_post("/workbench/login/token", self.login_with_token)
        r.add_post("/workbench/logout", self._post(self.logout))
        r.add_get("/workbench/", self._get(self.inbox))
        r.add_get("/workbench/item", self._get(self.item))
        r.add_post("/workbench/attach", self._post(self.attach))
        r.add_post("/workbench/decide", self._post(self.decide))
        r.add_get("/workbench/decided", self._get(self.decided))
        r.add_get("/workbench/knowledge", self._get(self.knowledge))
        r.add_get("/workbench/passage", self._get(self.passage))
        r.add_post("/workbench/passage/preview", self._post(self.preview))
        r.add_post("/workbench/passage/save", self._post(self.save))
        r.add_get("/workbench/publish", self._get(self.publish_page))
        r.add_post("/workbench/publish", self._post(self.publish))
        r.add_post("/workbench/draft/discard", self._post(self.discard))
        r.add_post("/workbench/rollback", self._post(self.rollback))
        r.add_get("/workbench/requests", self._get(self.requests))
        r.add_post("/workbench/requests/ack", self._post(self.acknowledge))
        r.add_get("/workbench/health", self._get(self.health))

    # --- sessions and the guard ---------------------------------------------------------------------
    @staticmethod
    def lang(request: web.Request) -> str:
        return preferred_language(request.headers.get("Accept-Language", ""))

    async def session(self, request: web.Request) -> Session | None:
        return await signin.session_of(self.bot.store, request.cookies.get(COOKIE))

    def _get(self, page: Page) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def guarded(request: web.Request) -> web.StreamResponse:
            lang = self.lang(request)
            session = await self.session(request)
            if session is None:
                return _html(pages.signin(lang, status_note=word("need_signin", lang) + " " + word("signin_how", lang)), 401)
            return await page(request, session, lang)
        return guarded

    def _post(self, page: Callable[[web.Request, Session, str, dict[str, str]], Awaitable[web.StreamResponse]]
              ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def guarded(request: web.Request) -> web.StreamResponse:
            lang = self.lang(request)
            session = await self.session(request)
            if session is None:
                return _html(pages.signin(lang, status_note=word("need_signin", lang)), 401)
            data = await _form(request)
            if data is None or not session.csrf_ok(data.get("csrf")):
                log.warning("refused a workbench form with a missing or wrong CSRF token")
                return _html(pages.layout(lang, word("signin_title", lang), "", error=word("csrf_refused", lang)), 403)
            try:
                return await page(request, session, lang, data)
            except (PublishError, KnowledgeError, CurationError, NotAllowed, RequestNotFound) as error:
                return _see(_back(request), word("failed", lang, error=str(error)))
        return guarded

    def chrome(self, request: web.Request, session: Session) -> dict[str, Any]:
        return {"who": session.actor, "csrf": session.csrf, "flash": request.query.get("flash", "")[:500]}

    async def home(self, _request: web.Request) -> web.StreamResponse:
        return _see("/workbench/")

    async def css(self, _request: web.Request) -> web.StreamResponse:
        return web.Response(body=(STATIC / "workbench.css").read_bytes(), content_type="text/css",
                            headers={"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"})

    async def login_page(self, request: web.Request) -> web.StreamResponse:
        """Shows a button only: following the link (or a mail scanner doing so) spends nothing."""
        return _html(pages.signin(self.lang(request), link_token=request.query.get("token", "")[:200]))

    async def login(self, request: web.Request) -> web.StreamResponse:
        lang = self.lang(request)
        if not _same_origin(request):  # another site must not sign a browser in (login CSRF)
            return _html(pages.signin(lang, error=word("csrf_refused", lang)), 403)
        data = await _form(request) or {}
        try:
            session = await signin.redeem(self.bot.store, data.get("token", "")[:200])
        except SignInRefused:
            log.warning("refused a used, expired or unknown workbench sign-in link")
            return _html(pages.signin(lang, error=word("link_refused", lang)), 403)
        log.info("workbench session opened for %s", session.actor)
        return self._signed_in(request, session)

    async def login_with_token(self, request: web.Request) -> web.StreamResponse:
        lang = self.lang(request)
        if not _same_origin(request):
            return _html(pages.signin(lang, error=word("csrf_refused", lang)), 403)
        sent = ((await _form(request)) or {}).get("admin_token", "")
        if not self.admin_token or not sent or not hmac.compare_digest(sent.encode(), self.admin_token.encode()):
            log.warning("refused a workbench sign-in with a wrong or missing admin token from %s", request.remote)
            return _html(pages.signin(lang, error=word("token_refused", lang)), 403)
        return self._signed_in(request, await signin.open_session(self.bot.store, "admin token", "admin-token"))

    def _signed_in(self, request: web.Request, session: Session) -> web.Response:
        response = _see("/workbench/")
        secure = request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
        response.set_cookie(COOKIE, session.token, httponly=True, samesite="Strict", secure=secure,
                            path="/workbench", max_age=signin.SESSION_SECONDS)
        return response

    async def logout(self, request: web.Request, session: Session, lang: str, _data: dict[str, str]) -> web.StreamResponse:
        await signin.sign_out(self.bot.store, session.token)
        response = _html(pages.signin(lang), 200)
        response.del_cookie(COOKIE, path="/workbench")
        return response

    # --- the inbox ----------------------------------------------------------------------------------
    async def inbox(self, request: web.Request, session: Session, lang: str) -> web.StreamResponse:
        items = await self.bench.inbox()
        return _html(pages.inbox(lang, items, self.bot.guideline, **self.chrome(request, session)))

    async def item(self, request: web.Request, session: Session, lang: str) -> web.StreamResponse:
        question = request.query.get("q", "").strip()[:500]
        if not question:
            return _see("/workbench/")
        find = request.query.get("find", "").strip()[:200]
        found = next((i for i in await self.bench.inbox() if question in i.wordings), None)
        candidates = await self.bench.candidates(question, find)
        return _html(pages.item(lang, question, found, candidates, self.bot.guideline, find,
                                **self.chrome(request, session)))

    async def attach(self, request: web.Request, session: Session, lang: str, data: dict[str, str]) -> web.StreamResponse:
        question, passage_id = data.get("question", ""), data.get("passage_id", "")
        await self.bench.attach(session, question, passage_id)
        passage = self.bot.guideline.passage(passage_id)
        return _see("/workbench/", word("attached_done", lang, title=passage.title if passage else passage_id))

    async def decide(self, request: web.Request, session: Session, lang: str, data: dict[str, str]) -> web.StreamResponse:
        await self.bench.decide(session, data.get("question", ""), data.get("decision", ""), data.get("document", ""))
        return _see("/workbench/", word("decided_done", lang))

    async def decided(self, request: web.Request, session: Session, lang: str) -> web.StreamResponse:
        lists = {"attach": await self.bench.decisions(ATTACHED), "out_of_scope": await self.bench.decisions(OUT_OF_SCOPE),
                 "needs_rule": await self.bench.decisions(NEEDS_RULE)}
        return _html(pages.decided(lang, lists, self.bot.guideline, **self.chrome(request, session)))

    # --- knowledge ----------------------------------------------------------------------------------
    async def knowledge(self, request: web.Request, session: Session, lang: str) -> web.StreamResponse:
        query, document = request.query.get("q", "")[:200], request.query.get("doc", "")[:100]
        found = await work_thread(self.bench.passages, query, document, 500)
        return _html(pages.knowledge(lang, self.bot.guideline, found, query, document, **self.chrome(request, session)))

    async def passage(self, request: web.Request, session: Session, lang: str) -> web.StreamResponse:
        passage = self.bot.guideline.passage(request.query.get("id", "")[:300])
        if passage is None:
            return _html(pages.layout(lang, word("not_found", lang), "", **self.chrome(request, session)), 404)
        draft = next((e for e in await self.bench.draft() if e.passage_id.rpartition("/")[2] == passage.id), None)
        shown = draft.applied_to(passage) if draft else passage
        return _html(pages.passage_page(lang, passage, self.bot.guideline, _values(shown), **self.chrome(request, session)))

    def _edit(self, data: dict[str, str]) -> tuple[Any, Edit]:
        passage = self.bot.guideline.passage(data.get("id", "")[:300])
        if passage is None:
            raise CurationError("no such passage in the live knowledge: open it again from the knowledge page")
        edit = Edit.of(f"{passage.document}/{passage.id}", translation=data.get("translation", ""),
                       questions=tuple(q for q in data.get("questions", "").splitlines() if q.strip()),
                       keywords=tuple(k for k in data.get("keywords", "").split(",") if k.strip()))
        return passage, edit

    async def preview(self, request: web.Request, session: Session, lang: str, data: dict[str, str]) -> web.StreamResponse:
        passage, edit = self._edit(data)
        changed = await self.bench.preview(edit)
        values = {"translation": data.get("translation", ""), "questions": data.get("questions", ""),
                  "keywords": data.get("keywords", "")}
        return _html(pages.passage_page(lang, passage, self.bot.guideline, values, preview=changed,
                                        **self.chrome(request, session)))

    async def save(self, request: web.Request, session: Session, lang: str, data: dict[str, str]) -> web.StreamResponse:
        _, edit = self._edit(data)
        await self.bench.save_edit(edit)
        return _see("/workbench/publish", word("saved_draft", lang))

    # --- publishing ---------------------------------------------------------------------------------
    async def publish_page(self, request: web.Request, session: Session, lang: str) -> web.StreamResponse:
        change = await self.bench.draft_diff()
        history = await self.bench.history()
        return _html(pages.publish(lang, change, history, self.bot.publisher.live_id, **self.chrome(request, session)))

    async def publish(self, request: web.Request, session: Session, lang: str, data: dict[str, str]) -> web.StreamResponse:
        record = await self.bench.publish_draft(session, data.get("note", "")[:2000])
        return _see("/workbench/publish", word("published_done", lang, version=record.version, number=record.id))

    async def discard(self, request: web.Request, session: Session, lang: str, data: dict[str, str]) -> web.StreamResponse:
        await self.bench.discard_draft()
        return _see("/workbench/publish", word("decided_done", lang))

    async def rollback(self, request: web.Request, session: Session, lang: str, data: dict[str, str]) -> web.StreamResponse:
        record = await self.bench.rollback(session, data.get("target", "")[:64])
        return _see("/workbench/publish", word("rolled_back_done", lang, number=record.id))

    # --- requests and health ------------------------------------------------------------------------
    async def requests(self, request: web.Request, session: Session, lang: str) -> web.StreamResponse:
        return _html(pages.requests(lang, await self.bench.requests(), open_states=OPEN_STATES,
                                    **self.chrome(request, session)))

    async def acknowledge(self, request: web.Request, session: Session, lang: str, data: dict[str, str]) -> web.StreamResponse:
        text = data.get("request_id", "")
        if not text.isdigit():
            raise RequestNotFound(text[:20])
        await self.bench.acknowledge(session, int(text))
        return _see("/workbench/requests", word("ack_done", lang, label=request_label(int(text))))

    async def health(self, request: web.Request, session: Session, lang: str) -> web.StreamResponse:
        return _html(pages.health(lang, await self.bench.health(), self.bot.guideline, **self.chrome(request, session)))


def _values(passage: Any) -> dict[str, str]:
    return {"translation": passage.translation, "questions": "\n".join(passage.questions),
            "keywords": ", ".join(passage.keywords)}


def _back(request: web.Request) -> str:
    """The workbench page a refused form was sent from (Referer, same-origin only), to show why there."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc != request.host or not referer.path.startswith("/workbench/"):
        return "/workbench/"
    query = urlencode([(k, v) for k, v in parse_qsl(referer.query) if k != "flash"])
    return referer.path + (f"?{query}" if query else "")


def _same_origin(request: web.Request) -> bool:
    """A browser names the page a form was sent from (Origin); one from another site is refused. Without
    the header (an older client) the session's own checks remain."""
    origin = request.headers.get("Origin", "")
    return origin in ("", "null") or urlsplit(origin).netloc == request.host


async def _form(request: web.Request) -> dict[str, str] | None:
    """A urlencoded form of reasonable size, as text fields; None when it is not one."""
    if request.content_length is not None and request.content_length > MAX_FORM:
        return None
    try:
        raw = await request.post()
    except (ValueError, UnicodeDecodeError, web.HTTPException):
        return None
    return {k: v for k, v in raw.items() if isinstance(v, str)}

