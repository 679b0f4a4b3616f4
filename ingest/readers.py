"""Readers: turn files into articles, one format per function, every failure located.

Each reader yields ``Article`` or ``IngestError`` items, so a malformed line is reported
(``path:line: reason``) while the rest of the file goes in. ``.gz`` wraps any format; a
folder is read recursively (hidden entries skipped, unknown extensions listed as skipped).

Libraries: trafilatura extracts the article text and metadata from HTML pages, feedparser
reads RSS/Atom, markdown-it-py renders Markdown, PyYAML reads Markdown front matter.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from assistant.errors import IngestError
from assistant.types import Article
from ingest.records import article_from_record

Record = Article | IngestError


class Located(NamedTuple):
    """An article and where it was read (``path`` or ``path:line``)."""

    location: str
    article: Article

ARTICLE_FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv",
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_COLLECTION_KEYS = ("articles", "items", "data", "results", "documents", "entries")
_BINARY_SNIFF = 8192
# Memory bounds. A whole-document format (JSON, CSV, HTML, Markdown, text, feeds) is read
# into memory, decompressed size capped: a 150 KB gzip can expand to gigabytes. JSON Lines
# is streamed a line at a time, so its files have no size limit, only its lines.
MAX_DOCUMENT_BYTES = 128 << 20
MAX_LINE_BYTES = 16 << 20
_READ_CHUNK = 1 << 20


class TooLarge(ValueError):
    """A file or line over its memory bound."""


def format_of(path: Path) -> str | None:
    """The reader name for a file, looking through a ``.gz`` suffix; None if unsupported."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return ARTICLE_FORMATS.get(suffixes[-1]) if suffixes else None


def discover(paths: Iterable[str | Path]) -> Iterator[Path | IngestError]:
    """Expand folders into supported files, in a stable order; missing paths are errors."""
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") for part in relative) or not child.is_file():
                    continue
                yield child if format_of(child) else IngestError(
                    str(child), "skipped: not an article format (" + _supported() + ")"
                )
        elif path.is_file():
            yield path if format_of(path) else IngestError(
                str(path), "unsupported file type (" + _supported() + ")"
            )
        elif path.exists():
            yield IngestError(str(path), "not a regular file or folder")
        else:
            yield IngestError(str(path), "no such file or folder")


def read_file(path: Path) -> Iterator[Record]:
    """Every article in one file; problems come back as ``IngestError`` items."""
    for item in read_located(path):
        yield item.article if isinstance(item, Located) else item


def read_located(path: Path) -> Iterator[Located | IngestError]:
    """``read_file`` with each article's location, for reports that must name it.

    Nothing in a file ends the ingest: a record that makes a parser or a library fail
    (an overflowing date, JSON nested 100,000 deep, markup lxml rejects) is reported with
    its location and the reason, and the next record or file goes on.
    """
    fmt = format_of(path)
    try:
        if fmt == "jsonl":
            yield from _read_jsonl(path)
            return
        data = _read_bytes(path, MAX_DOCUMENT_BYTES)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield IngestError(str(path), f"unreadable: {exc}")
        return
    except TooLarge as exc:
        yield IngestError(str(path), str(exc))
        return
    except Exception as exc:  # a streamed file's parser failed mid-way: the rest of it only
        yield IngestError(str(path), failure_reason(exc))
        return
    if not data.strip():
        yield IngestError(str(path), "empty file")
        return
    if fmt != "feed" and b"\x00" in data[:_BINARY_SNIFF]:
        yield IngestError(str(path), "binary file, not text")
        return
    reader = _READERS[fmt]
    try:
        yield from reader(path, data)
    except (ValueError, UnicodeError, csv.Error) as exc:
        yield IngestError(str(path), str(exc))
    except Exception as exc:  # a parser's own failure on hostile input: this file only
        yield IngestError(str(path), failure_reason(exc))


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    return f"could not read: {type(exc).__name__}: {exc}"[:500]


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's (decompressed) bytes, read in chunks; ``TooLarge`` past ``limit``."""
    parts: list[bytes] = []
    size = 0
    with _open_binary(path) as handle:
        while chunk := handle.read(_READ_CHUNK):
            size += len(chunk)
            if size > limit:
                what = "decompresses to" if path.suffix.lower() == ".gz" else "is"
                raise TooLarge(
                    f"{what} more than {limit >> 20} MB; split it, or use JSON Lines "
                    f"(.jsonl), which is read a line at a time"
                )
            parts.append(chunk)
    return b"".join(parts)


