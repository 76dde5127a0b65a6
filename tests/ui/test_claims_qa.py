"""A tester's findings on the vendor page: Delete in the claims table, Escape in the search box, the undo label
of a status note, the Review by dialog keeping a date it cannot read, the claims of a document in its order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from vendoreval.ui.dialogs.dates_dialog import ReviewByDialog


def claims_tab(window: Any, texts: tuple[str, ...] = ("98 % accurate.", "SOC 2 type II.")) -> Any:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    for text in texts:
        claims.add_claim({"text": text, "source": "Deck", "page": "", "said_on": None, "said_to": ""})
    return claims


def test_delete_in_the_claims_table_deletes_the_claim_undoably(window: Any, qtbot: Any) -> None:
    claims = claims_tab(window)
    ws = window.session.ws
    assert len(ws.claims.list()) == 2
    claims.table.setFocus()
    qtbot.waitUntil(claims.table.hasFocus)
    shown = claims.current().text
    qtbot.keyClick(claims.table, Qt.Key.Key_Delete)
    assert [c.text for c in ws.claims.list()] == [t for t in ("98 % accurate.", "SOC 2 type II.") if t != shown]
    assert window.session.undo_stack.undoText() == "Delete claim"
    window.session.undo_stack.undo()
    assert len(ws.claims.list()) == 2
    # Delete typed in the editor's fields edits the words, it never deletes the claim
    claims.editor.source.setFocus()
    qtbot.waitUntil(claims.editor.source.hasFocus)
    qtbot.keyClick(claims.editor.source, Qt.Key.Key_Delete)
    assert len(ws.claims.list()) == 2


def test_escape_clears_the_vendor_search_then_goes_on_as_before(window: Any, qtbot: Any) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    search = vendors.list.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "acme")
    seen: list[int] = []

    class Spy(QObject):  # what Escape reached past the box before: the key press its parent gets
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:  # type: ignore[attr-defined]
                seen.append(1)
            return False

    spy = Spy()
    vendors.list.installEventFilter(spy)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == "" and search.hasFocus() and seen == []
    qtbot.keyClick(search, Qt.Key.Key_Escape)  # an empty box: Escape goes on to the page, as it did before
    assert seen == [1]


def test_a_status_note_edit_is_undone_as_a_note(window: Any, qtbot: Any) -> None:
    claims = claims_tab(window, ("98 % accurate.",))
    e = claims.editor
    e.status_note.setFocus()
    qtbot.waitUntil(e.status_note.hasFocus)
    qtbot.keyClicks(e.status_note, "Test set not disclosed")
    qtbot.keyClick(e.status_note, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.session.ws.claims.list()[0].status_note == "Test set not disclosed"
    assert window.session.undo_stack.undoText() == "Claim status note"
    assert window.registry["undo"].text() == "&Undo Claim status note"


def test_review_by_keeps_a_date_it_cannot_read_in_the_open_dialog(window: Any, qtbot: Any) -> None:
    claims = claims_tab(window, ("98 % accurate.",))
    seen: list[tuple[bool, str, str]] = []

    def type_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReviewByDialog):  # not the dialog that keeps the words: closed, the test fails
            dialog.close()
            return
        qtbot.keyClicks(dialog.date, "next friday")
        qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
        seen.append((dialog.isVisible(), dialog.date.text(), dialog.error.text()))
        dialog.date.selectAll()
        qtbot.keyClicks(dialog.date, "2026-05-29")
        assert dialog.error.text() == ""  # the note goes as the words change
        qtbot.keyClick(dialog.date, Qt.Key.Key_Return)

    QTimer.singleShot(0, type_in)
    qtbot.mouseClick(claims.review_button, Qt.MouseButton.LeftButton)
    assert seen == [(True, "next friday", "“next friday” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14.")]
    assert window.session.messages.shown == []
    from vendoreval.services.ageing import AgeingService

    assert AgeingService(window.session.ws).review_by(claims.current().id).isoformat() == "2026-05-29"


SENTENCES = ("Our model reaches 98% accuracy on the public benchmark.",
             "We are SOC 2 Type II certified since 2024.",
             "We never train on customer data.")


def _docx(path: Any) -> Any:
    import docx

    document = docx.Document()
    document.add_heading("Security", level=1)
    document.add_paragraph(SENTENCES[0])
    document.add_heading("Compliance", level=1)
    document.add_paragraph(SENTENCES[1])
    document.add_heading("Data", level=1)
    document.add_paragraph(SENTENCES[2])
    document.save(str(path))
    return path


def test_claims_recorded_from_a_document_are_listed_in_its_order(window: Any, tmp_path: Any) -> None:
    from vendoreval.services.claim_finder import ClaimFinderService

    claims = claims_tab(window, ())
    ws, vid = window.session.ws, claims.vendor_id
    text = tmp_path / "deck.txt"
    text.write_text("\n\n".join(SENTENCES) + "\n", encoding="utf-8")
    for path in (text, _docx(tmp_path / "brief.docx")):
        for c in ws.claims.list(vid):
            ws.claims.delete(c.id)
        svc = ClaimFinderService(ws)
        found = svc.find(vid, path)
        assert [c.text for c in found.candidates] == list(SENTENCES)
        svc.accept(vid, found, [3, 1, 2])  # the reviewer's picks in any order
        claims.refresh()
        listed = [claims.model.row_at(r).text for r in range(claims.model.rowCount())]
        assert listed == list(SENTENCES), path.name


def test_undoing_a_deletion_selects_the_claim_that_came_back(window: Any, qtbot: Any) -> None:
    texts = ("98 % accurate.", "SOC 2 type II.", "Hosted in the EU.")
    claims = claims_tab(window, texts)
    ws = window.session.ws
    claims.refresh(keep=next(c.id for c in ws.claims.list() if c.text == "Hosted in the EU."))
    claims.delete_current()
    assert claims.current().text != "Hosted in the EU."
    window.session.undo_stack.undo()
    assert claims.current().text == "Hosted in the EU."  # not the first claim of the list
    assert claims.editor.text.toPlainText() == "Hosted in the EU."
    # an undone addition redone: the added claim is shown again
    claims.refresh(keep=next(c.id for c in ws.claims.list() if c.text == "98 % accurate."))
    claims.add_claim({"text": "ISO 42001 in 2027.", "source": "Deck", "page": "", "said_on": None, "said_to": ""})
    window.session.undo_stack.undo()
    assert "ISO 42001 in 2027." not in [c.text for c in ws.claims.list()]
    window.session.undo_stack.redo()
    assert claims.current().text == "ISO 42001 in 2027."
