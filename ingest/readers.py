"""Readers: turn files into articles, one format per function, every failure located.

Each reader yields ``Article`` or ``IngestError`` items, so a malformed line is reported
(``path:line: reason``) while the rest of the file goes in. ``.gz`` wraps any format; a
folder is read recursively (hidden entries skipped, unknown extensions listed as skipped).

Libraries: trafilatura extracts the article text and metadata from HTML pages, feedparser
reads RSS/Atom, markdown-it-py renders Markdown, PyYAML reads Markdown front matter, ijson
(yajl) streams JSON documents item by item.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator
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
# Memory bounds. Collections (JSON Lines, JSON, CSV/TSV) are streamed a record at a time,
# so their files have no size limit, only their records. A single-article format (HTML,
# Markdown, text) and a feed are read whole, decompressed size capped. A gzip that expands
# more than MAX_GZIP_RATIO-fold past the whole-document cap is a decompression bomb:
# streaming it would not cost memory, but minutes of one core.
MAX_DOCUMENT_BYTES = 128 << 20
MAX_LINE_BYTES = 16 << 20  # a JSON line, a JSON array item, a CSV line
MAX_GZIP_RATIO = 100
MAX_JSON_DEPTH = 256  # an article record is two or three levels deep
_READ_CHUNK = 1 << 20
_STREAMED = frozenset({"jsonl", "json", "csv", "tsv"})


def _windows_1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler: bytes that are not UTF-8 are read as Windows-1252, the
    encoding of most non-UTF-8 news exports, so a stray byte costs a character, never
    the rest of the file."""
    bad = error.object[error.start:error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


_FALLBACK = "byline-windows-1252"
codecs.register_error(_FALLBACK, _windows_1252)


class TooLarge(ValueError):
    """A file or line over its memory bound."""


class NotText(ValueError):
    """A file that is empty, binary, or in no text encoding."""


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
        if fmt in _STREAMED:
            yield from _STREAM_READERS[fmt](path)
            return
        data = _read_bytes(path, MAX_DOCUMENT_BYTES)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield IngestError(str(path), f"unreadable: {exc}")
        return
    except (TooLarge, NotText) as exc:
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
    """The file's bytes as a buffered stream; a ``.gz`` decompressed on the fly and watched
    for bombs (``_GzipGuard``)."""
    if path.suffix.lower() != ".gz":
        return open(path, "rb")
    return io.BufferedReader(_GzipGuard(path), buffer_size=_READ_CHUNK)


class _GzipGuard(io.RawIOBase):
    """A gzip file's decompressed bytes, refused (``TooLarge``) once more than
    ``MAX_DOCUMENT_BYTES`` have come out at over ``MAX_GZIP_RATIO`` times the compressed
    bytes read: text news compresses 3-10 fold, a bomb a thousand fold."""

    def __init__(self, path: Path) -> None:
        self._raw = open(path, "rb")
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._gzip.read(len(buffer))
        self._out += len(data)
        if self._out > MAX_DOCUMENT_BYTES and self._out > MAX_GZIP_RATIO * max(self._raw.tell(), 1):
            raise TooLarge(f"decompresses more than {MAX_GZIP_RATIO}-fold past "
                           f"{MAX_DOCUMENT_BYTES >> 20} MB: a decompression bomb, not an export")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._gzip.close()
            self._raw.close()
        super().close()


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
                    f"{what} more than {limit >> 20} MB; split it, or export it as JSON "
                    f"Lines, JSON or CSV, which are read a record at a time"
                )
            parts.append(chunk)
    return b"".join(parts)


