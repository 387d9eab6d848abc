"""Core results → Block Kit. Pure functions: a test can call them without a server.

Every piece of user text goes through `escape`, so `<!channel>` or `<@U…>` typed by someone is shown, never
executed. The guideline's own text is escaped too (it is data, not markup).
"""
from __future__ import annotations

import json
from typing import Any

from ...bot import notices
from ...bot.answers import Answer, QuotedPassage
from ...bot.checklist import ChecklistForm, ChecklistItem, request_label
from ...bot.messages import decline_message, say

Blocks = list[dict[str, Any]]
MAX_SECTION = 2900  # Slack allows 3,000 characters in a section
MAX_TEXT = 3000  # and in a message's fallback text
MAX_BLOCKS = 50  # blocks in one message


def escape(text: str) -> str:
    """Slack's three control characters; after this no mention, link or broadcast can be formed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn_quote(text: str) -> str:
    """The guideline's text as a Slack block quote; its **bold** becomes Slack's *bold*. Not cut: a long
    quote is spread over several sections by `sections`."""
    body = escape(text).replace("**", "*")
    return "\n".join("> " + line for line in body.splitlines() or [""])


def _quote(passage: QuotedPassage) -> str:
    """A passage quoted as its page shows it: a list's items on lines of their own."""
    return mrkdwn_quote("\n".join(passage.lines))


def section(text: str) -> dict[str, Any]:
    """One section; for text that may be long use `sections`, which never cuts."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION]}}


def split_mrkdwn(text: str, limit: int = MAX_SECTION) -> list[str]:
    """Text in parts of at most `limit` characters, cut between lines or words, never inside a word or an
    escape; a quoted line that is cut goes on quoted."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            while "&" in line[max(0, cut - 5):cut] and ";" not in line[line.rfind("&", 0, cut):cut]:
                cut -= 1  # not inside &amp; &lt; &gt;
            head, line = line[:cut], line[cut:].lstrip(" ")
            if line and head.startswith("> "):
                line = "> " + line
            parts, current = _flush(parts, current, head, limit)
        parts, current = _flush(parts, current, line, limit)
    return [*parts, current] if current or not parts else parts


def _flush(parts: list[str], current: str, line: str, limit: int) -> tuple[list[str], str]:
    if not current:
        return parts, line
    if len(current) + 1 + len(line) <= limit:
        return parts, current + "\n" + line
    return [*parts, current], line


def sections(text: str) -> Blocks:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": part}} for part in split_mrkdwn(text)]


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION]}]}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "text": {"type": "plain_text", "text": text, "emoji": True},
              "action_id": action_id, "value": value}
    if style:
        button["style"] = style
    return button


def _source_line(answer: Answer, passage: QuotedPassage) -> str:
    title, version = answer.source_of(passage)
    return escape(say("source", answer.lang, section=passage.section, title=title, version=version))


def fallback(text: str) -> str:
    """A message's plain fallback text (notifications, screen readers), within Slack's limit."""
    return text[:MAX_TEXT]


def answer_text(answer: Answer) -> str:
    """The plain fallback text (notifications, screen readers)."""
    return fallback(_answer_text(answer))


def _answer_text(answer: Answer) -> str:
    if answer.outcome == "clarify":
        return say("clarify", answer.lang) + " " + "; ".join(p.title for p in answer.options)
    if not answer.answered:
        return decline_text(answer)
    return answer.best.text.replace("**", "") if answer.best else ""


def decline_text(answer: Answer) -> str:
    return decline_message(answer.reason, answer.lang, answer.contact)


def clarify_blocks(answer: Answer, answer_id: str) -> Blocks:
    """"Did you mean …?": one button per offered passage (its title), and a way out to the comms team.

    A button's value is the stored answer's id and the passage id, so nothing long travels through Slack."""
    buttons = [_button(f"{n}. {passage.title}"[:75], f"clarify_pick_{n}", f"{answer_id}:{passage.id}")
               for n, passage in enumerate(answer.options, start=1)]
    buttons.append(_button(say("clarify_none", answer.lang)[:75], "ask_comms", answer_id))
    lines = [say("clarify", answer.lang)] + [f"{n}. *{escape(p.title)}* ({escape(p.section)})"
                                              for n, p in enumerate(answer.options, start=1)]
    return [section("\n".join(lines)), {"type": "actions", "block_id": "clarify_actions", "elements": buttons}]


