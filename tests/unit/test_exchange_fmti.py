"""FMTI score matrices: the published layouts, the Total check, and matching names to a rubric version."""

from __future__ import annotations

import pytest

from tests import factories
from vendoreval.domain.rubric import Rubric
from vendoreval.exchange import ExchangeError
from vendoreval.exchange.fmti_matrix import match_rubric, norm_name, parse_matrix


def fmti(version: str, names: list[str]) -> Rubric:
    crits = [{**factories.criterion(f"i{i}", n_levels=2), "title": n} for i, n in enumerate(names)]
    for c in crits:
        c["scale"]["kind"] = "binary"
    return factories.rubric("fmti", crits, version=version)


def test_plain_layout() -> None:
    m = parse_matrix(b"Indicator,Dev A,Dev B\nData size,1,0\nCompute,1,1\n", "m.csv")
    assert m.developers == ["Dev A", "Dev B"] and [m.count(0), m.count(1)] == [2, 1] and m.totals is None


def test_domain_columns_bom_total_and_trailing_separator() -> None:
    raw = ("\ufeffDomain,Subdomain,Indicator,Dev A,Dev B,\r\nUp,Data,Data size,1,0,\r\n"
           "Up,Compute,Compute,1,1,\r\nTotal,,,2,1,\r\n").encode()
    m = parse_matrix(raw, "m.csv")
    assert m.developers == ["Dev A", "Dev B"] and m.totals == [2, 1]


@pytest.mark.parametrize(("raw", "expected"), [
    (b"Name,Dev A\nx,1\n", "not an FMTI score matrix"),
    (b"Indicator\nx\n", "no developer columns"),
    (b"Indicator,A,a\nx,1,1\n", "developer 'a' appears twice (duplicate vendor)"),
    (b"Indicator,A\nx,2\n", "line 2, column A: '2' for 'x' is not 0 or 1"),
    (b"Indicator,A\nx,1\n X ,0\n", "line 3, column Indicator: indicator 'X' already on line 2"),
    (b"Indicator,A\nx,1\nTotal,3\n", "line 3, column A: Total for 'A' is 3 but its indicators add up to 1"),
    (b"Indicator,A\nTotal,0\nx,1\n", "the Total row must be the last row"),
    (b"Indicator,A\nx,1,1\n", "ragged row"),
    (b"Indicator,A\n", "not followed by any indicator rows"),
])
def test_bad_matrices(raw: bytes, expected: str) -> None:
    with pytest.raises(ExchangeError) as err:
        parse_matrix(raw, "m.csv")
    assert str(err.value).startswith("m.csv") and expected in str(err.value)


def test_names_match_ignoring_case_and_spaces() -> None:
    assert norm_name("  Data   SIZE ") == norm_name("data size")


def test_the_version_whose_names_match_is_picked() -> None:
    old, new = fmti("1.1", ["Data size", "Compute"]), fmti("2025.12", ["Data size", "Data acquisition methods"])
    m = parse_matrix(b"Indicator,A\n data SIZE,1\nCompute ,0\n", "m.csv")
    match = match_rubric(m, [old, new], "fmti")
    assert match.rubric.version == "1.1" and match.criterion_ids == ["i0", "i1"] and match.unscored == []
    both = parse_matrix(b"Indicator,A\nData size,1\n", "m.csv")
    picked = match_rubric(both, [old, new], "fmti")
    assert picked.rubric.version == "2025.12" and picked.unscored == ["i1"]  # newest wins a tie


def test_unmatched_names_are_all_listed() -> None:
    m = parse_matrix(b"Indicator,A\nData size,1\nColour,0\nTaste,1\n", "m.csv")
    with pytest.raises(ExchangeError) as err:
        match_rubric(m, [fmti("1.1", ["Data size", "Compute"])], "fmti")
    assert "2 indicator names match no criterion of fmti 1.1" in str(err.value)
    assert "line 3: 'Colour'" in str(err.value) and "line 4: 'Taste'" in str(err.value)
    with pytest.raises(ExchangeError, match="no rubric 'fmti'"):
        match_rubric(m, [], "fmti")
