"""A comparison to CSV and XLSX, with every text cell made inert so a spreadsheet never evaluates it.

Neutralisation (see docs/comparison.md):

- CSV: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe (``'=HYPERLINK(...)``), as OWASP recommends; spreadsheet programs show the text
  and never run it. Numbers are written as plain numbers and are never prefixed.
- XLSX: a text cell is always written as a string cell (never a formula) and formula-looking ones also
  carry Excel's "quote prefix" style, so the text shows exactly as entered, stays text after the cell
  is edited, and never runs. Numbers are numeric cells.

CSV is UTF-8 with a byte-order mark and CRLF line ends, which Excel opens with accents intact.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..domain.analysis import Comparison, MatrixCell
from ..domain.models import Claim, ClaimStatus, Decision
from . import write_output

#: Text starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# control characters XML 1.0 (and so XLSX) cannot hold
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

RANKING_COLUMNS = ("rank", "vendor", "overall", "claimed", "evidence_weighted", "gap", "knocked_out",
                   "knockout_reasons", "rank_stability", "scored_share", "decision", "conditions")


def formula_like(text: str) -> bool:
    """True when a spreadsheet would treat ``text`` as a formula (or hide it after a tab/CR)."""
    return text.startswith(FORMULA_START)


def xml_safe(text: str) -> str:
    """``text`` with the control characters XLSX cannot hold replaced by U+FFFD (openpyxl refuses them)."""
    return _ILLEGAL_XML.sub("\ufffd", text)


def neutralise(text: str) -> str:
    """``text`` with a leading apostrophe when it looks like a formula, else unchanged."""
    return "'" + text if formula_like(text) else text


def _num(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(x, digits)


def _decision_label(value: str) -> str:
    try:
        return Decision(value).label
    except ValueError:
        return value


def ranking_rows(comparison: Comparison) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the ranking table: one row per vendor, best first, with per-rubric scores."""
    header = list(RANKING_COLUMNS)
    for rid in comparison.rubric_ids:
        header += [f"{rid} evidence_weighted", f"{rid} claimed"]
    rows: list[list[Any]] = []
    for r in comparison.ranking:
        row: list[Any] = [
            r.rank, r.name, _num(r.overall), _num(r.claimed), _num(r.evidence_weighted), _num(r.gap),
            "yes" if r.knocked_out else "no", "; ".join(r.knockout_reasons), _num(r.rank_stability, 4),
            _num(r.scored_share, 4), _decision_label(r.decision), "; ".join(r.conditions),
        ]
        for rid in comparison.rubric_ids:
            rs = r.rubric_scores.get(rid)
            row += [_num(rs.evidence_weighted) if rs else None, _num(rs.claimed) if rs else None]
        rows.append(row)
    return header, rows


def cell_words(cell: MatrixCell | None) -> str:
    """A matrix cell in words: answer, evidence strength, claim status, spread."""
    if cell is None:
        return "Not scored"
    parts = [cell.text]
    if cell.strength is not None:
        parts.append(cell.strength.label)
    if cell.contradicted:
        parts.append("contradicted")
    elif cell.declined:
        parts.append("declined to answer")
    elif cell.claim_statuses:
        parts.append(", ".join(dict.fromkeys(ClaimStatus(s).label for s in cell.claim_statuses)))
    if cell.spread is not None and cell.spread > 0:
        parts.append(f"evaluators differ by {cell.spread}")
    if cell.knocked_out:
        parts.append("KNOCK-OUT")
    return "; ".join(parts)


