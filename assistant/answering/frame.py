"""What a question asks, read from its parse: the frame every candidate answer is checked
against.

    "How many firefighters were injured in the Notre Dame fire?"
        focus "firefighter" (the thing counted), predicates ("injure",),
        terms firefighter, injure, notre, dame, fire

A candidate answer is only as good as the sentence it comes from: that sentence must say
the *asked* thing (the predicate "injured", not "participated"), about the *asked* focus
("Russian soldiers", not North Korean ones). :mod:`assistant.answering.checks` measures
that; this module only reads the question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from assistant.answering.entities import proper_phrase
from assistant.answering.lexicon import REPORTING_VERBS
from assistant.answering.normalize import normalize_text
from assistant.answering.question import QuestionType, labels_for_noun

# Verbs that carry no fact of their own: "When did ... collapse", "Who was the captain",
# "According to Seoul". Their absence from a sentence says nothing.
# "take place/part", "how many votes did she receive": the noun carries the fact.
# "compared with 2018" sets the baseline of the asked change; it is not a fact asked.
LIGHT_VERBS = frozenset("be have do get accord include take receive compare".split())
# A "how much" question about one of these wants money, not a head count or a weight.
MONEY_WORDS = frozenset(
    "pay cost spend earn raise fine worth price prize money fund donate sell buy lose loss "
    "budget salary wage fee damage compensation bail deal award bonus ransom tax revenue "
    "profit value sale dollar".split()
)
# Nouns that are a sum of money whatever asks their size ("How *large* a fine"); a loss,
# a tax or a sale may be of lives, a rate or a count.
_SUMS = frozenset("fine ransom bail salary wage fee price bonus budget compensation prize award".split())
_WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
_RELATIVE_WORDS = frozenset("that which who whom whose".split())
_AGENT_SUFFIXES = ("er", "ers", "or", "ors", "ist", "ists", "ee", "ees", "ant", "ants")  # driver, investor
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_NOT_TERMS = frozenset("many much name kind type sort number amount".split())
# Nouns that name the answer's type, not a thing the evidence must mention: "in what
# year", "on what day". The evidence says "in 1973", not "in the year 1973".
_TYPE_NOUNS = frozenset("year date day month time decade century hour week age".split())
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod", "poss"})
_PHRASE_DEPS = _MODIFIER_DEPS | {"appos", "flat", "det", "nummod"}
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl"})
_KIND_NOUNS = frozenset("type kind sort form brand make model".split())
# Superlatives and the opposite end of their scale: a question about "the youngest" is not
# answered by a sentence about "the oldest". The words of the second line are common in
# other senses ("last week", "the latest report"): they oppose only when they qualify the
# same word ("the *first* draft" / "the *last* draft", "*first* included" / "*last*
# included").
_SCALES = ("youngest/oldest eldest", "largest biggest/smallest", "highest/lowest",
           "longest/shortest", "fastest/slowest", "best/worst", "richest/poorest",
           "heaviest/lightest", "strongest/weakest", "tallest/shortest",
           "hottest warmest/coldest", "maximum/minimum")  # not most/least: "at least 30"
_BOUND_SCALES = ("first earliest/last latest final",)
OPPOSITES: dict[str, frozenset[str]] = {}
BOUND_EXTREMES: frozenset[str] = frozenset(w for scale in _BOUND_SCALES for w in scale.replace("/", " ").split())
for _scale in _SCALES + _BOUND_SCALES:
    _high, _low = (side.split() for side in _scale.split("/"))
    for _word in _high:
        OPPOSITES[_word] = OPPOSITES.get(_word, frozenset()) | frozenset(_low)
    for _word in _low:
        OPPOSITES[_word] = OPPOSITES.get(_word, frozenset()) | frozenset(_high)


@dataclass(frozen=True)
class QuestionFrame:
    """``focus``: lemma of the noun the question asks for or counts ("airline",
    "firefighter"), or the role a who-question asks about ("director" in "Who is the
    director of ..."). ``focus_mods``: that noun's modifiers in the question ("russian").
    ``predicates``: lemmas of the question's main content verbs, the fact asked;
    ``clause_predicates``: those of clauses that only describe the topic ("the plane *that
    crashed*"). ``subject``: the named subject of the head predicate ("jeremy hunt" in
    "How many votes did Jeremy Hunt receive"). ``terms``: every content lemma.
    ``money``: a "how much" question about money. ``role``: which side of the head
    predicate the question asks for, "agent" (who *did* it: "Who killed ...") or "patient"
    (who it was done to: "Who was arrested", "Whom did he shoot"), None when the parse
    does not say."""

    question: str
    qtype: QuestionType
    focus: str | None
    focus_mods: tuple[str, ...]
    predicates: tuple[str, ...]
    clause_predicates: tuple[str, ...]
    subject: str | None
    terms: tuple[str, ...]
    names: tuple[str, ...]
    places: tuple[str, ...]
    money: bool
    role: str | None = None
    figures: tuple[tuple[str, str], ...] = ()
    extremes: tuple[tuple[str, str], ...] = ()
    negated: bool = False
    passive: bool = False  # the head predicate is passive ("When was X arrested")
    owner: tuple[str, ...] = ()
    owner_initials: str = ""  # "us" for "the United States", "nyc" for "New York City"
    qualified: tuple[tuple[str, tuple[str, ...]], ...] = ()
    arguments: tuple[str, ...] = ()
    # ("sanction", ("european", "union")) for "*European Union* sanctions": see ``_named_nouns``
    named_nouns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    located: tuple[tuple[str, str], ...] = ()  # ("wildfire", "bolivia") for "wildfires in Bolivia"
    nominal: str | None = None  # "election" in "first win election": see ``_nominal``
    person: tuple[str, ...] = ()  # the asked subject's own name: see ``_person``
    years: tuple[tuple[str, str], ...] = ()  # ("spend", "2019") for "spend ... in 2019"
    month: str | None = None  # "April" in "record in April 2020": see ``_month``
    ordinals: tuple[tuple[str, str], ...] = ()  # ("second", "wife") for "his second wife"
    kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ("cancer", ("throat",)): see ``_kinds``
    object_names: tuple[str, ...] = ()  # "caloundra" in "coaches the Caloundra team": ``_object_names``
    venues: tuple[str, ...] = ()  # "nevada" in "win in the Nevada caucuses": see ``_venues``
    where_named: tuple[str, ...] = ()  # "house" in "led the Democrats in the House": ``_where_named``
    source: tuple[str, ...] = ()  # ("nato", "nato") for "according to NATO": see ``named_source``
    act_ordinals: tuple[str, ...] = ()  # "third" in "elected to his third term": ``ordinals_of_act``
    # "elect" in "In what year was Pierre Nkurunziza *elected* ...?", which the parser hangs on
    # the name: read for which time and which year of the act only, not as a predicate the
    # sentence must carry (news says "won a third term", "took office")
    participle: str | None = None
    # "transferred *to*?": the direction a question's preposition without its object asks
    stranded: str | None = None
    # ("reach", "", "indiana") for "pollution *reaching Indiana*": see ``links``
    links: tuple[tuple[str, str, str], ...] = ()
    # ("officials", "") for "according to *police* estimates", ("officials", "greek") for
    # "did *Greek authorities* report": a source named by what it is (``kind_of_source``)
    source_kind: tuple[str, str] | None = None

    @cached_property
    def words(self) -> frozenset[str]:
        """The question's words, lowercased, as written (not the parse's reading)."""
        return words_of(self.question)

    @property
    def act(self) -> str | None:
        """The asked act: the head predicate, or else the misread participle (``participle``)."""
        return self.predicates[0] if self.predicates else self.participle

    @property
    def reporting(self) -> bool:
        return any(p in REPORTING_VERBS for p in self.predicates)


def fold(word: str) -> str:
    """``word`` without its accents: "Sulík" and "Sulik" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def words_of(text: str) -> frozenset[str]:
    """The words of ``text``, lowercased, as written."""
    return frozenset(re.findall(r"[a-z]+", text.lower()))


