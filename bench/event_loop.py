"""Does a slow question stall every other chat? Event-loop lag while questions run over a large corpus.

    python bench/event_loop.py [--passages 100000]

A ticker on the event loop sleeps 5 ms at a time and records how late it wakes up (the lag every other
handler would feel). Meanwhile questions are answered over a synthetic corpus, first the way the service
does it (GuideBot.ask: BM25 in a worker thread), then, as the baseline in the same run, by calling the
engine directly on the loop. Prints the question time and the ticker's p50/p99/max lag for both.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.retrieval import percentile, synthetic  # noqa: E402
from guidebot.bot.knowledge import load_directory  # noqa: E402
from guidebot.bot.service import GuideBot, Person  # noqa: E402
from guidebot.bot.settings import Settings  # noqa: E402
from guidebot.bot.store import Store  # noqa: E402

QUESTIONS = ["kan jeg legge ut bilde av barn?", "can I post a photo of kids?", "hvem må godkjenne en ny facebookside"]


async def measure(label: str, answer) -> None:  # type: ignore[no-untyped-def]
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            lags.append((time.perf_counter() - start - 0.005) * 1000)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    durations = []
    for question in QUESTIONS * 2:
        start = time.perf_counter()
        await answer(question)
        durations.append((time.perf_counter() - start) * 1000)
    done.set()
    await task
    print(f"  {label:<38}{statistics_median(durations):>10.0f}{percentile(lags, .5):>10.1f}"
          f"{percentile(lags, .99):>10.1f}{max(lags):>10.1f}")


def statistics_median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


async def main(size: int) -> None:
    guideline = synthetic(load_directory(ROOT / "knowledge"), size)
    store = Store(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    await store.start()
    bot = GuideBot.create(store, Settings(), guideline)
    person = Person("bench", "U1")
    print(f"{len(guideline.passages)} passages; times in ms")
    print(f"  {'how the question is answered':<38}{'question':>10}{'lag p50':>10}{'lag p99':>10}{'lag max':>10}")
    await measure("GuideBot.ask (worker thread)", lambda q: bot.ask(person, q))

    async def on_loop(question: str) -> None:
        bot.engine.answer(question)

    await measure("baseline: engine.answer on the loop", on_loop)
    await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().passages))
