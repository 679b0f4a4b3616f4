"""The words of a text as every ranking stage counts them: lower-cased, English stop words
removed (bm25s's list), stemmed with Snowball (PyStemmer). BM25 indexes these terms, the
sentence reranker and the answer checks weigh the question's terms by the index's IDF, so
all of them must cut text the same way: one function, here."""

from __future__ import annotations

import re
from functools import cache

_WORD = re.compile(r"(?u)\b\w\w+\b")


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@cache
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def analyze(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed terms: the vocabulary of the index."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _stopwords()]
    return _stemmer().stemWords(words)
