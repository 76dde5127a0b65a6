"""Reading an import file safely and telling its format from its content."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

from .. import files
from . import ExchangeError, file_problems

#: Import files larger than this are refused before they are read (tests patch it).
MAX_IMPORT_BYTES = 200 * 1024 * 1024

# C0 controls other than tab, line feed, form feed and carriage return: never in a text file.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# the key of a CycloneDX BOM's format field
_BOM_FORMAT = re.compile(rb'"bomFormat"\s*:')


class ImportFormat(StrEnum):
    """The file formats `vendoreval import` reads."""

    WORKSPACE = "workspace"
    CLAIMS_CSV = "claims-csv"
    SCORES_CSV = "scores-csv"
    FMTI = "fmti"
    CLAIMS_XLSX = "claims-xlsx"
    SCORES_XLSX = "scores-xlsx"
    CYCLONEDX = "cyclonedx"

    @property
    def is_claims(self) -> bool:
        """A claims file (CSV or XLSX)."""
        return self in (ImportFormat.CLAIMS_CSV, ImportFormat.CLAIMS_XLSX)

    @property
    def is_scores(self) -> bool:
        """A scores file (CSV or XLSX)."""
        return self in (ImportFormat.SCORES_CSV, ImportFormat.SCORES_XLSX)


def read_import_file(path: Path) -> bytes:
    """The file's bytes; ExchangeError when it is missing, unreadable, empty or over the size limit."""
    path = Path(path)
    with file_problems():
        raw = files.read_bytes(path, max_bytes=MAX_IMPORT_BYTES, what="an import file")
    if not raw.strip():
        raise ExchangeError(f"{path}: the file is empty")
    return raw


def check_text(raw: bytes, source: str) -> None:
    """Refuse binary data and UTF-16 before any parser sees it, naming the line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExchangeError(f"{source}: UTF-16 text (Excel's 'Unicode Text'); save the file as UTF-8")
    m = _BINARY.search(raw, 0, 1 << 20)
    if m is not None:
        line = raw.count(b"\n", 0, m.start()) + 1
        raise ExchangeError(
            f"{source}, line {line}: binary data (byte 0x{raw[m.start()]:02x} at offset {m.start()}); "
            "expected a workspace JSON file or a CSV text file"
        )


def _norm(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').split()).casefold()


def _clip(cell: str, limit: int = 40) -> str:
    return cell if len(cell) <= limit else cell[:limit] + "…"


def _xlsx_format(raw: bytes, source: str) -> ImportFormat:
    """Claims or scores, from the header row of an XLSX workbook's first sheet."""
    from .tabular import xlsx_records

    rows = xlsx_records(raw, source)
    names = {_norm(c).replace(" ", "_").replace("-", "_") for c in (rows[0][1] if rows else [])}
    if "vendor" in names:
        return ImportFormat.SCORES_XLSX if {"rubric", "criterion"} <= names else ImportFormat.CLAIMS_XLSX
    shown = ", ".join(repr(_clip(c)) for c in (rows[0][1] if rows else [])[:8] if c) or "nothing"
    raise ExchangeError(f"{source}: an XLSX workbook whose first row ({shown}) is no claims or scores header "
                        "(claims: vendor, text, ...; scores: vendor, rubric, criterion, level, ...)")


_XLSX_FORMATS = (ImportFormat.CLAIMS_XLSX, ImportFormat.SCORES_XLSX)
_JSON_FORMATS = (ImportFormat.WORKSPACE, ImportFormat.CYCLONEDX)


def _container(raw: bytes) -> str:
    """What kind of file the bytes are, as far as the format goes: 'XLSX', 'JSON' or 'CSV' (text)."""
    if raw.startswith(b"PK\x03\x04"):
        return "XLSX"
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "JSON" if head.startswith((b"{", b"[")) else "CSV"


def import_format(raw: bytes, source: str, fmt: ImportFormat | str | None = None) -> ImportFormat:
    """The format to read the file as: the one asked for (``--format``), when the file is that kind of
    file (an XLSX format needs a workbook, a CSV one text, a JSON one JSON), else the one recognised."""
    if not fmt:
        return detect_format(raw, source)
    kind = ImportFormat(fmt)
    want = "XLSX" if kind in _XLSX_FORMATS else "JSON" if kind in _JSON_FORMATS else "CSV"
    found = _container(raw)
    if found != want:
        raise ExchangeError(f"{source}: --format {kind.value} reads {want} files, but this is {found}"
                            f"{' (a ZIP file)' if found == 'XLSX' else ''}; leave --format out to have the "
                            "format recognised", file=source)
    if want != "XLSX":
        check_text(raw, source)
    return kind


def detect_format(raw: bytes, source: str) -> ImportFormat:
    """The import format recognised from the content; ExchangeError when it is none of them."""
    if raw.startswith(b"PK\x03\x04"):
        return _xlsx_format(raw, source)
    check_text(raw, source)
    head = raw[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        # a CycloneDX BOM names its bomFormat; a workspace file never has that key
        return ImportFormat.CYCLONEDX if _BOM_FORMAT.search(head, 0, 4096) else ImportFormat.WORKSPACE
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    cells = [_norm(c) for c in first.split(delimiter)]
    names = set(cells)
    if "indicator" in cells[:3] and all(c in ("domain", "subdomain") for c in cells[: cells.index("indicator")]):
        return ImportFormat.FMTI
    if "vendor" in names:
        # the column checks (and their messages) come from the parser of the format picked here
        return ImportFormat.SCORES_CSV if {"rubric", "criterion"} <= names else ImportFormat.CLAIMS_CSV
    # a cell can be a whole 64 KB line (a file with no line breaks): quote only its start
    shown = ", ".join(repr(_clip(c)) for c in cells[:8] if c) or "nothing"
    raise ExchangeError(
        f"{source}, line 1: format not recognised (header: {shown}). vendoreval imports a workspace file "
        "(JSON), a claims CSV (columns vendor, text, ...), a scores CSV (vendor, rubric, evaluator, criterion, "
        "level, ...) or an FMTI score matrix (Indicator, developer columns); on the command line, --format picks one"
    )
