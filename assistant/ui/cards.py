"""HTML for the chat: the answer bubble, citation cards and related reading.

Pure string rendering over ``Answer``/``Citation``/``Passage`` (no gradio), so the exact
markup a reader sees is unit-tested. Every corpus string is escaped: articles are untrusted.

Each answer is numbered by its turn in the conversation. Its markers link to
``#bl-cite-<turn>-<n>``, the id of the matching card in the sources panel, so ``[2]`` of the
third answer and ``[2]`` of the first never collide.

The answer bubble is emitted as one line of HTML: the chatbot renders Markdown, and an HTML
block without blank lines is passed through as is, so quoted text with ``*`` or ``#`` in it
is never reinterpreted as formatting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from html import escape
from urllib.parse import urlparse

from assistant.retrieval.dedup import shown_outlets
from assistant.types import Answer, Citation, Passage

MARKER = re.compile(r"\[(\d+)\]")
EXCERPT_CONTEXT = 260  # characters of passage shown either side of the quote
RELATED_SHOWN = 4  # articles shown as related reading after a refusal
RELATED_CHARS = 320


def cite_id(turn: int, number: int) -> str:
    return f"bl-cite-{turn}-{number}"


def pretty_date(iso: str | None) -> str:
    """``2025-01-13`` -> ``13 Jan 2025``; unparseable values are shown as given."""
    if not iso:
        return "undated"
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


def _inline(text: str) -> str:
    """Escape and keep the text on one line (see the module docstring)."""
    return escape(" ".join(text.split()))


def link_markers(html_text: str, turn: int, numbers: Sequence[int] | None = None) -> str:
    """Turn ``[n]`` into a link to card ``n`` of this turn (only for known ``numbers``)."""

    def replace(match: re.Match) -> str:
        n = int(match.group(1))
        if numbers is not None and n not in numbers:
            return match.group(0)
        return (
            f'<a class="bl-ref" href="#{cite_id(turn, n)}" '
            f'title="Show source {n}">{n}</a>'
        )

    return MARKER.sub(replace, html_text)


UNVERIFIED_HTML = ('<span class="bl-unverified" title="Byline could not verify this sentence '
                   'against the sources it cites: check them before relying on it">unverified</span>')


def _paragraphs(text: str, turn: int, numbers: Sequence[int] | None) -> list[str]:
    parts = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [link_markers(_inline(p), turn, numbers).replace("(unverified)", UNVERIFIED_HTML)
            for p in parts]


def streaming_html(text: str, turn: int) -> str:
    """The reply while it is still arriving."""
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(text, turn, None))
    return f'<div class="bl-answer bl-pending">{body or "<p>Searching the corpus…</p>"}</div>'


def answer_html(answer: Answer, turn: int, note: str = "") -> str:
    """The finished reply: the short answer as a lead line, the quoted evidence with its
    markers, and a footer with the query searched (when a follow-up was rewritten)."""
    if answer.abstained:
        return refusal_html(answer, note)
    numbers = [c.number for c in answer.citations]
    paragraphs = _paragraphs(answer.text, turn, numbers)
    lead = answer.short_answer and answer.text.startswith(answer.short_answer)
    body = "".join(
        f'<p class="bl-short">{p}</p>' if i == 0 and lead and len(paragraphs) > 1 else f"<p>{p}</p>"
        for i, p in enumerate(paragraphs)
    )
    if answer.pending:
        body = '<p class="bl-reading">Reading the sources…</p>' + body
        return f'<div class="bl-answer bl-pending">{body}</div>'
    return f'<div class="bl-answer">{body}{_footer(answer, note)}</div>'


def refusal_html(answer: Answer, note: str = "") -> str:
    return (
        '<div class="bl-answer bl-refusal"><p class="bl-refusal-head">Not in the corpus</p>'
        f"<p>{_inline(answer.text)}</p>"
        f'<p class="bl-hint">Try other words, widen the filters, or add articles in the Corpus tab.</p>'
        f"{_footer(answer, note)}</div>"
    )


def error_html(message: str) -> str:
    return (
        '<div class="bl-answer bl-error"><p class="bl-refusal-head">Could not answer</p>'
        f"<p>{_inline(message)}</p></div>"
    )


def _footer(answer: Answer, note: str) -> str:
    bits = []
    if not answer.abstained:
        what = "short answer" if answer.short_answer else "no short answer stated; the quotes"
        bits.append(f'<span class="bl-confidence" title="probability the {what} '
                    f'{"is" if answer.short_answer else "hold the answer"}: '
                    f'{answer.confidence:.0%}">{escape(answer.confidence_label)}</span>')
    if answer.query and answer.query != answer.question:
        bits.append(f"Searched for “{_inline(answer.query)}”")
    if note:
        bits.append(_inline(note))
    reading = answer.reader or {}
    status = reading.get("status", "")
    if reading.get("mode") == "llm":
        sentences = reading.get("sentences") or []
        if status.startswith("answered"):
            checked = sum(1 for s in sentences if s["verified"])
            bits.append(f"Written by the language model: {checked} of {len(sentences)} "
                        "sentences verified against the sources they cite")
        elif status.startswith(("failed", "unverified")):
            bits.append("The language model's answer could not be used; this is the extractive answer")
    elif status.startswith("failed"):
        bits.append("The language model could not read the sources; this is the extractive answer")
    elif status == "answered":
        bits.append("Short answer read by the language model and checked against the sources")
    if answer.citations:
        n = len(answer.citations)
        bits.append(f"{n} source{'s' if n != 1 else ''}")
    seconds = answer.timings.get("total")
    if seconds is not None:
        bits.append(f"{seconds:.1f} s")
    return f'<p class="bl-meta">{" · ".join(bits)}</p>' if bits else ""


# -- the sources panel ---------------------------------------------------------------------
def excerpt(passage: Passage, start: int | None, end: int | None) -> str:
    """The passage around the quote, with the quote in ``<mark>``. ``start``/``end`` are
    article-body offsets (as in ``Citation``); the passage begins at ``char_start``."""
    text = passage.text
    if start is None or end is None:
        return _with_breaks(escape(_clip(text, 0, len(text), RELATED_CHARS)))
    lo = max(0, start - passage.char_start)
    hi = min(len(text), end - passage.char_start)
    left, right = max(0, lo - EXCERPT_CONTEXT), min(len(text), hi + EXCERPT_CONTEXT)
    if left > 0:
        space = text.find(" ", left, lo)  # start on a word boundary
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", hi, right)  # end on a word boundary
        right = space if space > hi else right
    before = ("…" if left > 0 else "") + text[left:lo]
    after = text[hi:right] + ("…" if right < len(text) else "")
    return _with_breaks(f"{escape(before)}<mark>{escape(text[lo:hi])}</mark>{escape(after)}")


def _clip(text: str, start: int, end: int, limit: int) -> str:
    piece = text[start:end]
    if len(piece) <= limit:
        return piece
    cut = piece.rfind(" ", 0, limit)
    return piece[: cut if cut > 0 else limit] + "…"


def _with_breaks(html_text: str) -> str:
    return re.sub(r"\s*\n\s*", "<br>", html_text.strip())


def is_web_url(url: str | None) -> bool:
    """Only http(s) URLs become links: an ingested ``javascript:`` URL must not run in the
    reader's browser."""
    return bool(url) and urlparse(url).scheme.lower() in ("http", "https")


