"""FMTI score matrices: `Indicator,<Developer A>,<Developer B>,...` with one 0/1 row per indicator.

Optional leading `Domain,Subdomain` columns, an optional final `Total` row, an optional last `Total`
column (the October 2023 layout: how many developers satisfy each indicator — a count, never a
developer) and a byte-order mark are accepted (the layouts of the published editions, see
/work/shared/data/fmti/README.md). Every total the file states is checked against the computed counts.
Indicator names are matched to a rubric's criterion titles after trimming spaces and ignoring case,
through the edition's aliases (rubrics/data/fmti-editions.toml) where an edition spells a name
differently from the indicator file its rubric was built from.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.rubric import Rubric
from ..domain.text import plural
from . import ExchangeError
from .tabular import RowErrors, decode_csv, records, sniff_delimiter


def norm_name(name: str) -> str:
    """An indicator name for comparison: spaces collapsed and trimmed, case ignored."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


@dataclass
class Matrix:
    """A parsed score matrix: developers in column order and each indicator's 0/1 per developer."""

    source: str
    developers: list[str]
    indicators: list[tuple[int, str, list[int]]] = field(default_factory=list)  # (line, name, values)
    totals: list[int] | None = None
    totals_line: int | None = None
    total_column: bool = False  # the file had a per-indicator Total column (checked, then dropped)
    grand_total: int | None = None  # the Total column's cell on the Total row, when filled in

    def count(self, index: int) -> int:
        """The number of indicators developer ``index`` satisfies."""
        return sum(values[index] for _, _, values in self.indicators)


def parse_matrix(raw: bytes, source: str) -> Matrix:
    """Read a score matrix; ExchangeError listing every bad cell, duplicate or Total mismatch."""
    text = decode_csv(raw, source)
    it = iter(records(text, source, sniff_delimiter(text)))
    try:
        header_line, header = next(it)
    except StopIteration:
        raise ExchangeError(f"{source}: the file is empty") from None
    names = [norm_name(h) for h in header]
    if "indicator" not in names[:3] or any(n not in ("domain", "subdomain") for n in names[: names.index("indicator")]):
        raise ExchangeError(
            f"{source}, line {header_line}: not an FMTI score matrix (the header must start with 'Indicator', "
            "optionally after 'Domain,Subdomain')"
        )
    first = names.index("indicator") + 1
    errors = RowErrors(source)
    developers = [" ".join(h.split()) for h in header[first:]]
    while developers and not developers[-1]:
        developers.pop()  # a trailing separator leaves an empty last column
    total_column = bool(developers) and norm_name(developers[-1]) == "total"
    if total_column:
        developers.pop()  # a count per indicator (October 2023), not a developer
    if not developers:
        raise ExchangeError(f"{source}, line {header_line}: no developer columns after 'Indicator'")
    seen: dict[str, str] = {}
    for i, dev in enumerate(developers):
        if not dev:
            errors.add(header_line, f"developer column {first + i + 1} has no name")
        elif dev.casefold() in seen:
            errors.add(header_line, f"developer '{dev}' appears twice (duplicate vendor)")
        seen[dev.casefold()] = dev
    errors.raise_if_any()
    width = first + len(developers) + (1 if total_column else 0)
    matrix = Matrix(source, developers, total_column=total_column)
    indicator_lines: dict[str, int] = {}
    rows = list(it)
    for pos, (line, row) in enumerate(rows):
        if len(row) < width or any(c.strip() for c in row[width:]):
            errors.add(line, f"{len(row)} cells but the header has {width} (ragged row)")
            continue
        lead = [norm_name(c) for c in row[:first]]
        is_total = "total" in lead and all(c in ("", "total") for c in lead)
        if is_total:
            if pos != len(rows) - 1:
                errors.add(line, "the Total row must be the last row")
                continue
            totals = []
            for dev, cell in zip(developers, row[first:first + len(developers)], strict=True):
                number = _count(cell)
                if number is None:
                    errors.add(line, f"total '{cell.strip()}' is not a whole number", dev)
                totals.append(-1 if number is None else number)
            if total_column and row[width - 1].strip():
                grand = _count(row[width - 1])
                if grand is None:
                    errors.add(line, f"total '{row[width - 1].strip()}' is not a whole number", "Total")
                else:
                    matrix.grand_total = grand
            matrix.totals, matrix.totals_line = totals, line
            continue
        name = " ".join(row[first - 1].split())
        if not name:
            errors.add(line, "empty indicator name", "Indicator")
            continue
        if norm_name(name) in indicator_lines:
            errors.add(line, f"indicator '{name}' already on line {indicator_lines[norm_name(name)]}", "Indicator")
            continue
        indicator_lines[norm_name(name)] = line
        values = []
        for dev, cell in zip(developers, row[first:first + len(developers)], strict=True):
            v = cell.strip()
            if v in ("0", "1", "0.0", "1.0"):
                values.append(int(float(v)))
            else:
                errors.add(line, f"'{v}' for '{name}' is not 0 or 1", dev)
                values.append(0)
        if total_column:
            stated = _count(row[width - 1])
            if stated is None:
                errors.add(line, f"Total '{row[width - 1].strip()}' for '{name}' is not a whole number", "Total")
            elif stated != sum(values):
                errors.add(line, f"Total for '{name}' is {stated} but {plural(sum(values), 'developer')} "
                                 f"satisfy it", "Total")
        matrix.indicators.append((line, name, values))
    if not matrix.indicators and not errors.items:
        errors.add(header_line, "the header is not followed by any indicator rows")
    if matrix.totals is not None and not errors.items:
        for i, dev in enumerate(developers):
            if matrix.totals[i] != matrix.count(i):
                errors.add(matrix.totals_line or 0,
                           f"Total for '{dev}' is {matrix.totals[i]} but its indicators add up to {matrix.count(i)}",
                           dev)
        everything = sum(matrix.count(i) for i in range(len(developers)))
        if matrix.grand_total is not None and matrix.grand_total != everything:
            errors.add(matrix.totals_line or 0,
                       f"the grand total is {matrix.grand_total} but all indicators add up to {everything}", "Total")
    errors.raise_if_any()
    return matrix


