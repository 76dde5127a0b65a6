"""CSV or XLSX of claims and of scores: reading them into checked rows, and writing CSV Excel-friendly.

An XLSX file is read from its first sheet, the header in its first non-blank row, cells as text (whole
numbers without ".0", dates as YYYY-MM-DD); formulas are refused (their cached values could be stale).

Reading accepts UTF-8 with or without a byte-order mark, comma or semicolon separated. A Windows-1252
file (Excel's plain "CSV" on Western Windows) is refused with a message saying so: guessing the code
page would silently garble names and quotes from other code pages. Writing gives UTF-8 with a
byte-order mark and CRLF line ends, which Excel opens with accents intact.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, TypeVar

from .. import files
from ..bulk import collector_paused
from ..domain import strict
from ..domain.figures import parse_figure
from ..domain.models import Answer, ClaimStatus, CriterionRef, EvidenceStrength, SourceKind
from ..errors import exc_words
from . import ExchangeError, file_problems
from .detect import check_text

CLAIM_COLUMNS = ("id", "vendor", "text", "source_kind", "source", "page", "said_on", "said_to", "status",
                 "status_note", "criteria")
CLAIM_REQUIRED = ("vendor", "text")
SCORE_COLUMNS = ("vendor", "rubric", "rubric_version", "evaluator", "criterion", "answer", "level", "figure",
                 "strength", "rationale", "status", "claims")
SCORE_REQUIRED = ("vendor", "rubric", "criterion")
MAX_ERRORS = 20
E = TypeVar("E", bound=StrEnum)
D = TypeVar("D")
# Cells starting with these run as formulas in spreadsheets; exported cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@")


class RowErrors:
    """Problems found while reading a file, each with its line and column; raised together."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []
        self.entries: list[tuple[int, str | None, str]] = []  # (line, column, reason), for a preview

    def add(self, line: int, reason: str, column: str | None = None) -> None:
        """Record one problem."""
        where = f"line {line}" + (f", column {column}" if column else "")
        self.items.append(f"{where}: {reason}")
        self.entries.append((line, column, reason))

    def raise_if_any(self) -> None:
        """Raise one ExchangeError listing every problem (at most MAX_ERRORS), in the order of the lines (a
        file is checked in steps: what a step found is listed among the others by its line)."""
        if not self.items:
            return
        order = sorted(range(len(self.items)), key=lambda i: self.entries[i][0])
        self.items = [self.items[i] for i in order]
        self.entries = [self.entries[i] for i in order]
        if len(self.items) == 1:
            raise ExchangeError(f"{self.source}, {self.items[0]}")
        more = f"\n  ... and {len(self.items) - MAX_ERRORS} more" if len(self.items) > MAX_ERRORS else ""
        raise ExchangeError(f"{self.source}: {len(self.items)} problems; nothing was imported:\n  "
                            + "\n  ".join(self.items[:MAX_ERRORS]) + more)


#: How to fix a CSV that is not UTF-8 (the end of the error message).
_CSV_ADVICE = ("this looks like a Windows-1252 file (Excel's 'CSV (Comma delimited)'); vendoreval reads UTF-8 only. "
               "In Excel choose 'Save As' > 'CSV UTF-8 (Comma delimited)' and import that file")


def decode_csv(raw: bytes, source: str) -> str:
    """UTF-8 text without its byte-order mark; ExchangeError for binary data or another encoding."""
    check_text(raw, source)
    with file_problems():
        return files.decode_text(raw, source, advice=_CSV_ADVICE)



@dataclass
class CsvTable:
    """A CSV file read into rows keyed by normalised column name, each with its first line number."""

    source: str
    header_line: int
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _norm_header(name: str) -> str:
    return "_".join(name.replace("\ufeff", "").strip().casefold().replace("-", " ").split())


def _unescape(cell: str) -> str:
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA_START else cell


#: The most characters one cell of a claims or scores file may hold, CSV or XLSX: Python's csv reader stops at
#: this many (its field_size_limit), and no claim, rationale or note comes near it (Excel's own cap is 32,767).
MAX_CELL_CHARS = 131_072