def read_frame(qdoc, qtype: QuestionType) -> QuestionFrame:
    """The frame of a parsed question (a spaCy ``Doc``). The wording-based ``qtype`` is
    corrected where the parse sees the asked noun better ("Which artist made ...": the
    artist, not "made")."""
    qtype = _refine(qdoc, qtype)
    focus = _focus_token(qdoc, qtype)
    if focus is not None and focus.lemma_.lower() in _TYPE_NOUNS:
        focus = None
    mods: list[str] = []
    if focus is not None:
        for child in focus.children:
            if child.dep_ in _MODIFIER_DEPS and child.lower_ not in _NOT_TERMS and not (
                child.is_stop or child.tag_ in _WH_TAGS or child.is_punct
            ):
                mods.append(child.lemma_.lower())
    predicates, clause_predicates, subject = _predicates(qdoc, focus)
    terms = []
    for token in qdoc:
        if token.pos_ in _CONTENT_POS and not token.is_stop and token.tag_ not in _WH_TAGS:
            lemma = token.lemma_.lower()
            if lemma not in LIGHT_VERBS and lemma not in _NOT_TERMS and lemma not in terms:
                terms.append(lemma)
    names = tuple(dict.fromkeys(ent.text.lower() for ent in qdoc.ents if ent.label_ not in (
        "CARDINAL", "ORDINAL", "DATE", "TIME") and not ent.text.lower().startswith("what")))
    focus_lemma = focus.lemma_.lower() if focus is not None else None
    money = qtype.wh == "how many" and (("much" in qdoc.text.lower() and any(
        t in MONEY_WORDS for t in [*terms, focus_lemma or ""])) or _sized(qdoc) in _SUMS)
    places = tuple(dict.fromkeys(e.text.lower() for e in qdoc.ents if e.label_ in ("GPE", "LOC", "FAC")))
    owner = _owner_phrase(focus)
    participle = _participle(qdoc)
    act_verb = _head_verb(qdoc, predicates) or participle  # the token of ``QuestionFrame.act``
    return QuestionFrame(qdoc.text, qtype, focus_lemma, tuple(mods), predicates, clause_predicates,
                         subject, tuple(terms), names, places, money, _asked_role(qdoc, predicates),
                         figures=_figures(qdoc), extremes=_extremes(qdoc),
                         negated=any(t.dep_ == "neg" for t in qdoc),
                         owner=tuple(dict.fromkeys(w for t in owner if (t.pos_ == "PROPN" or not t.is_stop)
                                                   and not t.is_punct for w in (t.lower_, t.lemma_.lower()))),
                         owner_initials="".join(t.lower_[0] for t in owner if t.pos_ == "PROPN"),
                         passive=any(t.dep_ == "auxpass" for t in qdoc),
                         qualified=_qualified(qdoc, focus), named_nouns=_named_nouns(qdoc, focus),
                         arguments=_arguments(act_verb),
                         nominal=_nominal(qdoc, predicates, focus),
                         located=located_in(qdoc), person=_person(qdoc, predicates),
                         years=_years(qdoc, act_verb, predicates), month=_month(qdoc.text),
                         ordinals=ordinals_of(qdoc), kinds=_kinds(qdoc),
                         object_names=_object_names(qdoc, predicates), venues=_venues(qdoc),
                         where_named=_where_named(qdoc),
                         source=named_source(qdoc, predicates),
                         act_ordinals=_act_ordinals(act_verb),
                         participle=participle.lemma_.lower() if participle is not None else None,
                         stranded=_stranded(qdoc), links=links(qdoc, names),
                         source_kind=kind_of_source(qdoc, predicates))


_BOUNDS = frozenset("under over than least most about around nearly almost approximately roughly "
                    "some up within below above exceeding".split())


def _figures(qdoc) -> tuple[tuple[str, str], ...]:
    """The figures a question gives and what they count: "sentenced to *47 months*" ->
    ("47", "month"). Years are dates, not counts, and a bound is not a figure ("in *under
    two hours*": the asked time is some other figure)."""
    return tuple((normalize_text(t.text), t.head.lemma_.lower()) for t in qdoc
                 if (counts(t) or _hyphened_measure(t))
                 and not any(w.lower_ in _BOUNDS for w in qdoc[max(0, t.i - 3):t.i]))


