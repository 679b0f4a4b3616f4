"""Ingest end to end on real Chroma, the real embedding model and real files."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from tests.conftest import SEED_ID, SEED_QUESTION, read_jsonl, write_jsonl


def test_ingest_then_search_ranks_the_seed_article_first(slice_corpus, make_assistant, tmp_path):
    bot = make_assistant(tmp_path / "index")
    report = bot.ingest([slice_corpus])
    assert report.ok
    assert (report.added, report.replaced, report.unchanged) == (41, 0, 0)
    assert report.chunks == bot.index.catalog.counts()[1] == bot.index.vectors.count()

    passages = bot.search(SEED_QUESTION.lower(), k=5)
    assert passages[0].article_id == SEED_ID
    assert passages[0].source == "AFP" and passages[0].published_at == "2025-01-13"


def test_second_ingest_adds_nothing_and_embeds_nothing(slice_corpus, make_assistant, tmp_path):
    bot = make_assistant(tmp_path / "index")
    first = bot.ingest([slice_corpus])
    second = bot.ingest([slice_corpus])
    assert (second.added, second.replaced, second.unchanged, second.chunks) == (0, 0, 41, 0)
    assert bot.index.catalog.counts() == (41, first.chunks)
    assert bot.index.vectors.count() == first.chunks
    # How much faster the second run is: benchmarks/ingest.py (a figure, not a test).


def test_edited_article_replaces_its_chunks(slice_corpus, make_assistant, tmp_path):
    bot = make_assistant(tmp_path / "index")
    bot.ingest([slice_corpus])
    records = read_jsonl(slice_corpus / "wikinews.jsonl")
    target = records[3]
    old_chunks = {
        row.chunk.id for row in bot.index.catalog.iter_chunk_rows() if row.chunk.article_id == target["id"]
    }
    target["body"] += "\n\nA correction: the ministry later said the zeppelin count was 7,777."
    write_jsonl(slice_corpus / "wikinews.jsonl", records)

    report = bot.ingest([slice_corpus])

    assert (report.added, report.replaced, report.unchanged) == (0, 1, 40)
    new_chunks = {
        row.chunk.id for row in bot.index.catalog.iter_chunk_rows() if row.chunk.article_id == target["id"]
    }
    assert new_chunks and new_chunks != old_chunks
    assert set(bot.index.vectors.ids(target["id"])) == new_chunks  # no stale vectors left
    assert bot.index.vectors.count() == bot.index.catalog.counts()[1]
    hit = bot.search("zeppelin count 7,777", k=1, rerank=False, mode="keyword")[0]
    assert hit.article_id == target["id"] and "7,777" in hit.text


def test_bad_inputs_are_reported_and_the_rest_goes_in(tmp_path, make_assistant):
    folder = tmp_path / "mixed"
    (folder / "nested").mkdir(parents=True)
    good = {"id": "good-1", "title": "Dam opens", "body": "The new dam opened on Friday.", "date": "2024-05-03"}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"title": "No body here", "date": "2024-05-03"}),
        json.dumps({"title": "Bad date", "body": "Text.", "date": "the day after never"}),
        json.dumps({"id": "good-2", "title": "Bridge closes", "text": "The old bridge closed.", "published": "May 4, 2024"}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "empty.json").write_text("")
    (folder / "nested" / "image.txt").write_bytes(b"\x89PNG\x00\x00\x01binary")
    (folder / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08 this is not gzip")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    with gzip.open(folder / "more.jsonl.gz", "wt") as handle:
        handle.write(json.dumps({"id": "good-3", "title": "Port reopens", "body": "The port reopened."}) + "\n")

    bot = make_assistant(tmp_path / "index")
    report = bot.ingest([folder, tmp_path / "does-not-exist.jsonl"])

    assert report.added == 3
    assert {a.id for a in bot.index.catalog.articles()[0]} == {"good-1", "good-2", "good-3"}
    reasons = {failure.location: failure.reason for failure in report.failed}
    assert reasons[f"{folder / 'batch.jsonl'}:2"].startswith("malformed JSON")
    assert reasons[f"{folder / 'batch.jsonl'}:3"].startswith("missing body")
    assert reasons[f"{folder / 'batch.jsonl'}:4"].startswith("bad date")
    assert reasons[str(folder / "empty.json")] == "empty file"
    assert reasons[str(folder / "nested" / "image.txt")] == "binary file, not text"
    assert reasons[str(folder / "broken.jsonl.gz")].startswith("unreadable")
    assert reasons[str(tmp_path / "does-not-exist.jsonl")] == "no such file or folder"
    assert len(report.failed) == 7
    assert [s.location for s in report.skipped_files] == [str(folder / "notes.pdf")]
    assert bot.index.article("good-2").published_at == "2024-05-04"


def test_a_repeated_id_is_an_error_not_a_silent_replacement(tmp_path, make_assistant):
    """Two exports that each number their rows 1..N: before, 4 articles in, 2 stored, and
    the report said "2 added, 2 unchanged"."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.csv").write_text("id,title,body\n1,Dam opens,The new dam opened.\n"
                                  "2,Bridge closes,The old bridge closed.\n")
    (folder / "b.csv").write_text("id,title,body\n1,Port reopens,The port reopened.\n"
                                  "2,Bridge closes,The old bridge closed.\n")
    bot = make_assistant(tmp_path / "index")
    report = bot.ingest([folder])
    assert (report.added, report.unchanged) == (2, 1)  # b.csv row 2 is the same article
    assert [(f.location, f.reason) for f in report.failed] == [(
        f"{folder / 'b.csv'}:2",
        f"repeats the id '1' of {folder / 'a.csv'}:2 with other content; ids must be unique "
        "(the first was kept)")]
    assert bot.article("1").title == "Dam opens"


