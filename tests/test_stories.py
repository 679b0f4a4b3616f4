"""Stories grouped at ingest: wire copies and follow-ups of one event, credited on citations
and counted once per independent outlet (real catalog, Chroma and packaged models)."""

from __future__ import annotations

import sqlite3

import httpx

from tests.conftest import SEED, WIKINEWS, read_jsonl, write_jsonl

FOLLOW_UP_LEAD = (
    "Ukraine's military intelligence said Wednesday that North Korean units had been pulled "
    "back from the front line in the Kursk region after heavy losses, and that Pyongyang was "
    "preparing to send replacements by rail through the Russian Far East. Officials in Kyiv "
    "did not say how many troops were withdrawn, and Moscow declined to comment on reports of "
    "the rotation, which analysts said would test the terms of the mutual defence treaty "
    "signed by the two countries last year.\n\n")


def corpus() -> list[dict]:
    seed = read_jsonl(SEED)[0]
    paragraphs = seed["body"].split("\n\n")
    background = "\n\n".join(paragraphs[2:6])  # Zelensky's captives, Lee's casualty figures
    copy = dict(seed, id="wire-copy", source="The Daily Wire Copy", published_at="2025-01-14",
                url="https://copy.example/story")
    follow = dict(seed, id="follow-up", source="Korea Ledger", published_at="2025-01-16",
                  title="North Korean units pulled back from Kursk front, Kyiv says",
                  body=FOLLOW_UP_LEAD + background, url="https://ledger.example/kursk")
    # The same background a month on is another story, not this one.
    later = dict(follow, id="month-later", source="Monthly Review", published_at="2025-02-20",
                 url="https://monthly.example/kursk")
    return [seed, copy, follow, later] + read_jsonl(WIKINEWS)[:5]


def test_copies_and_follow_ups_share_a_story_and_every_citation_credits_them(make_assistant, tmp_path):
    seed_id = read_jsonl(SEED)[0]["id"]
    bot = make_assistant(tmp_path / "index")
    assert bot.ingest([write_jsonl(tmp_path / "news.jsonl", corpus())]).ok

    story = {m.article_id: m for m in bot.story(seed_id).articles}
    assert set(story) == {seed_id, "wire-copy", "follow-up"}
    assert story["wire-copy"].copy_of == seed_id  # the same text: one source, not two
    assert story["follow-up"].copy_of is None  # its own reporting on the same story
    assert [m.article_id for m in bot.story("month-later").articles] == ["month-later"]

    answer = bot.ask("How many North Korean soldiers were killed in Russia's war against Ukraine, "
                     "according to Seoul's spy agency?")
    assert answer.short_answer and "300" in answer.short_answer
    for cited in answer.to_dict()["citations"]:
        credited = {c["source"]: c["same_text"] for c in cited["also_reported_by"]}
        assert {cited["source"], *credited} == {"AFP", "The Daily Wire Copy", "Korea Ledger"}
        if cited["source"] == "AFP":
            assert credited["The Daily Wire Copy"] is True
        assert cited["story"] == seed_id


def test_story_endpoint_counts_each_original_once(make_assistant, tmp_path):
    from assistant.server.http import create_app
    from tests.test_server import make_settings, running

    seed_id = read_jsonl(SEED)[0]["id"]
    bot = make_assistant(tmp_path / "index")
    assert bot.ingest([write_jsonl(tmp_path / "news.jsonl", corpus())]).ok
    with running(create_app(bot, make_settings(tmp_path), chat=False)) as url:
        body = httpx.get(f"{url}/v1/articles/wire-copy/story", timeout=60).json()
        missing = httpx.get(f"{url}/v1/articles/no-such-article/story", timeout=60)
    assert [a["id"] for a in body["articles"]] == [seed_id, "wire-copy", "follow-up"]
    assert body["story"] == seed_id
    assert body["independent_outlets"] == 2  # AFP and Korea Ledger; the wire copy is AFP's text
    assert missing.status_code == 404 and "no-such-article" in missing.json()["error"]["message"]


