"""The pure risk register: defaults file rules, the assertion branch, decisiveness and the register's order."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import criterion, lvl, rubric
from vendoreval.domain.commercials import Commercials
from vendoreval.domain.models import EvidenceStrength
from vendoreval.domain.risks import (
    KINDS,
    CriterionFacts,
    RankInput,
    RiskError,
    RiskNote,
    RubricInput,
    VendorFacts,
    decisive,
    derive_risks,
    lock_in_cause,
    parse_defaults,
)
from vendoreval.domain.scoring import score_rubric
from vendoreval.paths import rubrics_dir

DEFAULTS = parse_defaults(tomllib.loads((rubrics_dir() / "data" / "risk-defaults.toml").read_text("utf-8")))


def test_the_shipped_defaults_cover_every_kind() -> None:
    assert set(DEFAULTS) == set(KINDS)
    assert (DEFAULTS["knockout"].impact, DEFAULTS["knockout"].likelihood) == (5, 5)


@pytest.mark.parametrize("broken", [
    {"impact": 6}, {"impact": True}, {"likelihood": 2.0}, {"title": ""},
])
def test_defaults_are_checked(broken: dict[str, object]) -> None:
    data = {k: {"title": k, "impact": 3, "likelihood": 3} for k in KINDS}
    data["stale"] = {**data["stale"], **broken}
    with pytest.raises(RiskError):
        parse_defaults(data)
    with pytest.raises(RiskError):
        parse_defaults({**{k: {"title": k, "impact": 3, "likelihood": 3} for k in KINDS}, "extra": {}})


def _inputs(levels: dict[str, int], strength: EvidenceStrength = EvidenceStrength.OWN_TEST) -> list[RankInput]:
    r = rubric("r", [criterion("a", 2.0), criterion("b")])
    out = []
    for vid, a in levels.items():
        scores = {"a": lvl("a", a, strength), "b": lvl("b", 2, strength)}
        out.append(RankInput(vid, {"r": RubricInput(r, scores, score_rubric(r, scores))}, {}, {"r": 1.0}))
    return out


def test_decisive_when_one_level_changes_the_rank() -> None:
    inputs = _inputs({"x": 2, "y": 3})
    assert decisive(inputs, "x", "r", "a")  # x up one ties y: rank 2 -> 1
    assert decisive(inputs, "y", "r", "a")  # y down one ties x: first becomes joint first
    assert not decisive(_inputs({"x": 0, "y": 4}), "x", "r", "a")
    assert not decisive(_inputs({"x": 2}), "x", "r", "a")  # one vendor: no rank to change


def test_the_assertion_branch_and_the_order() -> None:
    r = score_rubric(rubric("r", [criterion("a", 3.0)]), {"a": lvl("a", 1, EvidenceStrength.ASSERTION)})
    facts = VendorFacts("v1", "Acme", (CriterionFacts("r", "a", "A", r.criteria[0], None, True, (), True),),
                        commercials=Commercials("v1", exit_cost=Decimal(0), notice_months=0))
    notes = [RiskNote("do_nothing", "", "", owner="Board", impact=5, likelihood=5)]
    risks = derive_risks([facts], notes, DEFAULTS)
    assert [(x.kind, x.criterion, x.cause) for x in risks] == [
        ("do_nothing", "", risks[0].cause),
        ("low_score_heavy", "r/a", "level 1 of 4 on a criterion of weight 3"),
        ("assertion_decisive", "r/a", "level 1 rests on a sales assertion; one level up or down changes the "
                                      "vendor's rank"),
    ]
    assert risks[0].owner == "Board" and risks[0].score == 25


def test_lock_in_causes() -> None:
    assert lock_in_cause(None) == "no exit terms recorded (exit cost and notice period unknown)"
    assert lock_in_cause(Commercials("v", exit_cost=Decimal(0), notice_months=0)) is None
    assert lock_in_cause(Commercials("v", notice_months=1, renewal="auto")) == "1 month notice; renews automatically"
    assert lock_in_cause(Commercials("v", exit_cost=Decimal("2500.5"), currency="USD")) == "exit cost USD 2,500.5"


def test_notes_are_checked() -> None:
    note = RiskNote("stale", "v")
    assert note.with_values({"impact": "4", "owner": "  Ann "}).impact == 4
    for bad in ({"impact": 0}, {"likelihood": True}, {"owner": 5}, {"colour": "red"}, {"owner": "x" * 201}):
        with pytest.raises(RiskError):
            note.with_values(bad)


_overall_values = st.tuples(
    st.one_of(st.none(), st.sampled_from([0.0, 10.0, 10.0 + 5e-10, 33.3, 50.0, 50.0 - 1e-10, 100.0]),
              st.floats(min_value=0, max_value=100, allow_nan=False)),
    st.booleans())


@settings(max_examples=400, deadline=None)
@given(entries=st.dictionaries(st.sampled_from(["a", "B", "c", "Acme", "acme", "beta", "Z9", "m"]), _overall_values,
                               min_size=1, max_size=8),
       data=st.data())
def test_the_place_of_one_changed_vendor_is_what_ranking_everyone_says(entries, data) -> None:  # type: ignore[no-untyped-def]
    """``Overalls.place`` (a lookup in the stored order) gives the rank and tie of ranking every vendor
    again with ``scoring.rank``: with the vendor's own overall, and with any other one in its place."""
    from vendoreval.domain.risks import Overalls, _rank_of

    base = Overalls(entries)
    vendor = data.draw(st.sampled_from(sorted(entries)))
    assert base.place(vendor) == _rank_of(vendor, entries)
    changed = data.draw(_overall_values)
    assert base.place(vendor, changed) == _rank_of(vendor, {**entries, vendor: changed})
