"""Short answers: the name, date, place or number in the evidence that answers the question.

Candidates, from the top-scored sentences, minus anything the question already names:

* entities (spaCy en_core_web_sm) with a label the question type wants;
* names attached to the noun a which/what question asks for, which the recogniser often
  misses or mislabels: "the Kursk region", "the boat, Conception", "was 51 Pegasi b";
* patterns no recogniser labels: vote tallies ("230-to-197") and race times ("2:14:04").

Each candidate is scored by how good its sentence is (cross-encoder, relative to the best
sentence), how well its label fits, how close it sits to the question's content words
(the proximity cue of pre-neural QA systems), and whether the parse ties it to the
question: subject or object of the question's verb (any reporting verb when the question
asks who *said*/*claimed*), or a number counting the noun the question counts. A number
governed by a different verb loses points: "300 killed and 2,700 wounded" answers "how many
wounded" with 2,700. Mentions add up, and "Lee" counts towards "Lee Seong-kweun".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.answering.lexicon import REPORTING_VERBS
from assistant.answering.normalize import normalize_text
from assistant.answering.question import NAMED, QuestionType
from assistant.answering.reldates import resolve
from assistant.evidence import ScoredSentence

_APPROXIMATORS = frozenset(
    "over about around nearly almost approximately roughly some under below above "
    "more less fewer least than up to somewhat slightly just well".split()
)
_NUMERIC = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "TALLY", "TIME"})
# A length of time, whose bound is the answer too: "*somewhat over* a year", "*nearly* 40 years".
_DURATION = re.compile(r"^(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d[\d,.]*|"
                       r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?) "
                       r"(?:years?|months?|weeks?|days?|decades?|hours?)$", re.I)
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "agent", "dobj", "pobj", "attr"})
_MODIFIES = frozenset({"nummod", "quantmod", "compound", "appos", "poss", "attr", "amod"})
_PATTERNS = {
    "TALLY": re.compile(r"\b\d[\d,]*\s?(?:-|–|—|\bto\b)\s?(?:to\s?-?\s?)?\d[\d,]*\b"),
    "TIME": re.compile(
        r"\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b"
        r"|\b\d+ hours?(?:,? \d+ minutes?)?(?:,? (?:and )?\d+(?:\.\d+)? seconds?)?"
    ),
}
_STRIP = " \t\n,;:.!?\"'“”‘’()[]"
# Currencies named in words or signs ("six billion euros", "US$5 million").
_CURRENCY = r"[$€£¥₹]|\b(?:dollars?|euros?|yuan|rupees?|yen|rubles?|roubles?|francs?|pesos?|pounds sterling"
_NAMES_CURRENCY = re.compile(_CURRENCY + r")\b", re.I)
_NAMES_CURRENCY_OR_POUNDS = re.compile(_CURRENCY + r"|pounds?)\b", re.I)


def names_currency(text: str, *, pounds: bool = False) -> bool:
    """Does ``text`` name a currency? "Pounds" alone counts only with ``pounds``: as often
    a weight ("weighed 82 pounds"), it is no evidence that a figure is money, but it is
    reason enough not to call a figure a head count."""
    return bool((_NAMES_CURRENCY_OR_POUNDS if pounds else _NAMES_CURRENCY).search(text))


# A count and nothing else: up to three digits or number words, perhaps approximated.
_BARE_COUNT = re.compile(rf"(?:(?:{'|'.join(sorted(_APPROXIMATORS))}) )*\d{{1,3}}")
NOUN_BOUND = 1.0
OPTION = "OPTION"  # label of a multiple-choice option found in the evidence
_SENTENCE_TEMPERATURE = 2.0  # a sentence 2 logits below the best counts e^-1 as much


@dataclass(slots=True)
class Mention:
    """One occurrence of a candidate: its span in the parsed sentence and how well the
    sentence and the parse tie it to the question (``score``, the retrieval-era heuristic,
    kept as one feature among the checks)."""

    span: object  # spaCy Span
    label: str
    sentence: ScoredSentence
    score: float


@dataclass
class Candidate:
    text: str
    label: str
    score: float = 0.0
    mentions: list[Mention] = field(default_factory=list)

    @property
    def best(self) -> Mention:
        return max(self.mentions, key=lambda m: m.score)

    @property
    def best_sentence(self) -> ScoredSentence:
        return self.best.sentence


def collect_candidates(
    qdoc, docs: Sequence[object], qtype: QuestionType, sentences: Sequence[ScoredSentence],
    extra: Sequence[str] = (),
) -> list[Candidate]:
    """Every candidate in ``sentences`` (parsed as ``docs``), best heuristic score first.
    ``extra`` strings (multiple-choice options) become candidates wherever they occur."""
    if not sentences or not (qtype.wants_entity or extra):
        return []
    asked = qdoc.text.lower()
    content = {t.lemma_.lower() for t in qdoc if _is_content(t)}
    verbs = {t.lemma_.lower() for t in qdoc if t.pos_ == "VERB" and not t.is_stop}
    if verbs & REPORTING_VERBS:
        verbs |= REPORTING_VERBS
    top = sentences[0].score
    candidates: dict[str, Candidate] = {}
    for sentence, doc in zip(sentences, docs):
        weight = math.exp((sentence.score - top) / _SENTENCE_TEMPERATURE)
        spans = list(_candidate_spans(doc, qtype)) if qtype.wants_entity else []
        spans += list(_option_spans(doc, extra))
        for span, label in spans:
            text = span.text.strip(_STRIP)
            if not text or (label != OPTION and (text.lower() in asked or _all_words_asked(span, asked))):
                continue
            if label in ("DATE", "TIME") and qtype.wh in ("when", "which"):
                # "on Monday" in a story of Friday 4 January 2019 answers "when" with
                # Monday 31 December 2018; the quote keeps the article's words. The
                # recogniser calls some relative days times ("early yesterday morning").
                text = resolve(text, sentence.passage.published_at) or text
            cue = _proximity(span, content) + _link(span, content, verbs, qtype)
            if label == NAMED:
                cue += NOUN_BOUND  # it names the very thing asked for ("which region")
            score = weight * qtype.weight(label) * max(0.1, 0.5 + cue)
            cand = candidates.setdefault(text.lower(), Candidate(text, label))
            cand.score += score
            cand.mentions.append(Mention(span, label, sentence, score))
    merged = _merge_short_mentions(candidates).values()
    return sorted(merged, key=lambda c: -c.score)


def pick_short_answer(
    nlp, question: str, qtype: QuestionType, sentences: Sequence[ScoredSentence]
) -> Candidate | None:
    """The best-supported candidate by the heuristic alone, or None."""
    if not qtype.wants_entity or not sentences:
        return None
    qdoc, *docs = nlp.pipe([question] + [s.text for s in sentences])
    found = collect_candidates(qdoc, docs, qtype, sentences)
    return found[0] if found else None


def _option_spans(doc, options: Sequence[str]) -> Iterator[tuple[object, str]]:
    """Where a multiple-choice option occurs in the sentence (case-insensitive, whole
    words)."""
    for option in options:
        needle = option.strip(_STRIP)
        if len(needle) < 2:
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", doc.text, re.I):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None:
                yield span, OPTION


def _candidate_spans(doc, qtype: QuestionType) -> Iterator[tuple[object, str]]:
    """Names bound to the asked noun first ("the boat, *Conception*" is a NAMED answer even
    though the recogniser also calls it an ORG), then entities of the wanted labels, then
    the patterns no recogniser labels."""
    seen: set[tuple[int, int]] = set()
    labels = qtype.candidate_labels
    if qtype.noun:
        for span in _named_by_noun(doc, qtype.noun, person=qtype.labels == ("PERSON",)):
            if (span.start, span.end) not in seen:
                seen.add((span.start, span.end))
                yield span, NAMED
    for ent in doc.ents:
        label = entity_label(ent, labels)
        if label in labels:
            span = _widen_number(ent) if label in _NUMERIC or _DURATION.search(ent.text) else _widen_group(ent)
            if (span.start, span.end) in seen:
                continue
            seen.add((span.start, span.end))
            yield span, label
    for label, pattern in _PATTERNS.items():
        if label not in labels:
            continue
        for match in pattern.finditer(doc.text):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None and (span.start, span.end) not in seen:
                seen.add((span.start, span.end))
                yield span, label


def bound_number(span, labels: Sequence[str]) -> bool:
    """A name bound to the asked noun that is a number or date of a wanted kind ("The
    estimated *cost* is *six billion euros*"), not a name. The recogniser may leave the
    currency out of the amount ("*2.5 billion* euros"): the phrase is money all the same."""
    for e in span.doc.ents:
        if e.start != span.start:
            continue
        if e.end == span.end:
            label = entity_label(e, labels)
        elif e.end == span.end - 1 and e.label_ in ("QUANTITY", "CARDINAL") and names_currency(span[-1].text):
            label = "MONEY"
        else:
            continue
        if label in labels and label in (*_NUMERIC, "DATE"):
            return True
    return False


def entity_label(ent, labels: Sequence[str]) -> str:
    """The recogniser's label, with two of its slips that cost answers mended: an amount
    in a named currency called a quantity or a count ("The estimated cost is *six billion
    euros*") is money, and a bare count called a date ("sequences from *fourteen*",
    "Gutierrez, *79*, died", "*1846* persons") is a count, not a date: no year, month, day
    or unit in it.
    Except where the question (``labels``, its answer types, best first) wants a date
    before a count: the recogniser calls ages dates ("Amman, *20*, was"), and "how old"
    reads them so."""
    label = ent.label_
    if label in ("QUANTITY", "CARDINAL") and names_currency(ent.text):
        return "MONEY"
    if label == "DATE" and ("CARDINAL" not in labels or "DATE" not in labels
                            or labels.index("CARDINAL") < labels.index("DATE")) and (
            _BARE_COUNT.fullmatch(normalize_text(ent.text)) or ("CARDINAL" in labels and _counts_people_or_things(ent))):
        return "CARDINAL"
    return label


def _counts_people_or_things(ent) -> bool:
    """A four-digit number the recogniser calls a date that counts the plural noun right
    after it: "*1846* persons were hospitalized" (not after an article, a preposition or a
    possessive: "the 1990 elections", "in 2019 elections", "Pakistan's 2022 floods" are
    years; and only where the question wants a count, see ``entity_label``)."""
    if len(ent) != 1:
        return False
    token = ent[0]
    before = token.doc[token.i - 1] if token.i > 0 else None
    return (token.like_num and token.dep_ == "nummod" and token.head.i == token.i + 1
            and token.head.tag_ == "NNS" and (before is None or before.pos_ not in ("DET", "ADP", "PART")))


def _named_by_noun(doc, noun: str, person: bool = False) -> Iterator[object]:
    """Proper-noun phrases tied to the asked-for noun: its compound modifier ("the Kursk
    region"), its apposition ("the boat, Conception") or what it is said to be ("the planet
    ... was 51 Pegasi b"). For a noun that names people by their office (``person``: judge,
    coach, president), the name before it is where the office is held ("*District Court*
    judge", "*Caloundra* coach"), not who holds it: the holder is the person the title is
    compounded to ("Judge *Victor Marrero*")."""
    stem = noun.rstrip("s")
    for token in doc:
        if not token.lemma_.lower().startswith(stem[: max(4, len(stem) - 2)]):
            continue
        for child in token.children:
            if child.pos_ == "PROPN" and (child.dep_ == "appos" or (child.dep_ == "compound" and not person)):
                yield proper_phrase(child)
        if person and token.dep_ == "compound" and token.head.pos_ == "PROPN":
            holder = next((e for e in doc.ents if e.label_ == "PERSON" and e.start <= token.head.i < e.end), None)
            if holder is not None:
                yield holder
        if token.dep_ == "nsubj" and token.head.lemma_ == "be":
            for attr in token.head.children:
                if attr.dep_ == "attr":
                    yield doc[attr.left_edge.i : attr.i + 1]


def proper_phrase(token):
    """The proper-noun phrase ``token`` heads or ends: the names compounded before it and
    the proper nouns after it that hang on it ("US President *Donald Trump*")."""
    doc = token.doc
    start = end = token.i
    while start > 0 and doc[start - 1].pos_ in ("PROPN", "NUM") and doc[start - 1].dep_ == "compound":
        start -= 1
    while end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN" and doc[end + 1].head.i == token.i:
        end += 1
    return doc[start : end + 1]


def _is_content(token) -> bool:
    return token.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and not token.is_stop


def _all_words_asked(span, asked: str) -> bool:
    """Whether the candidate only repeats the question: all its content words, numbers
    included, are in it ("812 tonnes" answers "how many tonnes"; "the 452 seats" repeats
    "how many of the 452 seats")."""
    words = [t.lower_ for t in span if (t.is_alpha and not t.is_stop) or t.like_num]
    return bool(words) and all(re.search(rf"\b{re.escape(w)}\b", asked) for w in words)


# Nouns that complete a group's name: "the Yemen-based *Houthi movement*" (the recogniser
# takes "Houthi" alone).
_GROUP_NOUNS = frozenset("movement group militia party rebels organisation organization network front "
                         "brigade brigades army faction alliance coalition".split())


def _widen_group(ent):
    """'Houthi' -> 'Houthi movement': a name compounded to a noun that names a group is
    that group's name."""
    doc, end = ent.doc, ent.end
    if ent.label_ not in ("ORG", "NORP"):
        return ent
    if ent.start > 0 and doc[ent.start - 1].pos_ == "PROPN":
        return ent  # part of a longer name: "Islamic *State*" is not "State group"
    if end < len(doc) and ent.root.dep_ == "compound" and ent.root.head.i == end and doc[end].lower_ in _GROUP_NOUNS:
        return doc[ent.start : end + 1]
    return ent


def _widen_number(ent):
    """'400' -> 'over 400', '126,000' -> 'at least 126,000': the qualifier is the answer too."""
    doc, start = ent.doc, ent.start
    while start > 0 and doc[start - 1].lower_ in _APPROXIMATORS and ent.start - start < 3:
        start -= 1
    return doc[start : ent.end]


def _proximity(span, content: set[str]) -> float:
    """1 / (1 + token distance) to the nearest question content word outside the span."""
    best = 0.0
    for token in span.doc:
        if span.start <= token.i < span.end or token.lemma_.lower() not in content:
            continue
        distance = span.start - token.i if token.i < span.start else token.i - span.end + 1
        best = max(best, 1.0 / (1 + distance))
    return best


def _link(span, content: set[str], verbs: set[str], qtype: QuestionType) -> float:
    """Points for a syntactic tie between the candidate and the question."""
    root = span.root
    points = 0.0
    if root.dep_ in _MODIFIES and root.head.lemma_.lower() in content:
        points += 1.0
    verb = governing_verb(root)
    if verb is not None and verbs:
        if verb.lemma_.lower() in verbs:
            points += 1.5 if root.dep_ in _SUBJECTS or root.head is verb else 1.0
        elif qtype.wh == "how many" and verb.lemma_.lower() not in content:
            points -= 0.5  # a count of something else happening ("300 killed" vs "wounded")
    return points


def governing_verb(token):
    """The verb a token hangs from, up to four steps up the parse (None at the root)."""
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "amod":
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _merge_short_mentions(candidates: dict[str, Candidate]) -> dict[str, Candidate]:
    """Fold 'Lee' into 'Lee Seong-kweun' when every word of the short one is in the long one."""
    merged: dict[str, Candidate] = {}
    for key in sorted(candidates, key=len, reverse=True):
        words = set(key.split())
        home = next(
            (m for m in merged if words < set(m.split()) and candidates[key].label == merged[m].label),
            None,
        )
        if home is None:
            merged[key] = candidates[key]
        else:
            merged[home].score += candidates[key].score
            merged[home].mentions.extend(candidates[key].mentions)
    return merged
