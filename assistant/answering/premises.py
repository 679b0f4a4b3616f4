"""What the question takes as given (a figure, a year, an ordinal, a kind, the result
itself), against what the candidate's sentence says: a threshold for the result, a change
or a margin for a count, another year or member of a series. Each function is one veto of
:func:`.checks.check_mention`, with its reason in its docstring."""

from __future__ import annotations

import re

from assistant.answering.entities import Mention, governing_verb
from assistant.answering.frame import (BOUND_EXTREMES, OPPOSITES, QuestionFrame, again, counts, kind_words,
                                       IN_MONTH, YEAR, ordinals_of_act, ordinals_on, years_on)
from assistant.answering.lexicon import REPORTING_VERBS, SYNONYM, WordSimilarity, best_match, derived
from assistant.answering.normalize import normalize_text

NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "TALLY", "TIME"})
# A figure is a change rather than a level when it is what a change verb moved ("gained 66
# seats", "netted 66", "rose by 5%") or what a change noun measures ("an increase of 66");
# "rose to 20" is a level. Small models swap the two ("won 66 seats" from "netted an
# additional 66 seats"), and the number alone matches. Modifiers are not read as changes:
# "seven more were injured" names other people, not a change of a count.
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


def figure_conflict(frame: QuestionFrame, span, doc) -> bool:
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


def opposite_extreme(frame: QuestionFrame, doc) -> bool:
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


def other_ordinal(frame: QuestionFrame, span) -> bool:
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


def other_time_of_act(frame: QuestionFrame, span, similarity: WordSimilarity) -> bool:
    """The question asks about one time of a repeated act ("elected to his *third*
    term") and the candidate's verb, the same act, is said to be another time of it ("after
    *first* being elected in 2005"): the year of the first election is not the year of the
    third. Only the candidate's own verb and its objects count, and only where the asked
    time is named nowhere under that verb ("won a second term in 2009 and a *fourth* in
    2017": the parse gives 2017 to the second). A verb of doing it again counts its times
    otherwise: "*re-elected* for a second time" is the third term, "re-elected to a second
    term" the second."""
    asked = frame.act
    if not frame.act_ordinals or not asked:
        return False
    verb = governing_verb(span.root)
    if (verb is None or similarity(asked, verb.lemma_.lower()) < SYNONYM
            or set(frame.act_ordinals) & {t.lower_ for t in verb.subtree}):
        return False
    return bool(ordinals_of_act(verb, times=not again(verb)))  # (none of them the asked one: see above)


def other_year(frame: QuestionFrame, span, similarity: WordSimilarity) -> bool:
    """The question puts its fact in a year ("did Hungary spend ... *in 2019*") and the
    verb governing the candidate, the same verb, is put in another ("spent an estimated
    1.15% of its GDP ... *in 2018*"). The year of anything else (a press release of "March
    14, 2019", another delivery "in 2018" beside this one "last year") says nothing of when
    the candidate's fact was."""
    verb = governing_verb(span.root)
    if verb is None:
        return False
    said = years_on(verb)
    if any(said and year not in said and similarity(predicate, verb.lemma_.lower()) >= SYNONYM
           for predicate, year in frame.years):
        return True
    # a year that is the clause's subject: "*2018* saw 11,187 recorded accidents", for 2017's
    # (the asked year nowhere in the sentence)
    # (a date, not a bare count "1500 died"; and the verb's own object: not "down *from*
    # 11,187 the previous year")
    counted = span.root if span.root.dep_ != "nummod" else span.root.head
    if (frame.years and counted.dep_ == "dobj" and counted.head.i == verb.i
            and any(c.dep_ == "nsubj" and c.ent_type_ == "DATE" and YEAR.fullmatch(c.text) for c in verb.children)
            and not any(year in span.doc.text for _, year in frame.years)):
        return True
    # The year may sit on the clause the candidate's verb completes: "*In 2013*, he became
    # the first Pacific Islander to be awarded the ... Award", for the award he received
    # in 2014. Without the same verb, only where the asked year is nowhere in the sentence.
    if not frame.years or any(year in span.doc.text for _, year in frame.years):
        return False
    for _ in range(3):
        # (not up to a reporting verb: "He *said in 2013* that he hoped to be awarded")
        if (verb.dep_ not in ("xcomp", "advcl", "relcl") or verb.head.pos_ not in ("VERB", "AUX")
                or verb.head.lemma_.lower() in REPORTING_VERBS):
            return False
        verb = verb.head
        if years_on(verb):
            return True
    return False


_YEAR_SPAN = re.compile(r"\b(?:from|between)\s+((?:1[89]|20)\d\d)\s+(?:to|and|through|until)\s+((?:1[89]|20)\d\d)\b"
                        r"|\b((?:1[89]|20)\d\d)\s*[-–]\s*((?:1[89]|20)\d\d)\b", re.I)


