"""Attributed statements against hand labels: does Byline find who said what?

    byline eval data/demo/attribution-labels.jsonl --data-dir INDEX [--fail-under statement_f1=0.7]
    python -m eval.attribution [--labels data/demo/attribution-labels.jsonl] [--show]

The labels (one statement per line: ``article_id``, ``speaker`` resolved within the
article, ``speaker_mention`` as written, ``role``, ``verb``, ``quote`` with its body
offsets, ``cites``, ``direct``) cover *every* statement of each labelled article, so both
precision and recall can be measured. ``byline eval`` reads the articles from the index it
evaluates, this module's command from the demo corpus files; both parse them as ``byline
quotes`` does. Reported:

- statements: a found statement matches a labelled one of the same article when their
  quote spans overlap by at least half of the shorter one (one to one, in reading order);
  precision, recall and F1;
- speaker resolution: of the matched statements, the share whose resolved speaker is the
  labelled one (names compared without honorifics or a leading "the"; a surname alone
  does not count), over
  all of them and over those whose mention is a pronoun, a description or a surname (the
  ones resolution had to work for);
- role: of the matched statements whose label has one, the share found (the label's
  words contained in what was found, or the other way round); cited source: the share of
  those citing one where a cited source was noticed at all (the labels name it as the
  article finally does, "Seoul's National Intelligence Service" for "Seoul's spy agency").
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "data" / "demo" / "attribution-labels.jsonl"
ARTICLES = REPO / "data" / "demo" / "articles"
METRICS = ("statement_precision", "statement_recall", "statement_f1", "speaker_accuracy",
           "speaker_accuracy_resolved", "role_found", "cited_source_noticed")
_PUNCT = " ,.;:\"“”'‘’"


def _span(start: int, end: int, text: str) -> tuple[int, int]:
    """Offsets without end punctuation (labels keep a quote's trailing comma)."""
    stripped = text.rstrip(_PUNCT)
    lead = len(text) - len(text.lstrip(_PUNCT))
    return start + lead, start + len(stripped)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def _name(text: str | None) -> str:
    """A name for comparing, as Byline compares names (``name_words``: lower case, no
    possessive, articles or titles: "The Guardian" = "Guardian", "Dr. Tedros" = "Tedros")."""
    from assistant.answering.attribution import name_words

    return " ".join(name_words(text or ""))


def _contains(found: str | None, gold: str | None) -> bool:
    """A role found against the labelled one: either holds the other, compared as answers
    are (``normalize_answer``: case, punctuation, articles), titles kept."""
    from assistant.answering.normalize import normalize_answer

    a, b = normalize_answer(found or ""), normalize_answer(gold or "")
    return bool(a and b) and (a in b or b in a)


def match(found: list, gold: list[dict]) -> list[tuple[object, dict]]:
    """One-to-one pairs of found statements and labels of one article, best overlap first."""
    pairs = []
    for i, f in enumerate(found):
        fs = _span(f.quote_start, f.quote_end, f.quote)
        for j, g in enumerate(gold):
            score = _overlap(fs, _span(g["quote_start"], g["quote_end"], g["quote"]))
            if score >= 0.5:
                pairs.append((score, i, j))
    used_f, used_g, out = set(), set(), []
    for score, i, j in sorted(pairs, reverse=True):
        if i not in used_f and j not in used_g:
            used_f.add(i), used_g.add(j)
            out.append((found[i], gold[j]))
    return out


def is_label_file(path: Path) -> bool:
    """Whether ``path`` holds attribution labels (its first record has a quote span and a
    speaker, and no question) rather than a question set."""
    try:
        with path.open(encoding="utf-8-sig") as handle:  # as the question loader reads
            first = next((line for line in handle if line.strip()), "")
        row = json.loads(first)
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(row, dict) and "question" not in row and {"speaker", "quote", "quote_start"} <= set(row)


def read_labels(path: Path) -> tuple[dict[str, list[dict]], list[str]]:
    """Labels by article, and one line per unreadable record (path:line: reason)."""
    gold: dict[str, list[dict]] = defaultdict(list)
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            missing = [k for k in ("article_id", "speaker", "speaker_mention", "quote", "quote_start",
                                   "quote_end") if k not in row]
        except ValueError as exc:
            problems.append(f"{path}:{number}: not JSON ({exc})")
            continue
        if missing:
            problems.append(f"{path}:{number}: missing {', '.join(missing)}")
            continue
        gold[row["article_id"]].append(row)
    return gold, problems


def score(gold: dict[str, list[dict]], bodies: dict[str, str], nlp) -> tuple[dict, list[dict]]:
    """Metrics (name -> {"value", "n"}) and one result row per label (found or missed, and
    the speaker found), over the labelled articles found in ``bodies``."""
    from assistant.answering.attribution import PRONOUNS, extract_statements

    found_total = gold_total = matched = speaker_ok = 0
    hard = hard_ok = role_n = role_ok = cites_n = cites_ok = 0
    rows: list[dict] = []
    for article_id, labels in gold.items():
        if article_id not in bodies:
            continue
        found = extract_statements(nlp(bodies[article_id]))
        pairs = {id(g): f for f, g in match(found, labels)}
        found_total += len(found)
        gold_total += len(labels)
        matched += len(pairs)
        for g in labels:
            f = pairs.get(id(g))
            row = {"article_id": article_id, "quote": g["quote"], "speaker": g["speaker"],
                   "speaker_mention": g["speaker_mention"], "found": f is not None,
                   "found_speaker": f.speaker if f else None, "speaker_right": None}
            rows.append(row)
            if f is None:
                continue
            right = _name(f.speaker) == _name(g["speaker"])
            row["speaker_right"] = right
            speaker_ok += right
            mention = g["speaker_mention"].lower()
            if mention in PRONOUNS or _name(g["speaker_mention"]) != _name(g["speaker"]):
                hard += 1
                hard_ok += right
            if g.get("role"):
                role_n += 1
                role_ok += _contains(f.role, g["role"])
            if g.get("cites"):
                cites_n += 1
                cites_ok += bool(f.cites)  # noticed; the labels name the source as resolved
    precision = matched / found_total if found_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def cell(value: float, n: int) -> dict:
        return {"value": value, "n": n}

    values = (
        cell(precision, found_total), cell(recall, gold_total), cell(f1, gold_total),
        cell(speaker_ok / matched if matched else 0.0, matched),
        cell(hard_ok / hard if hard else 0.0, hard),
        cell(role_ok / role_n if role_n else 0.0, role_n),
        cell(cites_ok / cites_n if cites_n else 0.0, cites_n),
    )
    return dict(zip(METRICS, values, strict=True)), rows


def evaluate_labels(path: Path, bodies: Callable[[str], str | None], out: Path | None = None):
    """Score the labels in ``path`` against the articles ``bodies`` returns (by id, None
    when not stored); an ``EvalRun`` whose summary holds the metrics, written to
    ``out``/summary.json and results.jsonl when given."""
    from assistant.models.ner import SpacyLoader
    from eval.run import EvalRun

    gold, problems = read_labels(path)
    texts = {a: body for a in gold if (body := bodies(a)) is not None}
    problems += [f"{path}: article {a} is not in the index ({len(gold[a])} labels skipped)"
                 for a in gold if a not in texts]
    metrics, rows = score(gold, texts, SpacyLoader()())
    summary = {"kind": "attribution", "labels": str(path), "articles": len(texts),
               "scored": len(rows), "overall": metrics, "subsets": {}, "by_type": {},
               "problems": problems}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return EvalRun(rows, summary, out=out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--show", action="store_true", help="print misses and wrong speakers")
    args = parser.parse_args()

    from assistant.offline import enable_offline_mode

    enable_offline_mode()
    bodies = {}
    for path in sorted(ARTICLES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            bodies[row["id"]] = row["body"]
    run = evaluate_labels(args.labels, bodies.get)
    for problem in run.summary["problems"]:
        print(problem)
    if args.show:
        for row in run.rows:
            if not row["found"]:
                print(f"missed  {row['article_id']}: {row['speaker_mention']}: {row['quote'][:70]}")
            elif not row["speaker_right"]:
                print(f"speaker {row['article_id']}: found {row['found_speaker']!r} for "
                      f"{row['speaker']!r} ({row['speaker_mention']!r}): {row['quote'][:60]}")
    m = {name: cell["value"] for name, cell in run.summary["overall"].items()}
    n = {name: cell["n"] for name, cell in run.summary["overall"].items()}
    print(f"{run.summary['articles']} articles, {n['statement_recall']} labelled statements, "
          f"{n['statement_precision']} found, {n['speaker_accuracy']} matched")
    print(f"statements: precision {m['statement_precision']:.2f}, recall {m['statement_recall']:.2f}, "
          f"F1 {m['statement_f1']:.2f}")
    print(f"speaker resolved right: {m['speaker_accuracy']:.2f}; where the mention is a pronoun, "
          f"description or surname: {m['speaker_accuracy_resolved']:.2f}")
    print(f"role found: {m['role_found']:.2f}; a cited source noticed: {m['cited_source_noticed']:.2f}")


if __name__ == "__main__":
    main()