def _lines(handle, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` of a binary stream; ``line`` is None for one over ``limit`` bytes,
    which is skipped without holding it in memory."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(_READ_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def _decode_line(raw: bytes) -> str:
    """One JSON line as text: UTF-8 as JSON requires, else Windows-1252, the encoding of
    most non-UTF-8 news exports (every byte decodes, so a line is never lost to it)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        guess = from_bytes(data).best()
        if guess is None:
            raise ValueError("not valid UTF-8 and no other text encoding fits") from None
        return str(guess)


def read_record(location: str, record: Any, file_key: str | None = None) -> Located | IngestError:
    """One record (a JSON object, a CSV row, ...) as an article, or the reason it is not
    one: nothing a record holds escapes as an exception."""
    try:
        return Located(location, article_from_record(record, file_key=file_key))
    except ValueError as exc:
        return IngestError(location, str(exc))
    except Exception as exc:  # hostile values that break a library: this record only
        return IngestError(location, failure_reason(exc))


def _read_jsonl(path: Path) -> Iterator[Located | IngestError]:
    """One article per line, streamed: memory holds one line (at most ``MAX_LINE_BYTES``)."""
    with _open_binary(path) as handle:
        empty = True
        for number, raw in _lines(handle, MAX_LINE_BYTES):
            location = f"{path}:{number}"
            if raw is None:
                yield IngestError(location, f"line longer than {MAX_LINE_BYTES >> 20} MB")
                empty = False
                continue
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            empty = False
            if b"\x00" in raw:
                if number == 1:  # not a text file at all: one error, not one per "line"
                    yield IngestError(str(path), "binary file, not text")
                    return
                yield IngestError(location, "binary data, not text")
                continue
            try:
                record = json.loads(_decode_line(raw))
            except json.JSONDecodeError as exc:
                yield IngestError(location, f"malformed JSON: {exc.msg} (column {exc.colno})")
                continue
            except RecursionError:
                yield IngestError(location, "JSON nested too deeply to read")
                continue
            except ValueError as exc:  # e.g. an integer of more than 4,300 digits
                yield IngestError(location, f"malformed JSON: {exc}"[:300])
                continue
            yield read_record(location, record)
        if empty:
            yield IngestError(str(path), "empty file")


def _read_json(path: Path, data: bytes) -> Iterator[Located | IngestError]:
    try:
        document = json.loads(_decode(data))
    except json.JSONDecodeError as exc:
        yield IngestError(f"{path}:{exc.lineno}", f"malformed JSON: {exc.msg}")
        return
    if isinstance(document, Mapping):
        items = next((document[k] for k in _COLLECTION_KEYS if isinstance(document.get(k), list)), None)
        if items is None:
            yield read_record(str(path), document)
            return
        document = items
    if not isinstance(document, list):
        yield IngestError(str(path), "expected an article object or a list of them")
        return
    for number, record in enumerate(document, start=1):
        yield read_record(f"{path}:item {number}", record)


def _read_delimited(path: Path, data: bytes, delimiter: str) -> Iterator[Located | IngestError]:
    csv.field_size_limit(1 << 26)  # article bodies are far longer than csv's 128 KB default
    reader = csv.DictReader(io.StringIO(_decode(data), newline=""), delimiter=delimiter)
    if not reader.fieldnames:
        yield IngestError(str(path), "no header row")
        return
    for row in reader:
        location = f"{path}:{reader.line_num}"
        if None in row:
            yield IngestError(location, f"{len(reader.fieldnames) + len(row[None])} fields where the header has {len(reader.fieldnames)}")
            continue
        yield read_record(location, row)


def _read_text(path: Path, data: bytes) -> Iterator[Located | IngestError]:
    text = _decode(data)
    title, _, body = text.strip().partition("\n")
    if not body.strip():
        yield IngestError(str(path), "no body: the first line is the title, the rest the article")
        return
    yield read_record(str(path), {"title": title, "body": body}, file_key=path.name)


def _read_markdown(path: Path, data: bytes) -> Iterator[Located | IngestError]:
    from ingest.markup import markdown_to_text, split_front_matter

    meta, text = split_front_matter(_decode(data))
    lines = text.strip().split("\n", 1)
    record = dict(meta)
    if "title" not in record:
        record["title"] = lines[0].lstrip("#").strip()
        text = lines[1] if len(lines) > 1 else ""
    record["body"] = markdown_to_text(text)
    if not record["body"].strip():
        yield IngestError(str(path), "no body: the first line is the title, the rest the article")
        return
    yield read_record(str(path), record, file_key=path.name)


def _read_html(path: Path, data: bytes) -> Iterator[Located | IngestError]:
    from ingest.markup import extract_html

    record = extract_html(data)
    if not record.get("body"):
        yield IngestError(str(path), "no article text found in the HTML page")
        return
    yield read_record(str(path), record, file_key=path.name)


def _read_feed(path: Path, data: bytes) -> Iterator[Located | IngestError]:
    from ingest.markup import feed_entries

    entries = feed_entries(data)
    if entries is None:
        yield IngestError(str(path), "not an RSS or Atom feed")
        return
    for number, entry in enumerate(entries, start=1):
        yield read_record(f"{path}:entry {number}", entry)


def _supported() -> str:
    return ", ".join(sorted(ARTICLE_FORMATS)) + ", and .gz of them"


_READERS = {
    "json": _read_json,
    "csv": lambda path, data: _read_delimited(path, data, ","),
    "tsv": lambda path, data: _read_delimited(path, data, "\t"),
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "feed": _read_feed,
}
