"""One answer normaliser for the answerer, multiple choice, the evaluator and the tests.

SQuAD's normalisation plus what news answers need: lowercase; number words below a hundred
become digits ("four" -> "4", "twenty-one" -> "21"; scale words stay words, so "one
million" and "1 million" agree); a thousands separator goes
("2,700" -> "2700"); a possessive "'s" goes ("Kyiv's" contains "Kyiv"); periods and
apostrophes join ("U.S." -> "us", "O'Brien" -> "obrien"); other punctuation becomes a space
(SQuAD deletes it, which would glue "Seong-kweun" into one token); the articles a/an/the
go; whitespace collapses.

    normalize_answer("The 2,700 Wounded!") == "2700 wounded"
    normalize_answer("Four") == normalize_answer("4") == "4"
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_POSSESSIVE = re.compile(r"['’]s\b")
_JOINING = re.compile(r"[.'’](?!\d)")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_PUNCTUATION = set(string.punctuation) | set("‘“”–—…«»")
_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_VALUES = {**{w: i for i, w in enumerate(_UNITS)}, **{w: 20 + 10 * i for i, w in enumerate(_TENS)}}
_NUMBER_WORD = re.compile(
    rf"\b({'|'.join(_TENS)})[- ]({'|'.join(_UNITS[1:10])})\b|\b({'|'.join(_VALUES)})\b"
)


def normalize_text(text: str | None) -> str:
    """The comparable form of an answer or a text (see the module docstring); not cached,
    for long texts such as whole passages."""
    if not text:
        return ""
    text = text.lower()
    text = _NUMBER_WORD.sub(_digits, text)
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub("<dot>", text)
    text = _JOINING.sub("", _POSSESSIVE.sub("", text)).replace("<dot>", ".")
    text = "".join(" " if ch in _PUNCTUATION and ch != "." else ch for ch in text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    return " ".join(_ARTICLES.sub(" ", text).split())


# Answers and sentences recur (the same candidates are checked against many sentences);
# a bounded cache of their short strings.
normalize_answer = lru_cache(maxsize=65536)(normalize_text)



def _digits(match: re.Match) -> str:
    if match.group(1):
        return str(_VALUES[match.group(1)] + _VALUES[match.group(2)])
    return str(_VALUES[match.group(3)])
