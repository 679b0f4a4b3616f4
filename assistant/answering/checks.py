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
development question sets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answering.entities import (OPTION, Candidate, Mention, bound_number, governing_verb,
                                          names_currency, proper_phrase)
from assistant.answering.frame import (BOUND_EXTREMES, LIGHT_VERBS, OPPOSITES, YEAR, QuestionFrame, counts,
                                       fold, kind_words, located_in, named_objects, ordinals_on, words_of,
                                       years_on)
from assistant.answering.lexicon import REPORTING_VERBS, SYNONYM, WordSimilarity, derived, same_sense
from assistant.answering.normalize import normalize_answer, normalize_text
from assistant.answering.places import only_a_country, place_of, within
from assistant.answering.question import NAMED
from assistant.text import analyze

_MONEY_LABELS = frozenset({"MONEY"})
_NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "TALLY", "TIME"})
_NATIONALITY_DEPS = frozenset({"amod", "compound", "nmod"})
_DATELINE_NEXT = frozenset({"(", "—", "–", "-", "--"})
_LETTERS = re.compile(r"[^a-z]")
# Light words around a candidate that tie it to nothing ("is", "was", "said"...).
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})

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


# A figure is a change rather than a level when it is what a change verb moved ("gained 66
# seats", "netted 66", "rose by 5%") or what a change noun measures ("an increase of 66");
# "rose to 20" is a level. Small models swap the two ("won 66 seats" from "netted an
# additional 66 seats"), and the number alone matches. Modifiers are not read as changes:
# "seven more were injured" names other people, not a change of a count.
# Nouns that are themselves counts ("hundreds of Taliban").
_COUNT_NOUNS = frozenset("dozen hundred thousand million billion score".split())
# Verbs for keeping a count: a source's figure, reported, is what it counted.
_RECORDING_VERBS = frozenset("count record tally register log".split())
_CHANGE_WORDS = frozenset("additional more extra another further fewer less net".split())
_CHANGE_VERBS = frozenset("gain net add lose rise increase grow fall drop decline decrease climb "
                          "jump shed cut reduce raise lower surge plunge slip soar sink".split())
_CHANGE_NOUNS = frozenset("gain increase rise drop fall decline decrease loss jump growth cut "
                          "reduction".split())


def is_change(token) -> bool:
    """Whether the number ``token`` states a change (see ``_CHANGE_VERBS``)."""
    noun = token.head if token.dep_ == "nummod" else token
    if any(t.lower_ == "to" for t in token.children):
        return False  # "by 30 to 56": the 56 is where it ended
    if noun.dep_ == "pobj":
        preposition, governor = noun.head.lower_, noun.head.head.lemma_.lower()
        return (preposition == "by" and governor in _CHANGE_VERBS
                or preposition == "of" and governor in _CHANGE_NOUNS)
    return noun.dep_ in ("dobj", "nsubjpass", "npadvmod") and noun.head.lemma_.lower() in _CHANGE_VERBS


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
        nouns = [t for t in focus_scope if t.pos_ in ("NOUN", "PROPN")]
        scored = [(similarity(frame.focus, t.lemma_.lower()), -_distance(span.root, t), t) for t in nouns]
        focus, _, focus_token = max(scored, key=lambda x: (x[0], x[1]), default=(0.0, 0, None))
    focus_link = 1.0 if frame.focus is None else float(
        focus_token is not None and focus >= SYNONYM and _distance(span.root, focus_token) <= 2
    )
    # A predicate the sentence denies is not stated ("had still not been secured" does not
    # say when it was), unless the question asks about the denial or "until" says when the
    # denial ended ("was not found until March").
    stated = others if frame.negated else [t for t in others if not _denied(t)]
    found = [_best_match(p, stated, similarity)[0] >= SYNONYM for p in frame.predicates]
    reporting = frame.reporting and any(t.lemma_.lower() in REPORTING_VERBS for t in others)
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
    money_mismatch = float(frame.money and mention.label in _NUMBER_LABELS and mention.label != "MONEY"
                           and not _has_currency(span))
    dateline = _dateline(mention)
    place_conflict = _place_conflict(frame, doc, mention.sentence.passage.title)
    subject_conflict = _subject_conflict(frame, span, doc, mention.sentence.passage.title)
    role_conflict = _role_conflict(frame, span)
    veto = None
    if mention.label != OPTION:
        if not _type_fits(mention, frame):
            veto = "type"  # not the kind of thing asked ("three-day" for "what year")
        elif not head_found:
            veto = "predicate"  # the sentence does not say the asked thing happened
        elif _specific(frame) and mention.label != NAMED and not (
                focus_link or (frame.qtype.wh == "how many" and focus >= SYNONYM)):
            veto = "focus"  # nothing ties it to the asked noun ("which airline")
        elif conflict or _owner_conflict(frame, focus_token, focus) or _qualified_conflict(frame, span):
            veto = "qualifier"  # another group than the one asked about
        elif _subordinate_role(frame, focus_token, focus):
            veto = "qualifier"  # the vice president, for "who is the president"
        elif _larger_group(frame, span, focus_token, focus):
            veto = "qualifier"  # "500 police officers and firefighters", for the firefighters
        elif _figure_conflict(frame, span, doc):
            veto = "figure"  # "73 months" where the question says 47
        elif _opposite_extreme(frame, doc):
            veto = "extreme"  # the oldest, for the youngest
        elif _other_ordinal(frame, span):
            veto = "ordinal"  # his second wife, for his first
        elif _someone_elses(frame, span):
            veto = "person"  # "47-year-old Matovič", for how old Sulík is
        elif _other_year(frame, span, similarity):
            veto = "year"  # spent 1.15% in 2018, for what it spent in 2019
        elif _other_kind(frame, span, story or mention.sentence.passage.text, similarity):
            veto = "kind"  # diagnosed with tongue cancer, for when it was throat cancer
        elif _requirement(frame, span):
            veto = "requirement"  # "1,991 delegates are needed", for how many she won
        elif _title_of_another(frame, span):
            veto = "qualifier"  # "Wynnum coach Matt Myers", for who coaches Caloundra
        elif _argument_conflict(frame, span, stated, similarity, mention.sentence.passage.title):
            veto = "argument"  # served in another force than the one asked about
        elif _located_elsewhere(frame, doc, mention.sentence.passage.title):
            veto = "place"  # wildfires in Brazil, for the wildfires in Bolivia
        elif _placed_elsewhere(frame, span):
            veto = "place"  # "In New Hampshire, Sanders secured 25.7%", for Nevada
        elif subject_conflict or _named_subject_differs(frame, span):
            veto = "subject"  # someone else did it ("Johnson won 92,153 votes")
        elif role_conflict:
            veto = "role"  # the other side of the asked act (the police, for "who was arrested")
        elif _not_the_speaker(frame, span):
            veto = "speaker"  # where, to whom or whose it was said ("said on Twitter")
        elif money_mismatch:
            veto = "money"  # a count where an amount of money is asked
        elif _change_for_total(frame, mention):
            veto = "change"  # "an additional 66" where the seats won are asked
        elif _margin(frame, mention):
            veto = "change"  # "six minutes ahead of the field" where her time is asked
        elif _ASKS_TOWN.search(frame.question) and only_a_country(span.text):
            veto = "type"  # "*US* singer ... Robert Hunter", for the town he died in
        elif dateline and frame.qtype.wh != "where":
            veto = "dateline"
    return Check(focus, focus_link, predicate, predicate_link, other_verb, conflict,
                 money_mismatch, dateline, place_conflict, subject_conflict, role_conflict, veto)


