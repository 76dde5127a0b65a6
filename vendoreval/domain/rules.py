"""The write rules: what may be stored, decided in one place for every writer.

Every front end and importer (the app, the CLI, scores CSV, workspace files, bundles, consensus) asks
these functions instead of repeating the rule. They are pure: no store, no Qt. A refused value raises
``RuleError`` (a ``UserError``) naming the field; the ``*_problem`` forms return the reason as text for
validators that collect every problem of a file before refusing it.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..errors import UserError
from .figures import display_figure
from .models import Answer, Condition, Decision, EvidenceStrength, Score, Scorecard, checked_score_model
from .rubric import Criterion, ScaleKind

T = TypeVar("T")


class RuleError(UserError):
    """A value the rules refuse; ``field`` names what to change."""


def sentence(reason: str) -> str:
    """A reason as a sentence of its own: 'level 9 is out of range 0..4' → 'Level 9 is … 0..4.' (trimmed; one
    ending in '.', '!' or '?' keeps it; nothing stays nothing)."""
    reason = reason.strip()
    if not reason:
        return ""
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith((".", "!", "?")) else ".")


# --- versions ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for versions like '1.10.0' or '2025.12': numbers compare as numbers, '1.10' > '1.9'."""
    parts = re.split(r"[.\-+]", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def newest(items: Iterable[T], version: Callable[[T], str]) -> T:
    """The item with the highest version (ValueError when there are none)."""
    return max(items, key=lambda item: version_key(version(item)))


# --- which rubric version counts -----------------------------------------------------------------


def counting_rubric_hash(cards: Sequence[Scorecard]) -> str:
    """Of one vendor's scorecards on one rubric, the rubric version whose scores count: the newest."""
    return newest(cards, lambda c: c.rubric_version).rubric_hash


# --- scores --------------------------------------------------------------------------------------


def level_problem(criterion: Criterion, level: int) -> str | None:
    """Why ``level`` cannot be stored for ``criterion``, or None when it can."""
    if not 0 <= level <= criterion.scale.top:
        return f"level {level} is out of range 0..{criterion.scale.top}"
    return None


@dataclass(frozen=True)
class ScoreValue:
    """A checked answer: the level is set exactly when the answer is a level."""

    answer: Answer
    level: int | None
    figure: float | None


def check_score(criterion: Criterion, answer: Answer | str, level: int | None = None,
                figure: float | None = None, *, previous_level: int | None = None) -> ScoreValue:
    """The score to store for ``criterion``, or ``RuleError`` saying what is wrong.

    A figure on a numeric criterion sets the level from the scale's thresholds; a level given with it
    must agree. A level answer without level or figure keeps ``previous_level``. Non-answers (not
    disclosed, not applicable) carry neither level nor figure.
    """
    try:
        ans = answer if isinstance(answer, Answer) else Answer(answer)
    except ValueError:
        choices = ", ".join(a.value for a in Answer)
        raise RuleError(f"'{answer}' is not an answer; use one of: {choices}", field="answer") from None
    if ans != Answer.LEVEL:
        return ScoreValue(ans, None, None)
    if figure is not None:
        if criterion.scale.kind != ScaleKind.NUMERIC:
            raise RuleError(f"{criterion.id} is not scored from a figure", field="figure")
        if math.isnan(figure):
            raise RuleError("a figure must be a number", field="figure")
        if figure < 0:
            raise RuleError("a figure cannot be negative", field="figure")
        from_figure = criterion.scale.level_for_figure(figure)
        if level is not None and level != from_figure:
            raise RuleError(f"level {level} disagrees with figure {display_figure(figure)} (level {from_figure})",
                            field="level")
        level = from_figure
    if level is None:
        level = previous_level
    if level is None:
        raise RuleError(f"pick a level from 0 to {criterion.scale.top} for {criterion.title}", field="level")
    problem = level_problem(criterion, level)
    if problem:
        raise RuleError(problem, field="level")
    return ScoreValue(ans, level, figure)


def checked_score(criterion_id: str, value: ScoreValue, *, strength: EvidenceStrength | None, rationale: str,
                  claim_ids: list[str], evidence_ids: list[str], updated_at: str) -> Score:
    """The ``Score`` to store for a value ``check_score`` returned (``criterion_id`` that criterion's id).

    ``check_score`` has decided what the model's own validation would (a level exactly for a level answer,
    within the scale, a finite figure); the other fields are typed. So the score is built without
    validating it again: bulk writers (a scores CSV of thousands of rows) make one per row.
    """
    return checked_score_model(criterion_id, value.answer, value.level, value.figure, strength, rationale,
                               claim_ids, evidence_ids, updated_at)


# --- evaluator spread ------------------------------------------------------------------------------

#: Evaluators whose levels on one criterion differ by this much or more are flagged for discussion.
SPREAD_FLAG = 2


def spread_flagged(spread: int | None) -> bool:
    """True when evaluators' levels differ enough to discuss (``SPREAD_FLAG`` levels or more)."""
    return spread is not None and spread >= SPREAD_FLAG


# --- Decisions ----------------------------------------------------------------------------------


class DecisionError(RuleError):
    """A decision that cannot be recorded as asked (field 'decision' or 'conditions')."""


#: Decisions that take no conditions to negotiate: a plain go, and a no-go (nothing left to negotiate).
NO_CONDITIONS = (Decision.GO, Decision.NO_GO)


def needs_conditions(decision: Decision | str) -> bool:
    """True for the decision that must carry at least one condition: 'go with conditions'."""
    return decision == Decision.GO_WITH_CONDITIONS


def check_decision(decision: Decision | str, conditions: Sequence[Condition | str] | None) -> None:
    """Refuse a decision its conditions do not fit; None when it may be recorded.

    'Go with conditions' needs at least one condition record (or text that is not blank); a plain 'Go'
    and a 'No-go' take none. ``conditions`` are the ones the vendor will have after the change (None:
    none): its ``Condition`` records, or their texts.
    """
    try:
        d = Decision(decision)
    except ValueError:
        raise DecisionError.at(
            f"'{decision}' is not a decision; use one of: {', '.join(x.value for x in Decision)}",
            field="decision",
        ) from None
    given = [c for c in (conditions or ()) if (c.text if isinstance(c, Condition) else c).strip()]
    if needs_conditions(d) and not given:
        raise DecisionError.at(
            f"'{d.label}' needs at least one condition to negotiate.", field="conditions"
        )
    if d in NO_CONDITIONS and given:
        n = len(given)
        raise DecisionError.at(
            f"a '{d.label}' decision takes no conditions ({n} given); remove {'it' if n == 1 else 'them'} "
            f"or choose '{Decision.GO_WITH_CONDITIONS.label}'.",
            field="conditions",
        )


# --- vendors --------------------------------------------------------------------------------------

#: A web address: http(s)://host[:port][/path…], or a bare host with a dot (acme.example/trust).
_WEBSITE = re.compile(r"(?:(?P<scheme>https?)://)?(?P<host>[^\s/?#:@]+)(?::\d{1,5})?(?:[/?#]\S*)?", re.IGNORECASE)


def website_problem(website: str) -> str | None:
    """Why ``website`` is not a web address a vendor's profile can hold, or None when it is (or is empty)."""
    text = website.strip()
    if not text:
        return None
    match = _WEBSITE.fullmatch(text)
    if match is None or (not match["scheme"] and "." not in match["host"].strip(".")):
        return f"'{text}' is not a web address; enter one like https://acme.example (or leave it empty)"
    return None


def check_website(website: str) -> str:
    """``website`` trimmed, or ``RuleError`` (field 'website') when it is not a web address."""
    problem = website_problem(website)
    if problem:
        raise RuleError.at(problem, field="website")
    return website.strip()


# --- names ---------------------------------------------------------------------------------------------

#: Characters a name may not hold: control characters (a tab, a line break, the terminal's escape) and the
#: Unicode marks that reverse or isolate the direction of the text around them ('Acme\u202egnp.exe').
_NAME_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def name_problem(name: str, what: str = "a vendor name") -> str | None:
    """Why ``name`` cannot be a name of a record shown in lists, the brief and the terminal, or None.

    A tester added vendors named with an escape sequence (the terminal turned the list red), a line break (the
    list's columns broke) and a right-to-left override (a name that reads as another); claim files refuse
    such characters as binary data already.
    """
    bad = _NAME_FORBIDDEN.search(name)
    if bad is None:
        return None
    char = bad.group()
    kind = "a direction mark" if char >= "\u200e" else {"\t": "a tab", "\n": "a line break", "\r": "a line break",
                                                        "\x1b": "an escape character"}.get(char, "a control character")
    return f"{what} cannot hold {kind} (U+{ord(char):04X}); type it on one line, in plain characters"


def check_name(name: str, what: str = "a vendor name") -> str:
    """``name`` as given, or ``RuleError`` (field 'name') when ``name_problem`` finds a forbidden character."""
    if not name.strip():
        raise RuleError(f"{what[0].upper()}{what[1:]} cannot be empty", field="name")
    problem = name_problem(name, what)
    if problem:
        raise RuleError(problem[0].upper() + problem[1:], field="name")
    return name
