"""Keyword search over a large corpus leaves its most common terms out of the candidate
search (they only score the candidates): the results must be what searching every term
gives. The demo corpus is small, so the floor is lowered to make its common terms common."""

from __future__ import annotations

import pytest

from assistant.store import keyword
from assistant.types import Filters
from tests.conftest import DEMO, read_jsonl


@pytest.fixture
def catalog(demo_assistant, monkeypatch):
    monkeypatch.setattr(keyword, "COMMON_FLOOR", 0)
    return demo_assistant.index.catalog


def search(catalog, monkeypatch, query, share, filters=Filters()):
    monkeypatch.setattr(keyword, "COMMON_SHARE", share)
    return catalog.keyword_search(query, 40, filters)


@pytest.mark.parametrize("filters", [Filters(), Filters(sources=("Wikinews",))], ids=["all", "outlet"])
def test_common_terms_change_no_top_ten(catalog, monkeypatch, filters):
    questions = [row["question"] for row in read_jsonl(DEMO / "questions.jsonl")]
    chunks = catalog.counts()[1]
    with_common = 0
    for question in questions:
        terms = keyword.query_terms(question, catalog.document_frequency)
        monkeypatch.setattr(keyword, "COMMON_SHARE", 0.2)
        with_common += len(keyword.rare_terms(terms, chunks)) < len(terms)
        every_term = search(catalog, monkeypatch, question, 1.0, filters)[:10]
        rare_first = search(catalog, monkeypatch, question, 0.2, filters)[:10]
        assert [cid for cid, _ in rare_first] == [cid for cid, _ in every_term], question
        assert [s for _, s in rare_first] == pytest.approx([s for _, s in every_term]), question
    assert with_common >= len(questions) // 2  # the two-step search was exercised


def test_a_query_of_common_words_is_searched_by_the_rarest(catalog, monkeypatch):
    query = "the president said this year"  # each term in more than a fifth of the chunks
    terms = keyword.query_terms(query, catalog.document_frequency)
    assert len(terms) == 3 and all(n > 0.2 * catalog.counts()[1] for n in terms.values())
    rarest = min(terms, key=terms.get)
    hits = search(catalog, monkeypatch, query, 0.2)
    assert len(hits) == 40 and [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    chunks = catalog.chunk_rows([cid for cid, _ in hits])
    assert all(rarest in keyword.terms_of(row.title, row.chunk.text).split() for row in chunks.values())


def test_bm25_reads_fts5s_own_statistics(catalog):
    indexed = [terms for (terms,) in catalog._fetch("SELECT terms FROM chunk_terms")]
    with catalog._lock:
        average = keyword.average_length(catalog._db)
    assert average == pytest.approx(sum(len(t.split()) for t in indexed) / len(indexed))
