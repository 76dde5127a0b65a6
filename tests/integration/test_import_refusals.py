"""Files that are not what the import asks for are refused in words, on stderr, with exit 2: a Word file or a
plain ZIP named .xlsx, a --format that does not match the file, a preview's problems, a deeply nested e-mail."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_import_xlsx import setup, xlsx
from vendoreval.errors import DocumentError
from vendoreval.services import Workspace


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


@pytest.mark.parametrize(("members", "kind"), [
    ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}, "a Word document"),
    ({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"}, "a PowerPoint presentation"),
    ({"notes.txt": "hello"}, "a ZIP archive"),
])
def test_a_zip_that_is_no_workbook_is_named_for_what_it_is(cli: Any, ws: Workspace, tmp_path: Path,
                                                             members: dict[str, str], kind: str) -> None:
    setup(ws)
    path = _zip(tmp_path / "claims.xlsx", members)
    before = ws.store.table_counts()
    for args in (("import", str(path)), ("import", "--preview", str(path))):
        r = cli(*args)
        assert r.code == 2, r
        assert f"{path}: not an Excel workbook: it is {kind}" in r.err
        assert "KeyError" not in r.err and "Traceback" not in r.err
    assert ws.store.table_counts() == before


def test_a_format_that_does_not_match_the_file_is_refused(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    setup(ws)
    csv = tmp_path / "claims.csv"
    csv.write_text("vendor,text\nAcme AI,Fresh claim\n", encoding="utf-8")
    book = xlsx(tmp_path / "claims.xlsx", [["Vendor", "Text"], ["Acme AI", "Fresh claim"]])
    before = ws.store.table_counts()
    r = cli("import", "--format", "claims-xlsx", str(csv))
    assert r.code == 2 and f"{csv}: --format claims-xlsx reads XLSX files, but this is CSV" in r.err, r
    r = cli("import", "--preview", "--format", "claims-xlsx", str(csv))
    assert r.code == 2 and "--format claims-xlsx reads XLSX files" in r.err, r
    r = cli("import", "--format", "claims-csv", str(book))
    assert r.code == 2 and f"{book}: --format claims-csv reads CSV files, but this is XLSX" in r.err, r
    r = cli("import", "--format", "workspace", str(csv))
    assert r.code == 2 and "--format workspace reads JSON files, but this is CSV" in r.err, r
    assert ws.store.table_counts() == before
    assert cli("import", "--format", "claims-xlsx", str(book)).code == 0  # the right format still imports
    assert ws.store.table_counts()["claims"] == before["claims"] + 1


def test_the_preview_prints_its_problems_on_stderr(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    setup(ws)
    path = tmp_path / "claims.csv"
    path.write_text("vendor,text,said_on\nAcme AI,Good claim,\nNobody,Ghost claim,\nAcme AI,Bad date,31/12/2025\n",
                    encoding="utf-8")
    r = cli("import", "--preview", str(path))
    assert r.code == 2
    assert "3 rows read; 2 problems on 2 lines" in r.out
    assert f"{path}, line 3, column vendor: unknown vendor 'Nobody'" in r.err
    assert f"{path}, line 4, column said_on: '31/12/2025' is not a date" in r.err
    assert "line 3" not in r.out


def test_a_deeply_nested_email_is_refused_in_words(tmp_path: Path) -> None:
    from vendoreval.exchange.documents import read_document

    n = 1200  # multipart inside multipart: Python's e-mail parser recurses once per level
    body = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(n))
    body += "Content-Type: text/plain\n\nhello\n" + "".join(f"--b{i}--\n" for i in reversed(range(n)))
    path = tmp_path / "deep.eml"
    path.write_text("From: a@example.com\nSubject: deep\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n"
                    "MIME-Version: 1.0\n" + body, encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: not a readable e-mail (it is nested too deeply to read)"


def test_an_overlong_cell_is_refused_naming_line_and_cell(cli: Any, ws: Workspace, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from vendoreval.exchange import tabular

    setup(ws)
    before = ws.store.table_counts()
    csv = tmp_path / "claims.csv"
    csv.write_text("vendor,text\nAcme AI,short\nAcme AI," + "y" * 140_000 + "\n", encoding="utf-8")
    r = cli("import", str(csv))
    assert r.code == 2 and f"{csv}, line 3: a cell holds more than 131,072 characters" in r.err, r
    assert "field limit" not in r.err
    monkeypatch.setattr(tabular, "MAX_CELL_CHARS", 100)  # openpyxl itself writes at most 32,767 per cell
    book = xlsx(tmp_path / "claims.xlsx", [["Vendor", "Text"], ["Acme AI", "short"], ["Acme AI", "z" * 150]])
    r = cli("import", str(book))
    assert r.code == 2 and f"{book}, line 3: cell Sheet!B3 holds 150 characters; a cell holds at most 100" in r.err, r
    assert ws.store.table_counts() == before
