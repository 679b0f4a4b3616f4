"""Stories: articles about the same event, grouped at ingest.

Two articles are on one story when they were published within WINDOW_DAYS of each other
and a good part of the shorter one's text is in the longer one: a wire story run by several
outlets, a story updated during the day, a follow-up that repeats the background of the
first report. The measure is containment of word 5-grams (Broder 1997), estimated from a
fixed sample of them: a 5-gram is *marked* when its hash is 0 modulo SAMPLE (Broder's
mod-m sketch, which, unlike a min-hash signature, estimates containment without bias even
when one article is ten times the other's length). Marks live in the catalog's own database
(``story_marks``), indexed by (hash, day), so finding an article's story is one indexed
lookup in its window, whatever the corpus size, and happens in the transaction that writes
the article: a story is never behind the catalog.

On rtqa-dev (2,003 USA Today network articles), pairs within 7 days at containment >= 0.3
were all on one story in a sample of 15 read by hand ("Dick Cheney funeral date set" /
"When is Dick Cheney's funeral?"); between 0.15 and 0.3 one in 15 was two stories sharing a
publisher's boilerplate, hence FOLLOW_UP = 0.3 and the boilerplate rule (BOILERPLATE).

An article joins the story of the article it overlaps most (single link; a story's id is
the id of one of its articles, usually the first report's). It is a **copy** when nearly all of the shorter text is shared
(COPY): copies carry the same reporting, so sources that agree count once per original
(``copy_of``), not once per outlet that ran it.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from assistant.dates import UNDATED_DAY, day_number

if TYPE_CHECKING:
    from assistant.types import Article

SCHEMA = """
CREATE TABLE IF NOT EXISTS story_marks (
    hash INTEGER NOT NULL, day INTEGER NOT NULL, article_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_marks_hash ON story_marks (hash, day);
CREATE INDEX IF NOT EXISTS story_marks_article ON story_marks (article_id);
CREATE TABLE IF NOT EXISTS stories (
    article_id TEXT PRIMARY KEY, story TEXT NOT NULL, copy_of TEXT, marks INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_story ON stories (story);
"""
STORIES_VERSION = "mod8-5gram-2"  # meta "stories": every article has its row in ``stories``

SHINGLE = 5
SAMPLE = 8  # keep one 5-gram in 8: ~100 marks for an 800-word article
WINDOW_DAYS = 7
FOLLOW_UP = 0.3
COPY = 0.8
MIN_MARKS = 8  # below this (an article of ~60 words) containment is too coarse to trust
# A mark found in articles of more stories of the window than this is a publisher's
# boilerplate ("Sign up for our newsletter"), not shared reporting: it is not counted.
BOILERPLATE = 10

_WORD = re.compile(r"\w+")


def marks(text: str) -> set[int]:
    """The sampled 5-gram hashes of ``text`` (lower-cased words), as signed 64-bit ints."""
    words = _WORD.findall(text.lower())
    found = set()
    for i in range(max(1, len(words) - SHINGLE + 1)):
        gram = " ".join(words[i : i + SHINGLE]).encode()
        value = int.from_bytes(hashlib.blake2b(gram, digest_size=8).digest(), "big", signed=True)
        if value % SAMPLE == 0:
            found.add(value)
    return found


def group(db: sqlite3.Connection, articles: Sequence["Article"]) -> None:
    """Give each of these articles (just written to ``articles``) its story, oldest first so
    that a story is named by its first report; the copies of a rewritten article are
    regrouped. Runs inside the caller's transaction."""
    ids = [a.id for a in articles]
    dependents = _copies_of(db, ids)
    forget(db, ids)
    _recheck(db, dependents)  # their original's text changed: regrouped without it first
    for article in sorted(articles, key=lambda a: (a.published_at or "", a.id)):
        _place(db, article.id, marks(article.body), day_number(article.published_at))


def forget(db: sqlite3.Connection, article_ids: Iterable[str]) -> None:
    """Drop these articles' marks and story rows (the other members keep their story).
    Runs inside the caller's transaction."""
    ids = [(a,) for a in article_ids]
    db.executemany("DELETE FROM story_marks WHERE article_id = ?", ids)
    db.executemany("DELETE FROM stories WHERE article_id = ?", ids)


def delete(db: sqlite3.Connection, article_ids: Sequence[str]) -> None:
    """Forget deleted articles; their copies are checked again (one may now be the
    original). Runs inside the caller's transaction."""
    dependents = _copies_of(db, article_ids)
    forget(db, article_ids)
    _recheck(db, dependents)


def rebuild(db: sqlite3.Connection) -> None:
    """Group every article afresh (a catalog from before stories existed)."""
    db.execute("DELETE FROM story_marks")
    db.execute("DELETE FROM stories")
    rows = db.execute("SELECT id, body, published_at FROM articles ORDER BY published_at, id").fetchall()
    for article_id, body, published_at in rows:
        _place(db, article_id, marks(body), day_number(published_at))


def _place(db: sqlite3.Connection, article_id: str, mine: set[int], day: int) -> None:
    story, copy_of = None, None
    if day != UNDATED_DAY and len(mine) >= MIN_MARKS:
        best = _best_match(db, article_id, mine, day)
        if best is not None:
            other, share = best
            story, root = db.execute(
                "SELECT story, copy_of FROM stories WHERE article_id = ?", (other,)).fetchone()
            if share >= COPY:  # a copy of ``other``'s text, so of its original
                copy_of = _original(db, root or other, article_id, day)
    if story is None:  # a story of its own, named by this article unless a story is (a re-used id)
        taken = db.execute("SELECT 1 FROM stories WHERE story = ? LIMIT 1", (article_id,)).fetchone()
        story = article_id if not taken else f"{article_id}~{day}~{len(mine)}"
    db.executemany("INSERT OR IGNORE INTO story_marks VALUES (?, ?, ?)", [(h, day, article_id) for h in mine])
    db.execute("INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?)", (article_id, story, copy_of, len(mine)))


def _original(db: sqlite3.Connection, root: str, article_id: str, day: int) -> str | None:
    """The original of a copy whose text ``root`` carries first: ``root``, unless this
    article was published before it (ingested out of order), in which case this article
    becomes the original of ``root`` and of its copies, and None is returned."""
    if root == article_id:
        return None
    root_day = db.execute("SELECT published_day FROM articles WHERE id = ?", (root,)).fetchone()
    if root_day is None or root_day[0] <= day:
        return root
    db.execute("UPDATE stories SET copy_of = ? WHERE copy_of = ? OR article_id = ?", (article_id, root, root))
    return None


def _fetch_in(db: sqlite3.Connection, sql: str, values: Sequence, extra: Sequence = ()) -> list[tuple]:
    """``sql`` with its ``IN ({})`` filled for ``values`` (then ``extra`` parameters), run
    in batches of 400 (SQLite caps a statement's parameters)."""
    values = list(values)
    rows: list[tuple] = []
    for start in range(0, len(values), 400):
        part = values[start : start + 400]
        rows += db.execute(sql.format(",".join("?" * len(part))), (*part, *extra)).fetchall()
    return rows


def _copies_of(db: sqlite3.Connection, article_ids: Sequence[str]) -> list[str]:
    """The stored copies of these articles (other than themselves)."""
    wanted = set(article_ids)
    rows = _fetch_in(db, "SELECT article_id FROM stories WHERE copy_of IN ({})", wanted)
    return [a for (a,) in rows if a not in wanted]


def _recheck(db: sqlite3.Connection, article_ids: Sequence[str]) -> None:
    """Place these articles again from their stored marks (their original changed or went),
    oldest first."""
    rows = []
    for article_id in article_ids:
        row = db.execute("SELECT published_day FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is not None:
            found = {h for (h,) in db.execute("SELECT hash FROM story_marks WHERE article_id = ?", (article_id,))}
            rows.append((row[0], article_id, found))
    forget(db, [article_id for _, article_id, _ in rows])
    for day, article_id, found in sorted(rows):
        _place(db, article_id, found, day)


def _best_match(db: sqlite3.Connection, article_id: str, mine: set[int], day: int) -> tuple[str, float] | None:
    """The article of the window sharing the largest share of the shorter one's marks, if
    that share reaches FOLLOW_UP. A mark that articles of more than BOILERPLATE different
    stories share is boilerplate and does not count (a wire story run by fifty outlets is
    one story: its marks still count)."""
    hits = set(_fetch_in(
        db, "SELECT hash, article_id FROM story_marks WHERE hash IN ({}) AND day BETWEEN ? AND ? "
        "AND article_id != ?", mine, (day - WINDOW_DAYS, day + WINDOW_DAYS, article_id)))
    if not hits:
        return None
    rows = _fetch_in(db, "SELECT article_id, story, marks FROM stories WHERE article_id IN ({})",
                     {a for _, a in hits})
    story_of = {a: story for a, story, _ in rows}
    sizes = {a: n for a, _, n in rows}
    stories_per_mark: dict[int, set[str]] = {}
    for h, a in hits:
        stories_per_mark.setdefault(h, set()).add(story_of.get(a, a))
    shared = Counter(a for h, a in hits if len(stories_per_mark[h]) <= BOILERPLATE)
    scored = [(n / min(len(mine), sizes[a]), a) for a, n in shared.items() if sizes.get(a, 0) >= MIN_MARKS]
    if not scored:
        return None
    share, other = max(scored)
    return (other, share) if share >= FOLLOW_UP else None
