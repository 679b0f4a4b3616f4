"""Follow-up questions made standalone before retrieval, without an LLM.

"And how many were wounded?" after "How many North Korean soldiers were killed?" cannot be
searched on its own: it names nothing. A question counts as a follow-up when it starts
with a connective ("and", "what about"), leans on a pronoun that nothing in the question
itself can stand for, or names no entity of its own and is short. A question that names
its own subject is a new topic even with a pronoun in it ("What did Apple announce about
its new iPhone?"). It is then searched together with the subject of the conversation so far:
the named entities and noun phrases of the previous (already standalone) question that the
follow-up does not repeat, plus the names in the previous reply when the caller passes it
(a vague "Who claimed the casualty figures?" names little; its answer names the story).
"What about X?" asks the previous question again about X.

History items are user turns as plain strings, or chat messages ``{"role": "user" |
"assistant", "content": ...}`` (the shape the chat UI and the OpenAI endpoint hold).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from assistant.history import user_turns

_CONNECTIVE = re.compile(r"^(and|but|so|also|then|ok(ay)?|well)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^(what|how)\s+about\s+(.+?)\??$", re.I)
_PRONOUNS = frozenset(
    "he she they them his her hers their theirs it its this that these those there him "
    "latter former".split()
)
_NEUTER = frozenset("it its this that".split())
_PERSONAL = frozenset("he she his her hers him".split())
_WH = frozenset("who whom whose what which when where why how many much".split())
_SHORT = 7  # words: a question this short with no name of its own needs context
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC"})
REPLY_CHARS = 400
MAX_REPLY_NAMES = 4


class FollowUpRewriter:
    def __init__(self, nlp: Callable[[], object], max_turns: int = 3) -> None:
        self.nlp = nlp
        self.max_turns = max_turns

    def rewrite(self, question: str, history: Sequence[str | Mapping[str, str]]) -> str:
        """The standalone form of ``question`` given the conversation so far (oldest first)."""
        turns, reply = user_turns(history)
        turns = turns[-self.max_turns :]
        if not turns:
            return question
        previous = self.rewrite(turns[-1], turns[:-1])
        about = _WHAT_ABOUT.match(question.strip())
        if about:
            return f"{previous.rstrip('?')} {about.group(2)}?"
        doc = self.nlp()(question)
        if not self._is_follow_up(question, doc):
            return question
        core = _CONNECTIVE.sub("", question.strip())
        core = core[:1].upper() + core[1:]
        context = self._subject(previous, question)
        names = self._names(reply, f"{question} {context}") if reply else ""
        context = f"{context} {names}".strip()
        return f"{core} {context}".strip() if context else core

    def _is_follow_up(self, question: str, doc) -> bool:
        words = [t.lower_ for t in doc if not t.is_punct]
        if _CONNECTIVE.match(question.strip()):
            return True
        names = [t for t in doc if t.pos_ == "PROPN"] or [
            t for ent in doc.ents if ent.label_ in _NAME_LABELS for t in ent]
        for token in doc:
            if token.lower_ not in _PRONOUNS:
                continue
            # "What did Apple announce about its new iPhone?" names its own subject: the
            # pronoun refers inside the question, which is a new topic, not a follow-up.
            # A pronoun with no name before it ("What did he say?", "Who runs it?"), or
            # one that is itself the subject ("What did they say about Kursk?"), leans on
            # the conversation.
            named_before = any(n.i < token.i and _agrees(token, n) for n in names)
            if not named_before or token.dep_ in ("nsubj", "nsubjpass"):
                return True
        return not names and len(words) <= _SHORT

    def _names(self, reply: str, asked: str) -> str:
        """Named entities of the previous reply's opening (its answer and first quote)."""
        doc = self.nlp()(reply[:REPLY_CHARS])
        names: list[str] = []
        for ent in doc.ents:
            if ent.label_ in _NAME_LABELS and ent.text.lower() not in asked.lower():
                if ent.text not in names:
                    names.append(ent.text)
        return " ".join(names[:MAX_REPLY_NAMES])

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


def _agrees(pronoun, name) -> bool:
    """Could ``name`` be what ``pronoun`` stands for? "it"/"its" never stands for a person,
    "he"/"she" only for one (or for a name the recogniser did not label)."""
    word, kind = pronoun.lower_, name.ent_type_
    if word in _NEUTER:
        return kind != "PERSON"
    if word in _PERSONAL:
        return kind in ("PERSON", "")
    return True
