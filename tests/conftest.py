"""Shared fixtures: an isolated home, a temporary workspace, and the CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own VENDOREVAL_HOME, so nothing touches the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("VENDOREVAL_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder."""
    d = tmp_path / "workspace"
    d.mkdir()
    return d


@pytest.fixture
def ws(data_dir: Path) -> Iterator[object]:
    """An open workspace in a temporary data folder, evaluator 'ann'."""
    from vendoreval.services import Workspace

    w = Workspace(data_dir, evaluator="ann")
    yield w
    w.close()


@dataclass
class CliResult:
    """What a CLI run printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], data_dir: Path):  # type: ignore[no-untyped-def]
    """Run `vendoreval --data-dir <tmp> ARGS...` in-process; returns a CliResult."""
    from vendoreval.cli import main

    def run(*args: str, data: Path | None = None) -> CliResult:
        code = main(["--data-dir", str(data or data_dir), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
