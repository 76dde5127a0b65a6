"""Comparison CSV/XLSX export: read back exactly, numbers stay numbers, formula-looking text stays inert."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.factories import criterion, lvl, rubric
from vendoreval.domain.analysis import CriterionLine, VendorInput, compare_vendors
from vendoreval.domain.models import Claim, ClaimStatus
from vendoreval.domain.scoring import score_rubric
from vendoreval.exchange.comparison_export import (
    comparison_csv,
    formula_like,
    neutralise,
    write_csv,
    write_xlsx,
)

NASTY = ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1:A9)", "\tTabbed", "\rReturn"]
R = rubric("gdpr", [criterion("a"), criterion("b")])


def comparison(names=("Acme", "Beta")):  # type: ignore[no-untyped-def]
    vendors = [
        VendorInput(f"id{i}", name, {"gdpr": score_rubric(R, {"a": lvl("a", 4 - i % 5), "b": lvl("b", 2)})},
                    conditions=("=1+1", "uncapped IP indemnity"))
        for i, name in enumerate(names)
    ]
    lines = [CriterionLine("gdpr", "a", "A", 1.0), CriterionLine("gdpr", "b", "B", 1.0)]
    return compare_vendors(vendors, ["gdpr"], {"gdpr": 1}, criteria=lines, samples=50)


@pytest.mark.parametrize("text", NASTY)
def test_neutralise_prefixes_formula_starts(text: str) -> None:
    assert formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Acme", "3 + 4", "a=b", "", "'quoted", "Ünïcode 北京"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert neutralise(text) == text


def test_csv_reads_back_with_numbers_and_inert_text(tmp_path: Path) -> None:
    c = comparison(["Plain", *NASTY])
    path = write_csv(c, tmp_path / "cmp.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["rank", "vendor", "overall", "claimed"]
    assert header[-2:] == ["gdpr evidence_weighted", "gdpr claimed"]
    names = [r[1] for r in body]
    assert sorted(names) == sorted(["Plain"] + ["'" + n for n in NASTY])
    for r in body:
        assert not formula_like(r[1])
        assert r[header.index("conditions")] == "'=1+1; uncapped IP indemnity"
        float(r[header.index("overall")])  # numbers are plain numbers
        assert not r[header.index("overall")].startswith("'")
    plain = next(r for r in body if r[1] == "Plain")  # scored 4 and 2 -> 75, tied first
    assert float(plain[2]) == 75.0 and plain[0] == "1"


def test_csv_text_matches_file(tmp_path: Path) -> None:
    c = comparison()
    assert (write_csv(c, tmp_path / "a.csv").read_bytes().decode("utf-8-sig")) == comparison_csv(c)


def test_xlsx_reads_back_with_numeric_cells_and_string_cells(tmp_path: Path) -> None:
    c = comparison(["Plain", *NASTY])
    claims = {"id1": [Claim(vendor_id="id1", text="=cmd|' /C calc'!A0", status=ClaimStatus.DOCUMENTED,
                            source="-deck.pdf")]}
    path = write_xlsx(c, tmp_path / "cmp.xlsx", claims)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Ranking", "Matrix", "Sensitivity", "Claims"]
    ranking = wb["Ranking"]
    header = [cell.value for cell in ranking[1]]
    assert header[:3] == ["rank", "vendor", "overall"]
    body = list(ranking.iter_rows(min_row=2))
    names = [row[1].value for row in body]
    # shown exactly as entered (openpyxl over lxml, which python-docx brings, keeps a carriage return) ...
    assert sorted(names) == sorted(["Plain", *NASTY])
    for row in body:
        assert row[1].data_type == "s"  # ... but as text cells, never formulas
        assert row[1].quotePrefix == (row[1].value != "Plain")
        assert row[0].data_type == "n" and row[2].data_type == "n" and isinstance(row[2].value, int | float)
    plain = next(row for row in body if row[1].value == "Plain")
    assert plain[2].value == 75.0
    cond = plain[header.index("conditions")]
    assert cond.value == "=1+1; uncapped IP indemnity" and cond.data_type == "s" and cond.quotePrefix
    claim_row = [cell for cell in wb["Claims"][2]]
    assert claim_row[1].value == "=cmd|' /C calc'!A0" and claim_row[1].data_type == "s"
    assert claim_row[3].value == "-deck.pdf" and claim_row[3].data_type == "s"
    # nothing anywhere in the workbook is a formula
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    matrix = wb["Matrix"]
    assert [cell.value for cell in matrix[1]][:4] == ["rubric", "criterion", "title", "weight"]
    assert matrix["B2"].value == "a" and matrix["D2"].data_type == "n"
    assert str(matrix["E2"].value).startswith("4/4; Verified by us")


def test_control_characters_do_not_break_the_workbook(tmp_path: Path) -> None:
    c = comparison(["Bell\x07Vendor", "Ok"])
    wb = openpyxl.load_workbook(write_xlsx(c, tmp_path / "x.xlsx"))
    assert "Bell\ufffdVendor" in [row[1].value for row in wb["Ranking"].iter_rows(min_row=2)]


def test_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    from vendoreval.exchange import ExchangeError

    with pytest.raises(ExchangeError, match="cannot write"):
        write_csv(comparison(), tmp_path / "missing-dir" / "x.csv")
