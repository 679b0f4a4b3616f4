"""Sentence boundaries as character offsets, so every quote maps back to the article.

NLTK's Punkt model (trained on news, knows "U.S." and "Mr." are not sentence ends) does
the splitting. Its data ships inside llama-index-core's wheel, so nothing is downloaded.
Paragraphs (blank-line separated) are split first: a headline-like line without a full
stop must not glue itself to the next paragraph.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

_PARAGRAPH = re.compile(r"\n\s*\n")
Span = tuple[int, int]


def split_sentences(text: str) -> list[Span]:
    """``(start, end)`` offsets of each sentence in ``text``, trimmed of whitespace."""
    spans: list[Span] = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        spans.extend(_split_paragraph(text, start, match.start()))
        start = match.end()
    spans.extend(_split_paragraph(text, start, len(text)))
    return spans


def _split_paragraph(text: str, start: int, end: int) -> list[Span]:
    paragraph = text[start:end]
    if not paragraph.strip():
        return []
    spans = []
    for s, e in _punkt().span_tokenize(paragraph):
        piece = paragraph[s:e]
        s += len(piece) - len(piece.lstrip())
        e -= len(piece) - len(piece.rstrip())
        if e > s:
            spans.append((start + s, start + e))
    return spans


@functools.cache
def _punkt():
    import nltk
    from nltk.tokenize.punkt import PunktTokenizer

    data_dir = _bundled_nltk_data()
    if data_dir and str(data_dir) not in nltk.data.path:
        nltk.data.path.insert(0, str(data_dir))
    return PunktTokenizer("english")


def _bundled_nltk_data() -> Path | None:
    """The NLTK tables inside llama-index-core's wheel: the one packaged, offline copy of
    Punkt's English model (no PyPI package ships it alone, and nltk.download needs the
    network). Put first on NLTK's path, so the model is the same wherever Byline runs.
    llama-index's own helper for this (``globals_helper.wait_for_nltk_check``) is not
    used: with NLTK_DATA set it ignores this folder and tries to download."""
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "_static" / "nltk_cache"
    return path if path.is_dir() else None
