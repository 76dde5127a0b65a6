"""The domain's write rules: a decision valid with its conditions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain.models import Decision
from vendoreval.domain.rules import DecisionError, check_decision
from vendoreval.errors import UserError

blank = st.text(alphabet=" \t\n\u00a0\u2003", max_size=4)
condition = st.one_of(blank, st.text(max_size=30))


@given(st.sampled_from(list(Decision)), st.one_of(st.none(), st.lists(condition, max_size=4)))
def test_a_decision_is_refused_exactly_when_its_conditions_do_not_fit(decision: Decision,
                                                                       conditions: list[str] | None) -> None:
    real = [c for c in conditions or [] if c.strip()]
    should_refuse = (decision == Decision.GO_WITH_CONDITIONS and not real) or (
        decision in (Decision.GO, Decision.NO_GO) and bool(real))
    try:
        check_decision(decision, conditions)
    except DecisionError as exc:
        assert should_refuse, f"{decision} with {conditions!r} refused: {exc}"
        assert isinstance(exc, UserError) and exc.field == "conditions"
        assert str(exc).startswith("field conditions: ")
    else:
        assert not should_refuse, f"{decision} with {conditions!r} accepted"


@pytest.mark.parametrize("conditions", [None, [], [""], ["  ", "\t"]])
def test_go_with_conditions_needs_a_condition_that_is_not_blank(conditions: list[str] | None) -> None:
    with pytest.raises(UserError, match="'Go with conditions' needs at least one condition") as exc:
        check_decision(Decision.GO_WITH_CONDITIONS, conditions)
    assert exc.value.field == "conditions"
    check_decision("go_with_conditions", ["Cap liability at 2x fees"])


@pytest.mark.parametrize("decision", [Decision.GO, Decision.NO_GO])
def test_a_plain_go_and_a_no_go_take_no_conditions(decision: Decision) -> None:
    with pytest.raises(UserError, match=rf"a '{decision.label}' decision takes no conditions \(2 given\); remove "
                                        "them or choose 'Go with conditions'"):
        check_decision(decision, ["Audit rights", "Exit plan"])
    check_decision(decision, ["", " "])  # blank lines are no conditions


def test_an_unknown_decision_names_the_decision_field() -> None:
    with pytest.raises(UserError, match="'maybe' is not a decision") as exc:
        check_decision("maybe", [])
    assert exc.value.field == "decision"
