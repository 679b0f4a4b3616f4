"""Follow-up questions made standalone before retrieval, without an LLM.

"And how many were wounded?" after "How many North Korean soldiers were killed?" cannot be
searched on its own: it names nothing. A question counts as a follow-up when it starts
with a connective ("and", "what about"), leans on a pronoun, or names no entity of its own
and is short. It is then searched together with the subject of the conversation so far:
the named entities and noun phrases of the previous (already standalone) question that the
follow-up does not repeat. "What about X?" asks the previous question again about X.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_CONNECTIVE = re.compile(r"^(and|but|so|also|then|ok(ay)?|well)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^(what|how)\s+about\s+(.+?)\??$", re.I)
_PRONOUNS = frozenset(
    "he she they them his her hers their theirs it its this that these those there him "
    "latter former".split()
)
_WH = frozenset("who whom whose what which when where why how many much".split())
_SHORT = 7  # words: a question this short with no name of its own needs context


class FollowUpRewriter:
    def __init__(self, nlp: Callable[[], object], max_turns: int = 3) -> None:
        self.nlp = nlp
        self.max_turns = max_turns

    def rewrite(self, question: str, history: Sequence[str]) -> str:
        """The standalone form of ``question`` given earlier user turns (oldest first)."""
        history = [h for h in history if h and h.strip()][-self.max_turns :]
        if not history:
            return question
        previous = self.rewrite(history[-1], history[:-1])
        about = _WHAT_ABOUT.match(question.strip())
        if about:
            return f"{previous.rstrip('?')} {about.group(2)}?"
        doc = self.nlp()(question)
        if not self._is_follow_up(question, doc):
            return question
        core = _CONNECTIVE.sub("", question.strip())
        core = core[:1].upper() + core[1:]
        context = self._subject(previous, question)
        return f"{core} {context}".strip() if context else core

    def _is_follow_up(self, question: str, doc) -> bool:
        words = [t.lower_ for t in doc if not t.is_punct]
        if _CONNECTIVE.match(question.strip()):
            return True
        if any(w in _PRONOUNS for w in words):
            return True
        names = [t for t in doc if t.pos_ == "PROPN"] or list(doc.ents)
        return not names and len(words) <= _SHORT

    def _subject(self, previous: str, question: str) -> str:
        doc = self.nlp()(previous)
        asked = question.lower()
        phrases: list[str] = []
        for span in list(doc.ents) + list(doc.noun_chunks):
            words = [t.text for t in span if t.lower_ not in _WH and not t.is_stop and not t.is_punct]
            phrase = " ".join(words)
            if not phrase or phrase.lower() in asked:
                continue
            if any(phrase.lower() in p.lower() for p in phrases):
                continue
            phrases = [p for p in phrases if p.lower() not in phrase.lower()] + [phrase]
        return " ".join(phrases)
