"""Vendors with decision and overall scores, for the vendor list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from ...domain.models import Decision, Vendor
from .rows import Column, RowsModel, fmt_score


@dataclass(frozen=True)
class VendorRow:
    """One vendor as listed: the vendor, its overall claimed and evidence-weighted scores, knock-out."""

    vendor: Vendor
    claimed: float | None = None
    evidence: float | None = None
    knocked_out: bool = False
    pending: bool = False  # totals still being computed in the background
    #: What is past its date as of today: 'Evidence "SOC 2": expired on …' lines (domain.ageing.DueItem.line)
    stale: tuple[str, ...] = ()
    #: False while the review dates are still being read (at launch, with the background count of totals)
    stale_known: bool = True


def _review(r: VendorRow) -> str:
    if not r.stale_known:
        return "…"
    return f"⚠ {len(r.stale)} stale" if r.stale else ""


def _review_tip(r: VendorRow) -> str:
    if not r.stale_known:
        return "Reading the review dates…"
    return "\n".join(r.stale) or "Nothing is past its review date"


def _score(value: float | None, row: VendorRow) -> str:
    return "…" if row.pending else fmt_score(value)


def _score_key(r: VendorRow) -> float:
    return -1.0 if r.evidence is None else r.evidence


class VendorListModel(RowsModel[VendorRow]):
    """Name, product, decision, evidence-weighted and claimed overall score."""

    columns = (
        Column[VendorRow]("Vendor", lambda r: r.vendor.name + (" (archived)" if r.vendor.archived else ""),
                          tooltip=lambda r: r.vendor.description or r.vendor.name),
        Column[VendorRow]("Product", lambda r: r.vendor.product),
        Column[VendorRow]("Decision", lambda r: Decision(r.vendor.decision).label,
                          sort=lambda r: list(Decision).index(Decision(r.vendor.decision))),
        Column[VendorRow]("Evidence", lambda r: _score(r.evidence, r) + (" ✗" if r.knocked_out else ""),
                          sort=_score_key, align_right=True,
                          header_tip="Evidence-weighted overall score, 0–100: levels discounted by evidence strength",
                          tooltip=lambda r: "Evidence-weighted overall score (0–100)"
                          + ("; knocked out by a failed criterion" if r.knocked_out else "")),
        Column[VendorRow]("Claimed", lambda r: _score(r.claimed, r),
                          sort=lambda r: -1.0 if r.claimed is None else r.claimed, align_right=True,
                          header_tip="Claimed overall score, 0–100: the vendor's claims taken at face value",
                          tooltip=lambda r: "Overall score taking the vendor's claims at face value (0–100)"),
        Column[VendorRow]("Review", _review, sort=lambda r: -len(r.stale),
                          header_tip="Claims, evidence or the whole assessment past their review date "
                                     "(Vendor → Due for review)",
                          tooltip=_review_tip),
    )

    _italic: QFont | None = None

    def extra_data(self, row: VendorRow, column: int, role: int) -> Any:
        """Archived vendors in italics."""
        if role == Qt.ItemDataRole.FontRole and row.vendor.archived:
            if VendorListModel._italic is None:
                VendorListModel._italic = QFont()
                VendorListModel._italic.setItalic(True)
            return VendorListModel._italic
        return None

    def row_of(self, vendor_id: str) -> int:
        """Position of a vendor (-1 if absent)."""
        for i, r in enumerate(self._rows):
            if r.vendor.id == vendor_id:
                return i
        return -1
