"""From a question to an Answer: plain data that any platform can render.

The guideline is the authority, so an answer is never composed: it is the best passage quoted verbatim,
with its section and the version it comes from. When the guideline does not cover the question the
answer says so and points to the communications team instead of offering the least bad passage.
"""
from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, replace

import numpy as np

from .analysis import EN, NB, content_words, fold, stem, words
from .decision import ANSWER, CLARIFY, DECLINE, UNMET_ASK_CONFIDENCE, Policy, Signals, asks_who, names_someone, unmet_ask
from .formats import strip_number
from .gloss import norwegian_gloss
from .knowledge import ITEM_MARK, Document, Guideline, Passage, curated_shares, split_items
from .retrieval import Hit, RetrievalParams, Retriever, SearchResult
from .semantic import SemanticIndex, VectorCache, load_embedder

MAX_QUESTION_CHARS = 500
RRF_K = 10  # reciprocal-rank fusion constant; measured on the tuning half (5–60 alike, 10 best)
# official text alone: one SIMILARITY_STEP below the most similar passage costs SIMILARITY_WEIGHT of the best
# lexical score (0.6 and 0.8 alike on the day-one sets and a fresh real-page set; 0.3 and 1.2 worse)
SIMILARITY_STEP = 0.02
SIMILARITY_WEIGHT = 0.6


@dataclass(frozen=True)
class QuotedPassage:
    id: str
    section: str
    title: str
    text: str
    translation: str
    score: float
    document_id: str = ""
    document_title: str = ""
    version: str = ""  # of its document: each document of a directory has its own

    @property
    def lines(self) -> tuple[str, ...]:
        """The quote as its page shows it: a list's lead-in and each item on a line of its own. The importer
        keeps a lead-in and its items as one passage ("Vi er på Facebook for å: • … • …"); the words stay
        the guideline's, only the line breaks are given back."""
        head, items = split_items(self.text)
        return (head, *(ITEM_MARK + item for item in items))

    @classmethod
    def of(cls, hit: Hit, document: Document | None = None) -> QuotedPassage:
        p: Passage = hit.passage
        return cls(p.id, p.section_path, p.title, p.text, p.translation, round(hit.score, 4),
                   document.id if document else p.document, document.title if document else "",
                   document.version if document else "")


@dataclass(frozen=True)
class Answer:
    """What the bot says to one question: a quote (`answer`), a choice (`clarify`), or a decline.

    For `clarify`, `passages` are the options in the order shown; `reason` is set when it declines."""

    question: str
    lang: str
    outcome: str  # "answer" | "clarify" | "decline"
    passages: tuple[QuotedPassage, ...]  # answer: the quote, then related ones; clarify: the options
    candidates: tuple[QuotedPassage, ...]  # up to five, best first (clarify: the options first)
    confidence: float
    version: str
    document_title: str
    contact: str
    reason: str = ""  # "", "not_covered", "empty", "too_long"

    @property
    def answered(self) -> bool:
        return self.outcome == ANSWER

    def source_of(self, passage: QuotedPassage) -> tuple[str, str]:
        """The title and version of the document a quoted passage comes from."""
        return passage.document_title or self.document_title, passage.version or self.version

    @property
    def best(self) -> QuotedPassage | None:
        return self.passages[0] if self.passages and self.answered else None

    @property
    def related(self) -> tuple[QuotedPassage, ...]:
        return self.passages[1:] if self.answered else ()

    @property
    def options(self) -> tuple[QuotedPassage, ...]:
        return self.passages if self.outcome == CLARIFY else ()


# Questions no workplace guideline answers, in both languages: a passage's mean similarity to them is
# its own level, whatever the question.
UNRELATED_QUESTIONS = (
    "hva blir det til lunsj i dag", "når går neste buss til byen", "hvordan blir været i morgen",
    "hvem vant fotballkampen i går", "hva koster en pizza", "kan du anbefale en god bok",
    "hvor ligger nærmeste apotek", "hvordan lager jeg pannekaker", "hva er hovedstaden i Frankrike",
    "what's for lunch today", "when does the next train leave", "what will the weather be tomorrow",
    "who won the match last night", "how much is a coffee", "can you recommend a good film",
    "where is the nearest pharmacy", "how do I bake bread", "what is the capital of Spain",
    "tell me a joke", "how old is the universe")

