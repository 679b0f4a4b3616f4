"""Does the evidence state this candidate as the answer to *this* question?

A candidate is a name, number or date in a retrieved sentence. Retrieval makes that
sentence about the question's topic; it does not make it say the asked fact. The checks
below measure, for the candidate's best sentences, what a careful reader looks for:

* **type**: the candidate is the kind of thing asked for ("which airline" needs a name
  bound to "airline" or its synonym, not an aircraft maker; "how much did X pay" needs
  money, not a head count);
* **predicate**: the question's verb ("injured", "pay", "collapse") or a synonym is in the
  sentence, and it governs the candidate rather than another verb ("400 firefighters
  *participated*" does not answer "how many firefighters were *injured*");
* **focus**: the asked noun ("captain", "airline", the counted "soldiers") is in the
  sentence and tied to the candidate in the parse, and its modifiers do not contradict the
  question's ("North Korean soldiers" is not "Russian soldiers");
* **coverage**: how much of the question's wording (IDF-weighted) the sentence and its
  headline hold;
* **role**: for "who was arrested" the candidate is the one the verb was done to, not its
  doer ("*Thames Valley Police* arrested a man"), and the reverse for "who killed";
* **form**: datelines ("WASHINGTON (AP) —"), bylines and the outlet's own name are never
  answers unless asked for.

Each check is a number in :class:`Features`; :mod:`assistant.answering.confidence` turns
them into the probability that the candidate is right, with weights fitted on the
development question sets. Beside them, vetoes withhold a candidate whose sentence says
something else than the question assumes; they live by what they read:
:mod:`.roles` (who did it, who said it, whose title), :mod:`.premises` (a figure, year,
ordinal, kind or requirement the question takes as given) and :mod:`.placement` (where).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answering.entities import OPTION, Candidate, Mention, bound_number, governing_verb, names_currency
from assistant.answering.frame import LIGHT_VERBS, YEAR, QuestionFrame
from assistant.answering.lexicon import REPORTING_VERBS, SYNONYM, WordSimilarity, best_match, derived
from assistant.answering.normalize import normalize_answer
from assistant.answering.placement import (argument_conflict, located_elsewhere, other_end, place_conflict,
                                           placed_elsewhere, swapped)
from assistant.answering.places import country_of_adjective, country_of_people, only_a_country, place_of
from assistant.answering.premises import (NUMBER_LABELS, change_for_total, date_of_the_report, figure_conflict, hedged,
                                          margin, opposite_extreme, other_kind, other_ordinal, other_time_of_act,
                                          other_year, other_month, over_years, requirement, whole_for_part)
from assistant.answering.question import NAMED
from assistant.answering.roles import (another_kind_of_source, named_otherwise, named_subject_differs, names_before,
                                       not_the_speaker, other_source, owner_conflict, qualified_conflict, role_conflict,
                                       someone_elses, subject_conflict, subordinate_role, title_of_another)
from assistant.text import analyze

_MONEY_LABELS = frozenset({"MONEY"})
_NATIONALITY_DEPS = frozenset({"amod", "compound", "nmod"})
# Names a title stands right before ("coach Geoff Ingram", "Foreign Minister Sameh Shoukry")
_TITLED = frozenset({"PERSON", NAMED})
_DATELINE_NEXT = frozenset({"(", "—", "–", "-", "--"})
_LETTERS = re.compile(r"[^a-z]")

LATEST_RELEVANCE = 1.5
FEATURES = (
    "relevance", "gap", "label", "named", "option", "focus", "focus_link", "predicate",
    "predicate_link", "other_verb", "conflict", "modifiers", "coverage", "context",
    "qualifiers", "other_party", "heuristic", "share", "mentions", "articles", "dateline", "money_mismatch",
    "latest",
)


@dataclass(frozen=True, slots=True)
class Features:
    values: tuple[float, ...]
    names: tuple[str, ...] = FEATURES

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.names, self.values))


GENERIC_NOUNS = frozenset(
    "person people man woman men women individual company organization organisation firm "
    "group country city state nation place location town region province area team party "
    "body institution entity thing one name nationality religion language vote score tally "
    "margin result amount number total figure".split()
)


@dataclass(frozen=True, slots=True)
class Check:
    """How one mention fares against the question's constraints; ``veto`` names the first
    constraint it breaks (None when it breaks none)."""

    focus: float
    focus_link: float
    predicate: float
    predicate_link: float
    other_verb: float
    conflict: float
    money_mismatch: float
    dateline: bool
    place_conflict: float
    subject_conflict: float
    role_conflict: bool
    veto: str | None


# Nouns that are themselves counts ("hundreds of Taliban").
_COUNT_NOUNS = frozenset("dozen hundred thousand million billion score".split())
# Words for a figure that is reckoned, not confirmed.
_GUESSES = frozenset("estimate predict project suggest forecast expect".split())
# Verbs for keeping a count: a source's figure, reported, is what it counted.
_RECORDING_VERBS = frozenset("count record tally register log".split())


def check_mention(mention: Mention, frame: QuestionFrame, similarity: WordSimilarity, story: str = "") -> Check:
    """The constraint checks of one mention (see the module docstring); ``story``: the
    evidence's text of its article, its passage included (default: its passage)."""
    span = mention.span
    doc = span.doc
    others = [t for t in doc if not (span.start <= t.i < span.end)]
    # The counted noun may sit inside the candidate ("220 votes"); other checks look outside it.
    focus_scope = others + [t for t in span if t.i != span.root.i or t.pos_ == "NOUN"]
    focus, focus_token = 1.0, None
    if frame.focus:  # the asked noun as a noun, nearest the candidate ("with 220 *votes*", not "voted")
        # The word right before a name is its title whatever the parser made of it:
        # '"...", Caloundra *coach* Geoff Ingram said' is parsed with "coach" a verb, and
        # "then-U.S.-*president* Jimmy Carter" is one token.
        words = [(t, t.lemma_.lower()) for t in focus_scope if t.pos_ in ("NOUN", "PROPN")]
        title = doc[span.start - 1] if span.start > 0 and mention.label in _TITLED else None
        if title is not None and title.pos_ not in ("NOUN", "PROPN") and title.lower_.rsplit("-", 1)[-1].isalpha():
            words.append((title, title.lower_.rsplit("-", 1)[-1]))
        scored = [(similarity(frame.focus, word), -_distance(span.root, t), t) for t, word in words]
        focus, _, focus_token = max(scored, key=lambda x: (x[0], x[1]), default=(0.0, 0, None))
    focus_link = 1.0 if frame.focus is None else float(
        focus_token is not None and focus >= SYNONYM and (
            _distance(span.root, focus_token) <= 2 or _counts_the_same(span.root, focus_token)
            or _reported_alike(span.root, focus_token))
    )
    # A predicate the sentence denies is not stated ("had still not been secured" does not
    # say when it was), unless the question asks about the denial or "until" says when the
    # denial ended ("was not found until March").
    stated = others if frame.negated else [t for t in others if not _denied(t)]
    found = [best_match(p, stated, similarity)[0] >= SYNONYM for p in frame.predicates]
    # (a passive with no one named reports nobody: "A bombing was *reported* to have killed
    # Abu Dhabi TV photojournalist ...", for who claimed it)
    # Nor does one the candidate is the object of ("attributed the bombing *to Houthi rebels*").
    # An estimate or a forecast is not what was confirmed ("How many cases had officials
    # *confirmed*?" is not answered by "the study's *estimate*, a total of 1,723 cases").
    unconfirmed = _GUESSES if frame.predicates and frame.predicates[0] == "confirm" else frozenset()
    reporting = frame.reporting and any(t.lemma_.lower() in REPORTING_VERBS and not _agentless_passive(t)
                                        and not _object_of(t, span) and t.lemma_.lower() not in unconfirmed
                                        for t in stated)
    predicate = 1.0 if not found else (1.0 if reporting else sum(found) / len(found))
    # The head predicate is the fact asked ("killed" in "how many were killed fighting
    # Ukraine"); the share of all main predicates found is a feature beside this check.
    # "How many cases did Johns Hopkins *count*": a figure the sentence gives on its source's
    # word ("*According to* Johns Hopkins, there were 1,279 cases") is what the source counted.
    recorded = bool(found) and frame.predicates[0] in _RECORDING_VERBS and any(
        t.lemma_.lower() in REPORTING_VERBS and t.pos_ == "VERB" and t.dep_ != "amod"  # not "confirmed cases"
        for t in stated)
    # The head predicate's object noun, or its verb ("elected" for "win *election*").
    nominal = [t for t in stated if similarity(frame.nominal, t.lemma_.lower()) >= SYNONYM] if frame.nominal else []
    # "In what year did she first win election?": "She was first *elected* in 2006".
    head_found = not found or found[0] or reporting or recorded or any(t.pos_ == "VERB" for t in nominal)
    if frame.nominal and found and frame.predicates[0] in _RECORDING_VERBS:
        # "When did Bangladesh *record* its first *death*?": recording says only that
        # something was counted; the sentence must name what ("the first recorded
        # incidents of infection" are not deaths).
        head_found = head_found and bool(nominal)
    verb = governing_verb(span.root)
    predicate_link = other_verb = 0.0
    if verb is not None and frame.predicates:
        lemma = verb.lemma_.lower()
        linked = any(similarity(lemma, p) >= SYNONYM for p in frame.predicates) or (
            frame.reporting and lemma in REPORTING_VERBS)
        predicate_link = float(linked)
        other_verb = float(not linked and lemma not in LIGHT_VERBS and lemma not in REPORTING_VERBS)
    conflict = _conflict(focus_token, frame) if focus_token is not None and focus >= SYNONYM else 0.0
    money_mismatch = float(frame.money and mention.label in NUMBER_LABELS and mention.label != "MONEY"
                           and not _has_currency(span))
    dateline = _dateline(mention)
    placed = place_conflict(frame, doc, mention.sentence.passage.title)
    other_subject = subject_conflict(frame, span, doc, mention.sentence.passage.title)
    other_role = role_conflict(frame, span)
    veto = None
    if mention.label != OPTION:
        if not _type_fits(mention, frame):
            veto = "type"  # not the kind of thing asked ("three-day" for "what year")
        elif not head_found:
            veto = "predicate"  # the sentence does not say the asked thing happened
        elif _specific(frame) and mention.label != NAMED and not (
                focus_link or (frame.qtype.wh == "how many" and focus >= SYNONYM)):
            veto = "focus"  # nothing ties it to the asked noun ("which airline")
        elif conflict or owner_conflict(frame, focus_token, focus) or qualified_conflict(frame, span):
            veto = "qualifier"  # another group than the one asked about
        elif named_otherwise(frame, doc, mention.sentence.passage.title):
            veto = "qualifier"  # "United States sanctions", for the UK's
        elif subordinate_role(frame, focus_token, focus):
            veto = "qualifier"  # the vice president, for "who is the president"
        elif _larger_group(frame, span, focus_token, focus):
            veto = "qualifier"  # "500 police officers and firefighters", for the firefighters
        elif _counts_another_here(frame, mention, focus_token, focus, similarity):
            veto = "focus"  # "two distribution centers", beside the 301 stores asked about
        elif figure_conflict(frame, span, doc):
            veto = "figure"  # "73 months" where the question says 47
        elif opposite_extreme(frame, doc):
            veto = "extreme"  # the oldest, for the youngest
        elif other_ordinal(frame, span):
            veto = "ordinal"  # his second wife, for his first
        elif other_time_of_act(frame, span, similarity):
            veto = "ordinal"  # "first being elected in 2005", for when he won his third term
        elif someone_elses(frame, span):
            veto = "person"  # "47-year-old Matovič", for how old Sulík is
        elif other_year(frame, span, similarity):
            veto = "year"  # spent 1.15% in 2018, for what it spent in 2019
        elif over_years(frame, span):
            veto = "year"  # seized 126 skins from 2013 to 2019, for those seized in 2019
        elif other_month(frame, mention):
            veto = "year"  # 170 deaths in May alone, for those recorded in April
        elif whole_for_part(frame, span, similarity):
            veto = "whole"  # "12 of the state's 41 delegates": 41 is not what anyone won
        elif hedged(frame, span):
            veto = "plan"  # "the trial could commence on Tuesday", for when it began
        elif date_of_the_report(frame, span, similarity):
            veto = "report"  # "On Saturday, Trump said bin Laden has been killed", for when he was
        elif other_kind(frame, span, story or mention.sentence.passage.text, similarity):
            veto = "kind"  # diagnosed with tongue cancer, for when it was throat cancer
        elif requirement(frame, span):
            veto = "requirement"  # "1,991 delegates are needed", for how many she won
        elif title_of_another(frame, span):
            veto = "qualifier"  # "Wynnum coach Matt Myers", for who coaches Caloundra
        elif argument_conflict(frame, span, stated, similarity, mention.sentence.passage.title):
            veto = "argument"  # served in another force than the one asked about
        elif swapped(frame, span):
            veto = "argument"  # pollution reaching Ohio from Indiana, for Indiana's from Ohio
        elif located_elsewhere(frame, doc, mention.sentence.passage.title):
            veto = "place"  # wildfires in Brazil, for the wildfires in Bolivia
        elif placed_elsewhere(frame, span):
            veto = "place"  # "In New Hampshire, Sanders secured 25.7%", for Nevada
        elif other_subject or named_subject_differs(frame, span):
            veto = "subject"  # someone else did it ("Johnson won 92,153 votes")
        elif other_source(frame, span) or another_kind_of_source(frame, span):
            veto = "source"  # "According to Johns Hopkins, 291 had recovered", for Iran's count
        elif other_role:
            veto = "role"  # the other side of the asked act (the police, for "who was arrested")
        elif other_end(frame, span):
            veto = "role"  # transferred *from* Omsk, for where he was transferred to
        elif not_the_speaker(frame, span):
            veto = "speaker"  # where, to whom or whose it was said ("said on Twitter")
        elif money_mismatch:
            veto = "money"  # a count where an amount of money is asked
        elif change_for_total(frame, mention):
            veto = "change"  # "an additional 66" where the seats won are asked
        elif margin(frame, mention):
            veto = "change"  # "six minutes ahead of the field" where her time is asked
        elif dateline and frame.qtype.wh != "where":
            veto = "dateline"
    return Check(focus, focus_link, predicate, predicate_link, other_verb, conflict,
                 money_mismatch, dateline, placed, other_subject, other_role, veto)


