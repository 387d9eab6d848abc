"""Scores the answer engine on a set of questions with expected guideline phrases.

The set format (`tests/eval/questions.yaml`): a list of `{q, lang, expect}`; `expect` lists phrases of the
guideline of which one must occur in a returned passage (title + text), `[]` means the bot must decline.
A hit counts only when the bot answers: a right passage behind a decline helps nobody.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from .answers import Answer, AnswerEngine
from .knowledge import KnowledgeError, parse_yaml


@dataclass(frozen=True)
class Case:
    question: str
    lang: str
    expect: tuple[str, ...]
    near: bool = False  # out of scope, but on the guideline's topic

    @property
    def in_scope(self) -> bool:
        return bool(self.expect)


def _flat(text: str) -> str:
    return " ".join(text.replace("**", "").lower().split())


def load_cases(path: Path) -> list[Case]:
    raw = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(raw, list):
        raise KnowledgeError(str(path), 1, None, "must be a list of {q, lang, expect}")
    cases = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or not isinstance(item.get("expect"), list):
            raise KnowledgeError(str(path), item.get("__line__") if isinstance(item, dict) else None,
                                 f"[{index}]", "needs q (text), lang and expect (list)")
        cases.append(Case(item["q"], str(item.get("lang", "nb")), tuple(str(e) for e in item["expect"]),
                          bool(item.get("near", False))))
    return cases


def is_right(case: Case, passage: Any) -> bool:
    """The passage (title + text) contains one of the phrases the question expects."""
    haystack = _flat(passage.title + " " + passage.text)
    return any(_flat(e) in haystack for e in case.expect)


def rank_of(case: Case, answer: Answer) -> int | None:
    """1-based rank of the first candidate containing an expected phrase, if the bot showed passages
    (an answer, or a "did you mean" whose options come first)."""
    if answer.outcome == "decline":
        return None
    for rank, passage in enumerate(answer.candidates[:5], start=1):
        if is_right(case, passage):
            return rank
    return None


@dataclass
class Scores:
    questions: int = 0
    in_scope: int = 0
    out_scope: int = 0
    hit1: int = 0
    hit3: int = 0
    rr: float = 0.0
    declined_out: int = 0
    declined_in: int = 0
    right: int = 0
    wrong: int = 0
    clarified: int = 0
    clarified_right: int = 0
    declined: int = 0
    near: int = 0
    near_held: int = 0

    def add(self, case: Case, answer: Answer) -> None:
        self.questions += 1
        self._outcome(case, answer)
        if not case.in_scope:
            self.out_scope += 1
            self.declined_out += not answer.answered
            return
        self.in_scope += 1
        self.declined_in += not answer.answered
        rank = rank_of(case, answer)
        if rank:
            self.hit1 += rank == 1
            self.hit3 += rank <= 3
            self.rr += 1.0 / rank

    def _outcome(self, case: Case, answer: Answer) -> None:
        """What the asker experiences: the right rule, a wrong rule, a choice, or a decline."""
        if answer.outcome == "clarify":
            self.clarified += 1
            self.clarified_right += case.in_scope and any(is_right(case, p) for p in answer.options)
        elif answer.answered:
            right = case.in_scope and answer.best is not None and is_right(case, answer.best)
            self.right += right
            self.wrong += not right
        else:
            self.declined += 1
        if case.near:
            self.near += 1
            self.near_held += not answer.answered

    def figures(self) -> dict[str, float]:
        def share(a: float, b: int) -> float:
            return round(a / b, 3) if b else 0.0
        return {"right": share(self.right, self.in_scope), "wrong": share(self.wrong, self.questions),
                "clarified": share(self.clarified, self.questions), "declined": share(self.declined, self.questions),
                "clarified_right": share(self.clarified_right, self.clarified),
                "near_held": share(self.near_held, self.near), "near": self.near,
                "questions": self.questions, "hit@1": share(self.hit1, self.in_scope),
                "hit@3": share(self.hit3, self.in_scope), "mrr@5": share(self.rr, self.in_scope),
                "out_of_scope_declined": share(self.declined_out, self.out_scope),
                "in_scope_declined": share(self.declined_in, self.in_scope)}


def evaluate(engine: AnswerEngine, cases: Iterable[Case]) -> tuple[dict[str, Scores], list[tuple[Case, Answer]]]:
    """Scores per language and overall ('all'), plus the misses for inspection."""
    scores: dict[str, Scores] = defaultdict(Scores)
    misses = []
    for case in cases:
        answer = engine.answer(case.question)
        for key in (case.lang, "all"):
            scores[key].add(case, answer)
        if (rank_of(case, answer) != 1) if case.in_scope else answer.answered:
            misses.append((case, answer))
    return dict(scores), misses


def format_report(scores: dict[str, Scores]) -> str:
    """One row per language. right: share of in-scope questions answered with the right passage first;
    wrong, clarified, declined: shares of all questions; near held: near-domain questions declined or
    clarified; hit@k and MRR@5 rank the passages shown (an answer, or the options of a "did you mean")."""
    header = (f"{'lang':<5}{'n':>5}{'right':>8}{'wrong':>8}{'clarified':>11}{'declined':>10}{'near held':>11}"
              f"{'hit@1':>8}{'hit@3':>8}{'MRR@5':>8}{'out-declined':>14}{'in-declined':>13}")
    lines = [header]
    for lang in sorted(scores, key=lambda k: (k == "all", k)):
        f = scores[lang].figures()
        near = f"{f['near_held']:.3f}" if f["near"] else "-"
        lines.append(f"{lang:<5}{f['questions']:>5}{f['right']:>8.3f}{f['wrong']:>8.3f}{f['clarified']:>11.3f}"
                     f"{f['declined']:>10.3f}{near:>11}{f['hit@1']:>8.3f}{f['hit@3']:>8.3f}{f['mrr@5']:>8.3f}"
                     f"{f['out_of_scope_declined']:>14.3f}{f['in_scope_declined']:>13.3f}")
    return "\n".join(lines)
