"""Export board brief dialog: entries become the request; the PDF is drawn through the runner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from tests.integration.test_brief_pdf import JAPANESE, populate, text_of
from vendoreval.domain.models import WeightProfile
from vendoreval.services.brief import BriefResult
from vendoreval.ui.dialogs import brief_dialog
from vendoreval.ui.dialogs.brief_dialog import BriefDialog, export_brief, start_export
from vendoreval.ui.tasks import SyncRunner, ThreadRunner


def test_dialog_entries_become_the_request(qtbot: Any, tmp_path: Path) -> None:
    dlg = BriefDialog(3, tmp_path / "brief", None)
    qtbot.addWidget(dlg)
    assert "Choose which AI vendor" in dlg.decision.placeholderText()
    dlg.title.setText("  Q4 choice  ")
    dlg.decision.setPlainText("Approve Acme.")
    dlg.date.setDate(QDate(2026, 11, 27))
    req = dlg.request()
    assert (req.title, req.decision, req.date) == ("Q4 choice", "Approve Acme.", dt.date(2026, 11, 27))
    assert dlg.output_path() == tmp_path / "brief.pdf"
    dlg.path.setText(str(tmp_path / "missing" / "x.pdf"))
    assert "does not exist" in dlg.problem()
    dlg.path.setText("")
    assert dlg.problem()


def test_export_writes_the_pdf_through_the_runner(qtbot: Any, ws: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    populate(ws, 2, hostile=False, second_evaluator=False)
    out = tmp_path / "brief.pdf"

    def fake_exec(self: BriefDialog) -> int:
        self.path.setText(str(out))
        self.date.setDate(QDate(2026, 11, 27))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BriefDialog, "exec", fake_exec)
    seen: list[tuple[BriefResult | None, str]] = []
    assert export_brief(ws, None, runner=SyncRunner(), on_finished=lambda r, m: seen.append((r, m)))
    assert out.read_bytes().startswith(b"%PDF-")
    result, message = seen[0]
    assert result is not None and result.path == out and "Saved the board brief" in message

    monkeypatch.setattr(BriefDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert not export_brief(ws, None, runner=SyncRunner(), on_finished=lambda r, m: seen.append((r, m)))
    assert len(seen) == 1


def test_export_runs_off_the_ui_thread(qtbot: Any, ws: Any, tmp_path: Path) -> None:
    populate(ws, 2, hostile=False, second_evaluator=False)
    out = tmp_path / "threaded.pdf"
    seen: list[tuple[BriefResult | None, str]] = []
    runner = ThreadRunner()
    start_export(ws, brief_dialog.BriefRequest(date=dt.date(2026, 11, 27)), out, None, runner=runner,
                 on_finished=lambda r, m: seen.append((r, m)))
    qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    assert seen[0][0] is not None and out.is_file()


def test_unwritable_target_reports_an_error(qtbot: Any, ws: Any, tmp_path: Path) -> None:
    populate(ws, 1, hostile=False, second_evaluator=False)
    seen: list[tuple[BriefResult | None, str]] = []
    target = tmp_path / "no-such-folder" / "x.pdf"
    start_export(ws, brief_dialog.BriefRequest(date=dt.date(2026, 11, 27)), target, None, runner=SyncRunner(),
                 on_finished=lambda r, m: seen.append((r, m)))
    assert seen[0][0] is None and "could not be saved" in seen[0][1]


def test_export_uses_the_chosen_profile_and_vendors(qtbot: Any, ws: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    populate(ws, 4, hostile=False, second_evaluator=False)
    ws.profiles.save(WeightProfile(name="privacy heavy", rubric_weights={"t-privacy": 3.0}))
    names = {v.id: v.name for v in ws.vendors.list()}
    keep = {"Acme Analytics", JAPANESE}
    out = tmp_path / "chosen.pdf"
    shown: list[BriefDialog] = []

    def fake_exec(self: BriefDialog) -> int:
        shown.append(self)
        assert self.profile.currentData() == "balanced"  # no Compare page open: the default profile
        assert [self.profile.itemData(i) for i in range(self.profile.count())] == [
            p.name for p in ws.profiles.list()]
        assert len(self.checked_vendor_ids()) == 4  # every vendor ticked at first
        self.profile.setCurrentIndex(self.profile.findData("privacy heavy"))
        for i in range(self.vendors.count()):
            item = self.vendors.item(i)
            if item.text() not in keep:
                item.setCheckState(Qt.CheckState.Unchecked)
        self.path.setText(str(out))
        self.date.setDate(QDate(2026, 11, 27))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BriefDialog, "exec", fake_exec)
    seen: list[tuple[BriefResult | None, str]] = []
    assert export_brief(ws, None, runner=SyncRunner(), on_finished=lambda r, m: seen.append((r, m)))
    result = seen[0][0]
    assert result is not None, seen[0][1]
    assert {names[i] for i in shown[0].checked_vendor_ids()} == keep
    assert {r.vendor for r in result.data.summary.ranking} == keep
    text = text_of(out)
    assert "Weightprofile:privacyheavy." in text
    for name in names.values():
        assert (name.replace(" ", "") in text) == (name in keep), name


def test_no_vendor_ticked_is_refused(qtbot: Any, tmp_path: Path) -> None:
    dlg = BriefDialog(2, tmp_path / "b.pdf", None, profiles=["balanced", "mine"], profile="mine",
                      vendors=[("v1", "One"), ("v2", "Two")])
    qtbot.addWidget(dlg)
    assert dlg.request().profile == "mine" and dlg.request().vendor_ids is None  # all ticked: every vendor
    dlg.vendors.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dlg.request().vendor_ids == ("v2",)
    assert "Approve contract negotiations" in dlg.decision.placeholderText()  # one vendor left
    dlg.vendors.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert "at least one vendor" in dlg.problem()


def stray_ampersands(root: QWidget) -> list[str]:
    """Texts in ``root`` that show a mnemonic '&' literally: a plain label without a buddy, or a window title.

    Buttons and labels with a buddy turn '&x' into an underlined x (Alt+X); '&&' is a real ampersand; rich-text
    labels write their ampersands as entities.
    """
    def marker(text: str) -> bool:
        return "&" in text.replace("&&", "")

    bad = [f"window title {root.windowTitle()!r}"] if marker(root.windowTitle()) else []
    for label in root.findChildren(QLabel):
        fmt = label.textFormat()
        rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText
                                                 and QtGuiNamespace.mightBeRichText(label.text()))
        if not rich and label.buddy() is None and marker(label.text()):
            bad.append(f"label {label.text()!r}")
    return bad


def test_no_label_shows_a_literal_ampersand(qtbot: Any, tmp_path: Path) -> None:
    dlg = BriefDialog(2, tmp_path / "b.pdf", None, profiles=["balanced"], vendors=[("v1", "One"), ("v2", "Two")])
    qtbot.addWidget(dlg)
    dlg.show()
    assert stray_ampersands(dlg) == []
    texts = [label.text() for label in dlg.findChildren(QLabel)]
    assert "&Save as:" in texts  # shown as "Save as:" with the S underlined
    labels = {label.text(): label for label in dlg.findChildren(QLabel)}
    assert labels["&Save as:"].buddy() is dlg.path
    # Alt+S takes the user to the file name
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow, timeout=10000)
    dlg.title.setFocus()
    qtbot.waitUntil(dlg.title.hasFocus, timeout=5000)
    qtbot.keyClick(dlg, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert dlg.path.hasFocus()


def test_the_stray_ampersand_check_can_fail(qtbot: Any) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    QLabel("&Save as:", widget)
    QLabel("Terms &amp; conditions <b>apply</b>", widget)
    QLabel("R&&D", widget)
    assert stray_ampersands(widget) == ["label '&Save as:'"]


def test_the_format_box_picks_docx_and_the_annex_goes_to_its_own_pdf(qtbot: Any, ws: Any, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    populate(ws, 2, hostile=False, second_evaluator=False)

    def fake_exec(self: BriefDialog) -> int:
        self.path.setText(str(tmp_path / "pack.pdf"))
        assert self.annex_label.isHidden()  # the annex follows the pack: nothing to say
        self.format.setCurrentIndex(self.format.findData(".docx"))
        assert self.path.text() == str(tmp_path / "pack.docx")  # the name follows the format
        assert self.annex_apart.isChecked() and not self.annex_apart.isEnabled()  # a DOCX holds the pack only
        assert self.annex_label.text() == f"The annex goes to {tmp_path / 'pack-annex.pdf'}"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BriefDialog, "exec", fake_exec)
    seen: list[tuple[BriefResult | None, str]] = []
    assert export_brief(ws, None, runner=SyncRunner(), on_finished=lambda r, m: seen.append((r, m)))
    result, message = seen[0]
    assert result is not None and result.path == tmp_path / "pack.docx"
    assert (tmp_path / "pack.docx").read_bytes()[:2] == b"PK"  # a DOCX is a zip
    assert (tmp_path / "pack-annex.pdf").read_bytes().startswith(b"%PDF-") and result.annex_pages > 0
    assert message == (f"Saved the board brief (Word document) to {tmp_path / 'pack.docx'}, and its annex "
                       f"({result.annex_pages} pages) to {tmp_path / 'pack-annex.pdf'}.")
    assert not (tmp_path / "pack.pdf").exists()


def test_a_pdf_pack_with_its_annex_apart(qtbot: Any, ws: Any, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    populate(ws, 2, hostile=False, second_evaluator=False)

    def fake_exec(self: BriefDialog) -> int:
        self.path.setText(str(tmp_path / "board"))
        self.annex_apart.setChecked(True)
        assert self.annex_label.isVisibleTo(self) and "board-annex.pdf" in self.annex_label.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BriefDialog, "exec", fake_exec)
    seen: list[tuple[BriefResult | None, str]] = []
    assert export_brief(ws, None, runner=SyncRunner(), on_finished=lambda r, m: seen.append((r, m)))
    result, message = seen[0]
    assert result is not None and result.path == tmp_path / "board.pdf" and result.annex == tmp_path / "board-annex.pdf"
    assert result.pages <= 5 and result.annex_pages > 0
    assert f"({result.pages} pages) to {tmp_path / 'board.pdf'}, and its annex" in message


def test_typing_a_path_key_by_key_never_fails_and_a_folder_is_refused(qtbot: Any, tmp_path: Path) -> None:
    """Found in use: typing "/" first into Save as (DOCX, so the annex path is shown) raised ValueError."""
    dlg = BriefDialog(3, tmp_path / "brief", None)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData(".docx"))
    target = f"{tmp_path}/pack.docx"
    dlg.path.clear()
    qtbot.keyClicks(dlg.path, target)  # every prefix: "/", "/t", ... "/tmp/.../pack.docx"
    assert dlg.path.text() == target and dlg.output_path() == tmp_path / "pack.docx"
    assert dlg.annex_label.text() == f"The annex goes to {tmp_path / 'pack-annex.pdf'}"
    for folder in ("/", f"{tmp_path}/", str(tmp_path)):
        dlg.path.setText(folder)
        assert "is a folder: add a file name" in dlg.problem()
        assert dlg.annex_label.isHidden() or "annex" in dlg.annex_label.text()
