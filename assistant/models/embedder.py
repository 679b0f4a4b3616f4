"""Text embedders. The default is all-MiniLM-L6-v2 through sentence-transformers.

The tokenizer is loaded on its own (from ``tokenizer.json``, in milliseconds) because the
chunker sizes chunks in the embedder's word pieces long before any text is embedded; the
model itself (and torch) loads on the first ``embed_*`` call.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

from assistant.models.packaged import DEFAULT_EMBED_MODEL, embed_model_path

if TYPE_CHECKING:
    import numpy as np


class Embedder(Protocol):
    """Turns texts into unit-length vectors; cosine similarity is their dot product."""

    name: str

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads per text, special tokens excluded; the rest is cut."""
        ...

    def token_spans(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """Character offsets of each word piece of each text (special tokens excluded)."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> "np.ndarray": ...

    def embed_query(self, text: str) -> "np.ndarray": ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model, on the GPU when torch sees one, else the CPU.

    Args:
        model: the packaged default name, a local folder, or a hub id.
        threads: torch intra-op threads; ``None`` leaves torch's choice.
        batch_size: texts per forward pass. On 2 CPU cores 16 beat 64 for ~200-token
            chunks (less padding), see benchmarks/ingest.py.
        device: "cpu", "cuda", ...; ``None``: CUDA when available (an ingest worker on a
            GPU machine embeds there with no setting).
    """

    def __init__(
        self,
        model: str = DEFAULT_EMBED_MODEL,
        *,
        threads: int | None = None,
        batch_size: int = 16,
        device: str | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        self.name = model
        self.path = embed_model_path(model)
        self.threads = threads
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def max_tokens(self) -> int:
        config = Path(self.path) / "sentence_bert_config.json"
        if config.is_file():
            length = json.loads(config.read_text())["max_seq_length"]
        else:
            length = self.model.max_seq_length
        return int(length) - 2  # [CLS] and [SEP]

    def token_spans(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [list(enc.offsets) for enc in encodings]

    def embed_documents(self, texts: Sequence[str]) -> "np.ndarray":
        return self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def embed_query(self, text: str) -> "np.ndarray":
        return self.model.encode(
            [text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )[0]

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            file = Path(self.path) / "tokenizer.json"
            if file.is_file():
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(file))
                tokenizer.no_truncation()
                tokenizer.no_padding()
                self._tokenizer = tokenizer
            else:
                self._tokenizer = self.model.tokenizer.backend_tokenizer
        return self._tokenizer

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import torch
                    from sentence_transformers import SentenceTransformer

                    if self.threads:
                        torch.set_num_threads(self.threads)
                    device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
                    self._model = SentenceTransformer(self.path, device=device)
        return self._model
