"""Where things live: the data folder, config and log folders, and shipped resources (source or frozen)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "vendoreval"
ENV_HOME = "VENDOREVAL_HOME"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The workspace folder: an explicit override, else $VENDOREVAL_HOME, else the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Per-user configuration folder (settings that are not part of a workspace)."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser() / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Per-user log folder."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser() / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def _candidates(name: str) -> list[Path]:
    here = Path(__file__).resolve().parent
    out = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        out.append(Path(frozen) / name)
    out.append(here / "_data" / name)  # installed wheel (force-included)
    out.append(here.parent / name)  # source checkout
    return out


def resource_path(*parts: str) -> Path:
    """A file or folder under rubrics/ or resources/, wherever the app runs from (source, wheel, frozen)."""
    top, *rest = parts
    for base in _candidates(top):
        if base.exists():
            return base.joinpath(*rest)
    raise FileNotFoundError(f"shipped resource '{'/'.join(parts)}' not found")


def rubrics_dir() -> Path:
    """The shipped rubric library."""
    return resource_path("rubrics")