def _change_for_total(frame: QuestionFrame, mention: Mention) -> bool:
    """A figure stated as a change (``is_change``) for a "how many" question that asks for
    no change ("How many seats did the party win?" against "gained an additional 66"); the
    question asks for one when it says "more", "additional", or a verb or noun of change."""
    if frame.qtype.wh != "how many" or mention.label not in _NUMBER_LABELS:
        return False
    asked = set(frame.terms) | frame.words
    if asked & (_CHANGE_WORDS | _CHANGE_VERBS | _CHANGE_NOUNS):
        return False  # the change is what is asked ("how many more", "how many did it lose")
    return any(is_change(t) for t in mention.span if t.like_num)


# A figure followed by these is a difference between two things ("six minutes *ahead of*
# her competition", "two seconds *faster than*"), not either of them.
_MARGIN_WORDS = frozenset("ahead behind faster slower earlier later quicker".split())
_COMPARED = frozenset("fewer more less".split())
# "In which town did he die?": a country is no town (see ``places.only_a_country``)
_ASKS_TOWN = re.compile(r"\b(which|what) (city|town|village)\b", re.I)
_ASKS_MARGIN = _MARGIN_WORDS | {"margin", "difference", "gap"}  # or "by how much"


def _margin(frame: QuestionFrame, mention: Mention) -> bool:
    """A figure given as a margin ("completing the race *more than six minutes ahead* of
    her competition") for a question that asks for the thing itself ("What was her
    finishing time?"), not for a margin ("by how much", "how far ahead")."""
    if (mention.label not in _NUMBER_LABELS or frame.words & (_ASKS_MARGIN | _COMPARED)
            or "by how" in frame.question.lower()):
        return False
    doc = mention.span.doc
    after = doc[mention.span.end: mention.span.end + 2]
    if any(t.lower_ in _MARGIN_WORDS for t in after):
        return True
    # "secured around 300 delegates *fewer than* Biden", "300 *more* votes *than*": a
    # difference, after the figure (before it, "more than 300" only bounds the figure)
    after = [t.lower_ for t in doc[mention.span.end: mention.span.end + 5]]
    return any(word in _COMPARED and "than" in after[i + 1: i + 3] for i, word in enumerate(after))


