"""Relative days in the evidence, made absolute against the article's publication date.

News writes "on Monday", "yesterday", "last week": true on the day it was published and
useless to a reader months later. A "when" answer names the date itself
("Monday 31 December 2018"); the quoted sentence stays as the article wrote it.

A weekday means the most recent such day on or before publication (a story published on
a Friday that says "on Friday" means that day). Only expressions that name nothing but a
relative day, week, month or year are resolved; "November 21" and "1973" are left as
written.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_LEAD = r"(?:(?:on|early|late|last|this|earlier|since)\s+)?"
_WEEKDAY = re.compile(rf"^{_LEAD}({'|'.join(_WEEKDAYS)}){_PART}$", re.I)
_SAME_DAY = re.compile(r"^(?:earlier\s+|later\s+)?(today|tonight|this\s+(?:morning|afternoon|evening))$", re.I)
_PREVIOUS_DAY = r"(yesterday|last\s+night)"
_YESTERDAY = re.compile(rf"^(?:(?:early|late)\s+)?{_PREVIOUS_DAY}{_PART}$", re.I)  # "early yesterday morning"
_DAYS_AGO = re.compile(r"^(\d+|one|two|three|four|five|six|seven)\s+days?\s+ago$", re.I)
_PERIOD = re.compile(r"^(?:earlier\s+|late\s+|early\s+)?(last|this)\s+(week|month|year)$", re.I)
_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def resolve(expression: str, published: str | None) -> str | None:
    """The absolute form of a relative date ``expression`` in an article published on
    ``published`` (ISO), or None when it is not relative or the article is undated.

    >>> resolve("on Monday", "2019-01-04")
    'Monday 31 December 2018'
    >>> resolve("last week", "2019-01-04")
    'the week of 24 December 2018'
    """
    if not published:
        return None
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return None
    text = " ".join(expression.strip().rstrip(".,").split())
    if match := _WEEKDAY.match(text):
        back = (day.weekday() - _WEEKDAYS.index(match.group(1).lower())) % 7
        if back == 0 and text.lower().startswith("last "):  # "last Monday", said on a Monday
            back = 7
        return _day(day - timedelta(days=back))
    if _SAME_DAY.match(text):
        return _day(day)
    if _YESTERDAY.match(text):
        return _day(day - timedelta(days=1))
    if match := _DAYS_AGO.match(text):
        count = match.group(1).lower()
        return _day(day - timedelta(days=int(_SMALL.get(count, count))))
    if match := _PERIOD.match(text):
        which, unit = match.group(1).lower(), match.group(2).lower()
        shift = 1 if which == "last" else 0
        if unit == "week":
            monday = day - timedelta(days=day.weekday() + 7 * shift)
            return f"the week of {monday.day} {monday:%B %Y}"
        if unit == "month":
            month = (day.replace(day=1) - timedelta(days=1)) if shift else day
            return f"{month:%B %Y}"
        return str(day.year - shift)
    return None


# The same expressions as they stand in running text; a weekday followed by a date or a
# number ("Monday, 31 December", "Monday 31") is already absolute and left alone.
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_IN_TEXT = re.compile(
    rf"\b{_LEAD}(?:{'|'.join(_WEEKDAYS)}){_PART}\b(?![,\s]*(?:\d|{'|'.join(_MONTHS)}))"
    rf"|\b{_PREVIOUS_DAY}{_PART}\b", re.I)


# Words that put a weekday ahead of the article: "the vote *will* be held on Friday". A
# weekday is resolved to the last such day on or before publication, which is wrong for
# those, so the days of a sentence with one of them are not dated.
_AHEAD = re.compile(
    r"\b(?:will|would|shall|next|upcoming|scheduled|going\s+to|set\s+to|expected\s+to|plans?\s+to|"
    r"planned\s+to|(?:is|are|was|were)\s+due\s+to|"
    rf"(?:this\s+)?coming\s+(?:week|weekend|days?|{'|'.join(_WEEKDAYS)}))\b|'ll\b", re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def _dated(text: str, published: str | None):
    """Each relative day in ``text`` (``re.Match``) with the date it means, or None where
    it cannot be resolved or its sentence speaks of days ahead (``_AHEAD``)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    for match in _IN_TEXT.finditer(text):
        start = max((e for e in ends if e <= match.start()), default=0)
        end = min((e for e in ends if e > match.start()), default=len(text))
        yield match, None if _AHEAD.search(text, start, end) else resolve(match.group(0), published)


def annotate(text: str, published: str | None) -> str:
    """``text`` with each relative day followed by the date it means ("Yesterday
    (Saturday 12 October 2019), ..."), except in a sentence about days ahead. A language
    model told only the publication date takes it for the day of the event; given the
    date, it copies it.

    >>> annotate("Yesterday, Kipchoge ran. The final will be on Friday.", "2019-10-13")
    'Yesterday (Saturday 12 October 2019), Kipchoge ran. The final will be on Friday.'
    """
    pieces, at = [], 0
    for match, resolved in _dated(text, published):
        if resolved is not None:
            pieces += [text[at : match.end()], f" ({resolved})"]
            at = match.end()
    return "".join(pieces) + text[at:]


def relative_days(text: str, published: str | None) -> list[tuple[str, str]]:
    """Each relative day in ``text`` with the date it means, in order, once each
    (``annotate``'s days).

    >>> relative_days("It collapsed on Monday; rescuers came on monday.", "2019-01-04")
    [('on Monday', 'Monday 31 December 2018')]
    >>> relative_days("The vote will be held on Friday.", "2019-01-02")
    []
    """
    found: dict[str, tuple[str, str]] = {}
    for match, resolved in _dated(text, published):
        if resolved is not None:
            found.setdefault(match.group(0).lower(), (match.group(0), resolved))
    return list(found.values())


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"