_DAY = re.compile(r"\b(\d{1,2}(st|nd|rd|th)?|monday|tuesday|wednesday|thursday|friday|saturday|"
                  r"sunday|today|yesterday|tonight)\b", re.I)
_AGE = re.compile(r"\d+\s*-?\s*years?\s*-?\s*old|\baged?\s+\d+|\d+ years? old|\bage of \d+", re.I)
_TIME_UNITS = frozenset("second minute hour day week month year decade century".split())
_DISTANCE = re.compile(r"\b(\d+ ?(m|km)|(kilo)?met(re|er)s?|miles?|feet|foot|yards?)\b", re.I)
_DURATION = re.compile(r"\b(day|week|month|year|hour)s?\b", re.I)
_ASKS_YEAR = re.compile(r"\b(what|which) year\b|\bwhat year\b", re.I)
_ASKS_DAY = re.compile(r"\b(what|which) (date|day)\b", re.I)
_ASKS_AGE = re.compile(r"\bhow old\b", re.I)
# "which California city", not "what did the city council ...", "what was the town's ..."
_ASKS_TOWN = re.compile(r"\b(which|what) ((?!(?:is|was|are|were|did|does|do|the|a|an)\b)\w+ ){0,2}"
                        r"(city|town|village)\b(?!['’])", re.I)


