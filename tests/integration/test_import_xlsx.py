"""Claims and scores from CSV or XLSX: the `claims` column of a scores file, `vendoreval import` of a workbook,
and the preview that reads and checks a file per line without writing anything."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.integration.test_import_export import install_rubrics
from vendoreval.exchange.detect import ImportFormat
from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    """A workbook whose first sheet holds ``rows`` (a second sheet is ignored)."""
    wb = Workbook()
    sheet = wb.active
    for row in rows:
        sheet.append(row)
    wb.create_sheet("Notes").append(["anything"])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def setup(ws: Workspace) -> tuple[str, str, str]:
    install_rubrics(ws)
    acme, other = ws.vendors.create("Acme AI"), ws.vendors.create("Other Co")
    c1 = ws.claims.add(acme.id, "DPA signed", criteria=["gdpr-t:dpa"])
    c2 = ws.claims.add(acme.id, "Sub-processors listed")
    c3 = ws.claims.add(other.id, "Not theirs")
    return c1.id, c2.id, c3.id


def test_vendoreval_import_reads_a_claims_workbook(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    setup(ws)
    path = xlsx(tmp_path / "claims.xlsx", [
        ["Vendor", "Text", "Status", "Said on", "Page", "Criteria"],
        ["acme ai", "Trained on 40 billion tokens", "Documented", "2026-03-14", 12, "gdpr-t:dpa; gdpr-t:subproc"],
        [None, None, None],  # a blank row is skipped
        ["Acme AI", "Own model", None, None, None, None],
    ])
    run = cli("import", str(path), "--json")
    assert run.code == 0, run.err
    assert '"format": "claims-xlsx"' in run.out and '"claims": 2' in run.out
    claims = {c.text: c for c in Workspace(ws.data_dir, evaluator="ann").claims.list()}
    new = claims["Trained on 40 billion tokens"]
    assert (new.status, new.page, new.said_on.isoformat(), [str(r) for r in new.criteria]) == (
        "documented", "12", "2026-03-14", ["gdpr-t:dpa", "gdpr-t:subproc"])
    assert claims["Own model"].status == "asserted"


def test_scores_workbook_links_claims_by_id_and_refuses_claims_of_another_vendor(cli: Any, ws: Workspace,
                                                                                  tmp_path: Path) -> None:
    c1, c2, c3 = setup(ws)
    good = xlsx(tmp_path / "scores.xlsx", [
        ["vendor", "rubric", "criterion", "level", "figure", "claims"],
        ["Acme AI", "gdpr-t", "dpa", 3, None, f"{c1}; {c2}"],
        ["Acme AI", "gdpr-t", "tokens", None, "40 billion", ""],
    ])
    run = cli("import", str(good))
    assert run.code == 0, run.err
    assert run.out.startswith(f"Imported {good} (scores-xlsx): added 1 scorecard, 2 scores")
    fresh = Workspace(ws.data_dir, evaluator="ann")
    card = fresh.scorecards.list(fresh.vendors.list()[0].id)[0]
    assert card.scores["dpa"].claim_ids == [c1, c2]
    assert (card.scores["tokens"].figure, card.scores["tokens"].level, card.scores["tokens"].claim_ids) == (
        40e9, 1, [])
    # the exported scores CSV carries the links, and imports back as it was
    out = tmp_path / "scores.csv"
    assert cli("export", str(out), "--format", "scores-csv").code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].endswith(",status,claims") and f"{c1}; {c2}" in text
    again = cli("import", str(out))
    assert again.code == 0 and "kept (local copy not older) 2 scores" in again.out

    bad = xlsx(tmp_path / "bad.xlsx", [
        ["vendor", "rubric", "criterion", "level", "claims"],
        ["Acme AI", "gdpr-t", "subproc", 2, f"{c3};nope"],
    ])
    before = cli("export", str(tmp_path / "before.json")).code
    refused = cli("import", str(bad))
    assert before == 0 and refused.code == 2
    assert refused.err.strip() == (
        f"vendoreval: {bad}: 2 problems; nothing was imported:\n"
        f"  line 2, column claims: claim {c3} belongs to another vendor, not Acme AI\n"
        "  line 2, column claims: no claim nope of Acme AI")
    assert "subproc" not in Workspace(ws.data_dir, evaluator="ann").scorecards.get(card.id).scores


def test_the_preview_lists_rows_and_problems_per_line_and_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    c1, _c2, _c3 = setup(ws)
    path = tmp_path / "claims.csv"
    path.write_text("id,vendor,text,status,said_on\n"
                    f"{c1},Acme AI,DPA signed and countersigned,documented,\n"
                    ",Acme AI,New claim,asserted,2026-01-02\n"
                    ",Nobody,Ghost claim,,\n"
                    ",Acme AI,Bad date,probably,31/12/2025\n", encoding="utf-8")
    before = ws.store.table_counts()
    audit = len(ws.store.audit_ascending())
    preview = ExchangeService(ws).preview_import(path)
    assert preview.format == ImportFormat.CLAIMS_CSV and not preview.ok
    assert [line for line, _ in preview.rows] == [2, 3, 4, 5]
    assert preview.problems == [
        (4, "vendor", "unknown vendor 'Nobody' (add it first: New vendor in the app, "
         "`vendoreval vendors add` on the command line)"),
        (5, "status", "'probably' is not one of: asserted, documented, contractually_committed, "
                      "independently_verified, contradicted, declined_to_answer"),
        (5, "said_on", "'31/12/2025' is not a date (use YYYY-MM-DD)"),
    ]
    assert preview.problems_at(5) == [
        "status: 'probably' is not one of: asserted, documented, contractually_committed, independently_verified, "
        "contradicted, declined_to_answer", "said_on: '31/12/2025' is not a date (use YYYY-MM-DD)"]
    assert preview.summary() == ("4 rows read; 3 problems on 2 lines. Nothing can be imported until the file is "
                                 "fixed.")
    assert ws.store.table_counts() == before and len(ws.store.audit_ascending()) == audit

    path.write_text("id,vendor,text,status\n"
                    f"{c1},Acme AI,DPA signed and countersigned,documented\n"
                    ",Acme AI,New claim,asserted\n", encoding="utf-8")
    preview = ExchangeService(ws).preview_import(path)
    assert preview.ok and preview.summary() == (
        "2 rows read: 2 claims — 1 new, 1 changed, 0 unchanged. Nothing is written until you import.")
    assert ws.store.table_counts() == before and len(ws.store.audit_ascending()) == audit


def test_a_scores_preview_counts_new_scorecards(ws: Workspace, tmp_path: Path) -> None:
    setup(ws)
    path = xlsx(tmp_path / "s.xlsx", [["vendor", "rubric", "criterion", "level"], ["Acme AI", "gdpr-t", "dpa", 2],
                                      ["Acme AI", "caps-t", "demo", 1]])
    preview = ExchangeService(ws).preview_import(path)
    assert preview.format == ImportFormat.SCORES_XLSX and preview.ok
    # who the scores go to is said before anything is written (a file without evaluators scores as 'ann')
    assert preview.summary() == ("2 rows read: 2 scores — 2 new, 0 changed, 0 unchanged; 2 new draft scorecards. "
                                 "2 scores without an evaluator in the file are scored as ann (this workspace's "
                                 "evaluator); an 'evaluator' column names someone else. "
                                 "Nothing is written until you import.")
    assert ws.scorecards.list(ws.vendors.list()[0].id) == []


def test_workbooks_that_cannot_be_trusted_are_refused_with_the_reason(cli: Any, ws: Workspace, tmp_path: Path,
                                                                      monkeypatch: Any) -> None:
    from vendoreval.exchange import tabular

    setup(ws)
    formula = xlsx(tmp_path / "f.xlsx", [["vendor", "text"], ["Acme AI", "=HYPERLINK(\"http://x\")"]])
    run = cli("import", str(formula))
    assert run.code == 2 and run.err.strip() == (
        f"vendoreval: {formula}: Sheet!B2 contains a formula; claims and scores files hold plain values only")
    other = xlsx(tmp_path / "o.xlsx", [["Name", "Budget"], ["x", 1]])
    run = cli("import", str(other))
    assert run.code == 2 and run.err.strip() == (
        f"vendoreval: {other}: an XLSX workbook whose first row ('Name', 'Budget') is no claims or scores header "
        "(claims: vendor, text, ...; scores: vendor, rubric, criterion, level, ...)")
    monkeypatch.setattr(tabular, "XLSX_MAX_UNPACKED", 1000)
    big = xlsx(tmp_path / "b.xlsx", [["vendor", "text"], ["Acme AI", "fine"]])
    run = cli("import", str(big))
    assert run.code == 2 and "over the 1,000-byte limit" in run.err
    truncated = tmp_path / "t.xlsx"
    truncated.write_bytes(formula.read_bytes()[:300])
    run = cli("import", str(truncated))
    assert run.code == 2 and f"{truncated}: not an XLSX file, or it is truncated or damaged" in run.err
    assert [c.text for c in Workspace(ws.data_dir, evaluator="ann").claims.list()].count("fine") == 0


def test_import_preview_on_the_command_line_writes_nothing(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    setup(ws)
    before = ws.store.table_counts()
    path = tmp_path / "c.csv"
    path.write_text("vendor,text,said_on\nAcme AI,Own model,\nNobody,Ghost,\nAcme AI,Late,2026-13-01\n",
                    encoding="utf-8")
    run = cli("import", str(path), "--preview")
    assert (run.code, run.out) == (2, "3 rows read; 2 problems on 2 lines. Nothing can be imported until the file is "
                                      "fixed.\n")
    assert run.err == (f"{path}, line 3, column vendor: unknown vendor 'Nobody' (add it first: New vendor in the app, "
                       "`vendoreval vendors add` on the command line)\n"
                       f"{path}, line 4, column said_on: '2026-13-01' is not a date in the calendar\n")
    path.write_text("vendor,text\nAcme AI,Own model\n", encoding="utf-8")
    ok = cli("import", str(path), "--preview", "--json")
    assert ok.code == 0 and '"problems": []' in ok.out and '"claims": 1' in ok.out
    assert Workspace(ws.data_dir, evaluator="ann").store.table_counts() == before


def test_one_refusal_names_every_problem_of_the_file_in_line_order(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    """A bad level and an unknown vendor are found in two steps (reading the cells, then checking them against
    the workspace); the user is told both at once, by line, not the second only after fixing the first."""
    setup(ws)
    scores = tmp_path / "scores.csv"
    scores.write_text("vendor,rubric,criterion,level\r\n"
                      "Nobody Inc,gdpr-t,dpa,2\r\n"
                      "Acme AI,gdpr-t,dpa,high\r\n"
                      "Acme AI,gdpr-t,subproc,9\r\n", encoding="utf-8")
    claims = tmp_path / "claims.csv"
    claims.write_text("vendor,text,said_on\r\nNobody Inc,Fast,\r\nAcme AI,Fast,31/02/2026\r\n", encoding="utf-8")
    before = ws.store.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    refused = cli("import", str(scores))
    assert refused.code == 2
    lines = refused.err.strip().splitlines()
    assert lines[0] == f"vendoreval: {scores}: 3 problems; nothing was imported:"
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["line 2, column vendor", "line 3, column level",
                                                                  "line 4, column level"]
    assert "unknown vendor 'Nobody Inc'" in lines[1] and "'high'" in lines[2]
    refused = cli("import", str(claims))
    assert refused.code == 2
    lines = refused.err.strip().splitlines()
    assert lines[0] == f"vendoreval: {claims}: 2 problems; nothing was imported:"
    assert lines[1].startswith("  line 2, column vendor") and lines[2].startswith("  line 3, column said_on")
    fresh = Workspace(ws.data_dir, evaluator="ann")
    try:
        assert fresh.store.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before
    finally:
        fresh.close()
