"""The engagement context: what a vendor's product does for us, asked once before scoring.

The answers decide which criteria apply (a rubric criterion's ``applies_when``). An unanswered
question applies every criterion, as if the context were not known.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import UserError

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

#: The US states (and DC) by two-letter postal code, with their names for forms and lists.
US_STATE_NAMES: dict[str, str] = {
    "al": "Alabama", "ak": "Alaska", "az": "Arizona", "ar": "Arkansas", "ca": "California", "co": "Colorado",
    "ct": "Connecticut", "de": "Delaware", "dc": "District of Columbia", "fl": "Florida", "ga": "Georgia",
    "hi": "Hawaii", "id": "Idaho", "il": "Illinois", "in": "Indiana", "ia": "Iowa", "ks": "Kansas",
    "ky": "Kentucky", "la": "Louisiana", "me": "Maine", "md": "Maryland", "ma": "Massachusetts", "mi": "Michigan",
    "mn": "Minnesota", "ms": "Mississippi", "mo": "Missouri", "mt": "Montana", "ne": "Nebraska", "nv": "Nevada",
    "nh": "New Hampshire", "nj": "New Jersey", "nm": "New Mexico", "ny": "New York", "nc": "North Carolina",
    "nd": "North Dakota", "oh": "Ohio", "ok": "Oklahoma", "or": "Oregon", "pa": "Pennsylvania",
    "ri": "Rhode Island", "sc": "South Carolina", "sd": "South Dakota", "tn": "Tennessee", "tx": "Texas",
    "ut": "Utah", "vt": "Vermont", "va": "Virginia", "wa": "Washington", "wv": "West Virginia", "wi": "Wisconsin",
    "wy": "Wyoming",
}
#: A US state market: ``us-`` and the state's two-letter postal code (``us-ca``, ``us-co``).
US_STATES = frozenset(US_STATE_NAMES)


def market_values() -> list[str]:
    """Every market a vendor may be used in, in the vocabulary's order: eu, uk, then the US states by name."""
    return ["eu", "uk", *(f"us-{code}" for code, _ in sorted(US_STATE_NAMES.items(), key=lambda kv: kv[1]))]


def market_name(market: str) -> str:
    """A market in words: 'EU', 'UK', 'California (US)'."""
    if market in ("eu", "uk"):
        return market.upper()
    return f"{US_STATE_NAMES.get(market[3:], market[3:].upper())} (US)"
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


#: One set of conditions: every key listed must match.
Conditions = Mapping[str, Sequence[str]]
#: A criterion's ``applies_when``: one table of conditions, or an array of them ("either of": any one may match).
AppliesWhen = Conditions | Sequence[Conditions]


def alternatives(applies_when: AppliesWhen) -> list[Conditions]:
    """The ``applies_when`` as a list of alternatives (one table: one alternative; none: empty)."""
    if isinstance(applies_when, Mapping):
        return [applies_when] if applies_when else []
    return list(applies_when)


def check_applies_when(applies_when: AppliesWhen) -> list[str]:
    """Problems with a criterion's ``applies_when`` (unknown keys, unknown values, empty lists or tables)."""
    if isinstance(applies_when, Mapping):
        return _check_conditions(applies_when)
    if not applies_when:
        return ["an array of alternatives needs at least one table"]
    problems = []
    for i, conditions in enumerate(applies_when, 1):
        if not conditions:
            problems.append(f"alternative {i} is empty (it would apply everywhere)")
        problems += [f"alternative {i}: {p}" for p in _check_conditions(conditions)]
    return problems


def _check_conditions(conditions: Conditions) -> list[str]:
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


# --- a vendor's answers -----------------------------------------------------------------------------

#: A single answer (``gpai-model = "own"``) or, for ``LIST_KEYS``, the values chosen (empty: "none").
ContextValue = str | tuple[str, ...]

#: The words that clear an answer (``vendoreval context set VENDOR KEY unset``).
UNSET_WORDS = frozenset({"", "unset"})


class ContextError(UserError):
    """An engagement-context answer the vocabulary refuses; names the question (``field``) and what it takes."""


def allowed_text(key: str) -> str:
    """What ``key`` takes, in words for an error message or a help text."""
    if key == "markets":
        return ("a comma list of eu, uk, us-<state> (the state's two-letter postal code, e.g. us-ca), or none; "
                "unset clears it")
    if key in LIST_KEYS:
        return f"a comma list of {', '.join(CHOICES[key])}, or none; unset clears it"
    return f"one of {', '.join(CHOICES[key])}; unset clears it"


def _order(key: str, values: set[str]) -> tuple[str, ...]:
    """List values in the vocabulary's order (US states after eu and uk, alphabetically): one spelling per set."""
    rank = {v: i for i, v in enumerate(CHOICES[key])}
    return tuple(sorted(values, key=lambda v: (rank.get(v, len(rank)), v)))


