"""Reader mode: a language model reads Byline's own evidence and gives the short answer.

Retrieval, reranking and the quoted evidence stay the extractive answerer's; the reader
only replaces how the short answer (and, with options, the choice) is found. It sees the
best evidence sentences (not whole passages: prompt tokens are most of a CPU reader's
time), grouped under their headline, outlet and date, and must reply with words copied
from them or "unknown". Its reply is never trusted as it stands:

* it must occur in the evidence (compared normalised: "2,700" = "2700", "four" = "4"):
  in the sentences it read, else in another sentence of the retrieved passages (an option
  it knew from the question), which is then quoted; the short answer shown is the
  evidence's own words;
* the extractive checks apply to it (:mod:`.checks`): a number for another predicate, a
  name of another role, a date of another event is vetoed exactly as an extracted one;
* its probability of being right comes from a model fitted for this mode
  (``confidence.json``, modes "reader" and "reader+choices"), with the reader's own token
  probability and its agreement with the extractive candidate among the features.

"unknown", a reply not found in the evidence, a veto or a low probability give no
reader answer: the extractive decision stands (its short answer if it is sure, else the
evidence or the refusal). A failing or unreachable model gives the extractive answer with
a notice, never an error.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.checks import candidate_features
from assistant.answering.entities import Candidate, Mention
from assistant.answering.extractive import credit
from assistant.answering.model_stage import ModelStage
from assistant.answering.normalize import normalize_answer

SYSTEM = (
    "You answer questions about news using only the numbered evidence. Reply with the "
    "answer alone, copied word for word from the evidence, at most six words. If the "
    "evidence does not state the answer to this exact question, reply: unknown"
)
# Two fixed examples (one answered, one whose topic is there but whose fact is not). They
# sit in the prompt prefix, which the in-process model keeps in its cache between calls.
EXAMPLES = (
    ("[1] Riverside Gazette, 2 March 2021. Flood forces evacuation of Millbrook\n"
     "Officials said 1,200 residents of Millbrook were evacuated on Tuesday as the river "
     "rose.\nQuestion: How many residents were evacuated from Millbrook?", "1,200"),
    ("[1] Harbour Times, 9 May 2020. Ferry catches fire off Port Allen\n"
     "All 85 passengers were rescued after the ferry caught fire, the coast guard said.\n"
     "Question: How many crew members were injured in the Port Allen ferry fire?", "unknown"),
)
UNKNOWN = ("unknown", "not stated", "not mentioned", "no answer", "none")
# Two sentences: on rtqa-dev the same EM/F1 as four (69.1 / 69.3) with the reader's p50 at
# 4.0 s instead of 5.7 s; six were slower and worse (benchmarks/reader.py).
EVIDENCE_SENTENCES = 2
MAX_SENTENCE_CHARS = 320
MAX_ANSWER_TOKENS = 12
READER_FEATURES = ("reader", "agrees", "extractive", "option", "relevance", "predicate",
                   "focus_link", "qualifiers", "words", "outside")
PASSAGES_SEARCHED = 20  # where else the reply is looked for when the sentences read lack it


@dataclass
class Reading:
    """What the reader said and what became of it. ``status``: "answered" (shown),
    "unknown", "not in evidence", "vetoed: <check>", "unsure" (below the threshold),
    "failed: <reason>"."""

    raw: str | None
    status: str
    seconds: float = 0.0
    judged: object | None = None  # the Judged candidate of the reader's answer
    probability: float = 0.0
    choice: int | None = None
    features: dict | None = None  # kept for fitting (benchmarks/fit_confidence.py)

    def to_dict(self) -> dict:
        return {"answer": self.raw, "status": self.status, "seconds": round(self.seconds, 3),
                "probability": round(self.probability, 4)}


class LLMReader(ModelStage):
    """Args:
    llm: a llama-index LLM (see :mod:`assistant.models.llm`), or a callable building one.
    sentences: evidence sentences shown to the model.
    lock: the model's lock, when other stages use the same model (see ``ModelStage``).
    """

    writes = False  # it reads for the short answer: the evidence's quotes stream first
    system = SYSTEM
    examples = EXAMPLES

    def __init__(self, llm, *, sentences: int = EVIDENCE_SENTENCES,
                 lock: threading.Lock | None = None) -> None:
        if sentences < 1:
            raise ValueError(f"sentences must be at least 1, got {sentences}")
        super().__init__(llm, lock)
        self.sentences = sentences

    def prompt(self, question: str, sentences: Sequence, choices: Sequence[str] = (),
               as_of: str | None = None) -> str:
        """The user turn: evidence grouped by story, then the question (and options)."""
        lines: list[str] = []
        stories: dict[str, int] = {}
        for sentence in sentences:
            passage = sentence.passage
            if passage.article_id not in stories:
                stories[passage.article_id] = len(stories) + 1
                lines.append(f"[{stories[passage.article_id]}] {credit(passage)}. {passage.title.strip()}")
            lines.append(" ".join(sentence.text.split())[:MAX_SENTENCE_CHARS])
        asked = f"Question: {question}"
        if as_of:
            asked = f"Today is {as_of}. {asked}"
        if choices:
            asked += "\nOptions: " + "; ".join(choices) + " (reply with one of them, or unknown)"
        return "\n".join(lines) + "\n" + asked

    def answer(self, answer, draft, evidence, answerer, as_of=None, wait: float | None = None):
        """The ``Reader`` stage: the reader's short answer, checked, as the final answer;
        the extractive answer (with the reader's status) when it has none."""
        from dataclasses import replace

        if draft.analysis is None:  # nothing relevant was found: nothing to read
            yield replace(answer, reader={"answer": None, "status": "not run: no evidence"})
            return
        model = answerer.model(evidence)
        started = time.perf_counter()
        reading = self.read(evidence, draft.analysis, answerer, model,
                            as_of.isoformat() if as_of else None, wait=wait)
        timings = {**answer.timings, "reader": round(time.perf_counter() - started, 4)}
        timings["total"] = round(answer.timings.get("total", 0.0) + timings["reader"], 4)
        choice = reading.choice if reading.choice is not None else answer.choice
        if reading.status != "answered":
            yield replace(answer, choice=choice, timings=timings, reader=reading.to_dict())
            return
        short = reading.judged.candidate.text
        citations = answerer.quote(evidence.sentences, reading.judged.mention.sentence, short)
        text = short + ".\n\n" + " ".join(f"{c.quote} [{c.number}]" for c in citations)
        yield replace(answer, text=text, short_answer=short, abstained=False,
                      confidence=round(reading.probability, 4), citations=citations,
                      choice=choice, timings=timings, reader=reading.to_dict())

    def condense(self, question, history, wait=None) -> None:
        return None  # the reader reads for the short answer only: the rule-based rewrite stands

    def read(self, evidence, analysis, answerer, model, as_of: str | None = None,
             wait: float | None = None) -> Reading:
        """Ask the model, then check its reply against the evidence and the question.
        ``wait``: seconds to wait for the model while it reads for other questions (None:
        as long as it takes); past it the extractive answer stands, with a notice."""
        sentences = _evidence_sentences(analysis, self.sentences)
        if not sentences:
            return Reading(None, "unknown")
        started = time.perf_counter()
        with self.holding(wait) as got:
            if not got:
                return Reading(None, "failed: the model is busy reading for other questions",
                               time.perf_counter() - started)
            try:
                response = self.llm.chat(self.messages(
                    self.prompt(evidence.question, sentences, evidence.choices, as_of)),
                    max_tokens=MAX_ANSWER_TOKENS)
            except Exception as exc:  # any backend failure: the extractive answer stands
                return Reading(None, f"failed: {type(exc).__name__}: {str(exc)[:200]}",
                               time.perf_counter() - started)
        seconds = time.perf_counter() - started
        raw = _clean(response.message.content or "")
        logprobs = _logprobs(response)
        choice = _match_choice(raw, evidence.choices)
        if not raw or raw.lower().startswith(UNKNOWN):
            return Reading(raw, "unknown", seconds, choice=None)
        found = _locate(raw, analysis) or _locate_elsewhere(raw, evidence, answerer)
        if found is None:
            return Reading(raw, "not in evidence", seconds, choice=choice)
        outside = found[1] not in analysis.pool
        judged = _judge(found, analysis, answerer, option=choice is not None)
        if judged.check.veto is not None:
            return Reading(raw, f"vetoed: {judged.check.veto}", seconds, judged, choice=choice)
        best = analysis.best
        agrees = best is not None and normalize_answer(best.candidate.text) == normalize_answer(judged.candidate.text)
        values = judged.features.as_dict()
        features = {
            "reader": math.exp(sum(logprobs) / len(logprobs)) if logprobs else 0.5,
            "agrees": float(agrees),
            "extractive": model.short_probability(best.probability) if agrees else 0.0,
            "option": float(choice is not None),
            "relevance": values["relevance"], "predicate": values["predicate"],
            "focus_link": values["focus_link"], "qualifiers": values["qualifiers"],
            "words": min(len(raw.split()), 8) / 8,
            "outside": float(outside),  # found in a retrieved passage, not the sentences read
        }
        probability = model.reader.probability(features) if model.reader is not None else features["reader"]
        status = "answered" if probability >= model.reader_threshold else "unsure"
        return Reading(raw, status, seconds, judged, probability, choice, features)


def _logprobs(response) -> list[float] | None:
    """The answer tokens' log-probabilities: the packaged model's, or an OpenAI-compatible
    server's when it returns them."""
    kept = (response.message.additional_kwargs or {}).get("logprobs")
    if kept:
        return list(kept)
    if getattr(response, "logprobs", None):
        return [token[0].logprob for token in response.logprobs if token]
    return None


def _evidence_sentences(analysis, limit: int) -> list:
    """The best pool sentences, plus the extractive best candidate's when it is lower."""
    chosen = list(analysis.pool[:limit])
    best = analysis.best
    if best is not None and best.mention.sentence not in chosen:
        chosen.append(best.mention.sentence)
    return chosen


def _clean(text: str) -> str:
    text = text.strip().splitlines()[0] if text.strip() else ""
    for prefix in ("answer:", "a:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
    return text.strip().strip(" .\"'“”‘’*")


def _match_choice(raw: str, choices: Sequence[str]) -> int | None:
    key = normalize_answer(raw)
    if not key or not choices:
        return None
    for i, option in enumerate(choices):
        if normalize_answer(option) == key:
            return i
    for i, option in enumerate(choices):
        norm = normalize_answer(option)
        if norm and (f" {norm} " in f" {key} " or f" {key} " in f" {norm} "):
            return i
    return None


def _locate(raw: str, analysis):
    """The span of a pool sentence whose normalised words equal the reply's (the evidence's
    own words for the short answer), as ``(span, sentence)``; None when none does."""
    key = normalize_answer(raw)
    if not key:
        return None
    width = len(key.split())
    for sentence, doc in zip(analysis.pool, analysis.docs):
        if f" {key} " not in f" {normalize_answer(doc.text)} ":
            continue
        for start in range(len(doc)):
            for end in range(start + 1, min(len(doc), start + width + 4) + 1):
                if normalize_answer(doc[start:end].text) == key:
                    return doc[start:end], sentence
    return None


def _locate_elsewhere(raw: str, evidence, answerer):
    """The reply in another sentence of the retrieved passages (an option the model knew
    from the question, stated in a passage it was not shown): that sentence is then the
    evidence, quoted and checked like any other."""
    from assistant.evidence import RELEVANCE_GATE, ScoredSentence

    key = normalize_answer(raw)
    if not key:
        return None
    for passage in list(evidence.passages)[:PASSAGES_SEARCHED]:
        for start, end in passage.sentences:
            sentence = ScoredSentence(passage, start, end, relevance=RELEVANCE_GATE)
            if f" {key} " not in f" {normalize_answer(sentence.text)} ":
                continue
            doc = answerer.nlp()(sentence.text)
            width = len(key.split())
            for i in range(len(doc)):
                for j in range(i + 1, min(len(doc), i + width + 4) + 1):
                    if normalize_answer(doc[i:j].text) == key:
                        return doc[i:j], sentence
    return None


def _judge(found, analysis, answerer, option: bool = False):
    """The reader's answer as a candidate: the extractive one with the same words when
    there is one, else a new candidate checked the same way. An answer that is one of the
    question's options is checked as the extractive options are (the option list already
    says what kind of thing answers; the quiz's wording is rarely the article's)."""
    from assistant.answering.entities import OPTION
    from assistant.answering.extractive import Judged

    span, sentence = found
    key = normalize_answer(span.text)
    for judged in analysis.judged:
        if normalize_answer(judged.candidate.text) == key and judged.mention.sentence is sentence:
            return judged
    for judged in analysis.judged:
        if normalize_answer(judged.candidate.text) == key and sentence in analysis.pool:
            return judged
    label = OPTION if option else next(
        (ent.label_ for ent in span.doc.ents if ent.start <= span.start < ent.end), "READER")
    candidate = Candidate(span.text, label, 0.0, [Mention(span, label, sentence, 0.0)])
    total = sum(j.candidate.score for j in analysis.judged)
    top = max((s.relevance for s in analysis.pool), default=0.0)
    features, check, mention = candidate_features(
        candidate, analysis.frame, answerer.similarity, answerer.idf, top, total)
    return Judged(candidate, features, check, mention)

