"""Who the candidate is in its sentence, against who the question asks about: the one who
did the asked act or underwent it, the speaker, the holder of a title, the person an
attribute describes. Each function is one veto of :func:`.checks.check_mention`, with its
reason in its docstring."""

from __future__ import annotations

import re

from assistant.answering.entities import governing_verb, proper_phrase
from assistant.answering.frame import (FIGURE_WORDS, SOURCE_CLASSES, QuestionFrame, according_to, fold, makers,
                                      proper_compound, source_words, words_of)
from assistant.answering.lexicon import REPORTING_VERBS, SYNONYM, derived, same_sense
from assistant.answering.places import country_of_people, place_of, within

_LETTERS = re.compile(r"[^a-z]")


def subject_conflict(frame: QuestionFrame, span, doc, title: str = "") -> float:
    """1 when the question asks what a named subject did ("How many votes did *Jeremy
    Hunt* receive?") and the verb governing the candidate has another named subject
    ("*Johnson* won with 92,153 votes"), the asked one appearing nowhere in the sentence."""
    if not frame.subject:
        return 0.0
    words = set(frame.subject.split())
    if words & {t.lower_ for t in doc}:
        return 0.0
    # (a figure deep in its phrase: "giving him *a total of* 54 delegates")
    verb = governing_verb(span.root) or next((t for t in list(span.root.ancestors)[:6] if t.pos_ == "VERB"), None)
    if verb is None:
        return 0.0
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN"]
    asked_place = place_of(frame.subject)
    if asked_place is not None:  # the same country by another name: "*Britain* pays", for the UK
        subjects = [c for c in subjects if (place := place_of(proper_phrase(c).text)) is None
                    or not within(place, asked_place)]
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


def named_subject_differs(frame: QuestionFrame, span) -> bool:
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
        own = reporting_verb_above(span.root)
    asked = {fold(w) for w in frame.subject.split()}
    if own is None or not (frame.reporting or _share_a_name(asked, {fold(t.lower_) for t in span.doc})):
        return False  # (the asked one named nowhere in it: ``subject_conflict``'s case)
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


def reporting_verb_above(token):
    """The nearest reporting verb ``token`` hangs from, up to eight steps up ("*Associated
    Press* *reported* there were ... 4,600 deaths"), or None."""
    return next((t for t in [token, *token.ancestors][:8]
                 if t.pos_ == "VERB" and t.lemma_.lower() in REPORTING_VERBS), None)


# Who speaks for a body rather than being one.
_SPEAKS_FOR = frozenset("spokesman spokeswoman spokesperson secretary official representative "
                        "aide adviser advisor".split())