def test_deleting_the_first_report_keeps_the_rest_together_and_old_indexes_are_grouped(
        make_assistant, tmp_path):
    seed_id = read_jsonl(SEED)[0]["id"]
    folder = tmp_path / "index"
    bot = make_assistant(folder)
    assert bot.ingest([write_jsonl(tmp_path / "news.jsonl", corpus())]).ok
    bot.delete([seed_id])
    assert {m.article_id for m in bot.story("follow-up").articles} == {"wire-copy", "follow-up"}

    # An index written before stories existed is grouped once when opened.
    with sqlite3.connect(folder / "catalog.sqlite3") as db:
        db.execute("DELETE FROM stories")
        db.execute("DELETE FROM story_marks")
        db.execute("DELETE FROM meta WHERE key = 'stories'")
    reopened = make_assistant(folder)
    assert {m.article_id for m in reopened.story("follow-up").articles} == {"wire-copy", "follow-up"}
    assert [m.article_id for m in reopened.story("month-later").articles] == ["month-later"]


def _catalog(tmp_path):
    from assistant.store.catalog import Catalog

    return Catalog(tmp_path / "catalog.sqlite3")


def _rows(catalog) -> dict[str, tuple[str, str | None]]:
    members = catalog.stories_of(catalog.article_ids())
    return {m.article_id: (m.story, m.copy_of) for story in members.values() for m in story.articles}


def _article(article_id: str, body: str, day: int, source: str):
    from assistant.types import Article

    return Article(article_id, "Dam", body, source=source, published_at=f"2025-01-{day:02}")


def test_a_story_run_by_many_outlets_stays_one_story_with_one_original(tmp_path):
    body = read_jsonl(SEED)[0]["body"]
    catalog = _catalog(tmp_path)
    catalog.write([_article(f"run-{i:02}", body, 13 + i % 3, f"Outlet {i}") for i in range(30)], [])
    rows = _rows(catalog)
    assert {story for story, _ in rows.values()} == {"run-00"}  # not split as boilerplate
    assert [a for a, (_, original) in rows.items() if original is None] == ["run-00"]


def test_the_earlier_article_is_the_original_whatever_the_order_of_ingest(tmp_path):
    body = read_jsonl(SEED)[0]["body"]
    catalog = _catalog(tmp_path)
    catalog.write([_article("later", body, 15, "Wire B")], [])
    catalog.write([_article("first", body, 13, "Wire A")], [])
    assert _rows(catalog)["later"][1] == "first" and _rows(catalog)["first"][1] is None
    # the original deleted: its copies are regrouped among themselves, none left pointing at it
    catalog.write([_article("third", body, 16, "Wire C")], [])
    catalog.delete(["first"])
    rows = _rows(catalog)
    assert rows["later"][1] is None and rows["third"][1] == "later"
    # a rewritten original that no longer carries the text frees its copies
    catalog.write([_article("later", "An unrelated story about a marathon. " * 40, 15, "Wire B")], [])
    assert _rows(catalog)["third"] == ("third", None)


def test_opening_an_index_while_another_process_writes_waits_for_it(tmp_path):
    """A catalog that must be upgraded (grouped into stories) while another connection
    holds the write lock longer than SQLite's default 5 s wait is opened once the lock
    is released, not refused with "database is locked"."""
    import threading

    body = read_jsonl(SEED)[0]["body"]
    catalog = _catalog(tmp_path)
    catalog.write([_article("first", body, 13, "Wire A"), _article("later", body, 15, "Wire B")], [])
    catalog.set_meta("stories", "an older grouping")
    holder = sqlite3.connect(tmp_path / "catalog.sqlite3", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(6.0, lambda: holder.execute("COMMIT"))
    released.start()
    reopened = _catalog(tmp_path)
    assert reopened.ensure_stories()  # with SQLite's default wait: "database is locked"
    assert _rows(reopened)["later"][1] == "first"
    released.join()
