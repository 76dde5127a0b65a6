"""Noticing what other writers (another window, the command line, an import in another process) committed.

SQLite's ``PRAGMA data_version`` changes when another connection commits to the database and stays the
same for this connection's own commits; reading it touches no table, so the app asks about once a
second. When it changed, the rubric library takes in snapshots another writer added, and the
workspace's listeners hear ``Change("workspace", OUTSIDE)``: every visible page re-reads what it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .workspace import Change

if TYPE_CHECKING:
    from .workspace import Workspace

#: The ``entity_id`` of the change announced for another writer's commits.
OUTSIDE = "outside"


class OutsideWrites:
    """Asks a workspace's connection whether another one committed since the last time (``poll``)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._version = ws.store.data_version()
        self._rubrics = ws.store.rubric_version_count()

    def poll(self) -> bool:
        """True (and listeners told) when another connection committed since the last poll."""
        version = self.ws.store.data_version()
        if version == self._version:
            return False
        self._version = version
        rubrics = self.ws.store.rubric_version_count()
        if rubrics != self._rubrics:  # a scorecard on a rubric version this window has not seen
            self._rubrics = rubrics
            self.ws.library.reload()
        self.ws.notify(Change("workspace", OUTSIDE))
        return True
