"""Never state what the corpus does not say: questions whose topic is in the demo corpus but
whose fact is not are refused (saying what the corpus does cover), answerable look-alikes
still get their short answer, and the confidence means what it says. Real models, real
index."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DEMO, SEED_QUESTION


def test_fact_absent_from_the_story_is_refused_saying_what_the_corpus_covers(demo_assistant):
    answer = demo_assistant.ask("How many firefighters were injured in the Notre Dame fire?")
    assert answer.abstained and answer.short_answer is None and answer.citations == []
    # The refusal names the story the corpus has, and the fact it lacks.
    assert "Notre Dame" in answer.text and "none of its passages says how many firefighters were injured" in answer.text
    assert any("Notre Dame" in p.title for p in answer.passages)  # the story, as related reading
    assert "400" not in answer.text


@pytest.mark.parametrize("question, tempting", [
    ("Which airline flew Qasem Soleimani to Baghdad?", "Boeing"),
    ("How much did Russia pay North Korea for its troops?", "300"),
    ("How many people were injured in the Magnitogorsk building collapse?", "1,000"),
    ("How many Russian soldiers were killed in the Kursk region last month?", "3,000"),
    # the article names a man in another role, not the injured man
    ("What was the name of the man seriously injured in the Koszalin escape room fire?", "Kubiak"),
])
def test_a_number_or_name_for_another_fact_is_never_the_short_answer(demo_assistant, question, tempting):
    answer = demo_assistant.ask(question)
    assert answer.short_answer is None or tempting not in answer.short_answer, answer.text
    assert answer.abstained, answer.text


def test_answerable_twins_keep_their_short_answers(demo_assistant):
    cases = {
        "How many North Korean soldiers have been wounded?": "2,700",
        "Which region has the North Korean deployment reportedly expanded to?": "Kursk",
        SEED_QUESTION: "Lee Seong-kweun",
        "How many people were confirmed dead after the apartment building collapse in Magnitogorsk, Russia?": "39",
    }
    for question, expected in cases.items():
        answer = demo_assistant.ask(question)
        assert answer.short_answer == expected, (question, answer.text)
        assert answer.confidence >= 0.6 and answer.confidence_label in ("confident", "likely")


def test_quotes_that_hardly_address_the_question_become_a_refusal(demo_assistant):
    # Doris Day's obituary names her son, a record producer, and no record label: quoting it
    # would leave the reader to guess. Refused, with the story as related reading.
    answer = demo_assistant.ask("Which record label did Doris Day record for?")
    assert answer.abstained and answer.citations == [], answer.text
    assert "Doris Day" in answer.text and any("Doris Day" in p.title for p in answer.passages)
    # A look-alike whose best sentence states the answer keeps its quotes.
    twin = demo_assistant.ask(
        "Which group claimed responsibility for the September 2019 drone attacks on Saudi Aramco oil facilities?")
    assert not twin.abstained and "Houthi" in " ".join(c.quote for c in twin.citations)


def test_when_answers_resolve_relative_days_and_quote_the_article_unchanged(demo_assistant):
    """The article (Friday 4 January 2019) says "on Monday": the reply names the date it
    means, as the short answer when the checks are sure of it, else beside the quotes
    (since the refit on every round, its 0.55 is below the short-answer threshold)."""
    answer = demo_assistant.ask("When did the Magnitogorsk apartment building collapse?")
    assert "Monday 31 December 2018" in answer.text
    assert answer.short_answer in (None, "Monday 31 December 2018")
    quotes = " ".join(c.quote for c in answer.citations)
    assert re.search(r"collapsed on Monday", quotes)  # the quote keeps the article's words
    assert "31 December" not in quotes


def test_a_question_naming_its_own_subject_is_not_a_follow_up(demo_assistant):
    history = ["Who claimed the casualty figures?", "How many North Korean soldiers have been killed?"]
    answer = demo_assistant.ask("What did Apple announce about its new iPhone?", history=history)
    assert answer.query == answer.question  # searched as asked, not with "North Korean"
    assert answer.abstained
    follow_up = demo_assistant.ask("And how many were wounded?", history=history)
    assert "North Korean" in follow_up.query and follow_up.short_answer == "2,700"


def test_near_miss_set_is_refused_without_confident_wrong_answers(demo_assistant):
    """The development gate behind the README's figures: most near-miss questions refused,
    few confident wrong short answers, and the answerable look-alikes mostly answered."""
    from eval import evaluate

    run = evaluate(DEMO / "nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.89  # measured 94.9% (93.6% before the refit on every round)
    assert run.metric("confident_wrong") <= 0.05  # the target; measured 3.1% (3.7%)
    assert run.metric("short_precision") >= 0.90  # measured 94.5% (92.9%)
    # Measured 15.3%: two of the refused look-alikes were confident wrong answers before the
    # role and focus-clause checks; a refusal is the better of the two outcomes.
    assert run.metric("false_refusal") <= 0.17
    assert run.summary["calibration"]["ece"] <= 0.10  # measured 8.8% (8.2%)


def test_fresh_near_miss_questions_written_after_the_checks(demo_assistant):
    """The same kind of questions, written later by readers who had seen neither the first
    set nor the checks, over articles the first set does not use: how far the checks carry
    to questions they were not written for (the held-out sets are of this kind). Lower
    than on the first set; a drop here is a check that stopped generalising."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.76  # measured 78.3% (80.0% before the refit on every round)
    assert run.metric("confident_wrong") <= 0.07  # measured 6.2% (7.9%)
    # measured 24.2%: the fine look-alike, once a confident wrong "five", is refused (23.3%)
    assert run.metric("false_refusal") <= 0.25
    assert run.summary["calibration"]["ece"] <= 0.10  # measured 4.0% (5.7%)


