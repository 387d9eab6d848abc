"""Retrieval quality and speed, measured in one run against a naive baseline.

    python bench/retrieval.py [--quick]

Prints: quality of the naive baseline (rank-bm25 over lower-cased whitespace tokens of the guideline's
paragraphs) and of guidebot on tests/eval/questions.yaml (and the held-out sets); answer latency p50/p99
and index build time for the guideline and for synthetic corpora of 10,000 and 100,000 passages; peak
memory (max RSS) after each stage.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from rank_bm25 import BM25Okapi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from guidebot.bot.answers import AnswerEngine  # noqa: E402
from guidebot.bot.semantic import FileCache, SemanticIndex, load_embedder  # noqa: E402
from guidebot.bot.evaluation import format_report, Case, _flat, evaluate, load_cases  # noqa: E402
from guidebot.bot.knowledge import Guideline, Passage, load_directory  # noqa: E402

SOURCE = ROOT / "knowledge" / "source" / "veileder-sosiale-medier-lorenskog.txt"


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def naive_baseline(cases: list[Case]) -> dict[str, dict[str, float]]:
    """What a new user gets from rank-bm25 out of the box: paragraphs, whitespace tokens, no decline."""
    paragraphs = [" ".join(p.split()) for p in SOURCE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    bm25 = BM25Okapi([p.lower().split() for p in paragraphs])
    out: dict[str, dict[str, float]] = {}
    for lang in sorted({c.lang for c in cases}) + ["all"]:
        chosen = [c for c in cases if lang in (c.lang, "all")]
        inscope = [c for c in chosen if c.in_scope]
        hit1 = hit3 = rr = 0.0
        for case in inscope:
            scores = bm25.get_scores(case.question.lower().split())
            ranked = sorted(range(len(paragraphs)), key=lambda i: -scores[i])[:5]
            wanted = [_flat(e) for e in case.expect]
            rank = next((r for r, i in enumerate(ranked, 1) if any(w in _flat(paragraphs[i]) for w in wanted)), None)
            if rank:
                hit1 += rank == 1
                hit3 += rank <= 3
                rr += 1 / rank
        n = len(inscope) or 1
        out[lang] = {"hit@1": hit1 / n, "hit@3": hit3 / n, "mrr@5": rr / n, "out_of_scope_declined": 0.0,
                     "in_scope_declined": 0.0}
    return out


def print_quality(title: str, figures: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"  {'lang':<5}{'hit@1':>8}{'hit@3':>8}{'MRR@5':>8}{'out-declined':>14}{'in-declined':>13}")
    for lang, f in figures.items():
        print(f"  {lang:<5}{f['hit@1']:>8.3f}{f['hit@3']:>8.3f}{f['mrr@5']:>8.3f}"
              f"{f['out_of_scope_declined']:>14.3f}{f['in_scope_declined']:>13.3f}")


def synthetic(guideline: Guideline, size: int, seed: int = 7) -> Guideline:
    """A corpus of `size` passages made of the guideline's own words, shuffled: realistic vocabulary and length."""
    rng = random.Random(seed)
    vocab = [w for p in guideline.passages for w in p.text.split()]
    english = [w for p in guideline.passages for w in p.translation.split()]
    passages = tuple(
        Passage(id=f"syn-{i}", section=("Syntetisk", f"Del {i // 100}"), title=" ".join(rng.sample(vocab, 5)),
                text=" ".join(rng.choices(vocab, k=rng.randint(15, 70))),
                translation=" ".join(rng.choices(english, k=rng.randint(15, 70))))
        for i in range(size))
    return Guideline(guideline.document, guideline.passages + passages, guideline.glossary, guideline.checklist)


def time_corpus(label: str, guideline: Guideline, questions: list[str], rounds: int, semantic: bool = False,
                engine: AnswerEngine | None = None) -> AnswerEngine:
    started = time.perf_counter()
    if engine is None:
        engine = AnswerEngine.build(guideline, cache=FileCache()) if semantic else AnswerEngine(guideline)
    build = time.perf_counter() - started
    engine.answer(questions[0])  # warm caches once, as a running service would be
    latencies = []
    for _ in range(rounds):
        for question in questions:
            t = time.perf_counter()
            engine.answer(question)
            latencies.append((time.perf_counter() - t) * 1000)
    print(f"  {label:<28}{len(guideline.passages):>9}{build:>10.2f}{statistics.median(latencies):>10.2f}"
          f"{percentile(latencies, 0.99):>10.2f}{max(latencies):>10.2f}{len(latencies):>8}{max_rss_mb():>10.0f}")
    return engine


def time_both_scorers(label: str, guideline: Guideline, questions: list[str], rounds: int) -> None:
    """The inverted index and rank-bm25's full scan on the same index, same questions, same run."""
    engine = time_corpus(f"{label}, inverted", guideline, questions, rounds)
    full_scan = copy.copy(engine)
    full_scan.retriever = copy.copy(engine.retriever)
    full_scan.retriever.params = dataclasses.replace(engine.retriever.params, inverted=False)
    time_corpus(f"{label}, full scan", guideline, questions, rounds, engine=full_scan)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-passage corpus")
    args = parser.parse_args()

    guideline = load_directory(ROOT / "knowledge")
    cases = load_cases(ROOT / "tests" / "eval" / "questions.yaml")
    print(f"evaluation set: {len(cases)} questions ({sum(c.in_scope for c in cases)} in scope)")
    print_quality("naive baseline (rank-bm25, whitespace tokens, source paragraphs, never declines)",
                  naive_baseline(cases))
    engine = AnswerEngine(guideline)
    for path in sorted((ROOT / "tests" / "eval").glob("*.yaml"), key=lambda p: (p.name != "questions.yaml", p.name)):
        scores, _ = evaluate(engine, load_cases(path))
        print_quality(f"guidebot on {path.name}", {k: s.figures() for k, s in sorted(scores.items())})

    embedder = load_embedder()
    semantic = AnswerEngine(guideline, semantic=SemanticIndex.build(guideline, embedder, FileCache())) \
        if embedder else None
    for path in sorted((ROOT / "tests" / "eval" / "unseen").glob("*.yaml")):
        for label, candidate in (("lexical", engine), ("lexical + semantic", semantic)):
            if candidate is not None:
                print(f"\n{path.relative_to(ROOT)}, {label} engine (check.yaml is the figure that counts)")
                print(format_report(evaluate(candidate, load_cases(path))[0]))

    questions = [c.question for c in cases]
    print("\nlatency of engine.answer (ms), build time (s), max RSS of this process (MB)")
    print(f"  {'corpus':<28}{'passages':>9}{'build s':>10}{'p50':>10}{'p99':>10}{'max':>10}{'n':>8}{'RSS MB':>10}")
    time_corpus("guideline", guideline, questions, rounds=20)
    if embedder is not None:
        time_corpus("guideline + semantic", guideline, questions, rounds=5, semantic=True)
        from calibration import day_one  # noqa: PLC0415 (a bench's helper, only when the model is there)

        # nothing translated: an English question is embedded twice (as asked, and in Norwegian words)
        time_corpus("day-one import + semantic", day_one(), questions, rounds=5, semantic=True)
    time_both_scorers("synthetic 10,000", synthetic(guideline, 10_000), questions, rounds=3)
    if not args.quick:
        time_both_scorers("synthetic 100,000", synthetic(guideline, 100_000), questions, rounds=1)


if __name__ == "__main__":
    main()