def other_source(frame: QuestionFrame, span) -> bool:
    """The question asks for a figure on one source's word ("according to *Iran's Health
    Ministry spokesman Ali Reza Raisi*, how many patients had recovered?") and the
    candidate's sentence gives it on another's: "*According to Johns Hopkins* ..., 291
    had recovered", or "*Associated Press* reported ...". Sources disagree, and each is
    quoted for its own count. Only named sources are compared, and only when the asked
    one is named nowhere in the sentence; initials count both ways ("WHO"; "CDC" of the
    Centers for Disease Control and Prevention). A country ("*Italy* reported 475") or a
    spokesperson ("Defense Department *spokesman* Jonathan Hoffman") may speak for the
    asked body, and is no other source, nor is a person where a country is asked.

    Where the asked source is named in the sentence, the nearest attribution decides:
    the speaker of the candidate's own clause is compared (``_another_speaker``), unless
    the asked source is credited on the way up from the candidate ("CNN reported that
    3,000 had died, *according to the CDC*"; "NBC said *the CDC* counted 3,000")."""
    if not frame.source:
        return False
    *asked, asked_initials = frame.source
    doc = span.doc
    country = place_of(" ".join(asked)) if asked else None
    reporting = reporting_verb_above(span.root)
    # the words from the candidate up to its nearest reporting verb: an attribution above
    # that one passes the nearest on ("CNN reported that [Phivolcs said] ...")
    chain = [span.root, *span.root.ancestors]
    path = [] if reporting is None else chain[: [t.i for t in chain].index(reporting.i) + 1]
    if reporting is not None and not any(_credits(t, asked, asked_initials, country) for t in path):
        # "*Phivolcs* reported the magnitude was 5.5; *the USGS* reported 5.8": two bodies
        # side by side, and the candidate is the other's
        parallel = [t for t in doc if t.lemma_.lower() in REPORTING_VERBS and t.i != reporting.i
                    and _credits(t, asked, asked_initials, country)]
        # the asked source's own figure beside it, not a verb over the candidate's ("AFP
        # reported that officials said 24") nor one that only confirms it
        rival = any(not t.is_ancestor(reporting) and not t.is_ancestor(span.root) and any(
            n.ent_type_ in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT") for n in t.subtree) for t in parallel)
        if any(_another_speaker(c, asked, asked_initials, country, bool(parallel), rival)
               for c in reporting.children if c.dep_ == "nsubj"):
            return True
    words = {fold(t.lower_) for t in doc}
    acronyms = {t.lower_ for t in doc if t.text.isupper() and len(t.text) >= 2}
    if not asked or _share_a_name(set(asked), words) or _initials_match(asked_initials, acronyms):
        return False
    heads = according_to(doc)
    if reporting is not None:
        heads += [c for c in reporting.children if c.dep_ == "nsubj"]
    for head in heads:
        if (head.pos_ != "PROPN" or head.ent_type_ in ("GPE", "NORP") or place_of(head.text) is not None
                or any(t.lemma_.lower() in _SPEAKS_FOR for t in head.subtree)
                or (country is not None and head.ent_type_ == "PERSON")):  # (Zelensky, for Ukraine)
            continue
        if _names_another(head, asked, asked_initials):
            return True
    return False


def another_kind_of_source(frame: QuestionFrame, span) -> bool:
    """The question asks for a figure on the word of a source named by what it is
    ("according to *police* estimates"; "did *Greek authorities* report", see
    ``frame.kind_of_source``) and the candidate's own attribution is another kind of source
    ("Estimates by event *organizers* indicate roughly one million") or of another country
    ("*Turkey's* Disaster and Emergency Management Presidency reported ... 6.6"). Officials,
    authorities, a government, its police, its army and state media count as one kind
    (``frame.SOURCE_CLASSES``); a spokesman is his body's; a source of the asked kind
    credited on the way ("citing police figures") gives it the asked one's word."""
    if frame.source_kind is None:
        return False
    kind, people = frame.source_kind
    country = country_of_people(people) if people else None
    speakers = _attributions(span)
    if any(_source_class(s) == kind for s in speakers):
        return False  # credited on the way: "Local media reported ..., *citing police* figures"
    for speaker in speakers:
        said = _source_class(speaker)
        if said is not None and said != kind:
            return True
        # its own name, not a clause on it ("Iraqi officials *who spoke to the French agency*")
        aside = {t.i for c in speaker.children if c.dep_ in ("relcl", "acl", "appos") for t in c.subtree}
        if country is not None and any(
                (place := country_of_people(t.text)) is not None and not within(place, country)
                for t in speaker.subtree if t.ent_type_ in ("NORP", "GPE") and t.i not in aside):
            return True
    return False


def _attributions(span) -> list:
    """Whose word the candidate is on: its own "reported by" phrase if it has one, else
    the subject of the nearest reporting verb above it, the "according to" and "citing"
    phrases on its way up, and the maker of a figure word that is the subject on its way
    up ("*Estimates by* event organizers indicate ...")."""
    chain = [span.root, *span.root.ancestors]
    on_path = {t.i for t in chain}
    # the candidate's own "reported by X" decides ("the 112 *reported by officials*")
    own = [a for t in chain[:3] for c in t.children if c.dep_ == "acl" and c.lemma_.lower() in REPORTING_VERBS
           for a in c.children if a.dep_ == "agent" for a in a.children if a.dep_ == "pobj"]
    if own:
        return own
    found = []
    reporting = reporting_verb_above(span.root)
    if reporting is not None:
        found += [c for c in reporting.children if c.dep_ == "nsubj"]
    found += [h for h in according_to(span.doc) if h.head.head.i in on_path]  # X < to < according
    found += [o for t in chain[:8] for c in t.children if c.lower_ == "citing" for o in c.children
              if o.dep_ in ("dobj", "pobj")]  # "..., *citing police* figures"
    for verb in chain:
        for subject in verb.children:
            if subject.dep_ == "nsubj" and subject.lemma_.lower() in FIGURE_WORDS:
                found += [o for p in subject.children if p.lower_ == "by" for o in p.children if o.dep_ == "pobj"]
                found.append(subject)
    # a figure word's maker: "according to *police* estimates"
    return [m for h in found for m in makers(h)]


def _source_class(head) -> str | None:
    """The kind of source ``head`` names (``frame.SOURCE_CLASSES``), the body before it
    first ("a *police* official", "a *police* spokesman")."""
    word = head.lemma_.lower()
    if SOURCE_CLASSES.get(word) == "media" and any(c.lower_ == "state" for c in head.children):
        return "officials"  # state media speak for the state
    # the body before the word first: "a *police* official", "a *police* spokesman"
    kind = next((SOURCE_CLASSES[c.lemma_.lower()] for c in head.children
                 if c.dep_ in ("compound", "amod") and c.lemma_.lower() in SOURCE_CLASSES), None)
    if kind is not None or word in _SPEAKS_FOR and word not in SOURCE_CLASSES:
        return kind
    return SOURCE_CLASSES.get(word) or SOURCE_CLASSES.get(head.lower_)


def _names_another(head, asked: list[str], asked_initials: str) -> bool:
    """The source phrase ``head`` heads names someone, and not the asked source: no word
    in common, and no initials either way ("WHO"; "CDC" of the Centers for Disease
    Control and Prevention)."""
    *found, initials = source_words(head)
    return bool(found) and not (_share_a_name(set(asked), set(found)) or _initials_match(initials, set(asked))
                                or _initials_match(asked_initials, set(found)))


def _credits(token, asked: list[str], asked_initials: str, country) -> bool:
    """``token`` gives its words on the asked source's: its subject, or its "according
    to" or "citing" phrase, names it (by a word, its initials, or its people's adjective:
    "*Ukrainian* estimates" for Ukraine's)."""
    heads = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    heads += [h for h in according_to(token.doc) if h.head.head.head.i == token.i]  # according > to > X
    heads += [o for c in token.children if c.lower_ == "citing" for o in c.children if o.dep_ in ("dobj", "pobj")]
    for head in heads:
        words = {fold(t.lower_) for t in head.subtree}
        if _share_a_name(set(asked), words) or _initials_match(asked_initials, words):
            return True
        if country is not None and any(
                (place := country_of_people(t.text)) is not None and within(place, country)
                for t in head.subtree if t.ent_type_ in ("NORP", "GPE")):
            return True
    return False


def _another_speaker(head, asked: list[str], asked_initials: str, country, parallel: bool,
                     rival: bool = False) -> bool:
    """``head``, who says the candidate's clause, is not the asked source: an organisation
    whose name shares no word or initials with it (a single untagged name, which may be a
    person's, only where the asked source speaks beside it: ``parallel``), or, where a
    country is asked, someone of another country ("a *South Korean* lawmaker said", for
    Ukraine's estimate). A person or a spokesperson may speak for a body, and anyone for a
    country but another country's people; but officials, the police and such (a common
    noun) are another source where the asked one gives a figure of its own beside them
    (``rival``: "Local officials said 24 ..., but Agence France-Presse reported 32")."""
    if (rival and head.pos_ == "NOUN" and _source_class(head) is not None
            and not any(c.dep_ == "poss" for c in head.children)):
        return True  # "*Local officials* said 24 ..., but Agence France-Presse reported 32"
    if any(t.lemma_.lower() in _SPEAKS_FOR for t in head.subtree) or _share_a_name(
            set(asked), {fold(t.lower_) for t in head.subtree}):
        return False  # (the asked body's own: "*Egypt's* President al-Sisi announced")
    if head.pos_ == "PROPN":
        if (country is not None or head.ent_type_ in ("PERSON", "GPE", "NORP", "LOC")
                or place_of(head.text) is not None):
            return False
        body = head.ent_type_ == "ORG" or head.text.isupper() or len(proper_phrase(head)) > 1 or parallel
        return body and _names_another(head, asked, asked_initials)
    if head.pos_ != "NOUN" or country is None or country[1] is not None:
        return False
    people = " ".join(t.text for t in head.subtree if t.i < head.i and t.ent_type_ == "NORP")
    other = country_of_people(people) if people else None
    return other is not None and not within(other, country)


def _initials_match(initials: str, words) -> bool:
    """A word is the initials, or begins them ("CDC" of "Centers for Disease Control and
    Prevention"; three letters at least for that: "on" is no ONS)."""
    return len(initials) >= 2 and any(w == initials or len(w) >= 3 and initials.startswith(w) for w in words)


def _share_a_name(a: set[str], b: set[str]) -> bool:
    """Two sets of name words hold the same name: a word in both, or one that is the other
    with an ending ("Houthi" spokesperson, for the Houthis; "the Clintons"), not merely
    one beginning the other ("worldwide" is not the World Health Organization)."""
    return bool(a & b) or any(len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 2
                              for x in a for y in b for short, long in [sorted((x, y), key=len)])


_ADDRESSEE_VERBS = frozenset("tell ask inform brief".split())


def not_the_speaker(frame: QuestionFrame, span) -> bool:
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


def role_conflict(frame: QuestionFrame, span) -> bool:
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


def owner_conflict(frame: QuestionFrame, focus_token, focus: float) -> bool:
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


def subordinate_role(frame: QuestionFrame, focus_token, focus: float) -> bool:
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


def title_of_another(frame: QuestionFrame, span) -> bool:
    """"Who coaches the Caloundra team that beat Wynnum?" is not answered by "*Wynnum*
    coach Matt Myers": the candidate's title is the asked verb's own noun (coach, leader,
    owner, founder), and the name before the title is another party the question names,
    not the one whose title is asked (the verb's object). A name the question does not
    give decides nothing: it may be the asked one's short form ("*SNP* leader", "*Barca*
    coach", "*Fed* chair")."""
    if not frame.object_names or frame.role == "patient":
        return False
    # Where the question puts the act is no other party: "Who led the Democrats *in the
    # House*?" is answered by "*House* leader Nancy Pelosi".
    where = frame.where_named
    root = span.root
    titles = [c for c in root.children if c.dep_ in ("compound", "appos") and c.pos_ == "NOUN"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        titles.append(root.head)  # "the Wynnum coach, Matt Myers"
    for title in titles:
        if not derived(frame.predicates[0], title.lemma_.lower()):
            continue
        # (a name the tagger reads as an adjective, "*Wynnum*/ADJ coach", still is one)
        owners = [c.lower_ for c in title.children if c.dep_ in ("compound", "poss", "amod") and not c.is_stop
                  and (c.pos_ == "PROPN" or c.ent_type_ in ("ORG", "PERSON")) and c.lower_ not in where]
        if owners and all(o in frame.words and o not in frame.object_names for o in owners):
            return True
    # The parser may read the title as a verb ("Caloundra *coach*/VERB Geoff Ingram said":
    # Caloundra coaches Ingram); the words in a row say the same: the names before the
    # title ("France's World Cup" coach: France among them is the asked one), the title,
    # the candidate.
    doc = span.doc
    if span.start < 2 or not frame.predicates:
        return False
    title = doc[span.start - 1]
    if title.pos_ == "NOUN" or not derived(frame.predicates[0], title.lower_):
        return False  # (a noun title is the parse's case, above)
    owners = [name for name in names_before(doc, span.start - 2) if name not in where]
    return bool(owners) and all(o in frame.words for o in owners) and not any(o in frame.object_names for o in owners)


def names_before(doc, i: int) -> list[str]:
    """The capitalised words in a row that end at ``doc[i]``, lowercased, nearest first:
    the names before a title, read off the words where the parser took the title for
    another word ("*Caloundra* coach/VERB Geoff Ingram", "*France's World Cup* coach").
    A possessive "'s" does not end the row; a stop word ("The") is not a name; the row
    ends at the sentence's first word."""
    names = []
    while i >= 0 and (doc[i].text[:1].isupper() or doc[i].lower_ in ("'s", "’s")):
        if doc[i].text[:1].isupper() and not doc[i].is_stop:
            names.append(doc[i].lower_)
        if doc[i].is_sent_start:
            break
        i -= 1
    return names


# What ties a modifier to the noun it describes: "a *47-year-old* minister",
# "*Princeton University* neuroscience professor Sam Wang", "*two* sons".
_ATTRIBUTE_DEPS = frozenset({"amod", "compound", "nmod", "nummod"})


def someone_elses(frame: QuestionFrame, span) -> bool:
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


def qualified_conflict(frame: QuestionFrame, span) -> bool:
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


def named_otherwise(frame: QuestionFrame, doc, title: str = "") -> bool:
    """A thing the question picks out by a country's name compounded before it ("*UK*
    troops", "*US* sanctions") is another country's in the sentence ("*France* troops",
    "*United States* sanctions" for the UK's), the asked name nowhere in the sentence or
    its headline. Only countries and US states, placed by the gazetteer (:mod:`.places`),
    and never one inside the other: other names before a noun are often the same party's
    other name or another side of the same thing ("the *Fed* rate hike" and "the *Federal
    Reserve* rate hike", the "*NATO* summit" and the "*Vilnius* summit")."""
    if not frame.named_nouns:
        return False
    present = words_of(doc.text) | words_of(title)
    for noun, asked in frame.named_nouns:
        where = place_of(" ".join(asked))
        if where is None or words_of(" ".join(asked)) & present:
            continue
        for token in doc:
            if token.pos_ != "NOUN" or token.lemma_.lower() != noun:
                continue
            said = place_of(" ".join(proper_compound(token)))
            if said is not None and not within(said, where) and not within(where, said):
                return True
    return False