def test_a_second_round_of_fresh_near_miss_questions(demo_assistant):
    """160 more, written a week later the same way by four more readers. Half of them
    (nm7, nm8) were scored before anyone read them and are unchanged by the checks added
    since: this is the figure to expect of the held-out sets, and it is far below the
    issue's goal (85% refused, 5% confident wrong)."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh2-nearmiss-questions.jsonl", demo_assistant)
    # measured 63.7% (65.0% before the eleventh round's mends: "... in 2000, *when* Chadwick
    # Boseman graduated" is no longer the asked fact; 67.5% before the refit on every round)
    assert run.metric("correct_refusal") >= 0.62  # measured 62.5% ("how deep" is a quantity now)
    assert run.metric("confident_wrong") <= 0.07  # measured 5.6% (11.2%)
    assert run.metric("false_refusal") <= 0.25  # measured 22.5% (20.0%)


def test_a_third_round_scored_before_it_was_read(demo_assistant):
    """120 more (nm9-nm11), written by three more readers. Scored before anyone read them,
    first with the session's start and then with the evidence floor: refused 68.3 -> 75.0%,
    confident wrong 7.5 -> 7.5%, false refusals 25.0 -> 30.0%. The figures below are after
    reading them (two general checks)."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh3-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.85  # measured 85.0% (78.3% before the refit on every round)
    assert run.metric("confident_wrong") <= 0.06  # measured 5.0% (5.8%)
    assert run.metric("false_refusal") <= 0.27  # measured 25.0% (26.7%)


def test_a_fourth_round_scored_before_it_was_read(demo_assistant):
    """120 more (nm12-nm14), written by three more readers over the articles the other
    rounds used least. Scored before anyone read them: refused 71.7%, confident wrong
    15.0%, false refusals 31.7%. The figures below are after reading them (five checks, each
    a rule with counterparts in tests/test_checks.py). Left out of the confidence fit, like
    the third round, so its calibration was measured on questions the models never saw;
    since the refit on every round (docs/evaluation.md) it is in the fit."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh4-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.80  # measured 85.0% (81.7% before the twelfth round was read)
    assert run.metric("confident_wrong") <= 0.05  # measured 4.2% (7.5%)
    assert run.metric("false_refusal") <= 0.30  # measured 28.3% (26.7%)


def test_a_fifth_round_scored_before_it_was_read(demo_assistant):
    """120 more (nm15-nm17), written by three more readers over the articles the other
    rounds used least, seeing only the corpus. Scored before anyone read them: refused
    71.2%, confident wrong 9.2%, false refusals 21.3%, ECE 9.3. The figures below are after
    reading them (five checks, each with counterparts in tests/test_checks.py, narrowed by
    two reviews). In the confidence fit since the refit on every round."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh5-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.74  # measured 76.3% (the same before the refit on every round)
    assert run.metric("confident_wrong") <= 0.05  # measured 4.2% (3.3% before the do-question verb mend; 5.0%)
    assert run.metric("false_refusal") <= 0.26  # measured 22.9% (21.3%)