_DAY = re.compile(r"\b(\d{1,2}(st|nd|rd|th)?|monday|tuesday|wednesday|thursday|friday|saturday|"
                  r"sunday|today|yesterday|tonight)\b", re.I)
_AGE = re.compile(r"\d+\s*-?\s*years?\s*-?\s*old|\baged?\s+\d+|\d+ years? old|\bage of \d+", re.I)
_TIME_UNITS = frozenset("second minute hour day week month year decade century".split())
_DURATION = re.compile(r"\b(day|week|month|year|hour)s?\b", re.I)
_ASKS_YEAR = re.compile(r"\b(what|which) year\b|\bwhat year\b", re.I)
_ASKS_DAY = re.compile(r"\b(what|which) (date|day)\b", re.I)
_ASKS_AGE = re.compile(r"\bhow old\b", re.I)


def _type_fits(mention: Mention, frame: QuestionFrame) -> bool:
    """The candidate has the form the question asks for: a year for "what year", a day
    for "what date", an age for "how old", a number (not a date) for "how many
    firefighters", and only entity labels, not a name guessed from the noun, for numbers
    and dates."""
    asked = frame.question
    text = mention.span.text
    numeric = frame.qtype.wh in ("how many", "when") or (frame.qtype.labels or ("",))[0] in (
        "DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "TALLY")
    if mention.label == NAMED and numeric and not bound_number(mention.span, frame.qtype.labels or ()):
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
    if frame.qtype.wh == "how many" and mention.label == "DATE":
        # a duration ("three days"), not a day ("Wednesday" holds "day" but counts nothing)
        return frame.focus in _TIME_UNITS or bool(_DURATION.search(text))
    return True


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


def _best_match(word: str | None, tokens: Sequence, similarity: WordSimilarity):
    best, where = 0.0, None
    if not word:
        return best, where
    for token in tokens:
        if token.pos_ not in _CONTENT_POS:
            continue
        score = similarity(word, token.lemma_.lower())
        if score > best:
            best, where = score, token
    return best, where


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
    for child in focus_token.children:
        if child.dep_ not in _NATIONALITY_DEPS or child.is_stop:
            continue
        if child.ent_type_ in ("NORP", "GPE", "ORG") or child.pos_ == "PROPN":
            words = {child.lemma_.lower(), child.lower_}
            if not words & set(frame.focus_mods):
                return 1.0
    return 0.0


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


def _place_conflict(frame: QuestionFrame, doc, title: str) -> float:
    """1 when the question places the fact somewhere the headline does not already say
    ("at the funeral in *Tehran*") and the sentence names other places but not that one
    ("a stampede in *Kerman*")."""
    title = title.lower()
    asked = [p for p in frame.places if p not in title]
    if not asked:
        return 0.0
    text = doc.text.lower()
    if any(p in text for p in asked):
        return 0.0
    return float(any(ent.label_ in ("GPE", "LOC", "FAC") for ent in doc.ents))


def _subject_conflict(frame: QuestionFrame, span, doc, title: str = "") -> float:
    """1 when the question asks what a named subject did ("How many votes did *Jeremy
    Hunt* receive?") and the verb governing the candidate has another named subject
    ("*Johnson* won with 92,153 votes"), the asked one appearing nowhere in the sentence."""
    if not frame.subject:
        return 0.0
    words = set(frame.subject.split())
    if words & {t.lower_ for t in doc}:
        return 0.0
    verb = governing_verb(span.root)
    if verb is None:
        return 0.0
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN"]
    # "*He* won with 92,153 votes" in a story headlined "Boris Johnson elected ...": a
    # pronoun stands for someone the story has named, and the asked one is named neither
    # here nor in the headline.
    if not subjects and not words & words_of(title):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
                    and c.lower_ in ("he", "she")]
    # "her husband Siarhei, *who* was arrested in May": the relative pronoun's subject is
    # the name the clause hangs on
    # (only in the question's voice: in "Jackson, who was nominated", Jackson underwent it,
    # which says nothing against "When did Biden nominate Jackson?")
    relative = "nsubjpass" if frame.passive else "nsubj"
    if not subjects and verb.dep_ == "relcl" and verb.head.pos_ == "PROPN" and any(
            c.dep_ == relative and c.tag_ in ("WP", "WDT") for c in verb.children):
        subjects = [verb.head]
    return float(bool(subjects))


_ADDRESSEE_VERBS = frozenset("tell ask inform brief".split())


