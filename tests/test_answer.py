"""The cited answerer over the bundled demo corpus, with the real models."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from assistant import EmptyIndex, EmptyQuestion, Filters
from eval.metrics import contains_answer
from tests.conftest import DEMO, SEED, SEED_ID, SEED_QUESTION, read_jsonl, write_jsonl

# The demo set's short answers: 16 given of 25 at the release that added the checks (14
# right, 2 wrong); 13 given, all right, since the confidence models learn from every
# near-miss round (README "Evaluation": doubted answers quote their evidence instead);
# 12 since they learn from the eighth and ninth rounds too (Baghdad International
# Airport, at 0.60 before, is quoted instead). Fewer right or more wrong is a regression.
SHORT_RIGHT_FLOOR = 12
SHORT_WRONG_CEILING = 0


def accepted(answer) -> list[str]:
    return [answer] if isinstance(answer, str) else list(answer or [])


def contains(text: str | None, answers: list[str]) -> bool:
    """Any accepted answer in ``text`` on word boundaries, as ``byline eval`` scores it
    (the answerer's own normaliser: "39" is not in "1939"; "2,700" is "2700")."""
    return bool(contains_answer(text, answers))


def assert_citations_exact(bot, answer) -> None:
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert sorted(set(numbers)) == [c.number for c in answer.citations]
    for citation in answer.citations:
        body = bot.article(citation.passage.article_id).body
        assert body[citation.quote_start : citation.quote_end] == citation.quote
        assert citation.quote in answer.text  # quoted verbatim in the reply
        assert citation.passage.char_start <= citation.quote_start < citation.quote_end <= citation.passage.char_end


def test_seed_question_answers_lee_with_the_sentence_that_says_so(demo_assistant):
    answer = demo_assistant.ask(SEED_QUESTION)
    assert not answer.abstained
    assert answer.short_answer == "Lee Seong-kweun"
    # the speaker as the article credits them, role and source, each in a quote below
    credit = "Lee Seong-kweun, a South Korean lawmaker, citing information from Seoul's spy agency."
    assert answer.text.startswith(credit)
    quoted = " ".join(c.quote for c in answer.citations)
    assert "a South Korean lawmaker" in quoted and "citing information from Seoul's spy agency" in quoted
    assert answer.to_dict()["speaker"] == {"name": "Lee Seong-kweun", "role": "a South Korean lawmaker",
                                           "cites": "information from Seoul's spy agency",
                                           "statements": answer.speaker["statements"]}
    lead = answer.citations[0]
    body = demo_assistant.article(lead.passage.article_id).body
    assert "Lee Seong-kweun" in body[lead.quote_start : lead.quote_end]
    assert (lead.passage.article_id, lead.passage.source, lead.passage.published_at) == (
        SEED_ID, "AFP", "2025-01-13",
    )
    assert_citations_exact(demo_assistant, answer)
    assert set(answer.timings) >= {"retrieve", "rerank", "answer", "total"}


def test_other_seed_questions(demo_assistant):
    for item in read_jsonl(DEMO / "seed-questions.jsonl"):
        if item["answer"] is None:
            continue  # the one unanswerable seed question is reported by the eval, see README
        answer = demo_assistant.ask(item["question"])
        assert not answer.abstained, item["question"]
        assert contains(answer.text, accepted(item["answer"])), (item["question"], answer.text)
        assert_citations_exact(demo_assistant, answer)


def test_demo_questions_answered_and_refused(demo_assistant, capsys):
    """The reply of an answerable question quotes its answer; the short answer, when one is
    given, is checked on its own (a broken short-answer extractor fails here even when the
    quotes still hold the answer)."""
    answered, refused, answerable, unanswerable, short_right, short_wrong = 0, 0, 0, 0, 0, 0
    for item in read_jsonl(DEMO / "questions.jsonl"):
        answer = demo_assistant.ask(item["question"])
        assert_citations_exact(demo_assistant, answer)
        if item["answer"] is None:
            unanswerable += 1
            refused += answer.abstained
            if answer.abstained:
                assert answer.citations == [] and answer.passages  # related reading instead
        else:
            answerable += 1
            answered += (not answer.abstained) and contains(answer.text, accepted(item["answer"]))
            if answer.short_answer is not None:
                right = contains(answer.short_answer, accepted(item["answer"]))
                short_right += right
                short_wrong += not right
    with capsys.disabled():
        print(f"\ndemo questions: {answered}/{answerable} answered, {refused}/{unanswerable} refused; "
              f"short answers {short_right} right, {short_wrong} wrong")
    assert refused == unanswerable == 5
    assert answered >= 24 and answerable == 25
    assert short_right >= SHORT_RIGHT_FLOOR and short_wrong <= SHORT_WRONG_CEILING


def test_short_answers_by_question_type(demo_assistant):
    cases = {
        "How many firefighters reportedly took part in fighting the fire at Notre Dame cathedral in Paris?": "over 400",
        "Where did the United States airstrike that killed Qasem Soleimani take place?": "Baghdad International Airport",
        "When did Greta Thunberg begin her climate protest outside the Swedish Parliament?": "August 20, 2018",
        "Who did Joe Biden announce as his running mate for the 2020 US presidential election?": "Kamala Harris",
        "How many North Korean soldiers have been wounded?": "2,700",
        "Which region has the North Korean deployment reportedly expanded to?": "Kursk",
        "What was the name of the dive boat that caught fire near Santa Cruz Island, California, in September 2019?": "Conception",
    }
    given = 0
    for question, expected in cases.items():
        answer = demo_assistant.ask(question)
        if answer.short_answer is not None:
            assert answer.short_answer == expected, question
            given += 1
        else:  # below the short-answer threshold: the evidence is quoted, nothing asserted
            assert contains(" ".join(c.quote for c in answer.citations), [expected]), question
    assert given >= 5, f"only {given} of {len(cases)} short answers given"


def test_follow_up_is_searched_in_context(demo_assistant):
    answer = demo_assistant.ask(
        "And how many were wounded?", history=["How many North Korean soldiers have been killed?"]
    )
    assert answer.query != answer.question and "North Korean" in answer.query
    assert answer.short_answer == "2,700"


def test_follow_up_rewriting_ignores_system_and_tool_messages(nlp):
    from assistant.answering.followup import FollowUpRewriter

    rewriter = FollowUpRewriter(nlp)
    system = {"role": "system", "content": "You are Acme Corp's helpful news desk assistant."}
    question = "And how many were wounded?"
    assert rewriter.rewrite(question, [system]) == question
    query = rewriter.rewrite(question, [
        system, {"role": "user", "content": "How many North Korean soldiers have been killed?"},
        {"role": "tool", "content": "Acme Corp search results"}])
    assert "North Korean" in query and "Acme" not in query


def test_multiple_choice_picks_the_supported_option(demo_assistant):
    choices = ["Kim Jong Un", "Antony Blinken", "Lee Seong-kweun", "Vladimir Putin"]
    assert demo_assistant.ask(SEED_QUESTION, choices=choices).choice == 2


def test_outlet_and_date_filters_exclude_what_they_should(demo_assistant):
    only_afp = demo_assistant.search("soldiers killed", k=5, filters=Filters(sources=("AFP",)))
    assert only_afp and {p.source for p in only_afp} == {"AFP"}
    january = Filters(since=date(2020, 1, 1), until=date(2020, 1, 31))
    hits = demo_assistant.search("airstrike", k=10, filters=january)
    assert hits and all("2020-01-01" <= p.published_at[:10] <= "2020-01-31" for p in hits)
    # Pushed into the index query: the Notre Dame story is not among the seed article's
    # nearest neighbours, yet a 2025-only filter still returns seed passages for it.
    recent = demo_assistant.search("Notre Dame cathedral fire", k=3, filters=Filters(since=date(2025, 1, 1)))
    assert recent and {p.article_id for p in recent} == {SEED_ID}
    # Excluding the seed's outlet, the seed question has nothing to say about Lee.
    answer = demo_assistant.ask(SEED_QUESTION, filters=Filters(sources=("Wikinews",)))
    assert "Lee Seong-kweun" not in answer.text
    shown = answer.passages + [c.passage for c in answer.citations]
    assert answer.passages and all(p.source == "Wikinews" for p in shown)


def test_streaming_yields_the_short_answer_first_then_the_same_text(demo_assistant):
    pieces = list(demo_assistant.ask_stream(SEED_QUESTION))
    *deltas, final = pieces
    assert deltas[0].startswith("Lee Seong-kweun, ") and deltas[0].endswith(".\n\n")
    assert "".join(deltas) == final.text and len(deltas) >= 2


def test_unanswerable_question_is_refused_with_related_reading(demo_assistant):
    answer = demo_assistant.ask("Which team won Super Bowl LIV in February 2020?")
    assert answer.abstained and answer.short_answer is None and not answer.citations
    assert "could not find" in answer.text and len(answer.passages) == 5


def test_same_wire_story_in_two_outlets_fills_one_slot(make_assistant, tmp_path):
    seed = read_jsonl(SEED)[0]
    copy = dict(seed, id="copy-1", source="The Daily Wire Copy", url="https://copy.example/story")
    bot = make_assistant(tmp_path / "index")
    bot.ingest([write_jsonl(tmp_path / "two.jsonl", [seed, copy])])
    hits = bot.search("North Korean soldiers killed in Russia's war", k=3)
    texts = [h.text[:80] for h in hits]
    assert len(texts) == len(set(texts)), "a duplicate passage took a second slot"
    # ... and the slot names the other outlet, in the citations of every face
    assert [c.source for c in hits[0].also_reported_by] == [
        "The Daily Wire Copy" if hits[0].source == seed["source"] else seed["source"]]
    answer = bot.ask(SEED_QUESTION)
    cited = answer.to_dict()["citations"][0]["also_reported_by"]
    assert [(c["source"], c["url"]) for c in cited] == [("The Daily Wire Copy", "https://copy.example/story")]


def test_clear_errors_for_empty_question_and_empty_index(demo_assistant, make_assistant, tmp_path):
    with pytest.raises(EmptyQuestion):
        demo_assistant.ask("   ")
    with pytest.raises(EmptyIndex, match="byline ingest"):
        make_assistant(tmp_path / "empty").ask("Anything?")


def test_the_seed_article_alone_answers_its_question(make_assistant, tmp_path):
    bot = make_assistant(tmp_path / "seed-only")
    bot.ingest([SEED])
    answer = bot.ask(SEED_QUESTION)
    assert answer.short_answer == "Lee Seong-kweun" and not answer.abstained
    assert 0.5 <= answer.confidence <= 1  # right, and calibrated to say so (at least "likely")
    off_topic = bot.ask("Who won the Super Bowl?")
    assert off_topic.abstained and "could not find" in off_topic.text


def test_cli_ask_json_has_the_answer_fields(demo_assistant, tmp_path):
    import subprocess
    import sys

    env = {**__import__("os").environ, "BYLINE_DATA_DIR": str(demo_assistant.index.data_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", SEED_QUESTION, "--json", "--source", "AFP"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["short_answer"] == "Lee Seong-kweun"
    assert {"question", "text", "abstained", "citations", "passages", "timings"} <= set(data)
    assert data["citations"][0]["source"] == "AFP" and data["citations"][0]["quote"]


def test_under_the_threshold_only_the_latest_weeks_evidence_is_quoted(nlp):
    """The latest-news exception lets this week's story answer a vague question; it must not
    let an older, weakly matching story ranked above it (by its score) be quoted instead."""
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.evidence import Evidence, ScoredSentence
    from assistant.types import Passage

    def sentence(article_id: str, text: str, published: str, relevance: float, prior: float, latest: bool):
        passage = Passage(f"{article_id}-0", article_id, text, 0, len(text), "Headline", "AFP", None, published)
        return ScoredSentence(passage, 0, len(text), relevance, prior, latest)

    older = sentence("old", "Officials in Kabul said 40 people were hurt.", "2019-03-01", 1.0, -0.1, False)
    recent = sentence("new", "Lee Seong-kweun said 300 soldiers were killed.", "2025-01-13", -2.0, 0.0, True)
    answerer = ExtractiveAnswerer(nlp, idf=lambda term: 1.0)
    answer = answerer.answer(Evidence("Who claimed the figures?", [older, recent]))
    assert not answer.abstained
    assert [c.passage.article_id for c in answer.citations] == ["new"]

    nothing_recent = answerer.answer(Evidence("Who claimed the figures?", [older]))
    assert nothing_recent.abstained and nothing_recent.citations == []


def test_a_stricter_refusal_setting_reaches_the_answerer(demo_assistant, embedder, reranker, nlp):
    """The thresholds live in Settings and the factory hands them to the answerer: the
    same index, opened with BYLINE_REFUSAL_LOGIT above any logit, refuses a question it
    answers by default."""
    from assistant.factory import build_assistant
    from assistant.settings import Settings

    question = "How many firefighters reportedly took part in fighting the fire at Notre Dame cathedral in Paris?"
    strict = build_assistant(Settings(data_dir=demo_assistant.index.data_dir, refusal_logit=50.0),
                             embedder=embedder, cross_encoder=reranker, nlp=nlp)
    refused = strict.ask(question)
    assert refused.abstained and refused.short_answer is None and refused.passages
    assert not demo_assistant.ask(question).abstained


def test_as_of_decides_which_story_a_question_naming_no_time_is_about(demo_assistant):
    """A question that names no time is about the news as of ``as_of``: "fire" the week
    Notre Dame burned is that fire; the week the Conception burned, that one."""
    spring = demo_assistant.search("fire", k=1, as_of=date(2019, 4, 17))[0]
    autumn = demo_assistant.search("fire", k=1, as_of=date(2019, 9, 3))[0]
    assert spring.title == "Notre Dame in Paris catches fire"
    assert autumn.title.startswith("Dozens dead in California boat fire")


def test_a_figure_with_the_asked_unit_is_an_answer_not_an_echo(make_assistant, tmp_path):
    """"812 tonnes" answers "how many tonnes": its number is not in the question, even if
    its unit is; "the 452 seats" named in the question is no answer to it."""
    bot = make_assistant(tmp_path / "index")
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [
        {"id": "q", "title": "Quince harvest breaks record", "source": "Valley Post",
         "published_at": "2025-10-10",
         "body": "Growers in the valley picked 812 tonnes of quinces this autumn, the most since "
                 "records began in 1961, the growers' association said on Friday."},
        {"id": "s", "title": "Assembly results", "source": "Valley Post", "published_at": "2025-10-11",
         "body": "The Green Alliance won 61 of the 452 seats in the assembly, officials said."},
    ])])
    assert bot.ask("How many tonnes of quinces were picked?").short_answer == "812 tonnes"
    assert bot.ask("How many of the 452 seats did the Green Alliance win?").short_answer == "61"