def _type_fits(mention: Mention, frame: QuestionFrame) -> bool:
    """The candidate has the form the question asks for: a year for "what year", a day
    for "what date", an age for "how old", a number (not a date) for "how many
    firefighters", a place that can be a town for "which town" (not a country: "*US*
    singer ... Robert Hunter"; Singapore may be one, see ``places.only_a_country``), and
    only entity labels, not a name guessed from the noun, for numbers and dates. A
    country or US state modifying the asked noun, where the thing is named beside it, says
    where the thing is, not what it is called: "the *Florida* company Ridgeback
    Biotherapeutics", for which company makes a drug (but "the *France* team", "the *US*
    government" have no other name; and a place may be asked: "the *Ohio* city of Dayton",
    for which state)."""
    asked = frame.question
    text = mention.span.text
    root = mention.span.root
    if (mention.label == NAMED and root.dep_ in _NATIONALITY_DEPS and place_of(text) is not None
            and not {"GPE", "LOC"} & set(frame.qtype.labels or ()) and _named_beside(root.head)):
        return False
    numeric = frame.qtype.wh in ("how many", "when") or (frame.qtype.labels or ("",))[0] in (
        "DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "TALLY")
    if mention.label == NAMED and numeric and not bound_number(mention.span, frame.qtype.labels or ()):
        return False
    if _counts_another_noun(mention, frame):
        return False
    if _ASKS_YEAR.search(asked):
        return bool(YEAR.search(text)) or mention.label == NAMED
    if _ASKS_DAY.search(asked):
        return bool(_DAY.search(text))
    if _ASKS_AGE.search(asked):  # "aged 53", "53-year-old", "Zhukovskyy, 23, pleaded"
        doc = mention.span.doc
        around = doc[max(0, mention.span.start - 2) : min(len(doc), mention.span.end + 3)].text
        return bool(_AGE.search(normalize_answer(around).replace(" year old", "-year-old"))) or bool(
            re.search(r",\s*\d+\s*,", around))
    if _ASKS_TOWN.search(asked):
        return not only_a_country(text)
    if frame.qtype.noun == "time" and mention.label == "QUANTITY" and _DISTANCE.search(text):
        return False  # "the 400 metres hurdles" is no one's time
    if frame.qtype.wh == "how many" and mention.label == "DATE":
        # a duration ("three days"), not a day ("Wednesday" holds "day" but counts nothing)
        return frame.focus in _TIME_UNITS or bool(_DURATION.search(text))
    return True


# What a tally or a time may count: "220 *votes*", "3 *goals*", "10 *minutes*".
_TALLIED = frozenset("vote point goal run seat wicket set game round hour minute second stroke length try "
                     "touchdown basket frame leg lap ballot yea nay aye".split())


def _counts_another_noun(mention: Mention, frame: QuestionFrame) -> bool:
    """A bare count of the things a verb acts on is not a time, a vote or a score: "NASA
    has *selected* two astronauts" does not say at what time the capsule docks, and "voted
    to *hold* two Cabinet officers in contempt" is not the vote. Only the object of a verb:
    a tally counts voters or units where they vote or score ("approved *by* 219 lawmakers",
    "won *by* three strokes", "with 68 senators in favour"). (How-many questions have their
    own check: the counted noun must be the asked one.)"""
    labels = frame.qtype.labels or ()
    if frame.qtype.wh != "which" or mention.label != "CARDINAL" or not labels or labels[0] not in ("TIME", "TALLY"):
        return False
    root = mention.span.root
    counted = root.head
    return (root.dep_ == "nummod" and counted.pos_ == "NOUN" and counted.dep_ == "dobj"
            and counted.lemma_.lower() not in _TALLIED and not derived(frame.qtype.noun or "", counted.lemma_.lower()))


def _named_beside(noun) -> bool:
    """``noun`` has a proper name of its own in the sentence: "the Florida company
    *Ridgeback Biotherapeutics*", "*Ridgeback Biotherapeutics*, a Florida company"."""
    return (noun.dep_ in ("compound", "appos") and noun.head.pos_ == "PROPN"
            or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in noun.children))


