"""Who said what: attributed statements of an article, with their speakers resolved.

Read off spaCy's parse of the whole article (en_core_web_sm; token offsets are body
offsets), sentence by sentence:

* a **reporting verb** (said, told, claimed, warned ...) with a subject is a statement by
  that subject. Its content is the words in quotation marks in the sentence (direct speech)
  or else the verb's complement clause ("Lee said *that about 300 soldiers died*";
  "*The soldiers were ordered to ...*, Lee said"); "..., adding that X" is a second
  statement of the same speaker;
* "**according to** X, ..." is a statement by X of the rest of the sentence;
* the speaker **cites** a source when the verb has "citing X" beside it.

A speaker written as a pronoun ("he said") is the previous statement's speaker (else the
latest person named); a surname ("Lee said") is the fullest name in the article ending
with it ("Lee Seong-kweun"); a description ("a South Korean lawmaker", "the lawmaker") is
the person the article gives that role ("lawmaker Lee Seong-kweun"), before or after.
Roles come from the article's own words: the title before a name ("Ukrainian President
Volodymyr Zelensky") or an apposition ("Lee Seong-kweun, a South Korean lawmaker, ...").
Anything unresolved stays as written: "police", "the ministry".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace

from assistant.answering import lexicon
from assistant.answering.normalize import normalize_answer

# The lexicon's verbs of saying, and those that report only with a clause or a quotation
# ("ruled that ...", "continued: '...'"), so that "called for calm" or "accused him of"
# state nothing here.
REPORTING_VERBS = lexicon.REPORTING_VERBS | frozenset({
    "deny", "urge", "argue", "vow", "promise", "reply", "respond", "concede", "maintain",
    "contend", "indicate", "emphasise", "emphasize", "stress", "caution", "predict",
    "continue", "rule", "accuse", "blame", "call", "characterize", "characterise",
})
PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we"})
TITLES = frozenset({
    "president", "prime", "minister", "secretary", "speaker", "chancellor", "king", "queen",
    "pope", "senator", "sen", "rep", "representative", "governor", "mayor", "general", "gen",
    "dr", "mr", "mrs", "ms", "sir", "lord", "lady", "judge", "justice", "chief", "leader",
    "ambassador", "commissioner", "director", "chairman", "chairwoman", "chair", "premier",
    "sheikh", "prince", "princess", "cardinal", "bishop", "archbishop", "professor", "prof",
    "captain", "colonel", "lieutenant", "sergeant", "officer", "spokesman", "spokeswoman",
})
_QUOTED = re.compile(r"[\"“]([^\"“”\n]{3,}?)[\"”]")  # within a paragraph, may span sentences
_SPEAKER_DEPS = ("nsubj", "nsubjpass")
_STRIP = " ,.;:–—-\"“”'‘’"
_DATELINE = re.compile(r"[A-Z][A-Z.,/ ]{1,40}(?:\([A-Za-z. ]{1,20}\))?\s*[-–—]+\s*")


@dataclass(frozen=True)
class Statement:
    """One attributed statement. ``speaker``: resolved (the fullest name the article gives,
    else the words as written); ``mention``: as written in the sentence; ``quote``:
    ``body[quote_start:quote_end]``; ``sentence_start``/``sentence_end``: the sentence."""

    speaker: str
    mention: str
    role: str | None
    verb: str
    quote: str
    quote_start: int
    quote_end: int
    cites: str | None
    direct: bool
    sentence_start: int
    sentence_end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Person:
    name: str
    role: str | None = None


def extract_statements(doc) -> list[Statement]:
    """The statements of an article parsed as ``doc`` (its body), in reading order."""
    people = _people(doc)
    found: list[Statement] = []
    quotes = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(doc.text)]
    used: set[tuple[int, int]] = set()
    for sentence in doc.sents:
        near = [q for q in quotes if q not in used and q[0] < sentence.end_char and q[1] > sentence.start_char]
        for raw in _raw_statements(sentence, near, used):
            found.append(_resolve(raw, people, found, doc))
    # A person's role is the fullest the article gives ("a South Korean lawmaker" over
    # "lawmaker"), wherever it gives it.
    roles = {p.name: p.role for p in people if p.role}
    return [replace(s, role=roles.get(s.speaker, s.role)) for s in found]


# -- finding statements --------------------------------------------------------------
@dataclass
class _Raw:
    mention_span: object  # spaCy Span of the speaker as written
    verb: str
    start: int
    end: int
    cites: str | None
    direct: bool
    sentence: object


def _raw_statements(sentence, quotes: list[tuple[int, int]], used: set) -> Iterator[_Raw]:
    """The statements of one sentence; ``quotes``: the quotations (body offsets) that
    overlap it and no earlier statement took (a quotation may run over several sentences:
    '"... . ...," he said'); the ones taken are added to ``used``."""
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
            source = next((c for c in token.nbor().children if c.dep_ == "pobj"), None)
            if source is not None:
                span = _subtree(source)
                clause = _rest_of_sentence(sentence, token.i, span.end)
                if clause is not None:
                    yield _Raw(span, "according to", clause[0], clause[1], None, False, sentence)
            continue
        if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in REPORTING_VERBS:
            continue
        if any(start <= token.idx < end for start, end in quotes):
            continue  # a verb inside the quotation is the speech's own ("estimates suggesting")
        subject = _subject(token)
        if subject is None or subject.lemma_.lower() in ("it", "there"):
            continue
        speaker = _speaker_span(subject)
        cites = _cited(token)
        clause = _complement(token)
        # Quotation marks inside the reported clause are the reporter's ("sent soldiers as
        # "cannon fodder""): the clause is the statement. Outside it, they are the speech.
        spoken = [q for q in quotes if q not in used and (
            clause is None or not clause[0] <= q[0] < clause[1]
            or q[1] - q[0] >= 0.6 * (clause[1] - clause[0]))]  # 'said: "..."'
        if spoken:
            for start, end in spoken:
                used.add((start, end))
                text = sentence.doc.text[start:end]
                words = text.rstrip(" ,")  # '"... 3,000," he said': the comma is not said
                yield _Raw(speaker, token.text, start, start + len(words), cites, True, sentence)
        elif clause is not None:
            # its quotation marks are the reporter's: no later verb may take them as speech
            used.update(q for q in quotes if clause[0] <= q[0] < clause[1])
            yield _Raw(speaker, token.text, clause[0], clause[1], cites, False, sentence)


def _subject(verb):
    """Who does the reporting: the verb's subject; for "..., adding that" or "..., saying"
    the subject of the clause it hangs from; for "Tedros, saying ..." the noun itself."""
    token = verb
    for _ in range(3):
        subject = next((c for c in token.children if c.dep_ in _SPEAKER_DEPS), None)
        if subject is not None:
            return subject
        if token.dep_ == "acl" and token.head.pos_ in ("PROPN", "NOUN"):
            return token.head
        if token.dep_ not in ("advcl", "xcomp", "conj") or token.head is token:
            return None
        token = token.head
    return None


def _complement(verb) -> tuple[int, int] | None:
    """Body offsets of what ``verb`` reports: its clausal complement ("Lee said *that
    about 300 soldiers died*"; "*The soldiers were ordered to ...*, Lee said"), without a
    leading "that"; None when it has none."""
    comp = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")), None)
    if comp is None:
        return None
    span = _subtree(comp)
    return _trimmed([t for t in span if not (t.i == span.start and t.lower_ == "that")])


def _rest_of_sentence(sentence, start: int, end: int) -> tuple[int, int] | None:
    """The sentence without the "according to X" phrase (token ``start`` to ``end``)."""
    before = [t for t in sentence if t.i < start]
    after = [t for t in sentence if t.i >= end]
    longer = after if len(after) >= len(before) else before
    return _trimmed(longer)


def _trimmed(tokens) -> tuple[int, int] | None:
    tokens = [t for t in tokens if not t.is_space]
    while tokens and tokens[0].text in _STRIP:
        tokens.pop(0)
    while tokens and tokens[-1].text in _STRIP:
        tokens.pop()
    if len(tokens) < 2:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = tokens[0].doc.text
    if dateline := _DATELINE.match(text, start, end):  # "AFP- ", "SEOUL (AP) —" first
        start = dateline.end()
    return (start, end) if end - start > 2 else None


def _subtree(token):
    left, right = token.left_edge.i, token.right_edge.i + 1
    return token.doc[left:right]


def _speaker_span(subject):
    """The subject's noun phrase without a trailing apposition or relative clause."""
    drop = {c.i for c in subject.children if c.dep_ in ("appos", "relcl", "acl", "punct")}
    keep = [t for t in subject.subtree if not any(t.i == d or _under(t, d) for d in drop)]
    return subject.doc[keep[0].i : keep[-1].i + 1] if keep else subject.doc[subject.i : subject.i + 1]


def _under(token, ancestor_index: int) -> bool:
    return any(a.i == ancestor_index for a in token.ancestors)


def _cited(verb) -> str | None:
    """"..., citing Seoul's spy agency" beside the reporting verb."""
    for child in verb.children:
        if child.lemma_.lower() == "cite":
            obj = next((c for c in child.children if c.dep_ in ("dobj", "pobj")), None)
            if obj is not None:
                return _subtree(obj).text.strip(_STRIP)
    return None


# -- who is who ------------------------------------------------------------------------
def _people(doc) -> list[_Person]:
    """Every person the article names, fullest name first seen, with the role it gives."""
    people: dict[str, _Person] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = ent.text.strip(_STRIP)
        if not name:
            continue
        role = _role_of(ent)
        known = _match_name(name, list(people.values()))
        if known is None:
            people[name] = _Person(name, role)
        elif known.role is None and role:
            known.role = role
    return list(people.values())


def _role_of(ent) -> str | None:
    """"Ukrainian President Volodymyr Zelensky" -> "Ukrainian President"; "Lee, a South
    Korean lawmaker," -> "a South Korean lawmaker"."""
    head = ent.root
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i and child.ent_type_ != "PERSON":
            return _subtree(child).text.strip(_STRIP) or None
    before = [t for t in head.subtree if t.i < ent.start and t.dep_ in ("compound", "amod", "nmod")
              and t.ent_type_ not in ("PERSON",)]
    if before:
        span = ent.doc[before[0].i : ent.start]
        text = span.text.strip(_STRIP)
        return text or None
    return None


def name_words(name: str) -> list[str]:
    """A name's words as answers compare them (lower case, no possessive "'s", no
    punctuation), less titles: "President Zelensky's" -> ["zelensky"]."""
    words = normalize_answer(name).split()
    return [w for w in words if w not in TITLES] or words


def _match_name(mention: str, people: list[_Person]) -> _Person | None:
    """The person whose name contains every word of ``mention`` (the fullest such name)."""
    words = name_words(mention)
    if not words:
        return None
    best = None
    for person in people:
        name = name_words(person.name)
        if all(w in name for w in words) and (best is None or len(person.name) > len(best.name)):
            best = person
    return best


def _resolve(raw: _Raw, people: list[_Person], before: list[Statement], doc) -> Statement:
    span = raw.mention_span
    mention = span.text.strip(_STRIP)
    lowered = mention.lower()
    person: _Person | None = None
    speaker = _as_written(span)
    role: str | None = None
    names = [e for e in span.ents if e.label_ == "PERSON"]
    if names:
        name = _proper_run(names[-1])  # "Man-kei Tam" where the recogniser saw "Tam"
        person = _match_name(name, people)
        if person is None or len(name) > len(person.name):
            person = _Person(name, person.role if person else None)
            people.append(person)
        begins = doc.char_span(names[-1].end_char - len(name), names[-1].end_char, alignment_mode="expand")
        name_start = begins.start if begins is not None else names[-1].start
        if name_start > span.start:  # "lawmaker Lee" in place
            role = doc[span.start : name_start].text.strip(_STRIP) or None
    elif lowered in PRONOUNS:
        person = _last_person(span, people, before, doc)
    elif span.root.pos_ == "PROPN" and (known := _match_name(mention, people)) is not None:
        person = known  # "Trump said", the recogniser not calling "Trump" a person here
    else:
        head = span.root.lemma_.lower()
        if span.root.pos_ == "NOUN":
            person = _by_role(head, people, before)
            if person is not None and len(mention.split()) > len((person.role or "").split()):
                person.role = mention  # "a South Korean lawmaker" says more than "lawmaker"
            role = person.role if person is not None else mention
    if person is not None:
        speaker = person.name
        role = role or person.role
    quote = doc.text[raw.start:raw.end]
    return Statement(speaker, mention, role, raw.verb, quote, raw.start, raw.end, raw.cites,
                     raw.direct, raw.sentence.start_char, raw.sentence.end_char)


def _last_person(pronoun, people: list[_Person], before: list[Statement], doc) -> _Person | None:
    """Who "he" or "she" is: the latest statement's speaker if that is a person named in
    the article, else the latest person named before it (an outlet or a ministry quoted in
    between is not "he")."""
    names = {p.name: p for p in people}
    if before and before[-1].speaker in names:
        return names[before[-1].speaker]
    latest = [e for e in doc.ents if e.label_ == "PERSON" and e.end <= pronoun.start]
    if latest:
        return _match_name(_proper_run(latest[-1]), people)
    if before and before[-1].speaker.lower() not in PRONOUNS:  # no person named: the last speaker
        return _Person(before[-1].speaker, before[-1].role)
    return None


def _proper_run(ent) -> str:
    """A PERSON entity with the one name word the recogniser cut off before it: "Yolanda
    Yu Hoi-kwan" when it marked "Yu Hoi-kwan", "Man-kei Tam" for "Tam"; a title
    ("President") is not a name word."""
    doc = ent.doc
    start = ent.start
    glued = start - 1  # the word before, hyphenated parts included ("Man-kei": 3 tokens)
    while glued > 1 and doc[glued - 1].text == "-" and not doc[glued - 1].whitespace_ \
            and not doc[glued - 2].whitespace_ and doc[glued - 2].is_alpha:
        glued -= 2
    if start > 0:
        previous = doc[start - 1]
        if previous.whitespace_ and previous.pos_ == "PROPN" and doc[glued].is_title \
                and previous.lower_ not in TITLES and previous.ent_type_ in ("", "PERSON"):
            start = glued
    return doc[start:ent.end].text.strip(_STRIP)


def _as_written(span) -> str:
    """A speaker nobody resolved, as written, less a parenthesised abbreviation: "The
    Iranian Revolutionary Guard Corps (IRGC)" -> "The Iranian Revolutionary Guard Corps"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", span.text.strip(_STRIP)) or span.text.strip(_STRIP)


def _by_role(noun: str, people: list[_Person], before: list[Statement]) -> _Person | None:
    """The person the article gives the role ``noun`` ("lawmaker"): the latest speaker
    with it, else any person with it (one only: two lawmakers stay unresolved)."""
    for statement in reversed(before):
        if statement.role and noun in statement.role.lower().split():
            match = next((p for p in people if p.name == statement.speaker), None)
            if match is not None:
                return match
    holders = [p for p in people if p.role and noun in p.role.lower().replace(",", " ").split()]
    return holders[0] if len(holders) == 1 else None
