"""The vendor questionnaire XLSX: written with the open questions, read back strictly (no formulas, no extras)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from .. import files
from ..errors import MAX_NESTING, exc_words
from . import ZIP_ERRORS, ExchangeError, file_problems

QUESTIONS = "Questions"
INSTRUCTIONS = "Instructions"
SHEETS = (INSTRUCTIONS, QUESTIONS)
HEADERS = ["Ref", "Area", "Question", "Guidance", "What we have on record", "Your answer",
           "Source (document or URL)", "Page or section"]
COL_REF, COL_ANSWER, COL_SOURCE, COL_PAGE = 0, 5, 6, 7
#: Label cells in column A of the Instructions sheet; their values sit in column B.
META = ("Vendor", "Vendor ID", "Sent on", "Sent by", "Answered on", "Answered by")
_REF_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*:[a-z0-9][a-z0-9_.\-]*$")


@dataclass(frozen=True)
class XlsxLimits:
    """What a returned questionnaire may weigh."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_members: int = 200
    max_rows: int = 5000
    max_answer_chars: int = 20_000


@dataclass(frozen=True)
class QuestionRow:
    """One open question: the criterion reference, its area, the question and guidance, what is on record."""

    ref: str  # "rubric:criterion"
    area: str
    question: str
    guidance: str
    on_record: str


@dataclass(frozen=True)
class Questionnaire:
    """What is sent to a vendor."""

    vendor_id: str
    vendor_name: str
    sent_on: dt.date
    sent_by: str
    rows: list[QuestionRow]


@dataclass(frozen=True)
class Answer:
    """One answered row of a returned questionnaire."""

    row: int
    ref: str
    text: str
    source: str
    page: str


@dataclass
class ReturnedQuestionnaire:
    """What came back: who it was for, when it was answered, and the answers."""

    path: Path
    vendor_id: str
    vendor_name: str
    sent_by: str
    answered_on: dt.date
    answered_by: str
    answers: list[Answer] = field(default_factory=list)


