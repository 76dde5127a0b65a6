"""Rubric parsing and validation: every bad input names the file, criterion and reason."""

from __future__ import annotations

import pytest

from tests.factories import criterion, levels, rubric
from vendoreval.domain.rubric import RubricError, load_rubric_file, loads_rubric, parse_rubric, unchanged_criteria

GOOD = """
id = "demo"
version = "1.0"
title = "Demo"
area = "Demo"

[[criteria]]
id = "dpa"
title = "DPA"
question = "Will you sign a DPA?"
weight = 2
knockout_below = 1
duty_applies_from = 2018-05-25

[criteria.scale]
kind = "ordinal"
levels = [
  { level = 0, label = "None", description = "No DPA" },
  { level = 1, label = "Yes", description = "DPA signed" },
]
"""


def test_good_rubric_parses_with_hash():
    r = loads_rubric(GOOD)
    assert r.criterion("dpa").knockout_below == 1
    assert r.criterion("dpa").duty_applies_from.isoformat() == "2018-05-25"
    assert len(r.content_hash) == 64
    assert loads_rubric(GOOD).content_hash == r.content_hash


def _problems(text: str) -> list[str]:
    with pytest.raises(RubricError) as info:
        loads_rubric(text, "x.toml")
    return info.value.problems


def test_toml_syntax_error():
    assert "TOML syntax error" in _problems("id = ")[0]


def test_unknown_key_is_named():
    probs = _problems(GOOD.replace('weight = 2', 'weight = 2\ncolour = "red"'))
    assert any("criterion 'dpa'" in p and "colour" in p for p in probs)


def test_duplicate_criterion_ids():
    dup = GOOD + GOOD[GOOD.index("[[criteria]]"):]
    assert any("duplicate criterion id 'dpa'" in p for p in _problems(dup))


def test_missing_level_description():
    probs = _problems(GOOD.replace(', description = "DPA signed"', ""))
    assert any("criterion 'dpa'" in p and "description" in p for p in probs)


@pytest.mark.parametrize("w", ["0", "-1"])
def test_weight_must_be_positive(w):
    probs = _problems(GOOD.replace("weight = 2", f"weight = {w}"))
    assert any("weight must be greater than 0" in p for p in probs)


def test_file_errors_name_the_path(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_bytes(b"\xff\xfe garbage")
    with pytest.raises(RubricError) as info:
        load_rubric_file(p)
    assert str(p) in str(info.value) and "UTF-8" in str(info.value)
    with pytest.raises(RubricError, match=r"missing\.toml: no such file"):
        load_rubric_file(tmp_path / "missing.toml")


def test_numeric_scale_maps_figures():
    r = rubric(criteria=[{
        "id": "tokens", "title": "Tokens", "question": "How many?",
        "scale": {"kind": "numeric", "unit": "tokens", "thresholds": [1e9, 1e13], "levels": levels(3)},
    }])
    scale = r.criterion("tokens").scale
    assert [scale.level_for_figure(x) for x in (5e8, 1e9, 2e12, 1e13, 5e13)] == [0, 1, 1, 2, 2]


def test_scale_rules():
    with pytest.raises(RubricError, match="thresholds"):
        rubric(criteria=[{"id": "a", "title": "A", "question": "Q", "scale": {"kind": "numeric", "levels": levels(3)}}])
    with pytest.raises(RubricError, match="binary"):
        rubric(criteria=[{"id": "a", "title": "A", "question": "Q", "scale": {"kind": "binary", "levels": levels(3)}}])
    bad = levels(3)
    bad[1]["level"] = 5
    with pytest.raises(RubricError, match="numbered"):
        rubric(criteria=[{"id": "a", "title": "A", "question": "Q", "scale": {"levels": bad}}])
    with pytest.raises(RubricError, match="knockout_below"):
        rubric(criteria=[criterion("a", knockout_below=9)])


def test_unchanged_criteria_carry_over():
    old = rubric(criteria=[criterion("a"), criterion("b"), criterion("c")])
    changed_b = criterion("b")
    changed_b["question"] = "A sharper question?"
    new = rubric(criteria=[criterion("a"), changed_b, criterion("d")], version="2.0")
    assert unchanged_criteria(old, new) == {"a"}


def test_parse_rubric_reports_all_problems():
    with pytest.raises(RubricError) as info:
        parse_rubric({"id": "BAD ID", "version": "1", "title": "", "area": "x", "criteria": []})
    assert len(info.value.problems) >= 3