FOLLOW_UP_WORDS = 4  # a question of at most this many content words in a thread may lean on the earlier one
_FILTER = re.compile(r"^([\w-]{2,40})\s*:\s+(\S.*)$")


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    similarity: float | None
    fused: float


class AnswerEngine:
    """Answers questions against one guideline version (immutable; a new version gets a new engine).

    Lexical (BM25 + coverage) always; with a `SemanticIndex`, the two rankings are fused (reciprocal
    rank) and the semantic similarity joins the signals the decision is taken on."""

    def __init__(self, guideline: Guideline, params: RetrievalParams | None = None,
                 semantic: SemanticIndex | None = None, policy: Policy | None = None, contact: str = "") -> None:
        self.guideline = guideline
        self.retriever = Retriever(guideline, params)
        self.semantic = semantic
        self.policy = policy or Policy()
        self.contact = contact  # whom declines point to; default: the quoted document's `contact`
        self.curated = curated_shares(guideline)
        # curated and uncurated documents side by side: a passage matched as the best of many curated texts
        # looks closer to any question than one official sentence does, so the semantic order is taken on
        # similarity above each passage's own level for unrelated questions
        self._mixed = len({share >= 0.5 for share in self.curated.values()}) == 2
        self._official_only = not any(share >= 0.5 for share in self.curated.values())  # a fresh import
        self._baselines: np.ndarray | None = None
        # the headings that ask a question ("1. Hvem kan klage"): what each asks, the stems of its meaningful words
        # and of all its words, and the first passage under it; read once, not for every question
        self._asking: dict[tuple[str, ...], tuple[str, frozenset[str], frozenset[str], int]] = {}
        for index, passage in enumerate(guideline.passages):
            heading = _numberless(passage.section[-1]) if passage.section else ""
            if passage.section not in self._asking and (ask := _asked(heading)) is not None:
                self._asking[passage.section] = (ask, frozenset(stem(w, NB) for w in content_words(heading, NB)),
                                                 frozenset(stem(w, NB) for w in words(heading)), index)

    @classmethod
    def build(cls, guideline: Guideline, params: RetrievalParams | None = None, policy: Policy | None = None,
              cache: VectorCache | None = None, contact: str = "") -> AnswerEngine:
        """With the semantic signal when the model is installed (slow the first time: run off the loop)."""
        embedder = load_embedder()
        semantic = SemanticIndex.build(guideline, embedder, cache) if embedder is not None else None
        return cls(guideline, params, semantic, policy, contact)

    def with_semantic(self, semantic: SemanticIndex) -> AnswerEngine:
        """The same engine (its lexical index is reused, not rebuilt) with the semantic signal added."""
        engine = copy.copy(self)
        engine.semantic = semantic
        return engine

    @property
    def version(self) -> str:
        return self.guideline.document.version

    def answer(self, question: str) -> Answer:
        text = " ".join(question.split())
        if len(text) > MAX_QUESTION_CHARS:
            return self._declined(text[:MAX_QUESTION_CHARS], self.retriever.analyse(text[:200])[0], "too_long")
        document, text = self.document_filter(text)
        depth = self.retriever.params.rerank_depth
        result = self.retriever.search(text, limit=depth if document is None else len(self.guideline.passages))
        if not result.content_words:
            return self._declined(text, result.lang, "empty", result)
        if document is not None:
            result = replace(result, hits=tuple(h for h in result.hits if h.passage.document == document)[:depth])
        asked = self._asking_heading(result.read_as)
        ranked = self.rank(result, document, also=asked)
        ranked = _answering_first(result.read_as, ranked, None if asked is None else self.guideline.passages[asked])
        signals = self.signals(result, ranked)
        confidence = self.policy.confidence(signals)
        best = ranked[0].hit.passage if ranked else None
        if best and _unmet(result.read_as, best):
            confidence = min(confidence, UNMET_ASK_CONFIDENCE)
        outcome = self.policy.outcome(confidence, len(ranked), signals)
        if outcome == ANSWER:
            return self._answered(result, ranked, confidence)
        if outcome == CLARIFY:
            options = tuple(self._quoted(c.hit) for c in ranked[:3])
            return self._make(result.question, result.lang, CLARIFY, options, ranked, confidence, "")
        return self._make(text, result.lang, DECLINE, (), ranked, confidence, "not_covered")

    def answer_in_context(self, question: str, earlier: str | None) -> Answer:
        """A follow-up ("hva med video?", "and for Instagram?") read with the thread's earlier question: a
        short question is first answered together with it; when that does not answer, on its own."""
        if not earlier or len(content_words(question)) > FOLLOW_UP_WORDS:
            return self.answer(question)
        combined = self.answer(f"{earlier} {question}")
        if combined.outcome == ANSWER and self._covers_own_words(question, combined):
            return replace(combined, question=" ".join(question.split()))
        alone = self.answer(question)
        if alone.outcome == DECLINE and combined.outcome == CLARIFY:  # the thread's context at least narrows it
            return replace(combined, question=" ".join(question.split()))
        return alone

    def _covers_own_words(self, question: str, answer: Answer) -> bool:
        """The passage found with the thread's context must still speak of what the follow-up names
        ("hva med LinkedIn?" after an Instagram question is about LinkedIn, not Instagram again)."""
        _lang, terms = self.retriever.analyse(question)
        index = self.retriever.index_of.get(answer.passages[0].id) if answer.passages else None
        return index is not None and self.retriever.hit(tuple(terms), index).coverage >= 0.5

    def busy(self, question: str) -> Answer:
        """The polite refusal when too many questions are in flight (language detection only: no search)."""
        text = " ".join(question.split())[:MAX_QUESTION_CHARS]
        return self._declined(text, self.retriever.language_of(text), "busy")

    def quote(self, question: str, passage_id: str, lang: str) -> Answer | None:
        """One passage as an answer to a question, chosen by the asker (a "Did you mean" pick)."""
        index = self.retriever.index_of.get(passage_id)
        if index is None:
            return None
        analysed_lang, terms = self.retriever.analyse(question)
        hit = self.retriever.hit(tuple(terms), index)
        ranked = [Candidate(hit, None, 0.0)]
        return self._make(question, lang if lang in (NB, EN) else analysed_lang, ANSWER,
                          (self._quoted(hit),), ranked, 1.0, "")

    def _baseline(self) -> np.ndarray:
        if self._baselines is None:
            assert self.semantic is not None
            self._baselines = np.mean([self.semantic.similarities(q) for q in UNRELATED_QUESTIONS], axis=0)
        return self._baselines

    def document_filter(self, text: str) -> tuple[str | None, str]:
        """"foto: kan jeg …" asks one document: the word before the colon names it (its id, the start of
        its id, or a word of its title). Anything else is an ordinary question, colon and all."""
        match = _FILTER.match(text)
        documents = self.guideline.documents
        if not match or len(documents) < 2:
            return None, text
        key = fold(match.group(1).lower())
        found = [d for d in documents if d.id == key or d.id.startswith(key) or
                 (len(key) >= 4 and any(key in fold(w) for w in words(d.title) if len(w) >= 4))]
        return (found[0].id, match.group(2)) if len(found) == 1 else (None, text)

    def rank(self, result: SearchResult, document: str | None = None, also: int | None = None) -> list[Candidate]:
        """Lexical order alone, or fused with the semantic order (within one document when the question
        names one): by reciprocal rank on curated knowledge, by score on official text alone. Passage `also`
        comes last when neither order holds it (a list of who may complain, under "Hvem kan klage", meets none of
        the question's words)."""
        if self.semantic is None:
            return self._also([Candidate(h, None, 0.0) for h in result.hits], result, also, None)
        sims = self._similarities(result)
        order = sims - self._baseline() if self._mixed else sims
        if document is not None:  # passages of other documents never enter the semantic order
            order = np.where([p.document == document for p in self.guideline.passages], order, -np.inf)
        index = self.retriever.index_of
        depth = self.retriever.params.rerank_depth
        lexical = {index[h.passage.id]: (rank, h) for rank, h in enumerate(result.hits)}
        semantic_order = [int(i) for i in np.argsort(-order)[:depth] if np.isfinite(order[i])]
        hits = {i: lexical[i][1] if i in lexical else self.retriever.hit(result.terms, i)
                for i in dict.fromkeys([*lexical, *semantic_order])}
        if self._official_only:
            fused = self._by_score(hits, order)
        else:
            semantic = {i: rank for rank, i in enumerate(semantic_order)}
            fused = {i: 1.0 / (RRF_K + lexical.get(i, (depth, None))[0]) + 1.0 / (RRF_K + semantic.get(i, depth))
                     for i in hits}
        out = [Candidate(hit, float(sims[i]), fused[i]) for i, hit in hits.items()]
        out.sort(key=lambda c: -c.fused)
        return self._also(out, result, also, sims)

    def _also(self, ranked: list[Candidate], result: SearchResult, index: int | None,
              sims: np.ndarray | None) -> list[Candidate]:
        if index is None or any(c.hit.passage is self.guideline.passages[index] for c in ranked):
            return ranked
        similarity = None if sims is None else float(sims[index])
        return [*ranked, Candidate(self.retriever.hit(result.terms, index), similarity, 0.0)]

    def _asking_heading(self, question: str) -> int | None:
        """The first passage under the one heading that asks the question itself ("1. Hvem kan klage" for "hvem kan
        klage?"): the same ask, its every meaningful word in the question, and more of the question's words than any
        other such heading has ("hvem skal jeg klage til?" is "Hvem klages det til", not "Hvem kan klage"). None
        when two headings fit alike: then the rankings decide."""
        ask = _asked(question)
        if ask is None or not self._asking:
            return None
        meaning = _norwegian_stems(question)
        typed = {stem(w, NB) for w in words(question)}
        best = sorted(((len(every & typed), index) for asks, wanted, every, index in self._asking.values()
                       if asks == ask and wanted and wanted <= meaning), reverse=True)
        if not best or len(best) > 1 and best[0][0] == best[1][0]:
            return None
        return best[0][1]

    def _by_score(self, hits: dict[int, Hit], order: np.ndarray) -> dict[int, float]:
        """Official text alone: the passages of one guideline sit within a few hundredths of each other in
        similarity, so a rank apart says little; the lexical score (share of the best) less a step per
        SIMILARITY_STEP below the most similar passage. On the day-one sets first-place hits rose 0.814 ->
        0.842, on a fresh set of real pages 0.667 -> 0.767; on curated knowledge (the best of many curated
        texts per passage) ranks fuse better, so it keeps reciprocal-rank fusion."""
        floor = self.retriever.params.rerank_floor
        lexical = {i: h.score * (floor + h.coverage) for i, h in hits.items()}
        top = max(lexical.values(), default=0.0) or 1.0
        best = max(float(order[i]) for i in hits)
        return {i: lexical[i] / top + SIMILARITY_WEIGHT * (float(order[i]) - best) / SIMILARITY_STEP for i in hits}

    def _similarities(self, result: SearchResult) -> np.ndarray:
        """Semantic similarity per passage. An English question is also embedded in the vocabulary's Norwegian
        words, and for a passage with no translation the two similarities are averaged: official Norwegian
        text is closer to its own words than to the English of the question. (Averaged for the decision
        too: on the tuning half that answered three more questions right than averaging for the order only.)"""
        assert self.semantic is not None
        sims = self.semantic.similarities(result.read_as)
        if result.lang != EN or not self.retriever.untranslated.any():
            return sims
        gloss = norwegian_gloss(result.read_as)
        if gloss == " ".join(words(result.read_as)):
            return sims
        return np.where(self.retriever.untranslated, (sims + self.semantic.similarities(gloss)) / 2, sims)

    def signals(self, result: SearchResult, ranked: list[Candidate]) -> Signals:
        unknown = self.retriever.unknown_share(result.terms)
        if not ranked:
            return Signals(0.0, unknown, None if self.semantic is None else 0.0, False, 0.0)
        top = ranked[0]
        curated = self.curated.get(top.hit.passage.document, 0.0)
        runner_up = ranked[1].hit if len(ranked) > 1 else None
        coverage_margin = top.hit.coverage - (runner_up.coverage if runner_up else 0.0)
        runner_up_score = runner_up.score if runner_up else 0.0
        score_margin = 1.0 - runner_up_score / top.hit.score if top.hit.score > 0 else 0.0
        if top.similarity is None:
            return Signals(top.hit.coverage, unknown, curated=curated, coverage_margin=coverage_margin,
                           score_margin=score_margin)
        others = [c.similarity for c in ranked[1:] if c.similarity is not None]
        best_other = max(others) if others else 0.0
        lexical_top = result.hits[0].passage.id if result.hits else None
        semantic_top = max(ranked, key=lambda c: c.similarity or 0.0).hit.passage.id
        return Signals(top.hit.coverage, unknown, top.similarity, lexical_top == semantic_top,
                       top.similarity - best_other, curated, coverage_margin, score_margin)

    def _answered(self, result: SearchResult, ranked: list[Candidate], confidence: float) -> Answer:
        top = ranked[0]
        floor = max(top.hit.score * self.retriever.params.related_ratio, 0.0)
        related = [c for c in ranked[1:3] if c.hit.coverage >= self.retriever.params.min_coverage
                   and (c.similarity is None or top.similarity is None or c.similarity >= top.similarity - 0.03)
                   and (top.similarity is not None or c.hit.score >= floor)][:2]
        other = self._other_document(top, ranked, floor)
        if other is not None and all(c.hit.passage.document == top.hit.passage.document for c in related):
            related = [*related[:1], other]  # what another document says on the same question is shown beside it
        passages = tuple(self._quoted(c.hit) for c in (top, *related))
        return self._make(result.question, result.lang, ANSWER, passages, ranked, confidence, "")

    def _other_document(self, top: Candidate, ranked: list[Candidate], floor: float) -> Candidate | None:
        """The best close candidate from another document than the answer's: two guidelines on the same
        question are both shown, each with its source."""
        for c in ranked[1:5]:
            if c.hit.passage.document == top.hit.passage.document or c.hit.coverage < self.retriever.params.min_coverage:
                continue
            lexically_as_good = c.hit.coverage >= top.hit.coverage - 0.1 and c.hit.score >= floor
            # a curated passage matches its own alternative questions almost exactly: beside it, an uncurated
            # document's similarity is low even when it says the same thing, so the words decide too
            close = c.similarity is not None and top.similarity is not None and c.similarity >= top.similarity - 0.06
            if lexically_as_good or close:
                return c
        return None

    def _quoted(self, hit: Hit) -> QuotedPassage:
        return QuotedPassage.of(hit, self.guideline.document_of(hit.passage))

    def _declined(self, text: str, lang: str, reason: str, result: SearchResult | None = None) -> Answer:
        ranked = [Candidate(h, None, 0.0) for h in result.hits] if result else []
        return self._make(text, lang, DECLINE, (), ranked, 0.0, reason)

    def _make(self, question: str, lang: str, outcome: str, passages: tuple[QuotedPassage, ...],
              ranked: list[Candidate], confidence: float, reason: str) -> Answer:
        doc = self.guideline.document
        if passages and passages[0].document_id:  # the answer names the document it quotes
            doc = self.guideline.document_by_id(passages[0].document_id) or doc
        candidates = tuple(self._quoted(c.hit) for c in ranked[:5])
        if outcome == CLARIFY:
            candidates = passages + tuple(c for c in candidates if c not in passages)
        return Answer(question=question, lang=lang if lang in (NB, EN) else NB, outcome=outcome,
                      passages=passages, candidates=candidates[:5], confidence=round(confidence, 3),
                      version=doc.version, document_title=doc.title, contact=self.contact or doc.contact, reason=reason)


