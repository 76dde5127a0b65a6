"""A vendor's evidence: files, URLs and notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...domain.models import Evidence, EvidenceKind
from ...services.ageing import EvidenceDates
from .rows import Column, RowsModel


def _size(e: Evidence) -> str:
    if e.size is None:
        return ""
    if e.size < 1024:
        return f"{e.size} B"
    if e.size < 1024 * 1024:
        return f"{e.size / 1024:.0f} KB"
    return f"{e.size / 1024 / 1024:.1f} MB"


def valid_text(dates: EvidenceDates | None) -> str:
    """'2026-06-01 → 2027-06-01': issued on → valid until, a dash for the one not given (blank when neither is)."""
    if dates is None or (dates.effective_on is None and dates.valid_until is None):
        return ""
    return " → ".join(d.isoformat() if d else "—" for d in (dates.effective_on, dates.valid_until))


class EvidenceModel(RowsModel[Evidence]):
    """Title, kind, original file name or URL, size, the dates it is valid between, date added."""

    TITLE, KIND, FILE, SIZE, VALID, ADDED = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        #: Issued on / valid until of the rows that have them, by evidence id (set with ``set_rows``).
        self.dates: dict[str, EvidenceDates] = {}
        self.columns = (
            Column[Evidence]("Title", lambda e: e.title or e.original_name or e.url or "",
                             tooltip=lambda e: e.title or e.original_name or e.url or ""),
            Column[Evidence]("Kind", lambda e: EvidenceKind(e.kind).value),
            Column[Evidence]("File or URL", lambda e: e.original_name or e.url or e.note[:80],
                             tooltip=lambda e: f"SHA-256 {e.sha256}" if e.sha256 else (e.url or e.note)),
            Column[Evidence]("Size", _size, sort=lambda e: e.size or 0, align_right=True),
            Column[Evidence]("Valid", lambda e: valid_text(self.dates.get(e.id)),
                             header_tip="Issued on → valid until (set with Dates…); it goes stale after"),
            Column[Evidence]("Added", lambda e: e.created_at[:10]),
        )

    def set_rows(self, rows: Sequence[Evidence], dates: dict[str, EvidenceDates] | None = None) -> None:
        """Replace the rows, with their issued-on and valid-until dates."""
        self.dates = dict(dates or {})
        super().set_rows(rows)
