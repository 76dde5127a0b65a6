"""FMTI-style indicator CSVs to rubrics, and rubrics to TOML text.

An indicator CSV (the layout of the Stanford CRFM Foundation Model Transparency Index) has one row per
indicator with the columns Domain, Subdomain, Indicator, Definition and Notes, plus either
``Example disclosure`` (Dec 2025 edition) or ``Reference_1, Reference_2, Link_1, Link_2`` (v1.0/v1.1).
Each indicator becomes one binary criterion: title = the indicator name, question = the definition,
guidance = the notes (with the example disclosure or references), group = "Domain / Subdomain".

``rubric_to_toml`` writes any rubric as TOML that reads back to an equal rubric; the shipped
``rubrics/fmti-*.toml`` files are produced by running this module as a script (see ``main``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError

from .. import files
from ..domain.rubric import Criterion, Level, Rubric, Scale, ScaleKind
from . import ExchangeError

REQUIRED_COLUMNS = ("Domain", "Subdomain", "Indicator", "Definition", "Notes")
MAX_CSV_BYTES = 20_000_000

NOT_DISCLOSED = Level(
    level=0, label="Not disclosed", description="No disclosure that meets the indicator (0 points)."
)
DISCLOSED = Level(level=1, label="Disclosed", description="A disclosure that meets the indicator (1 point).")

# C0 controls other than tab, line feed, form feed and carriage return, plus DEL: never in a text CSV.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class IndicatorCsvError(ExchangeError, ValueError):
    """An indicator CSV that cannot be converted: the file, the 1-based line and the reason."""

    def __init__(self, path: str | Path, line: int, reason: str) -> None:
        # line 0: the file as a whole (it cannot be read at all), so no line is named
        super().__init__(f"{path}, line {line}: {reason}" if line else f"{path}: {reason}",
                         file=str(path), line=line)
        self.path = str(path)
        self.line = line
        self.reason = reason


# --------------------------------------------------------------------------------------------------
# CSV -> Rubric


def _line_of(raw: bytes, offset: int) -> int:
    """The 1-based line number of a byte offset."""
    return raw.count(b"\n", 0, offset) + 1


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 text (byte-order mark dropped); IndicatorCsvError for binary data or another encoding."""
    binary = None if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else _BINARY_BYTES.search(raw)  # UTF-16: below
    if binary is not None:
        raise IndicatorCsvError(
            path,
            _line_of(raw, binary.start()),
            f"binary data (byte 0x{raw[binary.start()]:02x} at offset {binary.start()});"
            " expected a CSV text file",
        )
    try:
        return files.decode_text(raw, path)
    except files.FileProblem as exc:
        raise IndicatorCsvError(path, exc.line or 1, exc.reason) from None


def clean_text(value: str) -> str:
    """Cell text with line breaks normalised to \\n, trailing spaces per line removed, and ends trimmed."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    # Spreadsheet exports use U+2028/U+2029 for in-cell breaks, often next to a real one.
    text = re.sub(r"[ \t]*\u2028[ \t]*\n?", "\n", text)
    text = re.sub(r"[ \t]*\u2029[ \t]*\n?", "\n\n", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def _one_line(value: str) -> str:
    """Cell text folded onto one line (for titles and group names)."""
    return " ".join(clean_text(value).split())


def slugify(name: str, max_length: int = 80) -> str:
    """A criterion id from a name: lowercase ASCII letters, digits and hyphens ('' if nothing is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return slug[:max_length].rstrip("-")


def _unique(slug: str, seen: set[str], max_length: int = 80) -> str:
    """The slug, or the slug with the smallest free suffix -2, -3, ..."""
    if slug not in seen:
        return slug
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: max_length - len(suffix)].rstrip("-") + suffix
        if candidate not in seen:
            return candidate
        n += 1


