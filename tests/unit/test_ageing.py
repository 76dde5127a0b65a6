"""Rules of ageing: month arithmetic, what makes evidence and claims due, and what is to re-check."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain.ageing import (
    DateRuleError,
    Trigger,
    add_months,
    cadence_months,
    check_evidence_dates,
    evidence_due,
    parse_date,
    to_recheck,
)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_lands_in_the_right_month_never_past_its_end(day: dt.date, months: int) -> None:
    got = add_months(day, months)
    assert (got.year * 12 + got.month) - (day.year * 12 + day.month) == months
    assert got.day == day.day or (got.day < day.day and (got + dt.timedelta(days=1)).day == 1)


def test_month_ends_clamp() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)


def test_cadence_defaults() -> None:
    assert cadence_months(None, high_risk=False) == 12
    assert cadence_months(None, high_risk=True) == 6
    assert cadence_months(3, high_risk=True) == 3


@given(st.dates(max_value=dt.date(2026, 12, 3)), st.one_of(st.none(), st.dates()))
def test_evidence_dates_rule(effective: dt.date, until: dt.date | None) -> None:
    today = dt.date(2026, 12, 3)
    if until is not None and until < effective:
        with pytest.raises(DateRuleError, match="before the effective date"):
            check_evidence_dates(effective, until, today)
    else:
        check_evidence_dates(effective, until, today)


@given(st.dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1)), st.one_of(st.none(), st.dates(dt.date(2020, 1, 1))),
       st.integers(1, 60))
def test_evidence_is_due_at_the_earlier_of_expiry_and_age(issued: dt.date, until: dt.date | None, cadence: int) -> None:
    item = evidence_due("v", "V", "e", "Report", dt.date(2026, 6, 1), issued, until, cadence)
    by_age = add_months(issued, cadence)
    assert item.due_on == (min(until, by_age) if until else by_age)
    assert not item.stale(item.due_on) and item.stale(item.due_on + dt.timedelta(days=1))


def test_parse_date_wants_iso_ascii() -> None:
    assert parse_date(" 2026-02-28 ", "d") == dt.date(2026, 2, 28)
    for bad in ("2026-2-28", "28.02.2026", "２０２６-02-28", "2026-02-30", ""):
        with pytest.raises(DateRuleError):
            parse_date(bad, "d")


def test_to_recheck_needs_a_later_trigger_on_the_score_and_no_confirmation() -> None:
    t = Trigger("model:m:2", "2026-05-01T10:00:00Z", "model moved")
    scores = [("c1", "r:a", "2026-04-01T00:00:00Z", frozenset()),
              ("c1", "r:b", "2026-04-01T00:00:00Z", frozenset({"e1"})),
              ("c1", "r:c", "2026-06-01T00:00:00Z", frozenset()),  # set after the trigger
              ("c1", "r:d", "2026-04-01T00:00:00Z", frozenset())]  # the trigger does not bear on it
    got = to_recheck(scores, [(t, frozenset({"r:a", "r:c", "e1"}))], set())
    assert [(r.scorecard_id, r.criterion_id) for r in got] == [("c1", "a"), ("c1", "b")]
    assert [r.criterion_id for r in to_recheck(scores, [(t, frozenset({"r:a", "e1"}))], {("c1", "a", t.key)})] == ["b"]