def _hyphened_measure(token) -> bool:
    """A figure joined to its unit before a term it measures: "a *47-month* prison term"
    (the parser makes "month" a compound, which ``counts`` leaves out), not an age ("a
    30-year-old") nor an event's name ("the 24-hour strike")."""
    return (_numbers_a_noun(token) and token.head.dep_ == "compound" and token.i + 2 == token.head.i
            and token.doc[token.i + 1].text == "-" and token.head.head.lemma_.lower() in _MEASURED_TERMS)


# What a hyphened figure measures as the fact itself ("a 47-month prison *term*"), not as the
# name of an event ("the 24-hour *strike*", "the seven-day *truce*").
_MEASURED_TERMS = frozenset("term sentence ban suspension contract lease loan extension".split())


# A year ("2019") or a decade ("the 1990s"): a date, not a count.
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)s?\b")
# "in May", "during April": a fact put in a month (capitalised, so not the verb "may")
# (spelt out: ``calendar.month_name`` follows the process's locale)
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
IN_MONTH = re.compile(rf"\b(?:in|during) ({'|'.join(_MONTH_NAMES)})\b")
_MONTHS = frozenset(m.lower() for m in _MONTH_NAMES)


def _month(question: str) -> str | None:
    """The one month the question puts its fact in ("record *in April* 2020"), or None
    (none, or two: a span)."""
    months = set(IN_MONTH.findall(question))
    return months.pop() if len(months) == 1 else None


def counts(token) -> bool:
    """A number counting its noun: "47 months", not a year ("in 2019") nor part of a
    modifier ("a *30*-year-old man": an age)."""
    return _numbers_a_noun(token) and token.head.dep_ not in ("amod", "npadvmod", "compound")


def _numbers_a_noun(token) -> bool:
    """A number on a noun that is no year ("47 months", not "in 2019")."""
    return (token.like_num and token.dep_ == "nummod" and token.head.pos_ == "NOUN"
            and not YEAR.fullmatch(token.text))


def _extremes(qdoc) -> tuple[tuple[str, str], ...]:
    """The superlatives of a question with an opposite (``OPPOSITES``) and the word each
    qualifies: "the *youngest* of the children" -> ("youngest", "be"), "the *first* military
    draft" -> ("first", "draft")."""
    return tuple((t.lower_, t.head.lemma_.lower()) for t in qdoc if t.lower_ in OPPOSITES)


# Ordinals pick out one of a series ("his *second* wife", "the *third* round"): another
# ordinal on the same word is another member of it.
ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth".split())


def ordinals_of(doc) -> tuple[tuple[str, str], ...]:
    """Each ordinal of ``doc`` and the noun it qualifies: "his *second* wife" ->
    ("second", "wife"). Only on a noun: "first elected" is when, not which one."""
    return tuple((word, t.lemma_.lower()) for t in doc if t.pos_ == "NOUN" for word in ordinals_on(t))


def ordinals_of_act(verb, times: bool = True) -> set[str]:
    """Which time of a repeated act ``verb`` is: its own ordinal ("*first* elected") or
    its object's ("elected to his *third* term", "won a *second* term"); without
    ``times``, only its objects' other than "time" (for "re-elected *for a second time*",
    which counts the re-elections)."""
    found = {c.lower_ for c in verb.children if c.dep_ == "advmod" and c.lower_ in ORDINALS} if times else set()
    objects = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    objects += [o for p in verb.children if p.dep_ == "prep" and p.lower_ in ("to", "for")
                for o in p.children if o.dep_ == "pobj"]
    return found.union(*(ordinals_on(o) for o in objects if o.pos_ == "NOUN" and (times or o.lemma_ != "time")))


def _act_ordinals(verb) -> tuple[str, ...]:
    """``ordinals_of_act`` of the question's verb; "reelected *for a second time*" counts
    re-elections, so only its objects' ordinals count then (see ``again``)."""
    return tuple(sorted(ordinals_of_act(verb, times=not again(verb)))) if verb is not None else ()


_AGAIN = frozenset("elect appoint nominate name run join enter win".split())


def again(verb) -> bool:
    """A verb of doing something again: "reelected", "re-elected" (two tokens and a hyphen)."""
    doc = verb.doc
    lemma = verb.lemma_.lower()
    return (lemma.startswith("re") and lemma[2:].lstrip("-") in _AGAIN) or (
        verb.i >= 2 and doc[verb.i - 1].text == "-" and doc[verb.i - 2].lower_ == "re")


def _participle(qdoc):
    """The participle token of a passive question the parser misread (``_passive_participle``)."""
    return next((t for t in qdoc if _passive_participle(t)), None)


def ordinals_on(noun) -> set[str]:
    """The ordinals qualifying ``noun`` ("his *second* wife")."""
    return {t.lower_ for t in noun.children if t.lower_ in ORDINALS and t.dep_ == "amod"}


def _owner_phrase(focus) -> list:
    """The tokens of whose the asked noun is: "the captain *of the University rugby team*",
    "the mayor *of Kidapawan City*" (the noun phrase, names in apposition included, not a
    clause after it: "that beat ...")."""
    if focus is None:
        return []
    return sorted((t for prep in focus.children if prep.lower_ == "of"
                   for obj in prep.children if obj.dep_ == "pobj"
                   for t in [obj, *(t for c in obj.children if c.dep_ in _PHRASE_DEPS for t in c.subtree)]),
                  key=lambda t: t.i)


def _qualified(qdoc, focus) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The question's nouns (other than the asked one) with the nationality, group or
    name that picks out which one is meant: "the *Japanese* man" -> ("man", ("japanese",))."""
    out = []
    for token in qdoc:
        if token.pos_ != "NOUN" or (focus is not None and token.i == focus.i):
            continue
        mods = tuple(c.lower_ for c in token.children if c.dep_ in ("amod", "compound")
                     and (c.ent_type_ in ("NORP", "GPE") or c.pos_ == "PROPN"))
        if mods:
            out.append((token.lemma_.lower(), mods))
    return tuple(out)


def _named_nouns(qdoc, focus) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The question's common nouns (other than the asked one) that a country or an
    organisation's name picks out: "subject to *European Union* sanctions" -> ("sanction",
    ("european", "union")). Only names compounded before the noun: whose sanctions, whose
    army, whose estimate."""
    return tuple((token.lemma_.lower(), names) for token in qdoc
                 if token.pos_ == "NOUN" and (focus is None or token.i != focus.i)
                 and (names := proper_compound(token)))


