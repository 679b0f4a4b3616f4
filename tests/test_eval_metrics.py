"""The evaluation's metric functions and question loading, on hand-computed cases (pure:
no model, no index)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from eval import metrics as m
from eval.questions import load_questions
from eval.scoring import aggregate, compare, diagnose, recall_curve
from tests.conftest import DEMO

SEED_ALIASES = ["Lee Seong-kweun", "Lee"]


@pytest.mark.parametrize("text, expected", [
    ("The 2,700 Wounded!", "2700 wounded"),
    ("  an   Apple,  a day ", "apple day"),
    ("U.S. troops", "us troops"),
    ("Kyiv's army", "kyiv army"),
    ("Lee Seong-kweun", "lee seong kweun"),
    ("in 2019, 300 died", "in 2019 300 died"),  # a comma before a space is no separator
    ("", ""),
    (None, ""),
])
def test_normalize_answer(text, expected):
    assert m.normalize_answer(text) == expected


def test_exact_match_takes_the_best_alias_and_ignores_case_punctuation_articles():
    assert m.exact_match("lee.", SEED_ALIASES) == 1.0
    assert m.exact_match("The Kursk region", ["Kursk", "the Kursk region"]) == 1.0
    assert m.exact_match("Seong-kweun", SEED_ALIASES) == 0.0


def test_numbers_with_and_without_thousands_separator_match():
    assert m.exact_match("2700", ["2,700"]) == 1.0
    assert m.exact_match("2,700", ["2700"]) == 1.0
    assert m.exact_match("92,153 votes", ["92,153"]) == 0.0
    assert m.token_f1("92,153 votes", ["92153"]) == pytest.approx(2 / 3)  # P 1/2, R 1


def test_empty_prediction_or_null_answer_scores_zero():
    assert m.exact_match("", SEED_ALIASES) == 0.0
    assert m.exact_match(None, SEED_ALIASES) == 0.0
    assert m.token_f1(None, SEED_ALIASES) == 0.0
    assert m.exact_match("the", ["a"]) == 0.0  # both normalise to nothing
    assert m.exact_match("Lee", []) == 0.0


def test_token_f1_by_hand():
    # pred tokens: lee, seong, kweun, said (4); gold "Lee Seong-kweun": 3; common 3.
    # P = 3/4, R = 1 -> F1 = 2 * 0.75 / 1.75 = 6/7; the alias "Lee": P 1/4, R 1 -> 0.4.
    assert m.token_f1("Lee Seong-kweun said", SEED_ALIASES) == pytest.approx(6 / 7)
    assert m.token_f1("over 400", ["400"]) == pytest.approx(2 / 3)
    assert m.token_f1("the the", ["the"]) == 0.0


def test_answer_contained_respects_token_boundaries():
    assert m.contains_answer("Around 300 were killed and 2,700 wounded.", ["2700"]) == 1.0
    assert m.contains_answer("27,000 wounded", ["2700"]) == 0.0
    assert m.contains_answer("Leeds United won", ["Lee"]) == 0.0
    assert m.contains_answer("anything", ["the"]) == 0.0  # an alias that normalises away


def test_retrieval_recall_and_mrr_count_distinct_articles():
    ranked = ["a", "a", "b", "c", "b", "d"]  # passages; articles in order: a, b, c, d
    assert m.recall_at_k(ranked, {"c"}, 2) == 0.0
    assert m.recall_at_k(ranked, {"c"}, 3) == 1.0
    assert m.reciprocal_rank(ranked, {"c", "d"}) == pytest.approx(1 / 3)
    assert m.reciprocal_rank(ranked, {"z"}) == 0.0


def test_answer_string_recall_at_k():
    passages = ["No answer here.", "Officials said 39 are confirmed dead.", "39 again"]
    assert m.answer_recall_at_k(passages, ["39"], 1) == 0.0
    assert m.answer_recall_at_k(passages, ["39"], 2) == 1.0


def test_citation_precision_and_recall():
    cited = ["lawmaker Lee Seong-kweun told reporters", "unrelated text", "Lee said more"]
    assert m.citation_precision(cited, SEED_ALIASES, None) == pytest.approx(2 / 3)
    evidence = "lawmaker Lee Seong-kweun told reporters"
    assert m.citation_precision(["Lawmaker Lee Seong-kweun told reporters, AFP said"],
                                ["nobody"], evidence) == 1.0
    assert m.citation_precision([], SEED_ALIASES, evidence) is None
    assert m.citation_recall(cited, evidence) == 1.0
    assert m.citation_recall(cited[1:], evidence) == 0.0
    assert m.citation_recall(cited, None) is None


def test_percentiles_and_bootstrap_interval():
    assert m.percentile([4, 1, 3, 2], 50) == 2.5
    assert m.percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert m.percentile([], 50) is None
    low, high = m.bootstrap_ci([0, 1] * 50)
    assert 0.38 < low < 0.5 < high < 0.62  # +-1.96 * sqrt(.25 / 100) = +-0.098
    assert m.bootstrap_ci([1, 1, 1]) == (1.0, 1.0)
    assert m.bootstrap_ci([0, 1] * 50) == (low, high)  # seeded: reruns agree
    assert m.bootstrap_ci([]) is None


def _row(type_, scores, answers=("x",), abstained=False, ranks=None, **extra):
    return {"type": type_, "scores": scores, "answers": list(answers) if answers else None,
            "abstained": abstained, "ranks": ranks or {}, "gold_article_ids": ["a"],
            "error": None, **extra}


def test_aggregate_skips_metrics_that_do_not_apply():
    rows = [_row("who", {"exact_match": 1.0, "correct_refusal": None}),
            _row("who", {"exact_match": 0.0, "correct_refusal": None}),
            _row("when", {"exact_match": None, "correct_refusal": 1.0}, answers=None)]
    table = aggregate(rows, resamples=200)
    assert table["exact_match"]["value"] == 0.5 and table["exact_match"]["n"] == 2
    assert table["correct_refusal"]["value"] == 1.0 and table["correct_refusal"]["n"] == 1
    assert "mrr" not in table


def test_recall_curve_from_first_hit_ranks():
    rows = [_row("who", {}, ranks={"article": 1}), _row("who", {}, ranks={"article": 3}),
            _row("who", {}, ranks={"article": None}), _row("who", {}, ranks={"article": 2})]
    assert recall_curve(rows, "article", 3) == [0.25, 0.5, 0.75]


def test_diagnosis_names_the_stage_that_failed():
    miss = _row("who", {"contained": 0.0}, ranks={"answer": None})
    extraction = _row("who", {"contained": 0.0}, ranks={"answer": 2})
    assert diagnose(miss).startswith("retrieval miss")
    assert diagnose(extraction) == "extraction miss: passage 2 holds the answer"
    assert diagnose(_row("who", {"contained": 1.0})) is None
    assert diagnose(_row("who", {}, answers=None, abstained=True)) is None
    assert diagnose(_row("who", {}, answers=None)) == "answered a question the corpus cannot answer"


def test_compare_reports_deltas():
    now = {"overall": {"f1": {"value": 0.6}}, "latency": {"total": {"p50": 1.0, "p95": 2.0}},
           "questions": 3}
    before = {"overall": {"f1": {"value": 0.5}, "mrr": {"value": 0.4}},
              "latency": {"total": {"p50": 1.5, "p95": 2.0}}}
    result = compare(now, before)
    assert result["metrics"] == {"f1": {"before": 0.5, "after": 0.6, "delta": pytest.approx(0.1)}}
    assert result["latency"]["latency_p50"]["delta"] == -0.5


# -- question sets ---------------------------------------------------------------------
def test_demo_question_files_load_as_they_are():
    demo = load_questions(DEMO / "questions.jsonl")
    assert len(demo.questions) == 30 and not demo.problems
    first = demo.questions[0]
    assert first.answers == ("39",) and first.article_ids == ("wn-e8d671d30811",)
    assert first.type == "how many" and first.evidence.startswith("A total of 39")
    seed = load_questions(DEMO / "seed-questions.jsonl")
    assert [q.answers for q in seed.questions][:2] == [
        ("Lee Seong-kweun", "Lee"), ("2,700", "2700")]
    assert seed.questions[-1].answers is None and not seed.questions[-1].answerable
    assert seed.questions[0].type == "who"


def test_rtqa_style_record_and_a_malformed_line(tmp_path):
    # An invented record in the rtqa-dev layout (the real data never enters the repo).
    record = {"id": "20990101_1", "question": "Which city hosted the invented games this week?",
              "question_date": "2099-01-01", "answer": "Atlantis", "choices": ["Rome", "Atlantis"],
              "answer_index": 1, "gold_article_ids": ["x1", "x2"],
              "gold_recent_article_ids": ["x1"],
              "quiz_evidence": "<a href='https://example.org'>secret</a>"}
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(record) + "\n{not json\n\n" + json.dumps({"answer": "x"}) + "\n"
                    + json.dumps({"question": "Q?", "answer": "a", "answer_index": 3,
                                  "choices": ["a"]}) + "\n")
    qset = load_questions(path)
    [q] = qset.questions
    assert (q.as_of, q.choices, q.answer_index) == (date(2099, 1, 1), ("Rome", "Atlantis"), 1)
    assert q.article_ids == ("x1", "x2") and q.recent_article_ids == ("x1",)
    assert q.evidence is None and "secret" not in json.dumps(q.to_dict())
    assert [(p.line, p.reason.split(" (")[0]) for p in qset.problems] == [
        (2, "not valid JSON"), (4, "no 'question' text"),
        (5, "'answer_index' 3 is outside the 1 choices")]


def test_csv_question_set(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("id,question,answer,article_ids,as_of\n"
                    "c1,Who won?,Alice | Alicia,a1|a2,2024-05-01\n"
                    "c2,What is missing?,,,\n"
                    "c3,,oops,,\n")
    qset = load_questions(path)
    assert [q.answers for q in qset.questions] == [("Alice", "Alicia"), None]
    assert qset.questions[0].article_ids == ("a1", "a2")
    assert qset.questions[0].as_of == date(2024, 5, 1)
    assert [(p.line, p.reason) for p in qset.problems] == [(4, "no 'question' text")]


def test_report_highlights_answers_and_escapes_passage_html():
    from eval.report import highlight

    html = str(highlight("Around 2,700 wounded <b>, Lee said; Leeds", ["2700", "Lee"]))
    assert html == ("Around <mark>2,700</mark> wounded &lt;b&gt;, <mark>Lee</mark> said; Leeds")


def test_recall_beyond_the_passages_asked_for_is_not_measured():
    """`byline eval -k 5` must not report recall@10 (it would silently equal recall@5)."""
    from assistant.types import Answer, Passage
    from eval.questions import Question
    from eval.scoring import score_row

    passages = [Passage(f"c{i}", f"a{i}", f"text {i}", 0, 6, "t", "s", None, None) for i in range(5)]
    q = Question("q1", "Who?", ("nobody",), "who", article_ids=("a3",))
    answer = Answer("Who?", "", None, False, [], passages)
    five = score_row(q, answer, k=5)["scores"]
    assert five["recall@5"] == 1.0 and five["recall@1"] == 0.0
    assert five["recall@10"] is None and five["answer_recall@10"] is None
    assert score_row(q, answer, k=10)["scores"]["recall@10"] == 1.0


def test_citation_labels_score_a_runs_verified_sentences(tmp_path, capsys):
    """``python -m eval.citations``: each shown, verified generated sentence and each
    passage it cites is one pair; labelled pairs give the precision, the others are
    written out for labelling; unverified or hidden sentences are not pairs."""
    from eval import citations

    passage = "Over 400 firefighters fought the blaze, officials said."
    sentences = [
        {"text": "Over 400 firefighters fought the fire.", "citations": [1], "verified": True, "shown": True},
        {"text": "400 firefighters were injured.", "citations": [1], "verified": True, "shown": True},
        {"text": "It was arson.", "citations": [1], "verified": False, "shown": True},
    ]
    row = {"id": "q1", "question": "How many firefighters fought the fire?",
           "reader": {"mode": "llm", "sentences": sentences},
           "citations": [{"number": 1, "article_id": "a1", "title": "Fire", "passage": passage}]}
    run = tmp_path / "run"
    run.mkdir()
    (run / "results.jsonl").write_text(json.dumps(row) + "\n")
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"key": citations.pair_key(sentences[0]["text"], passage),
                                  "label": "supported"}) + "\n")
    out = tmp_path / "todo.json"
    citations.main([str(run), "--labels", str(labels), "--unlabelled", str(out)])
    assert "2 pairs, 1 labelled" in capsys.readouterr().out
    assert [p["sentence"] for p in json.loads(out.read_text())] == ["400 firefighters were injured."]
    shipped = [json.loads(line) for line in citations.LABELS.read_text().splitlines()]
    assert {item["label"] for item in shipped} <= {"supported", "premise", "unsupported"}
    assert len({item["key"] for item in shipped}) == len(shipped) >= 100
