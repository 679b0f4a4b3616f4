"""Adapters that keep llama-index off its global ``Settings``.

llama-index falls back to ``Settings.embed_model`` (OpenAI by default) whenever an index is
built without one; Byline always passes a model explicitly, and since it computes query
vectors itself, the model it passes refuses to embed.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding


class NoEmbedding(BaseEmbedding):
    """For retrievers that always receive a precomputed query vector."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="none", **kwargs)

    def _get_query_embedding(self, query: str) -> list[float]:
        raise RuntimeError("Byline passes query vectors explicitly; nothing should embed here")

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_query_embedding(text)
