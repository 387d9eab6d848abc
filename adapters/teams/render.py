"""Core results → Adaptive Cards (Teams). Pure functions: a test can call them without a server.

Card actions are `Action.Submit` with `data.guidebot` naming the action; Teams sends them back as a
message activity whose `value` holds the data and the form's inputs.
"""
from __future__ import annotations

import re
import secrets
from typing import Any

from ...bot import notices
from ...bot.answers import Answer, QuotedPassage
from ...bot.checklist import ChecklistForm, ChecklistItem, error_text, request_label
from ...bot.messages import decline_message, say

Card = dict[str, Any]
# Only what forms markup in a card or a Teams message: emphasis, links, tags. Parentheses, # and the like
# are left alone: Teams mobile shows "\(" literally, so escaping them would change the official text.
_MARKDOWN = re.compile(r"([\\*_\[\]<>])")


def escape(text: str) -> str:
    """User text shown as text: markdown and tags are escaped, so nothing typed becomes a link or mention."""
    return _MARKDOWN.sub(r"\\\1", text)


def guideline_text(text: str) -> str:
    """The guideline's own text keeps its **bold**; anything else that looks like markup is escaped."""
    return "**".join(escape(part) for part in text.split("**"))


def _quote(passage: QuotedPassage) -> str:
    """A passage as its page shows it: a list's items as paragraphs of their own (a single newline is not a
    line break in a TextBlock)."""
    return guideline_text("\n\n".join(passage.lines))


PEOPLE_PICKER_VERSION = "1.6"  # Input.ChoiceSet with choices.data (Data.Query) is in the schema from 1.6


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None, version: str = "1.4") -> Card:
    card: Card = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                  "version": version, "body": body}
    if actions:
        card["actions"] = actions
    return card


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _submit(title: str, action: str, **data: Any) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "data": {"guidebot": action, **data}}


def decline_text(answer: Answer) -> str:
    return decline_message(answer.reason, answer.lang, answer.contact)


def clarify_card(answer: Answer, answer_id: str) -> Card:
    """"Did you mean …?" as card actions: one per offered passage, and a way out to the comms team."""
    body = [_text(escape(say("clarify", answer.lang)), weight="Bolder")]
    body += [_text(f"{n}. {escape(p.title)} ({escape(p.section)})", isSubtle=True)
             for n, p in enumerate(answer.options, start=1)]
    actions = [_submit(f"{n}. {p.title}", "clarify_pick", answer_id=answer_id, passage_id=p.id)
               for n, p in enumerate(answer.options, start=1)]
    actions.append(_submit(say("clarify_none", answer.lang), "ask_comms", answer_id=answer_id))
    return _card(body, actions)


def _source(answer: Answer, passage: QuotedPassage) -> str:
    title, version = answer.source_of(passage)
    return escape(say("source", answer.lang, section=passage.section, title=title, version=version))


def answer_card(answer: Answer, answer_id: str) -> Card:
    """The quote, its section and version, related passages, the unofficial translation, and actions."""
    if answer.outcome == "clarify":
        return clarify_card(answer, answer_id)
    if not answer.answered:
        actions = [_submit(say("ask_comms", answer.lang), "ask_comms", answer_id=answer_id)] \
            if answer.reason == "not_covered" else None
        return _card([_text(escape(decline_text(answer)))], actions)
    best = answer.best
    assert best is not None
    body: list[dict[str, Any]] = [
        _text(escape(best.title), weight="Bolder"),
        {"type": "Container", "style": "emphasis", "items": [_text(_quote(best))]},
        _text(_source(answer, best), isSubtle=True, size="Small"),
    ]
    if answer.lang == "en" and best.translation:
        body.append(_text(f"_{say('translation_label', 'en')}:_ {guideline_text(best.translation)}"))
    if answer.related:
        body.append(_text(f"**{say('related', answer.lang)}**", separator=True))
        for passage in answer.related:
            where = escape(passage.section) if passage.document_id == best.document_id else _source(answer, passage)
            items = [_text(f"**{escape(passage.title)}** ({where})", size="Small"),
                     _text(_quote(passage), size="Small")]
            if answer.lang == "en" and passage.translation:
                items.append(_text(f"_{say('translation_label', 'en')}:_ {guideline_text(passage.translation)}",
                                   size="Small", isSubtle=True))
            body.append({"type": "Container", "items": items})
    actions = [_submit(say("feedback_up", answer.lang), "feedback", answer_id=answer_id, helpful=True),
               _submit(say("feedback_down", answer.lang), "feedback", answer_id=answer_id, helpful=False),
               _submit(say("ask_comms", answer.lang), "ask_comms", answer_id=answer_id)]
    return _card(body, actions)


