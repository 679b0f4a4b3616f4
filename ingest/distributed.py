"""Embedding fanned out over a Ray cluster (``byline ingest --ray [ADDRESS] --workers N``).

Embedding is nearly all of an ingest's time; everything else (reading, cleaning, hashing,
chunking, storing) is cheap and stays in the ingest process, unchanged. ``RayEmbedder``
has the embedder's interface: each batch's texts are split into contiguous parts, one per
worker, and embedded by Ray actors that each hold the model (sentence-transformers; on a
GPU when the cluster gives the actor one, with no setting). Tokenising for the chunker and
embedding queries stay local. The ingest process writes what comes back to the store as
it always does, so idempotence is the store's: a batch is written once, in order, and a
re-run skips unchanged articles (with a shared Chroma server, a worker process on an empty
folder first catches up with the store, see ``assistant.store.replica``).

Without an address a local cluster is started on this machine (``ray.init``), its workers
importing this very checkout; with one (``ray://head:10001`` or ``auto``), the workers
must have byline installed. The installation is the ``distributed`` extra (Ray).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from assistant.models.embedder import SentenceTransformerEmbedder


class RayEmbedder:
    """``local``'s interface, its ``embed_documents`` spread over ``workers`` Ray actors
    (each ``threads`` CPU threads, and a GPU each when the cluster has enough)."""

    def __init__(self, local: "SentenceTransformerEmbedder", *, workers: int = 2,
                 threads: int = 1, address: str | None = None) -> None:
        import ray

        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        if not ray.is_initialized():
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                start_local_cluster(workers * threads)
        gpus = ray.cluster_resources().get("GPU", 0)
        actor = ray.remote(num_cpus=threads, num_gpus=1 if gpus >= workers else 0)(_EmbeddingWorker)
        self.local = local
        self.name = local.name
        self._actors = [actor.remote(local.name, threads, local.batch_size) for _ in range(workers)]
        ray.get([a.ready.remote() for a in self._actors])  # models loaded before the first batch

    @property
    def max_tokens(self) -> int:
        return self.local.max_tokens

    def token_spans(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        return self.local.token_spans(texts)

    def embed_query(self, text: str) -> "np.ndarray":
        return self.local.embed_query(text)

    def embed_documents(self, texts: Sequence[str]) -> "np.ndarray":
        import numpy as np
        import ray

        texts = list(texts)
        if not texts:
            return self.local.embed_documents(texts)
        size = math.ceil(len(texts) / len(self._actors))
        parts = [texts[i : i + size] for i in range(0, len(texts), size)]
        vectors = ray.get([actor.embed.remote(part) for actor, part in zip(self._actors, parts)])
        return np.concatenate(vectors)

    def close(self) -> None:
        import ray

        for actor in self._actors:
            ray.kill(actor)
        self._actors = []


def start_local_cluster(cpus: int) -> None:
    """A Ray cluster on this machine with ``cpus`` CPUs, its workers importing this very
    checkout (not whatever byline a worker's interpreter would find)."""
    import ray

    root = str(Path(__file__).resolve().parents[1])
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": root}})


class _EmbeddingWorker:
    """A Ray actor holding the embedding model (loaded once)."""

    def __init__(self, model: str, threads: int, batch_size: int) -> None:
        from assistant.models.embedder import SentenceTransformerEmbedder
        from assistant.offline import enable_offline_mode

        enable_offline_mode()
        self.embedder = SentenceTransformerEmbedder(model, threads=threads, batch_size=batch_size)
        self.embedder.embed_documents(["warm-up"])

    def ready(self) -> str:
        return str(self.embedder.model.device)

    def embed(self, texts: list[str]) -> "np.ndarray":
        return self.embedder.embed_documents(texts)
