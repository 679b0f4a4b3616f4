"""Builds Byline's parts from ``Settings``: the one place that maps settings to objects."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.models.embedder import SentenceTransformerEmbedder
    from assistant.settings import Settings
    from assistant.store.index import NewsIndex
    from ingest.pipeline import Ingestor


def build_embedder(settings: "Settings") -> "SentenceTransformerEmbedder":
    from assistant.models.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        settings.embed_model, threads=settings.threads, batch_size=settings.embed_batch_size
    )


def open_index(settings: "Settings") -> "NewsIndex":
    from assistant.store.index import NewsIndex

    return NewsIndex(
        settings.data_path, chroma_host=settings.chroma_host, chroma_port=settings.chroma_port
    )


def build_ingestor(
    settings: "Settings", index: "NewsIndex", embedder: "SentenceTransformerEmbedder"
) -> "Ingestor":
    from ingest.chunking import ChunkSizes
    from ingest.pipeline import Ingestor

    sizes = ChunkSizes(settings.chunk_tokens, settings.chunk_overlap_tokens)
    return Ingestor(index, embedder, sizes=sizes, batch_articles=settings.ingest_batch_articles)


def build_assistant(settings: "Settings"):
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.engine import Assistant
    from assistant.models.ner import SpacyLoader
    from assistant.models.reranker import load_reranker

    index = open_index(settings)
    embedder = build_embedder(settings)
    reranker = load_reranker(settings.rerank_model, threads=settings.threads)
    answerer = ExtractiveAnswerer(SpacyLoader(settings.spacy_model), idf=index.bm25.idf)
    ingestor = build_ingestor(settings, index, embedder)
    ingestor.recover()  # a write killed mid-batch: vectors back in line with the catalog
    return Assistant(index, embedder, reranker, answerer, ingestor=ingestor,
                     reader=build_reader(settings), default_answerer=settings.answerer,
                     queue_timeout=settings.queue_timeout)


def build_reader(settings: "Settings"):
    """The reader stage; its LLM is built on first use, so the extractive default never
    loads it and a missing extra is reported where the reader is asked for."""
    from assistant.answering.reader import LLMReader
    from assistant.models.llm import build_llm

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return LLMReader(lambda: build_llm(settings.llm_url, settings.llm_model, api_key=key,
                                       timeout=settings.llm_timeout, threads=settings.llm_threads),
                     sentences=settings.reader_sentences)
