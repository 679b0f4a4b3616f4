"""Date normalisation: whatever a feed or a user writes becomes ISO 8601.

ISO strings take the fast path (``datetime.fromisoformat``); anything else goes through
``dateutil``'s parser, which reads RFC 2822 feed dates, "January 13, 2025", "13 Jan 2025
10:00 GMT" and the like. Dates with a time zone are converted to UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_EPOCH = date(1970, 1, 1)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_EARLIEST, _LATEST = 1800, 2200


def normalize_date(value: object) -> str | None:
    """Return ``value`` as ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[Z]``, or None if blank.

    Raises ``ValueError`` naming the value when it is not a date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return _format_datetime(value)
    if isinstance(value, date):
        return _checked(value).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:  # a Unix timestamp; 1e20, inf and nan are none
            moment = datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"not a date: timestamp {value!r} is out of range") from None
        return _format_datetime(moment)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return _checked(date.fromisoformat(text)).isoformat()
        return _format_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    return _parse_loose(text)


def parse_day(value: object) -> date:
    """A user-given day (``2025-01-13``, ``13 Jan 2025``) as a ``date``."""
    iso = normalize_date(value)
    if iso is None:
        raise ValueError("empty date")
    return date.fromisoformat(iso[:10])


def parse_optional_day(value: object, field: str | None = None) -> date | None:
    """A day a user may leave out: None, "" and blanks are None, a ``date`` is itself,
    text is read by :func:`parse_day`. The one rule for every face's date fields (the CLI's
    --since/--until/--as-of, the API's and MCP's fields, the chat's boxes, question sets'
    ``as_of``). Raises ``ValueError`` naming ``field`` and the expected form."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_day(value)  # dates and datetimes too: the range check, UTC
    except ValueError as exc:
        where = f"{field} " if field else ""
        why = str(exc).removeprefix("not a date: ")
        detail = "" if why.startswith(("'", '"')) else f" ({why})"
        raise ValueError(f"{where}{str(value)!r} is not a date{detail}; write it like 2025-01-13") from None


# The day number stored for an undated article. Indexes already hold it, so it stays -1,
# which is also 1969-12-31's number: an article of that day counts as undated.
UNDATED_DAY = -1


def day_number(iso: str | None) -> int:
    """Days since 1970-01-01 of an ISO date; ``UNDATED_DAY`` for unknown. Chroma filters on
    this integer."""
    if not iso:
        return UNDATED_DAY
    return (date.fromisoformat(iso[:10]) - _EPOCH).days


def _parse_loose(text: str) -> str:
    from dateutil import parser as date_parser  # imported here: only odd formats need it

    try:
        parsed = date_parser.parse(text, fuzzy=False)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a date: {text!r}") from exc
    if not _HAS_TIME.search(text):
        return _checked(parsed.date()).isoformat()
    return _format_datetime(parsed)


def _format_datetime(value: datetime) -> str:
    _checked(value.date())
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return value.isoformat(timespec="seconds")


def _checked(day: date) -> date:
    if not _EARLIEST <= day.year <= _LATEST:
        raise ValueError(f"implausible year {day.year} in date {day.isoformat()}")
    return day