def test_an_id_reused_by_another_story_is_refused_and_nothing_is_lost(tmp_path, make_assistant):
    """Two exports that each number their rows 1..N, ingested one after the other: the
    second's rows would replace the first's. They are refused (nothing lost) unless the
    caller replaces on purpose; a real update (same headline and outlet, or same URL) goes in."""
    first, second = tmp_path / "monday.csv", tmp_path / "tuesday.csv"
    first.write_text("id,title,body,source\n1,Dam opens,The new dam opened.,AFP\n"
                     "2,Bridge closes,The old bridge closed.,AFP\n")
    second.write_text("id,title,body,source\n1,Port reopens,The port reopened.,Local Post\n"
                      "2,Bridge closes,The old bridge closed for good.,AFP\n")
    bot = make_assistant(tmp_path / "index")
    bot.ingest([first])
    report = bot.ingest([second])
    assert (report.added, report.replaced) == (0, 1)  # row 2 is the same story, updated
    assert [f.location for f in report.failed] == [f"{second}:2"]
    assert "already holds another article, 'Dam opens' (AFP)" in report.failed[0].reason
    assert "--replace" in report.failed[0].reason
    assert bot.article("1").title == "Dam opens"
    assert bot.article("2").body == "The old bridge closed for good."

    forced = bot.ingest([second], replace=True)
    assert forced.replaced == 1 and not forced.failed
    assert bot.article("1").title == "Port reopens"
    assert [c.reason for c in forced.changed_identity] == [
        "replaced 'Dam opens' (AFP) with 'Port reopens' (Local Post)"]


def test_updates_under_derived_ids_are_never_conflicts(tmp_path, make_assistant):
    """Ids Byline derives (URL without its trailing slash, outlet + headline + date) are the
    same story by construction: a headline's letter case or a URL's slash may change."""
    path = tmp_path / "wire.jsonl"
    by_url = {"title": "Dam opens", "body": "The new dam opened.", "url": "https://x.example/dam/"}
    by_meta = {"title": "Fed raises rates", "body": "The Fed raised rates.", "source": "Reuters",
               "date": "2024-03-05"}
    write_jsonl(path, [by_url, by_meta])
    bot = make_assistant(tmp_path / "index")
    assert bot.ingest([path]).added == 2
    write_jsonl(path, [{**by_url, "title": "Dam opens after delays", "url": "https://x.example/dam"},
                       {**by_meta, "title": "Fed Raises Rates"}])
    report = bot.ingest([path])
    assert report.replaced == 2 and not report.failed


def test_a_corrected_headline_at_the_same_url_is_an_update_and_reported(tmp_path, make_assistant):
    path = tmp_path / "wire.jsonl"
    record = {"id": "w-1", "title": "Dam opens", "body": "The new dam opened.", "source": "AFP",
              "url": "https://wire.example/dam"}
    write_jsonl(path, [record])
    bot = make_assistant(tmp_path / "index")
    bot.ingest([path])
    write_jsonl(path, [{**record, "body": "The new dam opened on Friday."}])
    assert bot.ingest([path]).changed_identity == []  # an edit: not worth a warning
    write_jsonl(path, [{**record, "title": "Dam opens after delays"}])
    report = bot.ingest([path])
    assert report.replaced == 1 and not report.failed
    assert [c.reason for c in report.changed_identity] == [
        "replaced 'Dam opens' (AFP) with 'Dam opens after delays' (AFP)"]


def test_cli_reports_failures_and_exits_nonzero(tmp_path, cli_env):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "title": "Fine", "body": "A fine article about a fair."}\n{broken\n')
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(bad)],
        capture_output=True, text=True, env=cli_env, timeout=300,
    )
    assert result.returncode == 1
    assert f"{bad}:2: malformed JSON" in result.stderr
    assert "1 added, 0 replaced, 0 unchanged, 1 failed" in result.stdout


