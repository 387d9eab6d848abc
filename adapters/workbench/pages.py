"""The workbench's HTML: server-rendered, every piece of data escaped, forms that work without scripts.

Written for WCAG 2.1 AA (Norway's rule for public-sector web solutions): a language on the page, a skip
link, landmarks, one h1 a page, a label for every field, table headers, visible focus, contrast ≥ 4.5:1,
and the chart repeated as a table.
"""
from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import quote
from collections.abc import Iterable

from ...bot.checklist import request_label
from ...bot.health import Health
from ...bot.messages import say
from ...bot.inbox import InboxItem
from ...bot.knowledge import Guideline, Passage
from ...bot.publishing import Diff, VersionRecord
from ...bot.workbench import Changed
from .chart import weekly_chart
from .words import word

NAV = (("inbox", ""), ("knowledge", "knowledge"), ("publish", "publish"), ("requests", "requests"),
       ("health", "health"), ("decided", "decided"))


def h(value: Any) -> str:
    return escape(str(value), quote=True)


def when(at: float | None) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M UTC") if at else ""


def layout(lang: str, title: str, body: str, *, current: str = "", who: str = "", csrf: str = "",
           flash: str = "", error: str = "") -> str:
    nav = ""
    if who:
        links = "".join(
            f'<li><a href="/workbench/{path}"{" aria-current=page" if key == current else ""}>{h(word(key, lang))}</a></li>'
            for key, path in NAV)
        nav = (f'<nav aria-label="{h(word("nav", lang))}"><ul>{links}</ul></nav>'
               f'<div class="who">{h(word("signed_in_as", lang, who=who))} '
               f'{form("/workbench/logout", csrf, button(word("sign_out", lang), "secondary"))}</div>')
    notice = f'<p class="flash" role="status">{h(flash)}</p>' if flash else ""
    notice += f'<p class="error" role="alert">{h(error)}</p>' if error else ""
    return (f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "nb"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{h(title)} – {h(word("title", lang))}</title>'
            f'<link rel="stylesheet" href="/workbench/static/workbench.css"></head><body>'
            f'<a class="skip" href="#main">{h(word("skip", lang))}</a>'
            f'<header><p class="brand">{h(word("title", lang))}</p>{nav}</header>'
            f'<main id="main"><h1>{h(title)}</h1>{notice}{body}</main></body></html>')


def form(action: str, csrf: str, inner: str, *, css: str = "inline") -> str:
    token = f'<input type="hidden" name="csrf" value="{h(csrf)}">' if csrf else ""
    return f'<form class="{css}" method="post" action="{h(action)}">{token}{inner}</form>'


def hidden(name: str, value: Any) -> str:
    return f'<input type="hidden" name="{h(name)}" value="{h(value)}">'


def button(label: str, kind: str = "primary") -> str:
    return f'<button type="submit" class="{kind}">{h(label)}</button>'


