"""The claim finder's review pane on the Claims tab, driven by keys: accept, reject, edit, status, finish;
the source sentence highlighted; unreadable documents said in a dialog with nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.data.claim_corpus import build
from vendoreval.domain.models import ClaimStatus
from vendoreval.services.claim_finder import ClaimFinderService
from vendoreval.ui.dialogs.claim_review_dialog import ClaimReviewDialog


def helix(tmp: Path) -> Path:
    return build.build(build.load_spec(build.HERE / "helix-whitepaper.toml"), tmp / "docs")


def claims_tab(window: Any) -> tuple[Any, str]:
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Helix"})
    tab = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(tab)
    return tab, vendor.id


def shown(qtbot: Any, pane: ClaimReviewDialog) -> None:
    qtbot.addWidget(pane)
    pane.show()
    pane.activateWindow()
    qtbot.waitUntil(pane.isActiveWindow, timeout=10000)
    assert pane.list.hasFocus()


def key(qtbot: Any, widget: Any, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, k, mods)


def test_the_pane_by_keys_records_what_was_decided_in_one_step(window: Any, qtbot: Any, tmp_path: Path) -> None:
    tab, vid = claims_tab(window)
    ws = window.session.ws
    pdf = helix(tmp_path)
    expected = ClaimFinderService(ws).find(vid, pdf).candidates
    seen: dict[str, Any] = {}

    def drive(pane: ClaimReviewDialog) -> bool:
        shown(qtbot, pane)
        lst = pane.list
        assert pane.counter.text() == f"<b>{len(expected)} candidates</b> · 0 accepted · 0 rejected"
        # the date the claims will carry is shown before they are recorded (a DOCX's 2013 template date was not)
        assert pane.dated.text().startswith(f"Said on {pane.found.said_on.isoformat()} (")
        assert "A</b> accept" in pane.hints.text() and "R</b> reject" in pane.hints.text()
        assert pane.current_index() == 0 and pane.highlighted_text() == expected[0].text
        assert pane.source_title.text() == f"<b>{pdf.name}</b>, page 1 of 5"
        key(qtbot, lst, Qt.Key.Key_A)  # 1 accepted, on to 2
        key(qtbot, lst, Qt.Key.Key_R)  # 2 rejected, on to 3
        assert pane.current_index() == 2
        key(qtbot, lst, Qt.Key.Key_P)
        key(qtbot, lst, Qt.Key.Key_N)
        assert pane.current_index() == 2
        # the highlight covers the sentence, in its page's text
        assert pane.highlighted_text() == expected[2].text
        assert expected[2].text in pane.source.toPlainText() and pane.source.toPlainText() != expected[2].text
        assert "Questions to ask" in pane.details.toPlainText()
        key(qtbot, lst, Qt.Key.Key_E)  # edit inline: the words, then Enter accepts them
        assert pane.edit.isVisible() and pane.edit.hasFocus() and pane.edit.toPlainText() == expected[2].text
        key(qtbot, pane.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(pane.edit, "Helix uses Claude from Anthropic for summaries.")
        key(qtbot, pane.edit, Qt.Key.Key_Return)
        assert not pane.edit.isVisible() and lst.hasFocus() and pane.current_index() == 3
        key(qtbot, lst, Qt.Key.Key_S)  # the status for the next one: Documented
        assert pane.status.hasFocus()
        key(qtbot, pane.status, Qt.Key.Key_Down)
        assert lst.hasFocus() and pane.status.currentText() == "Documented"
        key(qtbot, lst, Qt.Key.Key_A)
        key(qtbot, lst, Qt.Key.Key_Up)
        assert pane.current_index() == 3 and pane.status.currentText() == "Documented"
        assert pane.counter.text() == f"<b>{len(expected)} candidates</b> · 3 accepted · 1 rejected"
        assert pane.finish_button.text() == "Record 3 claims"
        key(qtbot, lst, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # finish
        seen["result"] = pane.result()
        return bool(pane.result())

    before = ws.store.table_counts()
    tab.find_claims(pdf, review=drive)
    assert seen["result"] == 1
    claims = sorted(ws.claims.list(vid), key=lambda c: (c.page, c.text))
    assert [(c.text, c.page, ClaimStatus(c.status)) for c in claims] == sorted([
        (expected[0].text, "1", ClaimStatus.ASSERTED),
        ("Helix uses Claude from Anthropic for summaries.", "2", ClaimStatus.ASSERTED),
        (expected[3].text, "2", ClaimStatus.DOCUMENTED)], key=lambda t: (t[1], t[0]))
    (evidence,) = ws.evidence.list(vid)
    assert all(c.evidence_ids == [evidence.id] for c in claims) and all(c.source == pdf.name for c in claims)
    assert ws.store.table_counts()["claims"] == before["claims"] + 3
    assert window.messages.shown[-1][:2] == ("info", "Claims recorded")
    assert window.messages.shown[-1][2].startswith(
        f"Recorded 3 claims for Helix from {pdf.name}; 1 rejected candidate will not be proposed again")
    assert tab.model.rowCount() == 3  # the tab shows them
    # one undo step takes the whole review back
    assert window.session.undo_stack.undoText() == f"Record 3 claims from {pdf.name}"
    window.session.undo_stack.undo()
    assert ws.claims.list(vid) == [] and ws.evidence.list(vid) == []
    window.session.undo_stack.redo()
    assert len(ws.claims.list(vid)) == 3

    # run again on the same file: only what is new, and the pane says how many were left out
    def look(pane: ClaimReviewDialog) -> bool:
        seen["again"] = ([c.text for c in pane.found.candidates], pane.left_out.text())
        return False

    tab.find_claims(pdf, review=look)
    texts, left_out = seen["again"]
    assert texts == [c.text for c in expected[4:]]
    assert left_out == "1 rejected earlier not shown · 3 already recorded not shown"


def test_unreadable_documents_are_said_in_a_dialog_and_nothing_is_written(window: Any, tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    tab, _vid = claims_tab(window)
    ws = window.session.ws
    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan))
    c.rect(100, 100, 300, 400, fill=1)  # a "scan": no text layer
    c.showPage()
    c.save()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    before = ws.store.table_counts()
    opened: list[object] = []
    for path in (scan, broken):
        tab.find_claims(path, review=lambda pane: opened.append(pane) or True)
    errors = [m for m in window.messages.shown if m[0] == "error"]
    assert [e[1] for e in errors] == ["Find claims in scan.pdf", "Find claims in broken.pdf"]
    assert "no text layer" in errors[0][2] and "OCR is not available" in errors[0][2]
    assert "broken.pdf" in errors[1][2]
    assert opened == [] and ws.store.table_counts() == before


def test_cancel_with_decisions_asks_first_and_records_nothing(window: Any, qtbot: Any, tmp_path: Path) -> None:
    tab, vid = claims_tab(window)
    ws = window.session.ws
    window.messages.answer = False  # "Drop the decisions?" — No

    def drive(pane: ClaimReviewDialog) -> bool:
        shown(qtbot, pane)
        key(qtbot, pane.list, Qt.Key.Key_A)
        key(qtbot, pane.list, Qt.Key.Key_Escape)
        assert pane.isVisible()  # kept: the user said No
        window.messages.answer = True
        key(qtbot, pane.list, Qt.Key.Key_Escape)
        assert not pane.isVisible()
        return bool(pane.result())

    tab.find_claims(helix(tmp_path), review=drive)
    assert [m[0] for m in window.messages.shown].count("confirm-no-default") == 2
    assert ws.claims.list(vid) == [] and ws.store.claim_rejections(vid) == {}


def test_a_document_dropped_on_the_tab_opens_the_pane(window: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    tab, _vid = claims_tab(window)
    pdf = helix(tmp_path)
    opened: list[str] = []
    monkeypatch.setattr(ClaimReviewDialog, "exec", lambda self: opened.append(self.found.path.name) or 0)
    assert tab.acceptDrops() and tab.find_button.isEnabled()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(pdf))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    tab.dropEvent(event)
    assert opened == [pdf.name] and window.session.ws.claims.list() == []


def test_a_narrow_list_wraps_each_candidate_whole(qtbot: Any, tmp_path: Path, ws: Any) -> None:
    """A candidate's words were cut to 'We are fully GDPR …' in a narrower list: each item's height follows
    the list's width, so its words all show."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    page = tmp_path / "site.html"
    page.write_text("<h1>Acme &amp; Co Marketing</h1><p>Our model was trained on 2 billion marketing interactions.</p>"
                    "<p>We built our own foundation model.</p><p>We are fully GDPR compliant.</p>", encoding="utf-8")
    vendor = ws.vendors.create("Acme AI")
    found = ClaimFinderService(ws).find(vendor.id, page)
    pane = ClaimReviewDialog(found, ws.library.latest_all(), None, vendor="Acme AI")
    qtbot.addWidget(pane)
    pane.show()
    heights = {}
    for width in (1180, max(800, pane.minimumSizeHint().width())):
        pane.resize(width, 600)
        qtbot.waitUntil(lambda w=width: abs(pane.width() - w) < 5)
        QApplication.processEvents()
        heights[width] = []
        for i in range(pane.list.count()):
            item, rect = pane.list.item(i), pane.list.visualItemRect(pane.list.item(i))
            needed = QFontMetrics(item.font()).boundingRect(QRect(0, 0, rect.width() - 20, 100_000),
                                                            Qt.TextFlag.TextWordWrap, item.text()).height()
            assert rect.height() >= needed, (width, item.text())
            heights[width].append(rect.height())
    narrow = min(heights)
    assert sum(heights[narrow]) > sum(heights[1180])
