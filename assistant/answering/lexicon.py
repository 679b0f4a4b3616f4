"""When two words mean the same thing for answering: the same lemma, a derivation
("owner" ~ "own", "injury" ~ "injure"), or synonyms news writing swaps freely
("wounded" ~ "injured", "purchased" ~ "bought").

The synonyms are a small hand-kept lexicon of news predicates, not word embeddings: on two
cores embedding the ~25 words of a question's evidence costs 70 ms (a quarter of an
answer), and the confusions that make wrong answers are exactly the pairs embeddings rate
as close (injured/killed 0.40, pay/cost 0.45, against 0.64 for injured/wounded), so a
threshold between them would sit on a knife's edge. Each set below is words a reporter
uses for one fact; a word in two sets ("fall") matches both.

``WordSimilarity`` can still take an embedding function (``embed``), for callers that
can afford it; the answerer does not pass one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

REPORTING_VERBS = frozenset(
    "say tell claim state report announce add estimate confirm reveal note warn write "
    "insist allege assert declare disclose acknowledge admit comment speak describe "
    "tweet post explain suggest accord".split()
)
SYNONYM = 0.58
_SYNONYM_SETS = [
    "kill die dead death fatality perish slay murder toll",
    "injure wound hurt injury casualty",
    "buy purchase acquire acquisition",
    "sell sale",
    "build construct erect",
    "found establish create launch start set",
    "begin start launch commence open",
    "end finish conclude complete close",
    "pay spend payment",
    "cost price",
    "win victory triumph beat defeat",
    "lose loss defeat",
    "elect vote choose select",
    "arrest detain apprehend custody",
    "charge accuse indict",
    "convict sentence guilty jail imprison",
    "fire dismiss sack oust",
    "resign quit",
    "appoint name nominate",
    "attack strike assault raid bomb stab",
    "shoot gun",
    "crash collide",
    "collapse fall crumble",
    "sink capsize",
    "rescue save evacuate",
    "marry wed wedding",
    "bear birth born",
    "move relocate",
    "own owner possess",
    "lead head direct run chair",
    "pilot fly",
    "release unveil introduce launch",
    "ban prohibit bar",
    "sue lawsuit",
    "increase rise grow raise climb jump",
    "decrease fall drop cut reduce decline",
    "flee escape",
    "steal theft rob",
    "destroy damage",
    "leave depart",
    "arrive land",
    "receive get win garner earn gain obtain secure net",
    "hold detain keep",
    "manufacture make produce build",
    "play portray star",
    "command lead",
    "succeed replace",
    "celebrate mark",
    "renovate restore refurbish",
    "weigh weight",
    "fight battle combat tackle extinguish",
    "participate join",
    "stay remain",
    "send dispatch deploy",
    "need require",
    "newspaper daily tabloid",
]
_SYNONYMS: dict[str, frozenset[str]] = {}
for _line in _SYNONYM_SETS:
    _words = frozenset(_line.split())
    for _word in _words:
        _SYNONYMS[_word] = _SYNONYMS.get(_word, frozenset()) | _words
_SUFFIXES = ("", "s", "es", "er", "ers", "or", "ors", "ed", "d", "ing", "ion", "ions",
             "ation", "ment", "y", "ies", "ship", "al", "ly")


_INFLECTIONS = ("ing", "ed")  # (not "-er": "let"/"letter", "mine"/"miner" are other words)


def same_sense(a: str, b: str) -> bool:
    """The same word, or synonyms whose sets are the same: "appoint" and "nominate", not
    "win" and "defeat" ("defeat" is in the sets of both "win" and "lose")."""
    return a == b or (a in _SYNONYMS and _SYNONYMS.get(a) == _SYNONYMS.get(b))


def derived(a: str, b: str) -> bool:
    """The same word, a synonym from the lexicon, one derived from the other by a common
    suffix ("own"/"owner", "elect"/"election"), an -ing or -ed form spelt by English rules
    ("rule"/"ruling", "ban"/"banned"), or two forms sharing all but their last two letters
    ("injure"/"injury")."""
    if a == b or b in _SYNONYMS.get(a, ()):
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and long.startswith(short) and long[len(short):] in _SUFFIXES:
        return True
    # the spelling rules of English inflection: a silent e dropped ("rule"/"ruling"), a
    # final consonant doubled ("ban"/"banned", "stop"/"stopping")
    if len(short) >= 3 and short.endswith("e") and long.startswith(short[:-1]) and (
            long[len(short) - 1:] in _INFLECTIONS):
        return True
    if len(short) >= 3 and long.startswith(short + short[-1]) and long[len(short) + 1:] in _INFLECTIONS:
        return True
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= 5 and len(a) - common <= 2 and len(b) - common <= 2


class WordSimilarity:
    """``similarity(a, b)`` in [0, 1] for two lemmas: 1 for :func:`derived` words, else the
    cosine of their embeddings (cached; ``embed`` is called once per new batch of words).
    Without ``embed`` only derived words count as the same."""

    def __init__(self, embed: Callable[[Sequence[str]], "np.ndarray"] | None = None,
                 cache_size: int = 50_000) -> None:
        self.embed = embed
        self.cache_size = cache_size
        self._vectors: dict[str, "np.ndarray"] = {}
        self._lock = threading.Lock()

    def prepare(self, words: Sequence[str]) -> None:
        """Embed the words not seen yet, in one batch."""
        if self.embed is None:
            return
        new = [w for w in dict.fromkeys(words) if w not in self._vectors]
        if not new:
            return
        vectors = self.embed(new)
        with self._lock:
            if len(self._vectors) + len(new) > self.cache_size:
                self._vectors.clear()
            self._vectors.update(zip(new, vectors))

    def __call__(self, a: str, b: str) -> float:
        if derived(a, b):
            return 1.0
        va, vb = self._vectors.get(a), self._vectors.get(b)
        if va is None or vb is None:
            return 0.0
        return max(0.0, float(va @ vb))


# The parts of speech that carry content: a light word ("is", "the", "of") matches nothing.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})


def best_match(word: str | None, tokens: Sequence, similarity: WordSimilarity):
    """The content token of ``tokens`` whose lemma is most like ``word``, and how alike:
    ``(score, token)``, ``(0.0, None)`` when none is."""
    best, where = 0.0, None
    if not word:
        return best, where
    for token in tokens:
        if token.pos_ not in CONTENT_POS:
            continue
        score = similarity(word, token.lemma_.lower())
        if score > best:
            best, where = score, token
    return best, where