def table(caption: str, headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """`rows` hold HTML already escaped by the caller."""
    head = "".join(f'<th scope="col">{h(x)}</th>' if x else "<td></td>" for x in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table><caption>{h(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# --- sign-in ---------------------------------------------------------------------------------------
def signin(lang: str, *, link_token: str = "", error: str = "", status_note: str = "") -> str:
    parts = []
    if link_token:
        parts.append(f"<p>{h(word('signin_link_intro', lang))}</p>"
                     + form("/workbench/login", "", hidden("token", link_token) + button(word("signin_button", lang))))
    else:
        parts.append(f"<p>{h(status_note or word('signin_how', lang))}</p>")
    parts.append(form("/workbench/login/token", "",
                      f'<label for="admin-token">{h(word("token_label", lang))}</label>'
                      f'<input id="admin-token" name="admin_token" type="password" autocomplete="off">'
                      + button(word("token_button", lang), "secondary"), css="stack"))
    return layout(lang, word("signin_title", lang), "".join(parts), error=error)


# --- inbox ------------------------------------------------------------------------------------------
def _reason(item: InboxItem, lang: str) -> str:
    return word(f"reason_{item.reason}", lang)


def inbox(lang: str, items: list[InboxItem], guideline: Guideline, **chrome: Any) -> str:
    if not items:
        return layout(lang, word("inbox", lang), f"<p>{h(word('inbox_empty', lang))}</p>", current="inbox", **chrome)
    rows = []
    for item in items:
        chosen = guideline.passage(item.passage_id) if item.passage_id else None
        link = f'<a href="/workbench/item?q={h(_q(item.question))}">{h(item.question)}</a>'
        rows.append([link, h(item.count), h(when(item.last_at)), h(_reason(item, lang)),
                     h(chosen.title if chosen else "–")])
    body = f"<p>{h(word('inbox_intro', lang))}</p>" + table(
        word("inbox", lang), [word(k, lang) for k in ("question", "times", "last_asked", "why", "bot_chose")], rows)
    return layout(lang, word("inbox", lang), body, current="inbox", **chrome)


def _q(text: str) -> str:
    return quote(text, safe="")


def passage_label(passage: Passage, guideline: Guideline) -> str:
    document = guideline.document_of(passage)
    return f"{passage.title} · {passage.section_path} · {document.title}"


def item(lang: str, question: str, found: InboxItem | None, candidates: list[Passage], guideline: Guideline,
         query: str, csrf: str, **chrome: Any) -> str:
    parts = []
    if found:
        wordings = "".join(f"<li>{h(w)}</li>" for w in found.wordings)
        chosen = guideline.passage(found.passage_id) if found.passage_id else None
        parts.append(f"<h2>{h(word('wordings', lang))}</h2><ul>{wordings}</ul>"
                     f"<p>{h(word('why', lang))}: {h(_reason(found, lang))} · {h(word('bot_chose', lang))}: "
                     f"{h(chosen.title if chosen else '–')}</p>")
        suggestion = guideline.passage(found.suggestion) if found.suggestion else None
        if suggestion:
            parts.append(f'<div class="suggestion"><p>{h(word("suggested", lang, title=suggestion.title))}</p>'
                         + form("/workbench/attach", csrf, hidden("question", question)
                                + hidden("passage_id", f"{suggestion.document}/{suggestion.id}")
                                + button(word("confirm_suggestion", lang))) + "</div>")
    parts.append(f"<h2>{h(word('answered_by', lang))}</h2>"
                 f'<form class="search" method="get" action="/workbench/item" role="search">{hidden("q", question)}'
                 f'<label for="passage-search">{h(word("search_passages", lang))}</label>'
                 f'<input id="passage-search" name="find" type="search" value="{h(query)}">'
                 f'{button(word("search", lang), "secondary")}</form>')
    items = []
    for index, passage in enumerate(candidates):
        items.append(f'<li><p><strong id="p{index}">{h(passage.title)}</strong><br><span class="meta">'
                     f'{h(passage.section_path)} · {h(guideline.document_of(passage).title)}</span></p>'
                     f'<p class="quote">{h(passage.text[:300])}{"…" if len(passage.text) > 300 else ""}</p>'
                     + form("/workbench/attach", csrf, hidden("question", question)
                            + hidden("passage_id", f"{passage.document}/{passage.id}")
                            + f'<button type="submit" class="primary" aria-describedby="p{index}">'
                              f'{h(word("attach", lang))}</button>') + "</li>")
    parts.append(f'<ol class="candidates">{"".join(items)}</ol>')
    parts.append(f"<h2>{h(word('other_choices', lang))}</h2>"
                 + form("/workbench/decide", csrf, hidden("question", question) + hidden("decision", "out_of_scope")
                        + button(word("out_of_scope", lang), "secondary"))
                 + form("/workbench/decide", csrf, hidden("question", question) + hidden("decision", "needs_rule")
                        + _document_choice(lang, guideline, found) + button(word("needs_rule", lang), "secondary")))
    return layout(lang, question, "".join(parts), current="inbox", csrf=csrf, **chrome)


def _document_choice(lang: str, guideline: Guideline, found: InboxItem | None) -> str:
    """Which document the new rule belongs in (its owner gets the list): the one the bot looked in."""
    if len(guideline.documents) < 2:
        return hidden("document", guideline.document.id)
    chosen = guideline.passage(found.passage_id) if found and found.passage_id else None
    default = chosen.document if chosen else guideline.document.id
    options = "".join(f'<option value="{h(d.id)}"{" selected" if d.id == default else ""}>{h(d.title)}</option>'
                      for d in guideline.documents)
    return (f'<label for="rule-document">{h(word("rule_document", lang))}</label>'
            f'<select id="rule-document" name="document">{options}</select>')


def decided(lang: str, lists: dict[str, list[dict[str, Any]]], guideline: Guideline, **chrome: Any) -> str:
    parts = [f"<p>{h(word('decided_intro', lang))}</p>"]
    for key, rows in lists.items():
        cells = []
        for row in rows:
            passage = guideline.passage(row["passage_id"]) if row.get("passage_id") else None
            document = guideline.document_by_id(row.get("document") or "")
            where = passage.title if passage else (
                f"{document.title} ({word('owner', lang)}: {document.owner or '–'})" if document else "–")
            cells.append([h(row["question"]), h(where), h(row.get("actor") or "–"), h(when(row["created_at"]))])
        heading = "document" if key == "needs_rule" else "passage"
        parts.append(table(word(key, lang), [word(k, lang) for k in ("question", heading, "who", "when")], cells))
    return layout(lang, word("decided", lang), "".join(parts), current="decided", **chrome)


# --- knowledge --------------------------------------------------------------------------------------
def knowledge(lang: str, guideline: Guideline, passages: list[Passage], query: str, document: str,
              **chrome: Any) -> str:
    docs = [[f'<a href="/workbench/knowledge?doc={h(_q(d.id))}">{h(d.title)}</a>', h(d.version),
             h(sum(1 for p in guideline.passages if p.document == d.id))] for d in guideline.documents]
    parts = [table(word("documents", lang), [word("documents", lang), word("version", lang), word("passages", lang)], docs),
             f'<form class="search" method="get" action="/workbench/knowledge" role="search">{hidden("doc", document)}'
             f'<label for="knowledge-search">{h(word("search_passages", lang))}</label>'
             f'<input id="knowledge-search" name="q" type="search" value="{h(query)}">'
             f'{button(word("search", lang), "secondary")}</form>']
    rows = [[f'<a href="/workbench/passage?id={h(_q(p.document + "/" + p.id))}">{h(p.title)}</a>', h(p.section_path),
             h(guideline.document_of(p).title), h(len(p.questions))] for p in passages]
    parts.append(table(word("passages", lang), [word("passage", lang), word("section", lang), word("documents", lang),
                                                word("questions", lang).split(" (")[0]], rows))
    return layout(lang, word("knowledge", lang), "".join(parts), current="knowledge", **chrome)


def passage_page(lang: str, passage: Passage, guideline: Guideline, values: dict[str, str], csrf: str,
                 preview: list[Changed] | None = None, **chrome: Any) -> str:
    pid = f"{passage.document}/{passage.id}"
    document = guideline.document_of(passage)
    fields = (f'{hidden("id", pid)}'
              f'<label for="translation">{h(word("translation", lang))}</label>'
              f'<textarea id="translation" name="translation" rows="5">{h(values["translation"])}</textarea>'
              f'<label for="questions">{h(word("questions", lang))}</label>'
              f'<textarea id="questions" name="questions" rows="8">{h(values["questions"])}</textarea>'
              f'<label for="keywords">{h(word("keywords", lang))}</label>'
              f'<input id="keywords" name="keywords" type="text" value="{h(values["keywords"])}">'
              # the save button comes with the preview: an edit is seen against the inbox before it is kept
              f'<div class="actions"><button type="submit" class="{"secondary" if preview is not None else "primary"}" '
              f'formaction="/workbench/passage/preview">{h(word("preview", lang))}</button>'
              f'{button(word("save_draft", lang)) if preview is not None else ""}</div>')
    parts = [f'<p class="meta">{h(passage.section_path)} · {h(document.title)} · {h(word("version", lang))} '
             f'{h(document.version)}</p>',
             f'<h2>{h(word("official_text", lang))}</h2><blockquote lang="{h(document.language)}">{h(passage.text)}</blockquote>']
    if preview is not None:
        parts.append(f'<section aria-labelledby="preview-title"><h2 id="preview-title">{h(word("preview_title", lang))}</h2>'
                     + (table(word("preview_title", lang), [word(k, lang) for k in ("question", "before", "after")],
                              [[h(c.question), h(_outcome(c.before, lang)), h(_outcome(c.after, lang))] for c in preview])
                        if preview else f"<p>{h(word('preview_none', lang))}</p>") + "</section>")
    parts.append(form("/workbench/passage/save" if preview is not None else "/workbench/passage/preview", csrf, fields,
                      css="stack"))
    return layout(lang, passage.title, "".join(parts), current="knowledge", csrf=csrf, **chrome)


def _outcome(pair: tuple[str, str], lang: str) -> str:
    outcome, title = pair
    label = word({"answer": "answered", "clarify": "clarified"}.get(outcome, "declined"), lang)
    return f"{label}: {title}" if title else label


# --- publishing -------------------------------------------------------------------------------------
def publish(lang: str, change: Diff | None, history: list[VersionRecord], live_id: int | None, csrf: str,
            **chrome: Any) -> str:
    parts = [f"<h2>{h(word('draft', lang))}</h2>"]
    if change is None:
        parts.append(f"<p>{h(word('draft_empty', lang))}</p>")
    else:
        parts.append(diff_view(lang, change))
        parts.append(form("/workbench/publish", csrf,
                          f'<label for="note">{h(word("note", lang))}</label>'
                          f'<textarea id="note" name="note" rows="2" required></textarea>'
                          + button(word("publish_button", lang)), css="stack"))
        parts.append(form("/workbench/draft/discard", csrf, button(word("discard", lang), "secondary")))
    rows = []
    for record in history:
        live = record.id == live_id
        action = (f'<strong>{h(word("live", lang))}</strong>' if live else
                  form("/workbench/rollback", csrf, hidden("target", record.id)
                       + f'<button type="submit" class="secondary" aria-label="{h(word("rollback", lang))} #{record.id}">'
                         f'{h(word("rollback", lang))}</button>'))
        rows.append([h(f"#{record.id}"), h(record.version), h(word(f"action_{record.action}", lang)),
                     h(when(record.created_at)),
                     h(record.author), h(record.note), action])
    parts.append(f"<h2>{h(word('history', lang))}</h2>" + table(
        word("history", lang), ["#", word("version", lang), word("action", lang), word("when", lang),
                                word("author", lang), word("note", lang).split(" (")[0].split(":")[0], ""], rows))
    return layout(lang, word("publish", lang), "".join(parts), current="publish", csrf=csrf, **chrome)


FIELDS = ("text", "title", "translation", "questions", "keywords")


def diff_view(lang: str, change: Diff) -> str:
    """What the draft changes, passage by passage and field by field, before and after."""
    rows = []
    for passage in change.added:
        rows.append([h(passage.title), h(word("added", lang)), "–", h(passage.text)])
    for passage in change.removed:
        rows.append([h(passage.title), h(word("removed", lang)), h(passage.text), "–"])
    for old, new in change.changed:
        for name in FIELDS:
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                show = (lambda v: "<br>".join(h(x) for x in v)) if isinstance(before, tuple) else h
                rows.append([h(new.title), h(word(f"field_{name}", lang)), show(before) or "–", show(after) or "–"])
    if change.glossary_changed:
        rows.append([h(word("glossary", lang)), "", "", ""])
    return table(word("draft", lang), [word(k, lang) for k in ("passage", "field", "before", "after")], rows)


# --- requests and health ----------------------------------------------------------------------------
def requests(lang: str, found: list[dict[str, Any]], csrf: str, open_states: tuple[str, ...], **chrome: Any) -> str:
    if not found:
        return layout(lang, word("requests", lang), f"<p>{h(word('requests_empty', lang))}</p>", current="requests",
                      csrf=csrf, **chrome)
    rows = []
    for request in found:
        label = request_label(request["id"])
        answers = request.get("answers") or {}
        name = next((str(v) for k, v in answers.items() if k in ("channel_name", "name", "kanalnavn")), "")
        state = h(say(f"status_{request['status']}", lang))
        if request.get("acknowledged_by"):
            state += "<br>" + h(word("acknowledged_by", lang, who=request["acknowledged_by"]))
        action = (form("/workbench/requests/ack", csrf, hidden("request_id", request["id"])
                       + f'<button type="submit" class="primary" aria-label="{h(word("acknowledge", lang))} {h(label)}">'
                         f'{h(word("acknowledge", lang))}</button>')
                  if request["status"] in open_states else "")
        rows.append([h(label) + (f"<br>{h(name)}" if name else ""), h((request.get("requester") or {}).get("name") or "–"),
                     h(when(request["created_at"])), state, action])
    body = table(word("requests", lang), [word(k, lang) for k in ("request", "requester", "when", "status")] + [""], rows)
    return layout(lang, word("requests", lang), body, current="requests", csrf=csrf, **chrome)


def health(lang: str, figures: Health, guideline: Guideline, **chrome: Any) -> str:
    if not figures.weeks:
        return layout(lang, word("health", lang), f"<p>{h(word('no_data', lang))}</p>", current="health", **chrome)
    rows = [[h(w.label), h(w.questions), h(f"{w.share(w.answered):.0%}"), h(f"{w.share(w.clarified):.0%}"),
             h(f"{w.share(w.declined):.0%}"), h(f"{w.up} / {w.down}")] for w in figures.weeks]
    top = []
    for passage_id, count in figures.top_passages:
        passage = guideline.passage(passage_id)
        top.append([h(passage.title if passage else passage_id), h(count)])
    body = (weekly_chart(figures.weeks, word("chart_title", lang),
                         {k: word(k, lang) for k in ("answered", "clarified", "declined")})
            + table(word("chart_title", lang), [word(k, lang) for k in
                                                ("week", "question", "answered", "clarified", "declined", "votes")], rows)
            + table(word("top_passages", lang), [word("passage", lang), word("times", lang)], top))
    return layout(lang, word("health", lang), body, current="health", **chrome)