def _too_long(source: str, line: int, where: str, chars: int | None = None) -> ExchangeError:
    size = f"{chars:,} characters" if chars is not None else f"more than {MAX_CELL_CHARS:,} characters"
    return ExchangeError(f"{source}, line {line}: {where} holds {size}; a cell holds at most {MAX_CELL_CHARS:,} "
                         "(is a whole document pasted into it, or a quote never closed?)", file=source, line=line)


def _malformed(exc: csv.Error, source: str, line: int) -> ExchangeError:
    reason = str(exc)
    if "field larger than field limit" in reason:
        return _too_long(source, line, "a cell")
    if "unexpected end of data" in reason or "EOF" in reason:
        reason = "unbalanced quote: a quoted cell is never closed"
    return ExchangeError(f"{source}, line {line}: malformed CSV ({reason})", file=source, line=line)


def records(text: str, source: str, delimiter: str = ",") -> Iterable[tuple[int, list[str]]]:
    """(first line number, cells) of every non-blank CSV record; ExchangeError on malformed CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous_end = 0
    try:
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if "".join(row).strip():  # blank records are skipped
                yield start, row
    except csv.Error as exc:
        raise _malformed(exc, source, previous_end + 1) from None


def _stripped_records(records: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str], str]]:
    """(line, cells trimmed, the cells joined) of every row of ``records`` (a sheet's rows: none is blank)."""
    strip = str.strip
    for line, row in records:
        cells = list(map(strip, row))
        yield line, cells, "".join(cells)


def _stripped_csv_records(text: str, source: str, delimiter: str) -> Iterator[tuple[int, list[str], str]]:
    """``records`` with each row's cells trimmed and joined once (blank records skipped, the same line
    numbers and errors): ``read_cells`` needs both for every row of a file of thousands."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    strip = str.strip
    previous_end = 0
    try:
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            cells = list(map(strip, row))
            joined = "".join(cells)
            if joined:  # blank records are skipped
                yield start, cells, joined
    except csv.Error as exc:
        raise _malformed(exc, source, previous_end + 1) from None


def sniff_delimiter(text: str) -> str:
    """';' when the first line has more semicolons than commas (Excel in many European locales), else ','."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def is_xlsx(raw: bytes) -> bool:
    """True for the bytes of a zip archive (an XLSX workbook is one)."""
    return raw.startswith(b"PK\x03\x04")


#: What an XLSX claims or scores file may weigh (checked before openpyxl parses it: zip bombs).
XLSX_MAX_MEMBERS = 500
XLSX_MAX_UNPACKED = 500 * 1024 * 1024


def xlsx_records(raw: bytes, source: str) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) of every non-blank row of the workbook's first sheet; ExchangeError for a
    damaged file, a zip bomb, a DOCTYPE or a formula."""
    import zipfile
    from pathlib import Path

    from . import ZIP_ERRORS
    from .questionnaire import _cell_text, _check_xml, check_workbook_parts

    what = "not a spreadsheet vendoreval can read"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
            if len(infos) > XLSX_MAX_MEMBERS:
                raise ExchangeError(f"{source}: {len(infos)} parts; a claims or scores workbook has far fewer")
            total = sum(i.file_size for i in infos)
            if total > XLSX_MAX_UNPACKED:
                raise ExchangeError(f"{source}: unpacks to {total:,} bytes, over the {XLSX_MAX_UNPACKED:,}-byte limit")
            check_workbook_parts([i.filename for i in infos], source)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _check_xml(zf, info, Path(source), what)
    except ZIP_ERRORS as exc:
        raise ExchangeError(f"{source}: not an XLSX file, or it is truncated or damaged ({exc})") from None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except RecursionError:
        raise ExchangeError(f"{source}: not a readable XLSX file (its XML is nested too deeply)") from None
    except Exception as exc:  # openpyxl raises many types (KeyError, ValueError, BadZipFile...) on bad files
        raise ExchangeError(f"{source}: not a readable XLSX file ({exc_words(exc)})") from None
    try:
        if not wb.worksheets:
            raise ExchangeError(f"{source}: the workbook has no sheet")
        sheet = wb.worksheets[0]
        out: list[tuple[int, list[str]]] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    raise ExchangeError(f"{source}: {sheet.title}!{cell.coordinate} contains a formula; "
                                        "claims and scores files hold plain values only")
                text = _cell_text(cell.value)
                if len(text) > MAX_CELL_CHARS:
                    raise _too_long(source, number, f"cell {sheet.title}!{cell.coordinate}", len(text))
                cells.append(text)
            while cells and not cells[-1]:
                cells.pop()  # Excel's empty trailing cells
            if "".join(cells).strip():
                out.append((number, cells))
        return out
    finally:
        wb.close()


def read_table(raw: bytes, source: str, known: Sequence[str], required: Sequence[str],
               row_errors: RowErrors | None = None) -> CsvTable:
    """Read a CSV (or an XLSX workbook's first sheet) whose columns must be among ``known`` and include
    ``required``; ragged rows refused. Lines are the CSV's lines or the sheet's row numbers.

    A bad header always raises. Bad rows raise together, or with ``row_errors`` are recorded there and
    left out (a preview shows them per line).
    """
    cells = read_cells(raw, source, known, required, row_errors)
    columns = cells.columns
    return CsvTable(source, cells.header_line, columns,
                    [(line, dict(zip(columns, row, strict=True))) for line, row in cells.rows])


@dataclass
class CellTable:
    """A CSV file read into rows of cells in the order of ``columns`` (``read_cells``)."""

    source: str
    header_line: int
    columns: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def read_cells(raw: bytes, source: str, known: Sequence[str], required: Sequence[str],
               row_errors: RowErrors | None = None) -> CellTable:
    """``read_table`` with each row's cells as a list in the order of the columns (no dict per row: a
    scores file has thousands of rows). The same checks, messages and line numbers."""
    xlsx = is_xlsx(raw)
    if xlsx:
        it = _stripped_records(xlsx_records(raw, source))
    else:
        text = decode_csv(raw, source)
        it = _stripped_csv_records(text, source, sniff_delimiter(text))
    try:
        header_line, header, _ = next(it)
    except StopIteration:
        raise ExchangeError(f"{source}: the file is empty") from None
    columns = [_norm_header(h) for h in header]
    errors = RowErrors(source)
    seen: set[str] = set()
    for name, original in zip(columns, header, strict=True):
        if not name:
            errors.add(header_line, "a column has no name")
        elif name not in known:
            errors.add(header_line, f"unknown column '{original.strip()}' (known: {', '.join(known)})")
        elif name in seen:
            errors.add(header_line, f"column '{original.strip()}' appears twice")
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing:
        errors.add(header_line, f"missing column(s) {', '.join(missing)}")
    errors.raise_if_any()
    table = CellTable(source, header_line, columns)
    if row_errors is not None:
        errors = row_errors
    width = len(columns)
    out = table.rows
    for line, cells, joined in it:  # cells trimmed
        if len(cells) != width:
            if xlsx and len(cells) < width:
                cells = cells + [""] * (width - len(cells))  # a sheet has no cells after the last filled one
            else:
                if len(cells) < width or any(cells[width:]):
                    errors.add(line, f"{len(cells)} cells but the header has {width} (ragged row)")
                    continue
                cells = cells[:width]  # the cells cut off are empty: ``joined`` is that of the rest
        if "'" in joined:  # a cell escaped against spreadsheet formulas on export
            cells = [_unescape(v) for v in cells]
        out.append((line, cells))
    if row_errors is None:
        errors.raise_if_any()
    if not table.rows and not errors.items:
        raise ExchangeError(f"{source}: the header is not followed by any rows")
    return table


def _enum_key(text: str) -> str:
    return text.strip().casefold().replace(" ", "_").replace("-", "_")


@functools.cache
def _enum_names(enum: type[StrEnum]) -> dict[str, StrEnum]:
    """Every spelling of each member (value, label) → member; the first member that matches wins."""
    names: dict[str, StrEnum] = {}
    for member in enum:
        names.setdefault(member.value.casefold(), member)
        label = getattr(member, "label", None)
        if isinstance(label, str):
            names.setdefault(_enum_key(label), member)
    return names


def _enum(value: str, enum: type[E]) -> E:
    """An enum member from its value or its label, case-insensitive; ValueError listing the choices."""
    member = _enum_names(enum).get(_enum_key(value))
    if member is None:
        raise ValueError(f"'{value}' is not one of: {', '.join(m.value for m in enum)}")
    return member  # type: ignore[return-value]


def _enum_cell(row: dict[str, str], column: str, enum: type[E], default: D, errors: RowErrors,
               line: int) -> tuple[E | D, bool]:
    """The member named in ``row[column]`` (``default`` for an empty cell) and whether the cell was readable.

    An unreadable cell is recorded in ``errors`` (with the choices) and gives ``default``.
    """
    if not row.get(column):
        return default, True
    try:
        return _enum(row[column], enum), True
    except ValueError as exc:
        errors.add(line, str(exc), column)
        return default, False


# --------------------------------------------------------------------------------------------------
# claims


@dataclass(frozen=True)
class ClaimRow:
    """One claim read from a CSV row (vendor by name; not yet checked against the workspace)."""

    line: int
    id: str
    vendor: str
    text: str
    source_kind: SourceKind
    source: str
    page: str
    said_on: dt.date | None
    said_to: str
    status: ClaimStatus
    status_note: str
    criteria: tuple[CriterionRef, ...]


def parse_claims_csv(raw: bytes, source: str, errors: RowErrors | None = None) -> list[ClaimRow]:
    """Claims from a CSV or XLSX (columns in docs/csv-formats.md); ExchangeError listing every bad row, or
    with ``errors`` the bad rows recorded there and left out."""
    lenient = errors is not None
    errors = errors if errors is not None else RowErrors(source)
    table = read_table(raw, source, CLAIM_COLUMNS, CLAIM_REQUIRED, errors if lenient else None)
    out = []
    for line, r in table.rows:
        ok = True
        if not r.get("vendor"):
            errors.add(line, "empty vendor name", "vendor")
            ok = False
        if not r.get("text"):
            errors.add(line, "empty claim text", "text")
            ok = False
        kind, kind_ok = _enum_cell(r, "source_kind", SourceKind, SourceKind.DOCUMENT, errors, line)
        status, status_ok = _enum_cell(r, "status", ClaimStatus, ClaimStatus.ASSERTED, errors, line)
        ok = ok and kind_ok and status_ok
        said_on = None
        try:
            if r.get("said_on"):
                said_on = strict.parse_date(r["said_on"])
        except ValueError as exc:
            errors.add(line, str(exc), "said_on")
            ok = False
        refs = []
        for part in (r.get("criteria") or "").replace(",", ";").split(";"):
            if not part.strip():
                continue
            try:
                refs.append(CriterionRef.parse(part.strip()))
            except ValueError as exc:
                errors.add(line, str(exc), "criteria")
                ok = False
        if ok:
            out.append(ClaimRow(line, r.get("id", ""), r["vendor"], r["text"], kind, r.get("source", ""),
                                r.get("page", ""), said_on, r.get("said_to", ""), status, r.get("status_note", ""),
                                tuple(refs)))
    if not lenient:
        errors.raise_if_any()
    return out


# --------------------------------------------------------------------------------------------------
# scores


class ScoreRow(NamedTuple):
    """One score read from a CSV row (names not yet checked against the workspace).

    A NamedTuple, not a frozen dataclass: made 10,000 times per large import, it costs a fifth as much.
    """

    line: int
    vendor: str
    rubric: str
    rubric_version: str | None
    evaluator: str | None
    criterion: str
    answer: Answer
    level: int | None
    figure: float | None
    strength: EvidenceStrength | None
    rationale: str
    #: The claims the score rests on (the ``claims`` column, ids separated by ';'); None without the column:
    #: the score keeps the links it has.
    claims: tuple[str, ...] | None = None


class _Cells:
    """What each distinct text of a column reads as, found once: a large file repeats the same few levels,
    answers and strengths on thousands of rows. ``value(text)`` gives (value, None) or (None, reason)."""

    def __init__(self, parse: Callable[[str], object]) -> None:
        self.parse = parse
        self.seen: dict[str, tuple[object, str | None]] = {}

    def value(self, text: str) -> tuple[object, str | None]:
        found = self.seen.get(text)
        if found is None:
            try:
                found = (self.parse(text), None)
            except ValueError as exc:
                found = (None, str(exc))
            self.seen[text] = found
        return found


def _figure(text: str) -> float:
    try:
        return parse_figure(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number (write e.g. 40 billion, 40B, 2.3bn, 4e10)") from None


@collector_paused()
def parse_scores_csv(raw: bytes, source: str, errors: RowErrors | None = None) -> list[ScoreRow]:
    """Scores from a CSV or XLSX (columns in docs/csv-formats.md); ExchangeError listing every bad row, or
    with ``errors`` the bad rows recorded there and left out."""
    lenient = errors is not None
    errors = errors if errors is not None else RowErrors(source)
    table = read_cells(raw, source, SCORE_COLUMNS, SCORE_REQUIRED, errors if lenient else None)
    if "level" not in table.columns and "answer" not in table.columns:
        raise ExchangeError(f"{source}, line {table.header_line}: a scores CSV needs a 'level' or 'answer' column")
    at = {c: i for i, c in enumerate(table.columns)}
    required = [(c, at[c]) for c in SCORE_REQUIRED]
    i_vendor, i_rubric, i_criterion = (at[c] for c in SCORE_REQUIRED)
    # an absent column reads as an empty cell: the index of one appended to every row
    empty = len(table.columns)
    i_version, i_evaluator, i_answer, i_level, i_figure, i_strength, i_rationale, i_claims = (
        at.get(c, empty) for c in ("rubric_version", "evaluator", "answer", "level", "figure", "strength",
                                   "rationale", "claims"))
    with_claims = "claims" in at
    # each column's texts read once; ``seen.get`` first spares the call for the texts read already
    level_cells, figure_cells = _Cells(strict.parse_int), _Cells(_figure)
    answer_cells = _Cells(functools.partial(_enum, enum=Answer))
    strength_cells = _Cells(functools.partial(_enum, enum=EvidenceStrength))
    levels, level_seen = level_cells.value, level_cells.seen.get
    figures, figure_seen = figure_cells.value, figure_cells.seen.get
    answers, answer_seen = answer_cells.value, answer_cells.seen.get
    strengths, strength_seen = strength_cells.value, strength_cells.seen.get
    level_answer = Answer.LEVEL
    out = []
    for line, cells in table.rows:
        cells.append("")
        ok = True
        vendor, rubric, criterion = cells[i_vendor], cells[i_rubric], cells[i_criterion]
        if not (vendor and rubric and criterion):
            for col, i in required:
                if not cells[i]:
                    errors.add(line, f"empty {col}", col)
            ok = False
        level: int | None = None
        figure: float | None = None
        if level_text := cells[i_level]:
            value, reason = level_seen(level_text) or levels(level_text)
            if reason is None:
                level = value  # type: ignore[assignment]
            else:
                errors.add(line, reason, "level")
                ok = False
        if figure_text := cells[i_figure]:
            value, reason = figure_seen(figure_text) or figures(figure_text)
            if reason is None:
                figure = value  # type: ignore[assignment]
            else:
                errors.add(line, reason, "figure")
                ok = False
        claim_ids: tuple[str, ...] | None = None
        if with_claims:
            claim_ids = tuple(dict.fromkeys(p.strip() for p in cells[i_claims].split(";") if p.strip()))
        answer: Answer = level_answer
        if answer_text := cells[i_answer]:
            value, reason = answer_seen(answer_text) or answers(answer_text)
            if reason is None:
                answer = value  # type: ignore[assignment]
            else:
                errors.add(line, reason, "answer")
                ok = False
        strength: EvidenceStrength | None = None
        if strength_text := cells[i_strength]:
            value, reason = strength_seen(strength_text) or strengths(strength_text)
            if reason is None:
                strength = value  # type: ignore[assignment]
            else:
                errors.add(line, reason, "strength")
                ok = False
        if ok and answer == level_answer and level is None and figure is None:
            errors.add(line, "a level answer needs a level (or a figure for a numeric criterion)", "level")
            ok = False
        if ok and answer != level_answer and level is not None:
            errors.add(line, f"answer '{answer.value}' carries no level", "level")
            ok = False
        if ok:
            out.append(ScoreRow(line, vendor, rubric, cells[i_version] or None, cells[i_evaluator] or None,
                                criterion, answer, level, figure, strength, cells[i_rationale], claim_ids))
    if not lenient:
        errors.raise_if_any()
    return out


# --------------------------------------------------------------------------------------------------
# writing


#: Control characters the importer refuses as binary data (detect.check_text): written as U+FFFD, so an
#: exported CSV always imports again.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _escape(cell: object) -> str:
    text = _CONTROL.sub("\ufffd", "" if cell is None else str(cell))
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV bytes: UTF-8 with byte-order mark, CRLF line ends, formula-like cells neutralised."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_escape(c) for c in row])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")