def _text(ws: Any, row: int, col: int, value: str, wrap: bool = True) -> None:
    """Write a cell as text, never as a formula, whatever characters the text starts with."""
    from openpyxl.styles import Alignment

    from .comparison_export import xml_safe

    cell = ws.cell(row=row, column=col)
    cell.value = xml_safe(value)  # a control character (e.g. from an imported file) made openpyxl raise
    cell.data_type = "s"  # '=...' would otherwise become a formula the vendor's Excel evaluates
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_questionnaire(path: Path, q: Questionnaire) -> None:
    """Write the questionnaire XLSX atomically: an Instructions sheet and a Questions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    info = wb.active
    info.title = INSTRUCTIONS
    _text(info, 1, 1, f"Questionnaire for {q.vendor_name}", wrap=False)
    info.cell(row=1, column=1).font = Font(bold=True, size=14)
    values = [q.vendor_name, q.vendor_id, q.sent_on.isoformat(), q.sent_by, "", ""]
    for i, (label, value) in enumerate(zip(META, values, strict=True), start=3):
        _text(info, i, 1, label, wrap=False)
        info.cell(row=i, column=1).font = Font(bold=True)
        _text(info, i, 2, value, wrap=False)
    notes = [
        "Please answer in the 'Your answer' column of the Questions sheet, one answer per row, and name the",
        "document or URL that backs each answer. Fill in 'Answered on' (YYYY-MM-DD) and 'Answered by' above.",
        "Type plain text only: formulas, extra sheets and changed column headers make the file unreadable",
        "for us. Leave the Ref column as it is.",
    ]
    for i, line in enumerate(notes, start=len(META) + 4):
        _text(info, i, 1, line, wrap=False)
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 48
    sheet = wb.create_sheet(QUESTIONS)
    for col, h in enumerate(HEADERS, start=1):
        _text(sheet, 1, col, h, wrap=False)
        sheet.cell(row=1, column=col).font = Font(bold=True)
        sheet.cell(row=1, column=col).fill = PatternFill("solid", fgColor="DDE6F0")
    for r, row in enumerate(q.rows, start=2):
        for col, value in enumerate([row.ref, row.area, row.question, row.guidance, row.on_record, "", "", ""],
                                    start=1):
            _text(sheet, r, col, value)
    for letter, width in zip("ABCDEFGH", (22, 18, 50, 40, 40, 50, 28, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    with file_problems(), files.atomic_output(path) as out:
        wb.save(out)


def _check_zip(path: Path, limits: XlsxLimits) -> None:
    """Size, member count and unpacked size checks before openpyxl parses anything (zip bombs)."""
    with file_problems():
        files.check_input_file(path, max_bytes=limits.max_file_bytes, what="a questionnaire")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except ZIP_ERRORS as exc:
        raise ExchangeError(f"{path}: not an XLSX file, or it is truncated or damaged ({exc})") from None
    if len(infos) > limits.max_members:
        raise ExchangeError(f"{path}: {len(infos)} parts; an XLSX questionnaire has far fewer")
    check_workbook_parts([i.filename for i in infos], str(path))
    total = sum(i.file_size for i in infos)
    if total > limits.max_unpacked_bytes:
        raise ExchangeError(f"{path}: unpacks to {total} bytes, over the {limits.max_unpacked_bytes}-byte limit")
    try:
        with zipfile.ZipFile(path) as zf:
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _check_xml(zf, info, path)
    except ZIP_ERRORS as exc:
        raise ExchangeError(f"{path}: not an XLSX file, or it is truncated or damaged ({exc})") from None


#: The parts every Excel workbook has (ECMA-376 Part 2, the package's content types, and SpreadsheetML's workbook).
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def check_workbook_parts(names: list[str], source: str) -> None:
    """ExchangeError when a ZIP is not an Excel workbook (a Word or PowerPoint file, a plain archive), in
    words, before openpyxl would fail on it with a bare ``KeyError``."""
    present = set(names)
    missing = [p for p in WORKBOOK_PARTS if p not in present]
    if not missing:
        return
    kind = ("a Word document" if "word/document.xml" in present
            else "a PowerPoint presentation" if "ppt/presentation.xml" in present
            else "a ZIP archive" if "[Content_Types].xml" not in present else "an Office file")
    raise ExchangeError(f"{source}: not an Excel workbook: it is {kind} without {missing[-1]}; save or export "
                        "it from Excel or LibreOffice Calc as .xlsx", file=source)


class _XmlRefused(Exception):
    """Raised from inside the expat scan of one part; the reason is in its message."""


def _check_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path,
               what: str = "not a questionnaire vendoreval wrote") -> None:
    """Stream one XML part through expat before openpyxl builds anything from it: no DTD (so no entity
    bombs or external entities; OOXML never has one) and no element nested more than MAX_NESTING deep
    (real parts nest about a dozen). ExchangeError naming the file and the part otherwise."""
    parser = expat.ParserCreate()
    depth = 0

    def start(name: str, attrs: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_NESTING:
            raise _XmlRefused(f"XML nested too deeply (elements more than {MAX_NESTING} levels deep)")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*args: object) -> None:
        raise _XmlRefused("a DOCTYPE (entity declarations), which an XLSX file never has")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _XmlRefused as exc:
        raise ExchangeError(f"{path}: part '{info.filename}': {exc}; {what}",
                            file=str(path)) from None
    except expat.ExpatError as exc:
        raise ExchangeError(f"{path}: part '{info.filename}' is not well-formed XML "
                            f"({expat.ErrorString(exc.code)}, line {exc.lineno})", file=str(path)) from None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_questionnaire(path: Path, limits: XlsxLimits | None = None) -> ReturnedQuestionnaire:
    """Read a returned questionnaire; ExchangeError (naming sheet, cell and reason) for anything off."""
    limits = limits or XlsxLimits()
    path = Path(path)
    _check_zip(path, limits)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=False)
    except RecursionError:  # the scan in _check_zip bounds nesting; should openpyxl recurse anyway
        raise ExchangeError(f"{path}: not a readable XLSX questionnaire (its XML is nested too deeply)",
                            file=str(path)) from None
    except Exception as exc:  # openpyxl raises many types (KeyError, ValueError, BadZipFile...) on bad files
        raise ExchangeError(f"{path}: not a readable XLSX questionnaire ({exc_words(exc)})", file=str(path)) from None
    try:
        extra = [n for n in wb.sheetnames if n not in SHEETS]
        if extra:
            raise ExchangeError(f"{path}: unexpected sheet(s) {', '.join(repr(n) for n in extra)}; "
                                f"a questionnaire has only {' and '.join(SHEETS)}")
        missing = [n for n in SHEETS if n not in wb.sheetnames]
        if missing:
            raise ExchangeError(f"{path}: sheet {missing[0]!r} is missing")
        for ws in wb.worksheets:
            if ws.max_row > limits.max_rows + 1:
                raise ExchangeError(f"{path}: sheet {ws.title!r} has {ws.max_row} rows; at most {limits.max_rows}")
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        raise ExchangeError(f"{path}: {ws.title}!{cell.coordinate} contains a formula; "
                                            "questionnaires must hold plain values only")
        info = wb[INSTRUCTIONS]
        meta: dict[str, Any] = {}
        for r in range(1, min(info.max_row, 40) + 1):
            label = _cell_text(info.cell(row=r, column=1).value)
            if label in META:
                meta[label] = info.cell(row=r, column=2).value
        vendor_id = _cell_text(meta.get("Vendor ID"))
        if not vendor_id:
            raise ExchangeError(f"{path}: {INSTRUCTIONS}: the 'Vendor ID' cell is empty; was this file sent by "
                                "vendoreval?")
        answered_on = _date(meta.get("Answered on"))
        if meta.get("Answered on") not in (None, "") and answered_on is None:
            raise ExchangeError(f"{path}: {INSTRUCTIONS}: 'Answered on' is not a date (YYYY-MM-DD): "
                                f"{meta.get('Answered on')!r}")
        if answered_on is None:
            modified = wb.properties.modified
            answered_on = _date(modified) or dt.date.fromtimestamp(path.stat().st_mtime)
        sheet = wb[QUESTIONS]
        header = [_cell_text(sheet.cell(row=1, column=c).value) for c in range(1, max(sheet.max_column,
                                                                                     len(HEADERS)) + 1)]
        while header and header[-1] == "":
            header.pop()
        if header != HEADERS:
            raise ExchangeError(f"{path}: {QUESTIONS} row 1: expected the headers {HEADERS}, found {header}")
        out = ReturnedQuestionnaire(path, vendor_id, _cell_text(meta.get("Vendor")), _cell_text(meta.get("Sent by")),
                                    answered_on, _cell_text(meta.get("Answered by")))
        for r, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            cells = [_cell_text(v) for v in row] + [""] * len(HEADERS)
            if any(cells[len(HEADERS):]):
                raise ExchangeError(f"{path}: {QUESTIONS} row {r}: values beyond column {len(HEADERS)}")
            ref, text = cells[COL_REF], cells[COL_ANSWER]
            if not any(cells):
                continue
            if not _REF_RE.match(ref):
                raise ExchangeError(f"{path}: {QUESTIONS}!A{r}: {ref!r} is not a question reference "
                                    "(the Ref column must stay as sent)")
            if not text:
                continue
            if len(text) > limits.max_answer_chars:
                raise ExchangeError(f"{path}: {QUESTIONS}!F{r}: the answer is longer than "
                                    f"{limits.max_answer_chars} characters")
            out.answers.append(Answer(r, ref, text, cells[COL_SOURCE], cells[COL_PAGE]))
        return out
    finally:
        wb.close()
