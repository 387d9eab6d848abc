"""BM25 retrieval over the guideline's passages, with a confidence that knows when to decline.

BM25 scores have no scale: the least bad passage for "what's for lunch?" still gets a score. The
confidence here is instead *coverage*: the share of the question's meaning (its content words, weighted
by how rare they are) that the best passage actually contains. A question whose key words the guideline
never uses is declined, however high the raw score of a passage that matches one common word.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from .analysis import (DEFINITION_QUESTION, DEFINITION_STEMS, EN, EN_STOPWORDS, NB, NB_STOPWORDS, Glossary,
                       QueryTerm, TypoIndex, content_words, detect_language, normalise, phrase_token, stem, words)
from .cognates import Cognates
from .knowledge import GlossaryEntry, Guideline, Passage, query_glossary
from .nynorsk import is_nynorsk, to_bokmaal


EXAMPLE_MATCH = 0.5  # Jaccard of stems between a question and an attached example that counts as "the same"
COMPOUND_HEAD_LETTERS = 5  # a question word this long may be the last part of a compound of the guideline
ENDING_CACHE_SIZE = 4096  # question words whose compounds in the guideline are remembered (each one is a scan)


@dataclass(frozen=True)
class RetrievalParams:
    """Weights and thresholds, measured on tests/eval/questions.yaml (see bench/retrieval.py)."""

    k1: float = 1.2
    b: float = 0.5
    title_weight: int = 2
    expansion_weight: float = 0.4
    min_coverage: float = 0.52
    related_ratio: float = 0.55
    unknown_word_factor: float = 1.0
    context_word_factor: float = 0.5
    rerank_depth: int = 8
    rerank_floor: float = 1.0  # final order: BM25 score × (floor + coverage); a large floor keeps BM25 order
    inverted: bool = True  # score only the passages that contain a term (False: rank-bm25's full scan)


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    coverage: float


@dataclass(frozen=True)
class SearchResult:
    question: str
    lang: str
    hits: tuple[Hit, ...]
    content_words: tuple[str, ...]
    terms: tuple[QueryTerm, ...] = ()
    read_as: str = ""  # the question as analysed: Nynorsk forms in Bokmål, so the model reads it the same way

    @property
    def confidence(self) -> float:
        return self.hits[0].coverage if self.hits else 0.0


class Postings:
    """An inverted index over rank-bm25's own term statistics: a term's BM25 score is computed only for
    the passages that contain it, with the same formula and the same idf, so the scores are those of
    `BM25Okapi.get_scores` while the cost follows the term's passages, not the whole corpus."""

    def __init__(self, bm25: BM25Okapi) -> None:
        self.size = bm25.corpus_size
        self.idf = bm25.idf
        self.k1, self.b, self.avgdl = bm25.k1, bm25.b, bm25.avgdl
        self.doc_len = np.asarray(bm25.doc_len, dtype=float)
        lists: dict[str, tuple[list[int], list[int]]] = {}
        for index, frequencies in enumerate(bm25.doc_freqs):
            for term, count in frequencies.items():
                docs, counts = lists.setdefault(term, ([], []))
                docs.append(index)
                counts.append(count)
        self.lists = {term: (np.asarray(docs, dtype=np.int64), np.asarray(counts, dtype=float))
                      for term, (docs, counts) in lists.items()}

    def sparse(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The passages containing `term` and their scores for it."""
        found = self.lists.get(term)
        if found is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        docs, q_freq = found
        doc_len = self.doc_len[docs]
        # the expression of rank_bm25.BM25Okapi.get_scores, term by term, on this term's passages only
        return docs, (self.idf.get(term) or 0) * (q_freq * (self.k1 + 1) /
                                                  (q_freq + self.k1 * (1 - self.b + self.b * doc_len / self.avgdl)))

    def best(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per passage containing any of `terms`, its best score among them (alternatives of one word)."""
        if len(terms) == 1:
            return self.sparse(terms[0])
        best = np.zeros(self.size)
        for term in terms:
            docs, values = self.sparse(term)
            best[docs] = np.maximum(best[docs], values)
        docs = np.flatnonzero(best)
        return docs, best[docs]

    def scores(self, term: str) -> np.ndarray:
        """Dense, as rank-bm25 returns them (for comparison)."""
        out = np.zeros(self.size)
        docs, values = self.sparse(term)
        out[docs] = values
        return out


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """The k best indices, best first, in the order a full stable sort would give."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k - 1)[:k]
    threshold = scores[part].min()
    candidates = np.flatnonzero(scores >= threshold)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:k]


def _phrase_token(parts: list[str], lang: str) -> str:
    return "§" + "_".join(stem(w, lang) for w in parts)


def _other(lang: str) -> str:
    return EN if lang == NB else NB


class Retriever:
    """An index over one guideline version; immutable once built, so it can be shared across tasks."""

    def __init__(self, guideline: Guideline, params: RetrievalParams | None = None) -> None:
        self.guideline = guideline
        self.params = params or RetrievalParams()
        self._nynorsk = frozenset(d.id for d in guideline.documents if d.language == "nn")
        self.glossary_entries = query_glossary(guideline)
        self.glossary = Glossary(self.glossary_entries)
        self._phrases = self._keyword_phrases(guideline)
        self._english_words = frozenset(w for p in guideline.passages for w in words(p.translation)) - NB_STOPWORDS
        self._nb_words = frozenset(w for p in guideline.passages for w in words(p.text + " " + p.title))
        self._compound_parts = frozenset(w for w in self._nb_words if len(w) >= 3) | self._glossary_nb_words()
        self._stem_parts = frozenset(stem(w, NB) for w in self._compound_parts)
        documents = [self._document_tokens(p) for p in guideline.passages]
        self._examples = self._examples_of(guideline)
        self._doc_sets = [frozenset(d) for d in documents]
        self.index_of = {p.id: i for i, p in enumerate(guideline.passages)}
        self.untranslated = np.array([not p.translation for p in guideline.passages], dtype=bool)  # no English yet
        self._cognates = Cognates(w for p in guideline.passages if not p.translation
                                  for w in content_words(self._bokmaal_too(p, p.text + " " + p.title), NB))
        self.bm25 = BM25Okapi(documents, k1=self.params.k1, b=self.params.b)
        self.postings = Postings(self.bm25)
        self.vocabulary = frozenset(self.bm25.idf)
        self._surface = self._surface_vocabulary(guideline, self.glossary_entries)
        official = {w for p in guideline.passages if not p.translation
                    for w in content_words(self._bokmaal_too(p, f"{p.title} {p.text}"), NB)}
        glossary_words = {w for e in self.glossary_entries for t in e.nb for w in words(t)}
        self._glossary_heads = frozenset(w for w in glossary_words if len(w) >= 4)
        self._known_words = frozenset(glossary_words | official)
        # words of the vocabulary in any inflection: real words, which no typo repair turns into another
        self._vocabulary_stems = {NB: frozenset(stem(w, NB) for w in glossary_words if len(w) >= 4),
                                  EN: frozenset(stem(w, EN) for e in self.glossary_entries for t in e.en
                                                for w in words(t) if len(w) >= 4)}
        self._with_head = self._compounds_by_head(official)
        self._ending_cache: dict[str, tuple[str, ...]] = {}
        self.typos = {lang: TypoIndex(vocab) for lang, vocab in self._surface.items()}
        self.stem_typos = TypoIndex(self.vocabulary)
        n = len(documents)
        df = Counter(s for d in self._doc_sets for s in d)
        self._weight = {s: math.log((n + 1) / (c + 0.5)) for s, c in df.items()}
        # A word the guideline never uses counts like a typical guideline word: enough to sink "what's for
        # lunch?", not so much that one everyday word ("funker") sinks an otherwise covered question.
        self._unknown_weight = float(np.median(list(self._weight.values()))) * self.params.unknown_word_factor

    # --- index side -------------------------------------------------------------------------------
    def _glossary_nb_words(self) -> frozenset[str]:
        return frozenset(w for e in self.glossary_entries for t in e.nb for w in words(t) if len(w) >= 3)

    def _compounds_by_head(self, official: set[str]) -> dict[str, frozenset[str]]:
        """Compounds of official text nobody has curated, by their last part when it is a word of the
        vocabulary: "law" asks for "lov", and "arbeidsmiljøloven" is a law; "lunch break" asks for "pause",
        and "spisepause" is one. (Curated passages have their own words for what they are about.)"""
        found: dict[str, set[str]] = {}
        for word in official:
            if (head := self._head_of(word)) is not None and stem(head, NB) != stem(word, NB):
                found.setdefault(stem(head, NB), set()).add(stem(word, NB))
        return {head: frozenset(tokens) for head, tokens in found.items()}

    def _head_of(self, word: str) -> str | None:
        """A compound's last part when it is a vocabulary word of four letters or more, written as such, and
        its first part is a word too: "spisepause" → "pause"; not "leverandør" → "dør", "forebygge" →
        "bygge" (a prefix), "fastlegen" → "egen" ("fastl" is no word), "arbeidstøy" → "støy" ("arbeids-tøy")."""
        for i in range(3, len(word) - 3):
            head, left = word[i:], word[:i]
            if head not in self._glossary_heads or left in _VERB_PREFIXES or (head[0] == "s" and left in self._known_words):
                continue
            if any(part in self._known_words for part in _without_linking_letter(left)):
                return head
        return None

    @staticmethod
    def _keyword_phrases(guideline: Guideline) -> dict[tuple[str, ...], str]:
        """Multi-word keywords by their stem sequence (in either language) → the token they are indexed as."""
        phrases: dict[tuple[str, ...], str] = {}
        for p in guideline.passages:
            for keyword in p.keywords:
                parts = content_words(keyword)
                if len(parts) > 1:
                    for lang in (NB, EN):
                        phrases[tuple(stem(w, lang) for w in parts)] = _phrase_token(parts, lang)
        return phrases

    @staticmethod
    def _surface_vocabulary(guideline: Guideline, glossary: tuple[GlossaryEntry, ...]) -> dict[str, set[str]]:
        """Known spellings per language: a Norwegian typo is never "corrected" into an English word."""
        vocab: dict[str, set[str]] = {NB: set(), EN: set()}
        for p in guideline.passages:
            vocab[NB].update(content_words(p.text + " " + p.title, NB))
            vocab[EN].update(content_words(p.translation, EN))
            for question in p.questions:
                lang = detect_language(question)
                vocab[lang].update(content_words(question, lang))
            for keyword in p.keywords:
                for lang in (NB, EN):
                    vocab[lang].update(content_words(keyword, lang))
        for entry in glossary:
            vocab[EN].update(w for term in entry.en for w in words(term))
            vocab[NB].update(w for term in entry.nb for w in words(term))
        return vocab

    def _bokmaal_too(self, p: Passage, text: str) -> str:
        """A Nynorsk document's text with its Bokmål reading beside it, as questions are read."""
        return f"{text} {to_bokmaal(text)}" if p.document in self._nynorsk else text

    def _document_tokens(self, p: Passage) -> list[str]:
        tokens: list[str] = []
        text, title, section = (self._bokmaal_too(p, part) for part in (p.text, p.title, p.section[-1]))
        modifiers = not p.translation  # uncurated official text (curated knowledge indexes as it always has)
        tokens += self._nb_stems(text, modifiers)
        tokens += self._nb_stems(title, modifiers) * self.params.title_weight
        tokens += self._nb_stems(section, modifiers)
        tokens += [token for part in (text, title, section) for token in self.glossary.phrases_in(part)]
        if modifiers and (not p.section or p.section[-1].lower() in _INTRODUCTIONS):
            # before the first heading a page speaks of itself: "Vedtatt i kommunestyret 15. desember 2016" is
            # when the pay policy of the title was adopted
            tokens += self._nb_stems(self._bokmaal_too(p, self.guideline.document_of(p).title), modifiers)
        if modifiers and _defines(text):
            tokens.append(DEFINITION_TOKEN)  # "what counts as overtime?" is asked of "Overtid er pålagt arbeid …"
        tokens += [stem(w, EN) for w in content_words(p.translation, EN)]
        for question in p.questions:
            lang = detect_language(question)
            if lang == EN and not p.translation:  # an example, not vocabulary: see _examples_of
                continue
            tokens += [stem(w, lang) for w in content_words(question, lang)]
        for keyword in p.keywords:
            parts = content_words(keyword)
            if len(parts) > 1:  # a phrase matches only as a phrase: "nursing home" must not make "home" a topic
                tokens += sorted({_phrase_token(parts, NB), _phrase_token(parts, EN)})
                continue
            for w in parts:
                tokens += sorted({stem(w, NB), stem(w, EN)})
        return tokens

    @staticmethod
    def _examples_of(guideline: Guideline) -> list[tuple[int, frozenset[str]]]:
        """English questions attached to a passage that has no English text (a fresh import): in the BM25
        bag their everyday words ("work", "home", "leave") would be the only English in the corpus, so rare
        that every English question would land on that passage. They count as examples instead: a question
        worded much like one of them finds its passage; other questions are not pulled there."""
        return [(index, stems) for index, p in enumerate(guideline.passages) if not p.translation
                for question in p.questions if detect_language(question) == EN
                if (stems := frozenset(stem(w, EN) for w in content_words(question, EN)))]

    def _example_matches(self, terms: list[QueryTerm], lang: str) -> dict[int, float]:
        """Passages with an example worded much like the question (Jaccard of stems ≥ 0.5), by similarity."""
        if lang != EN or not self._examples:
            return {}
        asked = frozenset(s for t in terms if t.original for s in t.stems[:1])
        found: dict[int, float] = {}
        for index, stems in self._examples:
            similarity = len(asked & stems) / len(asked | stems)
            if similarity >= EXAMPLE_MATCH and similarity > found.get(index, 0.0):
                found[index] = similarity
        return found

    def _nb_stems(self, text: str, modifiers: bool = False) -> list[str]:
        out = []
        for w in content_words(text, NB):
            out.append(stem(w, NB))
            parts = self._split_compound(w) or (self._known_modifier(w) if modifiers else ())
            out.extend(stem(part, NB) for part in parts)
        return out

    def _known_modifier(self, word: str) -> tuple[str, ...]:
        """The first part of an official text's compound when only that part is a known word: "kris" for
        "krisesituasjoner", so that "krise" in a question reaches it. Official text that nobody has curated
        yet has no alternative questions in simpler words; on the day-one sets, right answers rose 0.565 ->
        0.579 (22 guidelines in one directory) and first-place hits on real municipal pages 0.65 -> 0.66."""
        if len(word) < 8:
            return ()
        for i in range(len(word) - 4, 3, -1):  # the longest known first part, leaving at least four letters
            left = word[:i]
            for part in _without_linking_letter(left):
                if len(part) >= 4 and part in self._compound_parts:
                    return (part,)
        return ()

    def _split_compound(self, word: str, head_only: bool = False) -> tuple[str, ...]:
        """kommunikasjonssjef → (kommunikasjon, sjef): both parts must be words the guideline uses.

        For a question word (`head_only`), a known last part is enough: in a Norwegian compound the last
        part carries the meaning ("avisdebatt" is a kind of "debatt").
        """
        if len(word) < 8:
            return ()
        best: tuple[str, ...] = ()
        for i in range(3, len(word) - 2):
            left, right = word[:i], word[i:]
            if right not in self._compound_parts and stem(right, NB) not in self._stem_parts:
                continue
            if len(stem(right, NB)) < 4:  # "passordet" is not "pass" + "ordet"
                continue
            if left in _VERB_PREFIXES:  # "foreldrene" is no kind of "eldre", "forslag" none of "slag"
                continue
            known_left = next((c for c in _without_linking_letter(left) if c in self._compound_parts), None)
            head_ok = head_only and len(right) >= 5
            split = (known_left, right) if known_left else ((right,) if head_ok else ())
            if split and (not best or (len(split), min(map(len, split))) > (len(best), min(map(len, best)))):
                best = split
        return best

    # --- query side -------------------------------------------------------------------------------
    def language_of(self, question: str) -> str:
        return self._read(question)[1]

    def _read(self, question: str) -> tuple[str, str]:
        """The question as it is analysed (Nynorsk forms in Bokmål) and its language."""
        if is_nynorsk(question):
            return to_bokmaal(question), NB
        return question, detect_language(question, self._english_words)

    def analyse(self, question: str) -> tuple[str, list[QueryTerm]]:
        """The question as weighted terms: typed words (with typo and compound repair) and glossary additions."""
        return self._terms(*self._read(question))

    def _terms(self, question: str, lang: str) -> tuple[str, list[QueryTerm]]:
        other = _other(lang)
        typed = [w for w in words(_without_definition_verb(question)) if w not in NB_STOPWORDS and w not in EN_STOPWORDS
                 and len(w) > 1]
        terms: list[QueryTerm] = []
        units = self._phrase_units(typed) if lang == NB else {}
        for position, word in enumerate(typed):
            if position in units:
                terms.append(units[position][0])
            elif not any(start < position < start + length for start, (_unit, length) in units.items()):
                terms.extend(self._word_terms(word, lang, other))
        additions: dict[int, set[str]] = {}
        tails: dict[int, int] = {}
        for seq_lang in (lang, other):
            # a word of the asker's language is not read as the other's: the English "time" is no Norwegian
            # "time" (lesson), so it does not ask for "undervisning"
            sequence = [stem(w, seq_lang) if seq_lang == lang or w not in self._surface[lang] else ""
                        for w in typed]
            for position, extra in self.glossary.expand(sequence).items():
                additions.setdefault(position, set()).update(self._indexed(extra))
            tails.update(self.glossary.phrase_tails(sequence))
        if lang == NB:
            particles, phrases_alone = self._particle_additions(question)
            for position, extra in [*particles.items(), *self._head_additions(typed).items()]:
                additions.setdefault(position, set()).update(extra)
            terms.extend(phrases_alone)
        for seq_lang in (lang, other):
            sequence = [stem(w, seq_lang) for w in typed]
            for start in range(len(sequence)):
                for length in (2, 3, 4):
                    token = self._phrases.get(tuple(sequence[start:start + length]))
                    if token and start + length <= len(sequence):
                        terms.extend(QueryTerm(typed[i], (token,), 1.0, False) for i in range(start, start + length))
        for position, extra in sorted(additions.items()):
            if extra:
                terms.append(QueryTerm(typed[position], tuple(sorted(extra)), self.params.expansion_weight, False))
        for position, first in sorted(tails.items()):
            # the phrase's other words count as half covered where its first word's additions are; they score nothing
            if additions.get(first) and typed[position] != typed[first]:
                terms.append(QueryTerm(typed[position], tuple(sorted(additions[first])), 0.0, False, partial=True))
        if lang == EN:
            terms.extend(self._function_word_terms(question))
        if DEFINITION_QUESTION.match(normalise(question)) and DEFINITION_STEMS & self.vocabulary \
                and not _PERSONAL.search(question):  # "hva er lønnen min?" asks for a fact about me
            terms.append(QueryTerm("(definition)", tuple(sorted(DEFINITION_STEMS & self.vocabulary)),
                                   self.params.expansion_weight, False))
        return lang, terms

    def _phrase_units(self, typed: list[str]) -> dict[int, tuple[QueryTerm, int]]:
        """Particle verbs of the glossary typed in a question ("ta imot", "legge ut"), by the position of their
        first word: one term for the phrase, matched by the phrase or by any of its words, so that a particle verb
        counts once, not once a word ("kan jeg ta imot en konfekteske til jul" is about the chocolates as much as
        about accepting). A noun phrase ("etiske retningslinjer") is not one: matched by any of its words, every
        passage that says "retningslinjene" covered "etiske" in "hva er formålet med de etiske retningslinjene?"."""
        stems = [stem(w, NB) for w in typed]
        units: dict[int, tuple[QueryTerm, int]] = {}
        position = 0
        while position < len(stems):
            phrase = next((ph for ph in self.glossary.nb_phrases.get(stems[position], ())
                           if tuple(stems[position:position + len(ph)]) == ph), None)
            if phrase is None or not all(w in _PARTICLES for w in phrase[1:]):
                position += 1
                continue
            units[position] = (QueryTerm(typed[position], (phrase_token(phrase), *dict.fromkeys(phrase)), 1.0, True),
                               len(phrase))
            position += len(phrase)
        return units

    def _particle_additions(self, question: str) -> tuple[dict[int, set[str]], list[QueryTerm]]:
        """Glossary additions for a verb with its particle ("legge ut", "ta opp"), found in the question's words
        with the stopwords the typed words have lost, by the position of the verb among the typed words; and
        a phrase of stopwords only ("si fra": report, tell) as a term of its own: dropped with its stopwords,
        "hvem skal jeg si fra til når jeg er syk" asked only "syk"."""
        every = words(question)
        kept = {i: typed_index for typed_index, i in enumerate(
            i for i, w in enumerate(every) if w not in NB_STOPWORDS and w not in EN_STOPWORDS and len(w) > 1)}
        attached: dict[int, set[str]] = {}
        alone: list[QueryTerm] = []
        for position, extra in sorted(self.glossary.expand_particles([stem(w, NB) for w in every]).items()):
            known = {s for s in extra if s in self.vocabulary}
            if position in kept:
                attached[kept[position]] = known
            elif known and all(w in NB_STOPWORDS or len(w) < 2 for w in every[position:position + 2]):
                alone.append(QueryTerm(" ".join(every[position:position + 2]), tuple(sorted(known)), 1.0, True))
        return attached, alone

    def _head_additions(self, typed: list[str]) -> dict[int, set[str]]:
        """Glossary additions for the last part of a compound the guideline does not use: "jobbmailen" is a
        kind of "mail", which the vocabulary knows as "e-post"."""
        found: dict[int, set[str]] = {}
        for position, word in enumerate(typed):
            if stem(word, NB) in self.vocabulary or (head := self._head_of(word)) is None:
                continue
            found[position] = self._indexed(self.glossary.expand([stem(head, NB)]).get(0, set()))
        return found

    def _indexed(self, stems: set[str]) -> set[str]:
        """Glossary stems as the index has them: the stems it holds, and its compounds that end in one."""
        return {s for s in stems if s in self.vocabulary} | {c for s in stems for c in self._with_head.get(s, ())}

    def _compounds_ending(self, typed: str) -> tuple[str, ...]:
        """The guideline's compounds whose last part is a Norwegian word of the question it never uses alone.
        Five letters at least and a first part of three, not a verb prefix: "konflikt" finds
        "personalkonflikt", "dør" finds no "leverandør" and "bygge" no "forebygge"."""
        if len(typed) < COMPOUND_HEAD_LETTERS:
            return ()
        if typed not in self._ending_cache:
            if len(self._ending_cache) >= ENDING_CACHE_SIZE:  # a long-running service meets endless new words
                self._ending_cache.clear()
            self._ending_cache[typed] = tuple(sorted(
                s for s in self.vocabulary if len(s) >= len(typed) + 3 and s.endswith(typed)
                and s[:-len(typed)] not in _VERB_PREFIXES and not s.startswith("§")))
        return self._ending_cache[typed]

    def _function_word_terms(self, question: str) -> list[QueryTerm]:
        """Glossary additions for English stopwords that carry meaning ("my own" → egen), each set once."""
        every = [w for w in words(question) if len(w) > 1]
        terms: list[QueryTerm] = []
        for position, extra in sorted(self.glossary.expand_function_words([stem(w, EN) for w in every]).items()):
            known = tuple(sorted(self._indexed(extra)))
            if known and all(t.stems != known for t in terms):
                terms.append(QueryTerm(every[position], known, self.params.expansion_weight, False))
        return terms

    def _word_terms(self, word: str, lang: str, other: str) -> list[QueryTerm]:
        """A typed word's terms: its stems, its compound parts, or a typo repair when it is unknown.

        The other language's stem counts only for a word of that language ("facebooksiden" in an English
        question), so an English "order" never matches the Norwegian "ord"."""
        own = tuple(dict.fromkeys([stem(word, lang)] + ([stem(word, other)] if word in self._surface[other] else [])))
        actions = self._action_nouns(own[0]) if lang == NB else ()
        if actions and not any(s in self.vocabulary for s in own):
            own, actions = (*own, *actions), ()  # the guideline has only the other form: it stands in fully
        known = any(s in self.vocabulary for s in own)
        parts = self._split_compound(word, head_only=True) if (lang == NB or not known) else ()
        terms = [QueryTerm(word, own, 1.0, True)]
        if actions:  # beside the typed form, which keeps its own rarity ("trening" is no rarer for "trene")
            terms.append(QueryTerm(word, actions, self.params.expansion_weight, False))
        if parts:
            part_stems = tuple(dict.fromkeys(stem(p, NB) for p in parts))
            terms.append(QueryTerm(word, part_stems, 0.5 if known else 1.0, False, partial=len(parts) == 1,
                                   compound=True))
        elif not known and lang == NB and (compounds := self._compounds_ending(stem(word, NB))):
            # "konflikt" in a question, only "personalkonflikt" in the guideline: a kind of conflict
            terms[0] = QueryTerm(word, (*own, *compounds), 1.0, True)
        elif not known and lang == EN and (cognates := self._cognates.of(word)):
            # "camera" in a question, "kamera" in untranslated official text: spelt alike, meant alike
            terms[0] = QueryTerm(word, tuple(dict.fromkeys(stem(c, NB) for c in cognates)), 1.0, True)
        elif not known and own[0] not in self._vocabulary_stems[lang]:  # "avisen" is a newspaper, no typo of "anvise"
            corrected = self.typos[lang].correct(word)
            fixed: tuple[str, ...] = (stem(corrected, lang), stem(corrected, other)) if corrected else ()
            fixed = fixed or tuple(s for s in [self.stem_typos.correct(own[0])] if s)
            if fixed:
                terms[0] = QueryTerm(word, tuple(dict.fromkeys(fixed)), 1.0, True)
        return terms

    def _action_nouns(self, stemmed: str) -> tuple[str, ...]:
        """A verb and the noun of its action meet both ways ("behandle" / "behandling", "favorisere" /
        "favorisering", "godkjenning" / "godkjenne"), where the guideline uses one and the question the other."""
        if stemmed.endswith("ering") and len(stemmed) >= 9:
            others = [stemmed[:-5]]
        elif stemmed.endswith("ing") and len(stemmed) >= 7:
            others = [stemmed[:-3]]
        else:
            others = [stemmed + "ing", stemmed + "ering"] if len(stemmed) >= 4 else []
        return tuple(o for o in others if o in self.vocabulary and o != stemmed)

    def search(self, question: str, limit: int = 5) -> SearchResult:
        read_as, lang = self._read(question)
        lang, terms = self._terms(read_as, lang)
        typed = tuple(t.word for t in terms if t.original)
        if not terms:
            return SearchResult(question, lang, (), typed, (), read_as)
        scores = np.zeros(len(self.guideline.passages))
        for term in terms:
            known = [s for s in term.stems if s in self.vocabulary]
            if not known or term.weight == 0.0:
                continue
            # English reaches a passage without translation only through the vocabulary: there it counts as
            # a typed word would, not as a weak expansion beside translated passages
            untranslated = lang == EN and not term.original and term.weight < 1.0
            if self.params.inverted:
                docs, best = self.postings.best(known)
                scores[docs] += (np.where(self.untranslated[docs], 1.0, term.weight) if untranslated
                                 else term.weight) * best
                continue
            per_stem = np.max([self.bm25.get_scores([s]) for s in known], axis=0)
            scores += (np.where(self.untranslated, 1.0, term.weight) if untranslated else term.weight) * per_stem
        examples = self._example_matches(terms, lang)
        if examples:
            top = float(scores.max()) + 1.0
            for index, similarity in examples.items():
                scores[index] += similarity * top
        order = _top(scores, max(limit, self.params.rerank_depth))
        hits = [Hit(self.guideline.passages[i], float(scores[i]), max(self._coverage(terms, i), examples.get(i, 0.0)))
                for i in order]
        hits.sort(key=lambda h: -h.score * (self.params.rerank_floor + h.coverage))
        return SearchResult(question, lang, tuple(hits[:limit]), typed, tuple(terms), read_as)

    def hit(self, terms: tuple[QueryTerm, ...], index: int, score: float = 0.0) -> Hit:
        """A passage found by another signal, with its coverage of the same analysed question."""
        return Hit(self.guideline.passages[index], score, self._coverage(list(terms), index))

    def unknown_share(self, terms: tuple[QueryTerm, ...]) -> float:
        """Share of the question's weight carried by words the guideline never uses (nor repairs to).

        "passordet til instagramkontoen": the topic is known, the ask ("passord") is not; such a word is
        what the guideline cannot answer, whatever a passage about Instagram scores."""
        total = unknown = 0.0
        for term in terms:
            if term.original:
                weight, known, helped = self._weigh(term, terms)
                total += weight
                unknown += weight if not known and not helped else 0.0
        return unknown / total if total else 0.0

    def _weigh(self, term: QueryTerm, terms: tuple[QueryTerm, ...] | list[QueryTerm]) -> tuple[float, bool, bool]:
        """A typed word's weight (its rarity, or a typical weight when the guideline never uses it), whether
        the guideline knows it, and whether a glossary or compound term stands in for it."""
        known = [self._weight[s] for s in term.stems if s in self._weight]
        helped = any(t.word == term.word and not t.original for t in terms)
        return (max(known) if known else self._unknown_weight), bool(known), helped

    def _weigh_unit(self, term: QueryTerm, parts: list[QueryTerm], terms: list[QueryTerm]) -> tuple[float, bool, bool]:
        """`_weigh` for a typed word together with its hyphenated parts: the weight of the rarest."""
        weighed = [self._weigh(t, terms) for t in (term, *parts) if t.original]
        return max(w for w, _k, _h in weighed), any(k for _w, k, _h in weighed), any(h for _w, _k, h in weighed)

    @staticmethod
    def _contains(term: QueryTerm, tokens: frozenset[str]) -> bool:
        """A compound's parts count fully only together: "barnehageplass" is a kind of "plass", and a
        passage about "barnehage" alone covers it in part."""
        if term.compound:
            return all(s in tokens for s in term.stems)
        return any(s in tokens for s in term.stems)

    def _coverage(self, terms: list[QueryTerm], doc: int) -> float:
        """Share of the question's weight that passage `doc` contains.

        A typed word counts with its rarity in the guideline. Words the guideline never uses count fully
        against the passage (they are what makes "what's for lunch?" out of scope); words the guideline
        uses elsewhere count at `context_word_factor` (the asker's context: "innbygger", "facebooksiden").
        Glossary additions count for the word they came from.
        """
        tokens = self._doc_sets[doc]
        full = {t.word for t in terms if not t.partial and self._contains(t, tokens)}
        partial = {t.word for t in terms if any(s in tokens for s in t.stems)} - full
        # "svart-hvitt" is one word of the question, not three: covered by itself or by all its parts, half by one
        parts = _hyphen_parts(tuple(t.word for t in terms if t.original))
        for joined in set(parts.values()) - full:
            pieces = [part for part, whole in parts.items() if whole == joined]
            if all(p in full for p in pieces):
                full = full | {joined}
            elif any(p in full or p in partial for p in pieces):
                partial = partial | {joined}
        total = covered = 0.0
        for term in terms:
            if not term.original or term.word in parts:
                continue
            weight, known, helped = self._weigh_unit(term, [t for t in terms if parts.get(t.word) == term.word], terms)
            if term.word in full:
                covered += weight
            elif term.word in partial:
                covered += weight / 2
            elif known or helped:
                weight *= self.params.context_word_factor
            total += weight
        return covered / total if total else 0.0


@functools.lru_cache(maxsize=1024)
def _hyphen_parts(typed: tuple[str, ...]) -> dict[str, str]:
    """A hyphenated word's parts (typed before it by `words`), each to the joined word: "svart", "hvitt" →
    "svarthvitt". Cached: every candidate of one question asks the same; the result is shared, never changed."""
    out: dict[str, str] = {}
    for index, word in enumerate(typed):
        for start in range(max(0, index - 4), index - 1):
            if "".join(typed[start:index]) == word:
                out.update({part: word for part in typed[start:index]})
                break
    return out


# the words after a verb that make a particle verb of it ("ta imot", "legge ut"): only such a phrase is one term
_PARTICLES = frozenset("imot ut opp inn av på fra til ned med om bort fram frem igjen over under sammen".split())


# first parts that make a new verb or noun of the word after them rather than a compound of two words
_VERB_PREFIXES = frozenset("""fore over etter sam unn mid inn opp ned til fra mot under gjen for be er an ut av på
om inne""".split())


DEFINITION_TOKEN = "definisjon"
_INTRODUCTIONS = frozenset(["innledning", "innleiing", "introduksjon", "introduction"])
_PERSONAL = re.compile(r"\b(?:min|mi|mitt|mine|my|our|vår|vårt|våre)\b", re.I)
_DEFINES = re.compile(r"^(?:\d{1,2}[.)]\s+|•\s+)?(?:med\s+)?(?P<first>[\w-]+)(?:\s+[\w-]+){0,3}\s+(?:er|betyr|menes|forstås|"
                      r"defineres|vert definert|blir definert|is|are|means)\b", re.I)
_NOT_DEFINED = frozenset("""det dette den denne de du vi jeg eg man en ein eit et alle ingen hun han ho dei it this there
that you we all they målet mål formålet hensikten føremålet""".split())


def _defines(text: str) -> bool:
    """A passage that begins by saying what something is ("Overtid er pålagt arbeid …", "Med hjemmekontor
    menes …"): the answer to "what is …?" on a fresh import, where no passage says "definisjon"."""
    match = _DEFINES.match(text)
    return match is not None and match.group("first").lower() not in _NOT_DEFINED


_DEFINITION_VERB = re.compile(r"^\s*(?:what counts as|hva regnes som|kva reknast som|hva defineres som)\b", re.I)


def _without_definition_verb(question: str) -> str:
    """"What counts as overtime?" asks what overtime is: "counts" is no word of the topic."""
    return _DEFINITION_VERB.sub("", question)


def _without_linking_letter(left: str) -> tuple[str, ...]:
    """A compound's first part as written, and without the linking "s" or "e" ("kommunikasjons-", "krise-")."""
    return (left, left[:-1]) if left[-1] in "se" and len(left) > 4 else (left,)
