"""File → Import…: a claims or scores file previewed per line, imported only on confirmation, in one step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from vendoreval.ui.dialogs.import_dialog import ImportPreviewDialog, import_file


def claims_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "claims.csv"
    path.write_text("vendor,text,status\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_preview_marks_each_bad_line_and_import_stays_off(window: Any, tmp_path: Path) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    path = claims_file(tmp_path, "Acme AI,98 % accurate,asserted", "Nobody,Ghost,asserted", "Acme AI,Own model,maybe")
    seen: list[ImportPreviewDialog] = []

    def look(dialog: ImportPreviewDialog) -> bool:
        seen.append(dialog)
        return True  # even a confirmation cannot import a file with problems

    ws = window.session.ws
    assert import_file(ws, window, messages=window.messages, path=path, runner=window.runner, confirm=look) is None
    dialog = seen[0]
    assert dialog.windowTitle() == "Import claims from claims.csv"
    assert dialog.summary.text() == ("<b>3 rows read; 2 problems on 2 lines. Nothing can be imported until the "
                                     "file is fixed.</b>")
    assert not dialog.import_button.isEnabled()
    table = dialog.table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "Line", "Problems", "vendor", "text", "status"]
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert cells == [
        ["2", "", "Acme AI", "98 % accurate", "asserted"],
        ["3", "vendor: unknown vendor 'Nobody' (add it first: New vendor in the app, "
         "`vendoreval vendors add` on the command line)", "Nobody", "Ghost",
         "asserted"],
        ["4", "status: 'maybe' is not one of: asserted, documented, contractually_committed, independently_verified, "
         "contradicted, declined_to_answer", "Acme AI", "Own model", "maybe"],
    ]
    assert [dialog.problems.item(i).text() for i in range(dialog.problems.count())] == [
        "Line 3, vendor: unknown vendor 'Nobody' (add it first: New vendor in the app, "
        "`vendoreval vendors add` on the command line)",
        "Line 4, status: 'maybe' is not one of: asserted, documented, contractually_committed, "
        "independently_verified, contradicted, declined_to_answer"]
    dialog.problems.setCurrentRow(1)
    assert table.currentRow() == 2
    assert table.item(1, 0).background().color().name() == "#f6d5d5"
    assert table.item(0, 0).background().style() == Qt.BrushStyle.NoBrush
    assert ws.claims.list() == []


def test_file_import_writes_everything_on_confirmation_and_nothing_on_cancel(window: Any, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Acme AI"})
    path = claims_file(tmp_path, "Acme AI,98 % accurate,asserted", "acme ai,Own model,declined to answer")
    action = window.registry["import_file"]
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions() and action.shortcut().toString() == "Ctrl+I"
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window.commands.import_file(path)
    assert window.session.ws.claims.list() == []
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    audit = len(window.session.ws.store.audit_ascending())
    window.commands.import_file(path)
    claims = window.session.ws.claims.list(vendor.id)
    assert sorted((c.text, c.status) for c in claims) == [("98 % accurate", "asserted"),
                                                          ("Own model", "declined_to_answer")]
    # one unit of work: an entry per claim and one for the import, written together
    entries = window.session.ws.store.audit_ascending()[audit:]
    assert [e.action for e in entries] == ["create", "create", "import"]
    assert window.messages.shown[-1] == ("info", "Imported",
                                         f"Imported {path} (claims-csv): added 2 claims")
    vendors.detail.tabs.setCurrentWidget(vendors.detail.claims)
    assert sorted(c.text for c in vendors.detail.claims.model.rows()) == ["98 % accurate", "Own model"]


def test_reading_and_importing_run_in_the_background_and_the_views_hear_of_it(qtbot: Any, tmp_path: Path) -> None:
    from vendoreval.services import Workspace
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.tasks import ThreadRunner

    ws = Workspace(tmp_path / "ws", evaluator="ann")
    vendor = ws.vendors.create("Acme AI")
    heard: list[str] = []
    ws.subscribe(lambda change: heard.append(change.entity))
    results: list[object] = []
    try:
        import_file(ws, None, messages=RecordingMessages(), path=claims_file(tmp_path, "Acme AI,Own model,asserted"),
                    runner=ThreadRunner(), confirm=lambda dialog: dialog.preview.ok, on_finished=results.append)
        qtbot.waitUntil(lambda: bool(results), timeout=20_000)
        assert results[0] is not None and [c.text for c in ws.claims.list(vendor.id)] == ["Own model"]
        assert "workspace" in heard
    finally:
        ws.close()