def _records(text: str, path: Path) -> Iterable[tuple[int, list[str]]]:
    """(first line number, cells) for every non-blank CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise IndicatorCsvError(path, previous_end + 1, f"malformed CSV: {exc}") from None
        start, previous_end = previous_end + 1, reader.line_num
        if any(cell.strip() for cell in row):
            yield start, row


def _header_index(header: list[str], path: Path, line: int) -> dict[str, int]:
    """Column positions by normalised name; IndicatorCsvError if a required column is missing."""
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        # a second byte-order mark left by a careless re-export must not hide the first column
        key = " ".join(name.replace("\ufeff", "").split()).casefold()
        if key and key not in index:
            index[key] = i
    missing = [c for c in REQUIRED_COLUMNS if c.casefold() not in index]
    if missing:
        found = ", ".join(repr(h.strip()) for h in header if h.strip()) or "none"
        raise IndicatorCsvError(
            path,
            line,
            f"missing column(s) {', '.join(missing)}; found {found}."
            f" An indicator CSV needs {', '.join(REQUIRED_COLUMNS)}",
        )
    return index


def _reference_columns(index: dict[str, int]) -> list[tuple[int, int | None]]:
    """(Reference_n column, Link_n column or None) pairs, in n order."""
    pairs = []
    for key, col in index.items():
        m = re.fullmatch(r"reference[_ ]?(\d+)", key)
        if m:
            n = int(m.group(1))
            link = index.get(f"link_{n}", index.get(f"link {n}", index.get(f"link{n}")))
            pairs.append((n, col, link))
    return [(col, link) for _, col, link in sorted(pairs)]


def _guidance(notes: str, example: str, references: list[str]) -> str:
    """Evaluator guidance assembled from the notes, the example disclosure and the references."""
    parts = [notes] if notes else []
    if example:
        parts.append(f"Example disclosure: {example}")
    if references:
        parts.append("References: " + "; ".join(references))
    return "\n\n".join(parts)


def rubric_from_indicator_csv(
    path: Path,
    *,
    rubric_id: str,
    version: str,
    title: str,
    area: str = "Transparency",
    attribution: str | None = None,
    license: str | None = None,
    description: str = "",
    source: str | None = None,
) -> Rubric:
    """A binary, equally weighted rubric with one criterion per indicator row of an FMTI-layout CSV."""
    path = Path(path)
    try:
        raw = files.read_bytes(path, max_bytes=MAX_CSV_BYTES, what="an indicator CSV")
    except files.FileProblem as exc:
        raise IndicatorCsvError(path, 0, exc.reason) from None
    text = _decode(raw, path)
    if not text.strip():
        raise IndicatorCsvError(path, 1, "the file is empty")

    records = iter(_records(text, path))
    header_line, header = next(records)
    index = _header_index(header, path, header_line)
    col = {name: index[name.casefold()] for name in REQUIRED_COLUMNS}
    example_col = index.get("example disclosure")
    refs = _reference_columns(index)

    criteria: list[Criterion] = []
    seen: set[str] = set()
    for line, row in records:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise IndicatorCsvError(path, line, f"row has {len(row)} cells but the header has {len(header)}")

        def cell(i: int | None, row: list[str] = row) -> str:
            return clean_text(row[i]) if i is not None and i < len(row) else ""

        name = _one_line(cell(col["Indicator"]))
        if not name:
            raise IndicatorCsvError(path, line, "empty indicator name (column Indicator)")
        domain, subdomain = _one_line(cell(col["Domain"])), _one_line(cell(col["Subdomain"]))
        group = " / ".join(p for p in (domain, subdomain) if p) or None
        references = []
        for ref_col, link_col in refs:
            ref, link = _one_line(cell(ref_col)), _one_line(cell(link_col))
            if ref or link:
                references.append(f"{ref} ({link})" if ref and link else ref or link)
        slug = slugify(name) or f"indicator-{len(criteria) + 1}"
        criterion_id = _unique(slug, seen)
        try:
            criterion = Criterion(
                id=criterion_id,
                title=name,
                question=cell(col["Definition"]) or f"Does the developer disclose: {name}?",
                guidance=_guidance(cell(col["Notes"]), cell(example_col), references),
                weight=1.0,
                scale=Scale(kind=ScaleKind.BINARY, levels=[NOT_DISCLOSED, DISCLOSED]),
                sources=[source] if source else [],
                group=group,
            )
        except ValidationError as exc:
            reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise IndicatorCsvError(path, line, f"indicator {name!r}: {reasons}") from None
        seen.add(criterion_id)
        criteria.append(criterion)

    if not criteria:
        raise IndicatorCsvError(path, header_line, "the header is not followed by any indicator rows")
    return Rubric(
        id=rubric_id,
        version=version,
        title=title,
        area=area,
        description=description,
        attribution=attribution,
        license=license,
        weight=1.0,
        criteria=criteria,
    )


# --------------------------------------------------------------------------------------------------
# Rubric -> TOML

_WRAP_AT = 100  # wrap long strings to lines of about this many characters
_ONE_LINE_MAX = 110  # a string whose 'key = "..."' line fits this stays on one line
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _escape(text: str, *, keep_newlines: bool = False) -> str:
    """TOML basic-string body: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise ValueError(f"text contains a lone surrogate U+{ord(ch):04X}, which TOML cannot hold")
        else:
            out.append(ch)
    return "".join(out)