def test_how_a_story_developed_is_answered_as_a_dated_timeline(demo_assistant):
    answer = demo_assistant.ask("How did the Hong Kong protests develop?")
    assert answer.text.startswith("How the story developed in") and answer.short_answer is None
    days = [c.passage.published_at for c in answer.citations]
    # a story-wide question reads widely: 5 or more of the 6 articles labelled as this story
    # (data/demo/timeline-questions.jsonl); reading as for one fact found 3
    assert len(days) >= 5 and days == sorted(days)
    assert len({c.passage.article_id for c in answer.citations}) == len(days)  # one entry per article
    lines = answer.text.splitlines()[2:]
    for line, citation in zip(lines, answer.citations):
        assert "Hong Kong" in citation.passage.title  # every entry is on the story
        assert line.startswith(f"- {date.fromisoformat(citation.passage.published_at[:10]).day} ")
        assert f"“{citation.quote}” [{citation.number}]" in line and citation.passage.title in line


def test_only_questions_about_a_story_s_course_get_a_timeline(demo_assistant):
    from assistant.answering.timeline import asks_for_timeline

    assert all(map(asks_for_timeline, [
        "What happened with Brexit?", "How did the Hong Kong protests develop?",
        "How has the outbreak evolved?", "Give me a timeline of the impeachment",
        "what happened after the United States killed Qasem Soleimani?"]))
    assert not any(map(asks_for_timeline, [
        "Who claimed the casualty figures?", "How many people died?", "How did the vote go?",
        "When did the protests begin?", "How did he die?"]))
    assert not demo_assistant.ask(SEED_QUESTION).text.startswith("How the story developed")


