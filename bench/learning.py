"""Does the workbench's learning loop work? Half of a held-back question set is attached to its passages
through the workbench's own code (`Workbench.attach`: a published version per question, as the comms
team makes it with a click); the other half is asked before and after.

    python bench/learning.py              # lexical engine (what every test runs)
    python bench/learning.py --semantic   # with the semantic signal too, where the model is installed

Two scenarios: the bundled guideline with the unseen checking set (tests/eval/unseen/check.yaml), and day
one of a new organisation (the five guidelines of tests/fixtures/import/ imported into one directory, no
hand edits) with all of their questions (tests/eval/import/). A question is in half A or B by a hash of
its text, fixed before any run; out-of-scope questions are never attached and stay in the asked half,
so that wrong answers are watched too. Both directions are run (attach A, ask B; attach B, ask A).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from day_one import QUESTIONS, sources  # noqa: E402

from guidebot.bot.answers import AnswerEngine  # noqa: E402
from guidebot.bot.evaluation import Case, Scores, evaluate, is_right, load_cases  # noqa: E402
from guidebot.bot.importer import import_into  # noqa: E402
from guidebot.bot.knowledge import KnowledgeFiles, read_directory  # noqa: E402
from guidebot.bot.semantic import SemanticIndex, load_embedder  # noqa: E402
from guidebot.bot.service import GuideBot  # noqa: E402
from guidebot.bot.settings import Settings  # noqa: E402
from guidebot.bot.signin import Session  # noqa: E402
from guidebot.bot.store import Store  # noqa: E402
from guidebot.bot.workbench import Workbench  # noqa: E402

TEAM = Session("bench", "Benk (workbench bench)", "bench", "")


def half_of(case: Case) -> str:
    return "A" if hashlib.sha1(case.question.encode()).digest()[0] % 2 == 0 else "B"


class Remembering:
    """The model, with every text it embedded kept: each attached question changes the version's texts, and
    embedding all of them again for every measurement would take minutes."""

    def __init__(self, model: Any) -> None:
        self.model, self.name = model, model.name
        self.seen: dict[tuple[str, bool], np.ndarray] = {}

    def query(self, text: str) -> np.ndarray:
        if (text, True) not in self.seen:
            self.seen[(text, True)] = self.model.query(text)
        return self.seen[(text, True)]

    def passages(self, texts: list[str], queries: list[bool]) -> np.ndarray:
        missing = [(t, q) for t, q in zip(texts, queries, strict=True) if (t, q) not in self.seen]
        if missing:
            vectors = self.model.passages([t for t, _ in missing], [q for _, q in missing])
            self.seen.update(zip(missing, vectors, strict=True))
        return np.stack([self.seen[(t, q)] for t, q in zip(texts, queries, strict=True)])


_MODEL: list[Remembering] = []


def engine(bot: GuideBot, semantic: bool) -> AnswerEngine:
    if not semantic:
        return bot.engine
    if not _MODEL:
        embedder = load_embedder()
        if embedder is None:
            raise SystemExit("the semantic model is not installed: run without --semantic")
        _MODEL.append(Remembering(embedder))
    return AnswerEngine(bot.guideline, bot.engine.retriever.params, policy=bot.engine.policy,
                        semantic=SemanticIndex.build(bot.guideline, _MODEL[0]))


def row(label: str, scores: dict[str, Scores]) -> str:
    f = scores["all"].figures()
    return (f"  {label:<8} right {f['right']:.2f}  wrong {f['wrong']:.2f}  clarified {f['clarified']:.2f}  "
            f"declined {f['declined']:.2f}  hit@1 {f['hit@1']:.2f}  (n={f['questions']})")


async def attach_all(bench: Workbench, cases: list[Case]) -> int:
    """Each question attached to the first passage that holds what it expects, as the team would pick it."""
    attached = 0
    for case in cases:
        passage = next((p for p in bench.guideline.passages if is_right(case, p)), None)
        if passage is not None:
            await bench.attach(TEAM, case.question, f"{passage.document}/{passage.id}")
            attached += 1
    return attached


def print_changes(first: AnswerEngine, last: AnswerEngine, cases: list[Case]) -> None:
    """Each question whose outcome or first passage changed, with what it should have found."""
    for case in cases:
        old, new = first.answer(case.question), last.answer(case.question)
        if (old.outcome, [p.id for p in old.passages[:1]]) != (new.outcome, [p.id for p in new.passages[:1]]):
            print(f"   {case.question!r}: {old.outcome} {[p.id for p in old.passages[:1]]} {old.confidence} → "
                  f"{new.outcome} {[p.id for p in new.passages[:1]]} {new.confidence}  expect {case.expect[:1]}")


async def run(name: str, files: KnowledgeFiles, cases: list[Case], semantic: bool, folder: Path,
              verbose: bool = False) -> None:
    print(f"\n{name}: {len(cases)} questions, {sum(c.in_scope for c in cases)} in scope")
    for taught, asked in (("A", "B"), ("B", "A")):
        bot = GuideBot.create(Store(f"sqlite:///{folder / f'{name[:8]}-{taught}.db'}"), Settings(), files.build())
        await bot.open(files, background=False)
        bench = Workbench(bot)
        ask = [c for c in cases if half_of(c) == asked or not c.in_scope]
        teach = [c for c in cases if half_of(c) == taught and c.in_scope]
        first = engine(bot, semantic)
        before, _ = evaluate(first, ask)
        taught_before, _ = evaluate(first, teach)
        started = time.perf_counter()
        attached = await attach_all(bench, teach)
        seconds = time.perf_counter() - started
        last = engine(bot, semantic)
        after, _ = evaluate(last, ask)
        taught_after, _ = evaluate(last, teach)
        if verbose:
            print_changes(first, last, ask)
        print(f" attach half {taught} ({attached} questions, {seconds / max(attached, 1) * 1000:.0f} ms each), "
              f"ask half {asked} + the out-of-scope questions:")
        print(row("before", before))
        print(row("after", after))
        print(f"  the attached questions themselves, asked again: right {taught_before['all'].figures()['right']:.2f} → "
              f"{taught_after['all'].figures()['right']:.2f}")
        await bot.close()


async def rephrased(files: KnowledgeFiles, originals: list[Case], again: list[Case], semantic: bool,
                    folder: Path, verbose: bool) -> None:
    """Every original in-scope question attached; the same questions asked again in other words."""
    bot = GuideBot.create(Store(f"sqlite:///{folder / 'rephrased.db'}"), Settings(), files.build())
    await bot.open(files, background=False)
    bench = Workbench(bot)
    first = engine(bot, semantic)
    before, _ = evaluate(first, again)
    await attach_all(bench, [c for c in originals if c.in_scope])
    last = engine(bot, semantic)
    after, _ = evaluate(last, again)
    if verbose:
        print_changes(first, last, again)
    print(f" attach every question, then ask {len(again)} of them again in other words "
          f"(tests/eval/import/rephrased.yaml):")
    print(row("before", before))
    print(row("after", after))
    await bot.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--semantic", action="store_true")
    parser.add_argument("--only", choices=("bundled", "day-one"), help="run one scenario")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each question whose answer changed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only != "day-one":
            await run("bundled guideline, unseen checking set", read_directory(),
                      load_cases(ROOT / "tests" / "eval" / "unseen" / "check.yaml"), args.semantic, folder, args.verbose)
        if args.only == "bundled":
            return
        together = folder / "together"
        paths = sources(folder)
        for source in paths.values():
            import_into(source, together)
        cases = [c for name in paths for c in load_cases(QUESTIONS / f"{name}.yaml")]
        await run("day one, five imported guidelines", read_directory(together), cases, args.semantic, folder, args.verbose)
        await rephrased(read_directory(together), cases, load_cases(QUESTIONS / "rephrased.yaml"), args.semantic,
                        folder, args.verbose)


if __name__ == "__main__":
    asyncio.run(main())