def _basic(text: str) -> str:
    """A one-line TOML basic string."""
    return f'"{_escape(text)}"'


def _wrap_line(escaped: str, width: int) -> list[str]:
    """Split one escaped line at spaces into chunks; every chunk but the last ends with a space."""
    chunks: list[str] = []
    rest = escaped
    while len(rest) > width:
        # the last run of spaces before the width that is followed by a non-space character
        cut = -1
        for found in re.finditer(r" +(?=[^ ])", rest[: width + 1]):
            if found.start() > 0:
                cut = found.end()
        if cut <= 0:
            later = re.search(r" +(?=[^ ])", rest[width:])
            if later is None:
                break
            cut = width + later.end()
        chunks.append(rest[:cut])
        rest = rest[cut:]
    chunks.append(rest)
    return chunks


def _string(text: str, indent: int = 0) -> str:
    """A TOML string: one line if short, else a multi-line basic string wrapped by line-ending backslashes."""
    single = _basic(text)
    if "\n" not in text and indent + len(single) <= _ONE_LINE_MAX:
        return single
    physical: list[str] = []
    for logical in _escape(text, keep_newlines=True).split("\n"):
        chunks = _wrap_line(logical, _WRAP_AT - 2)
        # a line-ending backslash joins the chunks without adding anything to the value
        physical.extend(chunk + "\\" for chunk in chunks[:-1])
        physical.append(chunks[-1])
    # the newline right after the opening delimiter is not part of the value
    return '"""\n' + "\n".join(physical) + '"""'


