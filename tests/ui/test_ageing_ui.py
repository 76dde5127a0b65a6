"""Ageing in the app: evidence dates and claim review dates set from the tabs (undoable), the Due for
review list with stale rows, and opening a vendor from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from vendoreval.services.ageing import AgeingService, today


def _vendor_with_items(window, tmp_path: Path):  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Brightwave"})
    ws = window.session.ws
    doc = tmp_path / "iso27001.pdf"
    doc.write_bytes(b"%PDF-1.4 certificate")
    ws.evidence.add_file(vendor.id, doc, title="ISO 27001 certificate")
    ws.claims.add(vendor.id, "Fully GDPR compliant.")
    return vendors, vendor


def test_evidence_dates_from_the_tab_and_undo(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vendors, vendor = _vendor_with_items(window, tmp_path)
    tab = vendors.detail.evidence
    vendors.detail.tabs.setCurrentWidget(tab)
    tab.refresh()
    assert tab.dates_button.isEnabled()
    last_year = (today() - dt.timedelta(days=400)).isoformat()
    expired = (today() - dt.timedelta(days=10)).isoformat()
    assert tab.edit_dates((last_year, expired))
    svc = AgeingService(window.session.ws)
    (item,) = window.session.ws.evidence.list(vendor.id)
    assert svc.evidence_dates(item.id).valid_until == today() - dt.timedelta(days=10)
    window.registry["undo"].trigger()
    assert svc.evidence_dates(item.id).valid_until is None
    # a bad date: a message, nothing saved
    assert not tab.edit_dates(("2026-13-01", ""))
    assert window.session.messages.shown[-1][2] == ("Issued on: '2026-13-01' is not a date (YYYY-MM-DD). "
                                                    "Nothing was saved.")
    future = (today() + dt.timedelta(days=3)).isoformat()
    assert not tab.edit_dates((future, ""))
    assert "is in the future" in window.session.messages.shown[-1][2]
    assert svc.evidence_dates(item.id).effective_on is None


def test_claim_review_by_from_the_tab(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vendors, vendor = _vendor_with_items(window, tmp_path)
    tab = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(tab)
    tab.refresh()
    (claim,) = window.session.ws.claims.list(vendor.id)
    assert tab.set_review_by("2026-01-31")
    assert AgeingService(window.session.ws).review_by(claim.id) == dt.date(2026, 1, 31)
    window.registry["undo"].trigger()
    assert AgeingService(window.session.ws).review_by(claim.id) is None


def test_due_for_review_lists_stale_items_first_and_opens_the_vendor(window, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    vendors, vendor = _vendor_with_items(window, tmp_path)
    other = vendors.new_vendor({"name": "Quill"})
    ws = window.session.ws
    svc = AgeingService(ws)
    (item,) = ws.evidence.list(vendor.id)
    svc.set_evidence_dates(item.id, today() - dt.timedelta(days=200), today() - dt.timedelta(days=5))
    (claim,) = ws.claims.list(vendor.id)
    svc.set_review_by(claim.id, today() + dt.timedelta(days=12))
    vendors.list.select(other.id)
    dialog = window.commands.due_dialog()
    qtbot.addWidget(dialog)
    m = dialog.model
    cells = [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]
    assert [row[1:4] for row in cells] == [["stale", "Brightwave", "Evidence: ISO 27001 certificate"],
                                          ["due soon", "Brightwave", "Claim: Fully GDPR compliant."]]
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None  # stale in red
    assert m.data(m.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert dialog.summary.text().startswith("1 stale, 1 due within 30 days")
    dialog.table.selectRow(0)
    dialog.open_button.click()
    assert vendors.list.current_id() == vendor.id
    assert window.registry["due_review"].shortcut().toString() == "Ctrl+Shift+D"


def test_the_vendor_list_flags_what_is_stale(window, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    vendors, vendor = _vendor_with_items(window, tmp_path)
    ws = window.session.ws
    (item,) = ws.evidence.list(vendor.id)
    AgeingService(ws).set_evidence_dates(item.id, today() - dt.timedelta(days=200), today() - dt.timedelta(days=5))
    model = vendors.list.model
    col = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("Review")
    qtbot.waitUntil(lambda: model.data(model.index(model.row_of(vendor.id), col)) == "⚠ 1 stale", timeout=3000)
    row = model.row_of(vendor.id)
    assert "ISO 27001 certificate" in model.data(model.index(row, col), Qt.ItemDataRole.ToolTipRole)
