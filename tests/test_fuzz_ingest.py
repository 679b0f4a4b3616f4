"""Fuzzed ingest (issue 11): hundreds of generated hostile files, mixed with good ones.

Hypothesis builds each file from a family of attacks: random and binary bytes, invalid
UTF-8, truncated or exploding gzip, JSON nested past the recursion limit or holding odd
values (huge or infinite numbers, objects where text belongs, long fields), CSV with
wrong columns or NUL bytes, YAML front matter with aliases, HTML and feeds with entity
tricks. For every file: reading never raises, every problem names the file, and whatever
is read is a usable article within the field limits. Runs are derandomised, so CI sees
the same files every time.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import IngestError
from assistant.types import Article
from ingest.readers import ARTICLE_FORMATS, read_file
from ingest.records import MAX_CHARS

SUFFIXES = sorted(ARTICLE_FORMATS)
GOOD = {"id": "fuzz-good", "title": "Harbour reopens after storm",
        "body": "The harbour reopened on Monday after the storm, the port authority said.",
        "source": "Fuzz Wire", "published_at": "2024-05-06"}

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=200),
)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)
field_names = st.sampled_from(["id", "title", "body", "text", "date", "published_at", "url",
                               "source", "author", "authors", "headline", "content", "pubDate"])
records = st.dictionaries(field_names, json_values, max_size=7)


@st.composite
def hostile_file(draw) -> tuple[str, bytes]:
    """(suffix, content) of one hostile file."""
    kind = draw(st.sampled_from([
        "bytes", "invalid-utf8", "deep-json", "odd-record", "odd-jsonl", "long-field",
        "csv", "yaml-alias", "markup", "truncated-gzip", "gzip-of-garbage",
    ]))
    if kind == "bytes":
        return draw(st.sampled_from(SUFFIXES)), draw(st.binary(min_size=1, max_size=2000))
    if kind == "invalid-utf8":
        prefix = draw(st.sampled_from([b"{\"body\": \"", b"Title\n\n", b"title,body\nT,"]))
        return draw(st.sampled_from([".jsonl", ".txt", ".csv", ".md"])), prefix + b"\xff\xfe\xc3\x28" * 50
    if kind == "deep-json":
        depth = draw(st.integers(min_value=2_000, max_value=200_000))
        opener = draw(st.sampled_from(["[", "{\"a\":"]))
        closer = "]" if opener == "[" else "}"
        return draw(st.sampled_from([".json", ".jsonl"])), (opener * depth + "1" + closer * depth).encode()
    if kind == "odd-record":
        return ".json", json.dumps(draw(st.lists(records, min_size=1, max_size=5))).encode()
    if kind == "odd-jsonl":
        lines = draw(st.lists(st.one_of(records.map(json.dumps), st.text(max_size=80)), min_size=1, max_size=8))
        return ".jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")
    if kind == "long-field":
        name = draw(st.sampled_from(sorted(MAX_CHARS)))
        size = MAX_CHARS[name] + draw(st.integers(min_value=1, max_value=5000))
        return ".jsonl", json.dumps({**GOOD, name: "x" * size}).encode() + b"\n"
    if kind == "csv":
        rows = draw(st.lists(st.lists(st.text(max_size=30), max_size=6), min_size=1, max_size=6))
        text = "title,body,date\n" + "\n".join(",".join(r) for r in rows)
        if draw(st.booleans()):
            text = text.replace(",", "\x00,", 1)
        return draw(st.sampled_from([".csv", ".tsv"])), text.encode("utf-8", "surrogatepass")
    if kind == "yaml-alias":
        fan = draw(st.integers(min_value=2, max_value=12))
        levels = ["a: &a [" + ", ".join(['"x"'] * fan) + "]"]
        for name, previous in zip("bcdefg", "abcdef"):
            levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * fan) + "]")
        return ".md", ("---\n" + "\n".join(levels) + "\ntitle: *g\n---\nThe body.\n").encode()
    if kind == "markup":
        trick = draw(st.sampled_from([
            "&#x202E;", "&#0;", "&#xD800;", "&#99999999999;", "<!ENTITY x 'y'>&x;", "<![CDATA[",
            "<script>alert(1)</script>", "<" * 500, "&amp;" * 500, "<p>" * 3000,
        ]))
        body = f"<html><head><title>{trick}</title></head><body><p>{trick} text</p></body></html>"
        feed = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>{trick}</title>"
                f"<item><title>{trick}</title><description>{trick}</description></item></channel></rss>")
        return draw(st.sampled_from([(".html", body), (".xml", feed), (".md", body)]))[0], \
            (body if draw(st.booleans()) else feed).encode("utf-8", "surrogatepass")
    if kind == "truncated-gzip":
        whole = gzip.compress(json.dumps(GOOD).encode() * 50)
        cut = draw(st.integers(min_value=1, max_value=len(whole) - 1))
        return draw(st.sampled_from([".jsonl.gz", ".json.gz", ".csv.gz"])), whole[:cut]
    return draw(st.sampled_from([".jsonl.gz", ".md.gz"])), b"\x1f\x8b" + draw(st.binary(max_size=500))


def check_items(path: Path, items: list) -> None:
    for item in items:
        assert isinstance(item, (Article, IngestError)), item
        if isinstance(item, IngestError):
            assert item.location.startswith(str(path)) and item.reason
        else:
            assert item.body.strip() and item.title
            assert len(item.title) <= MAX_CHARS["title"] and len(item.body) <= MAX_CHARS["body"]


@settings(max_examples=320, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(hostile_file())
def test_no_generated_file_crashes_a_reader(tmp_path, case):
    suffix, content = case
    path = tmp_path / f"hostile{suffix}"
    path.write_bytes(content)
    items = list(read_file(path))  # never raises
    check_items(path, items)


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory) -> tuple[Path, int, set[str]]:
    """60 hostile files (the first examples of the strategy) beside 10 good ones."""
    folder = tmp_path_factory.mktemp("fuzz-corpus")
    good_ids = set()
    for n in range(10):
        record = {**GOOD, "id": f"good-{n}", "title": f"{GOOD['title']} {n}",
                  "body": GOOD["body"] + f" Berth {n} opened first."}
        (folder / f"good-{n}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
        good_ids.add(record["id"])
    generated: list[tuple[str, bytes]] = []

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hostile_file())
    def collect(case):
        generated.append(case)

    collect()
    for n, (suffix, content) in enumerate(generated):
        (folder / f"hostile-{n}{suffix}").write_bytes(content)
    return folder, len(generated), good_ids


def test_ingest_of_a_folder_of_hostile_files_keeps_every_good_article(mixed_corpus, tmp_path,
                                                                      make_assistant):
    folder, hostile, good_ids = mixed_corpus
    assert hostile >= 50
    bot = make_assistant(tmp_path / "index")
    report = bot.ingest([folder])  # never raises
    assert report.files == hostile + len(good_ids)
    stored = {a.id for a in bot.articles(limit=500)[0]}
    assert good_ids <= stored  # every good article is in
    for problem in report.failed:
        assert problem.location.startswith(str(folder / "hostile-")), problem
    answer = bot.search("Which berth opened first at the harbour?", k=3, mode="keyword")
    assert answer and answer[0].article_id in good_ids
