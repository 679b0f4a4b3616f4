"""Time in questions: "in January 2020", "this week", or nothing at all.

News questions are about a time even when they do not say so. A named time ("the December
2019 election", "last month") becomes a window; a question that names none is read as
being about the latest news, as of ``as_of`` or else the newest article in the index. The
window turns into a *soft* prior on each passage's date: it reorders passages that are
relevant anyway and never makes an irrelevant passage relevant (see
:mod:`assistant.retrieval.rerank`). Hard date filters stay the user's call (``Filters``).

dateparser finds and resolves the expressions (with the period each names: day, week,
month, year); a guard keeps only matches that contain a month, a year, a weekday or a
relative word, because bare numbers ("2,700 wounded") are not dates.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

_DATE_WORDS = re.compile(
    r"\b(19\d\d|20\d\d|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|today|tonight|yesterday|week|"
    r"month|year|ago|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)
_AMBIGUOUS = re.compile(r"^\s*(may|march|june?|july?)\s*$", re.I)  # "may" the verb, names

# Prior strength: -WEIGHT * log(1 + days outside the window / SCALE_DAYS). Logarithmic
# because a day's difference matters within a news week but not across years. Calibrated
# with benchmarks/ask.py on rtqa-dev (questions with their quiz dates) and checked on the
# demo set; see the README's Evaluation section.
WEIGHT = 2.0
SCALE_DAYS = 30.0
FUTURE_SCALE_DAYS = 7.0  # articles after as_of did not exist yet "as of" that date
UNDATED_DAYS = 365.0


@dataclass(frozen=True)
class Timeframe:
    start: date
    end: date
    named: bool  # the question named it (True) or it is the default "latest news" window

    def distance(self, day: date) -> float:
        if day < self.start:
            return float((self.start - day).days)
        if day > self.end:
            return float((day - self.end).days)
        return 0.0

    def is_latest_news(self, published_at: str | None) -> bool:
        """True when the question names no time and the article is from the latest week:
        the story a vague question ("who claimed the casualty figures?") is about."""
        if self.named or not published_at:
            return False
        return self.distance(date.fromisoformat(published_at[:10])) == 0.0

    def prior(self, published_at: str | None) -> float:
        """Log-prior of a passage with this publication date (0 best, negative worse)."""
        if not published_at:
            return -WEIGHT * math.log1p(UNDATED_DAYS / SCALE_DAYS)
        day = date.fromisoformat(published_at[:10])
        scale = FUTURE_SCALE_DAYS if (not self.named and day > self.end) else SCALE_DAYS
        return -WEIGHT * math.log1p(self.distance(day) / scale)


def question_timeframe(question: str, now: date, *, as_of_given: bool) -> Timeframe:
    """The window a question is about; ``now`` is ``as_of`` or the newest article's date.

    With no time named, the window is the week up to ``now`` (plus, when ``as_of`` was
    given, the three days after it, since reports of an event follow it).
    """
    named = find_named_window(question, now)
    if named:
        return Timeframe(named[0], named[1], True)
    grace = timedelta(days=3) if as_of_given else timedelta(0)
    return Timeframe(now - timedelta(days=7), now + grace, False)


def find_named_window(question: str, now: date) -> tuple[date, date] | None:
    from dateparser.search import search_dates

    base = datetime.combine(now, datetime.min.time())
    found = search_dates(question, languages=["en"], settings=_settings(base)) or []
    windows = []
    for text, _ in found:
        if not _DATE_WORDS.search(text) or _AMBIGUOUS.match(text):
            continue
        data = _parser(base).get_date_data(text)
        if data.date_obj is not None:
            windows.append(_period(data.date_obj.date(), data.period or "day", text))
    if not windows:
        return None
    return min(w[0] for w in windows), max(w[1] for w in windows)


def _period(day: date, period: str, text: str) -> tuple[date, date]:
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return date(day.year, day.month, 1), date(day.year, day.month, last)
    if period == "week":
        return day - timedelta(days=6), day + timedelta(days=1)
    return day, day


def _settings(base: datetime) -> dict:
    return {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}


@lru_cache(maxsize=64)
def _parser(base: datetime):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings=_settings(base))
