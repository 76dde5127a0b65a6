"""Typed application settings (evaluator, organisation, logo) and the list of recently opened workspaces."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import files
from ..paths import config_dir
from .vendors import validation_message
from .workspace import ServiceError, StaleEdit, default_evaluator

if TYPE_CHECKING:
    from .workspace import Workspace

RECENT_FILE = "recent_workspaces.json"
MAX_RECENT = 8
_KEYS = ("evaluator", "organisation", "logo_path")


class AppSettings(BaseModel):
    """Settings kept in the workspace: who evaluates, for which organisation, with which logo on briefs."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    evaluator: str = Field(default_factory=default_evaluator, min_length=1, max_length=100)
    organisation: str = Field(default="", max_length=200)
    logo_path: str = ""

    @field_validator("evaluator", "organisation", "logo_path")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()


def load_settings(ws: Workspace) -> AppSettings:
    """The workspace's settings (defaults for anything unset or unreadable)."""
    stored = {k: v for k, v in ws.store.settings().items() if k in _KEYS and isinstance(v, str)}
    try:
        return AppSettings.model_validate(stored)
    except ValidationError:
        return AppSettings()


def settings_revisions(ws: Workspace) -> dict[str, int]:
    """The revision of each stored setting (0 for one never stored): pass it back to ``save_settings``."""
    stored = ws.store.setting_revisions()
    return {k: stored.get(k, 0) for k in _KEYS}


def save_settings(ws: Workspace, settings: AppSettings, *, expected: dict[str, int] | None = None) -> AppSettings:
    """Validate and store the settings in one transaction, one audit entry per changed field.

    ``expected``: ``settings_revisions`` when the user began editing; a setting changed in between
    (another window, the command line) is not overwritten: StaleEdit, nothing saved.
    """
    try:
        new = AppSettings.model_validate(settings.model_dump())
    except ValidationError as exc:
        raise ServiceError(f"Invalid settings: {validation_message(exc)}") from None
    if new.logo_path and not Path(new.logo_path).is_file():
        raise ServiceError(f"The logo file {new.logo_path} does not exist.")
    old = load_settings(ws)
    changed = [k for k in _KEYS if getattr(old, k) != getattr(new, k)]
    if not changed:
        return new
    with ws.unit_of_work() as uow:
        if expected is not None:  # read under the write lock
            now = settings_revisions(ws)
            moved = [k for k in changed if now[k] != expected.get(k, 0)]
            if moved:
                raise StaleEdit(f"The setting(s) {', '.join(k.replace('_', ' ') for k in moved)} were changed "
                                "elsewhere (in another window or on the command line) while you edited them; "
                                "nothing was saved. Open the settings again to see the latest values.",
                                current=load_settings(ws), field=moved[0])
        for key in changed:
            ws.store.set_setting(key, getattr(new, key))
            uow.audit("settings", "settings", key, field=key, old=getattr(old, key), new=getattr(new, key),
                      summary=f"Changed setting {key.replace('_', ' ')}")
        uow.changed("settings", "app")
        uow.after_commit(lambda: setattr(ws, "evaluator", new.evaluator))  # only once it is saved
    return new


def _recent_path() -> Path:
    return config_dir() / RECENT_FILE


def recent_workspaces() -> list[Path]:
    """Recently opened data folders, newest first (a damaged list reads as empty)."""
    try:
        raw = json.loads(_recent_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: nested too deeply for the parser
        return []
    if not isinstance(raw, list):
        return []
    return [Path(p) for p in raw if isinstance(p, str)][:MAX_RECENT]


def remember_workspace(folder: Path) -> list[Path]:
    """Put ``folder`` at the top of the recent list, written atomically (a failure is only logged)."""
    folder = Path(folder).resolve()
    items = [folder, *[p for p in recent_workspaces() if p != folder]][:MAX_RECENT]
    try:
        files.write_text_atomic(_recent_path(), json.dumps([str(p) for p in items], indent=2), parents=True)
    except files.FileProblem as exc:  # the list is a convenience: the workspace opens all the same
        logging.getLogger(__name__).warning("recent workspaces not saved: %s", exc)
    return items