def test_what_someone_said_is_answered_with_their_statements_quoted(demo_assistant):
    from assistant.answering.quotes import asks_what_someone_said

    assert asks_what_someone_said("What has Zelensky said about North Korean soldiers?") == (
        "Zelensky", "North Korean soldiers")
    assert asks_what_someone_said("What did Lee Seong-kweun say?") == ("Lee Seong-kweun", None)
    assert asks_what_someone_said("What did the fire destroy?") is None

    answer = demo_assistant.ask("What has Zelensky said about North Korean soldiers?")
    assert answer.text.startswith("Volodymyr Zelensky, Ukrainian President, is quoted ")
    assert (answer.speaker["name"], answer.speaker["role"]) == ("Volodymyr Zelensky", "Ukrainian President")
    assert answer.short_answer is None and len(answer.citations) >= 2
    for citation in answer.citations:
        body = demo_assistant.article(citation.passage.article_id).body
        assert body[citation.quote_start:citation.quote_end] == citation.quote  # verbatim
        assert f"{citation.quote}” [{citation.number}]" in answer.text or \
            f"{citation.quote} [{citation.number}]" in answer.text
    assert any("Ukraine is ready to hand over Kim Jong Un" in c.quote for c in answer.citations)


FERRY = [
    {"id": "f1", "title": "Ferry sinks off Dunmore", "source": "Harbour Herald", "published_at": "2025-03-04",
     "url": "https://herald.example/ferry",
     "body": "At least 40 people died when the Dunmore ferry sank in a storm on Tuesday, police said. "
             "Rescuers pulled 112 survivors from the water. The ferry was carrying commuters to the mainland."},
    {"id": "f2", "title": "Dunmore ferry toll rises", "source": "Coast Wire", "published_at": "2025-03-05",
     "url": "https://wire.example/ferry",
     "body": "Officials said on Wednesday that 52 people died when the Dunmore ferry sank in Tuesday's storm. "
             "The operator suspended all crossings while investigators examine the vessel."},
]


