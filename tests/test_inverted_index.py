"""The inverted index scores exactly as rank-bm25's full scan: same passages, same order, same scores."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from conftest import ROOT
from guidebot.bot.evaluation import load_cases
from guidebot.bot.retrieval import RetrievalParams, Retriever

SETS = [*sorted((ROOT / "tests" / "eval").glob("*.yaml")), *sorted((ROOT / "tests" / "eval" / "unseen").glob("*.yaml"))]


def test_every_evaluation_question_ranks_the_same_with_the_inverted_index(guideline):
    inverted = Retriever(guideline, RetrievalParams(inverted=True))
    full_scan = Retriever(guideline, replace(RetrievalParams(), inverted=False))
    questions = [case.question for path in SETS for case in load_cases(path)]
    assert len(questions) > 300
    for question in questions:
        fast, slow = inverted.search(question, limit=8), full_scan.search(question, limit=8)
        assert [(h.passage.id, h.score, h.coverage) for h in fast.hits] == \
               [(h.passage.id, h.score, h.coverage) for h in slow.hits], question


def test_each_term_scores_every_passage_exactly_as_rank_bm25(guideline):
    retriever = Retriever(guideline)
    for term in list(retriever.bm25.idf)[:400] + ["not-a-term"]:
        assert np.array_equal(retriever.postings.scores(term), retriever.bm25.get_scores([term])), term