def matrix_rows(comparison: Comparison) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the criteria x vendors matrix."""
    header = ["rubric", "criterion", "title", "weight"] + [r.name for r in comparison.ranking]
    rows = [
        [line.rubric_id, line.criterion_id, line.title, line.weight]
        + [cell_words(r.cells.get((line.rubric_id, line.criterion_id))) if line.rubric_id in r.rubric_scores
           else "Not scored" for r in comparison.ranking]
        for line in comparison.criteria
    ]
    return header, rows


def sensitivity_rows(comparison: Comparison) -> list[list[Any]]:
    """Profile, weights and shares, the flip and the sentences, as label/value rows."""
    rows: list[list[Any]] = [["Weight profile", comparison.profile_name], []]
    rows.append(["Rubric", "Title", "Weight", "Share of total weight (%)"])
    for rid in comparison.rubric_ids:
        share = comparison.shares.get(rid)
        rows.append([rid, comparison.rubric_titles.get(rid, rid), comparison.weights.get(rid),
                     None if share is None else round(share, 2)])
    rows.append([])
    f = comparison.flip
    if f is None:
        rows.append(["Flip", "none"])
    else:
        rows += [["Flip rubric", f.rubric_id], ["From share (%)", round(f.from_share, 2)],
                 ["To share (%)", round(f.to_share, 2)], ["Swaps", f"{f.swaps[0]} / {f.swaps[1]}"]]
    rows += [["Random weightings", comparison.samples], ["Seed", comparison.seed], []]
    rows += [["Sentence", s] for s in comparison.stability_sentences]
    return rows


def _csv_value(v: Any) -> Any:
    if isinstance(v, str):
        return neutralise(v)
    return "" if v is None else v


def comparison_csv(comparison: Comparison) -> str:
    """The ranking table as CSV text (formula-looking text neutralised, numbers left as numbers)."""
    header, rows = ranking_rows(comparison)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([_csv_value(h) for h in header])
    for row in rows:
        w.writerow([_csv_value(v) for v in row])
    return buf.getvalue()


def write_csv(comparison: Comparison, path: Path | str) -> Path:
    """Write the ranking CSV (UTF-8 with BOM, CRLF) to ``path``; returns the path."""
    p = Path(path)
    write_output(p, ("\ufeff" + comparison_csv(comparison)).encode("utf-8"))
    return p


def _xlsx_put(ws: Any, row: int, col: int, value: Any) -> None:
    """Set one cell: text as an inert string cell, numbers as numbers."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = "yes" if value else "no"
        cell.data_type = "s"
        return
    if isinstance(value, int | float):
        cell.value = value
        return
    text = _ILLEGAL_XML.sub("\ufffd", str(value))
    cell.value = text
    cell.data_type = "s"  # never "f": openpyxl would otherwise store text starting with "=" as a formula
    if formula_like(text):
        cell.quotePrefix = True


def _xlsx_sheet(wb: Any, title: str, header: Sequence[Any] | None, rows: Iterable[Sequence[Any]],
                widths: Mapping[int, float] | None = None) -> Any:
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    r = 1
    if header is not None:
        for c, v in enumerate(header, start=1):
            _xlsx_put(ws, 1, c, v)
            ws.cell(row=1, column=c).font = Font(bold=True)
        ws.freeze_panes = "C2"
        r = 2
    for row in rows:
        for c, v in enumerate(row, start=1):
            _xlsx_put(ws, r, c, v)
        r += 1
    for c, w in (widths or {}).items():
        from openpyxl.utils import get_column_letter

        ws.column_dimensions[get_column_letter(c)].width = w
    return ws


def comparison_xlsx(comparison: Comparison, claims: Mapping[str, Sequence[Claim]] | None = None) -> bytes:
    """The comparison as an XLSX workbook: Ranking, Matrix, Sensitivity and (given claims) Claims."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    header, rows = ranking_rows(comparison)
    _xlsx_sheet(wb, "Ranking", header, rows, {2: 28, 8: 40, 12: 40})
    mh, mrows = matrix_rows(comparison)
    _xlsx_sheet(wb, "Matrix", mh, mrows, {3: 36, **{i: 30 for i in range(5, 5 + len(comparison.ranking))}})
    _xlsx_sheet(wb, "Sensitivity", None, sensitivity_rows(comparison), {1: 26, 2: 90})
    if claims is not None:
        crow = []
        for r in comparison.ranking:
            for c in claims.get(r.vendor_id, []):
                crow.append([r.name, c.text, ClaimStatus(c.status).label, c.source, c.page,
                             ", ".join(str(ref) for ref in c.criteria)])
        _xlsx_sheet(wb, "Claims", ["vendor", "claim", "status", "source", "page", "criteria"], crow,
                    {1: 24, 2: 80, 3: 24, 4: 30})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(comparison: Comparison, path: Path | str,
               claims: Mapping[str, Sequence[Claim]] | None = None) -> Path:
    """Write the XLSX workbook to ``path`` atomically; returns the path."""
    p = Path(path)
    write_output(p, comparison_xlsx(comparison, claims))
    return p