def _not_the_speaker(frame: QuestionFrame, span) -> bool:
    """True when a question asks who said something and the candidate is not who said it
    but where, to whom or whose: the object of a preposition on the saying verb ("said *on
    Twitter*", "speaking *to CNN*", "said *in Washington*"; "according to" and "by" name
    the source and stay), the one told ("told *the BBC*"), or the possessor of the speaker
    ("*Washington*'s top diplomat said": the diplomat spoke). Person-like names appear in
    all these places, and the entity recogniser even reads "Twitter" as a person."""
    if not frame.reporting or not (frame.qtype.wh == "who" or (
            frame.qtype.labels and frame.qtype.labels[0] in ("PERSON", "ORG"))):
        return False
    token = span.root
    if token.dep_ == "poss":
        return True
    if token.dep_ == "pobj" and token.head.dep_ == "prep":
        preposition, governor = token.head, token.head.head
        if preposition.lower_ == "by" or governor.lower_ == "according":
            return False
        return governor.pos_ in ("VERB", "AUX") and governor.lemma_.lower() in REPORTING_VERBS
    if token.dep_ in ("dobj", "dative"):
        return token.head.lemma_.lower() in _ADDRESSEE_VERBS
    return False


def _role_conflict(frame: QuestionFrame, span) -> bool:
    """True when the candidate stands on the other side of the asked act: the question asks
    who was arrested and the sentence makes the candidate the one who arrested ("*Police*
    arrested a man", "a man was arrested by *police*"), or the reverse. Only the asked verb
    itself counts (synonym sets mix sides: "killed" and "died", "won" and "defeated"), and
    only plain roles: the subject of a verb with an object of its own, the object, the
    passive subject and the "by" agent. A subject without an object ("Smith died",
    "residents evacuated") or acting on itself ("Kane injured *his* ankle") may have
    undergone the act, so it decides nothing. An apposition ("the gunman, *John Smith*,
    killed") takes the role of the noun it renames. One side is certain with a synonym
    too: the "by" agent of a passive did the act, so for "Who was appointed ..." it is no
    answer that "he was nominated *by President Gerald Ford*". Only a synonym of the very
    same sense: "defeat" is in the sets of both "win" and "lose"."""
    if frame.role is None or not frame.predicates:
        return False
    token = span.root
    while token.dep_ in ("appos", "conj", "compound") and token.head.i != token.i:
        token = token.head
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        role, verb = "agent", token.head.head
    elif token.dep_ == "nsubj":
        objects = [c for c in token.head.children if c.dep_ == "dobj"]
        if not objects or any(c.dep_ == "poss" and c.pos_ == "PRON" for o in objects for c in o.children) or any(
                o.lower_.endswith(("self", "selves")) for o in objects):
            return False
        role, verb = "agent", token.head
    elif token.dep_ in ("nsubjpass", "dobj"):
        role, verb = "patient", token.head
    else:
        return False
    if verb.pos_ != "VERB" or _title_read_as_verb(verb):
        return False
    lemma = verb.lemma_.lower()
    if lemma != frame.predicates[0] and not (
            frame.role == "patient" and token.dep_ == "pobj" and same_sense(lemma, frame.predicates[0])):
        return False
    return role != frame.role


def _title_read_as_verb(verb) -> bool:
    """The small parser reads "Caloundra *coach* Geoff Ingram said" as Caloundra coaching
    Ingram. A verb in the plural present ("VBP") right after one singular name ("NNP", no
    "and": "Turkey and Greece *arrest* 12 smugglers" is a clause) and right before another
    is no English clause; it is a title between two names."""
    doc = verb.doc
    return (verb.tag_ == "VBP" and 0 < verb.i < len(doc) - 1 and doc[verb.i + 1].tag_ == "NNP"
            and any(c.dep_ == "nsubj" and c.tag_ == "NNP" and c.i == verb.i - 1 and not c.conjuncts
                    for c in verb.children))


def _denied(token) -> bool:
    """A verb or noun negated in its sentence ("not", "never"), unless "until" bounds the
    negation."""
    children = list(token.children)
    return any(c.dep_ == "neg" for c in children) and not any(
        t.lower_ == "until" for c in children for t in c.subtree)


def _owner_conflict(frame: QuestionFrame, focus_token, focus: float) -> bool:
    """The question says whose the asked noun is ("the captain *of the University
    team*") and the sentence's noun belongs to another name ("*Maroochydore* captain Sam
    Marshall")."""
    if not frame.owner or focus_token is None or focus < SYNONYM:
        return False
    owner = set(frame.owner) | set(frame.focus_mods)
    for child in focus_token.children:
        if child.dep_ in ("compound", "poss", "nmod") and child.pos_ == "PROPN" and not child.is_stop:
            letters = _LETTERS.sub("", child.lower_)
            if not {child.lower_, child.lemma_.lower()} & owner and not (
                    len(letters) >= 2 and letters == frame.owner_initials):  # "U.S." for the United States
                return True
    return False


# A title with one of these before it is another office than the title alone: the vice
# president is not the president, the deputy mayor not the mayor.
_SUBORDINATE = frozenset("vice deputy assistant under sub".split())
# "co-author" is one of several authors: not the lead one the question asks about.
_LEADING = frozenset("lead chief principal main senior head first".split())


