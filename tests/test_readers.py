"""Every input format a newsroom hands us becomes the same clean Article."""

from __future__ import annotations

import codecs

import gzip
import json
from pathlib import Path

import pytest

from assistant.dates import normalize_date
from assistant.errors import IngestError
from assistant.types import Article
from ingest.clean import clean_text
from ingest.readers import discover, read_file

BODY = "The council approved the budget on Tuesday.\n\nSpending on parks rises by 4%."


def read_one(path: Path) -> Article:
    items = list(read_file(path))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def test_jsonl_with_field_aliases(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({
        "headline": "Budget passes", "content": BODY, "link": "https://www.example.org/budget",
        "pubDate": "Tue, 05 Mar 2024 14:30:00 +0100", "authors": ["A. Reporter", "B. Editor"],
    }) + "\n")
    article = read_one(path)
    assert article.title == "Budget passes"
    assert article.body == BODY
    assert article.source == "example.org"  # from the URL when no outlet is given
    assert article.published_at == "2024-03-05T13:30:00Z"  # normalised to UTC
    assert article.author == "A. Reporter, B. Editor"
    assert len(article.id) == 16  # derived from the URL


def test_json_list_and_wrapped_collections(tmp_path):
    records = [{"id": f"a{i}", "title": f"T{i}", "text": BODY, "date": "2024-01-0" + str(i + 1)} for i in range(3)]
    (tmp_path / "list.json").write_text(json.dumps(records))
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": records[:2], "next": None}))
    assert [a.id for a in read_file(tmp_path / "list.json")] == ["a0", "a1", "a2"]
    assert [a.published_at for a in read_file(tmp_path / "wrapped.json")] == ["2024-01-01", "2024-01-02"]


def test_csv_and_tsv_rows(tmp_path):
    (tmp_path / "a.csv").write_text('title,text,date,outlet\n"Budget passes","' + BODY.replace('"', '""') + '",2024-03-05,Gazette\n')
    (tmp_path / "b.tsv").write_text("title\tbody\tdate\nShort\tOne line body.\t2024-03-06\n")
    article = read_one(tmp_path / "a.csv")
    assert (article.title, article.source, article.published_at) == ("Budget passes", "Gazette", "2024-03-05")
    assert article.body == BODY
    assert read_one(tmp_path / "b.tsv").body == "One line body."


def test_csv_row_with_extra_fields_is_reported(tmp_path):
    (tmp_path / "a.csv").write_text("title,text\nGood,Fine body.\nBad,Body,extra\n")
    items = list(read_file(tmp_path / "a.csv"))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], IngestError) and items[1].location == f"{tmp_path / 'a.csv'}:3"


def test_text_and_markdown_with_front_matter(tmp_path):
    (tmp_path / "story.txt").write_text("Budget passes\n\n" + BODY)
    (tmp_path / "story.md").write_text(
        "---\ntitle: Budget passes\ndate: 2024-03-05\nsource: Gazette\n---\n"
        "The **council** approved the [budget](https://x.org) on Tuesday.\n\n- Parks: up 4%\n"
    )
    text = read_one(tmp_path / "story.txt")
    assert (text.title, text.body) == ("Budget passes", BODY)
    md = read_one(tmp_path / "story.md")
    assert (md.title, md.source, md.published_at) == ("Budget passes", "Gazette", "2024-03-05")
    assert md.body == "The council approved the budget on Tuesday.\n\nParks: up 4%"


def test_html_page_main_text_and_metadata(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Quake | Daily</title><meta property='og:title' content='Quake hits town'>"
        "<meta name='author' content='Jane Doe'><meta property='og:site_name' content='The Daily'>"
        "<meta property='article:published_time' content='2024-03-05T10:00:00Z'>"
        "<link rel='canonical' href='https://daily.example.com/quake'></head><body>"
        "<nav>Home | World | Sport | Subscribe</nav><article><h1>Quake hits town</h1>"
        "<p>A magnitude 6 earthquake struck the town on Tuesday, officials said.</p>"
        "<p>Rescue teams searched the rubble overnight and found 12 survivors.</p></article>"
        "<footer>Copyright 2024 The Daily</footer></body></html>"
    )
    article = read_one(tmp_path / "page.html")
    assert article.title == "Quake hits town"
    assert (article.source, article.author, article.published_at) == ("The Daily", "Jane Doe", "2024-03-05")
    assert article.url == "https://daily.example.com/quake"
    assert "12 survivors" in article.body
    assert "Subscribe" not in article.body and "Copyright" not in article.body


