"""Near-duplicate removal: the same wire story in five outlets should fill one slot, not five.

Two passages are near-duplicates when most word 4-grams of the shorter one also occur in
the longer one (containment, Broder 1997). Containment rather than Jaccard, because two
outlets cut the same story into chunks at different places: one chunk is then largely
inside the other without the two being equal.

A dropped copy is not lost: the kept passage lists it (``also_reported_by``) when it comes
from another outlet, so the citation can say who else ran the story.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from assistant.types import Copy, Passage

if TYPE_CHECKING:
    from assistant.store.catalog import Story

_WORD = re.compile(r"\w+")
SHINGLE = 4
THRESHOLD = 0.75


def shingles(text: str, size: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def containment(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def drop_near_duplicates(
    passages: Sequence[Passage], threshold: float = THRESHOLD, limit: int | None = None
) -> list[Passage]:
    """Keep the best-ranked passage of each group of near-duplicates, in input order, and
    at most ``limit`` of them; each kept passage lists the other outlets' copies among
    all of ``passages`` (past the limit too) in ``also_reported_by``, once per article.

    Passages of the same article never count as duplicates of each other (their overlap
    is the chunker's deliberate overlap).
    """
    kept: list[tuple[Passage, frozenset]] = []
    for passage in passages:
        full = limit is not None and len(kept) >= limit
        grams = shingles(passage.text)
        original = next((other for other, seen in kept if other.article_id != passage.article_id
                         and containment(grams, seen) >= threshold), None)
        if original is not None:
            _note_copy(original, passage)
        elif not full:
            kept.append((passage, grams))
    return [p for p, _ in kept]


def _note_copy(original: Passage, copy: Passage) -> None:
    if copy.source == original.source or any(
            c.article_id == copy.article_id for c in original.also_reported_by):
        return
    original.also_reported_by.append(
        Copy(copy.source, copy.published_at, copy.url, copy.article_id, copy.title))


SHOWN_OUTLETS = 5  # outlets named on a chat card or a CLI line, then "and 15 more"


def shown_outlets(passage: Passage) -> tuple[list[Copy], int]:
    """The other outlets a card or a CLI line names, and how many more there are."""
    copies = passage.also_reported_by
    return copies[:SHOWN_OUTLETS], max(0, len(copies) - SHOWN_OUTLETS)


def credit_stories(passages: Sequence[Passage], stories: Mapping[str, "Story"]) -> None:
    """Give each passage its story (``stories``: article id -> its story, as
    ``Catalog.stories_of`` returns them) and list the story's other outlets in
    ``also_reported_by``, one article per outlet, those carrying the same text first."""
    for passage in passages:
        story = stories.get(passage.article_id)
        if story is None:
            continue
        me = next(m for m in story.articles if m.article_id == passage.article_id)
        passage.story, passage.copy_of = story.id, me.copy_of
        listed = {c.source for c in passage.also_reported_by} | {passage.source}
        for m in sorted(story.articles, key=lambda m: m.original != me.original):
            if m.source in listed or m.source is None:
                continue
            listed.add(m.source)
            passage.also_reported_by.append(
                Copy(m.source, m.published_at, m.url, m.article_id, m.title, m.original == me.original))
