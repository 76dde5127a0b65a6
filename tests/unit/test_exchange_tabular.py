"""Claims and scores CSV: encodings, separators, malformed rows, and write -> read round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendoreval.domain.models import Answer, ClaimStatus, EvidenceStrength, SourceKind
from vendoreval.exchange import ExchangeError
from vendoreval.exchange.tabular import (
    CLAIM_COLUMNS,
    decode_csv,
    parse_claims_csv,
    parse_scores_csv,
    read_table,
    write_csv,
)


def test_utf8_with_and_without_bom_read_the_same() -> None:
    text = "vendor,text\nBleu Étoile,“Quoted” ’claim’\n"
    plain = parse_claims_csv(text.encode(), "c.csv")
    bom = parse_claims_csv(b"\xef\xbb\xbf" + text.encode(), "c.csv")
    assert plain == bom and plain[0].vendor == "Bleu Étoile" and plain[0].text == "“Quoted” ’claim’"


def test_windows_1252_is_refused_with_advice() -> None:
    raw = "vendor,text\nCaf\xe9,It\u2019s ok\n".encode("cp1252")
    with pytest.raises(ExchangeError) as err:
        decode_csv(raw, "x.csv")
    msg = str(err.value)
    assert "x.csv, line 2" in msg and "Windows-1252" in msg and "'é'" in msg and "CSV UTF-8" in msg


def test_semicolon_separated_excel_files_are_read() -> None:
    rows = parse_claims_csv(b"vendor;text;status\nAcme;Yes, we do;Contractually committed\n", "c.csv")
    assert rows[0].text == "Yes, we do" and rows[0].status == ClaimStatus.COMMITTED


def test_labels_and_values_are_both_accepted() -> None:
    rows = parse_scores_csv(b"vendor,rubric,criterion,answer,level,strength\n"
                            b"A,r,a,Not disclosed,,\nA,r,b,,2,Verified by us\nA,r,c,level,1,public_documentation\n",
                            "s.csv")
    assert [r.answer for r in rows] == [Answer.NOT_DISCLOSED, Answer.LEVEL, Answer.LEVEL]
    assert [r.strength for r in rows] == [None, EvidenceStrength.OWN_TEST, EvidenceStrength.DOCUMENTATION]


@pytest.mark.parametrize(("raw", "expected"), [
    (b"vendor,text\nA,x,y\n", "line 2: 3 cells but the header has 2 (ragged row)"),
    (b"vendor,text\nA\n", "line 2: 1 cells"),
    (b'vendor,text\nA,"open\nB,x\n', "line 2: malformed CSV (unbalanced quote"),
    (b"vendor,text,vendor\nA,x,y\n", "column 'vendor' appears twice"),
    (b"vendor,words\nA,x\n", "unknown column 'words'"),
    (b"text\nx\n", "missing column(s) vendor"),
    (b"vendor,text\n", "not followed by any rows"),
    (b"vendor,text,said_on\nA,x,31/12/2025\n", "line 2, column said_on: '31/12/2025' is not a date"),
    (b"vendor,text,status\nA,x,probably\n", "line 2, column status: 'probably' is not one of"),
    (b"vendor,text,criteria\nA,x,gdpr\n", "line 2, column criteria"),
    (b"vendor,text\n,x\n", "line 2, column vendor: empty vendor name"),
])
def test_bad_claim_rows_name_line_and_column(raw: bytes, expected: str) -> None:
    with pytest.raises(ExchangeError) as err:
        parse_claims_csv(raw, "c.csv")
    assert str(err.value).startswith("c.csv") and expected in str(err.value)


@pytest.mark.parametrize(("raw", "expected"), [
    (b"vendor,rubric,criterion,level\nA,r,a,high\n", "'high' is not a whole number"),
    (b"vendor,rubric,criterion,level\nA,r,a,\n", "a level answer needs a level"),
    (b"vendor,rubric,criterion,answer,level\nA,r,a,not_applicable,2\n", "carries no level"),
    (b"vendor,rubric,criterion\nA,r,a\n", "needs a 'level' or 'answer' column"),
    (b"vendor,rubric,criterion,level,figure\nA,r,a,,lots\n", "'lots' is not a number"),
])
def test_bad_score_rows(raw: bytes, expected: str) -> None:
    with pytest.raises(ExchangeError, match=r"^s\.csv") as err:
        parse_scores_csv(raw, "s.csv")
    assert expected in str(err.value)


def test_every_problem_is_listed_at_once() -> None:
    raw = b"vendor,text,status\nA,x,nope\nB,y,nope\n,z,\n"
    with pytest.raises(ExchangeError) as err:
        parse_claims_csv(raw, "c.csv")
    assert "3 problems" in str(err.value) and "line 4" in str(err.value)


def test_written_csv_has_bom_crlf_and_neutralised_formulas() -> None:
    raw = write_csv(["vendor", "text"], [["Acme", "=HYPERLINK(\"http://evil\")"], ["B", "-5% churn"]])
    assert raw.startswith(b"\xef\xbb\xbfvendor,text\r\n")
    assert b"'=HYPERLINK" in raw and b"'-5%" in raw
    rows = parse_claims_csv(raw, "c.csv")
    assert [r.text for r in rows] == ['=HYPERLINK("http://evil")', "-5% churn"]


cell = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(cell.filter(bool), cell.filter(bool), cell, cell), min_size=1, max_size=5))
def test_claims_csv_round_trips_any_text(rows: list[tuple[str, str, str, str]]) -> None:
    full = [["", v, t, SourceKind.DOCUMENT, s, p, "", "", "asserted", "", ""] for v, t, s, p in rows]
    table = read_table(write_csv(CLAIM_COLUMNS, full), "c.csv", CLAIM_COLUMNS, ("vendor",))
    assert [(r["vendor"], r["text"], r["source"], r["page"]) for _, r in table.rows] == rows
