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
from typing import Any

from assistant.errors import IngestError
from assistant.types import Article
from ingest.records import article_from_record

Record = Article | IngestError

ARTICLE_FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv",
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_COLLECTION_KEYS = ("articles", "items", "data", "results", "documents", "entries")
_BINARY_SNIFF = 8192


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
    fmt = format_of(path)
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield IngestError(str(path), f"unreadable: {exc}")
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


def _read_bytes(path: Path) -> bytes:
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as handle:
            return handle.read()
    return path.read_bytes()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        guess = from_bytes(data).best()
        if guess is None:
            raise ValueError("not valid UTF-8 and no other text encoding fits") from None
        return str(guess)


def _article(location: str, record: Mapping[str, Any], file_key: str | None = None) -> Record:
    try:
        return article_from_record(record, file_key=file_key)
    except ValueError as exc:
        return IngestError(location, str(exc))


def _read_jsonl(path: Path, data: bytes) -> Iterator[Record]:
    for number, line in enumerate(_decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(f"{path}:{number}", f"malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _article(f"{path}:{number}", record)


def _read_json(path: Path, data: bytes) -> Iterator[Record]:
    try:
        document = json.loads(_decode(data))
    except json.JSONDecodeError as exc:
        yield IngestError(f"{path}:{exc.lineno}", f"malformed JSON: {exc.msg}")
        return
    if isinstance(document, Mapping):
        items = next((document[k] for k in _COLLECTION_KEYS if isinstance(document.get(k), list)), None)
        if items is None:
            yield _article(str(path), document)
            return
        document = items
    if not isinstance(document, list):
        yield IngestError(str(path), "expected an article object or a list of them")
        return
    for number, record in enumerate(document, start=1):
        yield _article(f"{path}:item {number}", record)


def _read_delimited(path: Path, data: bytes, delimiter: str) -> Iterator[Record]:
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
        yield _article(location, row)


def _read_text(path: Path, data: bytes) -> Iterator[Record]:
    text = _decode(data)
    title, _, body = text.strip().partition("\n")
    if not body.strip():
        yield IngestError(str(path), "no body: the first line is the title, the rest the article")
        return
    yield _article(str(path), {"title": title, "body": body}, file_key=str(path.resolve()))


def _read_markdown(path: Path, data: bytes) -> Iterator[Record]:
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
    yield _article(str(path), record, file_key=str(path.resolve()))


def _read_html(path: Path, data: bytes) -> Iterator[Record]:
    from ingest.markup import extract_html

    record = extract_html(data)
    if not record.get("body"):
        yield IngestError(str(path), "no article text found in the HTML page")
        return
    yield _article(str(path), record, file_key=str(path.resolve()))


def _read_feed(path: Path, data: bytes) -> Iterator[Record]:
    from ingest.markup import feed_entries

    entries = feed_entries(data)
    if entries is None:
        yield IngestError(str(path), "not an RSS or Atom feed")
        return
    for number, entry in enumerate(entries, start=1):
        yield _article(f"{path}:entry {number}", entry)


def _supported() -> str:
    return ", ".join(sorted(ARTICLE_FORMATS)) + ", and .gz of them"


_READERS = {
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": lambda path, data: _read_delimited(path, data, ","),
    "tsv": lambda path, data: _read_delimited(path, data, "\t"),
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "feed": _read_feed,
}
