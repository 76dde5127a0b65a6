"""The engagement context: what a vendor's product does for us, asked once before scoring.

The answers decide which criteria apply (a rubric criterion's ``applies_when``). An unanswered
question applies every criterion, as if the context were not known.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

#: Context keys, in the order they are asked, with the question put to the evaluator.
QUESTIONS: dict[str, str] = {
    "gpai-model": "Does the product use a general-purpose AI model, and whose?",
    "personal-data": "Does it process personal data for us, and in which role?",
    "generates": "Does it generate text, images, audio or video?",
    "annex-iii": "Is it used for anything listed in Annex III of the AI Act (high-risk)?",
    "markets": "In which markets do we use it?",
    "crawls-or-fine-tunes": "Does the vendor crawl the web or fine-tune models itself?",
}

#: Allowed single values per key (``generates`` and ``markets`` take lists; see ``LIST_KEYS``).
CHOICES: dict[str, tuple[str, ...]] = {
    "gpai-model": ("none", "third-party", "own"),
    "personal-data": ("none", "processor", "controller", "joint-controller"),
    "generates": ("text", "image", "audio", "video"),
    "annex-iii": ("yes", "no"),
    "markets": ("eu", "uk"),  # plus us-<state>, see MARKET_US
    "crawls-or-fine-tunes": ("yes", "no"),
}

#: Keys whose answer is a list (possibly empty: "none").
LIST_KEYS = frozenset({"generates", "markets"})

#: A US state market: ``us-`` and the state's two-letter postal code (``us-ca``, ``us-co``).
US_STATES = frozenset((
    "al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky",
    "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh",
    "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy",
))
MARKET_US = re.compile(r"^us-([a-z]{2})$")

#: In a rubric's ``applies_when``, ``us-*`` stands for any US state market.
ANY_US_STATE = "us-*"


def valid_value(key: str, value: str, *, in_rubric: bool = False) -> bool:
    """Whether ``value`` is an allowed (single) answer for ``key``; rubrics may also write ``us-*``."""
    if key not in CHOICES:
        return False
    if key == "markets":
        if in_rubric and value == ANY_US_STATE:
            return True
        m = MARKET_US.match(value)
        return value in CHOICES[key] or (m is not None and m.group(1) in US_STATES)
    return value in CHOICES[key]


def check_applies_when(conditions: Mapping[str, Sequence[str]]) -> list[str]:
    """Problems with a criterion's ``applies_when`` table (unknown keys, unknown values, empty lists)."""
    problems = []
    for key, values in conditions.items():
        if key not in CHOICES:
            problems.append(f"unknown context key '{key}' (known: {', '.join(QUESTIONS)})")
            continue
        if not values:
            problems.append(f"'{key}' needs at least one value")
        for v in values:
            if key in LIST_KEYS and v == "none":
                problems.append(f"'{key}': write the values it applies to, not 'none'")
            elif not valid_value(key, v, in_rubric=True):
                problems.append(f"'{key}': unknown value '{v}'")
    return problems
