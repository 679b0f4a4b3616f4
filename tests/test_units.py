"""The small rules under retrieval and answering, each on hand-made input: rank fusion,
near-duplicate removal, question classification, the multiple-choice pick, and the time
window a question is about (with and without ``as_of``). No models and no index: this is
part of the fast tier (`make check`)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answering.choices import pick_choice
from assistant.answering.question import classify
from assistant.evidence import ScoredSentence
from assistant.retrieval.dedup import drop_near_duplicates
from assistant.retrieval.fusion import reciprocal_rank_fusion
from assistant.retrieval.timeframe import question_timeframe
from assistant.types import Passage


def passage(chunk_id: str, text: str, article_id: str | None = None, title: str = "Headline") -> Passage:
    return Passage(chunk_id, article_id or chunk_id, text, 0, len(text), title, "Wikinews", None,
                   "2019-04-16")


# -- fusion --------------------------------------------------------------------------
def test_fusion_rewards_agreement_between_rankings():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    order = [item for item, _ in fused]
    assert order == ["a", "c", "b", "d"]  # 1st and 2nd beats 3rd and 1st; both beat one list
    assert dict(fused)["a"] == pytest.approx(1 / 61 + 1 / 62)


def test_fusion_weights_and_ties():
    fused = dict(reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 0.5]))
    assert fused["a"] == pytest.approx(2 * fused["b"])
    assert [item for item, _ in reciprocal_rank_fusion([["x"], ["y"]])] == ["x", "y"]  # first seen
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=0)


# -- near-duplicates -----------------------------------------------------------------
WIRE = ("Around 300 North Korean soldiers have been killed and 2,700 wounded fighting "
        "for Russia against Ukraine, a South Korean lawmaker said on Monday.")


def test_the_same_wire_story_in_another_outlet_fills_one_slot():
    copy = "SEOUL (AFP) - " + WIRE + " More details followed."
    kept = drop_near_duplicates([passage("p1", WIRE), passage("p2", copy), passage("p3", "Unrelated text about a marathon in Chicago.")])
    assert [p.chunk_id for p in kept] == ["p1", "p3"]


def test_overlapping_chunks_of_one_article_are_not_duplicates():
    kept = drop_near_duplicates([passage("c0", WIRE, "art"), passage("c1", WIRE + " Next.", "art")])
    assert [p.chunk_id for p in kept] == ["c0", "c1"]


def test_dedup_limit_stops_early():
    texts = [f"Story number {i} about a different topic entirely, word {i} {i * 7}." for i in range(5)]
    kept = drop_near_duplicates([passage(f"p{i}", t) for i, t in enumerate(texts)], limit=2)
    assert [p.chunk_id for p in kept] == ["p0", "p1"]


# -- question classification ---------------------------------------------------------
@pytest.mark.parametrize("question, wh, first_label", [
    ("How many firefighters were injured in the fire?", "how many", "CARDINAL"),
    ("How much did Russia pay North Korea?", "how many", "MONEY"),
    ("When did the building collapse?", "when", "DATE"),
    ("Where did the airstrike take place?", "where", "GPE"),
    ("Who claimed the casualty figures?", "who", "PERSON"),
    ("What was Kipchoge's time when he ran?", "which", None),  # "what ... time", not "when"
    ("According to the WHO, how many cases were confirmed?", "how many", "CARDINAL"),  # the WHO asks nothing
    ("Who heads the WHO?", "who", "PERSON"),
])
def test_classification_by_the_earliest_question_phrase(question, wh, first_label):
    kind = classify(question)
    assert kind.wh == wh
    if first_label is not None:
        assert kind.labels and kind.labels[0] == first_label


def test_which_questions_keep_their_asked_noun():
    kind = classify("Which airline flew Qasem Soleimani to Baghdad?")
    assert (kind.wh, kind.noun) == ("which", "airline")


@pytest.mark.parametrize("question, noun", [
    ("What was the name of the man seriously injured in the escape room fire?", "man"),
    ("What are the names of the men arrested over the theft?", "men"),
    ("What were the names of the women fatally shot at the market?", "women"),
])
def test_the_name_of_a_person_asks_for_a_person(question, noun):
    """An adverb before the participle ("seriously injured") ends the noun phrase like the
    participle does, and irregular plurals of people are people: otherwise the question
    has no answer type and any name in the story could be quoted for it."""
    kind = classify(question)
    assert (kind.noun, kind.labels) == (noun, ("PERSON",))


# -- multiple choice -----------------------------------------------------------------
def _sentence(p: Passage, relevance: float) -> ScoredSentence:
    return ScoredSentence(p, 0, len(p.text), relevance=relevance)


def test_the_choice_in_the_most_relevant_evidence_wins():
    strong = passage("s", "Lee Seong-kweun said around 300 North Korean soldiers were killed.")
    weak = passage("w", "Kim Jong Un visited a factory.")
    choices = ["Kim Jong Un", "Lee Seong-kweun", "Vladimir Putin"]
    best, scores = pick_choice(choices, [strong, weak], [_sentence(strong, 6.0), _sentence(weak, -1.0)],
                               idf=lambda term: 1.0)
    assert best == 1 and scores[1] > scores[0] > scores[2] == 0.0


def test_the_short_answer_outweighs_a_passing_mention_and_numbers_match_without_commas():
    p = passage("p", "About 2,700 soldiers were wounded; 300 were killed.")
    best, _ = pick_choice(["300", "2700"], [p], [_sentence(p, 5.0)], idf=lambda term: 1.0,
                          short_answer="2,700")
    assert best == 1


def test_with_no_option_mentioned_the_rare_shared_words_decide():
    p = passage("p", "The cathedral's spire collapsed during the blaze in Paris.")
    idf = {"cathedr": 5.0, "spire": 6.0}.get
    best, _ = pick_choice(["Cathedral spire", "Berlin airport"], [p], [], idf=lambda t: idf(t, 0.1))
    assert best == 0


def test_pick_choice_needs_options():
    with pytest.raises(ValueError):
        pick_choice([], [], [], idf=lambda term: 1.0)


# -- time window ---------------------------------------------------------------------
def test_a_named_month_becomes_that_month():
    frame = question_timeframe("Who won the election in December 2019?", date(2024, 5, 1), as_of_given=False)
    assert (frame.start, frame.end, frame.named) == (date(2019, 12, 1), date(2019, 12, 31), True)


def test_no_named_time_means_the_week_up_to_now_and_as_of_adds_three_days():
    now = date(2025, 10, 2)
    newest = question_timeframe("Which company cut food additives?", now, as_of_given=False)
    assert (newest.start, newest.end, newest.named) == (date(2025, 9, 25), now, False)
    asked = question_timeframe("Which company cut food additives?", now, as_of_given=True)
    assert asked.end == date(2025, 10, 5)  # reports of an event follow it
    assert asked.is_latest_news("2025-10-04") and not asked.is_latest_news("2025-09-01")


def test_relative_times_resolve_against_as_of_not_today():
    frame = question_timeframe("What happened last month in Kursk?", date(2025, 1, 13), as_of_given=True)
    assert frame.named and frame.start <= date(2024, 12, 20) <= frame.end


def test_the_date_prior_prefers_the_window_and_punishes_undated_articles():
    frame = question_timeframe("Who won the election in December 2019?", date(2024, 5, 1), as_of_given=False)
    assert frame.prior("2019-12-12") == 0.0
    assert frame.prior("2019-12-12") > frame.prior("2020-03-01") > frame.prior("2023-01-01")
    assert frame.prior(None) < frame.prior("2020-03-01")


def test_bare_numbers_are_not_dates():
    frame = question_timeframe("How many of the 2,700 wounded soldiers returned?", date(2025, 1, 13),
                               as_of_given=False)
    assert not frame.named


# -- optional dates (one rule for every face) ----------------------------------------
@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("  ", None), (date(2025, 1, 13), date(2025, 1, 13)),
    ("2025-01-13", date(2025, 1, 13)), ("13 Jan 2025", date(2025, 1, 13)),
    ("2025-01-13T23:30:00Z", date(2025, 1, 13)),
])
def test_an_optional_day_is_read_the_same_everywhere(value, expected):
    from assistant.dates import parse_optional_day

    assert parse_optional_day(value) == expected


def test_a_bad_day_names_its_field_and_the_form_wanted():
    from assistant.dates import parse_optional_day
    from assistant.types import Filters

    with pytest.raises(ValueError, match=r"since 'soon' is not a date; write it like 2025-01-13"):
        Filters.parse((), "soon", None)
    with pytest.raises(ValueError, match="as_of"):
        parse_optional_day("tomorrowish", "as_of")


def test_question_sets_take_the_same_dates_as_the_cli(tmp_path):
    from eval.questions import load_questions

    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "Who won?", "answer": "Lee", "as_of": "13 Jan 2025"}\n'
                    '{"question": "Who lost?", "answer": "Kim", "as_of": "someday"}\n', encoding="utf-8")
    loaded = load_questions(path)
    assert [q.as_of for q in loaded.questions] == [date(2025, 1, 13)]
    assert len(loaded.problems) == 1 and "someday" in str(loaded.problems[0])


@pytest.mark.parametrize(("a", "b", "differ"), [
    (("13 January", None), ("January 13, 2025", None), False),  # one states no year: no conflict
    (("1973", None), ("on Monday", "2019-01-04"), True),  # Monday 31 December 2018
    (("3 March 2025", None), ("March 2, 2025", None), True),
    (("March 2025", None), ("2 March", None), False),
    (("the past decade", None), ("2019", None), False),  # "decade" is no month
    (("last week", "2025-01-16"), ("January 8", None), False),  # a week states no day
    (("Thursday", "2025-11-10"), ("Nov. 13", None), False),  # "on Thursday" may be the coming one
    (("10 days in March", None), ("March 3", None), False),  # a day only against its month
])
def test_two_dates_conflict_only_in_a_part_both_state(a, b, differ):
    from assistant.answering.extractive import dates_differ

    assert dates_differ(a, b) is differ
