"""Composition root without Qt: resolve the data folder and open the workspace."""

from __future__ import annotations

import os
from pathlib import Path

from .paths import data_dir
from .services.workspace import Workspace


def open_workspace(override: str | os.PathLike[str] | None = None, evaluator: str | None = None) -> Workspace:
    """Open the workspace in ``override``, $VENDOREVAL_HOME or the user data dir."""
    return Workspace(Path(data_dir(override)), evaluator=evaluator)
