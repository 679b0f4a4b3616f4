"""Timeline answers: "How did the Hong Kong protests develop?", "What happened with Brexit?".

Such a question asks for a story across articles, not a fact in one sentence, so the reply
is a dated list: one entry per article on the story (near-duplicate wire copies were
already folded into one passage by retrieval, so an entry is a report, not a copy), oldest
first, each the article's publication day, its headline and the sentence of it that is
most relevant to the question, quoted and cited. The dates are publication dates and say
so: the quoted sentence may date the event itself ("on Wednesday"), and is left unchanged.

Only articles with a relevant sentence (the reranker's gate) and a date are entries, and
at most MAX_ENTRIES of them (the most relevant, then put in date order). Fewer than
MIN_ENTRIES is no timeline: the question is answered as any other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.evidence import ScoredSentence

MIN_ENTRIES = 2
MAX_ENTRIES = 8

_ASKS_FOR_TIMELINE = re.compile(
    r"^\s*(?:"
    r"how\s+(?:did|has|have|do|does|is|are|was|were)\s+.+?\s+"
    r"(?:develop(?:ed|ing)?|unfold(?:ed|ing)?|evolve[ds]?|evolving|progress(?:ed|ing)?|"
    r"play(?:ed)?\s+out|change[ds]?)"
    r"|what\s+(?:has\s+|have\s+)?happened\s+(?:with|to|in|at|during|over|since|after)\b"
    r"|(?:give\s+me\s+|show\s+me\s+|what\s+is\s+)?(?:an?\s+|the\s+)?(?:timeline|chronology)\b"
    r"|(?:what\s+is\s+)?the\s+(?:story|history)\s+(?:of|so\s+far)\b"
    r")",
    re.I,
)


def asks_for_timeline(question: str) -> bool:
    """Whether ``question`` asks how a story developed rather than for one fact."""
    return bool(_ASKS_FOR_TIMELINE.match(question))


def timeline_entries(sentences: Sequence[ScoredSentence]) -> list[ScoredSentence]:
    """The best relevant sentence of each dated article, oldest first (see the module
    docstring); empty when there are fewer than MIN_ENTRIES."""
    best: dict[str, ScoredSentence] = {}
    for sentence in sentences:
        if not sentence.relevant or not sentence.passage.published_at:
            continue
        held = best.get(sentence.passage.article_id)
        if held is None or sentence.relevance > held.relevance:
            best[sentence.passage.article_id] = sentence
    chosen = sorted(best.values(), key=lambda s: -s.relevance)[:MAX_ENTRIES]
    if len(chosen) < MIN_ENTRIES:
        return []
    return sorted(chosen, key=lambda s: (s.passage.published_at, -s.relevance))
