"""Shared fixtures: the real bundled knowledge and an answer engine over it."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import AnswerEngine
from bot.knowledge import Guideline, load_directory

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "knowledge" / "source" / "veileder-sosiale-medier-lorenskog.txt"


@pytest.fixture(scope="session")
def guideline() -> Guideline:
    return load_directory(ROOT / "knowledge")


@pytest.fixture(scope="session")
def engine(guideline: Guideline) -> AnswerEngine:
    return AnswerEngine(guideline)
