"""Live feeds and web pages: ``byline watch`` and ``byline ingest URL`` against feeds and
news pages served by a real HTTP server on 127.0.0.1 (no outside network). The server
honours ETag / If-None-Match and Last-Modified / If-Modified-Since as news sites do, and
logs every request, so the tests see what was fetched."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.web import Watcher, parse_interval

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:site_name" content="Harbour Herald">
<link rel="canonical" href="{url}"></head>
<body><nav>Home | World | Sport</nav><article><h1>{title}</h1>
{paragraphs}</article><footer>Copyright Harbour Herald</footer></body></html>"""

STORIES = {
    "ferry": ("Ferry service resumes after storm",
              ["The Skarholmen ferry resumed service on Tuesday after a three-day suspension caused "
               "by the storm, the operator Nordlink said.",
               "Nordlink said 14 crossings a day would run until the end of the month, and that "
               "repairs to the northern pier would cost about 2.4 million kroner."]),
    "budget": ("Council approves harbour budget",
               ["The harbour council approved a budget of 31 million kroner on Wednesday, its "
                "chair Ingrid Solberg said after a vote of seven to two.",
                "Most of the money goes to dredging the western basin, Solberg said."]),
    "quinces": ("Quince harvest breaks record",
                ["Growers in the valley picked 812 tonnes of quinces this autumn, the most since "
                 "records began in 1961, the growers' association said on Friday.",
                 "The association credited a mild spring and the new irrigation canal."]),
}


def rss(base: str, items: list[tuple[str, str]]) -> str:
    """An RSS 2.0 feed; ``items``: (story key, pubDate). Descriptions are teasers only."""
    entries = "".join(
        f"<item><title>{STORIES[key][0]}</title><link>{base}/news/{key}.html</link>"
        f"<guid>{base}/news/{key}.html</guid><description>Teaser: read more.</description>"
        f"<pubDate>{day}</pubDate></item>" for key, day in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title>'
            f"<link>{base}</link><description>News</description>{entries}</channel></rss>")