def link(url: str | None, label_html: str) -> str:
    """``label_html`` as a link to ``url`` in a new tab, or alone when ``url`` is no web URL."""
    if not is_web_url(url):
        return label_html
    return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{label_html}</a>'


def _byline(passage: Passage) -> str:
    parts = [f'<span class="bl-outlet">{escape(passage.source or "Unknown outlet")}</span>',
             f"<time>{escape(pretty_date(passage.published_at))}</time>"]
    if is_web_url(passage.url):
        host = urlparse(passage.url).netloc.removeprefix("www.") or "link"
        parts.append(link(passage.url, f"{escape(host)} ↗"))
    also = ""
    if passage.also_reported_by:  # the same story (or the same wire text) in other outlets
        shown, more = shown_outlets(passage)
        outlets = ", ".join(link(c.url, escape(c.source or "Unknown outlet")) + (" (same text)" if c.same_text else "")
                            for c in shown) + (f" and {more} more" if more > 0 else "")
        also = f'<div class="bl-also">Also reported by: {outlets}</div>'
    return '<div class="bl-byline">' + " · ".join(parts) + "</div>" + also


def _title(passage: Passage) -> str:
    return link(passage.url, escape(passage.title or "Untitled"))


def citation_card(citation: Citation, turn: int) -> str:
    p = citation.passage
    return (
        f'<article class="bl-card" id="{cite_id(turn, citation.number)}">'
        f'<div class="bl-card-head"><span class="bl-num">{citation.number}</span>'
        f'<h4 class="bl-title">{_title(p)}</h4></div>{_byline(p)}'
        f'<p class="bl-passage">{excerpt(p, citation.quote_start, citation.quote_end)}</p></article>'
    )


