"""Two writers on one data folder, seen from the app: stale edits, other writers' changes, a busy folder.

The other writer is a second Workspace on the same folder (what another window or the command line
opens) or the CLI's main() itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from tests import factories
from vendoreval.domain.models import Answer, ClaimStatus, Decision
from vendoreval.services.workspace import Workspace
from vendoreval.store.database import DB_FILENAME
from vendoreval.ui.main_window import MainWindow
from vendoreval.ui.messages import RecordingMessages


@pytest.fixture
def other(data_dir: Path) -> Iterator[Workspace]:
    """Another writer on the window's data folder (another window, the command line)."""
    w = Workspace(data_dir, evaluator="bob")
    yield w
    w.close()


def _stale_shown(messages: RecordingMessages) -> list[str]:
    return [text for kind, _title, text in messages.shown if kind == "stale"]


def _profile_with_vendor(window: MainWindow, name: str = "Acme"):  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    v = vendors.new_vendor({"name": name})
    return vendors, vendors.detail.profile, v


# --- (a) a stale edit: the newer value is loaded, the user's text kept and marked --------------------


def test_a_stale_conditions_edit_loads_the_newer_value_and_keeps_the_users_text(
        open_window: Callable[..., MainWindow], data_dir: Path, other: Workspace) -> None:
    """The issue's case: the stale conditions field overwrote a newer CLI value while saying 'All changes saved'."""
    window = open_window(data_dir, RecordingMessages(choices=["later"]))
    _vendors, profile, v = _profile_with_vendor(window)
    window.session.ws.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["DPA"])
    assert profile.conditions.toPlainText() == "DPA"
    other.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["DPA", "EU hosting"])  # the CLI, meanwhile

    profile.conditions.setPlainText("DPA\nLiability cap")  # typed on the stale copy
    profile.conditions_save.flush()

    assert other.vendors.get(v.id).conditions == ["DPA", "EU hosting"]  # never a silent overwrite
    (shown,) = _stale_shown(window.messages)
    assert "changed elsewhere" in shown and "EU hosting" in shown and "Liability cap" in shown
    assert profile.conditions.toPlainText() == "DPA\nEU hosting"  # the newer value is loaded
    note = profile.notes["conditions"]
    assert not note.isHidden() and note.mine == "DPA\nLiability cap"  # mine kept, marked
    assert "Liability cap" in note.label.text() and "Not saved" in note.label.text()
    assert window.saved_label.text() == "Last change NOT saved"
    assert window.messages.errors == []

    note.apply_button.click()  # one click re-applies it, on the newer revision
    assert other.vendors.get(v.id).conditions == ["DPA", "Liability cap"]
    assert note.isHidden() and profile.conditions.toPlainText() == "DPA\nLiability cap"
    assert window.saved_label.text().startswith("All changes saved")


def test_apply_mine_in_the_dialog_saves_over_the_newer_value_and_keep_theirs_drops_it(
        open_window: Callable[..., MainWindow], data_dir: Path, other: Workspace) -> None:
    window = open_window(data_dir, RecordingMessages(choices=["apply", "discard"]))
    _vendors, profile, v = _profile_with_vendor(window)
    other.vendors.update(v.id, description="Bob's words")
    profile.description.setPlainText("Ann's words")
    profile.autosaves["description"].flush()
    assert other.vendors.get(v.id).description == "Ann's words"  # "Apply mine"
    assert profile.notes["description"].isHidden()

    other.vendors.update(v.id, description="Bob again")
    profile.description.setPlainText("Ann again")
    profile.autosaves["description"].flush()
    assert other.vendors.get(v.id).description == "Bob again"  # "Keep theirs"
    assert profile.description.toPlainText() == "Bob again" and profile.notes["description"].isHidden()
    assert len(_stale_shown(window.messages)) == 2


def test_an_edit_of_a_field_nobody_else_changed_lands_without_asking(
        open_window: Callable[..., MainWindow], data_dir: Path, other: Workspace) -> None:
    window = open_window(data_dir)
    _vendors, profile, v = _profile_with_vendor(window)
    other.vendors.update(v.id, product="CopyBot")  # another field of the same vendor
    profile.website.setText("https://acme.example")
    profile.autosaves["website"].flush()
    got = other.vendors.get(v.id)
    assert (got.product, got.website) == ("CopyBot", "https://acme.example")
    assert _stale_shown(window.messages) == [] and window.messages.errors == []


