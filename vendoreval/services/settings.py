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
_KEYS = ("evaluator", "organisation", "logo_sha256", "logo_name")
#: Settings a workspace file or bundle never sets: the logo is bytes in this workspace's evidence store,
#: chosen by this workspace's user ("logo_path" is what versions before 2026.12 stored: a path to
#: whatever file; a path from an imported file pointed at /dev/zero, a FIFO or /etc/shadow).
#: The team folder (services/team.py) is this machine's: its path, the member name shown there and what
#: was published and imported (digests, times) mean nothing on another machine or in a workspace file.
SETTING_TEAM_FOLDER = "team.folder"
SETTING_TEAM_NAME = "team.name"
SETTING_TEAM_STATE = "team.state"
TEAM_SETTINGS = (SETTING_TEAM_FOLDER, SETTING_TEAM_NAME, SETTING_TEAM_STATE)
LOCAL_SETTINGS = ("logo_sha256", "logo_name", "logo_path", *TEAM_SETTINGS)
#: The largest logo accepted (a logo is a small picture on the cover, not a poster).
MAX_LOGO_BYTES = 2 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


class AppSettings(BaseModel):
    """Settings kept in the workspace: who evaluates, for which organisation, with which logo on briefs."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    evaluator: str = Field(default_factory=default_evaluator, min_length=1, max_length=100)
    organisation: str = Field(default="", max_length=200)
    #: The logo on board briefs: SHA-256 of the image copied into the evidence store ("" for none), and
    #: the name of the file it was copied from (shown in the settings dialog).
    logo_sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")
    logo_name: str = Field(default="", max_length=255)

    @field_validator("evaluator", "organisation", "logo_name")
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


def read_logo(path: str | Path) -> bytes:
    """The bytes of a logo the user picked: a readable regular PNG or JPEG file of at most 2 MB.

    ServiceError naming the file and the reason otherwise (a FIFO, /dev/zero, a folder, an unreadable
    or huge file, or something that is not a PNG or JPEG picture).
    """
    try:
        raw = files.read_bytes(path, max_bytes=MAX_LOGO_BYTES, what="a logo")
    except files.FileProblem as exc:
        raise ServiceError(f"The logo was not changed: {exc}") from None
    if raw.startswith(_PNG) and len(raw) >= 33 and raw[12:16] == b"IHDR":
        width, height = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
        if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:  # a real picture, too big to draw (it was called no PNG)
            raise ServiceError(f"The logo was not changed: {path} is a picture of {width:,} × {height:,} pixels; "
                               f"a logo may be at most {MAX_LOGO_SIDE:,} pixels wide and high.")
    if not _is_picture(raw):
        raise ServiceError(f"The logo was not changed: {path} is not a PNG or JPEG picture.")
    return raw


#: The widest and highest logo, in pixels.
MAX_LOGO_SIDE = 20000


def _is_picture(raw: bytes) -> bool:
    """A PNG with a sane IHDR, or a JPEG with its start-of-image marker and an end."""
    if raw.startswith(_PNG) and len(raw) >= 33 and raw[12:16] == b"IHDR":
        width, height = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
        return 0 < width <= MAX_LOGO_SIDE and 0 < height <= MAX_LOGO_SIDE
    return raw.startswith(_JPEG) and len(raw) > 64 and b"\xff\xd9" in raw[-1024:]


def logo_bytes(ws: Workspace) -> bytes | None:
    """The logo's bytes from the evidence store, or None (none set, or the copy is missing or damaged)."""
    sha = load_settings(ws).logo_sha256
    if not sha or not ws.store.blobs.has(sha) or not ws.store.blobs.verify(sha):
        return None
    try:
        return ws.store.blobs.read(sha)
    except Exception:  # BlobError: a damaged store must not stop a brief
        return None


def save_settings(ws: Workspace, settings: AppSettings, *, logo_file: str | Path | None = None,
                  expected: dict[str, int] | None = None) -> AppSettings:
    """Validate and store the settings in one transaction, one audit entry per changed field.

    ``logo_file``: a picture the user picked; it is checked (``read_logo``) and copied into the
    evidence store before anything is written, and the settings then name its SHA-256. To remove
    the logo, pass settings with an empty ``logo_sha256``.
    ``expected``: ``settings_revisions`` when the user began editing; a setting changed in between
    (another window, the command line) is not overwritten: StaleEdit, nothing saved.
    """
    try:
        new = AppSettings.model_validate(settings.model_dump())
    except ValidationError as exc:
        raise ServiceError(f"Invalid settings: {validation_message(exc)}") from None
    if logo_file is not None and str(logo_file).strip():
        raw = read_logo(str(logo_file).strip())
        sha, _size = ws.store.blobs.put_bytes(raw, Path(logo_file).name)  # content-addressed: harmless if unused
        new = new.model_copy(update={"logo_sha256": sha, "logo_name": Path(logo_file).name[:255]})
    elif new.logo_sha256 and not ws.store.blobs.has(new.logo_sha256):
        raise ServiceError("The logo was not changed: its stored copy is missing; choose the picture again.")
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
