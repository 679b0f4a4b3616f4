"""Sentence boundaries as character offsets, so every quote maps back to the article.

NLTK's Punkt model (trained on news, knows "U.S." and "Mr." are not sentence ends) does
the splitting. Its data ships inside llama-index-core's wheel, so nothing is downloaded.
Paragraphs (blank-line separated) are split first: a headline-like line without a full
stop must not glue itself to the next paragraph.
"""

from __future__ import annotations

import functools
import re

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
    from llama_index.core.utils import globals_helper
    from nltk.tokenize.punkt import PunktTokenizer

    # llama-index ships NLTK's English Punkt tables in its wheel and puts them on NLTK's
    # search path (honouring NLTK_DATA); asking it, rather than reading its folder, keeps
    # Byline off llama-index's private layout. Nothing is downloaded: the data is there.
    globals_helper.wait_for_nltk_check()
    return PunktTokenizer("english")
