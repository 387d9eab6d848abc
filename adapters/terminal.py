"""Answers as a terminal shows them: readable text, or the JSON contract of `guidebot ask --json`."""
from __future__ import annotations

from typing import Any

from ..bot.answers import Answer
from ..bot.messages import decline_message, say


def render_text(answer: Answer) -> str:
    """A readable terminal rendering: the quote, where it is from, the translation for English askers."""
    if answer.outcome == "clarify":
        options = [f"  {n}. {p.title} ({p.section})" for n, p in enumerate(answer.options, start=1)]
        return "\n".join([say("clarify", answer.lang), *options, say("clarify_none", answer.lang)])
    if not answer.answered:
        return decline_message(answer.reason, answer.lang, answer.contact)
    lines: list[str] = []
    for index, passage in enumerate(answer.passages):
        if index == 1:
            lines.append(f"\n{say('related', answer.lang)}:")
        indent = "" if index == 0 else "  "
        lines.append(f"{indent}«" + f"\n{indent} ".join(passage.lines).replace("**", "") + "»")
        title, version = answer.source_of(passage)
        lines.append(indent + "— " + say("source", answer.lang, section=passage.section, title=title, version=version))
        if answer.lang == "en" and passage.translation:
            lines.append(f"{indent}[{say('translation_label', 'en')}] {passage.translation.replace('**', '')}")
    return "\n".join(lines)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The JSON contract of `guidebot ask --json`: candidates are present even when declined."""
    return {"question": answer.question, "lang": answer.lang, "outcome": answer.outcome, "answered": answer.answered,
            "confidence": answer.confidence,
            "passages": [{"id": p.id, "section": p.section, "title": p.title, "text": p.text,
                          "translation": p.translation, "score": p.score,
                          "document": {"id": p.document_id, "title": answer.source_of(p)[0],
                                       "version": answer.source_of(p)[1]}} for p in answer.candidates[:5]]}
