"""Calibrated probabilities from the answerer's own checks.

Three logistic models per answering mode, fitted by ``benchmarks/fit_confidence.py`` on the
development sets (the demo questions, the seed questions, the near-miss set and its fresh
rounds but the last, and rtqa-dev) and stored in ``confidence.json`` beside this module:

* ``short``: is this candidate the right short answer? (features: :mod:`.checks`); it
  ranks the candidates, and ``calibration`` (Platt scaling of its logit, fitted on each
  question's best candidate only) turns the winner's score into a probability;
* ``refusal``: when the answerer refuses, is the answer really not in the corpus?
* ``evidence``: when it quotes evidence without a short answer, do the quotes hold it?

Each is fitted on the questions where that decision is taken, so each probability means
what the reply of that kind claims.

Applying a model is a dot product and a logistic, so scikit-learn is needed only to fit.
The file also holds the decision thresholds, each chosen on the same sets and explained
there, and the metrics the fit reached, so a reader sees what the numbers were tuned on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("confidence.json")


@dataclass(frozen=True)
class Logistic:
    """P(y = 1 | x) = 1 / (1 + exp(-(w . x + b)))."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float

    def probability(self, values: Mapping[str, float] | Sequence[float]) -> float:
        if isinstance(values, Mapping):
            values = [values[name] for name in self.features]
        if len(values) != len(self.weights):
            raise ValueError(f"expected {len(self.weights)} features, got {len(values)}")
        z = self.intercept + sum(w * x for w, x in zip(self.weights, values))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_dict(cls, data: Mapping) -> "Logistic":
        features, weights = tuple(data["features"]), tuple(map(float, data["weights"]))
        if len(features) != len(weights):
            # Weights are applied by position, so a list of names that lost one would
            # pass silently with every name after the gap meaning another weight.
            raise ValueError(f"a model names {len(features)} features but has {len(weights)} weights")
        return cls(features, weights, float(data["intercept"]))


@dataclass(frozen=True)
class ConfidenceModel:
    """The fitted models of one answering mode and the thresholds that act on them."""

    short: Logistic
    calibration: tuple[float, float]  # (a, b): P = 1 / (1 + exp(-(a * logit(p) + b)))
    refusal: Logistic
    evidence: Logistic
    relevance_threshold: float  # refuse when the best sentence's cross-encoder logit is below
    short_threshold: float  # give a short answer at or above this probability
    refuse_threshold: float  # refuse a name/number/date question when no candidate reaches this
    evidence_floor: float = 0.0  # refuse rather than quote when ``evidence`` is below this
    reader: Logistic | None = None  # reader mode: is the reader's checked answer right?
    reader_threshold: float = 0.5

    @classmethod
    def from_dict(cls, data: Mapping) -> "ConfidenceModel":
        return cls(
            short=Logistic.from_dict(data["short"]),
            calibration=(float(data["calibration"][0]), float(data["calibration"][1])),
            refusal=Logistic.from_dict(data["refusal"]),
            evidence=Logistic.from_dict(data["evidence"]),
            relevance_threshold=float(data["relevance_threshold"]),
            short_threshold=float(data["short_threshold"]),
            refuse_threshold=float(data["refuse_threshold"]),
            evidence_floor=float(data.get("evidence_floor", 0.0)),
            reader=Logistic.from_dict(data["reader"]) if data.get("reader") else None,
            reader_threshold=float(data.get("reader_threshold", 0.5)),
        )


    def short_probability(self, score: float) -> float:
        """The calibrated probability that a winning candidate of raw score ``score`` is
        the right answer."""
        a, b = self.calibration
        score = min(max(score, 1e-6), 1 - 1e-6)
        return 1 / (1 + math.exp(-(a * math.log(score / (1 - score)) + b)))


@cache
def load_models(path: Path = MODEL_FILE) -> dict[str, ConfidenceModel]:
    """Mode name -> its fitted model: "plain" for questions asked alone, "choices" for
    multiple-choice questions (their options are candidates too)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {mode: ConfidenceModel.from_dict(entry) for mode, entry in data["modes"].items()}