def _specific(frame: QuestionFrame) -> bool:
    """The question asks for a kind of thing the evidence must name as such: "which
    airline", "the captain of", "how many firefighters" (not "which company", "how many
    people", whose answer type the entity label already settles)."""
    return frame.focus is not None and frame.focus not in GENERIC_NOUNS and (
        frame.focus.rstrip("s") not in GENERIC_NOUNS)


def candidate_features(
    candidate: Candidate,
    frame: QuestionFrame,
    similarity: WordSimilarity,
    idf: Callable[[str], float],
    top_relevance: float,
    total_score: float,
    stories: Mapping[str, str] | None = None,
) -> tuple[Features, Check, Mention]:
    """The checks for ``candidate``, read from its best mention that breaks no constraint
    (or its best mention, when all break one), plus how much of the evidence agrees.
    ``stories``: article id -> the evidence's text of that article (what else the story
    says; by default the mention's own passage)."""
    stories = stories or {}
    checked = [(m, check_mention(m, frame, similarity, stories.get(m.sentence.passage.article_id, "")))
               for m in candidate.mentions]
    mention, check = max(checked, key=lambda mc: (mc[1].veto is None, mc[0].sentence.relevance + 2 * mc[0].score))
    span, sentence = mention.span, mention.sentence
    doc = span.doc
    title_words = {t.lower() for t in re.findall(r"\w+", sentence.passage.title)}
    modifiers = 1.0
    if frame.focus_mods:
        words = {t.lemma_.lower() for t in doc} | {t.lower_ for t in doc} | title_words
        modifiers = sum(m in words for m in frame.focus_mods) / len(frame.focus_mods)
    coverage, context, qualifiers = _coverage(frame, doc, title_words, idf)
    mentions = len(candidate.mentions)
    articles = len({m.sentence.passage.original for m in candidate.mentions})  # copies count once
    # The latest-news rule (see extractive.py): a question naming no time is about this
    # week's story, and a vague one ("Who claimed the casualty figures?") scores the very
    # sentence that answers it low; for the latest week's sentences relevance counts from
    # the refusal threshold up.
    relevance = max(sentence.relevance, LATEST_RELEVANCE) if sentence.latest_news else sentence.relevance
    features = Features((
        _clip(relevance / 10, -1.0, 1.2),
        _clip((top_relevance - relevance) / 10, 0.0, 1.0),
        frame.qtype.weight(mention.label) if mention.label != OPTION else 0.8,
        float(mention.label == NAMED),
        float(any(m.label == OPTION for m in candidate.mentions)),
        check.focus,
        check.focus_link,
        check.predicate,
        check.predicate_link,
        check.other_verb,
        check.conflict,
        modifiers,
        coverage,
        context,
        qualifiers,
        max(check.place_conflict, check.subject_conflict),
        _clip(candidate.best.score, 0.0, 4.0) / 4,
        candidate.score / total_score if total_score > 0 else 0.0,
        math.log1p(mentions) / 2,
        math.log1p(articles) / 2,
        float(check.dateline),
        check.money_mismatch,
        float(sentence.latest_news),  # this week's story, asked about without naming a time
    ))
    return features, check, mention