def test_a_stale_claim_text_and_a_stale_decision_pick_are_refused_with_both_values_shown(
        open_window: Callable[..., MainWindow], data_dir: Path, other: Workspace) -> None:
    window = open_window(data_dir)
    vendors, profile, v = _profile_with_vendor(window)
    tab = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(tab)
    claim = tab.add_claim({"text": "We never train on your data."})
    assert claim is not None and tab.editor.claim_id == claim.id
    other.claims.update(claim.id, text="We never train on customer data.")
    tab.editor.text.setPlainText("We never train on your data, ever.")
    tab.editor.autosaves["text"].flush()
    assert other.claims.get(claim.id).text == "We never train on customer data."
    assert tab.editor.text.toPlainText() == "We never train on customer data."
    assert tab.editor.notes["text"].mine == "We never train on your data, ever."

    other.vendors.decide(v.id, Decision.NO_GO)  # meanwhile; the profile still shows "not started"
    i = list(Decision).index(Decision.GO)
    profile.decision.setCurrentIndex(i)
    profile.decision.activated.emit(i)
    assert other.vendors.get(v.id).decision == Decision.NO_GO
    assert profile.decision.currentData() == Decision.NO_GO  # the page shows the newer decision
    assert "No-go" in _stale_shown(window.messages)[-1] and "Go" in _stale_shown(window.messages)[-1]


def test_a_stale_score_and_rationale_are_refused(open_window: Callable[..., MainWindow], data_dir: Path,
                                                 other: Workspace) -> None:
    window = open_window(data_dir, RecordingMessages(choices=["later", "apply"]))
    ws = window.session.ws
    ws.library.remember(factories.rubric("r"))
    other.library.reload()
    v = ws.vendors.create("Acme")
    card = ws.scorecards.create(v.id, "r")
    ws.scorecards.set_score(card.id, "a", Answer.LEVEL, level=1, rationale="first")
    window.show_scorecard(card.id)
    editor = window.page("scorecard")
    editor.select_row(0)
    other.scorecards.set_score(card.id, "a", Answer.LEVEL, level=2, rationale="Bob: DPA signed")
    editor.rationale.setPlainText("Ann: DPA draft only")
    editor.rationale_save.flush()
    assert other.scorecards.get(card.id).scores["a"].rationale == "Bob: DPA signed"
    assert editor.rationale.toPlainText() == "Bob: DPA signed"
    assert editor.rationale_note.mine == "Ann: DPA draft only"

    assert editor.set_level(3)  # a level on the stale score: refused, then "Apply mine" on the newer one
    other_score = other.scorecards.get(card.id).scores["a"]
    assert other_score.level == 3 and other_score.rationale == "Bob: DPA signed"
    assert len(_stale_shown(window.messages)) == 2


