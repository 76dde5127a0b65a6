"""Commercial terms: amounts read strictly as Decimal, the total cost over the term exact, currencies never mixed."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain.commercials import (
    Commercials,
    CommercialsError,
    CurrencyMismatch,
    TotalCost,
    by_currency,
    parse_amount,
    parse_currency,
    parse_months,
    parse_renewal,
)

amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False,
                      allow_infinity=False)


@given(amounts, amounts, amounts, st.integers(1, 600))
def test_total_is_one_off_plus_annual_times_months_over_12_plus_exit_exactly(one_off: Decimal, annual: Decimal,
                                                                             exit_cost: Decimal, months: int) -> None:
    c = Commercials("v", one_off=one_off, annual=annual, exit_cost=exit_cost, currency="EUR", term_months=months)
    total = c.total()
    assert total is not None and total.currency == "EUR"
    assert total.exact == Fraction(one_off) + Fraction(annual) * months / 12 + Fraction(exit_cost)
    # shown to the cent, half to even; exact whenever the term splits the annual cost into whole cents
    assert abs(Fraction(total.decimal()) - total.exact) <= Fraction(1, 200)
    assert total.rounded == ((annual * 100 * months) % 12 != 0)


@given(st.lists(st.tuples(st.sampled_from(["EUR", "USD", "GBP", None]), amounts), min_size=1, max_size=8))
def test_currencies_are_never_added_or_grouped_together(items: list[tuple[str | None, Decimal]]) -> None:
    totals = [(f"v{i}", TotalCost(Fraction(a), cur)) for i, (cur, a) in enumerate(items)]
    groups = by_currency(totals)
    for currency, members in groups.items():
        assert all(t.currency == currency for _, t in members)
        assert [t.exact for _, t in members] == sorted(t.exact for _, t in members)
    assert sum(len(m) for m in groups.values()) == len(items)
    for (_, a), (_, b) in itertools.pairwise(totals):
        if a.currency != b.currency:
            with pytest.raises(CurrencyMismatch):
                a + b
        else:
            assert (a + b).exact == a.exact + b.exact


def test_worked_example_three_years() -> None:
    c = Commercials("v", one_off=Decimal("5000"), annual=Decimal("12000"), exit_cost=Decimal("1500.50"),
                    currency="EUR", term_months=36)
    total = c.total()
    assert total is not None
    assert total.decimal() == Decimal("42500.50") and not total.rounded
    assert total.text() == "EUR 42,500.50"
    assert c.as_json()["total_cost"] == "42500.50"


def test_seven_months_of_1000_is_rounded_to_the_cent_and_says_so() -> None:
    total = Commercials("v", annual=Decimal(1000), currency="GBP", term_months=7).total()
    assert total is not None and total.exact == Fraction(7000, 12)
    assert total.decimal() == Decimal("583.33") and total.rounded


def test_no_total_without_costs_or_without_the_term() -> None:
    assert Commercials("v").total() is None and Commercials("v").total_problem() == "no costs recorded"
    c = Commercials("v", annual=Decimal(10), currency="EUR")
    assert c.total() is None and c.total_problem() == "the term is not recorded"
    one_off_only = Commercials("v", one_off=Decimal("99.99"), currency="EUR").total()
    assert one_off_only is not None and one_off_only.decimal() == Decimal("99.99")


@pytest.mark.parametrize("value", [True, False, 1.5, float("nan"), "nan", "inf", "-1", "1e3", "1,000", "€5",
                                   Decimal("NaN"), Decimal("Infinity"), Decimal("-0.01"), "0.00001",
                                   "1000000000000000", [1]])
def test_amounts_are_strict(value: object) -> None:
    with pytest.raises(CommercialsError) as exc:
        parse_amount(value, "exit_cost")
    assert exc.value.field == "exit_cost"


def test_amounts_accepted() -> None:
    assert parse_amount(" 1200.50 ") == Decimal("1200.50")
    assert parse_amount(0) == Decimal(0)
    assert parse_amount("") is None and parse_amount(None) is None
    assert parse_amount(Decimal("0.1")) + parse_amount("0.2") == Decimal("0.3")  # type: ignore[operator]


def test_currency_codes_are_iso_4217() -> None:
    assert parse_currency(" eur ") == "EUR" and parse_currency("") is None
    for bad in ("EU", "EURO", "XYZ", "E1R", 978, "XAU"):
        with pytest.raises(CommercialsError):
            parse_currency(bad)


def test_months_and_renewal() -> None:
    assert parse_months("36", "term_months") == 36 and parse_months(0, "notice_months") == 0
    for bad in (0, 601, True, "3.5", "-1", 1.0):
        with pytest.raises(CommercialsError):
            parse_months(bad, "term_months")
    assert parse_renewal("AUTO") == "auto" and parse_renewal("") is None
    with pytest.raises(CommercialsError):
        parse_renewal("yearly")
