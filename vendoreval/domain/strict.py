"""Strict values from files: numbers, booleans, dates and timestamps read from a CSV cell or a JSON field.

Whatever comes in from a file or a bundle (scores and claims CSV, questionnaires, workspace files,
bundles, FMTI and indicator CSVs) is read by these functions and nothing looser:

- a whole number is ASCII digits with an optional sign (``int()`` also takes '٣', ' 3 ', '1_000');
- a number is a plain ASCII decimal, finite (``float()`` also takes 'inf', 'nan', '1e400' → inf);
- a boolean is a boolean, never a number or a word that looks like one (a number is never a boolean);
- a date is YYYY-MM-DD; a timestamp is ISO-8601 in UTC (``Z`` or ``+00:00``) and not in the future
  beyond a small clock-skew allowance (``CLOCK_SKEW``): a record stamped "tomorrow" would win every merge.

Each parser raises ``ValueError`` with the reason in the user's words (without the file or line,
which the caller adds). For JSON documents the same rules come from pydantic's strict mode plus the
annotated types below: ``FiniteFloat`` (no NaN or infinity anywhere) and ``Timestamp`` (checked in
full when the document is validated with ``input_context()``; records built by the app itself are
stamped by ``utc_now`` and not checked again). Human forms such as "40 billion" belong where a person
types a figure, not here. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, AllowInfNan, ValidationInfo

#: How far in the future a timestamp from a file may be (the writer's clock may run a little ahead).
CLOCK_SKEW = dt.timedelta(minutes=5)
#: A date (a claim's "said on", a questionnaire's answer date) may be at most this far ahead (time zones).
DATE_SKEW = dt.timedelta(days=1)
#: The most digits a whole number from a file may have: SQLite stores at most 2**63 - 1 (19 digits).
MAX_INT_DIGITS = 18

_INT = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIMESTAMP = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?)(Z|\+00:00)")
#: The context key under which ``input_context`` passes "now" to the validators.
INPUT_NOW = "vendoreval.input_now"


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def parse_int(text: str) -> int:
    """A whole number written in ASCII digits (optional sign, surrounding spaces allowed); ValueError if not."""
    s = text.strip()
    if not _INT.fullmatch(s):
        raise ValueError(f"{_shown(text)} is not a whole number (ASCII digits 0-9 only)")
    if len(s.lstrip("+-")) > MAX_INT_DIGITS:
        raise ValueError(f"{_shown(text)} is too large")
    return int(s)


def parse_number(text: str) -> float:
    """A finite number written as an ASCII decimal (1500, -2.5, 1.5e12); ValueError if not."""
    s = text.strip()
    if not _NUMBER.fullmatch(s):
        if s.lstrip("+-").casefold() in ("inf", "infinity", "nan"):
            raise ValueError(f"{_shown(text)} is not a finite number")
        raise ValueError(f"{_shown(text)} is not a number (ASCII digits, a point and an exponent only: 1.5e12)")
    value = float(s)
    if not math.isfinite(value):
        raise ValueError(f"{_shown(text)} is too large to be a finite number")
    return value


def finite(value: float, what: str = "the number") -> float:
    """``value`` when it is finite; ValueError for NaN and infinities."""
    if not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}, not a finite number")
    return value


def check_int(value: Any) -> int:
    """An int from decoded data (JSON, a spreadsheet cell); a boolean or a float is refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        kind = "a boolean" if isinstance(value, bool) else type(value).__name__
        raise ValueError(f"{value!r} is {kind}, not a whole number")
    return value


def check_number(value: Any) -> float:
    """A finite float from decoded data; a boolean, a string or a non-finite number is refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "a boolean" if isinstance(value, bool) else type(value).__name__
        raise ValueError(f"{value!r} is {kind}, not a number")
    return finite(float(value), repr(value))


def parse_date(text: str, *, today: dt.date | None = None) -> dt.date:
    """A calendar date YYYY-MM-DD in ASCII digits, not after tomorrow; ValueError if not."""
    s = text.strip()
    if not _DATE.fullmatch(s):
        raise ValueError(f"{_shown(text)} is not a date (use YYYY-MM-DD)")
    try:
        day = dt.date.fromisoformat(s)
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a date in the calendar") from None
    limit = (today or dt.datetime.now(dt.UTC).date()) + DATE_SKEW
    if day > limit:
        raise ValueError(f"{s} is in the future")
    return day


def parse_timestamp(text: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """An ISO-8601 UTC timestamp (2026-03-01T12:00:00Z) no later than ``now`` + CLOCK_SKEW; ValueError if not."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a timestamp")
    m = _TIMESTAMP.fullmatch(text)
    if m is None:
        raise ValueError(f"{_shown(text)} is not an ISO-8601 UTC timestamp (like 2026-03-01T12:00:00Z)")
    try:
        moment = dt.datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}+00:00")
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a time in the calendar") from None
    limit = (now or dt.datetime.now(dt.UTC)) + CLOCK_SKEW
    if moment > limit:
        raise ValueError(f"{text} is in the future (the clock that wrote it is ahead, or it was edited)")
    return moment


def input_context(now: dt.datetime | None = None) -> dict[str, Any]:
    """The validation context for a document read from a file: timestamps are checked against ``now``."""
    return {INPUT_NOW: now or dt.datetime.now(dt.UTC)}


def _timestamp(value: str, info: ValidationInfo) -> str:
    ctx = info.context
    if isinstance(ctx, dict) and INPUT_NOW in ctx:
        parse_timestamp(value, now=ctx[INPUT_NOW])
    return value


#: A timestamp field: ISO-8601 UTC text (``utc_now``); checked strictly when validated from a file.
Timestamp = Annotated[str, AfterValidator(_timestamp)]
#: A float field that never holds NaN or an infinity (pydantic refuses them, also from 1e400 in JSON).
FiniteFloat = Annotated[float, AllowInfNan(False)]
