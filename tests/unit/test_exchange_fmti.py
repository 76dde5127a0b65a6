"""FMTI score matrices: the published layouts, the Total check, and matching names to a rubric version."""

from __future__ import annotations

import pytest

from tests import factories
from vendoreval.domain.rubric import Rubric
from vendoreval.exchange import ExchangeError
from vendoreval.exchange.fmti_matrix import Edition, match_rubric, norm_name, parse_editions, parse_matrix


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


# --- the October 2023 layout: a Total column per indicator, a Total row with an empty last cell --


def test_total_column_is_a_count_never_a_developer() -> None:
    raw = b"Domain,Subdomain,Indicator,A,B,Total\nUp,D,x,1,0,1\nUp,D,y,1,1,2\n,,Total,2,1,\n"
    m = parse_matrix(raw, "m.csv")
    assert m.developers == ["A", "B"] and m.total_column and m.totals == [2, 1]
    assert [values for _, _, values in m.indicators] == [[1, 0], [1, 1]]


@pytest.mark.parametrize(("raw", "expected"), [
    (b"Indicator,A,B,Total\nx,1,0,2\n", "line 2, column Total: Total for 'x' is 2 but 1 developer satisfy it"),
    (b"Indicator,A,Total\nx,1,one\n", "line 2, column Total: Total 'one' for 'x' is not a whole number"),
    (b"Indicator,A,Total\nx,1,1\nTotal,1,5\n", "the grand total is 5 but all indicators add up to 1"),
    (b"Indicator,A\nx,1\nTotal,\xd9\xa1\n", "total '\u0661' is not a whole number"),  # Arabic-Indic digit one
])
def test_bad_total_columns(raw: bytes, expected: str) -> None:
    with pytest.raises(ExchangeError) as err:
        parse_matrix(raw, "m.csv")
    assert expected in str(err.value)


# --- editions: aliases for the names an edition spells differently --------------------------------

V1 = Edition("2024-05", "FMTI May 2024", "fmti", "1.1", {norm_name("License"): "Model License"})
OCT = Edition("2023-10", "FMTI October 2023", "fmti", "1.1", {norm_name("Model Asset License"): "Model License"})


def test_an_edition_alias_maps_a_name_and_names_the_edition() -> None:
    m = parse_matrix(b"Indicator,A\nData size,1\nlicense,0\n", "m.csv")
    match = match_rubric(m, [fmti("1.1", ["Data size", "Model License"])], "fmti", [OCT, V1])
    assert match.criterion_ids == ["i0", "i1"] and match.edition == V1
    plain = parse_matrix(b"Indicator,A\nData size,1\nModel License,0\n", "m.csv")
    assert match_rubric(plain, [fmti("1.1", ["Data size", "Model License"])], "fmti", [OCT, V1]).edition is None


def test_aliases_apply_only_to_their_rubric_version() -> None:
    m = parse_matrix(b"Indicator,A\nLicense,1\n", "m.csv")
    with pytest.raises(ExchangeError, match="line 2: 'License'"):
        match_rubric(m, [fmti("2025.12", ["Model License"])], "fmti", [V1])


def test_two_names_for_one_indicator_are_refused() -> None:
    m = parse_matrix(b"Indicator,A\nLicense,1\nModel License,0\n", "m.csv")
    with pytest.raises(ExchangeError, match="line 3: 'Model License' is the same indicator as line 2"):
        match_rubric(m, [fmti("1.1", ["Model License"])], "fmti", [V1])


def test_shipped_editions_file_parses() -> None:
    from vendoreval.paths import rubrics_dir

    path = rubrics_dir() / "data" / "fmti-editions.toml"
    editions = parse_editions(path.read_bytes(), str(path))
    assert [e.edition for e in editions] == ["2023-10", "2024-05", "2025-12"]
    assert len(editions[0].aliases) == 9 and len(editions[1].aliases) == 8 and editions[2].aliases == {}


def test_a_broken_editions_file_names_itself() -> None:
    with pytest.raises(ExchangeError, match=r"e\.toml: edition 1: missing or invalid field 'version'"):
        parse_editions(b'[[edition]]\nedition = "x"\ntitle = "t"\nrubric = "r"\n', "e.toml")
    with pytest.raises(ExchangeError, match=r"e\.toml: not a readable TOML file"):
        parse_editions(b"[[edition", "e.toml")
