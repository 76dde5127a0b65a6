"""Numbers, booleans and timestamps from files are strict (Trust issue): what a file may not smuggle in.

Each case takes a real exported workspace file, changes one value the way a hostile or broken
writer would, and imports it through the CLI: exit 2, the message names the file and the JSON path
of the field, and the database is exactly as it was. CSV cells go through the same parsers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain import strict
from vendoreval.services import Workspace

from .test_import_export import ANN_FP, build_rich, export_bytes


def _exported(ws: Workspace, tmp: Path) -> dict[str, Any]:
    build_rich(ws, tmp)
    return json.loads(export_bytes(ws))


def _import_refused(cli: Any, ws: Workspace, path: Path, *needles: str) -> str:
    before = ws.store.table_counts()
    run = cli("import", str(path))
    assert run.code == 2, run.out + run.err
    for needle in needles:
        assert needle in run.err, run.err
    assert path.name in run.err
    assert ws.store.table_counts() == before
    return run.err


def _first_score(doc: dict[str, Any]) -> dict[str, Any]:
    card = next(c for c in doc["scorecards"] if c["scores"])
    return next(iter(card["scores"].values()))


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e400"])
def test_a_non_finite_figure_is_refused(cli: Any, ws: Workspace, tmp_path: Path, literal: str) -> None:
    doc = _exported(ws, tmp_path)
    score = _first_score(doc)
    score["figure"] = 123456.0
    text = json.dumps(doc).replace("123456.0", literal, 1)
    path = tmp_path / "inf.json"
    path.write_text(text, encoding="utf-8")
    err = _import_refused(cli, ws, path, "malformed JSON")
    assert "finite" in err or "not a JSON number" in err


def test_a_boolean_is_not_a_level(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    doc = _exported(ws, tmp_path)
    card_index = next(i for i, c in enumerate(doc["scorecards"]) if c["scores"])
    key = next(k for k, s in doc["scorecards"][card_index]["scores"].items() if s.get("level") is not None)
    doc["scorecards"][card_index]["scores"][key]["level"] = True
    path = tmp_path / "bool.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _import_refused(cli, ws, path, f"scorecards[{card_index}].scores.{key}.level", "not a boolean (true)")


def test_a_number_written_as_text_is_not_a_level(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    doc = _exported(ws, tmp_path)
    card_index = next(i for i, c in enumerate(doc["scorecards"]) if c["scores"])
    key = next(k for k, s in doc["scorecards"][card_index]["scores"].items() if s.get("level") is not None)
    doc["scorecards"][card_index]["scores"][key]["level"] = "2"
    path = tmp_path / "text.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _import_refused(cli, ws, path, f"scorecards[{card_index}].scores.{key}.level")


def test_a_timestamp_in_the_future_is_refused(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    doc = _exported(ws, tmp_path)
    doc["vendors"][0]["updated_at"] = "2999-01-01T00:00:00Z"  # would win every later merge
    path = tmp_path / "future.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _import_refused(cli, ws, path, "vendors[0].updated_at", "2999-01-01T00:00:00Z is in the future")


@pytest.mark.parametrize("stamp", ["yesterday", "2026-01-02 03:04:05", "2026-01-02T03:04:05+02:00",
                                   "2026-02-30T00:00:00Z", "２０２６-01-02T03:04:05Z"])
def test_a_timestamp_must_be_iso_8601_utc(cli: Any, ws: Workspace, tmp_path: Path, stamp: str) -> None:
    doc = _exported(ws, tmp_path)
    doc["vendors"][0]["created_at"] = stamp
    path = tmp_path / "stamp.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _import_refused(cli, ws, path, "vendors[0].created_at")


def test_a_key_given_twice_is_refused(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    doc = _exported(ws, tmp_path)
    text = json.dumps(doc).replace('"name": ', '"name": "Shadow", "name": ', 1)
    path = tmp_path / "twice.json"
    path.write_text(text, encoding="utf-8")
    _import_refused(cli, ws, path, "key 'name' appears twice")


def test_a_strict_file_still_imports(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    """The exported file itself passes every check (the rules refuse only what is wrong)."""
    build_rich(ws, tmp_path)
    path = tmp_path / "ok.json"
    path.write_bytes(export_bytes(ws))
    other = tmp_path / "other"
    run = cli("import", str(path), "--trust-key", ANN_FP, data=other)
    assert run.code == 0, run.err
    assert "Acme Copy" in cli("vendors", "list", data=other).out


def _scores_csv(ws: Workspace, tmp: Path, level: str = "", figure: str = "") -> Path:
    path = tmp / "scores.csv"
    path.write_text(f"vendor,rubric,criterion,answer,level,figure\nAcme Copy,gdpr-t,tokens,level,{level},{figure}\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("level", "reason"), [("٣", "not a whole number (ASCII digits 0-9 only)"),
                                               ("1_0", "not a whole number"), ("true", "not a whole number"),
                                               ("2.0", "not a whole number")])
def test_scores_csv_levels_are_ascii_whole_numbers(cli: Any, ws: Workspace, tmp_path: Path, level: str,
                                                   reason: str) -> None:
    build_rich(ws, tmp_path)
    path = _scores_csv(ws, tmp_path, level=level)
    before = ws.store.table_counts()
    run = cli("import", str(path))
    assert run.code == 2
    assert "line 2, column level" in run.out + run.err and reason in run.out + run.err
    assert ws.store.table_counts() == before


@pytest.mark.parametrize("figure", ["inf", "nan", "1e400", "٣ billion", "-Infinity"])
def test_scores_csv_figures_are_finite_ascii(cli: Any, ws: Workspace, tmp_path: Path, figure: str) -> None:
    build_rich(ws, tmp_path)
    path = _scores_csv(ws, tmp_path, level="1", figure=figure)
    before = ws.store.table_counts()
    run = cli("import", str(path))
    assert run.code == 2
    assert "line 2, column figure" in run.out + run.err
    assert ws.store.table_counts() == before


def test_claims_csv_said_on_cannot_be_in_the_future(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    build_rich(ws, tmp_path)
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    path = tmp_path / "claims.csv"
    path.write_text(f"vendor,text,said_on\nAcme Copy,Own model,{later}\n", encoding="utf-8")
    before = ws.store.table_counts()
    run = cli("import", str(path))
    assert run.code == 2
    assert f"line 2, column said_on: {later} is in the future" in run.out + run.err
    assert ws.store.table_counts() == before


# --- the parsers themselves -----------------------------------------------------------------------------

@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_reads_back_every_finite_float(x: float) -> None:
    assert strict.parse_number(repr(x)) == x


@given(st.integers(-(10**18) + 1, 10**18 - 1))
def test_parse_int_reads_back_every_storable_whole_number(n: int) -> None:
    assert strict.parse_int(str(n)) == n


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=4))
def test_only_ascii_digits_are_numbers(digits: str) -> None:
    if digits.isascii():
        assert strict.parse_int(digits) == int(digits)
    else:
        with pytest.raises(ValueError, match="ASCII digits"):
            strict.parse_int(digits)


@pytest.mark.parametrize("value", [True, False, "1", 1.5, None])
def test_check_int_refuses_what_is_not_an_int(value: object) -> None:
    with pytest.raises(ValueError):
        strict.check_int(value)


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, True, "3"])
def test_check_number_refuses_non_finite_and_non_numbers(value: object) -> None:
    with pytest.raises(ValueError):
        strict.check_number(value)


def test_timestamps_allow_a_little_clock_skew_and_no_more() -> None:
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    assert strict.parse_timestamp("2026-06-01T12:04:59Z", now=now)
    with pytest.raises(ValueError, match="in the future"):
        strict.parse_timestamp("2026-06-01T12:05:01Z", now=now)


@pytest.mark.parametrize("hostile", ["/dev/zero", "/etc/shadow", "fifo"])
def test_a_logo_path_from_a_file_is_never_used(cli: Any, ws: Workspace, tmp_path: Path, hostile: str) -> None:
    """A workspace file naming /dev/zero, a FIFO or /etc/shadow as the logo: ignored on import (the brief
    once grew to 7.4 GB or hung); the brief reads only the workspace's own copy of a picked picture."""
    if hostile == "fifo":
        hostile = str(tmp_path / "pipe.png")
        os.mkfifo(hostile)
    doc = _exported(ws, tmp_path)
    doc["settings"].update({"logo_path": hostile, "logo_sha256": "0" * 64, "logo_name": "evil.png"})
    path = tmp_path / "logo.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    other = tmp_path / "other"
    assert cli("import", str(path), "--trust-key", ANN_FP, data=other).code == 0
    fresh = Workspace(other, evaluator="bob")
    try:
        assert not {"logo_path", "logo_sha256", "logo_name"} & set(fresh.store.settings())
    finally:
        fresh.close()
    out = tmp_path / "brief.pdf"
    run = cli("brief", "--out", str(out), "--date", "2026-12-01", data=other)
    assert run.code == 0, run.err
    assert out.stat().st_size < 5_000_000


def test_a_workspace_export_does_not_carry_the_logo_path(ws: Workspace, tmp_path: Path) -> None:
    build_rich(ws, tmp_path)
    ws.store.set_setting("logo_path", "/home/ann/private/logo.png")  # what versions before 2026.12 stored
    assert "/home/ann/private" not in export_bytes(ws).decode()
