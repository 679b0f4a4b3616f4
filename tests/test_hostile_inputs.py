"""Hostile and broken files: each bad record fails alone, with its location and reason, and
nothing a file holds can blow up memory or abort the ingest (issue 11)."""

from __future__ import annotations

import gzip
import json
import tracemalloc

import pytest

from assistant.errors import IngestError
from assistant.types import Article
from ingest.chunking import MAX_CHUNK_CHARS, chunk_article
from ingest.clean import clean_text
from ingest.readers import MAX_DOCUMENT_BYTES, MAX_LINE_BYTES, read_file

GOOD = {"id": "good-1", "title": "Council passes budget", "body": "The council approved the budget.",
        "date": "2024-03-05"}


def split(items) -> tuple[list[Article], list[IngestError]]:
    items = list(items)
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, IngestError)]
    return articles, errors


def read_with_peak(path) -> tuple[tuple[list[Article], list[IngestError]], int]:
    """Everything read from ``path``, and the peak of Python's memory while reading it."""
    tracemalloc.start()
    try:
        read = split(read_file(path))
        return read, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_records_that_break_parsers_fail_alone_with_line_and_reason(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({**GOOD, "id": "far-future", "date": 1e20}),
        '{"id": "inf", "title": "T", "body": "Body.", "date": Infinity}',
        "[" * 100_000 + "]" * 100_000,
        json.dumps(GOOD),
        json.dumps({**GOOD, "id": "nested", "title": [["a"]]}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors = split(read_file(path))
    assert [a.id for a in articles] == ["good-1"]
    reasons = {e.location: e.reason for e in errors}
    assert set(reasons) == {f"{path}:1", f"{path}:2", f"{path}:3", f"{path}:5"}
    assert "out of range" in reasons[f"{path}:1"] and "out of range" in reasons[f"{path}:2"]
    assert "nested too deeply" in reasons[f"{path}:3"]
    assert "title must be text" in reasons[f"{path}:5"]


def test_ingest_goes_on_past_bad_records_and_reports_them(tmp_path, make_assistant):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad.jsonl").write_text(
        json.dumps({**GOOD, "id": "bad-date", "date": 1e20}) + "\n" + "{" * 50_000 + "\n",
        encoding="utf-8")
    (corpus / "good.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    bot = make_assistant(tmp_path / "index")
    report = bot.ingest([corpus])
    assert report.added == 1
    assert sorted(e.location for e in report.failed) == [f"{corpus}/bad.jsonl:1", f"{corpus}/bad.jsonl:2"]
    assert bot.search("council budget", k=1, mode="keyword")[0].article_id == "good-1"


def test_a_gzip_bomb_is_refused_without_expanding_it(tmp_path):
    bomb = tmp_path / "bomb.html.gz"  # a page is read whole: capped at MAX_DOCUMENT_BYTES
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        block = b" " * (1 << 20)
        for _ in range((MAX_DOCUMENT_BYTES >> 20) + 8):
            handle.write(block)
    assert bomb.stat().st_size < 1 << 20  # a small upload...
    (articles, errors), peak = read_with_peak(bomb)
    assert not articles
    assert [e.location for e in errors] == [str(bomb)]
    assert "decompresses" in errors[0].reason and "128 MB" in errors[0].reason
    assert peak < MAX_DOCUMENT_BYTES + (16 << 20)  # ...never more than the cap in memory


@pytest.mark.parametrize("suffix, head, reason", [
    (".jsonl.gz", b"", "decompression bomb"),
    (".csv.gz", b"title,body\n", "decompression bomb"),
    (".json.gz", b"[", "JSON item longer than 16 MB"),  # whitespace between items counts
])
def test_a_streamed_gzip_bomb_is_refused_early(tmp_path, suffix, head, reason):
    """Collections are streamed, so a bomb would cost no memory, but minutes of a core for
    each gigabyte: it is refused once it has expanded 100-fold past 128 MB (or earlier,
    when it breaks a record's limit)."""
    bomb = tmp_path / f"bomb{suffix}"
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        handle.write(head)
        block = (b" " * 16383 + b"\n") * 64
        for _ in range(1024):  # 1 GB of blank lines
            handle.write(block)
    (articles, errors), peak = read_with_peak(bomb)
    assert not articles
    assert errors[-1].location.startswith(str(bomb)) and reason in errors[-1].reason
    assert peak < 32 << 20


def test_a_big_json_document_is_streamed_item_by_item(tmp_path):
    """A JSON export (not JSON Lines) is read an item at a time: json.loads would hold all
    of it, several times the file's size; streamed, memory holds one item."""
    path = tmp_path / "export.json"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"meta": {"exported": "2024-03-05"}, "articles": [')
        handle.write(json.dumps(GOOD) + ",")
        handle.write(('{"title": "' + "t" * 100 + '"},') * 100_000)  # no body: each one fails
        handle.write(json.dumps({**GOOD, "id": "good-2"}) + "]}")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        ids, problems = [], 0
        for item in read_file(path):
            if isinstance(item, Article):
                ids.append(item.id)
            else:
                problems += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ids == ["good-1", "good-2"] and problems == 100_000
    assert peak < size  # less than the file itself


def test_a_json_item_past_the_record_limit_ends_the_file_there(tmp_path):
    path = tmp_path / "export.json"
    path.write_text("[" + json.dumps(GOOD) + ', {"body": "' + "x" * (MAX_LINE_BYTES + (2 << 20))
                    + '"}, ' + json.dumps({**GOOD, "id": "good-2"}) + "]", encoding="utf-8")
    (articles, errors), peak = read_with_peak(path)
    assert [a.id for a in articles] == ["good-1"]
    assert "longer than 16 MB" in errors[0].reason and errors[0].location.startswith(str(path))
    assert peak < 2 * MAX_LINE_BYTES + (8 << 20)


def test_csv_is_streamed_and_a_line_past_the_limit_ends_the_file_there(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,title,body\n1,First,The first body.\n"
                    f'2,Second,"{"x" * (MAX_LINE_BYTES + 1024)}"\n3,Third,The third body.\n',
                    encoding="utf-8")
    (articles, errors), peak = read_with_peak(path)
    assert [a.id for a in articles] == ["1"]
    assert [e.location for e in errors] == [f"{path}:3"] and "longer than 16 MB" in errors[0].reason
    assert peak < 2 * MAX_LINE_BYTES + (8 << 20)


def test_old_mac_line_endings_in_json_lines(tmp_path):
    path = tmp_path / "classic.jsonl"
    path.write_bytes(b"\r".join(json.dumps({**GOOD, "id": f"cr-{n}"}).encode() for n in range(3))
                     + b"\r\n" + json.dumps({**GOOD, "id": "crlf"}).encode() + b"\r\n")
    articles, errors = split(read_file(path))
    assert [a.id for a in articles] == ["cr-0", "cr-1", "cr-2", "crlf"] and not errors


def test_json_lines_are_streamed_and_an_endless_line_is_skipped(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(json.dumps(GOOD).encode() + b"\n")
        handle.write(b'{"body": "' + b"x" * (MAX_LINE_BYTES + (4 << 20)))  # no end
        handle.write(b'"}\n' + json.dumps({**GOOD, "id": "good-2"}).encode() + b"\n")
    (articles, errors), peak = read_with_peak(path)
    assert [a.id for a in articles] == ["good-1", "good-2"]
    assert [(e.location, e.reason) for e in errors] == [(f"{path}:2", "line longer than 16 MB")]
    assert peak < 2 * MAX_LINE_BYTES + (8 << 20)  # one line at a time, not the file


def test_yaml_alias_expansion_in_front_matter_is_refused(tmp_path):
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for name, previous in zip("bcdefgh", "abcdefg"):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    path = tmp_path / "laughs.md"
    path.write_text("---\n" + "\n".join(levels) + "\ntitle: *h\n---\nBody of the story.\n", encoding="utf-8")
    assert path.stat().st_size < 1000
    articles, errors = split(read_file(path))
    assert not articles
    assert "alias" in errors[0].reason and errors[0].location == str(path)


def test_fields_past_their_limits_are_reported_not_stored(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({**GOOD, "title": "T" * 5000}) + "\n", encoding="utf-8")
    _, errors = split(read_file(path))
    assert errors[0].reason == "title is 5,000 characters long; the limit is 1,000"


def test_bidi_overrides_never_reach_the_stored_text():
    # U+202E would make a citation card show "...txet desrever" as the article's words.
    assert clean_text("Officials said \u202egnissim\u202c 40 people.") == "Officials said gnissim 40 people."
    assert clean_text("שלום \u200fworld") == "שלום \u200fworld"  # the marks RTL text needs stay


def test_a_word_without_spaces_is_cut_into_bounded_chunks(embedder):
    body = "The report opens normally. " + "x" * 1_000_000 + " It ends normally."
    article = Article(id="w", title="A long word", body=body)
    chunks = chunk_article(article, embedder.token_spans, embedder.max_tokens)
    assert max(len(c.text) for c in chunks) <= MAX_CHUNK_CHARS
    assert all(body[c.char_start:c.char_end] == c.text for c in chunks)
    assert "".join(c.text for c in chunks).count("x") == 1_000_000  # nothing dropped


def test_a_data_folder_from_before_the_keyword_index_is_indexed_when_it_opens(tmp_path, make_assistant):
    """Data folders written by releases that kept a bm25s index beside the catalog have no
    keyword rows in it: the next process indexes the catalog's chunks once, by itself,
    and drops the old files."""
    import sqlite3

    corpus = tmp_path / "good.jsonl"
    corpus.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    make_assistant(tmp_path / "index").ingest([corpus])
    with sqlite3.connect(tmp_path / "index" / "catalog.sqlite3") as db:  # as an old release left it
        db.execute("DELETE FROM chunk_terms")
        db.execute("DELETE FROM meta WHERE key = 'keyword'")
    (tmp_path / "index" / "bm25").mkdir()
    (tmp_path / "index" / "bm25" / "manifest.json").write_text("{}")
    reopened = make_assistant(tmp_path / "index")
    assert reopened.search("council budget", k=1, mode="keyword")[0].article_id == "good-1"
    assert reopened.index.check().ok and not (tmp_path / "index" / "bm25").exists()


def test_keyword_search_reads_query_syntax_as_words(tmp_path, make_assistant):
    """The keyword index is SQLite FTS5, which has a query language; a question is never
    parsed as one (quotes, NEAR, column filters, stars, a lone operator)."""
    corpus = tmp_path / "good.jsonl"
    corpus.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    bot = make_assistant(tmp_path / "index")
    bot.ingest([corpus])
    for hostile in ['council" OR NEAR(budget*', "terms:council AND -budget", "budget^2 {council}", '"""']:
        hits = bot.search(hostile, k=1, mode="keyword")
        assert hits == [] if hostile == '"""' else hits[0].article_id == "good-1", hostile
    assert bot.search("OR AND NOT", k=1, mode="keyword") == []  # stop words: no terms


def test_a_file_of_a_million_broken_lines_reports_a_bounded_list(tmp_path, make_assistant):
    """3 KB of gzip can hold a million bad records: the report keeps the first 1,000 and
    counts the rest, instead of growing by hundreds of megabytes."""
    from ingest.pipeline import MAX_PROBLEMS_PER_FILE

    path = tmp_path / "broken.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"{}\n" * 1_000_000 + b'{"body": "x", "n": 1' + b"0" * 5000 + b"}\n")
    bot = make_assistant(tmp_path / "index")
    report = bot.ingest([path])
    assert len(report.failed) == MAX_PROBLEMS_PER_FILE + 1
    assert report.failed[-1].reason == "999,001 more problems in this file (the first 1,000 are listed)"


def test_a_100_mb_export_is_read_in_a_few_megabytes(tmp_path):
    """The fuzz campaign's big file: 100 MB of CSV rows whose bodies are each past the body
    limit. Every row is reported, the good row after them is read, and memory holds about
    one row, not the file."""
    path = tmp_path / "big.csv"
    body = "word " * 220_000  # 1.1 MB, over the 1,000,000-character body limit
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,title,body\n")
        for n in range(91):
            handle.write(f'big-{n},Too long {n},"{body}"\n')
        handle.write("last,Council passes budget,The council approved the budget.\n")
    assert path.stat().st_size > 100_000_000
    (articles, errors), peak = read_with_peak(path)
    assert [a.id for a in articles] == ["last"] and len(errors) == 91
    assert all("body is 1,100,000 characters long" in e.reason for e in errors)
    assert peak < 16 << 20


def test_a_json_document_nested_100000_deep_is_refused_cheaply(tmp_path):
    """ijson's path-carrying parser made [[[[...]]]] 100,000 deep cost tens of gigabytes
    (each event carried its path, as long as the nesting is deep); the fuzz campaign found
    it. It is a located "nested too deeply" with memory to spare."""
    path = tmp_path / "deep.json"
    path.write_text("[" + json.dumps(GOOD) + ", " + "[" * 100_000 + "1" + "]" * 100_001,
                    encoding="utf-8")
    (articles, errors), peak = read_with_peak(path)
    assert [a.id for a in articles] == ["good-1"]
    assert [e.location for e in errors] == [f"{path}:item 2"]
    assert "nested deeper than 256 levels" in errors[0].reason
    assert peak < 8 << 20
