"""Deadline facts: the call's deadline instant, and the submission against it."""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from cosmecheck.rulepacks import Pack
from cosmecheck.times import Submission, span


def deadline(pack: Pack) -> datetime:
    """The deadline instant of a call."""
    spec = pack.meta["deadline"]
    return _instant(spec["local"], spec["timezone"])


@functools.lru_cache(maxsize=64)
def _instant(local: str, zone: str) -> datetime:
    # Every file checked against a call asks again; the answer depends only on these strings.
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))


def call_facts(pack: Pack) -> dict[str, Any]:
    """The call's own facts, as messages and the ``facts`` command show them."""
    when = deadline(pack)
    return {
        "id": pack.id,
        "title": pack.title,
        "deadline": when.isoformat(),
        "deadline_text": _deadline_text(pack),
        "reference_date": when.date().isoformat(),
        "timezone": pack.meta["deadline"]["timezone"],
    }


def _deadline_text(pack: Pack) -> str:
    spec = pack.meta["deadline"]
    return _text(spec["local"], spec["timezone"])


@functools.lru_cache(maxsize=64)
def _text(local: str, zone: str) -> str:
    when = _instant(local, zone)
    utc = when.astimezone(timezone.utc)
    return f"{when:%Y-%m-%d %H:%M} {zone} ({utc:%H:%M} UTC)"


def deadline_facts(
    submission: Submission | None, raw: Any, pack: Pack, now: datetime
) -> dict[str, Any]:
    """When the proposal is (or would be) submitted, against the deadline instant."""
    due = deadline(pack)
    zone = due.tzinfo
    facts: dict[str, Any] = {
        "deadline": due.isoformat(),
        "deadline_text": _deadline_text(pack),
    }
    if isinstance(submission, datetime):
        moment = submission if submission.tzinfo else submission.replace(tzinfo=zone)
        facts.update(
            source="file",
            submission=moment.isoformat(),
            offset_given=submission.tzinfo is not None,
            assumed_timezone=None if submission.tzinfo else pack.meta["deadline"]["timezone"],
            subject=f"The submission time {raw} ({_utc(moment)})",
        )
        return {**facts, **_compare(moment, moment, due)}
    if isinstance(submission, date):
        start = datetime.combine(submission, time(), tzinfo=zone)
        end = start + timedelta(days=1)
        facts.update(source="file", submission=submission.isoformat(), offset_given=True)
        facts["subject"] = f"The submission date {submission.isoformat()}"
        if start <= due < end:
            return {**facts, "status": "deadline_day", "difference": "on the deadline day"}
        return {**facts, **_compare(end, start, due, approximate=True)}
    moment = now.astimezone(timezone.utc)
    facts.update(
        source="check_time",
        submission=moment.isoformat(),
        offset_given=True,
        subject=f"The check time {_utc(moment)} (the file gives no `proposal.submission`)",
    )
    compared = _compare(moment, moment, due)
    if compared["status"] == "late":
        compared["difference"] += ": the call is closed"
    return {**facts, **compared}


def _compare(
    latest: datetime, earliest: datetime, due: datetime, approximate: bool = False
) -> dict[str, Any]:
    prefix = "at least " if approximate else ""
    if latest <= due:
        gap = due - latest
        text = (
            "exactly on time"
            if not gap and not approximate
            else f"{prefix}{span(gap)} before the deadline"
        )
        return {"status": "on_time", "difference": text}
    return {"status": "late", "difference": f"{prefix}{span(earliest - due)} late"}


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"