def test_interrupted_ingest_reruns_to_the_same_index(slice_corpus, make_assistant, tmp_path, monkeypatch):
    """Killed between the Chroma write and the catalog commit of the second batch (the
    worst moment), a rerun must end exactly where an uninterrupted run ends."""
    reference = make_assistant(tmp_path / "reference", batch_articles=10)
    reference.ingest([slice_corpus])

    bot = make_assistant(tmp_path / "interrupted", batch_articles=10)
    catalog_write = bot.index.catalog.write
    calls = {"n": 0}

    def dying_write(articles, chunks):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # what Ctrl-C or a kill looks like mid-batch
        return catalog_write(articles, chunks)

    monkeypatch.setattr(bot.index.catalog, "write", dying_write)
    with pytest.raises(KeyboardInterrupt):
        bot.ingest([slice_corpus])
    assert bot.index.vectors.count() > bot.index.catalog.counts()[1]  # half-written batch
    committed = bot.index.catalog.counts()[0]
    monkeypatch.setattr(bot.index.catalog, "write", catalog_write)

    rerun = bot.ingest([slice_corpus])

    assert rerun.ok and (rerun.added, rerun.unchanged) == (41 - committed, committed)
    assert _snapshot(bot.index) == _snapshot(reference.index)


def _snapshot(index):
    catalog = sorted((r.chunk.id, r.chunk.article_id, r.chunk.text) for r in index.catalog.iter_chunk_rows())
    vectors = sorted(index.vectors.ids())
    return catalog, vectors, index.catalog.keyword_stale()


def test_chunks_are_exact_spans_that_fit_the_embedder(make_assistant, tmp_path, embedder):
    from tests.conftest import WIKINEWS

    bot = make_assistant(tmp_path / "index")
    records = read_jsonl(WIKINEWS)
    longest = sorted(records, key=lambda r: len(r["body"]))[-3:]
    bot.ingest([write_jsonl(tmp_path / "long.jsonl", longest)])
    rows = list(bot.index.catalog.iter_chunk_rows())
    assert len(rows) > 3 * 3  # long articles span several chunks
    for row in rows:
        body = bot.index.article(row.chunk.article_id).body
        assert body[row.chunk.char_start : row.chunk.char_end] == row.chunk.text
        for start, end in row.chunk.sentences:
            assert row.chunk.char_start <= start < end <= row.chunk.char_end
        header = f"{row.title} ({row.published_at[:10]})\n"
        assert len(embedder.token_spans([header + row.chunk.text])[0]) <= embedder.max_tokens
    # together the chunks cover the whole body: nothing but whitespace falls between them
    by_article: dict[str, list] = {}
    for row in rows:
        by_article.setdefault(row.chunk.article_id, []).append(row.chunk)
    overlaps = 0
    for article_id, chunks in by_article.items():
        body = bot.index.article(article_id).body
        chunks.sort(key=lambda c: c.index)
        assert not body[: chunks[0].char_start].strip() and not body[chunks[-1].char_end :].strip()
        for before, after in zip(chunks, chunks[1:]):
            assert not body[before.char_end : after.char_start].strip()
            overlaps += after.char_start < before.char_end
    assert overlaps  # short trailing sentences are repeated at the next chunk's start


def test_a_running_reader_sees_what_another_process_ingested(slice_corpus, make_assistant, tmp_path):
    """A server keeps its index open while `byline ingest` adds articles from another
    process: its keyword search must find them once that ingest is done."""
    server = make_assistant(tmp_path / "index")
    server.ingest([slice_corpus])
    zeppelin = {"id": "zeppelin-1", "title": "Airships return", "source": "Test Wire",
                "published_at": "2025-01-10", "body": "Harbour master Ines Okafor counted 41 zeppelins."}
    extra = write_jsonl(tmp_path / "extra.jsonl", [zeppelin])
    assert not server.search("zeppelins Okafor", k=3, rerank=False, mode="keyword")

    other = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(extra), "--data-dir", str(tmp_path / "index")],
        capture_output=True, text=True, timeout=300,
    )
    assert other.returncode == 0, other.stderr
    hits = server.search("zeppelins Okafor", k=3, rerank=False, mode="keyword")
    assert hits and hits[0].article_id == "zeppelin-1"
    # Dense search too: embedded Chroma's in-memory index used to miss the other
    # process's vectors for as long as the server ran.
    dense = server.search("How many zeppelins did the harbour master count?", k=3,
                          rerank=False, mode="dense")
    assert "zeppelin-1" in [p.article_id for p in dense]

    # The server writes next (an upload); a fresh process must find both articles.
    blimp = {**zeppelin, "id": "blimp-1", "title": "Blimp lands at the harbour",
             "body": "Pilot Arvid Lund landed the blimp next to the ferry terminal."}
    assert server.ingest_articles([blimp_article(blimp)]).added == 1
    for query, wanted in (("zeppelins counted by the harbour master", "zeppelin-1"),
                          ("pilot landed the blimp at the ferry terminal", "blimp-1")):
        fresh = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "search", query, "--mode", "dense", "-k", "3",
             "--no-rerank", "--data-dir", str(tmp_path / "index")],
            capture_output=True, text=True, timeout=300,
        )
        assert fresh.returncode == 0, fresh.stderr
        top = fresh.stdout.split("\n", 1)[0]
        assert {"zeppelin-1": "Airships return", "blimp-1": "Blimp lands"}[wanted] in top, fresh.stdout


