"""Ageing in the app: evidence dates and claim review dates set from the tabs (undoable), the Due for
review list with stale rows, and opening a vendor from it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer

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


def test_at_launch_the_review_column_waits_for_the_background_count(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """On a workspace of more than a few vendors the window paints before the review dates are read: the column
    says '…' (not 'nothing is due') until the background count brings them."""
    from PySide6.QtCore import QSettings

    from vendoreval.services.workspace import Workspace
    from vendoreval.ui.main_window import MainWindow
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.tasks import ThreadRunner

    data = tmp_path / "ws"
    seed = Workspace(data, evaluator="ann")
    ids = [seed.vendors.create(f"Vendor {i:02d}").id for i in range(25)]
    doc = tmp_path / "soc2.pdf"
    doc.write_bytes(b"%PDF-1.4 report")
    item = seed.evidence.add_file(ids[3], doc, title="SOC 2 report")
    AgeingService(seed).set_evidence_dates(item.id, today() - dt.timedelta(days=400), today() - dt.timedelta(days=9))
    seed.close()

    runner = ThreadRunner()
    ws = Workspace(data, evaluator="ann")
    window = MainWindow(ws, messages=RecordingMessages(), runner=runner,
                        settings=QSettings(str(tmp_path / "q.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    model = window.page("vendors").list.model
    col = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("Review")
    row = model.row_of(ids[3])
    assert model.data(model.index(row, col)) == "…"  # built, not yet painted: nothing read yet
    assert model.data(model.index(row, col), Qt.ItemDataRole.ToolTipRole) == "Reading the review dates…"
    window.show()
    qtbot.waitUntil(lambda: model.data(model.index(model.row_of(ids[3]), col)) == "⚠ 1 stale", timeout=10000)
    row = model.row_of(ids[3])
    assert "SOC 2 report" in model.data(model.index(row, col), Qt.ItemDataRole.ToolTipRole)
    other = model.row_of(ids[4])
    assert model.data(model.index(other, col)) == ""
    assert model.data(model.index(other, col), Qt.ItemDataRole.ToolTipRole) == "Nothing is past its review date"
    window.close()
    runner.shutdown()
    ws.close()


def test_an_edit_rereads_only_its_own_vendors_review_dates(window, tmp_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The Review column after an edit: the edited vendor's dates are read again, the others' are kept (on 200
    vendors every edit read all of them on the UI thread); a change of the whole workspace reads all again."""
    vendors, vendor = _vendor_with_items(window, tmp_path)
    others = [vendors.new_vendor({"name": f"Other {i}"}) for i in range(3)]
    ws = window.session.ws
    model = vendors.list.model
    col = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("Review")
    read: list[list[str]] = []
    real = AgeingService.stale_lines

    def spy(self, vendor_ids, as_of=None):  # type: ignore[no-untyped-def]
        read.append(list(vendor_ids))
        return real(self, vendor_ids, as_of)

    monkeypatch.setattr(AgeingService, "stale_lines", spy)
    (item,) = ws.evidence.list(vendor.id)
    AgeingService(ws).set_evidence_dates(item.id, today() - dt.timedelta(days=200), today() - dt.timedelta(days=5))
    qtbot.waitUntil(lambda: model.data(model.index(model.row_of(vendor.id), col)) == "⚠ 1 stale", timeout=3000)
    assert read == [[vendor.id]]
    assert all(model.data(model.index(model.row_of(o.id), col)) == "" for o in others)
    read.clear()
    AgeingService(ws).set_evidence_dates(item.id, None, None)  # no longer stale: the flag goes
    qtbot.waitUntil(lambda: model.data(model.index(model.row_of(vendor.id), col)) == "", timeout=3000)
    assert read == [[vendor.id]]
    read.clear()
    vendors.reload()  # nothing changed: nothing read
    assert read == []
    window.session.changed.emit(_workspace_change())
    qtbot.waitUntil(lambda: len(read) == 1, timeout=3000)
    assert sorted(read[0]) == sorted([vendor.id, *(o.id for o in others)])


def _workspace_change():  # type: ignore[no-untyped-def]
    from vendoreval.services.workspace import Change

    return Change("workspace", "test")


def test_a_valid_until_before_issued_on_is_said_in_the_dialog_which_stays_open(window, tmp_path: Path,
                                                                                qtbot) -> None:  # type: ignore[no-untyped-def]
    """A tester typed Issued on 2026-06-01, Valid until 2025-01-01 and Return: the error spoke of an "effective
    date" and the dialog closed, both dates lost. Now it stays open with them, saying why in the fields' names."""
    from PySide6.QtWidgets import QApplication

    from vendoreval.ui.dialogs.dates_dialog import EvidenceDatesDialog

    vendors, vendor = _vendor_with_items(window, tmp_path)
    tab = vendors.detail.evidence
    vendors.detail.tabs.setCurrentWidget(tab)
    tab.refresh()
    tab.table.selectRow(0)
    issued, until = (today() - dt.timedelta(days=200)).isoformat(), (today() - dt.timedelta(days=600)).isoformat()
    seen: dict[str, object] = {}

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EvidenceDatesDialog)
        dialog.effective.setText(issued)
        dialog.until.setText(until)
        dialog.effective.setFocus()
        qtbot.keyClick(dialog.effective, Qt.Key.Key_Return)
        seen.update(open=dialog.isVisible(), values=dialog.values(), error=dialog.error.text(),
                    focus=dialog.focusWidget() is dialog.until)  # back to the date to change
        if os.environ.get("SHOTS"):
            dialog.grab().save(os.environ["SHOTS"] + "/evidence-dates-refused.png")
        dialog.until.setText("")  # typing clears the note; an open-ended document is saved
        seen["cleared"] = dialog.error.text()
        qtbot.keyClick(dialog.until, Qt.Key.Key_Return)

    QTimer.singleShot(0, in_dialog)
    assert tab.edit_dates()
    assert seen["open"] is True and seen["values"] == (issued, until) and seen["focus"] is True
    assert seen["error"] == (f"“Valid until” {until} is before the “Issued on” date {issued}. "
                             "Change it, or Cancel to keep the dates as they were.")
    assert "effective" not in str(seen["error"]) and seen["cleared"] == ""
    assert window.session.messages.shown == []  # said in the dialog, not in a second one
    (item,) = window.session.ws.evidence.list(vendor.id)
    dates = AgeingService(window.session.ws).evidence_dates(item.id)
    assert (dates.effective_on, dates.valid_until) == (dt.date.fromisoformat(issued), None)
