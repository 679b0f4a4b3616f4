"""Articles from the web: single pages, and RSS/Atom feeds polled for new entries.

httpx fetches (timeouts, redirects, a size cap enforced while the body streams in);
feedparser reads feeds and trafilatura extracts each linked page (``ingest.markup``). A
feed's ETag and Last-Modified are kept and sent back (If-None-Match, If-Modified-Since), so
an unchanged feed costs one ``304 Not Modified``; each entry's link is kept with the
feed's "updated" stamp for it, so a page is fetched once, and again only when the feed says
it changed (a correction then replaces the stored article: its id is its URL's). That state
is a SQLite file in the data folder (``feeds.sqlite3``), written after the articles are
stored: a poll that dies midway fetches the rest next time.

A feed or page that cannot be fetched or read is reported (URL and reason) and skipped;
the other feeds and entries go in. An entry whose page fails is not marked as seen, and the
feed's validators are not kept, so the next poll reads the feed and tries it again.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from assistant.errors import IngestError
from assistant.types import Article
from ingest import markup
from ingest.readers import MAX_DOCUMENT_BYTES
from ingest.records import article_from_record

if TYPE_CHECKING:
    import httpx

    from ingest.pipeline import Ingestor, IngestReport

USER_AGENT = "Byline/0.1 (news question answering; feed reader)"
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def parse_interval(text: str) -> float:
    """Seconds in ``30s``, ``15m``, ``1h``, ``1d`` (a bare number is seconds); at least 1 s."""
    match = _INTERVAL.match(text)
    if not match:
        raise ValueError(f"{text!r} is no interval; use e.g. 30s, 15m, 1h")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds < 1:
        raise ValueError(f"{text!r} is shorter than a second")
    return seconds


class FetchError(Exception):
    """A URL that could not be fetched (unreachable, an error status, too large)."""


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the validators sent still hold
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


class Web:
    """HTTP GET with validators and a size cap; one connection pool, reused."""

    def __init__(self, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_DOCUMENT_BYTES,
                 transport: "httpx.BaseTransport | None" = None) -> None:
        import httpx

        self.max_bytes = max_bytes
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT}, transport=transport)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        import httpx

        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(str(response.url), 304, etag=etag, last_modified=last_modified)
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"{int(declared):,} bytes; the limit is {self.max_bytes:,}")
                body = bytearray()
                for part in response.iter_bytes():
                    body += part
                    if len(body) > self.max_bytes:
                        raise FetchError(f"more than {self.max_bytes:,} bytes")
                return Fetched(str(response.url), response.status_code, bytes(body),
                               response.headers.get("Content-Type", ""),
                               response.headers.get("ETag"), response.headers.get("Last-Modified"))
        except httpx.HTTPError as exc:
            raise FetchError(str(exc) or type(exc).__name__) from None

    def close(self) -> None:
        self._client.close()


def page_article(fetched: Fetched, fallback: dict[str, Any] | None = None) -> Article:
    """The article of a fetched news page (trafilatura's text and metadata); ``fallback``:
    what a feed said of it (outlet, date, author, headline), used where the page is silent.
    The URL asked for is the article's identity unless the page names a canonical one.
    Raises ``ValueError`` with the reason."""
    if not _is_html(fetched):
        raise ValueError(f"not an HTML page ({fetched.content_type or 'no content type'})")
    record = {k: v for k, v in markup.extract_html(fetched.content).items() if v}
    if not record.get("body"):
        raise ValueError("no article text found on the page")
    merged = {**{k: v for k, v in (fallback or {}).items() if v and k != "body"}, **record}
    if fallback and fallback.get("published_at"):  # stated by the feed; a page's is often guessed
        merged["published_at"] = fallback["published_at"]
    if not is_url(str(merged.get("url", ""))):
        merged["url"] = fetched.url
    merged.pop("id", None)
    return article_from_record(merged)


def _is_html(fetched: Fetched) -> bool:
    return "html" in fetched.content_type or fetched.content.lstrip()[:15].lower().startswith(
        (b"<!doctype html", b"<html"))


def _with_failures(report: "IngestReport", failures: Sequence[IngestError]) -> "IngestReport":
    """``report`` with ``failures`` (fetch and extraction errors) among its own, once each."""
    known = {(e.location, e.reason) for e in report.failed}
    report.failed += [e for e in failures if (e.location, e.reason) not in known]
    return report


@dataclass
class PollReport:
    """What one poll of one feed did."""

    feed: str
    status: str  # "new" (entries read), "unchanged" (304 or nothing new), "failed"
    entries: int = 0  # entries in the feed
    fetched: int = 0  # pages fetched
    failed: list[IngestError] = field(default_factory=list)
    ingest: "IngestReport | None" = None

    def to_dict(self) -> dict:
        return {"feed": self.feed, "status": self.status, "entries": self.entries,
                "pages_fetched": self.fetched,
                "failed": [{"location": e.location, "reason": e.reason} for e in self.failed],
                "ingest": self.ingest.to_dict() if self.ingest else None}


_STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,
                                  polled_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (feed TEXT NOT NULL, link TEXT NOT NULL, stamp TEXT NOT NULL,
                                    article_id TEXT NOT NULL, PRIMARY KEY (feed, link));
"""


class FeedState:
    """Per feed: its validators; per entry: the stamp its page was last ingested at."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_STATE_SCHEMA)
        self._lock = threading.Lock()

    def validators(self, feed: str) -> tuple[str | None, str | None]:
        with self._lock:
            row = self._db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (feed,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def stamps(self, feed: str) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT link, stamp FROM entries WHERE feed = ?", (feed,)))

    def save(self, feed: str, fetched: Fetched, done: Sequence[tuple[str, str, str]]) -> None:
        """Record a poll: the feed's validators and the entries ``(link, stamp, article_id)``
        now stored, in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
                                 (feed, fetched.etag, fetched.last_modified, now))
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                                     [(feed, *row) for row in done])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")


