"""Dense vectors in Chroma, written and queried through llama-index.

The llama-index ``ChromaVectorStore`` and ``VectorIndexRetriever`` stay inside this module;
callers hand in our ``ChunkRow``s and get back ``(chunk_id, cosine similarity)`` pairs.
Vectors are always computed by Byline and passed in: a Chroma collection left to embed by
itself would try to download its default ONNX model. Filters become a Chroma ``where``
clause, so they apply inside the nearest-neighbour search, before the top-k cut.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.dates import UNDATED_DAY, day_number
from assistant.store.catalog import ChunkRow
from assistant.types import Filters

if TYPE_CHECKING:
    import numpy as np

    from assistant.types import Article

COLLECTION = "byline-chunks"


class ChromaVectors:
    """Chroma embedded on disk (``path``) or a Chroma server (``host``/``port``)."""

    def __init__(
        self, path: Path | None = None, *, host: str | None = None, port: int = 8000,
        collection: str = COLLECTION,
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        settings = ChromaSettings(anonymized_telemetry=False)
        if host:
            client = chromadb.HttpClient(host=host, port=port, settings=settings)
        elif path is not None:
            client = chromadb.PersistentClient(path=str(path), settings=settings)
        else:
            raise ValueError("give either a path for embedded Chroma or a server host")
        self._path = None if host else path
        self._client = client
        self._name = collection
        self._collection = client.get_or_create_collection(
            collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        self._store = ChromaVectorStore(chroma_collection=self._collection)
        self._index = None

    def reopen(self) -> None:
        """See what another process wrote. Embedded Chroma keeps its nearest-neighbour
        index in memory: its searches miss vectors another process added (and find ones it
        deleted) until the files are opened afresh. Chroma caches one client per folder
        and process, so this folder's entry is dropped first (other folders keep theirs).
        A Chroma server needs none of this."""
        if self._path is None:
            return
        import chromadb
        from chromadb.api.client import SharedSystemClient
        from chromadb.config import Settings as ChromaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        SharedSystemClient._identifier_to_system.pop(str(self._path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(self._path), None)
        client = chromadb.PersistentClient(
            path=str(self._path), settings=ChromaSettings(anonymized_telemetry=False))
        self._collection = client.get_or_create_collection(
            self._name, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        self._store = ChromaVectorStore(chroma_collection=self._collection)
        self._index = None

    def sibling(self, name: str):
        """Another collection of the same Chroma (the write log's)."""
        return self._client.get_or_create_collection(name, embedding_function=None)

    def count(self) -> int:
        return self._collection.count()

    @property
    def collection(self):
        """The underlying chromadb collection (benchmarks measure it raw)."""
        return self._collection

    def ids(self, article_id: str | None = None) -> list[str]:
        """Chunk ids stored in Chroma, all or one article's."""
        where = {"article_id": article_id} if article_id else None
        return list(self._collection.get(where=where, include=[])["ids"])

    def records(self, article_ids: Sequence[str] | None = None, page: int = 1000):
        """Stored chunks as ``(chunk_id, text, metadata)``: all of them (in pages), or
        those of ``article_ids``."""
        include = ["documents", "metadatas"]
        if article_ids is not None:
            for start in range(0, len(article_ids), 500):
                part = list(article_ids[start : start + 500])
                got = self._collection.get(where={"article_id": {"$in": part}}, include=include)
                yield from zip(got["ids"], got["documents"], got["metadatas"])
            return
        offset = 0
        while True:
            got = self._collection.get(limit=page, offset=offset, include=include)
            if not got["ids"]:
                return
            yield from zip(got["ids"], got["documents"], got["metadatas"])
            offset += len(got["ids"])

    def add(self, rows: Sequence[ChunkRow], embeddings: "np.ndarray",
            articles: "Mapping[str, Article] | None" = None) -> None:
        """Store chunks with their vectors. With ``articles`` (id -> Article), each
        article's first chunk also carries its body and author: what a replica needs to
        rebuild its catalog from the store alone (``assistant.store.replica``)."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        nodes = [
            TextNode(
                id_=row.chunk.id,
                text=row.chunk.text,
                embedding=vector.tolist(),
                metadata=_metadata(row, (articles or {}).get(row.chunk.article_id)),
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=row.chunk.article_id)},
            )
            for row, vector in zip(rows, embeddings, strict=True)
        ]
        if nodes:
            self._store.add(nodes)

    def delete_ids(self, chunk_ids: Sequence[str]) -> None:
        for start in range(0, len(chunk_ids), 500):
            self._collection.delete(ids=list(chunk_ids[start : start + 500]))

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        for start in range(0, len(article_ids), 500):
            part = list(article_ids[start : start + 500])
            self._collection.delete(where={"article_id": {"$in": part}})

    def query(
        self, embedding: "np.ndarray", k: int, filters: Filters = Filters()
    ) -> list[tuple[str, float]]:
        """The ``k`` nearest chunks as ``(chunk_id, cosine similarity)``, best first."""
        from llama_index.core.indices.vector_store.retrievers import VectorIndexRetriever
        from llama_index.core.schema import QueryBundle

        retriever = VectorIndexRetriever(
            index=self._llama_index(), similarity_top_k=k, filters=to_metadata_filters(filters)
        )
        results = retriever.retrieve(QueryBundle(query_str="", embedding=embedding.tolist()))
        # ChromaVectorStore reports exp(-distance); cosine distance is 1 - similarity.
        return [(r.node.node_id, 1.0 + math.log(max(r.score or 0.0, 1e-12))) for r in results]

    def _llama_index(self):
        if self._index is None:
            from llama_index.core import VectorStoreIndex

            from assistant.store.llama import NoEmbedding

            # The query vector always comes in the QueryBundle; NoEmbedding makes sure
            # llama-index never falls back to its global Settings.embed_model (OpenAI).
            self._index = VectorStoreIndex.from_vector_store(self._store, embed_model=NoEmbedding())
        return self._index


def to_metadata_filters(filters: Filters):
    from llama_index.core.vector_stores.types import (
        FilterCondition,
        FilterOperator,
        MetadataFilter,
        MetadataFilters,
    )

    if filters.empty:
        return None
    conditions = []
    if filters.sources:
        conditions.append(
            MetadataFilter(key="source", operator=FilterOperator.IN, value=list(filters.sources))
        )
    low, high, dated_only = filters.day_range
    if dated_only:
        conditions.append(MetadataFilter(key="published_day", operator=FilterOperator.NE, value=UNDATED_DAY))
    if low is not None:
        conditions.append(MetadataFilter(key="published_day", operator=FilterOperator.GTE, value=low))
    if high is not None:
        conditions.append(MetadataFilter(key="published_day", operator=FilterOperator.LTE, value=high))
    return MetadataFilters(filters=conditions, condition=FilterCondition.AND)


def _metadata(row: ChunkRow, article: "Article | None" = None) -> dict[str, str | int]:
    chunk = row.chunk
    metadata: dict[str, str | int] = {
        "article_id": chunk.article_id,
        "title": row.title,
        "source": row.source or "",
        "url": row.url or "",
        "published_at": row.published_at or "",
        "published_day": day_number(row.published_at),
        "chunk_index": chunk.index,
        "char_start": chunk.char_start,
        "char_end": chunk.char_end,
        "sentences": json.dumps(chunk.sentences),
    }
    if article is not None and chunk.index == 0:
        metadata["body"] = article.body
        metadata["author"] = article.author or ""
    return metadata


# -- the shared store's write log (server mode) ----------------------------------------------
LOG_COLLECTION = "byline-log"
_MODEL_RECORD = "embed-model"  # ns 0: never among the records a replica applies


class WriteLog:
    """What each writer stored or removed, in a Chroma collection of its own beside the
    chunks: one record per batch (``ns``: the writer's clock in nanoseconds, ``op``:
    "write" or "delete", ``articles``: the ids, JSON). Replicas read the records newer than
    what they applied and fetch those articles' chunks (``assistant.store.replica``)."""

    def __init__(self, collection) -> None:
        self._collection = collection

    @classmethod
    def beside(cls, vectors: "ChromaVectors") -> "WriteLog":
        return cls(vectors.sibling(LOG_COLLECTION))

    def append(self, op: str, article_ids: Sequence[str]) -> str:
        ns = time.time_ns()
        record = f"{ns:020d}-{uuid.uuid4().hex[:12]}"
        self._collection.add(ids=[record], embeddings=[[0.0]], documents=[""], metadatas=[
            {"ns": ns, "op": op, "articles": json.dumps(list(article_ids))}])
        return record

    def embed_model(self) -> str | None:
        """The embedding model the shared store's vectors come from (None: not yet set)."""
        got = self._collection.get(ids=[_MODEL_RECORD], include=["metadatas"])
        return str(got["metadatas"][0]["name"]) if got["ids"] else None

    def set_embed_model(self, name: str) -> None:
        self._collection.upsert(ids=[_MODEL_RECORD], embeddings=[[0.0]], documents=[""], metadatas=[
            {"ns": 0, "op": "model", "articles": "[]", "name": name}])

    def since(self, ns: int) -> list[tuple[str, int, str, list[str]]]:
        """Records written after ``ns``, oldest first, as ``(id, ns, op, article_ids)``."""
        got = self._collection.get(where={"ns": {"$gt": ns}}, include=["metadatas"])
        records = [(rid, int(m["ns"]), str(m["op"]), json.loads(m["articles"]))
                   for rid, m in zip(got["ids"], got["metadatas"])]
        return sorted(records, key=lambda r: (r[1], r[0]))