def ask_over(make_assistant, tmp_path, articles: list[dict], question: str):
    """``question`` asked over a fresh index of ``articles``: the answer and the
    paragraph under its short answer (where a conflict note goes)."""
    bot = make_assistant(tmp_path / "index")
    bot.ingest([write_jsonl(tmp_path / "ferry.jsonl", articles)])
    answer = bot.ask(question)
    paragraphs = answer.text.split("\n\n")
    return answer, paragraphs[1] if len(paragraphs) > 1 else ""


def test_two_outlets_giving_different_figures_are_both_shown(make_assistant, tmp_path):
    answer, note = ask_over(make_assistant, tmp_path, FERRY, "How many people died when the Dunmore ferry sank?")
    assert answer.short_answer in ("At least 40", "52")
    assert note.startswith("The sources differ: Harbour Herald (4 March 2025) says “At least 40” [")
    assert "; Coast Wire (5 March 2025) says “52” [" in note
    cited = {c.passage.source: c for c in answer.citations}
    assert "At least 40 people died" in cited["Harbour Herald"].quote and "52 people died" in cited["Coast Wire"].quote
    assert f"[{cited['Coast Wire'].number}]" in note
    assert answer.confidence <= 2 / 3  # no more than its share of the two: never "confident"


def test_two_outlets_naming_different_people_are_both_shown(make_assistant, tmp_path):
    ferry = [dict(FERRY[0], body=FERRY[0]["body"] + " The ferry's captain, Sean Doyle, was among the survivors."),
             dict(FERRY[1], body=FERRY[1]["body"] + " The ferry's captain, Michael Byrne, was rescued by a fishing boat.")]
    answer, note = ask_over(make_assistant, tmp_path, ferry, "Who was the captain of the Dunmore ferry?")
    assert answer.short_answer in ("Sean Doyle", "Michael Byrne")
    assert note.startswith("The sources differ: Harbour Herald (4 March 2025) says “Sean Doyle” [")
    assert "; Coast Wire (5 March 2025) says “Michael Byrne” [" in note
    assert answer.confidence <= 2 / 3