class Watcher:
    """Polls feeds and ingests their new and changed entries through ``ingestor``."""

    def __init__(self, ingestor: "Ingestor", state_path: Path, web: Web | None = None) -> None:
        self.ingestor = ingestor
        self.state = FeedState(state_path)
        self.web = web or Web()

    def poll(self, feed: str) -> PollReport:
        etag, last_modified = self.state.validators(feed)
        try:
            fetched = self.web.get(feed, etag=etag, last_modified=last_modified)
        except FetchError as exc:
            return PollReport(feed, "failed", failed=[IngestError(feed, str(exc))])
        if fetched.status == 304:
            return PollReport(feed, "unchanged")
        entries = markup.feed_entries(fetched.content)
        if entries is None:
            return PollReport(feed, "failed", failed=[IngestError(feed, "not an RSS or Atom feed")])
        return self._ingest_entries(feed, fetched, entries)

    def _ingest_entries(self, feed: str, fetched: Fetched, entries: list[dict[str, Any]]) -> PollReport:
        """Fetch and ingest the pages of the new and changed ``entries`` of a fetched feed,
        then record the poll."""
        report = PollReport(feed, "new", entries=len(entries))
        seen = self.state.stamps(feed)
        todo: list[tuple[str, str, Article]] = []
        for number, entry in enumerate(entries, start=1):
            link = entry.get("url")
            if not link or not is_url(link):
                report.failed.append(IngestError(f"{feed} entry {number}", "no http(s) link to the article"))
                continue
            stamp = str(entry.get("published_at") or "") + "|" + str(entry.get("updated") or "")
            if seen.get(link) == stamp:
                continue
            article = self._page(link, entry, report)
            if article is not None:
                todo.append((link, stamp, article))
        if todo:
            report.ingest = self.ingestor.ingest_articles([a for _, _, a in todo])
            report.failed += report.ingest.failed
        stored = (report.ingest.outcomes or {}) if report.ingest else {}
        if report.failed:  # forget the validators: the next poll reads the feed and retries
            fetched.etag = fetched.last_modified = None
        self.state.save(feed, fetched, [(link, stamp, a.id) for link, stamp, a in todo if a.id in stored])
        if not todo:
            report.status = "unchanged" if not report.failed else report.status
        return report

    def ingest_url(self, url: str) -> "IngestReport":
        """Fetch and ingest one page (``byline ingest URL``); a feed's URL ingests its
        entries as a poll would."""
        from ingest.pipeline import IngestReport

        try:
            fetched = self.web.get(url)
        except FetchError as exc:
            return IngestReport(failed=[IngestError(url, str(exc))])
        entries = None if _is_html(fetched) else markup.feed_entries(fetched.content)
        if entries is not None:
            polled = self._ingest_entries(url, fetched, entries)
            return _with_failures(polled.ingest or IngestReport(), polled.failed)
        try:
            article = page_article(fetched)
        except ValueError as exc:
            return IngestReport(failed=[IngestError(url, str(exc))])
        return self.ingestor.ingest_articles([article])

    def _page(self, url: str, entry: dict[str, Any] | None, report: PollReport) -> Article | None:
        try:
            fetched = self.web.get(url)
            report.fetched += 1
            return page_article(fetched, entry)
        except (FetchError, ValueError) as exc:
            report.failed.append(IngestError(url, str(exc)))
            return None

    def run(self, feeds: Sequence[str], every: float, on_poll: Callable[[PollReport], None],
            stop: threading.Event | None = None) -> None:
        """Poll ``feeds`` every ``every`` seconds until ``stop`` is set (or interrupted)."""
        stop = stop or threading.Event()
        while not stop.is_set():
            for feed in feeds:
                on_poll(self.poll(feed))
            stop.wait(every)
