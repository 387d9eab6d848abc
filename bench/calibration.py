"""Calibration of the answer/clarify/decline decision: is a confidence of 0.8 right 80 % of the time?

    python bench/calibration.py                 # buckets and outcomes on the checking half, both engines
    python bench/calibration.py --fit           # refit the logistic weights on the tuning questions only
    python bench/calibration.py --sweep         # the answer_confidence trade-off on both halves

The weights in bot/decision.py come from `--fit` on tests/eval/unseen/tune.yaml plus the earlier sets
(tests/eval/*.yaml); tests/eval/unseen/check.yaml is never used to fit, only reported. The day-one weights
come from every day-one set but the held-out ones (bench/day_one.py HELD_OUT), under vocabulary gaps.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidebot.bot.answers import AnswerEngine  # noqa: E402
from guidebot.bot.decision import Signals  # noqa: E402
from guidebot.bot.evaluation import Case, evaluate, format_report, is_right, load_cases  # noqa: E402
from guidebot.bot.importer import draft_yaml, import_file  # noqa: E402
from guidebot.bot.knowledge import Guideline, KnowledgeFiles, load_directory, read_directory, vocabulary_gaps  # noqa: E402
from guidebot.bot.semantic import FileCache, SemanticIndex, load_embedder  # noqa: E402
from guidebot.bot.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "eval"
TUNE = [EVAL / "unseen" / "tune.yaml", EVAL / "questions.yaml", EVAL / "holdout.yaml", EVAL / "holdout2.yaml"]
CHECK = [EVAL / "unseen" / "check.yaml"]
VOCABULARY_GAP, VOCABULARY_GAP_SEEDS = 0.4, (1, 2)  # the day-one weights are fitted with 40 % of the vocabulary left out


def day_one() -> Guideline:
    """The bundled guideline as a new organisation would have it: imported from its text, nothing curated."""
    bundled = read_directory()
    source = ROOT / "knowledge" / "source" / "veileder-sosiale-medier-lorenskog.txt"
    checklist = "\n".join(line for line in bundled.checklist.splitlines() if "passage:" not in line)
    return KnowledgeFiles(draft_yaml(import_file(source)), bundled.glossary,
                          checklist).build("day-one import")


def day_one_sets() -> list[tuple[Path, list[Case]]]:
    """Every day-one set of bench/day_one.py but the held-out ones, imported once: each guideline alone, and
    all of them in one directory."""
    import tempfile

    from day_one import HELD_OUT, QUESTIONS, sources  # noqa: I001

    from guidebot.bot.importer import import_into

    out = []
    folder = Path(tempfile.mkdtemp())
    files = {name: path for name, path in sources(folder).items() if name not in HELD_OUT}
    for name, path in files.items():
        import_into(path, folder / name)
        out.append((folder / name, load_cases(QUESTIONS / f"{name}.yaml")))
        import_into(path, folder / "together")
    out.append((folder / "together", [c for name in files for c in load_cases(QUESTIONS / f"{name}.yaml")]))
    return out


def day_one_observations(tune: list[Case], lexical: bool = False) -> tuple[list[Signals], np.ndarray]:
    """Signals for the day-one weights, gathered with a share of the general vocabulary left out (two draws):
    the vocabulary was written from these very guidelines, so with all of it every English word finds its
    Norwegian one, which a new organisation's guideline will not. Fitted that way, the decision leans more on
    the semantic similarity and less on word coverage (leave-one-guideline-out on the 16 day-one guidelines,
    40 % of the entries left out: English right 0.54 -> 0.59 at the same wrong rate, 0.71 -> 0.70 with the
    whole vocabulary). The files are imported once; the engines are built anew under each draw."""
    from day_one import engine_for

    sets = day_one_sets()
    signals: list[Signals] = []
    labels = np.zeros(0)
    for seed in VOCABULARY_GAP_SEEDS:
        with vocabulary_gaps(VOCABULARY_GAP, seed):
            embedder = None if lexical else load_embedder()
            knowledge = day_one()
            engine = AnswerEngine(knowledge, semantic=SemanticIndex.build(knowledge, embedder, FileCache())
                                  if embedder else None)
            engines = [(engine, tune), *((engine_for(directory, lexical), cases) for directory, cases in sets)]
            for imported, cases in engines:
                more, more_labels = observations(imported, cases)
                signals, labels = signals + more, np.concatenate([labels, more_labels])
    return signals, labels


def engines() -> dict[str, AnswerEngine]:
    """The lexical engine, and with the model the semantic engine on the curated and the day-one knowledge."""
    guideline = load_directory()
    out = {"lexical": AnswerEngine(guideline)}
    embedder = load_embedder()
    if embedder is not None:
        for name, knowledge in (("semantic", guideline), ("semantic, day-one import", day_one())):
            out[name] = AnswerEngine(knowledge, semantic=SemanticIndex.build(knowledge, embedder, FileCache()))
    return out


def observations(engine: AnswerEngine, cases: list[Case]) -> tuple[list[Signals], np.ndarray]:
    """Signals of the best candidate and whether quoting it would be right."""
    signals, labels = [], []
    for case in cases:
        result = engine.retriever.search(case.question, limit=engine.retriever.params.rerank_depth)
        ranked = engine.rank(result)
        signals.append(engine.signals(result, ranked))
        labels.append(bool(ranked) and case.in_scope and is_right(case, ranked[0].hit.passage))
    return signals, np.asarray(labels, dtype=float)


def fit(signals: list[Signals], labels: np.ndarray, l2: float = 0.002,
        features: Callable[[Signals], tuple[float, ...]] = Signals.features) -> tuple[float, ...]:
    """Logistic regression by gradient descent (numpy only; a few hundred examples)."""
    x = np.asarray([features(s) for s in signals])
    w = np.zeros(x.shape[1])
    for _ in range(20000):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - labels) / len(labels) + l2 * np.r_[0, w[1:]]
        w -= 0.5 * grad
    return tuple(round(float(v), 3) for v in w)


def buckets(engine: AnswerEngine, cases: list[Case]) -> None:
    signals, labels = observations(engine, cases)
    conf = np.asarray([engine.policy.confidence(s) for s in signals])
    print(f"  {'confidence':<12}{'n':>5}{'right':>8}")
    for lo, hi in ((0, .1), (.1, .3), (.3, .5), (.5, .7), (.7, .9), (.9, 1.01)):
        mask = (conf >= lo) & (conf < hi)
        share = f"{labels[mask].mean():.2f}" if mask.any() else "-"
        print(f"  {lo:.1f}–{min(hi, 1):.1f}{'':<5}{int(mask.sum()):>5}{share:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    tune = [c for f in TUNE for c in load_cases(f)]
    check = [c for f in CHECK for c in load_cases(f)]
    engines_by_name = engines()
    for name, engine in engines_by_name.items():
        print(f"== {name} engine")
        if args.fit:
            if name == "semantic":  # fitted on both the curated and the day-one knowledge, tuning questions only
                signals, labels = observations(engine, tune)
                more, more_labels = observations(engines_by_name["semantic, day-one import"], tune)
                print("  fitted weights:", fit(signals + more, np.concatenate([labels, more_labels])))
            if name == "semantic, day-one import":  # uncurated knowledge, under vocabulary gaps
                print("  fitted day-one weights:", fit(*day_one_observations(tune)))
            if name == "lexical":  # uncurated knowledge without the model, under vocabulary gaps
                print("  fitted lexical day-one weights:",
                      fit(*day_one_observations(tune, lexical=True), features=Signals.lexical_features))
            continue
        if args.sweep:
            for threshold in (0.4, 0.5, 0.6, 0.7, 0.8):
                engine.policy = Settings(answer_confidence=threshold).policy()  # as the settings file sets it
                for label, cases in (("tune", tune), ("check", check)):
                    scores, _ = evaluate(engine, cases)
                    f = scores["all"].figures()
                    print(f"  answer_confidence {threshold:.1f} {label:<6} right {f['right']:.3f}  wrong "
                          f"{f['wrong']:.3f}  clarified {f['clarified']:.3f}  declined {f['declined']:.3f}")
            continue
        print(f"  thresholds: answer ≥ {engine.policy.answer_confidence}, clarify ≥ {engine.policy.clarify_confidence}")
        print("  checking half, by confidence of the best candidate:")
        buckets(engine, check)
        print(format_report(evaluate(engine, check)[0]))


if __name__ == "__main__":
    main()