def _subordinate_role(frame: QuestionFrame, focus_token, focus: float) -> bool:
    """The asked role is a lesser office in the sentence: "*Vice* President Mike Pence"
    for "Who is the president", "study *co*-author Ted Scambos" for "Who was the lead
    author"; or the reverse, the office itself for the lesser one asked about. The
    sentence's title is read off the words just before it, because the parse splits
    hyphenated prefixes ("co", "-", "author") unreliably."""
    if focus_token is None or focus < SYNONYM:
        return False
    doc = focus_token.doc
    before = [t.lower_ for t in doc[max(0, focus_token.i - 3):focus_token.i] if t.text not in ("-", "‐")]
    before = before[-2:]
    mods = set(frame.focus_mods)
    if any(word in _SUBORDINATE and word not in mods for word in before):
        return True
    if any(word in _SUBORDINATE and word not in before for word in mods):
        return True  # the reverse: "President Brenda Hale" for "Who was the deputy president"
    return bool(before) and before[-1] == "co" and bool(mods & _LEADING)


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
    # the nouns the number runs on to ("500 officers and firefighters"), not those before
    # it or with a count of their own ("150 security forces, 95 civilians, and hundreds of
    # Taliban")
    group = [counted, *[c for c in counted.conjuncts if c.pos_ == "NOUN" and c.i > counted.i
                        and not c.like_num and c.lemma_.lower() not in _COUNT_NOUNS
                        and not any(g.dep_ == "nummod" for g in c.children)]]
    if len(group) < 2 or focus_token not in group:
        return False
    asked = {w.rstrip("s") for w in frame.words}
    return any(noun.lemma_.lower().rstrip("s") not in asked and noun.lower_.rstrip("s") not in asked
               for noun in group if noun.i != focus_token.i)


def _qualified_conflict(frame: QuestionFrame, span) -> bool:
    """The candidate belongs to a noun the question qualifies ("the *Japanese* man")
    and the sentence qualifies it otherwise ("the 60-year-old *western* man")."""
    if not frame.qualified:
        return False
    near = [span.root.head, *[c for c in span.root.children if c.pos_ == "NOUN"]]
    if span.root.dep_ == "appos" or span.root.head.dep_ == "appos":
        near.append(span.root.head.head)
    for noun in near:
        if noun.pos_ != "NOUN" or span.start <= noun.i < span.end:
            continue
        for asked, mods in frame.qualified:
            if noun.lemma_.lower() != asked:
                continue
            said = [c for c in noun.children if c.dep_ in ("amod", "compound")
                    and not (span.start <= c.i < span.end)]
            words = {c.lower_ for c in said}
            if words & set(mods):
                continue
            if any(c.ent_type_ == "NORP" for c in said):  # "American" for "Japanese"; not "UK"
                return True
    return False


def _figure_conflict(frame: QuestionFrame, span, doc) -> bool:
    """The question gives a figure ("sentenced to *47 months*") and the sentence gives
    another for the same thing ("*73 months*"), not the asked one. The candidate's own
    figures are the answer, not a premise."""
    if not frame.figures:
        return False
    text = f" {normalize_text(doc.text)} "
    counted = {t.head.lemma_.lower() for t in span if counts(t)} | {span.root.head.lemma_.lower()}
    for value, noun in frame.figures:
        if noun in counted:
            continue  # the candidate counts it: "how many of the 33 passengers" -> "20 passengers"
        said = [t for t in doc if counts(t) and t.head.lemma_.lower() == noun
                and not (span.start <= t.i < span.end)]
        if said and f" {value} " not in text:
            return True
    return False


def _opposite_extreme(frame: QuestionFrame, doc) -> bool:
    """The question asks about one end of a scale ("the *youngest*") and the sentence
    speaks of the other ("the *oldest*, age 29") and not of the asked one. "First" and
    "last" oppose only on the same word (``BOUND_EXTREMES``)."""
    if not frame.extremes:
        return False
    words = {t.lower_ for t in doc}
    for word, head in frame.extremes:
        if word in words:
            continue
        opposite = [t for t in doc if t.lower_ in OPPOSITES[word]]
        if word in BOUND_EXTREMES:
            opposite = [t for t in opposite if derived(t.head.lemma_.lower(), head)]
        if opposite:
            return True
    return False


def _other_ordinal(frame: QuestionFrame, span) -> bool:
    """The question asks about one of a series ("his *first* wife") and the candidate is
    named as another member of it ("his *second* wife *Dierdre Coleman*"): the noun the
    candidate renames or modifies carries another ordinal. Only the candidate's own noun:
    "before he wed his second wife" elsewhere in the sentence says nothing of the first."""
    if not frame.ordinals:
        return False
    root = span.root
    noun = root.head if root.dep_ in ("appos", "compound", "nmod", "amod", "nummod") else root
    nouns = [noun]
    if noun.dep_ == "appos":
        nouns.append(noun.head)
    elif noun.dep_ == "attr":  # "his first victim was *40-year-old* Skandaraj Navaratnam"
        nouns += [c for c in noun.head.children if c.dep_ == "nsubj"]
    for noun in nouns:
        said = ordinals_on(noun)
        if said and any(noun.lemma_.lower() == asked and word not in said for word, asked in frame.ordinals):
            return True
    return False


