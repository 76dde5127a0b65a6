"""A vendor's evidence: files, URLs and notes."""

from __future__ import annotations

from ...domain.models import Evidence, EvidenceKind
from .rows import Column, RowsModel


def _size(e: Evidence) -> str:
    if e.size is None:
        return ""
    if e.size < 1024:
        return f"{e.size} B"
    if e.size < 1024 * 1024:
        return f"{e.size / 1024:.0f} KB"
    return f"{e.size / 1024 / 1024:.1f} MB"


class EvidenceModel(RowsModel[Evidence]):
    """Title, kind, original file name or URL, size, date added."""

    columns = (
        Column[Evidence]("Title", lambda e: e.title or e.original_name or e.url or ""),
        Column[Evidence]("Kind", lambda e: EvidenceKind(e.kind).value),
        Column[Evidence]("File or URL", lambda e: e.original_name or e.url or e.note[:80],
                         tooltip=lambda e: f"SHA-256 {e.sha256}" if e.sha256 else (e.url or e.note)),
        Column[Evidence]("Size", _size, sort=lambda e: e.size or 0, align_right=True),
        Column[Evidence]("Added", lambda e: e.created_at[:10]),
    )