def proper_compound(noun) -> tuple[str, ...]:
    """The words of the country or organisation names compounded before ``noun``
    ("*United States* sanctions" -> united, states), lowercased."""
    return tuple(t.lower_ for c in noun.children if c.dep_ == "compound" and c.i < noun.i
                 and c.pos_ == "PROPN" and c.ent_type_ in ("GPE", "ORG")
                 for t in c.subtree if t.pos_ == "PROPN")


def _kinds(qdoc) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The question's nouns with a noun before them that says which kind is meant:
    "diagnosed with *throat* cancer" -> ("cancer", ("throat",))."""
    return tuple((token.lemma_.lower(), mods) for token in qdoc if token.pos_ == "NOUN"
                 and (mods := kind_words(token)))


def kind_words(noun) -> tuple[str, ...]:
    """The common nouns compounded before ``noun`` ("*throat* cancer", "*school* bus"),
    as lemmas: what kind of it is meant. Names ("*Paris* fire") say which one, not what
    kind."""
    return tuple(c.lemma_.lower() for c in noun.children
                 if c.dep_ == "compound" and c.pos_ == "NOUN" and not c.is_stop)


def located_in(doc) -> tuple[tuple[str, str], ...]:
    """The places a word is said to be in, read off the words, not the parse (which often
    misreads them in questions): "wildfires *in Bolivia*" -> ("wildfire", "bolivia"). The
    word is the one just before "in"; the place a whole place entity."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC") or ent.start < 2 or doc[ent.start - 1].lower_ != "in":
            continue
        word = doc[ent.start - 2]
        if word.pos_ in ("NOUN", "VERB"):
            found.append((word.lemma_.lower(), normalize_text(ent.text)))
    return tuple(found)


def _nominal(qdoc, predicates: tuple[str, ...], focus) -> str | None:
    """The common noun the head predicate takes as its object, not the asked one: "win
    *election*", "take *control*", "hold *talks*". The noun carries the fact, and news
    often states it with the noun's own verb ("was first *elected* to the House in 2006").
    Not a noun for the one who acts ("employed the *driver*": that someone drove says
    nothing of who employed him)."""
    verb = _head_verb(qdoc, predicates)
    if verb is None:
        return None
    return next((c.lemma_.lower() for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"
                 and (focus is None or c.i != focus.i) and not c.lower_.endswith(_AGENT_SUFFIXES)), None)


def _venues(qdoc) -> tuple[str, ...]:
    """The places the question puts its fact in, lowercased: a place after "in" or "at",
    or naming the thing after it ("in *Wisconsin*", "in the 2020 *Nevada* caucuses"). Not
    a place that acts or owns ("*Russia*'s ambassador", "the *US* drone strike", "did
    *Japan* report"): the fact may have happened anywhere."""
    return tuple(dict.fromkeys(ent.text.lower() for ent in qdoc.ents
                               if ent.label_ in ("GPE", "LOC") and _in_or_at(ent.root)))


def _where_named(qdoc) -> tuple[str, ...]:
    """The words of every name the question puts its fact in or at, places or not ("led
    the Democrats *in the House*", "coached France *at the World Cup*"): where the act
    happened, not a party to it."""
    return tuple(dict.fromkeys(t.lower_ for t in qdoc if t.pos_ == "PROPN" and _in_or_at(t)))


def _in_or_at(token) -> bool:
    """``token`` is the object of "in" or "at", or names the thing that is ("in the 2020
    *Nevada* caucuses")."""
    for _ in range(2):  # "Nevada/compound > Democratic/amod > caucuses"
        if token.dep_ in ("compound", "amod") and token.head.pos_ in ("NOUN", "ADJ", "PROPN"):
            token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in ("in", "at")


