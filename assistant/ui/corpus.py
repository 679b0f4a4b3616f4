"""The corpus tab: what the index holds, its newest articles, and uploads.

Uploads go through ``Assistant.ingest`` one file at a time, so each file gets its own line
in the result (added, unchanged, failed with location and reason) and one bad file never
stops the others. The ingest runs in a worker thread while the generator yields a progress
line every fraction of a second; Gradio streams those to the page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from assistant.errors import BylineError
from assistant.types import Article
from assistant.ui.cards import is_web_url, link, pretty_date
from ingest.readers import ARTICLE_FORMATS

log = logging.getLogger("byline.chat")

# The formats of ``byline ingest``, and .gz of them: one list, the readers'.
UPLOAD_SUFFIXES = [*ARTICLE_FORMATS, ".gz"]
RECENT_SHOWN = 12
POLL_SECONDS = 0.3


def outlet_choices(stats: dict) -> list[str]:
    return [row["source"] for row in stats.get("sources", []) if row.get("source")]


def span_text(stats: dict) -> str:
    first, last = stats.get("first_date"), stats.get("last_date")
    if not (first and last):
        return "no dates yet"
    return f"{pretty_date(first)} – {pretty_date(last)}"


def header_summary(stats: dict) -> str:
    """One line under the title: what the reader is asking about."""
    n = stats.get("articles", 0)
    if not n:
        return "The corpus is empty: add articles in the Corpus tab."
    outlets = len(outlet_choices(stats))
    return (f"{n:,} articles from {outlets} outlet{'s' if outlets != 1 else ''}"
            f" · {span_text(stats)}")


def overview_html(stats: dict) -> str:
    tiles = [
        (f"{stats.get('articles', 0):,}", "articles"),
        (f"{stats.get('chunks', 0):,}", "passages indexed"),
        (f"{len(outlet_choices(stats)):,}", "outlets"),
        (span_text(stats), "published"),
    ]
    tile_html = "".join(
        f'<div class="bl-tile"><div class="bl-tile-n">{escape(v)}</div>'
        f'<div class="bl-tile-l">{escape(label)}</div></div>' for v, label in tiles
    )
    rows = "".join(
        f'<li><span>{escape(row["source"] or "Unknown")}</span><span class="bl-count">'
        f'{row["articles"]:,}</span></li>' for row in stats.get("sources", [])[:30]
    )
    outlets = f'<h3>Outlets</h3><ul class="bl-outlets">{rows}</ul>' if rows else ""
    return f'<div class="bl-overview"><div class="bl-tiles">{tile_html}</div>{outlets}</div>'


def recent_html(articles: Sequence[Article], total: int) -> str:
    if not articles:
        return '<p class="bl-empty">No articles yet. Upload files below to build the corpus.</p>'
    rows = "".join(
        f'<li><time>{escape(pretty_date(a.published_at))}</time>'
        f'<span class="bl-outlet">{escape(a.source or "Unknown")}</span>'
        f"{_title_link(a)}</li>" for a in articles
    )
    return (f'<h3>Most recent articles <span class="bl-count">of {total:,}</span></h3>'
            f'<ul class="bl-recent">{rows}</ul>')


def _title_link(article: Article) -> str:
    title = escape(article.title or "Untitled")
    return link(article.url, title) if is_web_url(article.url) else f"<span>{title}</span>"


# -- uploads --------------------------------------------------------------------------------
@dataclass
class FileResult:
    name: str
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    ok: bool = True
    changed: int = 0  # articles added or updated


def ingest_uploads(assistant, paths: Sequence[str] | None, max_mb: int) -> Iterator[str]:
    """Ingest uploaded files one by one; yield the progress, then the per-file results."""
    paths = [str(p) for p in paths or () if p]
    if not paths:
        yield '<p class="bl-empty">Choose one or more files first.</p>'
        return
    results: list[FileResult] = []
    for i, path in enumerate(paths):
        name = Path(path).name
        size_mb = Path(path).stat().st_size / 2**20 if Path(path).exists() else 0.0
        if size_mb > max_mb:
            results.append(FileResult(name, problems=[
                f"{name}: {size_mb:.1f} MB is over the {max_mb} MB upload limit; use "
                "`byline ingest` for big files"], ok=False))
            continue
        yield from _ingest_one(assistant, path, name, i, len(paths), results)
    yield results_html(results)


def _ingest_one(assistant, path, name, index, count, results) -> Iterator[str]:
    seen = {"read": 0}
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["report"] = assistant.ingest([path], lambda _r, read: seen.update(read=read))
        except BylineError as exc:
            outcome["error"] = str(exc)
        except Exception as exc:  # noqa: BLE001 - one file never breaks the app
            log.exception("ingesting %s failed", path)
            outcome["error"] = f"could not be ingested ({type(exc).__name__}); see the server log"

    worker = threading.Thread(target=work, name=f"upload-{name}", daemon=True)
    worker.start()
    while worker.is_alive():
        yield progress_html(name, index, count, seen["read"])
        worker.join(POLL_SECONDS)
    results.append(_result(name, path, outcome))


def _result(name: str, path: str, outcome: dict) -> FileResult:
    if "error" in outcome:
        return FileResult(name, problems=[f"{name}: {outcome['error']}"], ok=False)
    report = outcome["report"]
    problems = [f"{e.location.replace(path, name)}: {e.reason}"
                for e in [*report.failed, *report.skipped_files]]
    summary = (f"{report.added} added, {report.replaced} updated, {report.unchanged} unchanged"
               f" · {report.chunks} passages · {report.seconds:.1f} s")
    return FileResult(name, summary, problems, ok=report.processed > 0 and not problems,
                      changed=report.added + report.replaced)


def progress_html(name: str, index: int, count: int, read: int) -> str:
    percent = int(100 * index / count)
    return (
        f'<div class="bl-progress" role="status"><div class="bl-bar"><span style="width:{percent}%">'
        f'</span></div><p>Ingesting file {index + 1} of {count}: <b>{escape(name)}</b>'
        f" · {read:,} articles read</p></div>"
    )


def results_html(results: Sequence[FileResult], shown: int = 8) -> str:
    rows = []
    for r in results:
        icon, cls = ("✓", "bl-ok") if r.ok else (("!", "bl-warn") if r.changed else ("✕", "bl-bad"))
        problems = "".join(f"<li>{escape(p)}</li>" for p in r.problems[:shown])
        if len(r.problems) > shown:
            problems += f"<li>…and {len(r.problems) - shown} more</li>"
        rows.append(
            f'<li class="{cls}"><span class="bl-icon">{icon}</span><div><b>{escape(r.name)}</b>'
            f'<span class="bl-sum">{escape(r.summary)}</span>'
            f'{f"<ul class=bl-problems>{problems}</ul>" if problems else ""}</div></li>'
        )
    changed = sum(r.changed for r in results)
    bad = sum(not r.ok for r in results)
    head = (f"{changed:,} article{'s' if changed != 1 else ''} added or updated from "
            f"{len(results)} file{'s' if len(results) != 1 else ''}")
    if bad:
        head += f" · {bad} with problems, listed below"
    return f'<div class="bl-results"><p class="bl-results-head">{head}</p><ul>{"".join(rows)}</ul></div>'
