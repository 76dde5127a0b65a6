"""Every published FMTI edition's matrix imports through the CLI and reproduces the file's own totals."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from vendoreval.services.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data" / "fmti"
DEC_2025 = Path(__file__).resolve().parents[2] / "resources" / "baselines" / "Dec2025_scores.csv"  # shipped copy


def published_totals(path: Path) -> dict[str, int]:
    """The Total row of a published matrix, by developer (never the Total column)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = [h.strip() for h in rows[0]]
    first = header.index("Indicator") + 1
    total = next(r for r in rows if r[first - 1].strip() == "Total")
    return {dev: int(total[first + i]) for i, dev in enumerate(header[first:]) if dev != "Total"}


@pytest.mark.parametrize(("name", "edition", "aliases", "developers"), [
    ("October2023_scores.csv", "2023-10", 9, 10),
    ("May2024_scores.csv", "2024-05", 8, 14),
])
def test_each_edition_imports_and_reproduces_its_totals(cli, name: str, edition: str, aliases: int,  # type: ignore[no-untyped-def]
                                                        developers: int) -> None:
    res = cli("import", str(DATA / name))
    assert res.code == 0, res.err
    assert f"{aliases} indicator names read through that edition's aliases for fmti 1.1" in res.out
    rows = json.loads(cli("scores", "--json", "--rubric", "fmti").out)
    got = {r["vendor"]: r for r in rows}
    expected = published_totals(DATA / name)
    assert len(expected) == developers and "Total" not in got
    assert {v: got[v]["claimed"] for v in expected} == {v: float(t) for v, t in expected.items()}
    assert {r["evaluator"] for r in rows} == {f"FMTI {edition}"}
    assert {r["rubric_version"] for r in rows} == {"1.1"} and {r["answered"] for r in rows} == {100}


def test_known_published_figures() -> None:
    """Spot checks against the editions' papers: the files are the published ones."""
    assert published_totals(DATA / "October2023_scores.csv")["Meta"] == 54
    assert published_totals(DATA / "October2023_scores.csv")["Amazon"] == 12
    assert published_totals(DATA / "May2024_scores.csv")["BigCode"] == 85


def test_both_v1_editions_are_kept_apart(cli, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", str(DATA / "October2023_scores.csv")).code == 0
    assert cli("import", str(DATA / "May2024_scores.csv")).code == 0
    meta = {c.evaluator: c for c in ws.scorecards.list() if ws.vendors.get(c.vendor_id).name == "Meta"}
    assert set(meta) == {"FMTI 2023-10", "FMTI 2024-05"}  # May 2024 did not replace October 2023


def test_dec_2025_matrix_imports_without_aliases(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("import", str(DEC_2025))
    assert res.code == 0, res.err
    assert "aliases" not in res.out
    rows = json.loads(cli("scores", "--json", "--rubric", "fmti").out)
    assert {r["rubric_version"] for r in rows} == {"2025.12"} and len(rows) == 13


def test_a_wrong_total_column_is_refused_naming_the_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (DATA / "October2023_scores.csv").read_bytes().decode("utf-8")
    row = "Upstream,Data,Data sources,0,1,0,0,0,0,0,0,0,0,"
    bad = text.replace(row + "1", row + "3")
    path = tmp_path / "oct.csv"
    path.write_bytes(bad.encode())
    res = cli("import", str(path))
    assert res.code == 2
    assert "line 3, column Total: Total for 'Data sources' is 3 but 1 developer satisfy it" in res.err
    assert json.loads(cli("scores", "--json", "--rubric", "fmti").out) == []


def test_unknown_names_are_all_listed_never_dropped(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (DATA / "May2024_scores.csv").read_bytes().decode("utf-8")
    bad = text.replace("Wages,", "Salaries,").replace("Change log,", "Changelog,")
    path = tmp_path / "may.csv"
    path.write_bytes(bad.encode())
    res = cli("import", str(path))
    assert res.code == 2 and "2 indicator names match no criterion of fmti 1.1" in res.err
    assert "line 15: 'Salaries'" in res.err and "line 88: 'Changelog'" in res.err