def answer_fallback(answer: Answer) -> str:
    if answer.outcome == "clarify":
        return say("clarify", answer.lang)
    return (answer.best.text.replace("**", "") if answer.answered and answer.best else decline_text(answer))


# --- the new-channel checklist --------------------------------------------------------------------
def _input(item: ChecklistItem, lang: str, value: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": item.id, "label": item.text(lang), "isRequired": item.required}
    if item.kind == "choice":
        field = {**base, "type": "Input.ChoiceSet", "style": "compact",
                 "choices": [{"title": o, "value": o} for o in item.options]}
    elif item.kind == "user":
        field = {**base, "type": "Input.ChoiceSet", "choices": [],
                 "choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}}
    elif item.kind == "confirm":
        field = {"id": item.id, "type": "Input.Toggle", "title": item.text(lang), "valueOn": "true",
                 "valueOff": "false", "isRequired": item.required}
        value = "true" if value in (True, "true") else "false"
    else:
        field = {**base, "type": "Input.Text", "isMultiline": item.kind == "textarea", "maxLength": item.max_length}
        if item.hint_text(lang):
            field["placeholder"] = item.hint_text(lang)
    if item.required:  # Teams shows this under the input when the person submits it empty
        field["errorMessage"] = error_text("confirm" if item.kind == "confirm" else "required", lang)
    if item.kind == "confirm":  # a toggle's title is its question; the label names it for screen readers
        field["label"] = item.text(lang)
    if value not in (None, ""):
        field["value"] = str(value)
    return field


def checklist_card(form: ChecklistForm, lang: str, values: dict[str, Any] | None = None,
                   errors: dict[str, str] | None = None) -> Card:
    """The form; sent again with the answers kept and an error under each wrong item."""
    values, errors = values or {}, errors or {}
    body: list[dict[str, Any]] = [_text(escape(form.title_text(lang)), weight="Bolder", size="Medium"),
                                  _text(escape(say("form_intro", lang)))]
    for item in form.items:
        body.append(_input(item, lang, values.get(item.id)))
        if item.id in errors:
            body.append(_text(escape(errors[item.id]), color="Attention", size="Small", spacing="None"))
    # a token per card: a second click on the same card is recognised and creates nothing
    version = PEOPLE_PICKER_VERSION if any(i.kind == "user" for i in form.items) else "1.4"
    return _card(body, [_submit(say("submit", lang), "new_channel_submit", lang=lang, submission=secrets.token_hex(8))],
                 version)


def submitted_card(request_id: int, lang: str) -> Card:
    """What the checklist card turns into once sent: no inputs, no button, only what happened."""
    return _card([_text(escape(say("form_sent", lang, label=request_label(request_id))), weight="Bolder")], None)


def submitted_values(form: ChecklistForm, value: dict[str, Any]) -> dict[str, Any]:
    """An Action.Submit value → {item id: value} as the core expects it."""
    out: dict[str, Any] = {}
    for item in form.items:
        raw = value.get(item.id)
        out[item.id] = (str(raw).lower() == "true") if item.kind == "confirm" else raw
    return out


def request_card(payload: dict[str, Any], lang: str = "nb", *, with_acknowledge: bool = True) -> Card:
    requester = payload["requester"]
    who = escape(requester.get("name") or requester.get("user_id") or "?")
    names = payload.get("names") or {}
    facts = [{"title": escape(label), "value": escape(names.get(value, value))} for _id, label, value in payload["summary"]]
    body = [_text(escape(say("new_request_title", lang, label=payload["label"])), weight="Bolder", size="Medium"),
            _text(escape(say("new_request_intro", lang, requester=who))),
            {"type": "FactSet", "facts": facts}]
    if payload.get("acknowledged_by"):
        body.append(_text(escape(say("acknowledged_by", lang, who=payload["acknowledged_by"])), color="Good"))
        return _card(body)
    actions = [_submit(say("acknowledge", lang), "acknowledge", request_id=payload["request_id"])] \
        if with_acknowledge else None
    return _card(body, actions)


def escalation_card(payload: dict[str, Any]) -> Card:
    asker = payload["asker"]
    body = [_text(say("escalation_title", "nb"), weight="Bolder"),
            _text(escape(say("escalation_body", "nb", asker=asker.get("name") or asker.get("user_id") or "?",
                             question=payload["question"]))),
            _text(say("escalation_answered" if payload.get("answered") else "escalation_declined", "nb"),
                  isSubtle=True, size="Small")]
    # the reply form: a reply for the asker, and which passage answers the question (or out of scope)
    choices = [{"title": title, "value": passage_id} for passage_id, title in payload.get("options") or []]
    choices.append({"title": say("escalation_out_of_scope", "nb"), "value": "out_of_scope"})
    body += [{"type": "Input.Text", "id": "reply", "label": say("escalation_reply_label", "nb"), "isMultiline": True,
              "maxLength": 2500},
             {"type": "Input.ChoiceSet", "id": "about", "label": say("escalation_about_label", "nb"), "style": "compact",
              "placeholder": say("escalation_about_hint", "nb"), "choices": choices}]
    actions = [_submit(say("send", "nb"), "escalation_answer")]
    if payload.get("link"):
        actions.append({"type": "Action.OpenUrl", "title": say("open_message", "nb"), "url": payload["link"]})
    return _card(body, actions)


def status_text(requests: list[dict[str, Any]], lang: str, everyone: bool, total: int | None = None) -> str:
    if not requests:
        return say("status_open_none" if everyone else "status_none", lang)
    lines = [f"**{say('status_title_all' if everyone else 'status_title', lang)}**"]
    for request in requests:
        answers = request["answers"]
        lines.append(f"- {request_label(request['id'])}: {escape(str(answers.get('platform', '')))} "
                     f"«{escape(str(answers.get('name', '')))}» – {say('status_' + request['status'], lang)}")
    if total is not None and total > len(requests):
        lines.append(say("status_more", lang, count=total - len(requests)))
    return "\n".join(lines)


def announcement_card(payload: dict[str, Any]) -> Card:
    key = "announcement_rollback" if payload.get("action") == "rollback" else "announcement"
    body = [_text(escape(say(key, lang, title=payload.get("title", ""), version=payload["version"])),
                  weight="Bolder" if lang == "nb" else "Default") for lang in ("nb", "en")]
    if payload.get("note"):
        body.append({"type": "Container", "style": "emphasis", "items": [_text(escape(payload["note"]))]})
    if payload.get("sections"):
        body.append(_text(escape(say("announcement_sections", "nb", sections=", ".join(payload["sections"]))),
                          size="Small", isSubtle=True))
    body.append(_text(escape(say("announcement_prompt", "nb")), size="Small"))
    return _card(body)


def admin_card(result: Any) -> Card:
    body = [_text(escape(line), fontType="Monospace", size="Small", spacing="None") for line in result.text.splitlines()]
    actions = [_submit(say("admin_publish", "nb"), "admin_publish", checksum=result.confirm, note=result.note)] \
        if result.confirm else None
    return _card(body, actions)


def notice_card(item: notices.Notice) -> Card:
    """A notice that Teams shows as a card (the one-sentence notices are sent as text)."""
    if isinstance(item, notices.ChannelRequest):
        return request_card(dict(item.payload))
    if isinstance(item, notices.Escalation):
        return escalation_card(dict(item.payload))
    return announcement_card(dict(item.payload))

