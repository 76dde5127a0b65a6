"""The audit log of a vendor in plain words, newest first."""

from __future__ import annotations

from ...domain.models import AuditEntry
from .rows import Column, RowsModel


def _when(e: AuditEntry) -> str:
    return e.at.replace("T", " ").replace("Z", " UTC")


def _what(e: AuditEntry) -> str:
    text = e.summary or f"{e.action} {e.entity}"
    if e.old is not None and e.new is not None and e.action in ("update", "decide", "settings"):
        text += f": “{e.old[:60]}” → “{e.new[:60]}”"
    return text


class HistoryModel(RowsModel[AuditEntry]):
    """When, who, what."""

    columns = (
        Column[AuditEntry]("When", _when, sort=lambda e: e.at),
        Column[AuditEntry]("Who", lambda e: e.actor),
        Column[AuditEntry]("What happened", _what,
                           tooltip=lambda e: f"{e.summary}\nbefore: {e.old}\nafter: {e.new}"),
    )
