"""Typed settings stored in the workspace, and the atomic recent-workspaces list."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendoreval.services import ServiceError, Workspace
from vendoreval.services.settings import (
    AppSettings,
    load_settings,
    recent_workspaces,
    remember_workspace,
    save_settings,
)
from vendoreval.services.workspace import default_evaluator


def test_defaults_use_os_user(ws: Workspace) -> None:
    s = load_settings(ws)
    assert s.evaluator == default_evaluator()
    assert s.organisation == ""


def test_save_round_trips_and_audits_once_per_field(ws: Workspace, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"png")
    save_settings(ws, AppSettings(evaluator=" Ann ", organisation="Acme", logo_path=str(logo)))
    again = load_settings(ws)
    assert (again.evaluator, again.organisation, again.logo_path) == ("Ann", "Acme", str(logo))
    assert ws.evaluator == "Ann"
    entries = [e for e in ws.history() if e.action == "settings"]
    assert sorted(e.field for e in entries) == ["evaluator", "logo_path", "organisation"]
    save_settings(ws, again)
    assert len([e for e in ws.history() if e.action == "settings"]) == 3


def test_invalid_settings_are_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="evaluator"):
        save_settings(ws, AppSettings.model_construct(evaluator="", organisation="", logo_path=""))
    with pytest.raises(ServiceError, match="logo"):
        save_settings(ws, AppSettings(evaluator="a", logo_path=str(tmp_path / "missing.png")))


def test_recent_workspaces_newest_first_without_duplicates(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    remember_workspace(a)
    remember_workspace(b)
    remember_workspace(a)
    assert recent_workspaces() == [a.resolve(), b.resolve()]


def test_damaged_recent_list_reads_empty(tmp_path: Path) -> None:
    remember_workspace(tmp_path)
    from vendoreval.paths import config_dir

    (config_dir() / "recent_workspaces.json").write_text("{not json", encoding="utf-8")
    assert recent_workspaces() == []
    assert not list(config_dir().glob("*.tmp"))