def over_years(frame: QuestionFrame, span) -> bool:
    """The question asks for a figure of one year ("How many skins were seized *in 2019
    alone*?") and the candidate's clause gives one over a span of years that holds it
    ("authorities seized 126 skins ... *from 2013 to 2019*"): a total of several years
    is not the figure of one of them. Not where the clause also puts it in the asked year
    ("accepted 890,000 refugees in 2015", beside "chancellor from 2005 to 2021"), nor
    where the question asks for a span itself ("in 2019-2020") or a decade. A total since
    an earlier year, or over a career, is no one year's either."""
    years = [int(year) for _, year in frame.years if year.isdigit()]
    if not years or _YEAR_SPAN.search(frame.question):
        return False
    clause = _clause(span)
    for match in _YEAR_SPAN.finditer(clause):
        first, last = (int(y) for y in (match.group(1, 2) if match.group(1) else match.group(3, 4)))
        rest = clause[: match.start()] + clause[match.end() :]
        if any(first <= year <= last and first < last and not re.search(rf"\b{year}\b", rest) for year in years):
            return True
    if frame.qtype.wh != "how many" or any(re.search(rf"\b{year}\b", clause) for year in years):
        return False
    # a count since an earlier year on the candidate's own verb ("14,000 lives *saved* ...
    # *since commencing work in 2016*", for 2018; not "the lowest number since 2013", nor
    # a clause on another word: "The museum, which has welcomed 50 million visitors since
    # 1993, drew 9.6 million"), or a career's total ("a *career total* $5,479,761")
    verbs = [v for v in [governing_verb(span.root)] if v is not None]
    if span.root.dep_ == "nummod":  # the verb on the counted noun: "14,000 lives *saved*"
        verbs += [c for c in span.root.head.children if c.dep_ == "acl" and c.pos_ == "VERB"]
    since = [int(t.text) for verb in verbs for prep in verb.children if prep.lower_ == "since"
             for t in prep.subtree if YEAR.fullmatch(t.text)]
    return any(first < year for first in since for year in years) or bool(_WHOLE_CAREER.search(clause))


_WHOLE_CAREER = re.compile(r"\b(career|lifetime|all-time) (total|earnings|tally)\b", re.I)


def other_month(frame: QuestionFrame, mention: Mention) -> bool:
    """The question puts its fact in one month ("How many deaths did the service record
    *in April* 2020?") and the candidate's clause in another ("there were 170 suspected
    deaths *in May* alone"), the asked month nowhere in the sentence: a figure of another
    month, as ``other_year`` for years. Only for a count (a name or a date is not the
    month's: "his term was to end *in August*" says nothing against his successor), and not
    for a question naming two months (a span: ``frame.month`` is None)."""
    month = frame.month
    if month is None or frame.qtype.wh != "how many" or mention.label not in NUMBER_LABELS:
        return False
    if re.search(rf"\b{month}\b", mention.span.doc.text):
        return False
    return any(said != month for said in IN_MONTH.findall(_clause(mention.span)))


def _clause(span) -> str:
    """The text of the clause the candidate's verb heads (the sentence without one)."""
    verb = governing_verb(span.root)
    return span.doc[verb.left_edge.i : verb.right_edge.i + 1].text if verb is not None else span.sent.text


# Quantifiers that take a part of a whole: "*any* of the fourteen contests" ("all", "each"
# and "both" of them take the whole: "all of the 33 miners were rescued").
_PARTITIVE = frozenset("any none some most many few several half one".split())
# Places and bodies that hold a whole (seats, delegates, votes) shared among others.
_HOLDERS = frozenset("state country nation city province territory region district party chamber "
                     "parliament house senate assembly council legislature".split())
_ASKS_TOTAL = re.compile(r"\b(total|in all|altogether|overall|out of)\b", re.I)