def _counts_the_same(number, noun) -> bool:
    """A bare number that is the subject or object of a verb coordinated with one whose
    own subject or object is ``noun``, itself counted: "300 *soldiers* were killed and
    2,700 wounded" leaves out the noun the second figure counts (gapping), which news
    casualty reports do all the time."""
    if number.pos_ != "NUM" or number.dep_ not in ("nsubj", "nsubjpass", "dobj") or any(
            t.pos_ in ("NOUN", "PROPN") for t in number.children):
        return False
    verb = number.head
    if verb.dep_ == "conj":
        first = verb.head
    elif any(c.dep_ == "conj" for c in verb.children):
        first = verb
    else:
        return False
    partners = [first, *(c for c in first.children if c.dep_ == "conj")]
    return noun.dep_ in ("nsubj", "nsubjpass", "dobj") and noun.head.i != verb.i and any(
        noun.head.i == v.i for v in partners) and any(c.dep_ == "nummod" for c in noun.children)


# Verbs a source gives a figure with (not "admitted 40", "posted 3").
_GIVES_FIGURES = frozenset("report say put give measure record estimate state count".split())


def _reported_alike(number, noun) -> bool:
    """A bare number two sources give side by side: "Phivolcs reported the earthquake's
    *magnitude* was 5.5; the USGS reported *5.8*". The second report leaves out the noun
    the first one gives its value for; the number is that noun's value on another's
    word."""
    if number.pos_ != "NUM" or number.dep_ != "dobj" or any(t.pos_ in ("NOUN", "PROPN") for t in number.children):
        return False
    verb = number.head
    if verb.lemma_.lower() not in _GIVES_FIGURES:
        return False
    # the clauses side by side with it (the parser joins them either way)
    partners = {c.i for c in verb.children if c.dep_ in ("conj", "ccomp")}
    if verb.dep_ in ("conj", "ccomp"):
        partners.add(verb.head.i)
    value = noun.head  # "the magnitude *was* 5.5", reported
    if not (noun.dep_ == "nsubj" and value.lemma_ == "be" and value.i != verb.i
            and any(c.dep_ == "attr" and c.pos_ == "NUM" for c in value.children)
            and value.head.lemma_.lower() in _GIVES_FIGURES and value.dep_ == "ccomp"
            and (value.i in partners or value.head.i in partners)):
        return False
    # two sources: each report has a subject of its own, and they differ
    first = [c.lower_ for c in value.head.children if c.dep_ == "nsubj"]
    second = [c.lower_ for c in verb.children if c.dep_ == "nsubj"]
    return bool(first) and bool(second) and first != second