# What ties a modifier to the noun it describes: "a *47-year-old* minister",
# "*Princeton University* neuroscience professor Sam Wang", "*two* sons".
_ATTRIBUTE_DEPS = frozenset({"amod", "compound", "nmod", "nummod"})


def _someone_elses(frame: QuestionFrame, span) -> bool:
    """The candidate describes another named person than the one the question is about:
    "How old is Richard Sulík?" -> "*47-year-old* Matovič's government office"; "the
    Trumps' *14-year-old* son Barron", for Donald Trump's age; "*Princeton University*
    neuroscience professor Sam Wang", for where John Conway taught. A modifier belongs to
    the noun it modifies; when that noun is a name, or a noun renamed by one ("son
    Barron"), and the name shares no word with the asked person's, it is someone else's.
    A noun without a name ("the 79-year-old radio host") or a title ("the 55-year-old
    Prime Minister") may be the asked person, and a candidate inside the name is the
    name ("John Radcliffe Hospital"). Only names the recogniser reads as a person's, with
    accents folded ("Sulik" is Sulík)."""
    if not frame.person or span.root.dep_ not in _ATTRIBUTE_DEPS:
        return False
    token = span.root
    while token.dep_ in _ATTRIBUTE_DEPS and token.head.i != token.i:
        token = token.head
    if token.pos_ == "PROPN":
        name = proper_phrase(token)
    else:
        name = next((proper_phrase(c) for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if name is None or name[-1].ent_type_ != "PERSON" or name.start <= span.root.i < name.end:
        return False  # a title ("the 55-year-old Prime Minister"), or the name itself
    return not {fold(t.lower_) for t in name} & {fold(w) for w in frame.person}


def _other_year(frame: QuestionFrame, span, similarity: WordSimilarity) -> bool:
    """The question puts its fact in a year ("did Hungary spend ... *in 2019*") and the
    verb governing the candidate, the same verb, is put in another ("spent an estimated
    1.15% of its GDP ... *in 2018*"). The year of anything else (a press release of "March
    14, 2019", another delivery "in 2018" beside this one "last year") says nothing of when
    the candidate's fact was."""
    verb = governing_verb(span.root)
    if verb is None:
        return False
    said = years_on(verb)
    return any(said and year not in said and similarity(predicate, verb.lemma_.lower()) >= SYNONYM
               for predicate, year in frame.years)


def _other_kind(frame: QuestionFrame, span, passage_text: str, similarity: WordSimilarity) -> bool:
    """The question says what kind of a thing its fact is about ("diagnosed with *throat*
    cancer") and the candidate's own verb, the asked one, takes another kind of it
    ("diagnosed with *tongue* cancer"), while the story (its passages in the evidence) names
    the asked kind apart ("his battle with *throat cancer*"): it tells the two apart. News varies the
    word before a noun freely ("plane crash", "air crash"; "bus", "coach"), so another
    word alone is no other kind; a story naming both is. The kind is a common noun before
    the asked one ("*school* bus"); a noun with no kind before it ("diagnosed with cancer")
    may be the asked one."""
    if not frame.kinds or not frame.predicates:
        return False
    verb = governing_verb(span.root)
    if verb is None or similarity(frame.predicates[0], verb.lemma_.lower()) < SYNONYM:
        return False
    doc = span.doc
    written = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
    passage = f" {normalize_text(passage_text)} "
    for noun in doc:
        if noun.pos_ != "NOUN" or span.start <= noun.i < span.end:
            continue
        if getattr(governing_verb(noun), "i", None) != verb.i:  # (spaCy makes a new Token each time)
            continue
        said = kind_words(noun)
        for asked, kinds in frame.kinds:
            if noun.lemma_.lower() != asked or not said or written & set(kinds):
                continue
            named_apart = any(f" {kind} {noun.lower_} " in passage or f" {kind} {asked} " in passage
                              for kind in kinds)
            if named_apart and not any(similarity(kind, other) >= SYNONYM for kind in kinds for other in said):
                return True
    return False


# What a result would take is not the result: "a total of at least 1,991 delegates are
# *needed*", "the 60 votes *required* to pass", "the bill *needs to get* 60 votes".
_REQUIRING_VERBS = frozenset("need require".split())
_ASKS_REQUIREMENT = frozenset(
    "need needed require required requirement necessary minimum threshold must enough target goal".split())
_HAVE_TO = re.compile(r"\b(ha(ve|s|d)|got) to\b", re.I)


def _requirement(frame: QuestionFrame, span) -> bool:
    """The candidate is what something would need: the subject of a passive "is needed"
    or "required", a noun that "needed" or "required" qualifies, or the object of the
    verb after "need to", unless the question asks about the requirement itself ("How
    many votes does a bill need", "have to"). The active verb alone says what someone
    got or used: "the boxer *needed* 14 stitches", "the surgery *required* 20 hours"; and
    "must" both obliges and concludes ("must pay a $1 million fine", "must have started
    at 2 a.m."), so neither counts."""
    if _ASKS_REQUIREMENT & (frame.words | set(frame.terms)) or _HAVE_TO.search(frame.question):
        return False
    token = span.root
    for _ in range(4):
        head = token.head
        if head.i == token.i:
            return False
        if head.pos_ in ("VERB", "AUX") and head.dep_ != "amod":
            lemma = head.lemma_.lower()
            if lemma in _REQUIRING_VERBS:
                return token.dep_ == "nsubjpass"
            # "needs *to get* 60 votes"
            return (token.dep_ == "dobj" and head.dep_ == "xcomp"
                    and head.head.lemma_.lower() in _REQUIRING_VERBS)
        if token.dep_ == "nummod" and any(c.dep_ in ("acl", "amod") and c.lemma_.lower() in _REQUIRING_VERBS
                                          for c in head.children):
            return True  # "the 1,991 delegates *needed* to win"
        token = head
    return False


def _title_of_another(frame: QuestionFrame, span) -> bool:
    """"Who coaches the Caloundra team that beat Wynnum?" is not answered by "*Wynnum*
    coach Matt Myers": the candidate's title is the asked verb's own noun (coach, leader,
    owner, founder), and the name before the title is another party the question names,
    not the one whose title is asked (the verb's object). A name the question does not
    give decides nothing: it may be the asked one's short form ("*SNP* leader", "*Barca*
    coach", "*Fed* chair")."""
    if not frame.object_names or frame.role == "patient":
        return False
    root = span.root
    titles = [c for c in root.children if c.dep_ in ("compound", "appos") and c.pos_ == "NOUN"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        titles.append(root.head)  # "the Wynnum coach, Matt Myers"
    for title in titles:
        if not derived(frame.predicates[0], title.lemma_.lower()):
            continue
        # (a name the tagger reads as an adjective, "*Wynnum*/ADJ coach", still is one)
        owners = [c.lower_ for c in title.children if c.dep_ in ("compound", "poss", "amod") and not c.is_stop
                  and (c.pos_ == "PROPN" or c.ent_type_ in ("ORG", "PERSON"))]
        if owners and all(o in frame.words and o not in frame.object_names for o in owners):
            return True
    return False


def _named_subject_differs(frame: QuestionFrame, span) -> bool:
    """The candidate's verb has a named subject that is not the asked one, even where the
    asked one is in the sentence in another part: "Sanders lost the caucuses ... to
    *Hillary Clinton*, *securing* about 34% of votes", for Clinton's share. A participle
    or a second verb with no subject of its own ("*securing*", "managed *to secure*")
    takes the subject of the verb it hangs on, when the asked one is a person (a leader
    wins seats for the party asked about: "Johnson led the Conservatives to a landslide,
    *winning* 365 seats"). For a question about what a source reported ("How many deaths
    had *the WHO* reported?") the verb is the nearest reporting verb above the candidate.
    No contradiction where the asked one takes part in the candidate's own verb ("Georgia
    flipped, *giving Biden* 49.5%"; "*giving him* 306 votes"), or where a subject's phrase
    shares a word with the asked name ("Clinton" for Hillary Clinton; "Former Vice
    President ... Joe Biden") or is its initials ("U.S."); a pronoun or a common noun ("the
    campaign") decides nothing."""
    if not frame.subject:
        return False
    own = governing_verb(span.root)
    if frame.reporting:  # whose word it is: "*Associated Press* reported there were ... 4,600 deaths"
        own = next((t for t in [span.root, *span.root.ancestors][:8]
                    if t.pos_ == "VERB" and t.lemma_.lower() in REPORTING_VERBS), None)
    asked = {fold(w) for w in frame.subject.split()}
    if own is None or not (frame.reporting or _share_a_name(asked, {fold(t.lower_) for t in span.doc})):
        return False  # (the asked one named nowhere in it: ``_subject_conflict``'s case)
    initials = "".join(w[0] for w in frame.subject.split())
    initials = initials if len(initials) >= 2 else None  # (one word has no initials)
    taking_part = [t for c in own.children if c.dep_ not in ("nsubj", "nsubjpass") for t in c.subtree
                   if not (span.start <= t.i < span.end)]
    if _share_a_name(asked, {fold(t.lower_) for t in taking_part}) or any(
            t.pos_ == "PRON" and t.dep_ in ("dative", "dobj") for t in taking_part):
        return False
    verb, subjects = own, []
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if (subjects or not frame.person or verb.dep_ not in ("advcl", "xcomp", "conj")
                or verb.head.pos_ not in ("VERB", "AUX")):
            break
        verb = verb.head
    subjects += [c for s in subjects for c in s.conjuncts]
    named = [s for s in subjects if s.pos_ == "PROPN" or s.ent_type_ in ("PERSON", "ORG", "GPE")]
    if not subjects or len(named) < len(subjects) or any(span.start <= s.i < span.end for s in subjects):
        return False  # (a name first in a sentence may be tagged a noun: "*Sanders*/NOUN lost")
    for subject in subjects:
        # the subject's whole phrase, its apposition too ("Former Vice President ... *Joe
        # Biden*"), not a clause on it ("Sanders, who beat Clinton,")
        clauses = {t.i for c in subject.subtree if c.dep_ in ("relcl", "acl") for t in c.subtree}
        words = {fold(t.lower_) for t in subject.subtree if t.i not in clauses}
        if _share_a_name(words, asked) or _LETTERS.sub("", proper_phrase(subject).text.lower()) == initials:
            return False
    return True


def _share_a_name(a: set[str], b: set[str]) -> bool:
    """Two sets of name words hold the same name: a word in both, or one that is the other
    with an ending ("Houthi" spokesperson, for the Houthis; "the Clintons"), not merely
    one beginning the other ("worldwide" is not the World Health Organization)."""
    return bool(a & b) or any(len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 2
                              for x in a for y in b for short, long in [sorted((x, y), key=len)])


def _argument_conflict(frame: QuestionFrame, span, tokens, similarity: WordSimilarity, title: str) -> bool:
    """The question names what its predicate was done with, in or to ("serve *with
    London's Metropolitan Police*") and the sentence's same predicate names something else
    ("served *in the Auckland police force*"), the asked name appearing nowhere else in the
    sentence. Names the headline gives are the story's and may be left out (as places are
    in ``_place_conflict``)."""
    if not frame.arguments or not frame.predicates:
        return False
    title_words = {w.lower() for w in re.findall(r"\w+", title)}
    asked = set(frame.arguments) - title_words
    if not asked or asked & {t.lower_ for t in tokens if t.pos_ == "PROPN"}:
        return False  # (as a name: "the Auckland police force" does not name the Metropolitan Police)
    score, verb = _best_match(frame.predicates[0], tokens, similarity)
    if verb is None or score < SYNONYM:
        return False
    said = set(named_objects(verb, skip=range(span.start, span.end)))  # the candidate is the answer
    return bool(said) and not said & set(frame.arguments)


def _located_elsewhere(frame: QuestionFrame, doc, title: str) -> bool:
    """The question places a thing ("wildfires *in Bolivia*") and the sentence places the
    same thing elsewhere ("85% more wildfires *in Brazil*"), the asked place named nowhere
    in the sentence or its headline. Only the very same word before "in": a place given
    anywhere else in the sentence ("in Brazil and Bolivia") or left to an earlier one is
    no contradiction (unlike ``_place_conflict``, a feature)."""
    if not frame.located:
        return False
    said = located_in(doc)
    if not said:
        return False
    text = f" {normalize_text(doc.text)} {normalize_text(title)} "
    for word, place in frame.located:
        if f" {place} " in text:
            continue
        if any(other_word == word and other != place for other_word, other in said):
            return True
    return False


def _placed_elsewhere(frame: QuestionFrame, span) -> bool:
    """The candidate's own verb or noun is put "in" a country or US state outside the one
    the question puts its fact in: "*In New Hampshire*, Sanders secured ... 25.7%", for
    the Nevada caucuses. Where a place lies is read from GeoNames (:mod:`.places`), which
    places only countries and US states. The question's place must be where the fact
    happened ("in" or "at" it, ``frame.venues``), not who did it ("the US drone strike"
    killed civilians in Kabul), and every one of them must be placed: a city or region
    decides nothing. No contradiction in a sentence that names an asked place anywhere,
    for a "where" question (the place is the answer), or in a place on another word
    ("returned *from Italy*")."""
    if not frame.venues or frame.qtype.wh == "where":
        return False
    asked = [place_of(name) for name in frame.venues]
    if None in asked:
        return False
    doc = span.doc
    text = f" {normalize_text(doc.text)} "
    if any(f" {normalize_text(name)} " in text for name in frame.places):
        return False
    # the candidate and the words up to its verb: "a *total* of 1,723 *cases* in Wuhan"
    anchors = [span.root]
    for token in span.root.ancestors:
        anchors.append(token)
        if token.pos_ in ("VERB", "AUX") or len(anchors) > 5:
            break
    for anchor in anchors:
        for prep in anchor.children:
            if prep.dep_ != "prep" or prep.lower_ != "in":
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj" or span.start <= obj.i < span.end:
                    continue
                ent = next((e for e in doc.ents if e.start <= obj.i < e.end and e.label_ in ("GPE", "LOC")), None)
                said = place_of(ent.text) if ent is not None else None
                if said is not None and not any(within(said, place) for place in asked):
                    return True
    return False


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
        pred = min((_best_match(p, tokens, similarity)[0] for p in frame.predicates), default=1.0)
        if frame.reporting:
            pred = max(pred, float(any(t.lemma_.lower() in REPORTING_VERBS for t in tokens)))
        focus = _best_match(frame.focus, tokens, similarity)[0] if frame.focus else 1.0
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