def named_source(doc, predicates: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The words of the name after "according to", lowercased, when a name heads it
    ("according to Iran's *Health Ministry* spokesman *Ali Reza Raisi*" -> health,
    ministry, ali, reza, raisi: the possessor is whose source it is, not the source),
    then its initials (``source_words``); none for a common noun ("according to preliminary
    reports", "according to the report on the Viazul bus crash"). The named possessor of
    a figure is the source ("according to *Ukraine*'s own estimates"), and so is the named
    subject of the head predicate (``predicates[0]``) where it is a reporting verb ("What
    magnitude did *the United States Geological Survey* report?")."""
    heads = according_to(doc)
    if heads and heads[0].pos_ == "NOUN":
        heads = [c for c in makers(heads[0]) if c.dep_ == "poss" and c.pos_ == "PROPN"]
    if not heads:
        # a body, not a person, whose own office may give the figure ("How many cases did
        # Governor Cuomo report?" / "the state's Department of Health reported")
        heads = [h for h in _reporters(doc, predicates) if h.ent_type_ != "PERSON"]
    if heads and heads[0].pos_ == "PROPN" and len(words := source_words(heads[0])) > 1:
        return words
    return ()


def _reporters(doc, predicates: tuple[str, ...]) -> list:
    """The subjects of the question's head predicate where it is a reporting verb ("What
    magnitude did *the USGS* report?"), verb by verb. A do-question's verb is often read
    as a noun, its subject as a compound: "did the USGS/compound report/NOUN"."""
    if not predicates or predicates[0] not in REPORTING_VERBS:
        return []
    found = []
    for verb in (t for t in doc if t.lemma_.lower() == predicates[0] and t.i > 0):
        before = doc[verb.i - 1]
        found += [c for c in verb.children if c.dep_ == "nsubj"] or (
            [before] if before.pos_ == "PROPN" and before.head.i == verb.i else [])
    return found


def makers(head) -> list:
    """Who made a figure a source phrase names: the maker before a figure word ("*police*
    estimates", "*Ukraine*'s own estimates", ``FIGURE_WORDS``), else the phrase's head
    itself ("according to *the organisers*")."""
    if head.lemma_.lower() not in FIGURE_WORDS:
        return [head]
    return [c for c in head.children if c.dep_ in ("poss", "compound", "amod")]


# Sources news names by what they are, each with the class it counts in: officials,
# authorities, a government, its police and its army speak alike (and state media, see
# ``roles._source_class``); the organisers of a march and its activists, the media and
# witnesses each count their own ("*organisers* estimated one million", for the police's
# estimate).
SOURCE_CLASSES = {
    **dict.fromkeys(("official", "authority", "government", "ministry", "officials", "authorities", "police",
                     "army", "military"), "officials"),
    **dict.fromkeys(("organiser", "organizer", "organisers", "organizers", "activist", "campaigner"), "organisers"),
    **dict.fromkeys(("media", "medium", "newspaper", "broadcaster"), "media"),
    **dict.fromkeys(("witness", "resident"), "witnesses"),
}


def kind_of_source(doc, predicates: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The class of the source a question names by what it is, not by name, and its
    people's adjective if it has one: "according to *police* estimates" -> ("officials",
    ""); "according to the *organisers*" -> ("organisers", ""); "What magnitude did *Greek authorities*
    report?" -> ("officials", "greek"). None when the source is named (``named_source``)."""
    heads = according_to(doc)
    heads = (makers(heads[0]) if heads else []) or _reporters(doc, predicates)
    for head in heads:
        kind = SOURCE_CLASSES.get(head.lemma_.lower()) or SOURCE_CLASSES.get(head.lower_)
        if kind is not None and head.pos_ == "NOUN":
            people = next((c.lower_ for c in head.children if c.ent_type_ == "NORP"), "")
            return kind, people
    return None


# What a source puts out, as against who speaks for it ("according to Mexico's *president*").
FIGURE_WORDS = frozenset("estimate figure count tally data statistic number report record".split())


def according_to(doc) -> list:
    """The heads of the "according to X" phrases of ``doc``."""
    return [c for t in doc[:-1] if t.lower_ == "according" and t.nbor().lower_ == "to"
            for c in t.nbor().children if c.dep_ == "pobj"]


def source_words(head) -> tuple[str, ...]:
    """The name words of the source phrase ``head`` heads, "of"/"for" parts included
    ("Centers *for Disease Control and Prevention*"), clauses and possessors not; the
    last item is the phrase's initials, an acronym counting whole ("*US* Geological
    Survey" -> "usgs")."""
    clauses = {t.i for c in head.subtree if c.dep_ in ("relcl", "acl", "poss", "appos") and c.i != head.i
               for t in c.subtree}
    tokens = [t for t in head.subtree if t.i not in clauses and t.text[:1].isupper()
              and not (t.is_stop and not t.text.isupper())]  # ("US" is no stop word here)
    initials = "".join(t.lower_ if t.text.isupper() else t.lower_[0] for t in tokens)
    return (*dict.fromkeys(fold(t.lower_) for t in tokens if t.pos_ == "PROPN"), initials)


def _sized(qdoc) -> str | None:
    """The noun whose size is asked: "How *large* a *fine* was he given?", "How big was
    the *ransom*?" (a sum of money, though the question never says "much")."""
    for token in qdoc:
        if token.i and token.lower_ in ("large", "big", "high", "small", "hefty") and token.nbor(-1).lower_ == "how":
            if token.dep_ == "amod":
                return token.head.lemma_.lower()
            if token.dep_ == "acomp":
                return next((c.lemma_.lower() for c in token.head.children if c.dep_ == "nsubj"), None)
    return None


def _object_names(qdoc, predicates: tuple[str, ...]) -> tuple[str, ...]:
    """The names in the head predicate's direct object, lowercased, without the clauses
    on it: "coaches *the Caloundra rugby team* that beat Wynnum" -> caloundra."""
    verb = _head_verb(qdoc, predicates)
    if verb is None:
        return ()
    clauses = {t.i for c in verb.subtree if c.dep_ in _CLAUSE_DEPS and c.head.i != verb.i for t in c.subtree}
    return tuple(dict.fromkeys(t.lower_ for obj in verb.children if obj.dep_ == "dobj"
                               for t in obj.subtree if t.pos_ == "PROPN" and t.i not in clauses))


def _head_verb(qdoc, predicates: tuple[str, ...]):
    """The token of the head predicate, where it is a verb."""
    if not predicates:
        return None
    return next((t for t in qdoc if t.pos_ == "VERB" and t.lemma_.lower() == predicates[0]), None)


def _person(qdoc, predicates: tuple[str, ...]) -> tuple[str, ...]:
    """The name of the person the question is about, as the subject of its head predicate
    or of "be" ("How old is *Richard Sulík*, whom Igor Matovič called ..."): the name's own
    words, not the names of a clause or apposition hanging on it."""
    head = _head_verb(qdoc, predicates) or next((t for t in qdoc if t.dep_ == "ROOT"), None)
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")
                    and c.pos_ == "PROPN" and c.ent_type_ == "PERSON"), None) if head is not None else None
    if subject is None and (misread := _misread_predicate(qdoc, predicates)) is not None:
        subject = next((c for c in _named_before(misread) if c.ent_type_ == "PERSON"), None)
    if subject is None:
        return ()
    return tuple(t.lower_ for t in proper_phrase(subject))


def _years(qdoc, act_verb, predicates: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    """The year the question puts its head predicate in: "did Hungary spend ... *in
    2019*" -> ("spend", "2019"); or a misread participle's, or else the root verb's, which
    is no predicate when it is light ("did Pohiva *receive* in 2014"), or the head
    predicate's where the parser read it as a noun ("How many lives did Sea-Eye
    *save*/NOUN in 2018?")."""
    root = next((t for t in qdoc if t.dep_ == "ROOT"), None)
    verb = act_verb or (root if root is not None and root.pos_ == "VERB" else None)
    found = tuple((verb.lemma_.lower(), year) for year in years_on(verb)) if verb is not None else ()
    if not found and act_verb is None and (misread := _misread_predicate(qdoc, predicates)) is not None:
        found = tuple((predicates[0], year) for year in years_on(misread))
    return found


def _misread_predicate(qdoc, predicates: tuple[str, ...]):
    """The head predicate's token where the parser read the verb as a noun ("How many
    lives did Sea-Eye *save*/NOUN in 2018?"), or None."""
    if not predicates:
        return None
    return next((t for t in qdoc if t.lemma_.lower() == predicates[0] and t.pos_ == "NOUN"), None)


def _named_before(noun) -> list:
    """The names compounded before ``noun``: a misread verb's subject ("did *Tom Steyer*
    win/NOUN")."""
    return [c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < noun.i]


def years_on(verb) -> list[str]:
    """The years of the "in YEAR" phrases on ``verb`` ("spent ... in 2018")."""
    return [obj.text for prep in verb.children if prep.dep_ == "prep" and prep.lower_ == "in"
            for obj in prep.children if obj.dep_ == "pobj" and YEAR.fullmatch(obj.text)]


def _stranded(qdoc) -> str | None:
    """The direction preposition a question leaves without its object, the asked thing
    being it ("Which hospital was Navalny transferred *to*?", "Which city did the flight
    depart *from*?"), or None."""
    return next((t.lower_ for t in qdoc if t.lower_ in OPPOSITE_ENDS and t.dep_ == "prep"
                 and not any(c.dep_ == "pobj" for c in t.children)), None)


# A journey's ends: the asked one, and the other.
OPPOSITE_ENDS = {"to": ("from",), "into": ("from",), "from": ("to", "into")}


def links(doc, names) -> tuple[tuple[str, str, str], ...]:
    """Which of ``names`` each verb takes, and how: its direct object ("") or the object of
    its preposition ("from"), as (verb lemma, preposition, name): "pollution *reaching
    Indiana* comes from plants in Ohio" -> ("reach", "", "indiana"). Read the same way off
    a sentence, to see a relation turned round (``placement.swapped``)."""
    found = []
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        slots = [("", obj) for obj in verb.children if obj.dep_ == "dobj"]
        slots += [(prep.lower_, obj) for prep in verb.children if prep.dep_ == "prep"
                  for obj in prep.children if obj.dep_ == "pobj"]
        for prep, obj in slots:
            # the object's own words, not a clause or phrase on it
            phrase = " ".join(t.lower_ for t in obj.subtree if t.head.i == obj.i and t.dep_ in ("compound", "amod")
                              or t.i == obj.i)
            found += [(verb.lemma_.lower(), prep, name) for name in names if name.split()[-1] == obj.lower_
                      and name.split()[0] in phrase.split() or name == obj.lower_]
    return tuple(dict.fromkeys(found))


def _arguments(act_verb) -> tuple[str, ...]:
    """The named words in the objects of the asked act's prepositions: "serve *with
    London's Metropolitan Police*" -> london, metropolitan, police. The act is the head
    predicate or a misread participle ("was Gillibrand first elected *to the U.S.
    Senate*"), as for ``_years``."""
    return tuple(dict.fromkeys(named_objects(act_verb))) if act_verb is not None else ()


def named_objects(verb, skip=range(0)) -> list[str]:
    """The names (proper nouns, lowercased; not days, dates or months: "on Monday",
    "during *the September 20* climate strike", where the recogniser misses a date) in the objects
    of ``verb``'s prepositions, leaving out the tokens whose index is in ``skip``."""
    return [t.lower_ for prep in verb.children if prep.dep_ == "prep"
            for obj in prep.children if obj.dep_ == "pobj" for t in obj.subtree
            if t.pos_ == "PROPN" and t.ent_type_ not in ("DATE", "TIME") and t.lower_ not in _MONTHS
            and t.i not in skip]


def _asked_role(qdoc, predicates: tuple[str, ...]) -> str | None:
    """Does the question ask who did the head predicate or who it was done to?

    "Who was arrested" asks for the one arrested, so the police who arrested him are no
    answer however close they stand to the verb; "Who killed the teacher" asks the
    reverse. Only the unambiguous parses count: the asked word (or the noun "which"
    modifies) as passive subject or direct object is the patient; as the subject of an
    active verb that has an object of its own, and no "did" (the small parser reads "Who
    did police arrest?" as a subject too), the agent. The subject of a verb without an
    object ("Who died?", "Which ship sank?") may be either, so it decides nothing.
    """
    if not predicates:
        return None
    for token in qdoc:
        if token.tag_ not in ("WP", "WDT") or token.lower_ not in ("who", "whom", "which", "what"):
            continue
        asked = token.head if token.dep_ == "det" else token
        verb = asked.head
        if verb.pos_ != "VERB" or verb.lemma_.lower() != predicates[0]:
            return None
        if asked.dep_ in ("nsubjpass", "dobj"):
            return "patient"
        if asked.dep_ == "nsubj" and any(c.dep_ == "dobj" for c in verb.children) and not any(
                c.dep_ == "aux" and c.lemma_ == "do" for c in verb.children):
            return "agent"
        return None
    return None


def _refine(qdoc, qtype: QuestionType) -> QuestionType:
    if qtype.wh != "which":
        return qtype
    tokens = list(qdoc)
    for wh in tokens:
        if wh.lower_ in ("which", "what") and wh.tag_ in _WH_TAGS:
            break
    else:
        return qtype
    run = []
    for token in tokens[wh.i + 1 : wh.i + 6]:
        following = tokens[token.i + 1] if token.i + 1 < len(tokens) else None
        # ("did" is never one: "which California city *did* lyricist Robert Hunter die in")
        modifier_verb = token.pos_ == "VERB" and token.lemma_ != "do" and following is not None and following.pos_ in (
            "ADJ", "NOUN", "PROPN")
        if token.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM") and not modifier_verb:
            break
        run.append(token)
        if wh.dep_ == "det" and token.i == wh.head.i and token.pos_ == "NOUN":
            # the noun "which" determines ends the phrase: "Which U.S. *president* awarded
            # CIA officer Tony Mendez ...?" asks for a president, not an officer
            break
    nouns = [t for t in run if t.pos_ == "NOUN"] or [t for t in run if t.pos_ == "PROPN"]
    if not nouns and qtype.noun:  # "What was Warholm's winning time": the regex's word
        named = [t for t in tokens if t.lower_ == qtype.noun]
        if named and named[0].dep_ in ("amod", "compound") and named[0].head.pos_ == "NOUN":
            nouns = [named[0].head]
    if not nouns:
        return qtype
    if nouns[-1].lemma_.lower() in _KIND_NOUNS:  # "what type of aircraft": the aircraft
        of = [c for c in nouns[-1].children if c.lower_ == "of"]
        objects = [c for p in of for c in p.children if c.dep_ == "pobj"]
        if objects:
            nouns = objects
    noun = nouns[-1].lemma_.lower()
    if noun == qtype.noun or nouns[-1].lower_ == qtype.noun:
        return qtype
    return QuestionType("which", labels_for_noun(noun) or labels_for_noun(nouns[-1].lower_), noun=noun)


def _focus_token(qdoc, qtype: QuestionType):
    tokens = list(qdoc)
    # "how many firefighters": the noun "many" counts
    for token in tokens:
        if token.lower_ in ("many", "much") and token.i > 0 and tokens[token.i - 1].lower_ == "how":
            head = token.head
            if head.pos_ in ("NOUN", "PROPN") and head.i > token.i:
                return head
            following = tokens[token.i + 1] if token.i + 1 < len(tokens) else None
            if following is not None and following.lower_ == "of":
                # "how many of Iowa's pledged delegates did he win": the noun of the whole
                # counts (whatever the parser made of it); not where "be" says what the
                # part is ("How many of the people infected were *army personnel*?")
                if any(t.dep_ == "ROOT" and t.lemma_ == "be" for t in tokens):
                    return None
                for word in tokens[following.i + 1:]:
                    if word.pos_ == "NOUN" and word.dep_ not in ("poss", "compound"):
                        return word  # (not "the *state's*", "the 150 *crew* members")
                    if word.pos_ not in ("DET", "PROPN", "PART", "NUM", "ADJ", "NOUN") and word.dep_ != "amod":
                        break
                return None
            return following if following is not None and following.pos_ == "NOUN" else None
    # "the name of the captain of ...": the captain
    for token in tokens:
        if token.lemma_.lower() == "name":
            for prep in token.children:
                if prep.lower_ == "of":
                    objects = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "NOUN"]
                    if objects:
                        return objects[0]
    # "which airline", "what year", "in which country"
    if qtype.noun:
        for token in tokens:
            if token.lower_ == qtype.noun or token.lemma_.lower() == qtype.noun:
                return token
    # "Who is the director of ...": the role asked about
    if qtype.wh == "who":
        root = next((t for t in tokens if t.dep_ == "ROOT"), None)
        if root is not None and root.lemma_ == "be":
            for child in root.children:
                if child.dep_ not in ("nsubj", "attr") or child.tag_ in _WH_TAGS:
                    continue
                # a title written as news writes it ("the *President* of Ghana") is the
                # role all the same
                if child.pos_ == "NOUN" or (
                        child.pos_ == "PROPN" and labels_for_noun(child.lower_) == ("PERSON",)):
                    return child
    return None


def _predicates(qdoc, focus) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    """The question's main predicates (the head one first), those of its descriptive
    clauses, and the named subject of the head predicate.

    In "In what year was the Boeing 707 that crashed into houses in Karaj built?" the
    fact asked is *built*; *crashed* only says which plane. Verbs inside a relative,
    participial or adverbial clause ("that crashed", "stolen from", "after he was killed")
    describe the topic; the rest is what the evidence must state. Except a clause on the
    asked noun itself: in "the name of the person *killed* in the attack" the clause is
    the fact asked (the attacker is named in the same story, but was not killed). In a question without a
    content verb ("How many of the pacemakers were *Olympic champions*?") the noun after
    "be" is the predicate.
    """
    main: list[tuple[int, str, object]] = []
    on_focus_clause: list[tuple[int, str, object]] = []
    context: list[str] = []
    tokens = [t for t in qdoc if not t.is_punct]
    skip = focus.i if focus is not None else -1
    for token in qdoc:
        lemma = token.lemma_.lower()
        if token.pos_ != "VERB" or lemma in LIGHT_VERBS or token.tag_ in _WH_TAGS:
            continue
        if token.dep_ == "amod" or (focus is not None and token.i < focus.i and token.head.i == focus.i):
            continue  # "all remaining stores", "which elite unit": modifiers, not facts
        if token.tag_ == "VBZ" and any(c.dep_ == "aux" and c.lower_ == "did" for c in token.children):
            continue  # "did" takes no "-s" verb: "did 2019 Nobel physics *laureates* ... discover" (a noun)
        # the participle that ends a passive question is its fact, even where the parser
        # tags it a past tense in a clause ("In what year was the submarine commissioned?")
        # (not a relative clause's own verb: "the election *that* Boris Johnson won?")
        final = bool(tokens) and token.i == tokens[-1].i and token.tag_ in ("VBN", "VBD") and not any(
            c.lower_ in _RELATIVE_WORDS for c in token.children)
        on_focus = focus is not None and token.dep_ in ("acl", "relcl") and token.head.i == focus.i
        aside = _aside(token)
        if on_focus and not final and not aside:
            on_focus_clause.append((len(list(token.ancestors)), lemma, token))  # added below
        elif (_in_clause(token) and not final) or aside:
            if lemma not in context:
                context.append(lemma)
        else:
            main.append((len(list(token.ancestors)), lemma, token))
    root = next((t for t in qdoc if t.dep_ == "ROOT"), None)
    misread = None  # the verb after "did" that the parser read as a noun
    if root is not None and root.lemma_ == "do" and not any(
            token is not None and token.i > root.i and token.head.i == root.i
            and not any(c.dep_ == "mark" for c in token.children) for _, _, token in main):
        # "When did the building collapse?", "How many days did the leader order?": the
        # small parser often reads the verb after "did" as a noun; it is the main predicate
        # (unless it found a verb after "did", on "did" and not in a clause of its own:
        # "How many of South Carolina's delegates did Biden *win* in the primary there?",
        # where "primary" hangs on "did"; not "... *before* it dissipated").
        nouns = [c for c in root.children if c.pos_ == "NOUN" and c.i > root.i and c.i != skip]
        late = [c for c in root.children if c.pos_ == "VERB" and nouns and c.i > nouns[-1].i
                and c.dep_ in ("advcl", "ccomp", "xcomp", "conj") and c.tag_ != "VBG"
                and qdoc[c.i - 1].text != "," and all(t.is_punct or t.dep_ == "prt" for t in qdoc[c.i + 1:])
                and not any(g.dep_ in ("mark", "nsubj", "nsubjpass", "aux") for g in c.children)]
        if late:
            # the noun is the subject and the verb ends the question: "How many storeys did
            # the apartment *block* that caught fire *have*?" (a light verb asks nothing
            # more; not "..., *leaving* thousands homeless", nor "... to *settle* the case")
            nouns = []
            main += [] if late[0].lemma_.lower() in LIGHT_VERBS else [(0, late[0].lemma_.lower(), late[0])]
        elif not nouns and not main:
            # a lower-case word between a named subject and its object is the verb: "did the
            # US Senate *acquit* President Bill Clinton in his impeachment trial" (parsed
            # with "acquit" a noun compounded to the name, "trial" the last noun); not a
            # title before a name ("did Cream *drummer* Ginger Baker die": "die" is found)
            nouns = [t for t in tokens[:-1] if t.i > root.i and t.pos_ in ("NOUN", "VERB") and t.text.islower()
                     and not t.lower_.endswith(_AGENT_SUFFIXES)
                     and qdoc[t.i - 1].pos_ == "PROPN" and qdoc[t.i + 1].pos_ in ("PROPN", "DET", "PRON")][:1]
        if not nouns and not late:
            nouns = [t for t in tokens if t.pos_ in ("NOUN", "VERB") and t.i > root.i
                     and t.i != skip and not _in_clause(t)][-1:]
        main += [(0, noun.lemma_.lower(), None) for noun in nouns]
        misread = nouns[0] if nouns else None
    elif root is not None and not main and root.pos_ == "NOUN" and any(
            c.dep_ == "aux" and c.lemma_ == "do" for c in root.children):
        # "When did the Court *rule* on ...?": "did" hangs on it, so the parser's noun is
        # the verb asked about
        main.append((0, root.lemma_.lower(), None))
    elif root is not None and root.lemma_ == "be" and not main:
        main += [(0, c.lemma_.lower(), None) for c in root.children if _copular_predicate(c, root, skip)]
    # "How many athletes *selected* for the team are Olympic champions?": the copula (depth
    # 0) stays the head fact and the clause on the asked noun is a second one; the clause
    # does not count as a main verb that would keep the copula out.
    main += on_focus_clause
    main.sort(key=lambda item: item[0])
    names = list(dict.fromkeys(lemma for _, lemma, _ in main))
    subject = None
    head = main[0][2] if main and main[0][2] is not None else root
    if head is not None:
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ == "PROPN":
                # (not the names of a clause on it: "Prime Minister *when the Iraqi Parliament voted*")
                subject = " ".join(t.lower_ for t in child.subtree if t.pos_ == "PROPN" and not any(
                    a.dep_ == "relcl" for a in t.ancestors if child.is_ancestor(a)))
    if subject is None and misread is not None:
        # the verb read as a noun takes its subject as a compound: "did *Tom Steyer* win/NOUN"
        subject = " ".join(t.lower_ for c in _named_before(misread) for t in c.subtree if t.pos_ == "PROPN") or None
    return tuple(names), tuple(p for p in context if p not in names), subject


def _passive_participle(token) -> bool:
    """``token`` is the participle of a passive question that the parser read as a clause
    on its subject (or as one on an attribute: "In what year was [Conway] *elected*"): "was
    [Pierre Nkurunziza] *elected*", right after the subject's noun
    or its own adverb ("was Gillibrand *first* elected"), "be" the root. Only after a name:
    after a common noun the clause may describe it ("How old was the man *injured* in the
    fire?"). It is not made a predicate (see ``QuestionFrame.participle``)."""
    noun = token.head
    between = token.doc[noun.i + 1 : token.i]  # its own adverbs only: "was Gillibrand *first* elected"
    return (token.dep_ == "acl" and token.tag_ == "VBN" and token.i > noun.i and noun.pos_ == "PROPN"
            and all(t.dep_ == "advmod" and t.head.i == token.i for t in between)
            and noun.dep_ in ("nsubj", "nsubjpass", "attr") and noun.head.dep_ == "ROOT" and noun.head.lemma_ == "be"
            and noun.head.i < noun.i)  # (a question's "be" comes first: not "athletes selected ... are")


def _copular_predicate(token, root, skip: int) -> bool:
    """"were *Olympic champions*": a noun or adjective right after "be", with nothing but
    modifiers between (not "were on board the flight", not the "old" of "how old")."""
    if token.dep_ not in ("attr", "acomp") or token.pos_ not in ("NOUN", "ADJ"):
        return False
    if token.tag_ in _WH_TAGS or token.i == skip or token.lower_ in _NOT_TERMS or token.i < root.i:
        return False
    if any(t.lower_ == "how" for t in token.children) or (
            token.i > 0 and token.doc[token.i - 1].lower_ == "how"):
        return False
    between = token.doc[root.i + 1 : token.i]
    return all(t.pos_ in ("ADJ", "PROPN", "DET", "ADV") or t.dep_ == "compound" for t in between)


def _aside(token) -> bool:
    """``token`` heads a clause that only says which one or when is meant: a relative
    clause set off by a comma ("What is the name of Alan Kurdi's father*, who attended*
    the renaming ...?", "Who is the chief executive of Blenheim Palace*, from where* the
    toilet was stolen?") or one opened by "when". It is not the fact asked, which a
    restrictive clause can be ("the person *killed* in the attack")."""
    if token.dep_ not in ("relcl", "acl", "pcomp"):
        return False
    first = token.left_edge
    if first.lower_ == "when" and first.i > 0 and token.head.lemma_.lower() not in _TYPE_NOUNS:
        # a clause that says when (parsed as a relative clause on the asked noun): "Who
        # was Iraq's caretaker Prime Minister *when the Iraqi Parliament voted* to expel
        # US troops?" asks who held the office then, not who voted ("the *year* when the
        # Berlin Wall fell" asks when it fell)
        return True
    if first.lower_ not in _RELATIVE_WORDS and first.lower_ != "where":
        return False
    before = token.doc[first.i - 1] if first.i > 0 else None
    if before is not None and before.pos_ == "ADP":  # "from where", "in which"
        before = token.doc[before.i - 1] if before.i > 0 else None
    return before is not None and before.text == ","


def _in_clause(token) -> bool:
    for node in [token, *token.ancestors]:
        if node.dep_ in _CLAUSE_DEPS:
            return True
    return False