def test_a_sixth_round_scored_before_it_was_read(demo_assistant):
    """120 more (nm18-nm20), written the same way over the next least used articles and
    scored before anyone read them, at the start of the day and after the fifth round's
    checks alike: refused 54.2%, confident wrong 20.0%, false refusals 21.3%, ECE 19.0.
    The hardest round yet, and the plainest forecast for the held-out sets. Read only for
    two kinds an earlier round had shown too (a country for a town; a difference for a
    count), then, once the seventh round was written, for four more (a place for a
    company's name, a report's day, another source, another term)."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh6-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.59  # measured 65.5% of 58 (63.8% before the twelfth round was read)
    assert run.metric("confident_wrong") <= 0.14  # measured 10.0% (15.8%)
    assert run.metric("false_refusal") <= 0.23  # measured 14.5% (16.1%; 19.7%; 21.3%)


def test_a_seventh_round_scored_before_it_was_read(demo_assistant):
    """120 more (nm21-nm23), written the same way over the least used articles and scored
    at c4c57c8 before anyone read them: refused 70.0%, confident wrong 13.3%, false
    refusals 35.0%, ECE 19.6. The sixth round's checks, added before it was scored, moved
    none of its replies. Read afterwards for three kinds (a country for "which California
    city", a verb the parser took for a noun, a year on the clause above the candidate);
    one trap was relabelled (another article gives the date)."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh7-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.74  # measured 78.0% (76.3%; 71.2% before the refit on every round)
    assert run.metric("confident_wrong") <= 0.07  # measured 5.8% (10.8%)
    assert run.metric("false_refusal") <= 0.31  # measured 27.9% (29.5%; 36.1%)


def test_an_eighth_round_scored_and_not_read(demo_assistant):
    """120 more (nm24-nm26), written after every check of its session was in, scored at
    c4c57c8 (refused 70.0%, confident wrong 12.5%, false refusals 16.7%, ECE 8.1) and
    after, and not read while it was the forecast. Then read for two kinds (a count of
    something else for a time or a vote; the court for the judge) and, with the ninth
    round, put in the confidence fit."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh8-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.72  # measured 72.9% of 59 (73.3% of 60; one trap relabelled)
    assert run.metric("confident_wrong") <= 0.10  # measured 9.2% (10.8% before its checks and the refit)
    assert run.metric("false_refusal") <= 0.17  # measured 13.1% (15.0%; 16.7%)
    assert run.summary["calibration"]["ece"] <= 0.10  # measured 8.8% (9.4%; 8.0%)


def test_a_ninth_round_the_hardest_yet(demo_assistant):
    """120 more (nm27-nm29), written the same way over articles drawn at random and
    scored at 460a12d before anyone read them: refused 58.3%, confident wrong 10.8%, false
    refusals 18.3%, ECE 7.6. Then read for three kinds (a total over several years for
    one year's; the whole a part is taken from; another team's coach where the parser
    makes the title a verb) and put in the confidence fit."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh9-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.58  # measured 61.7% (60.0%; 58.3% before it was read)
    assert run.metric("confident_wrong") <= 0.10  # measured 7.5% (9.2%; 10.8%)
    assert run.metric("false_refusal") <= 0.20  # measured 16.7% (18.3%)


def test_a_tenth_round_scored_and_not_read_then_read(demo_assistant):
    """120 more (nm30-nm32), written after their session's checks were in, over articles
    drawn at random, scored at 8ff9280 (refused 70.0%, confident wrong 11.7%, false
    refusals 21.7%, ECE 8.7) and at 1d0f930 (70.0%, 10.8%, 20.0%, 6.6) without being read.
    Then read for three kinds (another country's sanctions; another object of the asked
    act when the parser hangs the participle on the name; the whole put first, "of the
    six delegates, Sanders secured four"). Not yet in the confidence fit."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh10-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.72  # measured 78.3% (73.3%; 70.0% before it was read)
    assert run.metric("confident_wrong") <= 0.10  # measured 9.2% (10.8%)
    assert run.metric("false_refusal") <= 0.21  # measured 18.3% (20.0%)
    assert run.summary["calibration"]["ece"] <= 0.10  # measured 6.8% (7.2%; 6.6%)


def test_an_eleventh_round_scored_and_not_read_then_read(demo_assistant):
    """120 more (nm33-nm35), written the same way over articles drawn at random, scored
    at 1d0f930 and after the tenth round's checks (the same: refused 70.0%, confident
    wrong 9.2%, false refusals 28.3%, ECE 9.3) without being read. Then read: most of its
    false refusals were the parser's slips (the noun "which" determines, a clause set off
    by a comma, a title read as a verb, "Egyptian" for Egypt's, "1846 persons" read as a
    year). Not in the confidence fit (``HELD_OUT`` in benchmarks/fit_confidence.py)."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh11-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.70  # measured 71.7% (70.0% before it was read)
    assert run.metric("confident_wrong") <= 0.08  # measured 5.8% (6.7%; 9.2%)
    assert run.metric("false_refusal") <= 0.20  # measured 18.3% (28.3%)
    assert run.summary["calibration"]["ece"] <= 0.10  # measured 5.7% (9.3%)


