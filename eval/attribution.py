"""Attributed statements against hand labels: does Byline find who said what?

    python -m eval.attribution [--labels data/demo/attribution-labels.jsonl] [--show]

The labels (one statement per line: ``article_id``, ``speaker`` resolved within the
article, ``speaker_mention`` as written, ``role``, ``verb``, ``quote`` with its body
offsets, ``cites``, ``direct``) cover *every* statement of each labelled article, so both
precision and recall can be measured. The articles are read from the demo corpus files and
parsed as ``byline quotes`` parses them. Reported:

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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "data" / "demo" / "attribution-labels.jsonl"
ARTICLES = REPO / "data" / "demo" / "articles"
_HONORIFICS = {"mr", "mrs", "ms", "dr", "sir"}
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
    """A name for comparing: lower case, no honorifics, no leading article ("The
    Guardian" = "Guardian")."""
    words = [w.strip(".") for w in (text or "").lower().replace("’s", "").split()]
    words = [w for w in words if w not in _HONORIFICS]
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _contains(found: str | None, gold: str | None) -> bool:
    a, b = _name(found), _name(gold)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--show", action="store_true", help="print misses and wrong speakers")
    args = parser.parse_args()

    from assistant.answering.attribution import PRONOUNS, extract_statements
    from assistant.models.ner import SpacyLoader
    from assistant.offline import enable_offline_mode

    enable_offline_mode()
    gold: dict[str, list[dict]] = defaultdict(list)
    for line in args.labels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[row["article_id"]].append(row)
    bodies = {}
    for path in sorted(ARTICLES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("id") in gold:
                bodies[row["id"]] = row["body"]
    nlp = SpacyLoader()()
    found_total = gold_total = matched = speaker_ok = 0
    hard = hard_ok = role_n = role_ok = cites_n = cites_ok = 0
    for article_id, labels in gold.items():
        found = extract_statements(nlp(bodies[article_id]))
        pairs = match(found, labels)
        found_total += len(found)
        gold_total += len(labels)
        matched += len(pairs)
        for f, g in pairs:
            right = _name(f.speaker) == _name(g["speaker"])
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
            if args.show and not right:
                print(f"speaker {article_id}: found {f.speaker!r} for {g['speaker']!r} ({g['speaker_mention']!r}): {g['quote'][:60]}")
        if args.show:
            hit = {id(g) for _, g in pairs}
            for g in labels:
                if id(g) not in hit:
                    print(f"missed  {article_id}: {g['speaker_mention']} {g['verb']}: {g['quote'][:70]}")
    precision = matched / found_total if found_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{len(gold)} articles, {gold_total} labelled statements, {found_total} found, {matched} matched")
    print(f"statements: precision {precision:.2f}, recall {recall:.2f}, F1 {f1:.2f}")
    print(f"speaker resolved right: {speaker_ok}/{matched} = {speaker_ok / max(matched, 1):.2f}; "
          f"where the mention is a pronoun, description or surname: {hard_ok}/{hard} = {hard_ok / max(hard, 1):.2f}")
    print(f"role found: {role_ok}/{role_n}; a cited source noticed: {cites_ok}/{cites_n}")


if __name__ == "__main__":
    main()