def _distance(a, b) -> int:
    """Edges between two tokens in the dependency tree."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in index_b:
            return n + index_b[token.i]
    return 99


def _conflict(focus_token, frame: QuestionFrame) -> float:
    """1 when the sentence qualifies the asked noun differently: the question asks about
    "Russian soldiers" and the sentence's soldiers are "North Korean"."""
    if not frame.focus_mods:
        return 0.0
    if focus_token.pos_ not in ("NOUN", "PROPN"):
        # the title read as another word ('"...", Caloundra *coach*/VERB Geoff Ingram said',
        # see ``check_mention``): the names right before it are whose title it is
        # (and the parts of a hyphenated title before its word: "then-*U.S.*-president")
        before = [part.lower() for part in focus_token.text.split("-")[:-1] if part[:1].isupper()]
        before += names_before(focus_token.doc, focus_token.i - 1)
        owners = (*frame.focus_mods, *frame.owner)
        return float(any(not any(_same_people(w, m, owners) for m in owners) for w in before))
    for child in focus_token.children:
        if child.dep_ not in _NATIONALITY_DEPS or child.is_stop:
            continue
        if child.ent_type_ in ("NORP", "GPE", "ORG") or child.pos_ == "PROPN":
            words = {child.lemma_.lower(), child.lower_}
            if not any(_same_people(word, mod, frame.focus_mods) for word in words for mod in frame.focus_mods):
                return 1.0
    return float(_other_body(focus_token, frame))


def _other_body(focus_token, frame: QuestionFrame) -> bool:
    """The question's noun belongs to a named body ("Chilean *Air Force* personnel") and the
    sentence's is another body's, by its common noun ("26 *army* personnel", ``_BODIES``),
    the asked body's name not all in the sentence. Not a place ("Florida teachers", a school's teachers are
    there too) nor a people ("Chilean"), which say where, not whose; and not a word the
    question has ("warehouse workers" of "Amazon warehouse workers")."""
    bodies = [name for name in frame.names if name not in frame.places
              and any(mod in name.split() for mod in frame.focus_mods)]
    if not bodies:
        return False
    doc = focus_token.doc
    written = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
    own = [w for name in bodies for w in name.split() if w != "the" and country_of_people(w) is None]
    if all(w in written for w in own):
        return False
    return any(child.dep_ == "compound" and child.lemma_.lower() in _BODIES and child.ent_type_ == ""
               and child.lemma_.lower() not in frame.words and child.lower_ not in frame.words
               for child in focus_token.children)