def parse_answer(key: str, text: str) -> ContextValue | None:
    """Read one answer as typed (CLI, form, file): None clears it; ContextError names the key and what it takes."""
    if key not in QUESTIONS:
        raise ContextError(f"unknown context question '{key}'; the questions are: {', '.join(QUESTIONS)}",
                           field=key)
    raw = text.strip().lower()
    if raw in UNSET_WORDS:
        return None
    if key not in LIST_KEYS:
        if not valid_value(key, raw):
            raise ContextError(f"{key}: '{text.strip()}' is not an answer; {key} takes {allowed_text(key)}",
                               field=key)
        return raw
    parts = [p.strip() for p in raw.split(",")]
    if parts == ["none"]:
        return ()
    bad = [p for p in parts if p == "none" or not valid_value(key, p)]
    if bad:
        why = "'none' cannot be combined with other values" if "none" in bad else f"'{bad[0]}' is not allowed"
        raise ContextError(f"{key}: {why}; {key} takes {allowed_text(key)}", field=key)
    return _order(key, set(parts))


def answer_text(key: str, value: ContextValue | None) -> str:
    """An answer as it is typed back (``unset``, ``none``, ``text,image``, ``own``): parse_answer reads it again."""
    if value is None:
        return "unset"
    if isinstance(value, tuple):
        return ",".join(value) if value else "none"
    return value


class EngagementContext:
    """A vendor's answers to the engagement-context questions; a key not answered is absent (None).

    Immutable: ``with_answer`` returns a new context. List answers are tuples in the vocabulary's order.
    """

    __slots__ = ("_answers",)

    def __init__(self, answers: Mapping[str, ContextValue] | None = None) -> None:
        self._answers: dict[str, ContextValue] = {}
        for key, value in (answers or {}).items():
            checked = parse_answer(key, answer_text(key, value) if isinstance(value, tuple) else value)
            if checked is not None:
                self._answers[key] = checked

    def get(self, key: str) -> ContextValue | None:
        """The answer to ``key``, None when it is not answered."""
        return self._answers.get(key)

    @property
    def answers(self) -> dict[str, ContextValue]:
        """The answered keys, in the order the questions are asked (a copy)."""
        return {k: self._answers[k] for k in QUESTIONS if k in self._answers}

    def is_empty(self) -> bool:
        """True when no question is answered (every criterion applies)."""
        return not self._answers

    def with_answer(self, key: str, value: ContextValue | None) -> EngagementContext:
        """This context with ``key`` answered (None: un-answered)."""
        answers = dict(self._answers)
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
        return EngagementContext(answers)

    def as_json(self) -> dict[str, str | list[str]]:
        """The answers as plain JSON (lists for list keys); what the store and the workspace file keep."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.answers.items()}

    @classmethod
    def from_json(cls, data: Mapping[str, object], where: str = "engagement context") -> EngagementContext:
        """Read ``as_json`` output back; ContextError (naming ``where`` and the key) for anything else."""
        answers: dict[str, ContextValue] = {}
        for key, value in data.items():
            if key not in QUESTIONS:
                raise ContextError(f"{where}: unknown context question '{key}'; the questions are: "
                                   f"{', '.join(QUESTIONS)}", field=key)
            if key in LIST_KEYS:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ContextError(f"{where}: {key} must be a list of strings ({allowed_text(key)})", field=key)
                text = ",".join(value) if value else "none"
            elif isinstance(value, str):
                text = value
            else:
                raise ContextError(f"{where}: {key} must be a string ({allowed_text(key)})", field=key)
            try:
                parsed = parse_answer(key, text)
            except ContextError as exc:
                raise ContextError(f"{where}: {exc}", field=key) from None
            if parsed is not None:
                answers[key] = parsed
        return cls(answers)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EngagementContext) and self._answers == other._answers

    def __hash__(self) -> int:
        return hash(frozenset(self._answers.items()))

    def __repr__(self) -> str:
        return f"EngagementContext({self.answers!r})"


#: The empty context: nothing answered, every criterion applies.
UNKNOWN = EngagementContext()


@dataclass(frozen=True)
class VendorContext:
    """One vendor's stored engagement context and when it last changed."""

    vendor_id: str
    context: EngagementContext
    updated_at: str
    #: Raised by the store on every write (bundles: only a higher revision from the owner key replaces it).
    revision: int = field(default=1, compare=False)


# --- applicability ----------------------------------------------------------------------------------