def answer_blocks(answer: Answer, answer_id: str, *, shareable: bool = False) -> Blocks:
    """The quote, its section and version, related passages, the translation for English, and buttons."""
    if answer.outcome == "clarify":
        return clarify_blocks(answer, answer_id)
    if not answer.answered:
        blocks: Blocks = [section(escape(decline_text(answer)))]
        if answer.reason == "not_covered":
            blocks.append({"type": "actions", "block_id": "answer_actions",
                           "elements": [_button(say("ask_comms", answer.lang), "ask_comms", answer_id)]})
        return blocks
    best = answer.best
    assert best is not None
    blocks = [*sections(f"*{escape(best.title)}*\n{_quote(best)}"), context(_source_line(answer, best))]
    if answer.lang == "en" and best.translation:
        blocks.extend(sections(f"_{say('translation_label', 'en')}:_ {escape(best.translation).replace('**', '*')}"))
    if answer.related:
        lines = [f"*{say('related', answer.lang)}:*"]
        for passage in answer.related:
            where = escape(passage.section) if passage.document_id == best.document_id else _source_line(answer, passage)
            lines.append(f"• *{escape(passage.title)}* ({where})\n{_quote(passage)}")
            if answer.lang == "en" and passage.translation:
                lines.append(f"  _{say('translation_label', 'en')}:_ {escape(passage.translation).replace('**', '*')}")
        blocks.extend(sections("\n".join(lines)))
    buttons = [_button(say("feedback_up", answer.lang), "feedback_up", answer_id),
               _button(say("feedback_down", answer.lang), "feedback_down", answer_id),
               _button(say("ask_comms", answer.lang), "ask_comms", answer_id)]
    if shareable:
        buttons.append(_button(say("share", answer.lang), "share_answer", answer_id, "primary"))
    blocks.append({"type": "actions", "block_id": "answer_actions", "elements": buttons})
    return blocks


def home_view(help_text: str, lang: str, requests: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """The App Home tab: what the bot answers about, examples to try, how to open a channel, my requests."""
    blocks: Blocks = [{"type": "header", "text": {"type": "plain_text", "text": "guidebot"}},
                      *sections(escape(help_text)),
                      {"type": "divider"}]
    blocks += status_blocks(requests, lang, everyone=False, total=total)
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


def help_blocks(norwegian: str, english: str) -> Blocks:
    return sections(escape(norwegian + "\n\n" + english))


# --- the new-channel checklist --------------------------------------------------------------------
def _element(item: ChecklistItem, lang: str) -> dict[str, Any]:
    if item.kind == "choice":
        return {"type": "static_select", "action_id": "value",
                "options": [{"text": {"type": "plain_text", "text": o}, "value": o} for o in item.options]}
    if item.kind == "user":
        return {"type": "users_select", "action_id": "value"}
    if item.kind == "confirm":
        return {"type": "checkboxes", "action_id": "value",
                "options": [{"text": {"type": "plain_text", "text": item.text(lang)[:75]}, "value": "yes"}]}
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "max_length": item.max_length,
                               "multiline": item.kind == "textarea"}
    if item.min_length:
        element["min_length"] = item.min_length
    if item.hint_text(lang):
        element["placeholder"] = {"type": "plain_text", "text": item.hint_text(lang)[:150]}
    return element


def checklist_modal(form: ChecklistForm, lang: str) -> dict[str, Any]:
    blocks: Blocks = [section(escape(say("form_intro", lang)))]
    for item in form.items:
        blocks.append({"type": "input", "block_id": item.id, "optional": not item.required,
                       "label": {"type": "plain_text", "text": item.text(lang)[:2000]},
                       "element": _element(item, lang)})
    return {"type": "modal", "callback_id": "new_channel", "private_metadata": json.dumps({"lang": lang}),
            "title": {"type": "plain_text", "text": _short(form.title_text(lang), 24)},
            "submit": {"type": "plain_text", "text": say("submit", lang)},
            "close": {"type": "plain_text", "text": say("cancel", lang)},
            "blocks": blocks}


def _short(text: str, limit: int) -> str:
    """Within a plain-text limit, cut at a word with "…" (a modal title takes 24 characters)."""
    if len(text) <= limit:
        return text
    words = text[:limit - 1].split(" ")
    if len(words) > 1:
        words = words[:-1]  # the cut one
        while len(words) > 1 and len(words[-1]) <= 2:  # "Ny offisiell kanal i…" reads as cut off
            words.pop()
    return " ".join(words).rstrip(" ,.:;–-") + "…"


