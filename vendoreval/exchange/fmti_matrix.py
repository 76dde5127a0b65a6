"""FMTI score matrices: `Indicator,<Developer A>,<Developer B>,...` with one 0/1 row per indicator.

Optional leading `Domain,Subdomain` columns, an optional final `Total` row and a byte-order mark are
accepted (the layouts of the published editions, see /work/shared/data/fmti/README.md). Indicator names
are matched to a rubric's criterion titles after trimming spaces and ignoring case.
"""

from __future__ import annotations

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
    width = first + len(developers)
    matrix = Matrix(source, developers)
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
            for dev, cell in zip(developers, row[first:width], strict=True):
                try:
                    totals.append(int(float(cell.strip())))
                except ValueError:
                    errors.add(line, f"total '{cell.strip()}' is not a number", dev)
                    totals.append(-1)
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
        for dev, cell in zip(developers, row[first:width], strict=True):
            v = cell.strip()
            if v in ("0", "1", "0.0", "1.0"):
                values.append(int(float(v)))
            else:
                errors.add(line, f"'{v}' for '{name}' is not 0 or 1", dev)
                values.append(0)
        matrix.indicators.append((line, name, values))
    if not matrix.indicators and not errors.items:
        errors.add(header_line, "the header is not followed by any indicator rows")
    if matrix.totals is not None and not errors.items:
        for i, dev in enumerate(developers):
            if matrix.totals[i] != matrix.count(i):
                errors.add(matrix.totals_line or 0,
                           f"Total for '{dev}' is {matrix.totals[i]} but its indicators add up to {matrix.count(i)}",
                           dev)
    errors.raise_if_any()
    return matrix


@dataclass(frozen=True)
class RubricMatch:
    """The rubric version a matrix matches, and the criterion id of each indicator row."""

    rubric: Rubric
    criterion_ids: list[str]  # in the matrix's indicator order
    unscored: list[str]  # criteria of the rubric the matrix has no row for


def match_rubric(matrix: Matrix, candidates: Sequence[Rubric], wanted: str) -> RubricMatch:
    """The candidate whose criterion titles cover every indicator name (newest wins on a tie).

    ExchangeError listing the names that match no criterion of the closest candidate otherwise.
    """
    if not candidates:
        raise ExchangeError(f"{matrix.source}: no rubric '{wanted}' is installed to score the matrix against")
    names = [norm_name(name) for _, name, _ in matrix.indicators]
    best: tuple[int, int, Rubric, list[str]] | None = None
    for order, rubric in enumerate(candidates):
        titles = {norm_name(c.title): c.id for c in rubric.criteria}
        missing = [name for (_, name, _), key in zip(matrix.indicators, names, strict=True) if key not in titles]
        key = (-len(missing), order)
        if best is None or key > best[:2]:
            best = (key[0], key[1], rubric, missing)
    assert best is not None
    _, _, rubric, missing = best
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
    ids = [titles[n] for n in names]
    unscored = [c.id for c in rubric.criteria if c.id not in set(ids)]
    return RubricMatch(rubric, ids, unscored)