CONTENDER_COVERAGE_GAP = 0.15  # a passage this much less covered than the first is no contender
CONTENDERS = 5  # the first this many candidates are weighed


def _answering_first(question: str, ranked: list[Candidate], asked: Passage | None = None) -> list[Candidate]:
    """The passage under the heading that asks the question itself (`asked`), when it gives what is asked.
    Otherwise the first of the five best candidates that gives what the question asks for, when the best does not
    and it covers the question about as well: a "who" question the passage that names a role or a body (on the
    day-one and real-page sets a third of them had a passage without anyone in it first, and the one naming
    the manager second), a "when was it adopted" question the passage with the date, a "where" question the
    passage naming the place; and among those that give it, one under a heading that asks what the question asks
    ("Når brukes tolk?")."""
    known: dict[str, bool] = {}  # the asks' patterns are the costliest step of an answer: each passage once

    def gives(candidate: Candidate) -> bool:
        passage = candidate.hit.passage
        if passage.id not in known:
            known[passage.id] = not (asks_who(question) and not names_someone(question, passage.text)) and \
                _unmet(question, passage) is None
        return known[passage.id]

    if not ranked:
        return ranked
    if asked is not None:  # the heading asks exactly what was asked ("hvem kan klage" over "• Brukere • Pårørende")
        for index, candidate in enumerate(ranked):
            passage = candidate.hit.passage  # (who may complain are groups of people, not a role to be named)
            if passage is asked and _unmet(question, passage) is None:
                return [candidate, *ranked[:index], *ranked[index + 1:]]
    floor = ranked[0].hit.coverage - CONTENDER_COVERAGE_GAP
    if not gives(ranked[0]):
        for index, candidate in enumerate(ranked[1:CONTENDERS], start=1):
            if candidate.hit.coverage >= floor and gives(candidate):
                ranked = [candidate, *ranked[:index], *ranked[index + 1:]]
                break
    ask = _asked(question)
    if ask is None or _asked(_heading_of(ranked[0])) == ask or not gives(ranked[0]):
        return ranked
    for index, candidate in enumerate(ranked[1:CONTENDERS], start=1):
        if candidate.hit.coverage >= floor and _asked(_heading_of(candidate)) == ask and gives(candidate):
            return [candidate, *ranked[:index], *ranked[index + 1:]]  # "Når brukes tolk?" for "når skal jeg bruke tolk"
    return ranked


