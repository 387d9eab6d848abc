"""The comms team's inbox: what the bot could not answer well, grouped so that one decision covers a
question however often it was asked.

A question lands here when the bot declined it, asked back ("Did you mean"), or someone voted 👎. Two
questions are one group when they carry the same meaning-bearing words (stemmed, folded, any order):
"Kan jeg poste bilder av barn?" and "bilder av barn, kan jeg poste?" are one lesson, not two.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .analysis import EN, NB, content_words, detect_language, fold, stem

# What the team decided about a question (stored as labelled examples, by source)
ATTACHED, OUT_OF_SCOPE, NEEDS_RULE, PICKED = "workbench", "out_of_scope", "needs_rule", "clarify_pick"
DECISIONS = (ATTACHED, OUT_OF_SCOPE, NEEDS_RULE)


def group_key(question: str) -> str:
    """The same key for the same words in any order, inflection or spelling of æøå."""
    lang = detect_language(question)
    lang = lang if lang in (NB, EN) else NB
    # stemmed twice: Snowball takes one suffix a time ("ordføreren" → "ordfører" → "ordfør")
    stems = {fold(stem(stem(w, lang), lang)) for w in content_words(question)}
    return " ".join(sorted(stems))


@dataclass
class InboxItem:
    key: str
    question: str  # the newest wording
    lang: str
    count: int = 0
    last_at: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    down: int = 0
    passage_id: str | None = None  # what the bot chose (or offered first) the last time
    suggestion: str | None = None  # a passage someone picked from "Did you mean" for this question
    wordings: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.down:
            return "down"
        return max(self.outcomes, key=lambda o: self.outcomes[o]) if self.outcomes else "decline"


def needs_attention(row: dict[str, Any]) -> bool:
    outcome = row.get("outcome") or ("answer" if row.get("answered") else "decline")
    return bool(row.get("question")) and (outcome in ("decline", "clarify") or int(row.get("down") or 0) > 0)


def build(rows: list[dict[str, Any]], examples: list[dict[str, Any]], limit: int = 200) -> list[InboxItem]:
    """Open items, most asked first and then newest: groups with a decision (attached, out of scope, new
    rule needed) are gone; a "Did you mean" pick shows as a suggestion to confirm."""
    decided = {group_key(e["question"]) for e in examples if e["source"] in DECISIONS}
    picked = {group_key(e["question"]): e["passage_id"] for e in examples if e["source"] == PICKED and e["passage_id"]}
    items: dict[str, InboxItem] = {}
    for row in sorted(rows, key=lambda r: r["created_at"], reverse=True):
        if not needs_attention(row):
            continue
        key = group_key(row["question"])
        if not key or key in decided:
            continue
        item = items.get(key)
        if item is None:
            item = items[key] = InboxItem(key, row["question"], row["lang"], last_at=row["created_at"],
                                          passage_id=row.get("passage_id"), suggestion=picked.get(key))
        item.count += 1
        outcome = row.get("outcome") or ("answer" if row.get("answered") else "decline")
        item.outcomes[outcome] = item.outcomes.get(outcome, 0) + 1
        item.down += int(row.get("down") or 0)
        if row["question"] not in item.wordings and len(item.wordings) < 5:
            item.wordings.append(row["question"])
    ordered = sorted(items.values(), key=lambda i: (-i.count, -i.last_at))
    return ordered[:limit]
