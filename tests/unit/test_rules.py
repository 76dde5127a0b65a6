"""The write rules in one place: scores, versions, the version that counts, the evaluator spread."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import criterion, levels, rubric
from vendoreval.domain.models import Answer, EvidenceStrength, Score, Scorecard
from vendoreval.domain.rubric import Criterion
from vendoreval.domain.rules import (
    SPREAD_FLAG,
    RuleError,
    check_score,
    checked_score,
    counting_rubric_hash,
    level_problem,
    newest,
    spread_flagged,
    version_key,
)
from vendoreval.errors import UserError

ORDINAL = rubric("r", [criterion("a", n_levels=5)]).criterion("a")
NUMERIC = rubric("n", [{"id": "tokens", "title": "Tokens", "question": "How many?", "weight": 1,
                        "scale": {"kind": "numeric", "unit": "tokens", "thresholds": [1e9, 1e12, 1e13],
                                  "levels": levels(4)}}]).criterion("tokens")


@given(st.integers(min_value=-50, max_value=50))
def test_a_level_is_stored_exactly_when_it_is_on_the_scale(level: int) -> None:
    on_scale = 0 <= level <= ORDINAL.scale.top
    assert (level_problem(ORDINAL, level) is None) == on_scale
    if on_scale:
        assert check_score(ORDINAL, Answer.LEVEL, level).level == level
    else:
        with pytest.raises(RuleError) as err:
            check_score(ORDINAL, Answer.LEVEL, level)
        assert err.value.field == "level" and "out of range 0..4" in str(err.value)


@given(st.floats(min_value=0, max_value=1e15, allow_nan=False))
def test_a_figure_sets_the_level_from_the_thresholds(figure: float) -> None:
    value = check_score(NUMERIC, Answer.LEVEL, figure=figure)
    assert value.level == sum(1 for cut in (1e9, 1e12, 1e13) if figure >= cut)
    assert value.figure == figure
    # a level given with the figure must agree with it
    assert check_score(NUMERIC, Answer.LEVEL, value.level, figure).level == value.level
    wrong = (value.level + 1) % 4
    with pytest.raises(RuleError, match="disagrees with figure"):
        check_score(NUMERIC, Answer.LEVEL, wrong, figure)


@pytest.mark.parametrize(("figure", "reason"), [(-1.0, "cannot be negative"), (float("nan"), "must be a number")])
def test_bad_figures_are_refused(figure: float, reason: str) -> None:
    with pytest.raises(RuleError, match=reason) as err:
        check_score(NUMERIC, Answer.LEVEL, figure=figure)
    assert err.value.field == "figure"


def test_a_figure_on_an_ordinal_criterion_is_refused() -> None:
    with pytest.raises(RuleError, match="not scored from a figure"):
        check_score(ORDINAL, Answer.LEVEL, figure=5.0)


@given(st.sampled_from([a for a in Answer if a != Answer.LEVEL]), st.integers(-5, 9) | st.none(),
       st.floats(allow_nan=False) | st.none())
def test_non_answers_carry_no_level_or_figure(answer: Answer, level: int | None, figure: float | None) -> None:
    value = check_score(NUMERIC, answer, level, figure)
    assert (value.answer, value.level, value.figure) == (answer, None, None)


def test_a_level_answer_without_a_level_keeps_the_previous_one_or_asks_for_one() -> None:
    assert check_score(ORDINAL, Answer.LEVEL, previous_level=3).level == 3
    with pytest.raises(RuleError, match="pick a level from 0 to 4"):
        check_score(ORDINAL, Answer.LEVEL)


def test_an_unknown_answer_is_a_user_error_naming_the_choices() -> None:
    with pytest.raises(UserError, match="'maybe' is not an answer; use one of: level"):
        check_score(ORDINAL, "maybe", 2)


@given(st.lists(st.integers(0, 30), min_size=1, max_size=4), st.lists(st.integers(0, 30), min_size=1, max_size=4))
def test_versions_compare_part_by_part_as_numbers(a: list[int], b: list[int]) -> None:
    va, vb = ".".join(map(str, a)), ".".join(map(str, b))
    assert (version_key(va) < version_key(vb)) == (a < b)


def test_newest_version_and_the_version_that_counts() -> None:
    assert newest(["1.9", "1.10", "1.2"], str) == "1.10"
    cards = [Scorecard(vendor_id="v", rubric_id="r", rubric_version=v, rubric_hash=f"h{v}", evaluator="ann")
             for v in ("2025.6", "2025.12", "2025.11")]
    assert counting_rubric_hash(cards) == "h2025.12"


@given(st.integers(0, 10) | st.none())
def test_the_spread_flag(spread: int | None) -> None:
    assert spread_flagged(spread) == (spread is not None and spread >= SPREAD_FLAG)


@given(criterion_=st.sampled_from([ORDINAL, NUMERIC]), answer=st.sampled_from(list(Answer)),
       level=st.none() | st.integers(min_value=-2, max_value=6),
       figure=st.none() | st.floats(min_value=-1e14, max_value=1e15, allow_nan=False),
       strength=st.none() | st.sampled_from(list(EvidenceStrength)), rationale=st.text(max_size=20),
       claim_ids=st.lists(st.text(min_size=1, max_size=5), max_size=3))
def test_a_checked_score_is_the_validated_score(criterion_: Criterion, answer: Answer, level: int | None,
                                                figure: float | None, strength: EvidenceStrength | None,
                                                rationale: str, claim_ids: list[str]) -> None:
    """What a bulk writer builds without validating again equals the model validated from the same values."""
    try:
        value = check_score(criterion_, answer, level, figure)
    except RuleError:
        return
    fast = checked_score(criterion_.id, value, strength=strength, rationale=rationale, claim_ids=claim_ids,
                         evidence_ids=["e1"], updated_at="2026-01-02T03:04:05Z")
    slow = Score(criterion_id=criterion_.id, answer=value.answer, level=value.level, figure=value.figure,
                 strength=strength, rationale=rationale, claim_ids=claim_ids, evidence_ids=["e1"],
                 updated_at="2026-01-02T03:04:05Z", revision=1)
    assert fast == slow and fast.model_dump() == slow.model_dump()
    assert Score.model_validate(fast.model_dump()) == fast
    assert fast.revision == 1 and fast.model_fields_set == slow.model_fields_set


@given(answer=st.sampled_from(list(Answer)), level=st.none() | st.integers(0, 4),
       figure=st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False),
       strength=st.none() | st.sampled_from(list(EvidenceStrength)), rationale=st.text(max_size=20),
       claims=st.lists(st.text(min_size=1, max_size=5), max_size=3), revision=st.integers(1, 50))
def test_a_score_read_back_from_its_columns_is_the_validated_score(answer: Answer, level: int | None,
                                                                   figure: float | None,
                                                                   strength: EvidenceStrength | None,
                                                                   rationale: str, claims: list[str],
                                                                   revision: int) -> None:
    """The store reads every score of the workspace without validating it again (it was when written): the
    model it builds from a row's columns equals the one validated from the same values, revision included."""
    import json

    from pydantic import ValidationError

    from vendoreval.store.mappers import score_from_columns

    try:  # the store holds only scores that validated when they were written
        validated = Score(criterion_id="c1", answer=answer, level=level, figure=figure, strength=strength,
                          rationale=rationale, claim_ids=claims, evidence_ids=[],
                          updated_at="2026-01-02T03:04:05Z", revision=revision)
    except ValidationError:
        return
    read = score_from_columns("c1", answer.value, level, figure, strength.value if strength else None, rationale,
                              json.dumps(claims), "[]", "2026-01-02T03:04:05Z", revision)
    assert read == validated and read.model_dump() == validated.model_dump()
    assert read.model_fields_set == validated.model_fields_set
