"""Figures as people write them ("40 billion", "40B", "2.3bn", "4e10", "6,000") and as the app shows them.

``parse_figure`` reads a figure into a float; ``display_figure`` writes one in words ("40 billion");
``parse_figure(display_figure(x)) == x`` for every finite float (the display is exact, never rounded).
Pure: no Qt, no I/O.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

#: Scale words and abbreviations → power of ten (short scale, as in English business writing).
SCALES: dict[str, int] = {
    "k": 3, "thousand": 3, "thousands": 3,
    "m": 6, "mn": 6, "mio": 6, "million": 6, "millions": 6,
    "b": 9, "bn": 9, "bln": 9, "billion": 9, "billions": 9,
    "t": 12, "tn": 12, "trillion": 12, "trillions": 12,
}
#: The words the display uses, largest first.
_WORDS = ((12, "trillion"), (9, "billion"), (6, "million"))

_FIGURE = re.compile(
    r"""^\s*(?P<sign>[-+−]?)\s*
        (?P<num>(?:\d+|\d{1,3}(?:[,\u00a0\u202f ]\d{3})+)(?:\.\d+)?|\.\d+)
        (?:[eE](?P<exp>[-+]?\d+))?
        \s*(?P<scale>[A-Za-z]+)?\.?\s*$""",
    re.VERBOSE | re.ASCII,  # ASCII digits only: "٣" is not 3 in a figure
)


class FigureError(ValueError):
    """Text that is not a figure; the message says what is accepted."""


def _decimal(text: str) -> Decimal:
    """The exact decimal value of a figure's text; FigureError when it is not one."""
    m = _FIGURE.match(text.replace("_", ""))
    if m is None:
        raise FigureError(f"“{text.strip()}” is not a figure; write e.g. 40 billion, 40B, 2.3bn, 4e10 or 6,000.")
    scale_word = (m["scale"] or "").casefold()
    if scale_word and scale_word not in SCALES:
        raise FigureError(f"“{text.strip()}”: '{m['scale']}' is not a scale; use thousand, million, billion, "
                          "trillion (or k, M, B/bn, T/tn).")
    digits = re.sub(r"[,\u00a0\u202f ]", "", m["num"])
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise FigureError(f"“{text.strip()}” is not a figure.") from None
    power = int(m["exp"] or 0) + SCALES.get(scale_word, 0)
    value = value.scaleb(power)
    return -value if m["sign"] in ("-", "−") else value


def _without_unit(text: str, unit: str) -> str:
    """``text`` without a trailing ``unit`` word ("40 billion tokens" → "40 billion"), singular or plural."""
    words = unit.strip().casefold()
    stem = words[:-1] if words.endswith("s") else words
    body = text.rstrip()
    lowered = body.casefold()
    for tail in (words, stem):
        if tail and lowered.endswith(tail) and (len(body) == len(tail) or not body[-len(tail) - 1].isalpha()):
            return body[: -len(tail)]
    return text


def parse_figure(text: str, unit: str | None = None) -> float:
    """The number a figure's text stands for: "40 billion", "40B", "40 bn", "2.3bn", "4e10", "6,000" → float.

    Thousands may be grouped with commas or spaces ("40,000,000"); a decimal point is a point. With the
    criterion's ``unit`` ("tokens"), the unit may follow the figure ("40 billion tokens", "1 token"). Raises
    FigureError (a ValueError) for anything else, or a figure too large for a float.
    """
    if unit:
        text = _without_unit(text, unit)
    value = float(_decimal(text))
    if not math.isfinite(value):
        raise FigureError(f"“{text.strip()}” is too large a figure.")
    return value


def _grouped(d: Decimal) -> str:
    """A non-negative decimal in plain notation with comma-grouped thousands: 1234567.5 → '1,234,567.5'."""
    text = format(d, "f")
    whole, _dot, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def display_figure(value: float) -> str:
    """A figure in words: 40e9 → '40 billion', 2.3e9 → '2.3 billion', 6000 → '6,000', 0.98 → '0.98'.

    Exact: the shortest decimal that is ``value`` (Python's repr) shifted by the scale, never rounded, so
    ``parse_figure`` gives ``value`` back. Very small or very large numbers use e-notation (4e-07, 1e+25).
    """
    if not math.isfinite(value):
        raise FigureError(f"{value!r} is not a figure.")
    if value == 0:
        return "0"
    d = Decimal(repr(abs(value)))
    sign = "-" if value < 0 else ""
    if d < Decimal("1e-4") or d >= Decimal("1e21"):
        return sign + repr(abs(value))
    for power, word in _WORDS:
        if d >= Decimal(10) ** power:
            return f"{sign}{_grouped(d.scaleb(-power))} {word}"
    return sign + _grouped(d)