def modal_values(form: ChecklistForm, state: dict[str, Any]) -> dict[str, Any]:
    """view_submission state → {item id: value} as the core expects it."""
    values: dict[str, Any] = {}
    for item in form.items:
        block = state.get(item.id)
        field = (block.get("value") if isinstance(block, dict) else None) or {}
        field = field if isinstance(field, dict) else {}
        if item.kind == "choice":
            values[item.id] = (field.get("selected_option") or {}).get("value")
        elif item.kind == "user":
            values[item.id] = field.get("selected_user")
        elif item.kind == "confirm":
            values[item.id] = bool(field.get("selected_options"))
        else:
            values[item.id] = field.get("value")
    return values


def _shown_value(item_kind: str, value: str) -> str:
    return f"<@{value}>" if item_kind == "user" and value.startswith(("U", "W")) and value.isalnum() else escape(value)


def request_blocks(payload: dict[str, Any], form: ChecklistForm, lang: str = "nb", *,
                   with_acknowledge: bool = True) -> Blocks:
    """The chief's notice: who asks, every checklist answer, and the Acknowledge button."""
    requester = payload["requester"]
    who = f"<@{requester['user_id']}>" if requester.get("platform") == "slack" else escape(requester.get("name") or "?")
    kinds = {item.id: item.kind for item in form.items}
    rows = payload["summary"] if lang == "nb" else payload.get("summary_requester_lang", payload["summary"])
    fields = "\n".join(f"*{escape(label)}:* {_shown_value(kinds.get(item_id, 'text'), value)}"
                       for item_id, label, value in rows)
    blocks: Blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": say("new_request_title", lang, label=payload["label"])[:150]}},
        section(say("new_request_intro", lang, requester=who)),
        *sections(fields),
    ]
    if payload.get("acknowledged_by"):
        blocks.append(context(escape(say("acknowledged_by", lang, who=payload["acknowledged_by"]))))
    elif with_acknowledge:
        blocks.append({"type": "actions", "block_id": "request_actions", "elements": [
            _button(say("acknowledge", lang), "acknowledge_request", str(payload["request_id"]), "primary")]})
    return blocks


def status_blocks(requests: list[dict[str, Any]], lang: str, everyone: bool, total: int | None = None) -> Blocks:
    if not requests:
        return [section(say("status_open_none" if everyone else "status_none", lang))]
    lines = [f"*{say('status_title_all' if everyone else 'status_title', lang)}*"]
    for request in requests:
        answers = request["answers"]
        lines.append(f"• {request_label(request['id'])}: {escape(str(answers.get('platform', '')))[:80]} "
                     f"«{escape(str(answers.get('name', '')))[:120]}» – {say('status_' + request['status'], lang)}")
    blocks = sections("\n".join(lines))
    shown = len(requests)
    if len(blocks) > MAX_BLOCKS - 1:  # a message holds 50 blocks
        blocks = blocks[:MAX_BLOCKS - 1]
        shown = sum(b["text"]["text"].count("\n• ") + b["text"]["text"].startswith("• ") for b in blocks)
    hidden = max(total if total is not None else len(requests), len(requests)) - shown
    if hidden > 0:  # say how many are not shown
        blocks.append(context(say("status_more", lang, count=hidden)))
    return blocks


def escalation_blocks(payload: dict[str, Any]) -> Blocks:
    asker = payload["asker"]
    who = f"<@{asker['user_id']}>" if asker.get("platform") == "slack" else escape(asker.get("name") or "?")
    lang = "nb"
    blocks: Blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": say("escalation_title", lang)}},
        section(say("escalation_body", lang, asker=who, question="\n" + mrkdwn_quote(payload["question"]))),
        context(say("escalation_answered" if payload.get("answered") else "escalation_declined", lang)),
    ]
    if payload.get("link"):
        blocks.append(section(f"<{payload['link']}|{say('open_message', lang)}>"))
    blocks.append({"type": "actions", "block_id": "escalation_actions", "elements": [
        {"type": "button", "action_id": "escalation_reply_open", "value": str(payload.get("answer_id") or "-")[:100],
         "text": {"type": "plain_text", "text": say("escalation_reply_button", lang)}}]})
    return blocks


