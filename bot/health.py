"""The health of answers, week by week: how many questions, how they ended, what people thought.

Computed from the recorded answers (no question text is needed), for the workbench's chart and table.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass
class Week:
    label: str  # ISO week, "2026-W48"
    questions: int = 0
    answered: int = 0
    clarified: int = 0
    declined: int = 0
    up: int = 0
    down: int = 0

    def share(self, count: int) -> float:
        return count / self.questions if self.questions else 0.0


@dataclass
class Health:
    weeks: list[Week]
    top_passages: list[tuple[str, int]] = field(default_factory=list)


def _week(at: float) -> str:
    year, week, _ = datetime.fromtimestamp(at, UTC).isocalendar()
    return f"{year}-W{week:02d}"


def weekly(rows: list[dict[str, Any]], weeks: int = 12, top: int = 10) -> Health:
    """`rows`: answers with outcome, passage and vote counts (Store.answers_since), any order."""
    by_week: dict[str, Week] = {}
    asked: Counter[str] = Counter()
    for row in rows:
        label = _week(row["created_at"])
        week = by_week.setdefault(label, Week(label))
        week.questions += 1
        outcome = row.get("outcome") or ("answer" if row.get("answered") else "decline")
        if outcome == "answer":
            week.answered += 1
            if row.get("passage_id"):
                asked[row["passage_id"]] += 1
        elif outcome == "clarify":
            week.clarified += 1
        else:
            week.declined += 1
        week.up += int(row.get("up") or 0)
        week.down += int(row.get("down") or 0)
    ordered = sorted(by_week.values(), key=lambda w: w.label)[-weeks:]
    return Health(ordered, asked.most_common(top))
