"""Builds Byline's parts from ``Settings``: the one place that maps settings to objects.

    from assistant import open_assistant

    bot = open_assistant("~/.local/share/byline")   # settings from BYLINE_* variables
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from assistant.engine import Assistant
    from assistant.models.embedder import Embedder, SentenceTransformerEmbedder
    from assistant.models.reranker import Reranker
    from assistant.settings import Settings
    from assistant.store.index import NewsIndex
    from ingest.pipeline import Ingestor


def open_assistant(data_dir: str | Path | None = None, *, settings: "Settings | None" = None) -> "Assistant":
    """An assistant over ``data_dir`` (default: ``settings.data_dir``), with settings read
    from the environment unless given; offline mode is switched on first (no hub calls)."""
    from assistant.offline import enable_offline_mode
    from assistant.settings import load_settings

    enable_offline_mode()
    settings = settings or load_settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": Path(data_dir)})
    return build_assistant(settings)


def build_embedder(settings: "Settings") -> "SentenceTransformerEmbedder":
    from assistant.models.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        settings.embed_model, threads=settings.threads, batch_size=settings.embed_batch_size
    )


def open_index(settings: "Settings") -> "NewsIndex":
    from assistant.store.index import NewsIndex

    return NewsIndex(
        settings.data_path, chroma_host=settings.chroma_host, chroma_port=settings.chroma_port,
        sync_seconds=settings.replica_sync_seconds,
    )


def build_ingestor(
    settings: "Settings", index: "NewsIndex", embedder: "Embedder", **options
) -> "Ingestor":
    from ingest.chunking import ChunkSizes
    from ingest.pipeline import Ingestor

    options = {"sizes": ChunkSizes(settings.chunk_tokens, settings.chunk_overlap_tokens),
               "batch_articles": settings.ingest_batch_articles, **options}
    return Ingestor(index, embedder, **options)


def build_assistant(
    settings: "Settings",
    *,
    embedder: "Embedder | None" = None,
    cross_encoder: "Reranker | None" = None,
    nlp: Callable[[], object] | None = None,
    ingest_options: dict | None = None,
) -> "Assistant":
    """The engine and its stages. The models may be given, so that several assistants
    share one copy (the tests do); ``ingest_options`` override the ingestor's settings."""
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.answering.followup import FollowUpRewriter
    from assistant.answering.quotes import QuoteFinder
    from assistant.engine import Assistant
    from assistant.models.ner import SpacyLoader
    from assistant.models.reranker import load_reranker
    from assistant.retrieval.hybrid import HybridRetriever
    from assistant.retrieval.rerank import SentenceReranker

    index = open_index(settings)
    embedder = embedder or build_embedder(settings)
    cross_encoder = cross_encoder or load_reranker(settings.rerank_model, threads=settings.threads)
    nlp = nlp or SpacyLoader(settings.spacy_model)  # one pipeline for the answerer and rewriter
    ingestor = build_ingestor(settings, index, embedder, **(ingest_options or {}))
    ingestor.recover()  # a write killed mid-batch: vectors back in line with the catalog
    return Assistant(
        index,
        retriever=HybridRetriever(index, embedder, candidates=settings.retrieval_candidates),
        ranker=SentenceReranker(cross_encoder, index.idf, passages=settings.rerank_passages,
                                budget=settings.rerank_budget),
        answerer=ExtractiveAnswerer(nlp, idf=index.idf, thresholds={
            "relevance_threshold": settings.refusal_logit,
            "short_threshold": settings.short_answer_probability}),
        rewriter=FollowUpRewriter(nlp),
        ingestor=ingestor,
        readers=build_readers(settings, cross_encoder, nlp),
        default_answerer=settings.answerer,
        queue_timeout=settings.queue_timeout,
        quote_finder=QuoteFinder(index, nlp),
    )


def build_readers(settings: "Settings", cross_encoder, nlp) -> dict:
    """The language-model stages, "reader" (the short answer) and "llm" (a written answer,
    each sentence verified). Their one LLM is built on first use, so the extractive default
    never loads it and a missing extra is reported where a model is asked for."""
    import threading

    from assistant.answering.generative import GenerativeAnswerer, Verifier
    from assistant.answering.reader import LLMReader
    from assistant.models.llm import build_llm

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    built: list = []
    building = threading.Lock()

    def llm():  # built once, even when the first two questions ask for it together
        with building:
            if not built:
                built.append(build_llm(settings.llm_url, settings.llm_model, api_key=key,
                                       timeout=settings.llm_timeout, threads=settings.llm_threads,
                                       max_tokens=settings.llm_max_tokens))
            return built[0]

    model_lock = threading.Lock()  # one model: one generation at a time, across both stages
    return {
        "reader": LLMReader(llm, sentences=settings.reader_sentences, lock=model_lock),
        "llm": GenerativeAnswerer(llm, Verifier(nlp, cross_encoder), unverified=settings.llm_unverified,
                                  max_tokens=settings.llm_max_tokens, sources=settings.llm_sources,
                                  lock=model_lock),
    }
