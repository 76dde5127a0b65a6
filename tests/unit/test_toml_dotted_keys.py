"""A TOML file with a dotted key of thousands of parts is refused at once as nested too deeply: Python's
parser kept every prefix of such a key, and a 200 KB rubric file took 17 GB before the system killed it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from vendoreval.domain.rubric import RubricError, load_rubric_file
from vendoreval.errors import MAX_NESTING, toml_too_deep


@pytest.mark.parametrize("text", [
    ".".join(["a"] * 100_000) + " = 1\n",
    "[" + ".".join(["a"] * 100_000) + "]\nx = 1\n",
    'id = "r"\n' + ".".join(['"q"'] * 5_000) + " = 1\n",
    "t = { " + " . ".join(["'k'"] * 5_000) + " = 1 }\n",
])
def test_long_dotted_keys_are_too_deep(text: str) -> None:
    started = time.perf_counter()
    assert toml_too_deep(text)
    assert time.perf_counter() - started < 1.0


def test_ordinary_toml_and_dotted_prose_are_not_too_deep() -> None:
    shipped = Path(__file__).resolve().parents[2] / "rubrics"
    for path in shipped.glob("*.toml"):
        assert not toml_too_deep(path.read_text(encoding="utf-8")), path.name
    assert not toml_too_deep(".".join(["a"] * MAX_NESTING) + " = 1\n")  # at the limit: allowed
    assert not toml_too_deep('note = "' + "e.g. " * 1000 + '"\n')  # dots in prose are no key


def test_the_rubric_validator_refuses_it_quickly_naming_the_file(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "deepdot.toml"
    bad.write_text(".".join(["a"] * 100_000) + " = 1\n", encoding="utf-8")
    with pytest.raises(RubricError, match="nested too deeply"):
        load_rubric_file(bad)
    started = time.perf_counter()
    res = cli("rubrics", "validate", str(bad))
    assert res.code == 2 and str(bad) in res.err and "nested too deeply" in res.err
    assert time.perf_counter() - started < 5