def whole_for_part(frame: QuestionFrame, span, similarity: WordSimilarity) -> bool:
    """The count is the whole a part is taken from, or what a state holds in all:
    "securing 12 *of the state's 41* pledged delegates", "the division of *the state's
    41*", "failing to win any *of the fourteen* contests", "*Of the six*
    delegates, Sanders secured four". The asked act
    ("How many did Buttigieg *win*?") took the part. Not for a question about the whole
    ("how many delegates in total"; "how many does the state have" has no predicate), nor
    where the asked act is said of the whole itself ("one of the 157 people *who died*",
    for how many died)."""
    if frame.qtype.wh != "how many" or not frame.predicates or _ASKS_TOTAL.search(frame.question):
        return False
    root = span.root
    noun = root.head if root.dep_ == "nummod" else None
    if noun is None or noun.dep_ != "pobj" or noun.head.lower_ != "of":
        return False
    if noun.head.head.pos_ == "NOUN" and any(c.dep_ == "poss" and c.lemma_.lower() in _HOLDERS
                                            for c in noun.children):
        # what a place or body holds in all, being shared out: "the division of the
        # *state's* 41 pledged delegates", for how many a candidate won (not "won the
        # state's 38 electoral votes", the whole taken by one)
        return True
    if any(c.dep_ in ("relcl", "acl", "amod") and any(derived(p, c.lemma_.lower()) for p in frame.predicates)
           for c in noun.children):
        return False
    part = noun.head.head
    if part.pos_ in ("VERB", "AUX") and noun.head.i < part.i:
        # the whole put first: "*Of the territory's six delegates*, Sanders secured four",
        # where the verb taking the part is the asked act (not "Of the 20 dead, three
        # were children", for how many were killed)
        return similarity(frame.predicates[0], part.lemma_.lower()) >= SYNONYM and any(
            c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.like_num for c in part.children)
    return part.like_num or part.lower_ in _PARTITIVE


# Acts done by announcing them: the day they were announced is the day they were done.
_DONE_BY_SAYING = frozenset("appoint name nominate pardon dismiss fire sack ground ban agree accept approve win award "
                            "grant cut raise resign sign vote declare suspend lift choose select".split())