def _unmet(question: str, passage: Passage) -> str | None:
    """What the question asks that the passage does not give, read from its text, its section and the questions the
    comms team gave it."""
    return unmet_ask(question, passage.text, " ".join(passage.section), passage.questions)


def _numberless(heading: str) -> str:
    """"3. Hvem klages det til(i prioritert rekkefølge)" asks "Hvem klages det til": no number, no remark."""
    return re.sub(r"\s*\([^)]*\)", "", strip_number(heading)).strip()


@functools.lru_cache(maxsize=256)
def _norwegian_stems(question: str) -> frozenset[str]:
    """The question's words as Norwegian stems, an English question's through the general vocabulary too ("who do
    I complain to?" asks "Hvem klages det til?")."""
    return frozenset(stem(w, NB) for w in content_words(f"{question} {norwegian_gloss(question)}", NB))


# A page of questions and answers: a heading that asks what the question asks ("Når brukes tolk?" for "når skal jeg
# bruke tolk?", "Hvem kan tolke?" for "who can interpret?") heads the answer, where every rule shares the topic word.
_ASKING = {"når": "when", "when": "when", "hvem": "who", "kven": "who", "who": "who", "hvordan": "how",
           "korleis": "how", "how": "how", "hvor": "where", "kor": "where", "where": "where", "hvorfor": "why",
           "kvifor": "why", "why": "why"}
_HOW_MUCH = {"mange", "mye", "mykje", "lenge", "stor", "store", "ofte", "many", "much", "long", "big", "often"}


def _asked(text: str) -> str | None:
    """What a question (or a heading that asks one) wants: when, who, how, where, why; "hvor mange"/"how long"
    and the like are asks of their own."""
    tokens = text.lower().rstrip("?").split()
    if not tokens:
        return None
    ask = _ASKING.get(tokens[0])
    if ask is not None and len(tokens) > 1 and tokens[1] in _HOW_MUCH:
        return f"{ask} {tokens[1]}"
    return ask


def _heading_of(candidate: Candidate) -> str:
    """The heading right above a passage when it asks a question with a question mark; otherwise nothing."""
    section = candidate.hit.passage.section
    heading = _numberless(section[-1]) if section else ""
    return heading if heading.endswith("?") else ""
