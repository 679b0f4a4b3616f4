"""Where the candidate's fact happened, against where the question puts it: another place
named on the same word, another place on the asked verb's objects, another country or US
state (:mod:`.places`). Each function is a veto or a feature of
:func:`.checks.check_mention`, with its reason in its docstring."""

from __future__ import annotations

import re

from assistant.answering.entities import governing_verb
from assistant.answering.frame import OPPOSITE_ENDS, QuestionFrame, links, located_in, named_objects
from assistant.answering.lexicon import SYNONYM, WordSimilarity, best_match, derived
from assistant.answering.normalize import normalize_text
from assistant.answering.places import place_of, within


def place_conflict(frame: QuestionFrame, doc, title: str) -> float:
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


def argument_conflict(frame: QuestionFrame, span, tokens, similarity: WordSimilarity, title: str) -> bool:
    """The question names what its predicate was done with, in or to ("serve *with
    London's Metropolitan Police*") and the sentence's same predicate names something else
    ("served *in the Auckland police force*"), the asked name not all in the sentence.
    Names the headline gives are the story's and may be left out (as places are in
    ``place_conflict``)."""
    if not frame.arguments or not frame.act:
        return False
    title_words = {w.lower() for w in re.findall(r"\w+", title)}
    asked = set(frame.arguments) - title_words
    # (as a name: "the Auckland police force" does not name the Metropolitan Police; and
    # the whole name: "the American Academy of Arts and Sciences" is not the US National
    # Academy of Sciences)
    if not asked or asked <= {t.lower_ for t in tokens if t.pos_ == "PROPN"}:
        return False
    score, verb = best_match(frame.act, tokens, similarity)
    if verb is None or score < SYNONYM:
        return False
    said = set(named_objects(verb, skip=range(span.start, span.end)))  # the candidate is the answer
    return bool(said) and not said & set(frame.arguments) and not _one_chamber(said, set(frame.arguments))


# A legislature and its chambers: "elected to Congress" is elected to the House or the Senate.
_CHAMBERS = {"congress": {"house", "senate", "representatives"},
             "parliament": {"commons", "lords", "house"}}


def _one_chamber(a: set[str], b: set[str]) -> bool:
    """One side names a legislature and the other one of its chambers."""
    return any((body in a and chambers & b) or (body in b and chambers & a) for body, chambers in _CHAMBERS.items())


def located_elsewhere(frame: QuestionFrame, doc, title: str) -> bool:
    """The question places a thing ("wildfires *in Bolivia*") and the sentence places the
    same thing elsewhere ("85% more wildfires *in Brazil*"), the asked place named nowhere
    in the sentence or its headline. Only the very same word before "in": a place given
    anywhere else in the sentence ("in Brazil and Bolivia") or left to an earlier one is
    no contradiction (unlike ``place_conflict``, a feature)."""
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


def placed_elsewhere(frame: QuestionFrame, span) -> bool:
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


def other_end(frame: QuestionFrame, span) -> bool:
    """The question asks where something went *to* (or came *from*) and the candidate is
    the other end of the journey: "Navalny was transferred *from the hospital in Omsk* to
    Charité", for the hospital he was transferred to. Only the other end of the asked act,
    up to the candidate's verb."""
    if frame.stranded is None or frame.act is None:
        return False
    for token in [span.root, *span.root.ancestors][:5]:
        if token.pos_ in ("VERB", "AUX"):
            return False
        # the other end of the asked act itself, not of a noun ("a runner *from* Kenya")
        # nor of another verb ("belonging *to* Equifax", for where data was stolen from)
        if (token.dep_ == "pobj" and token.head.lower_ in OPPOSITE_ENDS[frame.stranded]
                and token.head.head.pos_ == "VERB" and derived(frame.act, token.head.head.lemma_.lower())):
            return True
    return False


# Acts that go both ways: either side may be named first.
_MUTUAL = frozenset("meet play face fight draw tie merge sign clash trade talk negotiate compete marry "
                    "partner ally border battle debate".split())


def swapped(frame: QuestionFrame, span) -> bool:
    """The sentence turns the question's relation round: the question's verb takes one of
    its names ("pollution *reaching Indiana* comes from plants in Ohio") and the same verb
    in the candidate's clause takes another of them in that place ("pollution that *reaches
    Ohio* comes from plants in nearby Indiana"). Only the question's own names count, and
    not for acts that go both ways ("Pakistan *played* India")."""
    if not frame.links or len(frame.names) < 2:
        return False
    verb = governing_verb(span.root)
    doc = span.doc
    clause = doc[verb.left_edge.i : verb.right_edge.i + 1] if verb is not None else doc
    said = links(clause, frame.names)
    for lemma, prep, name in frame.links:
        # "Pakistan played India" is India playing Pakistan; "according to" says whose word
        # it is, which ``roles.other_source`` reads
        if lemma in _MUTUAL or lemma == "accord" or prep in ("with", "against", "versus"):
            continue
        here = {other for verb_lemma, other_prep, other in said if verb_lemma == lemma and other_prep == prep}
        if here and name not in here:
            return True
    return False