def test_a_twelfth_round_scored_and_not_read_then_read(demo_assistant):
    """120 more (nm36-nm38), written the same way over articles drawn at random and
    scored at f685670 before anything of its session changed (refused 56.7%, confident
    wrong 13.3%, false refusals 23.3%, ECE 12.3), then after the eleventh round's mends
    (the same), and not read while it was the forecast. Then read for who gave a figure,
    what a state holds in all, the figure and the body a question names, and the verb a
    do-question ends with; one trap relabelled (another article states the year). Not in
    the confidence fit (``HELD_OUT`` in benchmarks/fit_confidence.py)."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh12-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.60  # measured 62.7% of 59 (56.7% of 60 before it was read)
    assert run.metric("confident_wrong") <= 0.05  # measured 2.5% (13.3%)
    assert run.metric("false_refusal") <= 0.25  # measured 21.3% (23.3%)
    assert run.summary["calibration"]["ece"] <= 0.10  # measured 5.6% (12.3%)


def test_a_thirteenth_round_scored_and_not_read_then_read(demo_assistant):
    """120 more (nm39-nm41), written the same way over articles drawn at random and
    scored at 01175fe before anything of its session changed (refused 61.7%, confident
    wrong 9.2%, false refusals 26.7%, ECE 11.5), then after the twelfth round's mends
    (61.7%, 6.7%, 28.3%, 9.0), and not read while it was the forecast. Then read for a
    relation turned round, another body's people, a degree of another kind and the size of
    a fine. Not in the confidence fit (``HELD_OUT`` in benchmarks/fit_confidence.py)."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh13-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.63  # measured 65.0% (61.7% before it was read)
    assert run.metric("confident_wrong") <= 0.05  # measured 3.3% (6.7%; 9.2%)
    assert run.metric("false_refusal") <= 0.32  # measured 30.0% (28.3%: a wrong "five" for a fine now refused)
    assert run.summary["calibration"]["ece"] <= 0.09  # measured 6.3% (9.0%)


def test_a_fourteenth_round_scored_and_not_read_then_read(demo_assistant):
    """120 more (nm42-nm44), written the same way over articles drawn at random and
    scored at 8d99df6 before anything of its session changed (refused 65.0%, confident
    wrong 10.8%, false refusals 25.0%, ECE 9.6), then after the thirteenth round's mends
    (66.7%, 10.0%, 26.7%, 9.6), and not read while it was the forecast. Then read for a
    source named by its kind, a plan for what happened, a total since an earlier year or
    over a career, and a subject the parser hid in a compound. Not in the confidence fit
    (``HELD_OUT`` in benchmarks/fit_confidence.py)."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh14-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.73  # measured 75.0% (66.7% before it was read)
    assert run.metric("confident_wrong") <= 0.06  # measured 4.2% (10.0%; 10.8%)
    assert run.metric("false_refusal") <= 0.29  # measured 26.7% (26.7%)
    assert run.summary["calibration"]["ece"] <= 0.08  # measured 4.3% (9.6%)


def test_a_fifteenth_round_scored_and_not_read(demo_assistant):
    """120 more (nm45-nm47), written the same way over articles drawn at random and
    scored at 8d99df6 before anything of its session changed (refused 66.7%, confident
    wrong 7.5%, false refusals 25.0%, ECE 8.8), then after the thirteenth and fourteenth
    rounds' mends, and not read: the forecast for the held-out sets, still short of the
    issue's goal (85% refused, 5% confident wrong). Left out of the confidence fit."""
    from eval import evaluate

    run = evaluate(DEMO / "fresh15-nearmiss-questions.jsonl", demo_assistant)
    assert run.metric("correct_refusal") >= 0.68  # measured 70.0% (66.7% before the session's mends)
    assert run.metric("confident_wrong") <= 0.08  # measured 5.8% (7.5%)
    assert run.metric("false_refusal") <= 0.28  # measured 25.0% (25.0%)
    assert run.summary["calibration"]["ece"] <= 0.10  # measured 7.3% (8.8%)
