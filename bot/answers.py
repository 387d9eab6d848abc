"""From a question to an Answer: plain data that any platform can render.

The guideline is the authority, so an answer is never composed: it is the best passage quoted verbatim,
with its section and the version it comes from. When the guideline does not cover the question the
answer says so and points to the communications team instead of offering the least bad passage.
"""
from __future__ import annotations

from dataclasses import dataclass

from .analysis import EN, NB
from .knowledge import Guideline, Passage
from .retrieval import Hit, RetrievalParams, Retriever, SearchResult

MAX_QUESTION_CHARS = 500


@dataclass(frozen=True)
class QuotedPassage:
    id: str
    section: str
    title: str
    text: str
    translation: str
    score: float

    @classmethod
    def of(cls, hit: Hit) -> "QuotedPassage":
        p: Passage = hit.passage
        return cls(p.id, p.section_path, p.title, p.text, p.translation, round(hit.score, 4))


@dataclass(frozen=True)
class Answer:
    """What the bot says to one question. `reason` is set when it does not answer."""

    question: str
    lang: str
    answered: bool
    passages: tuple[QuotedPassage, ...]  # best first; the top one is the quote, then related ones
    candidates: tuple[QuotedPassage, ...]  # up to five, also when declined (for the JSON contract)
    confidence: float
    version: str
    document_title: str
    contact: str
    reason: str = ""  # "", "not_covered", "empty", "too_long"

    @property
    def best(self) -> QuotedPassage | None:
        return self.passages[0] if self.passages else None

    @property
    def related(self) -> tuple[QuotedPassage, ...]:
        return self.passages[1:]


class AnswerEngine:
    """Answers questions against one guideline version (immutable; a new version gets a new engine)."""

    def __init__(self, guideline: Guideline, params: RetrievalParams | None = None) -> None:
        self.guideline = guideline
        self.retriever = Retriever(guideline, params)

    @property
    def version(self) -> str:
        return self.guideline.document.version

    def answer(self, question: str) -> Answer:
        text = " ".join(question.split())
        if len(text) > MAX_QUESTION_CHARS:
            return self._declined(text[:MAX_QUESTION_CHARS], self.retriever.analyse(text[:200])[0], "too_long")
        result = self.retriever.search(text, limit=5)
        if not result.content_words:
            return self._declined(text, result.lang, "empty", result)
        if result.confidence < self.retriever.params.min_coverage:
            return self._declined(text, result.lang, "not_covered", result)
        return self._answered(result)

    def _answered(self, result: SearchResult) -> Answer:
        top = result.hits[0]
        floor = max(top.score * self.retriever.params.related_ratio, 0.0)
        related = [h for h in result.hits[1:]
                   if h.score >= floor and h.coverage >= self.retriever.params.min_coverage][:2]
        passages = tuple(QuotedPassage.of(h) for h in (top, *related))
        return self._make(result.question, result.lang, True, passages, result, "")

    def _declined(self, text: str, lang: str, reason: str, result: SearchResult | None = None) -> Answer:
        return self._make(text, lang, False, (), result, reason)

    def _make(self, question: str, lang: str, answered: bool, passages: tuple[QuotedPassage, ...],
              result: SearchResult | None, reason: str) -> Answer:
        doc = self.guideline.document
        candidates = tuple(QuotedPassage.of(h) for h in result.hits) if result else ()
        return Answer(question=question, lang=lang if lang in (NB, EN) else NB, answered=answered,
                      passages=passages, candidates=candidates,
                      confidence=round(result.confidence, 3) if result else 0.0,
                      version=doc.version, document_title=doc.title, contact=doc.contact, reason=reason)
