"""Times as people write them (ISO 8601, YAML timestamps) and durations as people say them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

Submission = datetime | date

_TIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"\s*(Z|z|[-+]\d{1,2}(?::?\d{2})?)?)?$"
)


def parse_time(text: str) -> Submission:
    """A date, or a date and time with or without a UTC offset (ISO 8601 / YAML timestamp)."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(
            f"{text!r} is not a date or time; write 2019-04-04T16:30:00+02:00 or 2019-04-04"
        )
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None:
            return _within_range(day_value)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        when = datetime(
            day_value.year,
            day_value.month,
            day_value.day,
            int(hour),
            int(minute),
            int(second or 0),
            micro,
        )
        return _within_range(when.replace(tzinfo=_offset(offset)) if offset else when)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date or time ({exc})") from None


def _within_range(value: Submission) -> Submission:
    """The value, if it can be moved across time zones and by a day without leaving years 1-9999."""
    if not 1 < value.year < 9999:
        raise ValueError(f"the year {value.year} is out of range")
    return value


def _offset(text: str) -> timezone:
    if text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:-2]) if len(digits) > 2 else int(digits)
    minutes = int(digits[-2:]) if len(digits) > 2 else 0
    if hours > 23 or minutes > 59:
        raise ValueError(f"{text} is not a UTC offset")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def span(delta: timedelta) -> str:
    """A duration as people say it: "1 h 12 min", "3 days", "2,426 days"."""
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days >= 30:
        return f"{days:,} days"
    if days:
        return f"{days} day{'s' if days > 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    if minutes:
        return f"{minutes} min" + (f" {secs} s" if secs else "")
    return f"{secs} s" if secs else "less than 1 s"