def _text_encoding(path: Path) -> str:
    """The encoding of a streamed file, judged by its first megabyte: UTF-16 by its BOM,
    UTF-8 (with or without BOM) when it decodes as such, else charset-normalizer's best
    guess. A later byte that does not fit is read as Windows-1252 (``_FALLBACK``)."""
    with _open_binary(path) as handle:
        head = handle.read(_READ_CHUNK)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        return "utf-16"
    if not head.strip():
        raise NotText("empty file")
    if b"\x00" in head[:_BINARY_SNIFF]:
        raise NotText("binary file, not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        guess = from_bytes(head).best()
        if guess is None:
            raise NotText("not valid UTF-8 and no other text encoding fits") from None
        return guess.encoding


def _lines(handle, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` of a binary stream, lines ended by LF, CRLF or a lone CR (old Mac
    exports); ``line`` is None for one over ``limit`` bytes, which is skipped without
    holding it in memory. Latin-1 maps bytes one to one, so the lines come back as the
    very bytes of the file (decoded line by line later, see ``_decode_line``)."""
    text = io.TextIOWrapper(handle, encoding="latin-1", newline=None)
    number = 0
    try:
        while line := text.readline(limit + 1):
            number += 1
            if len(line) > limit and not line.endswith("\n"):
                while (rest := text.readline(_READ_CHUNK)) and not rest.endswith("\n"):
                    pass
                yield number, None
                continue
            yield number, line.encode("latin-1")
    finally:
        text.detach()  # the caller's ``with`` closes the file


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


def _read_json(path: Path) -> Iterator[Located | IngestError]:
    """An article object, a list of them, or an object holding the list under one of
    ``_COLLECTION_KEYS`` (the first such key in the file), streamed by ijson: memory holds
    one item (at most ``MAX_LINE_BYTES`` of the file), never the document. A syntax error
    ends the file there; the items before it are kept."""
    import ijson

    with _open_binary(path) as handle:
        source = _JsonSource(handle, _text_encoding(path))
        # basic_parse, not parse: parse gives each event its path, a string as long as
        # the nesting is deep, so [[[[...]]]] 100,000 deep cost gigabytes.
        events = ijson.basic_parse(source, use_float=True)
        items: list[int] = []  # [items read so far] once inside the list of articles
        try:
            yield from _json_records(path, events, source, items)
        except (ijson.JSONError, TooLarge) as exc:
            where = f"{path}:item {items[0] + 1}" if items else str(path)
            reason = str(exc) if isinstance(exc, TooLarge) else f"malformed JSON: {_first_line(exc)}"
            yield IngestError(where, reason)


def _json_records(path: Path, events, source: "_JsonSource", items: list[int]):
    first = next(events, None)
    if first is None:
        yield IngestError(str(path), "empty file")
        return
    event, _ = first
    if event == "start_array":
        yield from _json_items(path, events, source, items)
        return
    if event != "start_map":
        yield IngestError(str(path), "expected an article object or a list of them")
        return
    record: dict[str, Any] = {}
    for key in _map_keys(events):
        event, value = next(events)
        if key in _COLLECTION_KEYS and event == "start_array":
            yield from _json_items(path, events, source, items)
            return
        record[key] = _build(event, value, events, source)
    yield read_record(str(path), record)


def _json_items(path: Path, events, source: "_JsonSource", items: list[int]):
    items.append(0)
    for value in _array_items(events, source):
        items[0] += 1
        yield read_record(f"{path}:item {items[0]}", value)


class _JsonSource:
    """The bytes ijson reads: the file decoded (a stray non-UTF-8 byte read as
    Windows-1252, as in JSON Lines) and encoded again as UTF-8 without BOM, counted so
    that one item over ``MAX_LINE_BYTES`` is refused."""

    def __init__(self, handle, encoding: str) -> None:
        self._text = io.TextIOWrapper(handle, encoding=encoding, errors=_FALLBACK)
        self.since_item = 0

    def read(self, size: int) -> bytes:
        data = self._text.read(size).encode("utf-8", errors="surrogatepass")
        self.since_item += len(data)
        if self.since_item > MAX_LINE_BYTES + _READ_CHUNK:
            raise TooLarge(f"a JSON item longer than {MAX_LINE_BYTES >> 20} MB; the file "
                           "was read up to it")
        return data


def _map_keys(events) -> Iterator[str]:
    """The keys of the map whose ``start_map`` was just read, up to its ``end_map``."""
    for event, value in events:
        if event == "end_map":
            return
        yield value


def _array_items(events, source: _JsonSource) -> Iterator[Any]:
    """Each value of the array whose ``start_array`` was just read, built one at a time."""
    for event, value in events:
        if event == "end_array":
            return
        source.since_item = 0
        yield _build(event, value, events, source)


def _build(event: str, value: Any, events, source: _JsonSource) -> Any:
    """The whole value that starts with this event, at most ``MAX_JSON_DEPTH`` deep
    (ijson's ObjectBuilder keeps its own stack, but what reads a record recurses)."""
    import ijson

    if event not in ("start_map", "start_array"):
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for event, value in events:
        builder.event(event, value)
        depth += event in ("start_map", "start_array")
        depth -= event in ("end_map", "end_array")
        if depth > MAX_JSON_DEPTH:
            raise ijson.JSONError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        if depth == 0:
            return builder.value
    raise ijson.IncompleteJSONError("premature end of the file")


def _first_line(exc: Exception) -> str:
    text = str(exc)
    if text.startswith(("b'", 'b"')):  # yajl reports some errors as a bytes repr
        text = text[2:-1].encode("latin-1", "replace").decode("unicode_escape", "replace")
    return text.strip().split("\n", 1)[0][:200]


def _read_delimited(path: Path, delimiter: str) -> Iterator[Located | IngestError]:
    """One article per row, streamed: memory holds one line of the file (a quoted field
    may span lines, each at most ``MAX_LINE_BYTES``)."""
    csv.field_size_limit(MAX_LINE_BYTES)  # bodies are far longer than csv's 128 KB default
    encoding = _text_encoding(path)
    with _open_binary(path) as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, errors=_FALLBACK, newline="")
        reader = csv.DictReader(_bounded_lines(text, MAX_LINE_BYTES), delimiter=delimiter)
        try:
            if not reader.fieldnames:
                yield IngestError(str(path), "no header row")
                return
            for row in reader:
                location = f"{path}:{reader.line_num}"
                if None in row:
                    yield IngestError(location, f"{len(reader.fieldnames) + len(row[None])} fields "
                                      f"where the header has {len(reader.fieldnames)}")
                    continue
                yield read_record(location, row)
        except (csv.Error, TooLarge) as exc:  # the rows before it are in
            yield IngestError(f"{path}:{reader.line_num + 1}", str(exc))


def _bounded_lines(text, limit: int) -> Iterator[str]:
    while line := text.readline(limit + 1):
        if len(line) > limit:
            raise TooLarge(f"a line longer than {limit >> 20} MB; the file was read up to it")
        yield line


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


_STREAM_READERS = {
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": lambda path: _read_delimited(path, ","),
    "tsv": lambda path: _read_delimited(path, "\t"),
}
_READERS = {
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "feed": _read_feed,
}