_PHRASES: dict[str, dict[str, str]] = {
    "gpai-model": {
        "none": "the product uses no general-purpose AI model",
        "third-party": "the product's general-purpose AI model is a third party's, not the vendor's own",
        "own": "the product's general-purpose AI model is the vendor's own",
    },
    "personal-data": {
        "none": "the product processes no personal data for us",
        "processor": "the vendor processes personal data for us as our processor",
        "controller": "the vendor is an independent controller of the personal data, not our processor",
        "joint-controller": "the vendor is a joint controller of the personal data with us, not our processor",
    },
    "annex-iii": {
        "no": "the product has no Annex III (high-risk) use",
        "yes": "the product has an Annex III (high-risk) use",
    },
    "crawls-or-fine-tunes": {
        "no": "the vendor neither crawls the web nor fine-tunes models",
        "yes": "the vendor crawls the web or fine-tunes models",
    },
}
_OUTPUT_WORDS = {"text": "text", "image": "images", "audio": "audio", "video": "video"}


def _market_word(m: str) -> str:
    return m.upper() if m in ("eu", "uk") else f"US state {m[3:].upper()}"


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def answer_phrase(key: str, value: ContextValue) -> str:
    """What an answer says about the product, as a clause: 'the product uses no general-purpose AI model'."""
    if key == "generates":
        words = [_OUTPUT_WORDS[v] for v in value]
        return f"the product generates only {_join(words)}" if words else "the product generates no content"
    if key == "markets":
        names = [_market_word(m) for m in value]
        return f"we use the product only in {_join(names)}" if names else "we use the product in no market"
    assert isinstance(value, str)
    return _PHRASES[key][value]


def _matches(key: str, answer: ContextValue, values: Sequence[str]) -> bool:
    """The matching rule of docs/rubric-format.md section 10 for one answered key."""
    if isinstance(answer, tuple):
        wanted = set(values)
        any_us = ANY_US_STATE in wanted
        return any(a in wanted or (any_us and a.startswith("us-")) for a in answer)
    return answer in values


def _mismatch(conditions: Conditions, context: EngagementContext) -> str | None:
    """The phrase of the first key (in the order the questions are asked) whose answer fails, else None."""
    for key in QUESTIONS:
        values = conditions.get(key)
        if values is None:
            continue
        answer = context.get(key)
        if answer is None or _matches(key, answer, values):
            continue
        return answer_phrase(key, answer)
    return None


def applicability(criterion: HasAppliesWhen, context: EngagementContext | None) -> str | None:
    """None when the criterion applies under ``context``; else the reason, 'not applicable: <why>'.

    Within one table every key listed must match (an unanswered key matches); the reason names the first
    key, in the order the questions are asked, that does not. With an array of tables ("either of") the
    criterion applies when any one table matches; the reason names why each fails.
    """
    alts = alternatives(criterion.applies_when)
    if not alts or context is None or context.is_empty():
        return None
    phrases: list[str] = []
    for conditions in alts:
        why = _mismatch(conditions, context)
        if why is None:
            return None
        if why not in phrases:
            phrases.append(why)
    return f"not applicable: {_join(phrases)}"


def _either(words: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _condition_words(key: str, values: Sequence[str]) -> str:
    """One condition of an ``applies_when`` in a sentence (the phrases of ``_PHRASES`` where there are some)."""
    if key == "gpai-model" and set(values) == {"third-party", "own"}:
        return "the product uses a general-purpose AI model (the vendor's own or a third party's)"
    if key == "personal-data" and len(values) > 1 and "none" not in values:
        return "the vendor processes personal data for us (as " + _either([v.replace("-", " ") for v in values]) + ")"
    if key in _PHRASES:
        return ", or ".join(_PHRASES[key].get(v, f"{key} is {v}") for v in values)
    if key == "markets":
        names = [US_STATE_NAMES[v[3:]] if v.startswith("us-") and v[3:] in US_STATE_NAMES else v.upper()
                 for v in values]
        return "we use it in " + _either(names)
    if key == "generates":
        return "the product generates " + _either(list(values))
    return f"{key} is {' or '.join(values)}"


def applies_when_text(applies_when: AppliesWhen) -> str:
    """An ``applies_when`` in words: 'Applies when the product's general-purpose AI model is the vendor's own, or
    the vendor crawls the web or fine-tunes models' ('' if none); keys and values alone read 'personal-data is
    processor' (a tester found them on the Rubrics page)."""
    alts = alternatives(applies_when)
    if not alts:
        return ""

    def one(conditions: Conditions) -> str:
        return " and ".join(_condition_words(k, v) for k, v in conditions.items())

    return "Applies when " + ", or ".join(one(a) for a in alts)


class HasAppliesWhen(Protocol):
    """Anything with an ``applies_when`` table (a rubric ``Criterion``)."""

    @property
    def applies_when(self) -> AppliesWhen: ...