def date_of_the_report(frame: QuestionFrame, span, similarity: WordSimilarity) -> bool:
    """The question asks when something happened ("On what date was Hamza bin Laden
    *killed*?") and the candidate dates the report of it instead: "*On Saturday*, ...
    Trump *said* Hamza bin Laden ... has been killed". The date hangs on a reporting verb
    whose reported clause holds the asked act; news reports an event days or months
    after it, so the day it was said is not the day it happened. A question about the
    report itself ("When did Trump announce ...?") asks for that day.

    Not where the announcing makes the act: one's own act ("the Fed announced *it* was
    cutting rates", "announced *his* resignation": a pronoun or the announcer's own name
    does it), or an act done by saying so (appointing, pardoning, awarding, agreeing: see
    ``_DONE_BY_SAYING``), unless it is announced as a plan ("would lift the lockdown from
    1 June")."""
    asked = frame.act
    if not asked or not (frame.qtype.wh == "when" or frame.qtype.labels == ("DATE",)):
        return False
    verb = governing_verb(span.root)
    if (verb is None or verb.lemma_.lower() not in REPORTING_VERBS or asked in REPORTING_VERBS
            or similarity(asked, verb.lemma_.lower()) >= SYNONYM):
        return False
    reported = [t for c in verb.children if c.dep_ in ("ccomp", "xcomp", "parataxis") for t in c.subtree]
    score, act = best_match(asked, reported, similarity)
    if score < SYNONYM or act.pos_ != "VERB":
        return False
    if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll") for c in act.children):
        return True  # a plan ("it would lift the lockdown from 1 June"): announced, not done
    if act.lemma_.lower() in _DONE_BY_SAYING or asked in _DONE_BY_SAYING:
        return False
    announcer = {t.lower_ for c in verb.children if c.dep_ == "nsubj" for t in c.subtree if not t.is_stop}
    doers = [c for c in act.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(doers) and not any(
        d.pos_ == "PRON" or {t.lower_ for t in d.subtree if not t.is_stop} & announcer for d in doers)


def other_kind(frame: QuestionFrame, span, passage_text: str, similarity: WordSimilarity) -> bool:
    """The question says what kind of a thing its fact is about ("diagnosed with *throat*
    cancer") and the candidate's own verb, the asked one, takes another kind of it
    ("diagnosed with *tongue* cancer"), while the story (its passages in the evidence) names
    the asked kind apart ("his battle with *throat cancer*"): it tells the two apart. News varies the
    word before a noun freely ("plane crash", "air crash"; "bus", "coach"), so another
    word alone is no other kind; a story naming both is. The kind is a common noun before
    the asked one ("*school* bus"); a noun with no kind before it ("diagnosed with cancer")
    may be the asked one. With a light verb ("receive her *law* degree"), and for an
    adjective as the kind, only a clause coordinated with the candidate's, naming the asked
    kind, tells the two apart."""
    if not frame.kinds:
        return False
    verb = governing_verb(span.root)
    if verb is None:
        return False
    lemma = verb.lemma_.lower()
    # the asked act, or a light verb the question uses too ("receive her *law* degree")
    light = not frame.predicates
    if not (lemma in frame.words if light else similarity(frame.predicates[0], lemma) >= SYNONYM):
        return False
    doc = span.doc
    # each word's verb, once (spaCy makes a new Token each time: verbs are compared by index)
    verb_of = {t.i: getattr(governing_verb(t), "i", None) for t in doc}
    # A clause coordinated with the candidate's may set the asked kind apart: "received her
    # *undergraduate* degree from Florida State, and then graduated ... with a *law* degree".
    paired = {c.i for c in verb.children if c.dep_ == "conj"} | ({verb.head.i} if verb.dep_ == "conj" else set())
    beside = [t for t in doc if verb_of[t.i] in paired]
    apart = {(t.lemma_.lower(), kind) for t in beside for kind in kind_words(t)}
    aside = {t.i for t in beside}
    written = {w for t in doc if t.i not in aside for w in (t.lower_, t.lemma_.lower())}
    passage = f" {normalize_text(passage_text)} "
    for noun in doc:
        if noun.pos_ != "NOUN" or span.start <= noun.i < span.end or verb_of[noun.i] != verb.i:
            continue
        for asked, kinds in frame.kinds:
            if noun.lemma_.lower() != asked or written & set(kinds):
                continue
            set_apart = any((asked, kind) in apart for kind in kinds)
            said = kind_words(noun)
            if set_apart and not said:
                # an adjective says which kind only where the sentence sets the asked kind
                # beside it; alone it may only describe ("an *aggressive* cancer")
                said = tuple(c.lemma_.lower() for c in noun.children if c.dep_ == "amod" and c.pos_ == "ADJ"
                             and not c.is_stop)
            if not said or (light and not set_apart):  # ("had *bypass* surgery", for heart surgery)
                continue
            named_apart = set_apart or any(f" {kind} {noun.lower_} " in passage or f" {kind} {asked} " in passage
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


def requirement(frame: QuestionFrame, span) -> bool:
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


def change_for_total(frame: QuestionFrame, mention: Mention) -> bool:
    """A figure stated as a change (``is_change``) for a "how many" question that asks for
    no change ("How many seats did the party win?" against "gained an additional 66"); the
    question asks for one when it says "more", "additional", or a verb or noun of change."""
    if frame.qtype.wh != "how many" or mention.label not in NUMBER_LABELS:
        return False
    asked = set(frame.terms) | frame.words
    if asked & (_CHANGE_WORDS | _CHANGE_VERBS | _CHANGE_NOUNS):
        return False  # the change is what is asked ("how many more", "how many did it lose")
    return any(is_change(t) for t in mention.span if t.like_num)


# A figure followed by these is a difference between two things ("six minutes *ahead of*
# her competition", "two seconds *faster than*"), not either of them.
_MARGIN_WORDS = frozenset("ahead behind faster slower earlier later quicker".split())
_COMPARED = frozenset("fewer more less".split())
_ASKS_MARGIN = _MARGIN_WORDS | {"margin", "difference", "gap"}  # or "by how much"


def margin(frame: QuestionFrame, mention: Mention) -> bool:
    """A figure given as a margin ("completing the race *more than six minutes ahead* of
    her competition") for a question that asks for the thing itself ("What was her
    finishing time?"), not for a margin ("by how much", "how far ahead")."""
    if (mention.label not in NUMBER_LABELS or frame.words & (_ASKS_MARGIN | _COMPARED)
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


# What only could, might or was planned to happen: "the trial *could* commence on Tuesday",
# "the vote *is expected to* take place on Friday".
_HEDGES = frozenset("could might may".split())
_PLANS = frozenset("plan expect schedule intend aim hope propose".split())
_ASKS_WHAT_DID = re.compile(r"\b(did|was|were)\b", re.I)
_ASKS_WHAT_WOULD = re.compile(r"\b(will|would|could|might|may|plan|planned|expected|scheduled|due|supposed|"
                              r"set to|intended|proposed)\b", re.I)


def hedged(frame: QuestionFrame, span) -> bool:
    """The question asks when something did happen ("On what date *did* the trial
    begin?") and the candidate's verb says only when it could, or was planned to
    ("McConnell has indicated the trial *could possibly commence* on Tuesday, January
    21"; "is *expected to* begin on Monday"): a plan is not what happened. Only for a
    date asked in the past, and not where the question asks for the plan itself; a guess
    about the past ("may have started on Sunday") and a reported "would" are let be."""
    if frame.qtype.wh != "when" and (frame.qtype.labels or ("",))[0] not in ("DATE", "TIME"):
        return False
    if not _ASKS_WHAT_DID.search(frame.question) or _ASKS_WHAT_WOULD.search(frame.question):
        return False
    verb = governing_verb(span.root)
    if verb is None:
        return False
    auxiliaries = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a in _HEDGES for a in auxiliaries):
        # (a guess about the past is no plan: "may *have* started at around 2 a.m.")
        return "have" not in auxiliaries
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _PLANS
