"""Every rubric version in the library (shipped, user-added, kept in the workspace)."""

from __future__ import annotations

from ...domain.rules import version_key
from ...services.library import LibraryEntry
from .rows import Column, RowsModel

_ORIGIN = {"shipped": "Shipped", "user": "Added by you", "workspace": "Kept in this workspace"}


class RubricListModel(RowsModel[LibraryEntry]):
    """Title, version, number of criteria, origin."""

    columns = (
        Column[LibraryEntry]("Rubric", lambda e: e.rubric.title, tooltip=lambda e: e.rubric.description),
        Column[LibraryEntry]("Version", lambda e: e.rubric.version, sort=lambda e: version_key(e.rubric.version)),
        Column[LibraryEntry]("Criteria", lambda e: str(len(e.rubric.criteria)), sort=lambda e: len(e.rubric.criteria),
                             align_right=True),
        Column[LibraryEntry]("Origin", lambda e: _ORIGIN.get(e.origin, e.origin),
                             tooltip=lambda e: str(e.path) if e.path else "A snapshot stored in the workspace"),
    )
