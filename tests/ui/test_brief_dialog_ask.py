"""The brief dialog's 'The ask' group: its fields become the request, bad dates are refused, mnemonics work."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QLabel

from tests.integration.test_brief_pdf import populate
from tests.ui.test_brief_dialog import stray_ampersands
from vendoreval.services.brief import FALLBACK_STOP, BriefResult
from vendoreval.ui.dialogs.brief_dialog import BriefDialog, export_brief
from vendoreval.ui.tasks import SyncRunner

VENDORS = [("v1", "Acme"), ("v2", "Beta")]


def dialog(qtbot: Any, tmp_path: Path) -> BriefDialog:
    dlg = BriefDialog(2, tmp_path / "b.pdf", None, profiles=["balanced"], vendors=VENDORS)
    qtbot.addWidget(dlg)
    return dlg


def test_the_ask_becomes_the_request(qtbot: Any, tmp_path: Path) -> None:
    dlg = dialog(qtbot, tmp_path)
    assert dlg.request().owner == "" and dlg.request().fallback == "" and dlg.request().purpose == "decision"
    for edit, text in ((dlg.owner, " Maria Lopez "), (dlg.owner_role, "CMO"), (dlg.meeting_date, "2026-12-10"),
                       (dlg.agenda_item, "7"), (dlg.paper, "BP-41"), (dlg.paper_version, "2"), (dlg.author, "Sam"),
                       (dlg.contract_to, "the Audit Committee"), (dlg.contract_by, "2027-02-26")):
        qtbot.keyClicks(edit, text)
    # the fallback is a vendor of the list, or stop
    assert [dlg.fallback.itemText(i) for i in range(dlg.fallback.count())] == [
        "— (none)", "Acme", "Beta", "Stop the procurement"]
    dlg.fallback.setCurrentIndex(2)
    dlg.purpose.setCurrentIndex(1)
    req = dlg.request()
    assert (req.owner, req.owner_role, req.meeting_date, req.agenda_item, req.paper, req.paper_version, req.author,
            req.purpose, req.fallback, req.contract_to, req.contract_by) == (
        "Maria Lopez", "CMO", dt.date(2026, 12, 10), "7", "BP-41", "2", "Sam", "information", "v2",
        "the Audit Committee", dt.date(2027, 2, 26))
    dlg.fallback.setCurrentIndex(3)
    assert dlg.request().fallback == FALLBACK_STOP
    assert dlg.problem() == ""


@pytest.mark.parametrize(("field", "name"), [("meeting_date", "Meeting date"), ("contract_by", "Final contract by")])
def test_a_bad_date_is_refused_naming_the_field(qtbot: Any, tmp_path: Path, field: str, name: str) -> None:
    dlg = dialog(qtbot, tmp_path)
    getattr(dlg, field).setText("10/12/2026")
    assert dlg.problem() == f"{name}: '10/12/2026' is not a date of the form YYYY-MM-DD."
    getattr(dlg, field).setText("")
    assert dlg.problem() == ""


def test_mnemonics_of_the_ask_reach_their_fields(qtbot: Any, tmp_path: Path) -> None:
    dlg = dialog(qtbot, tmp_path)
    dlg.show()
    assert stray_ampersands(dlg) == []
    labels = {label.text(): label for label in dlg.findChildren(QLabel)}
    assert labels["&Owner:"].buddy() is dlg.owner and labels["&Fallback:"].buddy() is dlg.fallback
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow, timeout=10000)
    dlg.title.setFocus()
    qtbot.keyClick(dlg, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert dlg.meeting_date.hasFocus()
    shots = os.environ.get("VENDOREVAL_SHOTS")
    if shots:  # a look at the dialog: VENDOREVAL_SHOTS=/tmp/shots pytest tests/ui/test_brief_dialog_ask.py
        dlg.grab().save(str(Path(shots) / "brief-dialog.png"))


def test_the_recommended_vendor_as_fallback_is_refused(qtbot: Any, ws: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    populate(ws, 2, hostile=False, second_evaluator=False)
    acme = ws.vendors.find("Acme Analytics")  # ranks first
    out = tmp_path / "brief.pdf"

    def fake_exec(self: BriefDialog) -> int:
        self.path.setText(str(out))
        self.date.setDate(QDate(2026, 11, 27))
        self.fallback.setCurrentIndex(self.fallback.findData(acme.id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BriefDialog, "exec", fake_exec)
    seen: list[tuple[BriefResult | None, str]] = []
    assert export_brief(ws, None, runner=SyncRunner(), on_finished=lambda r, m: seen.append((r, m)))
    result, message = seen[0]
    assert result is None and not out.exists()
    assert "Acme Analytics is the recommended vendor" in message


def test_a_contract_due_before_the_meeting_keeps_the_dialog_open(qtbot: Any, tmp_path: Path) -> None:
    """The refusal came after the dialog had closed (the user opened it again to fix the date); now the
    dialog says why and stays open with every field as typed."""
    dlg = dialog(qtbot, tmp_path)
    dlg.date.setDate(QDate(2026, 12, 3))
    dlg.meeting_date.setText("2026-12-15")
    dlg.contract_by.setText("2026-12-10")
    assert dlg.problem() == ("Final contract by: the final contract is due 2026-12-10, before the meeting of "
                             "2026-12-15 that is to approve it: give a later date.")
    dlg.contract_by.setText("2026-12-01")
    dlg.meeting_date.clear()
    assert "before the brief's own date 2026-12-03" in dlg.problem()
    dlg.contract_by.setText("2026-12-20")
    assert dlg.problem() == ""