# Bodies a group of people belongs to, named by a common noun ("*army* personnel"); a trade
# or a place of work ("*factory* employees", "*hospital* nurses") may be within the asked one.
_BODIES = frozenset("army navy police military militia marine guard party union government "
                    "ministry parliament congress court".split())


def _same_people(word: str, mod: str, mods: Sequence[str] = ()) -> bool:
    """The same name, or a country and its people's adjective: "Egypt's foreign minister"
    is the "Egyptian foreign minister" (Iran, Iranian; China, Chinese). The adjective is
    read as the country with the longest name that begins it, less its last letter
    ("Nigerian" is Nigeria's, not Niger's), and only for a one-word country the question
    gives without a direction ("South Sudan's president" is not "Sudanese")."""
    if word == mod:
        return True
    if any(m in _DIRECTIONS for m in mods):
        return False
    return country_of_adjective(word) == mod or country_of_adjective(mod) == word


_DIRECTIONS = frozenset("north south east west northern southern eastern western central new".split())


def _coverage(frame: QuestionFrame, doc, title_words: set[str], idf) -> tuple[float, float, float]:
    """IDF-weighted shares of the question's terms found in the sentence, in the sentence
    with its headline, and, of the terms the headline does not hold (the qualifiers: what
    the question asks *about* the story), found in the sentence."""
    if not frame.terms:
        return 1.0, 1.0, 1.0
    lemmas = {t.lemma_.lower() for t in doc if not t.is_punct}
    sentence = lemmas | {t.lower_ for t in doc}
    stems = set(analyze(doc.text))
    title_stems = set(analyze(" ".join(title_words)))
    total = found = found_ctx = qual_total = qual_found = 0.0
    for term in frame.terms:
        stem = analyze(term)
        weight = max(idf(stem[0]), 0.5) if stem else 0.5
        here = term in sentence or bool(stem and stem[0] in stems)
        in_title = term in title_words or bool(stem and stem[0] in title_stems)
        total += weight
        found += weight * here
        found_ctx += weight * (here or in_title)
        if not in_title:
            qual_total += weight
            qual_found += weight * (here or any(derived(term, lemma) for lemma in lemmas))
    qualifiers = qual_found / qual_total if qual_total else 1.0
    return found / total, found_ctx / total, qualifiers


_NOBODY = frozenset("nobody none nothing".split())


def _object_of(verb, span) -> bool:
    """The candidate is to whom or of whom ``verb`` speaks ("attributed the bombing *to
    Houthi rebels*"), not who does it. (Its object, "told *Reuters*", is
    ``roles.not_the_speaker``'s case.)"""
    if verb.lemma_.lower() == "accord":  # "according *to Reuters*" names the source
        return False
    return any(span.root.i in {t.i for t in c.subtree} for c in verb.children
               if c.dep_ == "prep" and c.lower_ in ("to", "about"))


def _agentless_passive(token) -> bool:
    return any(c.dep_ == "auxpass" for c in token.children) and not any(c.dep_ == "agent" for c in token.children)


def _denied(token) -> bool:
    """A verb or noun negated in its sentence ("not", "never", "*no* claims of
    responsibility were reported", "*no group* has claimed"), unless "until" bounds the
    negation."""
    children = list(token.children)
    negated = any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no" and token.pos_ == "NOUN")
                  or (c.dep_ in ("nsubj", "nsubjpass") and (c.lower_ in _NOBODY or any(
                      d.dep_ == "det" and d.lower_ == "no" for d in c.children)))
                  for c in children)
    return negated and not any(t.lower_ == "until" for c in children for t in c.subtree)


def _larger_group(frame: QuestionFrame, span, focus_token, focus: float) -> bool:
    """The count covers the asked group together with another: "over *500* police
    officers and firefighters" does not say how many firefighters. Only a number that
    counts the first noun of a coordination, when the question names one of its nouns and
    not the others; a noun with its own number ("600 officers and 80 firefighters") is
    counted on its own."""
    if (frame.qtype.wh != "how many" or not frame.focus or frame.focus in GENERIC_NOUNS
            or focus_token is None or focus < SYNONYM):
        return False
    counted = span.root.head if span.root.dep_ == "nummod" else None
    if counted is None or counted.pos_ != "NOUN":
        return False
    # the nouns the number runs on to ("500 officers and firefighters"), up to one with a
    # count of its own ("150 security forces, 95 civilians, and hundreds of Taliban"; "301
    # stores, two distribution centers and the head office")
    group = [counted]
    for c in sorted((c for c in counted.conjuncts if c.i > counted.i), key=lambda c: c.i):
        if c.like_num or any(g.dep_ == "nummod" for g in c.children):
            break
        if c.pos_ == "NOUN" and c.lemma_.lower() not in _COUNT_NOUNS:
            group.append(c)
    if len(group) < 2 or focus_token not in group:
        return False
    asked = {w.rstrip("s") for w in frame.words}
    return any(noun.lemma_.lower().rstrip("s") not in asked and noun.lower_.rstrip("s") not in asked
               for noun in group if noun.i != focus_token.i)