def speaker_card(speaker: dict | None) -> str:
    """Who the reply credits: name, the role and the source the cited articles give them,
    and how many of their statements the answer read ("" when no speaker)."""
    if not speaker or not speaker.get("name"):
        return ""
    lines = [f'<h4 class="bl-title">{escape(speaker["name"])}</h4>']
    if speaker.get("role"):
        lines.append(f'<div class="bl-role">{escape(speaker["role"])}</div>')
    if speaker.get("cites"):
        lines.append(f'<div class="bl-role">citing {escape(speaker["cites"])}</div>')
    count = speaker.get("statements") or 0
    if count:
        lines.append(f'<div class="bl-byline">{count} statement{"s" * (count != 1)} read · '
                     f'<code>byline quotes "{escape(speaker["name"])}"</code> lists them all</div>')
    return f'<article class="bl-card bl-speaker">{"".join(lines)}</article>'


def related_card(passage: Passage) -> str:
    return (
        f'<article class="bl-card bl-related"><h4 class="bl-title">{_title(passage)}</h4>'
        f'{_byline(passage)}<p class="bl-passage">{excerpt(passage, None, None)}</p></article>'
    )


def sources_section(answer: Answer, turn: int) -> str:
    """One answer's cards: its citations, or after a refusal the closest passages."""
    question = f'<span class="bl-turn-q">{_inline(answer.question)}</span>'
    if answer.citations:
        label = "Sources"
        cards = speaker_card(answer.speaker) + "".join(citation_card(c, turn) for c in answer.citations)
    else:
        label = "Related reading · does not answer the question"
        cards = "".join(related_card(p) for p in _one_per_article(answer.passages)[:RELATED_SHOWN])
        cards = cards or '<p class="bl-empty">No passage came close.</p>'
    return (
        f'<section class="bl-turn" id="bl-turn-{turn}"><header><span class="bl-turn-n">{turn}</span>'
        f'{question}</header><div class="bl-turn-label">{label}</div>{cards}</section>'
    )


def _one_per_article(passages: Sequence[Passage]) -> list[Passage]:
    """The best passage of each article: related reading lists stories, not chunks."""
    seen: set[str] = set()
    return [p for p in passages if not (p.article_id in seen or seen.add(p.article_id))]


def sources_panel(sections: Sequence[str]) -> str:
    """All answers' sections, newest first (it is the one a reader is looking at)."""
    if not sections:
        return (
            '<div class="bl-panel bl-panel-empty"><p class="bl-empty-title">Sources</p>'
            "<p>Every answer quotes the articles it comes from. Their cards appear here, with "
            "the quoted words highlighted; click a number in an answer to jump to its card.</p></div>"
        )
    return '<div class="bl-panel">' + "".join(reversed(sections)) + "</div>"
