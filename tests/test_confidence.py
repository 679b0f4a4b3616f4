"""The shipped confidence models read the features the answerer computes, by name."""

import json

import pytest

from assistant.answering.checks import FEATURES, QUESTION_FEATURES
from assistant.answering.confidence import MODEL_FILE, load_models


def test_every_shipped_model_names_the_features_it_weighs():
    # A candidate's features are weighed by position: a model whose list of names drifted
    # from the answerer's would weigh "latest" as "money_mismatch" without a word.
    for mode, model in load_models().items():
        assert model.short.features == FEATURES, mode
        assert model.refusal.features == QUESTION_FEATURES, mode
        assert model.evidence.features == QUESTION_FEATURES, mode


def test_a_model_file_that_lost_a_feature_name_is_refused_on_load(tmp_path):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["modes"]["choices"]["short"]["features"].pop()
    broken = tmp_path / "confidence.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="names 22 features but has 23 weights"):
        load_models(broken)