def escalation_modal(question: str, options: list[list[str]], thread: str, lang: str = "nb") -> dict[str, Any]:
    """The comms team's reply form: a reply for the asker, and which passage answers the question (or that
    it is out of scope), both optional but not both empty."""
    choices = [{"text": {"type": "plain_text", "text": _short(title, 75)}, "value": passage_id[:150]}
               for passage_id, title in options]
    choices.append({"text": {"type": "plain_text", "text": say("escalation_out_of_scope", lang)}, "value": "out_of_scope"})
    blocks: Blocks = [
        section(mrkdwn_quote(question)),
        {"type": "input", "block_id": "reply", "optional": True,
         "label": {"type": "plain_text", "text": say("escalation_reply_label", lang)},
         "element": {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 2500}},
        {"type": "input", "block_id": "about", "optional": True,
         "label": {"type": "plain_text", "text": say("escalation_about_label", lang)},
         "hint": {"type": "plain_text", "text": say("escalation_about_hint", lang)},
         "element": {"type": "static_select", "action_id": "value", "options": choices}},
    ]
    return {"type": "modal", "callback_id": "escalation_reply", "private_metadata": json.dumps({"thread": thread}),
            "title": {"type": "plain_text", "text": _short(say("escalation_reply_title", lang), 24)},
            "submit": {"type": "plain_text", "text": say("send", lang)},
            "close": {"type": "plain_text", "text": say("cancel", lang)}, "blocks": blocks}


def escalation_form_values(state: dict[str, Any]) -> tuple[str, str]:
    """(reply, passage id or "out_of_scope" or "") from the modal's submitted state."""
    values = state.get("values") or {}
    reply = ((values.get("reply") or {}).get("value") or {}).get("value") or ""
    selected = ((values.get("about") or {}).get("value") or {}).get("selected_option") or {}
    return str(reply), str(selected.get("value") or "")


def announcement_text(payload: dict[str, Any]) -> str:
    key = "announcement_rollback" if payload.get("action") == "rollback" else "announcement"
    return say(key, "nb", title=payload.get("title", "veilederen"), version=payload["version"])


def announcement_blocks(payload: dict[str, Any]) -> Blocks:
    """A new version in the announcement channels: version, the publisher's note, what changed, a prompt."""
    key = "announcement_rollback" if payload.get("action") == "rollback" else "announcement"
    lines = [f"*{escape(say(key, lang, title=payload.get('title', ''), version=payload['version']))}*"
             for lang in ("nb", "en")]
    blocks: Blocks = [section("\n".join(lines))]
    if payload.get("note"):
        blocks.append(section(mrkdwn_quote(payload["note"])))
    if payload.get("sections"):
        shown = ", ".join(payload["sections"])
        blocks.append(context(escape(say("announcement_sections", "nb", sections=shown))))
    blocks.append(context(escape(say("announcement_prompt", "nb") + "\n" + say("announcement_prompt", "en"))))
    return blocks


def admin_blocks(result: Any) -> Blocks:
    """guideline-admin output; a preview carries a Publish button bound to what was shown."""
    blocks: Blocks = [section("```" + escape(result.text)[:MAX_SECTION - 6] + "```")]
    if result.confirm:
        note = result.note
        value = json.dumps({"checksum": result.confirm, "note": note}, ensure_ascii=False)
        while len(value) > 2000:  # a button's value holds 2,000 characters
            note = note[:len(note) - (len(value) - 2000) - 1]
            value = json.dumps({"checksum": result.confirm, "note": note}, ensure_ascii=False)
        blocks.append({"type": "actions", "elements": [
            _button(say("admin_publish", "nb"), "admin_publish", value, "danger")]})
    return blocks


def notice(item: notices.Notice, form: ChecklistForm) -> tuple[str, Blocks]:
    """A notice as Slack shows it: the fallback text and the blocks."""
    if isinstance(item, notices.TextNotice):
        return item.text, [section(escape(item.text))]
    if isinstance(item, notices.ChannelRequest):
        return item.title, request_blocks(dict(item.payload), form)
    if isinstance(item, notices.Escalation):
        return item.title, escalation_blocks(dict(item.payload))
    return announcement_text(dict(item.payload)), announcement_blocks(dict(item.payload))