def blimp_article(record: dict):
    from ingest.records import article_from_record

    return article_from_record(record)


def test_a_second_writer_waits_for_the_first_and_says_so(slice_corpus, make_assistant, tmp_path):
    """Two processes writing one data dir take turns (a file lock): the second says it is
    waiting, and goes on once the first is done; nothing is lost."""
    from filelock import FileLock

    index = tmp_path / "index"
    make_assistant(index).ingest([slice_corpus])
    extra = write_jsonl(tmp_path / "extra.jsonl", [
        {"id": "ferry-1", "title": "Ferry strike ends", "body": "The ferry strike ended on Tuesday."}])
    holder = FileLock(index / "write.lock")
    holder.acquire()  # another writer, mid-ingest
    try:
        second = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "ingest", str(extra), "--data-dir", str(index)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = second.stderr.readline()
        while line and "waiting" not in line:
            line = second.stderr.readline()
        assert "waiting: another process is writing to" in line
        assert second.poll() is None  # it waits rather than writing beside the holder
    finally:
        holder.release()
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert "1 added" in out
    assert make_assistant(index).article("ferry-1").title == "Ferry strike ends"


CRASH_MID_WRITE = """
import os, signal, sys
from assistant.models.embedder import SentenceTransformerEmbedder
from assistant.store.catalog import Catalog
from assistant.store.index import NewsIndex
from ingest.pipeline import Ingestor

def killed(self, articles, chunks):  # the vectors are written; the catalog is not
    os.kill(os.getpid(), signal.SIGKILL)

Catalog.write = killed
Ingestor(NewsIndex(sys.argv[1]), SentenceTransformerEmbedder(threads=2)).ingest_paths([sys.argv[2]])
"""


def test_a_write_killed_before_its_catalog_commit_is_repaired(tmp_path, make_assistant):
    """kill -9 between Chroma's write and the catalog's commit left the catalog with the old
    version of an article whose vectors were gone: dense search never found it again. The
    next process to open the index puts the vectors back; `byline check` says so."""
    index = tmp_path / "index"
    dam = {"id": "dam-1", "title": "Dam opens", "source": "Test Wire", "published_at": "2025-03-01",
           "body": "The new hydroelectric dam on the Kolyma river opened on Friday."}
    make_assistant(index).ingest([write_jsonl(tmp_path / "v1.jsonl", [dam])])
    edited = write_jsonl(tmp_path / "v2.jsonl", [{**dam, "body": "Engineers flooded the valley."}])
    crash = subprocess.run([sys.executable, "-c", CRASH_MID_WRITE, str(index), str(edited)],
                           capture_output=True, text=True, timeout=300)
    assert crash.returncode == -9, crash.stderr

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "assistant.cli", *args, "--data-dir", str(index)],
                              capture_output=True, text=True, timeout=300)

    before = cli("check")
    assert before.returncode == 1 and "interrupted write of 1 articles" in before.stdout
    found = cli("search", "hydroelectric dam on the Kolyma river", "--mode", "dense", "--no-rerank")
    assert found.returncode == 0 and found.stdout.startswith("1. Dam opens"), found.stdout
    assert cli("check").stdout.startswith("consistent")


def test_check_repair_brings_vectors_and_catalog_back_in_line(slice_corpus, tmp_path, make_assistant):
    index = tmp_path / "index"
    bot = make_assistant(index)
    bot.ingest([slice_corpus])
    lost = bot.index.catalog.chunk_ids()[:3]
    bot.index.vectors.delete_ids(lost)  # a lost write, a restored backup...
    checked = subprocess.run([sys.executable, "-m", "assistant.cli", "check", "--repair",
                              "--data-dir", str(index)], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "3 chunks without vectors" in checked.stdout
    assert "after repair: consistent" in checked.stdout
    assert make_assistant(index).index.check().ok