def test_rss_feed_entries(tmp_path):
    (tmp_path / "feed.xml").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Gazette</title>"
        "<item><title>Budget passes</title><link>https://gazette.example/budget</link>"
        "<pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate>"
        "<description>&lt;p&gt;The council approved the budget.&lt;/p&gt;</description></item>"
        "<item><title>No text</title><link>https://gazette.example/empty</link></item>"
        "</channel></rss>"
    )
    first, second = list(read_file(tmp_path / "feed.xml"))
    assert (first.title, first.source, first.body) == ("Budget passes", "Gazette", "The council approved the budget.")
    assert first.published_at == "2024-03-05T09:00:00Z"
    assert isinstance(second, IngestError) and second.reason.startswith("missing body")


def test_gzip_of_any_format(tmp_path):
    with gzip.open(tmp_path / "feed.jsonl.gz", "wt") as handle:
        handle.write(json.dumps({"id": "z", "title": "Zipped", "body": BODY}) + "\n")
    assert read_one(tmp_path / "feed.jsonl.gz").id == "z"


def test_latin1_text_is_decoded(tmp_path):
    (tmp_path / "old.txt").write_bytes("Café reopens\n\nThe café on the corner reopened.".encode("latin-1"))
    assert read_one(tmp_path / "old.txt").body == "The café on the corner reopened."


def test_folder_discovery_skips_hidden_and_lists_unsupported(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.json").write_text("{}")
    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "b.docx").write_bytes(b"PK")
    found = list(discover([tmp_path]))
    assert found[0] == tmp_path / "a.jsonl"
    assert isinstance(found[1], IngestError) and found[1].reason.startswith("skipped")
    assert len(found) == 2


def test_same_story_twice_gets_the_same_id(tmp_path):
    record = {"title": "Budget passes", "body": BODY, "url": "https://example.org/budget/"}
    (tmp_path / "a.jsonl").write_text(json.dumps(record) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps(dict(record, url="https://example.org/budget#top")) + "\n")
    assert read_one(tmp_path / "a.jsonl").id == read_one(tmp_path / "b.jsonl").id


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("2025-01-13", "2025-01-13"),
        ("2025-01-13T08:15:00Z", "2025-01-13T08:15:00Z"),
        ("2025-01-13T09:15:00+01:00", "2025-01-13T08:15:00Z"),
        ("January 13, 2025", "2025-01-13"),
        ("13 Jan 2025 10:00", "2025-01-13T10:00:00"),
        ("Mon, 13 Jan 2025 10:00:00 GMT", "2025-01-13T10:00:00Z"),
        (1736726400, "2025-01-13T00:00:00Z"),
        ("", None),
    ],
)
def test_dates_normalise_to_iso(raw, iso):
    assert normalize_date(raw) == iso


@pytest.mark.parametrize("raw", ["the day after never", "32/13/2024", "0201-01-01"])
def test_bad_dates_are_errors(raw):
    with pytest.raises(ValueError):
        normalize_date(raw)


def test_cleaning_repairs_text_and_drops_boilerplate():
    raw = (
        "Updated Oct. 1, 2025, 9:15 p.m. ET\n\nCNN —\n\nThe mayorâ€™s office  said\u00a0the "
        "road   reopens.\r\n\r\n\r\nAdvertisement\n\nSign up for our daily newsletter now\n\n"
        "Copyright experts say the ruling matters."
    )
    assert clean_text(raw) == (
        "The mayor’s office said the road reopens.\n\nCopyright experts say the ruling matters."
    )


def test_a_stray_windows_1252_byte_late_in_a_json_export_costs_one_character(tmp_path):
    """The encoding is judged by the first megabyte; a byte that is not UTF-8 after it is
    read as Windows-1252 (as in JSON Lines), not the end of the file."""
    plain = json.dumps({"id": "a", "title": "Plain", "body": "An ASCII body. " * 10})
    late = '{"id": "b", "title": "Caf\xe9 reopens", "body": "The caf\xe9 reopened."}'
    path = tmp_path / "export.json"
    path.write_bytes(("[" + ", ".join([plain] * 8000) + ", " + late + "]").encode("latin-1"))
    assert path.stat().st_size > 1 << 20
    articles = [a for a in read_file(path) if isinstance(a, Article)]
    assert len(articles) == 8001 and articles[-1].title == "Café reopens"


def test_excel_unicode_text_csv_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "id,title,body\n1,Café reopens,The café reopened.\n"
                     .encode("utf-16-le"))
    assert [(a.id, a.title) for a in read_file(path)] == [("1", "Café reopens")]


def test_a_broken_first_json_item_is_located(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "x", "title": oops}]', encoding="utf-8")
    [error] = list(read_file(path))
    assert error.location == f"{path}:item 1" and error.reason.startswith("malformed JSON")