class Site:
    """Feeds and pages by path (editable while serving) and the log of requests."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, str]] = {}  # path -> (status, type, body)
        self.modified: dict[str, str] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, key: str, extra: str = "") -> None:
        title, paragraphs = STORIES[key]
        url = f"{self.base}/news/{key}.html"
        body = "".join(f"<p>{p}</p>" for p in paragraphs + ([extra] if extra else []))
        self.routes[f"/news/{key}.html"] = (200, "text/html; charset=utf-8",
                                            PAGE.format(title=title, url=url, paragraphs=body))

    def feed(self, path: str, items: list[tuple[str, str]], modified: str) -> None:
        self.routes[path] = (200, "application/rss+xml", rss(self.base, items))
        self.modified[path] = modified

    def fetched(self, prefix: str = "/news/") -> list[str]:
        return [path for path, _ in self.log if path.startswith(prefix)]

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                site.log.append((self.path, dict(self.headers)))
                status, kind, body = site.routes.get(self.path, (404, "text/plain", "not found"))
                data = body.encode()
                etag = '"' + hashlib.sha1(data).hexdigest() + '"'
                modified = site.modified.get(self.path)
                if status == 200 and (self.headers.get("If-None-Match") == etag or (
                        modified and self.headers.get("If-Modified-Since") == modified
                        and not self.headers.get("If-None-Match"))):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                if status == 200:
                    self.send_header("ETag", etag)
                    if modified:
                        self.send_header("Last-Modified", modified)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def site():
    served = Site()
    yield served
    served.server.shutdown()


@pytest.fixture
def watched(tmp_path, make_assistant_with):
    bot = make_assistant_with(tmp_path / "index")
    return bot, Watcher(bot.ingestor, tmp_path / "index" / "feeds.sqlite3")


MONDAY = "Mon, 06 Oct 2025 08:00:00 GMT"
TUESDAY = "Tue, 07 Oct 2025 09:30:00 GMT"


def test_a_feed_poll_ingests_each_entry_page_then_costs_one_request(site, watched):
    bot, watcher = watched
    site.page("ferry")
    site.page("budget")
    site.feed("/feed.xml", [("ferry", MONDAY), ("budget", TUESDAY)], modified=TUESDAY)

    first = watcher.poll(f"{site.base}/feed.xml")
    assert first.status == "new" and first.entries == 2 and first.fetched == 2 and not first.failed
    assert first.ingest.added == 2
    answer = bot.ask("How many ferry crossings a day will run?")
    assert answer.short_answer == "14"  # from the page: the feed only has a teaser
    cited = answer.citations[0].passage
    assert cited.url == f"{site.base}/news/ferry.html" and cited.source == "Harbour Herald"
    assert cited.published_at.startswith("2025-10-06")  # the feed's date for the entry
    assert "Home | World" not in cited.text and "Copyright" not in cited.text

    site.log.clear()
    second = watcher.poll(f"{site.base}/feed.xml")
    assert second.status == "unchanged" and second.ingest is None
    assert [path for path, _ in site.log] == ["/feed.xml"]  # no page fetched again
    assert site.log[0][1].get("If-None-Match") and site.log[0][1].get("If-Modified-Since") == TUESDAY
    assert bot.stats().articles == 2


def test_new_and_updated_entries_are_fetched_and_nothing_else(site, watched):
    bot, watcher = watched
    site.page("ferry")
    site.page("budget")
    site.feed("/feed.xml", [("ferry", MONDAY), ("budget", MONDAY)], modified=MONDAY)
    watcher.poll(f"{site.base}/feed.xml")

    site.log.clear()
    site.page("budget", extra="Correction: the vote was eight to one, not seven to two.")
    site.page("quinces")
    site.feed("/feed.xml", [("ferry", MONDAY), ("budget", TUESDAY), ("quinces", TUESDAY)], modified=TUESDAY)
    poll = watcher.poll(f"{site.base}/feed.xml")
    assert sorted(site.fetched()) == ["/news/budget.html", "/news/quinces.html"]
    assert poll.ingest.added == 1 and poll.ingest.replaced == 1 and bot.stats().articles == 3
    assert "eight to one" in bot.search("harbour council vote correction", k=1)[0].text


def test_bad_pages_are_reported_skipped_and_tried_again(site, watched):
    bot, watcher = watched
    site.page("ferry")
    site.routes["/news/budget.html"] = (200, "image/png", "\x89PNG not a page")
    site.feed("/feed.xml", [("ferry", MONDAY), ("budget", MONDAY), ("quinces", MONDAY)], modified=MONDAY)

    poll = watcher.poll(f"{site.base}/feed.xml")
    assert poll.ingest.added == 1
    assert sorted((f.location, f.reason) for f in poll.failed) == [
        (f"{site.base}/news/budget.html", "not an HTML page (image/png)"),
        (f"{site.base}/news/quinces.html", "HTTP 404 Not Found"),
    ]
    site.page("quinces")  # the missing page appears
    site.feed("/feed.xml", [("ferry", MONDAY), ("budget", MONDAY), ("quinces", MONDAY)], modified=TUESDAY)
    site.log.clear()
    again = watcher.poll(f"{site.base}/feed.xml")
    assert sorted(site.fetched()) == ["/news/budget.html", "/news/quinces.html"]  # not ferry
    assert again.ingest.added == 1 and bot.stats().articles == 2


@pytest.mark.parametrize("route, reason", [
    ((500, "text/plain", "oops"), "HTTP 500 Internal Server Error"),
    ((200, "text/plain", "hello, this is no feed"), "not an RSS or Atom feed"),
    (None, "HTTP 404 Not Found"),
])
def test_a_broken_feed_is_reported_and_the_others_still_go_in(site, watched, route, reason):
    bot, watcher = watched
    if route:
        site.routes["/broken.xml"] = route
    site.page("ferry")
    site.feed("/feed.xml", [("ferry", MONDAY)], modified=MONDAY)
    broken, good = watcher.poll(f"{site.base}/broken.xml"), watcher.poll(f"{site.base}/feed.xml")
    assert broken.status == "failed"
    assert [(f.location, f.reason) for f in broken.failed] == [(f"{site.base}/broken.xml", reason)]
    assert good.ingest.added == 1 and bot.stats().articles == 1


def test_byline_ingest_url_and_watch_once_on_the_command_line(site, cli_env):
    site.page("quinces")
    site.page("ferry")
    site.feed("/feed.xml", [("ferry", MONDAY)], modified=MONDAY)

    def byline(*args):
        return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True,
                              text=True, env=cli_env, timeout=300)

    page = byline("ingest", f"{site.base}/news/quinces.html")
    assert page.returncode == 0, page.stderr
    assert "1 added, 0 replaced, 0 unchanged, 0 failed" in page.stdout
    missing = byline("ingest", f"{site.base}/news/none.html")
    assert missing.returncode == 1
    assert f"failed {site.base}/news/none.html: HTTP 404 Not Found" in missing.stderr

    watch = byline("watch", f"{site.base}/feed.xml", "--once", "--json")
    assert watch.returncode == 0, watch.stderr
    poll = json.loads(watch.stdout.strip().splitlines()[-1])
    assert poll["status"] == "new" and poll["ingest"]["added"] == 1
    asked = byline("ask", "How many tonnes of quinces were picked?", "--json")
    assert json.loads(asked.stdout)["short_answer"] == "812 tonnes"

    bad = byline("watch", f"{site.base}/feed.xml", "--every", "soon")
    assert bad.returncode == 2 and "'soon' is no interval" in bad.stderr


def test_intervals_read_as_people_write_them():
    assert [parse_interval(t) for t in ("30s", "15m", "1h", "1d", "90")] == [30, 900, 3600, 86400, 90]
    for text in ("0s", "soon", "-5m"):
        with pytest.raises(ValueError):
            parse_interval(text)
