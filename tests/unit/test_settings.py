"""Typed settings stored in the workspace, and the atomic recent-workspaces list."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from vendoreval.services import ServiceError, Workspace
from vendoreval.services.settings import (
    MAX_LOGO_BYTES,
    AppSettings,
    load_settings,
    logo_bytes,
    recent_workspaces,
    remember_workspace,
    save_settings,
)
from vendoreval.services.workspace import default_evaluator


def test_defaults_use_os_user(ws: Workspace) -> None:
    s = load_settings(ws)
    assert s.evaluator == default_evaluator()
    assert s.organisation == ""


def _png(path: Path, size: tuple[int, int] = (120, 40)) -> Path:
    from PIL import Image

    Image.new("RGB", size, (31, 78, 121)).save(path)
    return path


def test_save_round_trips_and_audits_once_per_field(ws: Workspace, tmp_path: Path) -> None:
    logo = _png(tmp_path / "logo.png")
    save_settings(ws, AppSettings(evaluator=" Ann ", organisation="Acme"), logo_file=str(logo))
    again = load_settings(ws)
    sha = hashlib.sha256(logo.read_bytes()).hexdigest()
    assert (again.evaluator, again.organisation, again.logo_sha256, again.logo_name) == ("Ann", "Acme", sha,
                                                                                         "logo.png")
    assert ws.evaluator == "Ann"
    entries = [e for e in ws.history() if e.action == "settings"]
    assert sorted(e.field for e in entries) == ["evaluator", "logo_name", "logo_sha256", "organisation"]
    save_settings(ws, again)
    assert len([e for e in ws.history() if e.action == "settings"]) == 4


def test_the_logo_is_a_copy_the_original_can_go(ws: Workspace, tmp_path: Path) -> None:
    logo = _png(tmp_path / "logo.png")
    data = logo.read_bytes()
    save_settings(ws, AppSettings(evaluator="Ann"), logo_file=logo)
    logo.unlink()
    assert logo_bytes(ws) == data
    save_settings(ws, load_settings(ws).model_copy(update={"logo_sha256": "", "logo_name": ""}))
    assert logo_bytes(ws) is None


def _fifo(tmp: Path) -> Path:
    path = tmp / "logo.png"
    os.mkfifo(path)
    return path


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.png"
    with path.open("wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.truncate(MAX_LOGO_BYTES + 1)
    return path


def _unreadable(tmp: Path) -> Path:
    path = _png(tmp / "secret.png")
    path.chmod(0)
    return path


def _not_a_picture(tmp: Path) -> Path:
    path = tmp / "logo.png"
    path.write_bytes(b"GIF89a this is not a PNG")
    return path


def _too_many_pixels(tmp: Path) -> Path:
    """A real PNG header of 24,000 × 24,000 pixels (it was called 'not a PNG or JPEG picture')."""
    path = tmp / "bomb.png"
    ihdr = (24000).to_bytes(4, "big") * 2 + bytes([8, 6, 0, 0, 0])
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + len(ihdr).to_bytes(4, "big") + b"IHDR" + ihdr + b"\0" * 40)
    return path


@pytest.mark.parametrize(("make", "reason"), [
    (_too_many_pixels, "a picture of 24,000 × 24,000 pixels; a logo may be at most 20,000 pixels wide and high"),
    (lambda tmp: Path("/dev/zero"), "not a regular file"),
    (_fifo, "not a regular file"),
    (_huge, "a logo may be at most 2.0 MB"),
    (_not_a_picture, "not a PNG or JPEG picture"),
    (lambda tmp: tmp / "missing.png", "no such file"),
    (lambda tmp: tmp, "folder"),
])
def test_a_bad_logo_is_refused_and_nothing_is_saved(ws: Workspace, tmp_path: Path, make, reason: str) -> None:
    path = make(tmp_path)
    before = (load_settings(ws), ws.store.table_counts())
    with pytest.raises(ServiceError) as err:
        save_settings(ws, AppSettings(evaluator="Bea", organisation="Other"), logo_file=str(path))
    assert "logo was not changed" in str(err.value) and reason in str(err.value), str(err.value)
    assert (load_settings(ws), ws.store.table_counts()) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_logo_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="logo was not changed"):
        save_settings(ws, AppSettings(evaluator="Bea"), logo_file=_unreadable(tmp_path))


def test_invalid_settings_are_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="evaluator"):
        save_settings(ws, AppSettings.model_construct(evaluator="", organisation="", logo_sha256="", logo_name=""))
    with pytest.raises(ServiceError, match="logo"):
        save_settings(ws, AppSettings(evaluator="a"), logo_file=str(tmp_path / "missing.png"))


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