def _count(cell: str) -> int | None:
    """A stated total: ASCII digits only (no sign, no decimals, no other scripts' digits)."""
    text = cell.strip()
    return int(text) if text.isascii() and text.isdigit() else None


@dataclass(frozen=True)
class Edition:
    """A published FMTI edition: the rubric version it scores and how its matrix spells indicator names."""

    edition: str  # YYYY-MM
    title: str
    rubric: str
    version: str
    aliases: dict[str, str] = field(default_factory=dict)  # norm_name(matrix name) -> criterion title


def parse_editions(raw: bytes, source: str) -> list[Edition]:
    """The editions data file (rubrics/data/fmti-editions.toml); ExchangeError naming what is wrong."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExchangeError(f"{source}: not a readable TOML file: {exc}") from None
    editions: list[Edition] = []
    for n, entry in enumerate(data.get("edition", []), start=1):
        try:
            edition = Edition(
                edition=str(entry["edition"]), title=str(entry["title"]), rubric=str(entry["rubric"]),
                version=str(entry["version"]),
                aliases={norm_name(k): str(v) for k, v in dict(entry.get("aliases", {})).items()})
        except (KeyError, TypeError, ValueError) as exc:
            raise ExchangeError(f"{source}: edition {n}: missing or invalid field {exc}") from None
        editions.append(edition)
    return editions


@dataclass(frozen=True)
class RubricMatch:
    """The rubric version a matrix matches, and the criterion id of each indicator row."""

    rubric: Rubric
    criterion_ids: list[str]  # in the matrix's indicator order
    unscored: list[str]  # criteria of the rubric the matrix has no row for
    edition: Edition | None = None  # the edition whose names the matrix uses, when one was recognised


def match_rubric(matrix: Matrix, candidates: Sequence[Rubric], wanted: str,
                 editions: Sequence[Edition] = ()) -> RubricMatch:
    """The candidate whose criterion titles cover every indicator name (newest wins on a tie).

    Each candidate is tried with its own names and with the aliases of every edition scored against it;
    the edition whose aliases the matrix uses is recognised (the one using most of them wins; a matrix
    that needs no alias names no edition). ExchangeError listing the names that match no criterion of
    the closest candidate otherwise.
    """
    if not candidates:
        raise ExchangeError(f"{matrix.source}: no rubric '{wanted}' is installed to score the matrix against")
    names = [norm_name(name) for _, name, _ in matrix.indicators]
    best: tuple[tuple[int, int, int, int], Rubric, Edition | None, list[str], list[str]] | None = None
    for order, rubric in enumerate(candidates):
        titles = {norm_name(c.title): c.id for c in rubric.criteria}
        options: list[Edition | None] = [None] + [
            e for e in editions if e.rubric == rubric.id and e.version == rubric.version]
        for pos, edition in enumerate(options):
            aliases = edition.aliases if edition else {}
            mapped = [norm_name(aliases[n]) if n in aliases else n for n in names]
            missing = [name for (_, name, _), key in zip(matrix.indicators, mapped, strict=True) if key not in titles]
            used = sum(1 for n in names if n in aliases)
            rank = (-len(missing), used, order, -pos if edition is None else pos)
            if best is None or rank > best[0]:
                best = (rank, rubric, edition if used else None, missing, mapped)
    assert best is not None
    _, rubric, edition, missing, mapped = best
    if missing:
        lines = {name: line for line, name, _ in matrix.indicators}
        listed = "\n  ".join(f"line {lines[m]}: '{m}'" for m in missing[:30])
        more = f"\n  ... and {len(missing) - 30} more" if len(missing) > 30 else ""
        raise ExchangeError(
            f"{matrix.source}: {plural(len(missing), 'indicator name')} {'matches' if len(missing) == 1 else 'match'} "
            f"no criterion of {rubric.id} {rubric.version} (the closest of {plural(len(candidates), 'version')}); "
            f"nothing was imported:\n  {listed}{more}"
        )
    titles = {norm_name(c.title): c.id for c in rubric.criteria}
    ids = [titles[n] for n in mapped]
    first_line: dict[str, int] = {}
    twice = []
    for (line, name, _), cid in zip(matrix.indicators, ids, strict=True):
        if cid in first_line:
            twice.append(f"line {line}: '{name}' is the same indicator as line {first_line[cid]}")
        first_line.setdefault(cid, line)
    if twice:
        raise ExchangeError(f"{matrix.source}: nothing was imported:\n  " + "\n  ".join(twice))
    unscored = [c.id for c in rubric.criteria if c.id not in set(ids)]
    return RubricMatch(rubric, ids, unscored, edition)