def test_agreeing_outlets_are_named_once_each_and_a_copy_adds_no_one(make_assistant, tmp_path):
    island = {"id": "f3", "title": "Dunmore ferry sinking: what we know", "source": "Island Times",
              "published_at": "2025-03-06", "url": "https://island.example/ferry",
              "body": "At least 40 people died when the Dunmore ferry sank in a storm, police said on "
                      "Thursday. Divers are still searching the wreck, which lies in 30 metres of water."}
    copy = dict(FERRY[0], id="f1-copy", source="Copycat Daily", url="https://copycat.example/ferry")
    answer, note = ask_over(make_assistant, tmp_path, FERRY + [island, copy],
                            "How many people died when the Dunmore ferry sank?")
    parts = note.removeprefix("The sources differ: ").split("; ")
    fifty_two, forty = sorted(parts, key=lambda part: "“52”" not in part)
    assert "Harbour Herald (4 March 2025)" in forty and "Island Times (6 March 2025)" in forty
    assert " say “At least 40”" in forty and "Copycat Daily" not in note  # the copy is Harbour Herald's text
    assert fifty_two.startswith("Coast Wire (5 March 2025) says “52” [")
    herald = [c for c in answer.to_dict()["citations"] if c["source"] == "Harbour Herald"]
    assert all(("Copycat Daily", True) in {(x["source"], x["same_text"]) for x in c["also_reported_by"]}
               for c in herald)


def test_outlets_that_agree_are_no_conflict(make_assistant, tmp_path):
    agreeing = [dict(FERRY[0]), dict(FERRY[1], body=FERRY[1]["body"].replace("52 people", "40 people"))]
    answer, _ = ask_over(make_assistant, tmp_path, agreeing, "How many people died when the Dunmore ferry sank?")
    assert answer.short_answer is not None and "sources differ" not in answer.text
