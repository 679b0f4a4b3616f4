"""The default answerer: no LLM, it quotes the corpus, and it says a short answer only
when the evidence states it as the answer to this question.

Given the reranked sentences it does one of three things:

* **short answer**: a candidate (a name, number or date in the evidence) breaks none of
  the question's constraints (:mod:`.checks`) and its calibrated probability of being
  right reaches the model's ``short_threshold``; the reply is the short answer, then the
  sentences that state it, verbatim, each followed by ``[n]``;
* **evidence**: the sentences are on the question but no candidate is sure enough; the
  reply quotes them and says nothing of its own;
* **timeline**: the question asks how a story developed ("what happened with ...");
  the reply lists the articles on it by date, each with a quoted sentence
  (:mod:`.timeline`);
* **refusal**: nothing relevant was found, or the question asks for a name, number or
  date and no sentence states one that fits (the corpus has the story, not the fact). The
  reply says what the corpus does cover ("The corpus reports ... but none of its
  passages says how many firefighters were injured.") and lists the closest passages as
  related reading.

``confidence`` is the probability that the reply is right, from models fitted on the
development question sets (:mod:`.confidence`): that the short answer is right, that the
quoted evidence holds the answer, or that the corpus does not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from assistant.answering import places
from assistant.answering.checks import Check, Features, candidate_features, question_features
from assistant.answering.confidence import ConfidenceModel, load_models
from assistant.answering.entities import Candidate, Mention, collect_candidates
from assistant.answering.frame import QuestionFrame, read_frame
from assistant.answering.lexicon import WordSimilarity
from assistant.answering.normalize import normalize_answer
from assistant.answering.question import classify
from assistant.answering.reldates import relative_days, resolve
from assistant.answering.quotes import asks_what_someone_said, statements_in
from assistant.answering.timeline import asks_for_timeline, timeline_entries
from assistant.evidence import RELEVANCE_GATE, Evidence, ScoredSentence
from assistant.types import Citation, Passage

REFUSAL_TEXT = (
    "I could not find this in the news corpus. The closest passages are listed as related "
    "reading; none of them answers the question."
)
QUOTE_MARGIN = 3.0  # quote sentences scoring within this many logits of the best one
MAX_QUOTES = 3
POOL_SIZE = 6  # relevant sentences searched for a short answer (spaCy costs ~9 ms each)
_AUXILIARY = re.compile(r"^(how (many|much|long|old|far)|who|what|which|when|where)\s+"
                        r"(did|does|do|is|was|were|are|has|have|had|will|would|can|could)\b", re.I)


@dataclass
class Judged:
    """A candidate with its checks and calibrated probability of being the answer."""

    candidate: Candidate
    features: Features
    check: Check
    mention: Mention
    probability: float = 0.0

    @property
    def allowed(self) -> bool:
        return self.check.veto is None


@dataclass
class Analysis:
    """Everything the answerer read off the evidence, before deciding."""

    frame: QuestionFrame
    pool: list[ScoredSentence]
    docs: list  # the pool sentences parsed (spaCy Docs)
    judged: list[Judged]
    question_features: Features
    best: Judged | None
    sure: float = 0.0  # the best candidate's calibrated probability

    @property
    def clear_type(self) -> bool:
        """The question asks for a name, number, date or place: when no sentence states
        one that fits, the corpus does not hold the answer."""
        qtype = self.frame.qtype
        return qtype.wh in ("how many", "when", "where", "who") or (
            qtype.wh == "which" and qtype.labels is not None)


@dataclass
class Draft:
    text: str
    short_answer: str | None
    citations: list[Citation]
    abstained: bool
    confidence: float
    choice: int | None = None
    kind: str = "evidence"  # "short", "evidence", "timeline", "quotes" or "refusal"
    analysis: Analysis | None = None  # what the decision was read from (None: nothing relevant)
    speaker: dict | None = None  # the speaker credited (see ``Answer.speaker``)


class ExtractiveAnswerer:
    """Args:
    nlp: a callable returning the spaCy pipeline (loaded on first use).
    idf: inverse document frequency of an analysed term (``NewsIndex.idf``), for the
        checks' coverage measures.
    models: mode name -> fitted :class:`ConfidenceModel` (default: the packaged fit).
    thresholds: decision thresholds that replace the fitted ones in every mode
        (``relevance_threshold``, ``short_threshold``; from ``Settings``).
    """

    def __init__(
        self,
        nlp: Callable[[], object],
        *,
        idf: Callable[[str], float],
        models: dict[str, ConfidenceModel] | None = None,
        max_quotes: int = MAX_QUOTES,
        margin: float = QUOTE_MARGIN,
        thresholds: dict[str, float] | None = None,
    ) -> None:
        if max_quotes < 1:
            raise ValueError(f"max_quotes must be at least 1, got {max_quotes}")
        self.nlp = nlp
        self.idf = idf
        self.models = models
        self.max_quotes = max_quotes
        self.margin = margin
        self.thresholds = {k: v for k, v in (thresholds or {}).items() if v is not None}
        self.similarity = WordSimilarity()

    def warm_up(self) -> None:
        """Load the spaCy pipeline and the gazetteer (the first answer would pay for them)."""
        self.nlp()("Warm up.")
        places.warm_up()

    def model(self, evidence: Evidence) -> ConfidenceModel:
        models = self.models if self.models is not None else load_models()
        model = models["choices" if evidence.choices else "plain"]
        return replace(model, **self.thresholds) if self.thresholds else model

    def answer(self, evidence: Evidence) -> Draft:
        *_, draft = self.stream(evidence)
        return draft

    def stream(self, evidence: Evidence) -> Iterator[str | Draft]:
        """Text pieces as they are decided (short answer first), then the ``Draft``."""
        model = self.model(evidence)
        if not evidence.choices and asks_for_timeline(evidence.question):
            if entries := timeline_entries(evidence.sentences):
                yield from self._timeline(evidence, entries, model)
                return
        if not evidence.choices and (asked := asks_what_someone_said(evidence.question)):
            if said := statements_in(evidence, self.nlp, *asked):
                yield from self._statements(evidence, said, model)
                return
        sentences = list(evidence.sentences)
        best = max((s.relevance for s in sentences), default=-math.inf)
        if best < model.relevance_threshold:  # only the latest week's relevant evidence may answer
            sentences = [s for s in sentences if s.relevant and s.latest_news]
        if not sentences:
            confidence = 1.0
            if evidence.sentences:  # how sure that nothing relevant is there
                features = self.analyze(evidence).question_features.values
                confidence = model.refusal.probability(features)
            yield REFUSAL_TEXT
            yield Draft(REFUSAL_TEXT, None, [], True, confidence, self._choice(evidence, None), "refusal")
            return
        analysis = self.analyze(Evidence(evidence.question, sentences, evidence.passages, evidence.choices), model)
        winner, sure = analysis.best, analysis.sure
        quoted = 0.0  # how likely quotes alone hold the answer (the evidence model)
        if sure >= model.short_threshold:
            kind = "short"
        elif analysis.clear_type and sure < model.refuse_threshold:
            kind = "refusal"
        else:
            quoted = model.evidence.probability(analysis.question_features.values)
            # Quotes alone would be the reply; below the floor they hardly ever hold the
            # answer: the topic is there, the asked fact is not (benchmarks/fit_confidence.py).
            kind = "refusal" if quoted < model.evidence_floor else "evidence"
        short = winner.candidate.text if kind == "short" else None
        choice = self._choice(evidence, short)
        if kind == "refusal":
            text = missing_note(evidence.question, sentences[0].passage)
            confidence = model.refusal.probability(analysis.question_features.values)
            yield text
            yield Draft(text, None, [], True, confidence, choice, kind, analysis)
            return
        top = sentences[0].score
        strong = [s for s in sentences if s.relevant and s.score >= top - self.margin] or sentences[:1]
        lead = winner.mention.sentence if kind == "short" else strong[0]
        # Without a short answer the likeliest candidate's sentence is still quoted: the
        # reader sees it in its words without Byline vouching for it.
        also = winner.mention.sentence if winner is not None and short is None else None
        credit, speaker = None, None
        if short is not None and analysis.frame.reporting and winner.candidate.label == "PERSON":
            credit, also = self._speaker_credit(short, winner, sentences)
        rival = _rival_figure(analysis, winner) if winner is not None and winner.allowed else None
        if rival is not None and short is None:
            # No value is likely enough to state, but two sources give different values
            # that together are: the evidence answers the question and the sources differ
            # on it. Both are shown, neither is stated.
            if winner.probability + rival.probability >= model.short_threshold:
                lead = winner.mention.sentence
            else:
                rival = None
        if rival is not None:
            also = rival.mention.sentence
        citations = _cite(_quotes(lead, strong, short, self.max_quotes, also))
        text = ""
        if short is not None:
            quoted = " ".join(c.quote for c in citations)
            # "Lee Seong-kweun, a South Korean lawmaker, citing information from Seoul's spy
            # agency": the role and the source only as the quotes below say them
            if credit is not None and all(part in quoted for part in credit[1]):
                text = credit[0] + ".\n\n"
                speaker = credit[2]
            else:
                text = short + ".\n\n"
            confidence = sure
            if rival is not None:
                # Two sources, two figures for what was asked: both are shown, each with
                # its outlet and date, and neither is stated with more confidence than
                # its share of the two.
                text = short + ".\n\n" + _conflict_note(winner, rival, citations) + "\n\n"
                confidence = min(sure, winner.probability / (winner.probability + rival.probability))
            yield text
        else:
            confidence = quoted
            if rival is not None:
                text = _conflict_note(winner, rival, citations) + "\n\n"
                yield text
        for i, citation in enumerate(citations):
            piece = (" " if i else "") + f"{citation.quote} [{citation.number}]"
            text += piece
            yield piece
        if short is None and analysis.frame.qtype.wh == "when" and (note := _dates_note(citations)):
            text += note
            yield note
        yield Draft(text, short, citations, False, confidence, choice, kind, analysis, speaker)

    def _speaker_credit(self, short: str, winner: Judged, sentences: Sequence[ScoredSentence]
                        ) -> tuple[tuple[str, list[str], dict] | None, ScoredSentence | None]:
        """For "who said/claimed ...": the speaker with the role and the cited source their
        article gives (:mod:`.attribution`, over the winning sentence's passage), and the
        evidence sentence that states them (to be quoted). None when it adds nothing."""
        from assistant.answering.attribution import extract_statements

        passage = winner.mention.sentence.passage
        statements = [st for st in extract_statements(self.nlp()(passage.text))
                      if short.lower() in st.speaker.lower()]
        role = next((st for st in statements if st.role), None)
        cited = next((st for st in statements if st.cites), None)
        if role is None and cited is None:
            return None, None
        parts = [x for x in (role.role if role else None, cited.cites if cited else None) if x]
        line = short + (f", {role.role}" if role else "") + (f", citing {cited.cites}" if cited else "")
        card = {"name": short, "role": role.role if role else None,
                "cites": cited.cites if cited else None, "statements": len(statements)}
        source = cited or role
        start = passage.char_start + source.sentence_start
        also = next((s for s in sentences if s.passage.chunk_id == passage.chunk_id
                     and s.start <= start < s.end), None)
        if also is None:  # a sentence the reranker did not score: quoted as the article has it
            said = passage.text[source.sentence_start:source.sentence_end]
            end = start + len(said.rstrip())
            also = ScoredSentence(passage, start + len(said) - len(said.lstrip()), end,
                                  relevance=winner.mention.sentence.relevance)
        return (line, parts, card), also

    def _statements(self, evidence: Evidence, said, model: ConfidenceModel) -> Iterator[str | Draft]:
        """"What did X say about Y?": X's statements in the evidence, newest first, each
        quoted verbatim with its verb and cited."""
        # the most relevant to the question, then shown newest first, in reading order
        shown = sorted(said, key=lambda found: -found[2])[: 2 * MAX_QUOTES]
        shown.sort(key=lambda found: (found[0].published_at or "", -found[1].quote_start), reverse=True)
        name = max((st.speaker for _, st, _ in said), key=len)  # a passage may hold only "Lee"
        role = next((st.role for _, st, _ in said if st.role), None)
        who = name + (f", {role}," if role else "")
        count = f"{len(said)} time{'s' * (len(said) != 1)}"
        if len(shown) < len(said):
            count += f" (the {len(shown)} closest to the question below)"
        text = f"{who} is quoted {count} in these sources, newest first:\n"
        yield text
        citations = []
        for passage, statement, _ in shown:
            number = len(citations) + 1
            start = passage.char_start + statement.quote_start
            citations.append(Citation(number, passage, statement.quote, start, start + len(statement.quote)))
            cited = f", citing {statement.cites}" if statement.cites else ""
            # direct speech in quotation marks; reported speech as the article words it
            quote = statement.quote
            words = f": “{quote}”" if statement.direct else (f" that {quote}" if quote[:1].islower() else f": {quote}")
            piece = (f"\n- {_day(passage.published_at) or 'undated'}: {statement.mention} "
                     f"{statement.verb}{cited}{words} [{number}]")
            text += piece
            yield piece
        analysis = self.analyze(evidence, model)
        confidence = model.evidence.probability(analysis.question_features.values)
        yield Draft(text, None, citations, False, confidence, None, "quotes", analysis,
                    {"name": name, "role": role, "cites": None, "statements": len(said)})

    def _timeline(self, evidence: Evidence, entries: list[ScoredSentence],
                  model: ConfidenceModel) -> Iterator[str | Draft]:
        """One line per article, oldest first: day, headline, outlet, the quoted sentence."""
        citations = _cite(entries)  # one article per entry: one citation each
        outlets = {c.passage.source for c in citations} | {
            copy.source for c in citations for copy in c.passage.also_reported_by}
        text = (f"How the story developed in {len(citations)} articles from "
                f"{len(outlets)} outlet{'s' * (len(outlets) != 1)}, by publication date:\n")
        yield text
        for citation in citations:
            p = citation.passage
            also = ", ".join(c.source or "unknown outlet" for c in p.also_reported_by)
            piece = (f"\n- {_day(p.published_at)}: {p.title.strip()} ({p.source or 'unknown outlet'}"
                     f"{'; also ' + also if also else ''}): “{citation.quote}” [{citation.number}]")
            text += piece
            yield piece
        analysis = self.analyze(Evidence(evidence.question, entries, evidence.passages, ()), model)
        confidence = model.evidence.probability(analysis.question_features.values)
        yield Draft(text, None, citations, False, confidence, None, "timeline", analysis)

    def quote(self, sentences: Sequence[ScoredSentence], lead: ScoredSentence, short: str | None) -> list[Citation]:
        """The citations of a reply led by ``lead`` (see ``_quotes``)."""
        top = sentences[0].score
        strong = [s for s in sentences if s.relevant and s.score >= top - self.margin] or [lead]
        return _cite(_quotes(lead, strong, short, self.max_quotes))

    def analyze(self, evidence: Evidence, model: ConfidenceModel | None = None) -> Analysis:
        """Parse the question and the best relevant sentences, gather the candidates and
        check each against the question (see :mod:`.checks`); with a ``model``, each
        allowed candidate gets its probability and the best one is chosen."""
        sentences = list(evidence.sentences)
        pool = [s for s in sentences if s.relevant][:POOL_SIZE] or sentences[:1]
        qtype = classify(evidence.question)
        qdoc, *docs = self.nlp().pipe([evidence.question] + [s.text for s in pool])
        frame = read_frame(qdoc, qtype)
        candidates = collect_candidates(qdoc, docs, frame.qtype, pool, extra=evidence.choices)
        total = sum(c.score for c in candidates)
        top = max((s.relevance for s in sentences), default=RELEVANCE_GATE)
        stories: dict[str, str] = {}
        for passage in evidence.passages:
            stories[passage.article_id] = f"{stories.get(passage.article_id, '')} {passage.text}"
        judged = [Judged(c, *candidate_features(c, frame, self.similarity, self.idf, top, total, stories))
                  for c in candidates]
        best = None
        if model is not None:
            for item in judged:
                if item.allowed:
                    item.probability = model.short.probability(item.features.values)
            allowed = [j for j in judged if j.allowed]
            best = max(allowed, key=lambda j: j.probability, default=None)
        fitting = sum(1 for j in judged if j.allowed)
        qfeatures = question_features(
            frame, pool, docs, self.similarity, self.idf, best.probability if best else 0.0, fitting)
        sure = model.short_probability(best.probability) if model is not None and best else 0.0
        return Analysis(frame, pool, list(docs), judged, qfeatures, best, sure)

    def _choice(self, evidence: Evidence, short: str | None) -> int | None:
        from assistant.answering.choices import pick_choice

        if not evidence.choices:
            return None
        choice, _ = pick_choice(evidence.choices, evidence.passages, evidence.sentences, self.idf, short)
        return choice


RIVAL_SHARE = 0.5  # a rival figure at least half as likely as the answer
_NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def _figures(text: str) -> tuple[float, ...]:
    """The numbers of a candidate as answers compare them ("forty" = "40", "2,700" = "2700")."""
    return tuple(float(x) for x in _FIGURE.findall(normalize_answer(text)))


def _rival_figure(analysis: Analysis, winner: Judged) -> Judged | None:
    """Another outlet's article giving a different value for what was asked: "52 died"
    against "at least 40 died", "on 3 March" against "on 5 March", "the mayor, Ana Ruiz"
    against "Luis Ortega". A candidate of the same kind (a figure, a date or a person) that
    passes the same checks, is at least RIVAL_SHARE as likely, and differs by
    :func:`_differs`. Only between articles of different outlets (and never a copy of the
    answer's own text): two values in one article are mostly two quantities, or a story's
    own correction."""
    kind = _kind(winner.candidate.label)
    # "Who said ...?": two people saying it is no conflict (and the answer's credit line
    # quotes the speaker's own sentence).
    if kind is None or (kind == "name" and analysis.frame.reporting):
        return None
    mine = winner.mention.sentence.passage
    for item in sorted(analysis.judged, key=lambda j: -j.probability):
        other = item.mention.sentence.passage
        if (item is winner or not item.allowed or _kind(item.candidate.label) != kind
                or item.probability < RIVAL_SHARE * winner.probability
                or other.article_id == mine.article_id or other.source == mine.source
                or other.original == mine.original):
            continue
        if _differs(kind, winner, item):
            return item
    return None


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH_NAME = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
               r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_MONTH = re.compile(rf"\b({_MONTH_NAME})\b", re.I)
# the day of month only written against its month: "3 March", "March 3rd", "3rd of March"
_DAY_OF_MONTH = re.compile(rf"\b(?:([12]?\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}\b"
                           rf"|{_MONTH_NAME}\.?\s+([12]?\d|3[01])(?:st|nd|rd|th)?\b)", re.I)


def _kind(label: str) -> str | None:
    """What kind of value a candidate is, for comparing rivals: a figure, a date, or a
    person's name. Other names are not compared: "Kyiv" and "Ukraine", "the Fed" and
    "Federal Reserve" share no word and are no conflict."""
    if label in _NUMBER_LABELS:
        return "figure"
    if label == "DATE":
        return "date"
    return "name" if label == "PERSON" else None


def _differs(kind: str, a: Judged, b: Judged) -> bool:
    """Whether two candidates surely name different values; when unsure, not.

    - figures: their numbers as answers compare them ("forty" = "40") differ;
    - dates: each read as year, month and day of month (:func:`date_parts`; a relative
      day made absolute against its article's date gives year and month only), they
      differ in a part both state ("13 January" and "January 13, 2025" agree; "1973" and
      "on Monday" in a 2019 story do not);
    - people's names: they share no word ("Lee" is "Lee Seong-kweun").
    """
    if kind == "figure":
        x, y = _figures(a.candidate.text), _figures(b.candidate.text)
        return bool(x and y) and x != y
    if kind == "date":
        return dates_differ(*((j.candidate.text, j.mention.sentence.passage.published_at) for j in (a, b)))
    x, y = (set(normalize_answer(j.candidate.text).split()) for j in (a, b))
    return bool(x and y) and not x & y


def dates_differ(a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
    """Whether two dates, each ``(text, article's publication date)``, differ in a part
    (year, month, day of month) that both state."""
    x, y = date_parts(*a), date_parts(*b)
    return any(x[i] is not None and y[i] is not None and x[i] != y[i] for i in range(3))


def date_parts(text: str, published: str | None = None) -> tuple[str | None, str | None, str | None]:
    """(year, month, day of month) that a date states, each None when it does not; a day
    only written against its month ("3 March", "March 3rd"); a relative day made absolute
    against ``published`` (its day of month then left out: see below).

    >>> date_parts("January 13, 2025"), date_parts("on Monday", "2019-01-04")
    (('2025', 'jan', '13'), ('2018', 'dec', None))
    """
    resolved = resolve(text, published)
    text = resolved or text
    year = _YEAR.search(text)
    month = _MONTH.search(text)
    # A weekday is resolved to the last such day on or before publication, but news also
    # writes "on Thursday" for the coming one: a resolved day is not compared.
    day = None if resolved else _DAY_OF_MONTH.search(_YEAR.sub(" ", text))
    day_value = day and (day.group(1) or day.group(2))
    return (year and year.group(1), month and month.group(1).lower()[:3], day_value and str(int(day_value)))


def _dates_note(citations: Sequence[Citation]) -> str:
    """For a "when" question answered with quotes alone: the date each relative day in the
    quotes means, by its article's date ("“on Monday” [2] is Monday 31 December 2018, by
    the article's date, 4 January 2019"). The quotes keep the article's words, and
    a reader months later would otherwise have to work the day out; nothing is stated
    about which of the days answers the question."""
    lines, seen = [], set()
    for c in citations:
        days = [(expression, day) for expression, day in relative_days(c.quote, c.passage.published_at)
                if (expression.lower(), day) not in seen]
        seen |= {(expression.lower(), day) for expression, day in days}
        if days:
            said = " and ".join(f"“{expression}” [{c.number}] is {day}" for expression, day in days)
            lines.append(f"{said}, by the article's date, {_day(c.passage.published_at)}")
    return "\n\n" + "; ".join(lines) + "." if lines else ""


def _conflict_note(winner: Judged, rival: Judged, citations: Sequence[Citation]) -> str:
    """"The sources differ: AFP (13 January 2025) says “300” [1]; Yonhap (14 January
    2025) and KBS (15 January 2025) say “3,000” [2]." Oldest first, so that an update reads
    as one. Each value names every outlet whose own reporting gives it (a copy of another
    outlet's text adds no one: sources that agree count once per original)."""
    def cited(item: Judged) -> str:
        sentence = item.mention.sentence
        passage = sentence.passage
        number = next((c.number for c in citations if c.passage.chunk_id == passage.chunk_id
                       and c.quote_start <= sentence.start < c.quote_end), None)
        outlets = {passage.source or "One source": passage.published_at}
        for mention in sorted(item.candidate.mentions, key=lambda m: m.sentence.passage.published_at or ""):
            other = mention.sentence.passage
            if other.copy_of is None and other.source and other.source not in outlets:
                outlets[other.source] = other.published_at
        named = [source + (f" ({day})" if (day := _day(published)) else "") for source, published in outlets.items()]
        where = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        verb = "says" if len(named) == 1 else "say"
        return f"{where} {verb} “{item.candidate.text}”" + (f" [{number}]" if number else "")

    both = sorted((winner, rival), key=lambda j: j.mention.sentence.passage.published_at or "")
    return f"The sources differ: {cited(both[0])}; {cited(both[1])}."


def missing_note(question: str, passage: Passage) -> str:
    """What a refusal says: the story the corpus does cover, and the fact it does not
    state. "The corpus reports “Notre Dame in Paris catches fire” (Wikinews, 16 April
    2019), but none of its passages says how many firefighters were injured in the Notre
    Dame fire." """
    story = f"“{passage.title.strip()}”"
    if credited := credit(passage):
        story += f" ({credited})"
    asked = question.strip().rstrip("?").strip()
    if asked and not _AUXILIARY.match(asked):
        missing = f"says {asked[0].lower() + asked[1:]}"
    else:
        missing = f"answers “{question.strip()}”"
    return (f"The corpus reports {story}, but none of its passages {missing}. The closest "
            "passages are listed as related reading.")


def credit(passage: Passage) -> str:
    """Outlet and day of a passage as a reader sees them ("Wikinews, 16 April 2019"); ""
    when it has neither."""
    return ", ".join(x for x in (passage.source, _day(passage.published_at)) if x)


def _day(published_at: str | None) -> str | None:
    if not published_at:
        return None
    from datetime import date

    try:
        day = date.fromisoformat(published_at[:10])
    except ValueError:
        return published_at
    return f"{day.day} {day:%B %Y}"


def _quotes(
    lead: ScoredSentence, strong: Sequence[ScoredSentence], short: str | None, limit: int,
    also: ScoredSentence | None = None,
) -> list[ScoredSentence]:
    """The lead sentence (and ``also``), then strong ones from the same story, then others
    that repeat the short answer: a reply quotes one story coherently rather than a mix."""
    chosen = [lead] + ([also] if also is not None and also is not lead else [])
    same_story = [s for s in strong if s is not lead and s.passage.article_id == lead.passage.article_id]
    corroborating = [
        s for s in strong
        if s is not lead and s.passage.article_id != lead.passage.article_id
        and short is not None and short.lower() in s.text.lower()
    ]
    for sentence in same_story + corroborating:
        if len(chosen) >= limit:
            break
        if sentence not in chosen:
            chosen.append(sentence)
    return chosen


def _cite(sentences: Sequence[ScoredSentence]) -> list[Citation]:
    """One citation per quote; neighbouring sentences of one passage become one quote."""
    citations: list[Citation] = []
    for sentence in sentences:
        merged = False
        for citation in citations:
            if citation.passage.chunk_id != sentence.passage.chunk_id:
                continue
            if _adjacent(citation, sentence):
                start = min(citation.quote_start, sentence.start)
                end = max(citation.quote_end, sentence.end)
                citation.quote_start, citation.quote_end = start, end
                citation.quote = _slice(citation.passage, start, end)
                merged = True
                break
        if not merged:
            citations.append(
                Citation(
                    number=len(citations) + 1,
                    passage=sentence.passage,
                    quote=sentence.text,
                    quote_start=sentence.start,
                    quote_end=sentence.end,
                    score=sentence.relevance,
                )
            )
    return citations


def _adjacent(citation: Citation, sentence: ScoredSentence) -> bool:
    spans = list(citation.passage.sentences)
    try:
        first = next(i for i, (s, _) in enumerate(spans) if s == citation.quote_start)
        last = next(i for i, (_, e) in enumerate(spans) if e == citation.quote_end)
        index = spans.index((sentence.start, sentence.end))
    except (StopIteration, ValueError):
        return False
    return index in (first - 1, last + 1)


def _slice(passage: Passage, start: int, end: int) -> str:
    return passage.text[start - passage.char_start : end - passage.char_start]