def _counts_another_here(frame: QuestionFrame, mention: Mention, focus_token, focus: float,
                         similarity: WordSimilarity) -> bool:
    """The sentence names the asked things, and the number counts other ones: "The deal
    covers 301 stores, *two* distribution centers and the head office", for how many
    stores. Only a plain count of a noun of its own (not an amount, a share or a unit, and
    not the asked noun under another word), in a list where the asked noun has its own."""
    if (frame.qtype.wh != "how many" or not _specific(frame) or focus_token is None or focus < SYNONYM
            or mention.label != "CARDINAL" or mention.span.root.dep_ != "nummod"):
        return False
    span = mention.span
    counted = span.root.head
    if (counted.pos_ != "NOUN" or span.start <= counted.i < span.end or counted.i == focus_token.i
            or focus_token.head.i == counted.i):  # "sixteen other *journalist* deaths"
        return False
    # Only in a list of counts, the asked noun counted on its own: the word-similarity
    # table knows few synonyms ("12 *troops*", for soldiers), so a noun outside a list may
    # be the asked one under another word.
    if counted.i not in {c.i for c in focus_token.conjuncts} or not any(
            c.dep_ == "nummod" for c in focus_token.children):
        return False
    lemma = counted.lemma_.lower()
    return (lemma not in _COUNT_NOUNS and lemma not in _TIME_UNITS and lemma not in GENERIC_NOUNS
            and similarity(frame.focus, lemma) < SYNONYM and not derived(frame.focus, lemma))


def _has_currency(span) -> bool:
    return names_currency(span.doc[max(0, span.start - 1): min(len(span.doc), span.end + 2)].text, pounds=True)


def _dateline(mention: Mention) -> bool:
    """A dateline ("BASEL, Switzerland —", "WASHINGTON (AP)"), a wire credit or the
    outlet's own name: where the story was filed or who filed it, not an answer."""
    span = mention.span
    text = span.text.strip()
    doc = span.doc
    letters = [c for c in text if c.isalpha()]
    if letters and len(letters) >= 3 and all(c.isupper() for c in letters) and span.start <= 2:
        return True
    after = doc[span.end].text if span.end < len(doc) else ""
    if span.start <= 3 and (after in _DATELINE_NEXT or (after == "," and span.end + 2 < len(doc)
                                                        and doc[span.end + 2].text in _DATELINE_NEXT)):
        return True
    source = mention.sentence.passage.source or ""
    squashed = _LETTERS.sub("", text.lower())
    return len(squashed) >= 2 and squashed in _LETTERS.sub("", source.lower().removesuffix(".com"))


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


QUESTION_FEATURES = (
    "best_short", "relevance", "predicate_any", "focus_any", "coverage_best", "context_best",
    "wants", "fitting", "latest",
)


def question_features(
    frame: QuestionFrame,
    sentences: Sequence,
    docs: Sequence,
    similarity: WordSimilarity,
    idf: Callable[[str], float],
    best_short: float,
    fitting: int,
) -> Features:
    """Does any evidence sentence say what the question asks, whoever the candidate? The
    asked predicate and focus anywhere in the best sentences, their best coverage of the
    question's wording, and the best candidate's probability."""
    predicate_any = focus_any = coverage_best = context_best = 0.0
    for sentence, doc in zip(sentences, docs):
        tokens = list(doc)
        pred = min((best_match(p, tokens, similarity)[0] for p in frame.predicates), default=1.0)
        if frame.reporting:
            pred = max(pred, float(any(t.lemma_.lower() in REPORTING_VERBS for t in tokens)))
        focus = best_match(frame.focus, tokens, similarity)[0] if frame.focus else 1.0
        title_words = {t.lower() for t in re.findall(r"\w+", sentence.passage.title)}
        coverage, context, _ = _coverage(frame, doc, title_words, idf)
        predicate_any, focus_any = max(predicate_any, pred), max(focus_any, focus)
        coverage_best, context_best = max(coverage_best, coverage), max(context_best, context)
    top = sentences[0] if sentences else None
    return Features((
        best_short,
        _clip(top.relevance / 10, -1.0, 1.2) if top else -1.0,
        predicate_any,
        focus_any,
        coverage_best,
        context_best,
        float(frame.qtype.wants_entity),
        math.log1p(fitting) / 2,
        float(bool(top and top.latest_news)),
    ), QUESTION_FEATURES)
