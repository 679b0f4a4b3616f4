"""What kind of short answer a question wants, read from its wording.

The answer type is a ranked tuple of spaCy entity labels (OntoNotes scheme): a "who"
question prefers a person, then an organisation, then a country acting as one ("Kyiv
captured two soldiers"). ``None`` means no short answer fits (why/how/what-happened
questions): the best sentence is the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAMED = "NAMED"  # label of names found through the asked-for noun, see answering.entities
PERSON_LIKE = ("PERSON", "ORG", "GPE", "NORP")
DATE_LIKE = ("DATE", "TIME")
PLACE_LIKE = ("GPE", "LOC", "FAC")
NUMBER_LIKE = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE")  # "three days" is a DATE
# Any name: what a "which NOUN" question can be answered with when the noun is unknown to
# the table below ("which exoplanet", "which constellation"); the checks then ask that the
# evidence ties the name to the noun. Countries, cities and nationalities are left out:
# the nouns that name those are in the table, and a country beside an unknown noun ("the
# dive boat ... California, United States") is where the story happened, not its name.
ANY_NAME = ("PERSON", "ORG", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")

# "which <noun>" / "what <noun>": the noun names the type.
_NOUN_TYPES: dict[str, tuple[str, ...]] = {}
for _labels, _nouns in {
    ("PERSON",): "person man woman leader president minister politician official actor actress "
                 "singer player athlete author writer director judge lawmaker senator ceo "
                 "chancellor king queen prince pope candidate coach captain spokesperson",
    ("ORG",): "company organization organisation firm group party team club agency union "
              "network bank airline newspaper university court body institution band "
              "manufacturer carmaker retailer brand charity",
    ("GPE", "LOC"): "country city state nation region province town capital county island "
                    "territory village",
    ("LOC", "FAC", "GPE"): "place location venue site airport stadium building river mountain "
                           "sea ocean lake",
    ("DATE",): "date day year month decade century",
    ("TIME", "QUANTITY", "CARDINAL"): "time hour",
    ("TALLY", "CARDINAL"): "vote score tally margin result",
    ("NORP",): "nationality religion",
    ("EVENT",): "event war election tournament festival",
    ("WORK_OF_ART",): "film movie book song album show series",
    ("LAW",): "law act bill treaty",
    ("PRODUCT",): "product vehicle ship aircraft device",
    ("MONEY",): "price amount cost fine",
    ("PERCENT",): "percentage rate share",
    # measurements, which the recogniser calls quantities ("75 miles per hour") or counts
    ("QUANTITY", "CARDINAL"): "speed wind height length distance weight depth temperature "
                              "pressure elevation altitude width diameter magnitude population",
}.items():
    for _noun in _nouns.split():
        _NOUN_TYPES[_noun] = _labels
        _NOUN_TYPES[_noun + "s"] = _labels
_NOUN_TYPES["people"] = ("PERSON",)
# Plurals that the "+s" above cannot make: "the names of the men arrested".
_NOUN_TYPES.update(dict.fromkeys(("men", "women", "children"), ("PERSON",)))
_PEOPLE = frozenset(
    "pilot chef victim suspect priest official spokesman spokeswoman chief head boss mayor "
    "governor girl boy child son daughter wife husband mother father brother sister widow "
    "friend partner rival opponent successor predecessor nominee winner champion hero "
    "immigrant citizen resident student soldier officer doctor nurse scientist engineer "
    "activist journalist reporter artist musician composer rapper comedian host anchor "
    "secretary deputy envoy ambassador diplomat minister premier chancellor monarch emperor "
    "bishop cardinal imam rabbi coach manager founder owner ceo executive chairman".split()
)
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "eur")
_NOT_PEOPLE = frozenset(
    "number order border center centre water paper letter quarter river computer chapter "
    "corner matter power tower weather war error sector factor motor theater theatre "
    "meteor monitor mirror minor major floor door color colour honor honour tumor tumour "
    "plant giant restaurant instrument tournament september october november december "
    "summer winter".split()
)
_NOUN_TYPES["countries"] = ("GPE",)
_NOUN_TYPES["cities"] = ("GPE",)
_NOUN_TYPES["companies"] = ("ORG",)
_NOUN_TYPES["parties"] = ("ORG",)

_HOW_MANY = re.compile(r"\bhow (many|much|long|old|far|big|large|high|tall|deep|wide|heavy|fast)\b"
                       r"|\bwhat (number|percentage|share|proportion|amount)\b", re.I)
_WHEN = re.compile(r"\b(when|what (date|day|year|month|time)|which (date|day|year|month))\b", re.I)
_WHERE = re.compile(r"\b(where|in which (city|country|state|town|region|place))\b", re.I)
_WHO = re.compile(r"\b(?!(?-i:WHO)\b)(who|whom|whose)\b", re.I)  # (not the WHO: "according to the WHO, how many")
_WHICH_NOUN = re.compile(r"\b(?:which|what)((?:\s+[\w-]+){1,2})", re.I)
_POSSESSIVE = re.compile(r"\bwhat (?:was|is|were|are) (?:[\w.-]+ ){0,3}?[\w.-]+['’]s (\w+)", re.I)
_NAME_OF = re.compile(r"\bnames? of (?:the |a |an |this |these )?((?:[\w’'-]+ ?){1,5})", re.I)
_NAME_STOP = frozenset("of who whom that which in at on for from with by to during after before".split())
_WHAT_IS_THE = re.compile(r"\bwhat (?:was|is|were|are) (?:the|a|an) (\w+)\b", re.I)
# Past participles of news verbs that do not end in -ed: "the men shot at the market".
_IRREGULAR_PARTICIPLES = frozenset(
    "shot hurt hit struck held caught found taken seen chosen driven stolen beaten thrown "
    "sworn sent built paid sold told brought bought fought kept left lost won bitten "
    "swept run".split()
)
_WHAT = re.compile(r"\b(what|which)\b", re.I)
_NOT_NOUNS = frozenset(
    "is was are were did do does has had have will would can could the a an of in on to "
    "for by with at as about happened name first last main new".split()
)
_PHRASES = (
    ("how many", _HOW_MANY), ("when", _WHEN), ("where", _WHERE), ("who", _WHO), ("what", _WHAT),
)


@dataclass(frozen=True)
class QuestionType:
    """``labels`` are the entity labels that can answer, best first; labels in ``equal``
    are all as good as the first. ``noun`` is the thing a which/what question asks for
    ("which *region*"): a name attached to it in the evidence answers even when the
    entity recogniser misses it ("the Kursk region", "the boat, Conception")."""

    wh: str  # who, when, where, how many, which, what, other
    labels: tuple[str, ...] | None
    noun: str | None = None
    equal: bool = False

    @property
    def wants_entity(self) -> bool:
        return self.labels is not None or self.noun is not None

    @property
    def candidate_labels(self) -> tuple[str, ...]:
        """The entity labels searched for candidates: the answer type's, or any name for
        an asked noun of unknown type."""
        if self.labels:
            return self.labels
        return ANY_NAME if self.noun else ()

    def weight(self, label: str) -> float:
        if label == NAMED:
            return 1.0  # a name attached to the asked-for noun: the answer's very shape
        if not self.labels or label not in self.labels:
            return 0.6
        return 1.0 if self.equal else 1.0 / (1 + 0.5 * self.labels.index(label))


def classify(question: str) -> QuestionType:
    """The wh-word of a question and the entity labels that can answer it, best first.

    The earliest question phrase decides: in "What was Kipchoge's time when he ran?" the
    question is "what ... time", and "when" only opens a clause.
    """
    text = question.strip()
    found = [
        (m.start(), kind)
        for kind, pattern in _PHRASES
        for m in [pattern.search(text)]
        if m is not None
    ]
    kind = min(found)[1] if found else "other"
    if kind == "how many":
        how = _HOW_MANY.search(text).group(0).lower()
        if "much" in how:
            return QuestionType("how many", ("MONEY", "QUANTITY", "CARDINAL", "PERCENT"))
        if "long" in how or "old" in how or "fast" in how:  # (a speed, or how soon)
            return QuestionType("how many", ("DATE", "TIME", "QUANTITY", "CARDINAL"))
        if "percentage" in how or "share" in how or "proportion" in how:
            return QuestionType("how many", ("PERCENT", "CARDINAL"))
        return QuestionType("how many", NUMBER_LIKE)
    if kind == "when":
        return QuestionType("when", DATE_LIKE)
    if kind == "where":
        return QuestionType("where", PLACE_LIKE, equal=True)
    if kind in ("which", "what"):
        noun = _asked_noun(text)
        if noun:
            return QuestionType("which", labels_for_noun(noun), noun=noun)
        if _WHO.search(text):
            return QuestionType("who", PERSON_LIKE)
        return QuestionType("what", None)
    if kind == "who":
        return QuestionType("who", PERSON_LIKE)
    return QuestionType("other", None)


def labels_for_noun(noun: str) -> tuple[str, ...] | None:
    """The entity labels that can name a ``noun``: the table above, else a person for
    nouns that name people by what they do ("engineer", "attacker", "pilot", "novelist")."""
    if noun in _NOUN_TYPES:
        return _NOUN_TYPES[noun]
    singular = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
    if singular in _PEOPLE or (singular.endswith(_PERSON_SUFFIXES) and singular not in _NOT_PEOPLE):
        return ("PERSON",)
    return None


def _name_of(words: str) -> str | None:
    """The noun in "the name of [the North Korean soldier] who ...": the last word before
    a preposition, a relative pronoun or a participle ("the engineer killed at ..."), or
    before an adverb that opens one ("the man seriously injured in ..."), skipping
    possessives ("November's supermoon")."""
    kept: list[str] = []
    previous = ""
    split = words.split()
    for i, word in enumerate(split):
        lower = word.lower()
        if lower in _NAME_STOP or (kept and _opens_participle(split[i:])):
            break
        if kept and word[:1].isupper() and previous[:1].islower():
            break  # "the turkeys President Trump pardoned": a new noun phrase begins
        if not lower.endswith(("'s", "’s")):
            kept.append(lower.strip("'’"))
        previous = word
    return kept[-1] if kept and kept[-1] not in _NOT_NOUNS else None


def _is_participle(word: str) -> bool:
    word = word.lower()
    return word.endswith(("ed", "ing")) or word in _IRREGULAR_PARTICIPLES


def _opens_participle(words: list[str]) -> bool:
    """Whether ``words`` open a participle phrase: "killed at ...", "shot at ...",
    "seriously injured in ..." (an -ly adverb, then the participle)."""
    if _is_participle(words[0]):
        return True
    return words[0].lower().endswith("ly") and len(words) > 1 and _is_participle(words[1])


def _asked_noun(text: str) -> str | None:
    """The noun of "which/what (adjective) NOUN", "what was the NOUN", "the name of the
    NOUN"."""
    named = _NAME_OF.search(text)
    if named:
        noun = _name_of(named.group(1))
        if noun:
            return noun
    for pattern in (_WHAT_IS_THE, _POSSESSIVE):
        named = pattern.search(text)
        # (a part of a hyphenated name is not the asked noun: "What was the *Sea*-Eye rescue
        # ship ... named?")
        if named and named.group(1).lower() not in _NOT_NOUNS and not text[named.end(1):].startswith("-"):
            return named.group(1).lower()
    for match in _WHICH_NOUN.finditer(text):
        words = match.group(1).lower().split()
        known = [w for w in words if w in _NOUN_TYPES]
        if known:
            return known[0]
        open_words = [w for w in words if w not in _NOT_NOUNS]
        if open_words and words[0] not in _NOT_NOUNS:
            return open_words[-1] if len(open_words) == len(words) else open_words[0]
    return None