def _float(value: float) -> str:
    """A TOML float that reads back to exactly this value."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = repr(float(value))
    if "e" not in text and abs(value) >= 1e6:
        # 1e9 reads better than 1000000000.0 for thresholds such as token counts
        for digits in range(17):
            mantissa, exponent = f"{value:.{digits}e}".split("e")
            short = f"{mantissa}e{int(exponent)}"
            if float(short) == value:
                return short if len(short) < len(text) else text
    return text if any(c in text for c in ".eEni") else text + ".0"


def _value(value: object, indent: int = 0) -> str:
    """Any scalar or list of scalars in this model as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value, indent)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        items = [_value(v) if not isinstance(v, str) else _basic(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if indent + len(one_line) <= _ONE_LINE_MAX:
            return one_line
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _pair(key: str, value: object) -> str:
    """One 'key = value' line."""
    prefix = f"{key} = "
    return prefix + _value(value, len(prefix))


def _key(name: str) -> str:
    """A TOML key: bare when it may be, else quoted."""
    return name if _BARE_KEY.fullmatch(name) else _basic(name)


def _flat(value: object) -> str:
    """A value on one line: strings as basic strings, lists as one-line arrays."""
    if isinstance(value, str):
        return _basic(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    return _value(value)


def _inline_table(pairs: Sequence[tuple[str, object]]) -> str:
    """A one-line TOML inline table (strings on one line, whatever their length)."""
    items = [f"{_key(k)} = {_flat(v)}" for k, v in pairs]
    return "{ " + ", ".join(items) + " }" if items else "{}"


def _level_pairs(lv: Level) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = [("level", lv.level), ("label", lv.label), ("description", lv.description)]
    if lv.example is not None:
        pairs.append(("example", lv.example))
    return pairs


def _levels(levels: Sequence[Level]) -> list[str]:
    """The levels as an array of inline tables when every one fits on a line, else as [[...]] tables."""
    inline = [_inline_table(_level_pairs(lv)) for lv in levels]
    if all(len(line) + 3 <= _ONE_LINE_MAX for line in inline):
        return ["levels = [", *(f"  {line}," for line in inline), "]"]
    out: list[str] = []
    for lv in levels:
        out += ["", "[[criteria.scale.levels]]"]
        out += [_pair(k, v) for k, v in _level_pairs(lv)]
    return out


def _array_of_inline_tables(key: str, tables: Sequence[Sequence[tuple[str, object]]]) -> list[str]:
    """``key = [ {...}, ... ]`` with one inline table per line."""
    return [f"{key} = [", *(f"  {_inline_table(t)}," for t in tables), "]"]


def _rubric_tables(rubric: Rubric) -> list[str]:
    """The legal change log and the duties as arrays of tables."""
    out: list[str] = []
    for entry in rubric.changelog:
        out += ["", "[[changelog]]", _pair("version", entry.version), _pair("date", entry.date),
                _pair("changes", list(entry.changes))]
        if entry.sources:
            out.append(_pair("sources", list(entry.sources)))
    for duty in rubric.duties:
        out += ["", "[[duties]]", _pair("duty", duty.duty), _pair("source", duty.source),
                _pair("applies_from", duty.applies_from)]
    return out


def _criterion_later_keys(c: Criterion) -> list[str]:
    """applies_when, see_also and crosswalk, when the criterion uses them."""
    out: list[str] = []
    if isinstance(c.applies_when, dict):
        if c.applies_when:
            out.append("applies_when = " + _inline_table(list(c.applies_when.items())))
    else:  # either of: one inline table per alternative
        out += _array_of_inline_tables("applies_when", [list(alt.items()) for alt in c.applies_when])
    if c.see_also:
        out.append(_pair("see_also", list(c.see_also)))
    if c.crosswalk:
        out += _array_of_inline_tables("crosswalk", [
            [("framework", ref.framework), ("id", ref.id), ("title", ref.title)] for ref in c.crosswalk])
    return out


def rubric_to_toml(rubric: Rubric) -> str:
    """The rubric as TOML text in the documented layout; ``loads_rubric`` of it gives an equal rubric."""
    lines: list[str] = []
    for key in ("id", "version", "title", "area", "description", "attribution", "license", "weight",
                "law_reviewed_on"):
        value = getattr(rubric, key)
        if value is not None and not (key == "description" and value == ""):
            lines.append(_pair(key, value))
    lines += _rubric_tables(rubric)
    for c in rubric.criteria:
        lines += ["", "[[criteria]]"]
        for key in ("id", "title", "group", "question", "guidance", "weight", "sources"):
            value = getattr(c, key)
            if value is not None:
                lines.append(_pair(key, value))
        for key in ("knockout_below", "knockout_reason", "duty_applies_from", "disclosed_no"):
            value = getattr(c, key)
            # disclosed_no = 0 is the default; writing it on every criterion would only add noise
            if value is not None and not (key == "disclosed_no" and value == 0):
                lines.append(_pair(key, value))
        lines += _criterion_later_keys(c)
        lines += ["", "[criteria.scale]", _pair("kind", c.scale.kind.value)]
        if c.scale.unit is not None:
            lines.append(_pair("unit", c.scale.unit))
        if c.scale.thresholds is not None:
            lines.append(_pair("thresholds", list(c.scale.thresholds)))
        if c.scale.at_threshold is not None:
            lines.append(_pair("at_threshold", list(c.scale.at_threshold)))
        lines += _levels(c.scale.levels)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# Script: regenerate a rubric file from a CSV


def main(argv: Sequence[str] | None = None) -> int:
    """Convert one indicator CSV to a rubric TOML file; returns the process exit status."""
    parser = argparse.ArgumentParser(
        description="Convert an FMTI-layout indicator CSV into a rubric TOML file."
    )
    parser.add_argument("csv", type=Path)
    parser.add_argument("output", type=Path, help="the .toml file to write ('-' for standard output)")
    parser.add_argument("--id", required=True, dest="rubric_id")
    parser.add_argument("--version", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--area", default="Transparency")
    parser.add_argument("--description", default="")
    parser.add_argument("--attribution")
    parser.add_argument("--license")
    parser.add_argument("--source", help="citation put in every criterion's sources")
    args = parser.parse_args(argv)
    try:
        rubric = rubric_from_indicator_csv(
            args.csv,
            rubric_id=args.rubric_id,
            version=args.version,
            title=args.title,
            area=args.area,
            attribution=args.attribution,
            license=args.license,
            description=args.description,
            source=args.source,
        )
    except IndicatorCsvError as exc:
        print(exc, file=sys.stderr)
        return 1
    header = (
        f"# Generated from {args.csv.name} by vendoreval/exchange/indicator_csv.py; do not edit by hand.\n"
        "# Regenerate with the command in docs/rubric-format.md.\n\n"
    )
    text = header + rubric_to_toml(rubric)
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        try:
            files.write_text_atomic(args.output, text)
        except files.FileProblem as exc:
            print(exc, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