def test_the_stale_edit_dialog_shows_both_values(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.ui.dialogs.stale_edit_dialog import APPLY, StaleEditDialog

    dialog = StaleEditDialog("Edit conditions", "Vendor Acme was changed elsewhere (in another window, on the "
                             "command line or by an import) since you opened it, so your change was not saved over "
                             "the newer value.", "DPA\nEU hosting", "DPA\nLiability cap")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.theirs.toPlainText() == "DPA\nEU hosting" and dialog.mine.toPlainText() == "DPA\nLiability cap"
    assert dialog.later_button.isDefault()  # Enter never overwrites the other writer by accident
    dialog.grab().save(str(tmp_path / "stale-edit-dialog.png"))
    dialog.apply_button.click()
    assert dialog.choice == APPLY and dialog.result() == 1


def test_a_decision_made_elsewhere_is_not_recorded_over_from_the_compare_page(
        qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.test_compare_cli import DEFAULT, build_workspace
    from vendoreval.ui.views.compare_view import CompareView

    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path / "no-shipped")
    ws = Workspace(data_dir, evaluator="ann")
    build_workspace(ws, tmp_path / "rubrics", DEFAULT)
    other = Workspace(data_dir, evaluator="bob")
    try:
        messages = RecordingMessages(choices=["discard"])
        view = CompareView(ws, messages=messages)
        qtbot.addWidget(view)
        view.show()
        acme = ws.vendors.find("Acme")
        view.select_vendor(acme.id)
        other.vendors.decide(acme.id, Decision.NO_GO)  # the CLI, while the page shows "not started"
        view.decision.setCurrentIndex(view.decision.findData(Decision.GO.value))
        view.record_button.click()
        assert other.vendors.get(acme.id).decision == Decision.NO_GO
        assert "No-go" in _stale_shown(messages)[0]
        assert view.decision.currentData() == Decision.NO_GO.value  # the box shows the newer decision
        messages.choices = ["apply"]
        view.decision.setCurrentIndex(view.decision.findData(Decision.GO.value))
        view.record_button.click()  # no longer stale: recorded without asking
        assert other.vendors.get(acme.id).decision == Decision.GO and len(_stale_shown(messages)) == 1
    finally:
        other.close()
        ws.close()


# --- (b) other writers' changes show up within about a second ------------------------------------


def test_a_cli_write_shows_up_in_the_window_keeping_selection_and_typing(
        open_window: Callable[..., MainWindow], data_dir: Path, cli, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(data_dir)
    vendors, profile, v = _profile_with_vendor(window, "Acme")
    vendors.new_vendor({"name": "Beta"})
    vendors.list.select(v.id)
    assert profile.vendor_id == v.id
    profile.autosaves["description"]._timer.setInterval(60_000)  # typing still in progress while we wait
    profile.description.setPlainText("half-typed")

    assert cli("vendors", "add", "Newco").code == 0
    assert cli("decide", "Acme", "no_go").code == 0

    def names() -> list[str]:
        return [r.vendor.name for r in vendors.list.model.rows()]

    qtbot.waitUntil(lambda: "Newco" in names(), timeout=1500)
    qtbot.waitUntil(lambda: "No-go" in vendors.detail.header.text(), timeout=1500)
    assert profile.decision.currentData() == Decision.NO_GO  # the detail pane agrees with the list
    assert vendors.list.current_id() == v.id  # the selection is kept
    assert profile.description.toPlainText() == "half-typed" and profile.autosaves["description"].pending


def test_another_windows_claim_shows_up_on_the_claims_tab(open_window: Callable[..., MainWindow], data_dir: Path,
                                                          other: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(data_dir)
    vendors, _profile, v = _profile_with_vendor(window)
    tab = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(tab)
    assert tab.add_claim({"text": "First claim."}) is not None
    mine = tab.add_claim({"text": "We never train on your data."})  # selected: the second row
    assert mine is not None and tab.editor.claim_id == mine.id
    tab.editor.autosaves["source"]._timer.setInterval(60_000)  # still typing while the other writer writes
    tab.editor.source.setText("DPA clause 7")
    other.claims.add(v.id, "Bob heard this on a call.")
    other.claims.update(mine.id, page="p. 3")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=1500)
    qtbot.waitUntil(lambda: tab.editor.page.text() == "p. 3", timeout=1500)
    assert tab.editor.claim_id == mine.id  # the selection is kept
    assert tab.editor.source.text() == "DPA clause 7" and tab.editor.autosaves["source"].pending
    tab.editor.autosaves["source"].flush()  # another field changed elsewhere: saved without asking
    got = other.claims.get(mine.id)
    assert (got.source, got.page) == ("DPA clause 7", "p. 3") and window.messages.shown == []


def test_polling_costs_nothing_when_nobody_else_wrote(window: MainWindow) -> None:
    assert window.session.poll_timer.isActive() and window.session.poll_timer.interval() <= 1000
    window.page("vendors").new_vendor({"name": "Acme"})  # the window's own write: nothing to re-read
    heard: list[object] = []
    window.session.changed.connect(heard.append)
    assert window.session.poll_outside() is False and heard == []


# --- (c) a busy data folder: Retry / Cancel, nothing half-written --------------------------------


class _LockHolder:
    """Another writer holding the database's write lock (beyond the window's busy timeout)."""

    def __init__(self, data_dir: Path) -> None:
        self.conn = sqlite3.connect(data_dir / DB_FILENAME)
        self.conn.execute("BEGIN IMMEDIATE")

        self.released = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.conn.rollback()
            self.conn.close()


class _BusyMessages(RecordingMessages):
    """Answers the busy question: ``retry`` after the other writer let go (``release`` then True), or cancel."""

    def __init__(self, answers: list[bool], release: Callable[[], None]) -> None:
        super().__init__()
        self.answers, self.release = answers, release

    def retry_busy(self, parent: QWidget | None, what: str, text: str,
                   lock_free: Callable[[], bool] | None = None) -> bool:
        super().retry_busy(parent, what, text, lock_free)
        assert lock_free is not None and lock_free() is False  # the other writer still holds it
        again = self.answers.pop(0)
        if again:
            self.release()
            assert lock_free() is True
        return again


def test_a_busy_data_folder_asks_and_retry_runs_the_same_command_once(
        open_window: Callable[..., MainWindow], data_dir: Path) -> None:
    Workspace(data_dir).close()
    holder: list[_LockHolder] = []
    messages = _BusyMessages([True], lambda: holder[0].release())
    window = open_window(data_dir, messages, busy_timeout_ms=100)
    holder.append(_LockHolder(data_dir))
    vendors = window.page("vendors")
    created = vendors.new_vendor({"name": "Newco"})
    assert created is not None
    busy = [(title, text) for kind, title, text in messages.shown if kind == "busy"]
    assert len(busy) == 1 and "is busy" in busy[0][1] and "Nothing was saved" in busy[0][1]
    assert [x.name for x in window.session.ws.vendors.list()] == ["Newco"]  # once, not twice
    assert window.session.undo_stack.count() == 1


def test_cancel_on_a_busy_data_folder_writes_nothing(open_window: Callable[..., MainWindow], data_dir: Path) -> None:
    Workspace(data_dir).close()
    holder: list[_LockHolder] = []
    messages = _BusyMessages([False], lambda: None)
    window = open_window(data_dir, messages, busy_timeout_ms=100)
    holder.append(_LockHolder(data_dir))
    try:
        assert window.page("vendors").new_vendor({"name": "Newco"}) is None
    finally:
        holder[0].release()
    assert [k for k, _t, _x in messages.shown] == ["busy"]  # no error dialog on top, no traceback
    assert window.session.ws.vendors.list() == [] and window.session.undo_stack.count() == 0
    assert window.saved_label.text() == "Last change NOT saved"


def test_the_busy_question_retries_by_itself_once_the_other_writer_lets_go(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from vendoreval.ui.messages import Messages

    Workspace(data_dir).close()
    holder = _LockHolder(data_dir)
    ws = Workspace(data_dir, busy_timeout_ms=50)
    seen: list[str] = []

    def let_go() -> None:  # while the question is open: the other writer finishes
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(box.windowTitle())
        holder.release()

    try:
        QTimer.singleShot(200, let_go)
        assert Messages().retry_busy(None, "Create vendor", "busy", ws.store.write_lock_free) is True
        assert seen == ["Create vendor — the data folder is busy"]
    finally:
        holder.release()
        ws.close()


def test_a_rationale_typed_before_the_list_moves_on_is_saved_on_its_own_criterion(window: MainWindow) -> None:
    """Found while giving the rationale its score's revision: moving to the next criterion by keyboard or
    programmatically (no focus-out first) saved the text on the criterion moved *to*."""
    ws = window.session.ws
    ws.library.remember(factories.rubric("r"))
    v = ws.vendors.create("Acme")
    card = ws.scorecards.create(v.id, "r")
    ws.scorecards.set_score(card.id, "a", Answer.LEVEL, level=1)
    ws.scorecards.set_score(card.id, "b", Answer.LEVEL, level=1)
    window.show_scorecard(card.id)
    editor = window.page("scorecard")
    editor.select_row(0)
    editor.rationale.setPlainText("about a")
    editor.select_row(1)
    scores = ws.scorecards.get(card.id).scores
    assert (scores["a"].rationale, scores["b"].rationale) == ("about a", "")
    assert editor.rationale.toPlainText() == "" and window.messages.shown == []


def test_redo_after_undo_sets_the_value_again_although_the_revision_moved_on(window: MainWindow) -> None:
    """An edit names the revision it was made on; its redo (after the undo raised the revision) must not be
    refused as stale: like the undo, it is an explicit "set it again"."""
    vendors, profile, v = _profile_with_vendor(window)
    ws = window.session.ws
    profile.description.setPlainText("Writes ad copy")
    profile.autosaves["description"].flush()
    tab = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(tab)
    claim = tab.add_claim({"text": "We never train on your data."})
    assert claim is not None
    tab.change_status(ClaimStatus.DOCUMENTED, "DPA 7.2")
    undo, redo = window.registry["undo"], window.registry["redo"]
    undo.trigger()
    assert ws.claims.get(claim.id).status == ClaimStatus.ASSERTED
    redo.trigger()
    assert ws.claims.get(claim.id).status == ClaimStatus.DOCUMENTED
    for _ in range(3):  # the status, the claim, then the description
        undo.trigger()
    assert ws.vendors.get(v.id).description == ""
    redo.trigger()
    redo.trigger()
    redo.trigger()
    assert ws.vendors.get(v.id).description == "Writes ad copy"
    assert ws.claims.get(claim.id).status == ClaimStatus.DOCUMENTED
    assert window.messages.shown == []


def test_two_windows_see_each_others_edits_and_do_not_overwrite_them(
        open_window: Callable[..., MainWindow], data_dir: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    a = open_window(data_dir)
    _vendors_a, profile_a, v = _profile_with_vendor(a)
    b = open_window(data_dir, RecordingMessages(choices=["later"]))
    vendors_b = b.page("vendors")
    profile_b = vendors_b.detail.profile
    vendors_b.list.select(v.id)
    assert profile_b.vendor_id == v.id
    profile_a.product.setText("CopyBot")
    profile_a.autosaves["product"].flush()
    qtbot.waitUntil(lambda: profile_b.product.text() == "CopyBot", timeout=1500)
    # both type into the same field: the second to save is told, and keeps its words
    profile_a.description.setPlainText("Ann's description")
    profile_b.description.setPlainText("Bob's description")
    profile_a.autosaves["description"].flush()
    profile_b.autosaves["description"].flush()
    assert a.session.ws.vendors.get(v.id).description == "Ann's description"
    assert profile_b.description.toPlainText() == "Ann's description"
    assert profile_b.notes["description"].mine == "Bob's description"
    assert len(_stale_shown(b.messages)) == 1
