"""Score against total cost (domain.cost_chart): currencies apart, knock-outs, missing costs, each vendor once,
and labels placed without overlapping."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain.commercials import TotalCost
from vendoreval.domain.cost_chart import (
    ChartVendor,
    cost_score_chart,
    nice_ticks,
    place_labels,
    tick_text,
)


def _v(name: str, rank: int, score: float | None, cost: str | None, currency: str | None = "EUR",
       knocked_out: bool = False) -> ChartVendor:
    total = None if cost is None else TotalCost(Fraction(Decimal(cost)), currency)
    return ChartVendor(name.lower(), name, rank, score, knocked_out, total)


def test_currencies_are_charted_apart_and_a_lone_currency_is_named() -> None:
    chart = cost_score_chart([
        _v("Acme", 1, 70.0, "120000"), _v("Beta", 2, 60.0, "40000", "USD"), _v("Gamma", 3, 50.0, "90000"),
        _v("Delta", 4, 40.0, "30000", "GBP"), _v("Eps", 5, 30.0, "50000", "GBP"),
    ])
    assert [c.currency for c in chart.charts] == ["EUR", "GBP"]
    # cheapest first within a currency; nothing converted or mixed
    assert [p.name for p in chart.charts[0].points] == ["Gamma", "Acme"]
    assert [p.name for p in chart.charts[1].points] == ["Delta", "Eps"]
    assert [p.name for p in chart.other_currency] == ["Beta"]
    assert chart.notes() == (
        "Costs in EUR and GBP are charted apart: currencies are never converted.",
        "In another currency, not converted: Beta (USD 40,000.00, score 60.0)",
    )
    assert chart.charts[0].title == "Total cost over the term (EUR)"


def test_a_tie_between_currencies_goes_to_the_better_ranked_vendor() -> None:
    chart = cost_score_chart([_v("Acme", 2, 70.0, "1", "EUR"), _v("Beta", 1, 80.0, "2", "USD")])
    assert [c.currency for c in chart.charts] == ["USD"]
    assert [p.name for p in chart.other_currency] == ["Acme"]


def test_knocked_out_missing_cost_and_not_scored() -> None:
    chart = cost_score_chart([
        _v("Acme", 1, 70.0, "100.50"), _v("Beta", 2, 60.0, None), _v("Gamma", 3, 20.0, "900", knocked_out=True),
        _v("Delta", 4, None, "50"), _v("Eps", 5, 10.0, None),
    ])
    assert [(p.name, p.knocked_out) for p in chart.points] == [("Acme", False), ("Gamma", True)]
    assert chart.any_knocked_out
    assert chart.no_cost == ("Beta", "Eps") and chart.no_score == ("Delta",)
    assert chart.notes() == ("No cost recorded: Beta, Eps", "Not scored: Delta")
    gamma = chart.points[1]
    assert gamma.cost == Decimal("900.00") and gamma.cost_text == "EUR 900.00"
    assert gamma.tooltip() == ("Gamma (rank 3)\nEvidence-weighted score: 20.0 / 100\n"
                               "Total cost over the term: EUR 900.00\nKnocked out: ranks last whatever its score")


def test_no_currency_is_a_group_of_its_own() -> None:
    chart = cost_score_chart([_v("Acme", 1, 70.0, "10", None), _v("Beta", 2, 60.0, "20", None)])
    assert chart.charts[0].label == "no currency" and len(chart.charts[0].points) == 2


def test_the_plotted_cost_is_the_printed_one() -> None:
    # 1000 a year over 7 months = 583.333…: the point sits where the printed 583.33 says
    total = TotalCost(Fraction(1000) * 7 / 12, "EUR")
    chart = cost_score_chart([ChartVendor("a", "Acme", 1, 50.0, False, total)])
    assert chart.points[0].cost == Decimal("583.33") and chart.points[0].cost_text == "EUR 583.33"


def test_ticks_start_at_zero_and_cover_the_dearest() -> None:
    assert nice_ticks(Decimal(147000)) == (0, 50000, 100000, 150000)
    assert nice_ticks(Decimal(199000))[-1] == 200000
    assert nice_ticks(Decimal(0)) == (0, 1)
    assert [tick_text(t) for t in nice_ticks(Decimal(2_400_000))] == ["0", "1M", "2M", "3M"]
    assert [tick_text(t) for t in nice_ticks(Decimal(1_400))] == ["0", "500", "1k", "1.5k"]


vendors = st.lists(
    st.tuples(st.sampled_from(["EUR", "USD", "GBP", None]), st.one_of(st.none(), st.integers(0, 10**9)),
              st.one_of(st.none(), st.floats(0, 100)), st.booleans()),
    max_size=25)


@given(vendors)
def test_every_vendor_with_a_cost_and_a_score_appears_exactly_once(rows: list) -> None:  # type: ignore[type-arg]
    inputs = [ChartVendor(f"v{i}", f"Vendor {i}", i + 1, score, ko,
                          None if cost is None else TotalCost(Fraction(cost), cur))
              for i, (cur, cost, score, ko) in enumerate(rows)]
    chart = cost_score_chart(inputs)
    drawn = [p.vendor_id for p in chart.points] + [p.vendor_id for p in chart.other_currency]
    wanted = [v.vendor_id for v in inputs if v.total is not None and v.score is not None]
    assert sorted(drawn) == sorted(wanted) and len(set(drawn)) == len(drawn)
    names = set(chart.no_cost) | set(chart.no_score)
    assert len(names) + len(drawn) == len(inputs)
    for c in chart.charts:  # one currency per chart, never mixed, and every chart but the first has two or more
        assert {inputs[int(p.vendor_id[1:])].total.currency for p in c.points} == {c.currency}  # type: ignore[union-attr]
        assert c.cost_ticks()[-1] >= max(p.cost for p in c.points)
    assert all(len(c.points) > 1 for c in chart.charts[1:])
    assert len({c.currency for c in chart.charts}) == len(chart.charts)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1])


def test_labels_of_points_close_together_do_not_overlap() -> None:
    anchors = [(100.0, 100.0), (102.0, 101.0), (104.0, 99.0), (300.0, 50.0)]
    sizes = [(80.0, 12.0)] * 4
    boxes = place_labels(anchors, sizes, (0.0, 0.0, 400.0, 200.0))
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[0] + a[2] <= 400 and a[1] >= 0 and a[1] + a[3] <= 200
        for b in boxes[i + 1:]:
            assert not _overlap(a, b)
    assert boxes[3] == (305.0, 44.0, 80.0, 12.0)  # a point on its own keeps its label on its right


@given(st.lists(st.tuples(st.floats(0, 400), st.floats(0, 300)), min_size=1, max_size=8))
def test_labels_stay_inside_the_plot(anchors: list[tuple[float, float]]) -> None:
    boxes = place_labels(anchors, [(60.0, 12.0)] * len(anchors), (0.0, 0.0, 400.0, 300.0))
    assert len(boxes) == len(anchors)
    assert all(b[0] >= 0 and b[0] + b[2] <= 400 + 1e-9 and b[1] >= 0 and b[1] + b[3] <= 300 + 1e-9 for b in boxes)
