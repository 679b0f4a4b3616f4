"""From a loosely shaped record (a JSON object, a CSV row, extracted HTML) to an ``Article``.

Field names vary between scrapers and feeds, so each field accepts the common aliases
below. The article id is the record's own id when it has one (so question sets that name
gold articles by id keep working), otherwise a hash of the most stable identity available:
the URL, else the file (for one-article files: its name and headline), else outlet + title
+ date, else the text. Re-ingesting a changed version of an article therefore replaces it
rather than adding a second copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from assistant.dates import normalize_date
from assistant.ids import content_hash
from assistant.types import Article
from ingest.clean import clean_line, clean_text

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id", "uuid", "guid", "_id"),
    "title": ("title", "headline", "name", "heading"),
    "body": ("body", "text", "content", "article", "maintext", "full_text", "story", "raw_text"),
    "url": ("url", "link", "href", "source_url", "canonical_url", "permalink"),
    "source": ("source", "outlet", "publisher", "site_name", "sitename", "source_name",
               "source_domain", "domain", "publication"),
    "author": ("author", "authors", "byline", "creator", "writer"),
    "published_at": ("published_at", "date", "published", "publish_date", "published_date",
                     "pubdate", "pub_date", "date_publish", "datetime", "timestamp",
                     "created_at", "time", "publishedat", "date_published"),
}
_TITLE_FROM_BODY_CHARS = 90
# Field limits, far above any real article and far below what hurts: a longer field is a
# broken or hostile record (a YAML or entity expansion, a file glued into one field), and
# cleaning, chunking and the chat would each pay for it. The record fails with the reason.
MAX_CHARS = {
    "body": 1_000_000,  # ~170,000 words; rtqa-dev cuts its articles at 100,000 characters
    "title": 1_000,
    "url": 4_096,
    "source": 500,
    "author": 2_000,
    "id": 512,
    "published_at": 200,
}


def article_from_record(record: Mapping[str, Any], *, file_key: str | None = None) -> Article:
    """Build an article; raises ``ValueError`` with the reason when the record is unusable.

    ``file_key`` is the name of a file that holds exactly one article (a text, Markdown or
    HTML file). Without a URL or id, the article is known by that name and its headline:
    editing the body and ingesting the file again replaces the old version, and the same
    file sent by the CLI, the API and the chat is one article. The name alone would let
    two different ``notes.txt`` uploads replace each other; the folder would make every
    upload (staged in a folder of its own) a new copy.
    """
    if not isinstance(record, Mapping):
        raise ValueError(f"expected an object with article fields, got {type(record).__name__}")
    fields = {name: _pick(record, name) for name in ALIASES}
    for name in ("title", "url", "id"):
        if isinstance(fields[name], (Mapping, list, tuple)):
            raise ValueError(f"{name} must be text, got {type(fields[name]).__name__}")
    for name, limit in MAX_CHARS.items():
        size = _size(fields[name])
        if size > limit:
            raise ValueError(f"{name} is {size:,} characters long; the limit is {limit:,}")
    raw_body = fields["body"]
    if raw_body is None:
        raise ValueError(f"missing body (looked for: {', '.join(ALIASES['body'])})")
    if not isinstance(raw_body, str):
        raise ValueError(f"body must be text, got {type(raw_body).__name__}")
    body = clean_text(raw_body)
    if not body:
        raise ValueError("empty body")
    try:
        published_at = normalize_date(fields["published_at"])
    except ValueError as exc:
        raise ValueError(f"bad date: {exc}") from None
    url = _text(fields["url"])
    source = clean_line(_source_name(fields["source"])) or _host(url)
    title = clean_line(_text(fields["title"])) or _title_from_body(body)
    author = clean_line(_join(fields["author"]))
    given_id = _text(fields["id"])
    article_id = given_id.strip() if given_id and given_id.strip() else _derived_id(
        url, file_key, source, title, published_at, body
    )
    return Article(
        id=article_id,
        title=title,
        body=body,
        url=url,
        source=source,
        author=author,
        published_at=published_at,
    )


def _pick(record: Mapping[str, Any], field: str) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for alias in ALIASES[field]:
        value = lowered.get(alias)
        if value not in (None, "", []):
            return value
    return None


def _size(value: Any) -> int:
    """Characters a field would take as text (lists of authors counted item by item)."""
    if value is None:
        return 0
    if isinstance(value, (list, tuple)):
        return sum(_size(item) for item in value)
    if isinstance(value, Mapping):  # an outlet or author object: only its name is kept
        return _size(value.get("name") or value.get("title") or value.get("href"))
    return len(value) if isinstance(value, str) else len(repr(value))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _join(value: Any) -> str | None:
    if isinstance(value, (list, tuple)):
        names = [_source_name(v) for v in value]
        return ", ".join(str(n) for n in names if n) or None
    return _source_name(value)


def _source_name(value: Any) -> str | None:
    """Feeds often give ``{"name": ..., "href": ...}`` objects for outlets and authors."""
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("title") or value.get("href")
    return _text(value)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _title_from_body(body: str) -> str:
    first_line = body.split("\n", 1)[0]
    if len(first_line) <= _TITLE_FROM_BODY_CHARS:
        return first_line
    return first_line[:_TITLE_FROM_BODY_CHARS].rsplit(" ", 1)[0] + "…"


def canonical_url(url: str) -> str:
    """A URL as article identity sees it: without its fragment or trailing slash."""
    return url.split("#", 1)[0].rstrip("/")


def _derived_id(
    url: str | None,
    file_key: str | None,
    source: str | None,
    title: str,
    published_at: str | None,
    body: str,
) -> str:
    if url:
        return content_hash("url", canonical_url(url))
    if file_key:
        return content_hash("file", file_key, title.casefold())
    if title and (source or published_at):
        return content_hash("meta", source, title.casefold(), published_at)
    return content_hash("text", title, body)
