"""The Commercials and Risks tabs of the vendor page: each field saved as edited, undo, refusals in a dialog,
the risk table's owner / mitigation / residual written in place, and screenshots of both."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.factories import risk_workspace
from vendoreval.domain.commercials import LABELS
from vendoreval.domain.models import EvidenceStrength
from vendoreval.services import Workspace
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.tasks import SyncRunner
from vendoreval.ui.views.risks_tab import HEADERS


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


def _open(open_window: Any, data_dir: Path, tmp_path: Path, name: str, tab: str) -> tuple[Any, Any, str]:
    seed = Workspace(data_dir, evaluator="ann")
    ids = risk_workspace(seed, tmp_path / "r")
    seed.close()
    messages = RecordingMessages()
    window = open_window(data_dir, messages)
    vendors = window.page("vendors")
    vendors.detail.set_vendor(ids[name])
    widget = getattr(vendors.detail, tab)
    vendors.detail.tabs.setCurrentWidget(widget)
    widget.set_vendor(ids[name])
    return window, widget, ids[name]


def _type(tab: Any, key: str, text: str) -> None:
    tab.fields[key].setText(text)
    tab.autosaves[key].flush()


def test_each_field_is_saved_as_it_is_edited_and_undone(open_window: Any, data_dir: Path, tmp_path: Path) -> None:
    window, tab, vid = _open(open_window, data_dir, tmp_path, "Acme", "commercials")
    ws = window.session.ws
    _type(tab, "annual", "12000")
    _type(tab, "term_months", "36")
    _type(tab, "one_off", "5000")
    tab.currency.setCurrentIndex(tab.currency.findData("EUR"))
    tab.currency.activated.emit(tab.currency.currentIndex())
    tab.renewal.setCurrentIndex(tab.renewal.findData("auto"))
    tab.renewal.activated.emit(tab.renewal.currentIndex())
    terms = ws.commercials.get(vid)
    assert (terms.annual, terms.term_months, terms.one_off, terms.currency, terms.renewal) == \
        (Decimal(12000), 36, Decimal(5000), "EUR", "auto")
    assert terms.revision == 5  # one transaction per field
    assert "Total cost over the term: EUR 41,000.00" in tab.total.text()
    window.session.undo_stack.undo()  # the renewal
    window.session.undo_stack.undo()  # the currency
    assert ws.commercials.get(vid).currency is None and ws.commercials.get(vid).renewal is None
    assert tab.currency.currentIndex() == 0 and "41,000.00 (no currency)" in tab.total.text()


def test_a_bad_amount_is_refused_in_a_dialog_and_kept_in_the_field(open_window: Any, data_dir: Path,
                                                                   tmp_path: Path) -> None:
    window, tab, vid = _open(open_window, data_dir, tmp_path, "Acme", "commercials")
    _type(tab, "exit_cost", "1,500")
    assert window.session.ws.commercials.get(vid).exit_cost is None
    shown = window.session.messages.shown
    assert shown and "exit cost: '1,500' is not an amount" in shown[-1][2]
    assert tab.fields["exit_cost"].text() == "1,500"


def test_the_risks_tab_lists_the_vendors_risks_and_saves_what_is_written(open_window: Any, data_dir: Path,
                                                                          tmp_path: Path) -> None:
    window, tab, vid = _open(open_window, data_dir, tmp_path, "Beta", "risks")
    model = tab.model
    assert [model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole)
            for c in range(model.columnCount())] == list(HEADERS) == [
        "Kind", "Criterion", "Impact", "Likelihood", "Owner", "Mitigation", "Residual"]
    assert [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())] == [
        ["Knock-out failed", "Data processing agreement", "5", "5"],
        ["Decisive, weak evidence", "Data processing agreement", "4", "3"],
        ["Lock-in and exit", "—", "3", "3"],
    ]
    assert model.flags(model.index(0, 4)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(0, 4), "Procurement")
    assert model.setData(model.index(0, 5), "Ask for a signed DPA before the pilot")
    ws = window.session.ws
    stored = next(r for r in ws.risks.list(vid) if r.kind == "knockout")
    assert (stored.owner, stored.mitigation) == ("Procurement", "Ask for a signed DPA before the pilot")
    tab.table.selectRow(0)
    assert "No DPA (level 0 is below the minimum)" in tab.cause.text()
    window.session.undo_stack.undo()
    assert next(r for r in ws.risks.list(vid) if r.kind == "knockout").mitigation == ""


def test_screenshots(open_window: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    """The tabs on the sample workspace, for docs/screenshots (written when VENDOREVAL_SCREENSHOTS is set)."""
    from vendoreval.paths import rubrics_dir
    from vendoreval.services.demo import load_sample

    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", rubrics_dir)  # the sample needs the shipped ones
    seed = Workspace(data_dir, evaluator="ann")
    load_sample(seed)
    vendor = seed.vendors.find("Lumen Copy")
    seed.close()
    window = open_window(data_dir)
    window.resize(1280, 800)
    vendors = window.page("vendors")
    window.show_page("vendors")
    vendors.list.select(vendor.id)
    vendors.detail.set_vendor(vendor.id)
    out = os.environ.get("VENDOREVAL_SCREENSHOTS")
    for tab, name in ((vendors.detail.commercials, "commercials-tab.png"), (vendors.detail.risks, "risks-tab.png")):
        vendors.detail.tabs.setCurrentWidget(tab)
        tab.set_vendor(vendor.id)
        if tab is vendors.detail.risks:
            tab.table.selectRow(1)  # the cause of the selected risk shows below the table
        assert tab.isVisible()
        qtbot.wait(100)  # laid out and painted
        if out:
            window.grab().save(str(Path(out) / name))
    assert "EUR 139,000.00" in vendors.detail.commercials.total.text()  # the sample has commercials
    assert [r.owner for r in vendors.detail.risks.model.risks if r.owner] == ["Maya Lind (Marketing Ops)",
                                                                             "Tom Okafor (Procurement)"]


def test_the_business_case_is_typed_and_its_claim_picked_from_the_vendors_claims(
        open_window: Any, data_dir: Path, tmp_path: Path) -> None:
    window, tab, vid = _open(open_window, data_dir, tmp_path, "Acme", "commercials")
    ws = window.session.ws
    claim = ws.claims.add(vid, "Customers publish campaigns 40% faster with our assistant.")
    tab.refresh()
    _type(tab, "category", "Copywriting assistant")
    _type(tab, "use_case", "First drafts of product descriptions in six languages")
    _type(tab, "benefit", "Halve the time from brief to published copy")
    box = tab.benefit_claim
    assert box.itemText(0) == "No claim chosen"
    index = box.findData(claim.id)
    assert box.itemText(index) == "Customers publish campaigns 40% faster with our assistant."
    box.setCurrentIndex(index)
    box.activated.emit(index)
    terms = ws.commercials.get(vid)
    assert (terms.category, terms.use_case, terms.benefit, terms.benefit_claim) == (
        "Copywriting assistant", "First drafts of product descriptions in six languages",
        "Halve the time from brief to published copy", claim.id)
    window.session.undo_stack.undo()  # the claim
    assert ws.commercials.get(vid).benefit_claim == ""
    assert tab.benefit_claim.currentIndex() == 0
    if os.environ.get("VENDOREVAL_SCREENSHOTS"):
        window.resize(1280, 800)
        tab.grab().save(os.environ["VENDOREVAL_SCREENSHOTS"] + "/commercials-business-case.png")


class LaterRunner(SyncRunner):
    """Holds each piece of work until the test hands its result over (as a worker thread would, later)."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[Any] = []

    def run(self, work: Any, on_done: Any, on_error: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        if kwargs.get("key", "").startswith("risks-"):
            self.held.append((work, on_done))
            return None
        return super().run(work, on_done, on_error, **kwargs)

    def deliver(self) -> None:
        held, self.held = self.held, []
        for work, on_done in held:
            on_done(work())


def _window_with(runner: Any, data_dir: Path, tmp_path: Path, qtbot: Any) -> tuple[Any, Any, dict[str, str]]:
    from PySide6.QtCore import QSettings

    from vendoreval.ui.main_window import MainWindow

    seed = Workspace(data_dir, evaluator="ann")
    ids = risk_workspace(seed, tmp_path / "r")
    seed.close()
    ws = Workspace(data_dir, evaluator="ann")
    window = MainWindow(ws, messages=RecordingMessages(), runner=runner,
                        settings=QSettings(str(tmp_path / "q.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window, window.page("vendors").detail, ids


def _beta_risks(runner: LaterRunner, data_dir: Path, tmp_path: Path, qtbot: Any) -> tuple[Any, Any, dict[str, str]]:
    """The window on Beta's Risks tab, its rows delivered."""
    window, detail, ids = _window_with(runner, data_dir, tmp_path, qtbot)
    window.page("vendors").list.select(ids["Beta"])
    detail.tabs.setCurrentWidget(detail.risks)
    runner.deliver()
    return window, detail.risks, ids


def test_the_risks_arrive_from_the_background_and_never_stand_under_another_vendor(
        data_dir: Path, tmp_path: Path, qtbot: Any) -> None:
    runner = LaterRunner()
    window, detail, ids = _window_with(runner, data_dir, tmp_path, qtbot)
    window.page("vendors").list.select(ids["Beta"])
    detail.tabs.setCurrentWidget(detail.risks)
    tab = detail.risks
    assert tab.model.rowCount() == 0 and tab.cause.text() == "Deriving the risks…"
    runner.deliver()
    assert {r.vendor_id for r in tab.model.risks} == {ids["Beta"]} and tab.model.rowCount() == 3
    window.page("vendors").list.select(ids["Acme"])
    assert tab.model.rowCount() == 0 and tab.cause.text() == "Deriving the risks…"  # not Beta's rows
    runner.deliver()
    assert tab.model.risks and {r.vendor_id for r in tab.model.risks} == {ids["Acme"]}
    window.close()


def test_risks_that_arrive_while_a_cell_is_typed_in_wait_for_it(data_dir: Path, tmp_path: Path, qtbot: Any) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit

    runner = LaterRunner()
    window, tab, ids = _beta_risks(runner, data_dir, tmp_path, qtbot)
    rows_before = [r.key for r in tab.model.risks]
    # another writer fixes Beta's DPA: the knock-out (row 0) goes once the risks are derived again
    other = Workspace(data_dir, evaluator="bob")
    card = next(c for c in other.scorecards.list(vendor_id=ids["Beta"]))
    other.scorecards.set_score(card.id, "dpa", level=3, strength=EvidenceStrength.OWN_TEST, rationale="signed")
    other.close()
    owner = tab.model.index(len(rows_before) - 1, 4)  # the lock-in row's Owner cell
    tab.table.setCurrentIndex(owner)
    tab.table.edit(owner)
    editor = next(w for w in tab.table.viewport().findChildren(QLineEdit) if w.isVisible())
    assert tab.table.state() == QAbstractItemView.State.EditingState
    editor.setText("Procurement")
    tab.refresh()
    runner.deliver()  # fewer rows arrive while the user types: the table does not move under the editor
    assert [r.key for r in tab.model.risks] == rows_before
    assert tab.table.state() == QAbstractItemView.State.EditingState and editor.text() == "Procurement"
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the cell is saved, then the new rows are shown

    def kinds() -> list[str]:
        return [r.kind for r in tab.model.risks]

    qtbot.waitUntil(lambda: tab.table.state() != QAbstractItemView.State.EditingState and bool(runner.held),
                    timeout=3000)
    runner.deliver()  # the reload the save started (the rows that came before it are dropped: it replaces them)
    assert "knockout" not in kinds() and "lock_in" in kinds()
    assert next(r for r in tab.model.risks if r.kind == "lock_in").owner == "Procurement"
    stored = Workspace(data_dir, evaluator="x")
    assert next(r for r in stored.risks.list(ids["Beta"]) if r.kind == "lock_in").owner == "Procurement"
    stored.close()
    window.close()


def test_typing_owner_tab_mitigation_keeps_both_when_the_reload_comes_in_between(
        data_dir: Path, tmp_path: Path, qtbot: Any) -> None:
    """Owner, Tab, mitigation: the owner's save starts a reload, which arrives while the mitigation is typed.
    It must not put the stored (empty) mitigation back into the open editor (Qt refreshes open editors when
    their row changes) nor close it; both texts are saved."""
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit

    runner = LaterRunner()
    window, tab, ids = _beta_risks(runner, data_dir, tmp_path, qtbot)
    row = next(i for i, r in enumerate(tab.model.risks) if r.kind == "lock_in")
    owner = tab.model.index(row, 4)
    tab.table.setCurrentIndex(owner)
    tab.table.edit(owner)

    def editor() -> QLineEdit:
        return next(w for w in tab.table.viewport().findChildren(QLineEdit) if w.isVisible())

    qtbot.keyClicks(editor(), "Procurement")
    qtbot.keyClick(editor(), Qt.Key.Key_Tab)  # saves the owner, opens the mitigation cell
    assert tab.table.state() == QAbstractItemView.State.EditingState
    assert tab.table.currentIndex().column() == 5
    qtbot.keyClicks(editor(), "Two exit options in the contract")
    runner.deliver()  # the reload the owner's save started
    qtbot.wait(20)
    assert editor().text() == "Two exit options in the contract"
    qtbot.keyClick(editor(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.state() != QAbstractItemView.State.EditingState and bool(runner.held),
                    timeout=3000)
    runner.deliver()  # the reload the mitigation's save started
    stored = Workspace(data_dir, evaluator="x")
    lock_in = next(r for r in stored.risks.list(ids["Beta"]) if r.kind == "lock_in")
    stored.close()
    assert (lock_in.owner, lock_in.mitigation) == ("Procurement", "Two exit options in the contract")
    shown = next(r for r in tab.model.risks if r.kind == "lock_in")
    assert (shown.owner, shown.mitigation) == ("Procurement", "Two exit options in the contract")
    window.close()


def test_the_risks_tab_names_the_criterion_and_gives_it_the_width(open_window: Any, data_dir: Path,
                                                                    tmp_path: Path, qtbot: Any) -> None:
    """The cause line names the criterion by its title, not its id; the criterion, owner and mitigation share
    the spare width and a row is at most two lines, a longer note cut short with its whole text in the tooltip."""
    window, tab, _vid = _open(open_window, data_dir, tmp_path, "Beta", "risks")
    window.resize(1400, 900)
    qtbot.wait(50)
    model = tab.model
    long_note = "Ask for a signed DPA covering GDPR Art. 28(3)(a)-(h) before any pilot; no personal data until then"
    assert model.setData(model.index(0, 5), long_note)
    tab.table.selectRow(0)
    risk = model.risks[0]
    assert risk.criterion and risk.criterion_title == "Data processing agreement"
    assert f"— {risk.criterion_title}:" in tab.cause.text() and risk.criterion not in tab.cause.text()
    widths = [tab.table.columnWidth(c) for c in range(model.columnCount())]
    # the criterion, the owner and the mitigation share the spare width (an owner's name was cut to
    # 'Maya Lind (Marketing …' beside an empty wide criterion column)
    assert max(widths[1], widths[4], widths[5]) - min(widths[1], widths[4], widths[5]) <= 1 and widths[1] >= 100
    line = tab.table.fontMetrics().lineSpacing()
    assert all(tab.table.rowHeight(r) <= 2 * line + 12 for r in range(model.rowCount()))
    assert model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole) == long_note
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == f"Data processing agreement ({risk.criterion})"


class FocusTakingMessages(RecordingMessages):
    """Records errors and, like a real modal dialog, takes the focus from the field while it is up."""

    def __init__(self) -> None:
        super().__init__()
        self.steal_to: Any = None

    def error(self, parent: Any, title: str, text: str) -> None:
        super().error(parent, title, text)
        if self.steal_to is not None:
            self.steal_to.setFocus()  # the field loses focus while the dialog is shown (it flushed again: twice)


@pytest.mark.parametrize(("key", "bad", "press"), [
    ("exit_cost", "abc", Qt.Key.Key_Return), ("term_months", "0", Qt.Key.Key_Tab),
    ("one_off", "-5000", Qt.Key.Key_Return)])
def test_a_rejected_value_is_said_once_not_at_each_focus_change(open_window: Any, data_dir: Path, tmp_path: Path,
                                                                 qtbot: Any, key: str, bad: str,
                                                                 press: Qt.Key) -> None:
    """A tester typed 'abc' as the exit cost and pressed Return: the same dialog came twice (Return, then the
    focus the dialog took), and again each time focus passed through the field. Now once per rejected value."""
    seed = Workspace(data_dir, evaluator="ann")
    ids = risk_workspace(seed, tmp_path / "r")
    seed.close()
    messages = FocusTakingMessages()
    window = open_window(data_dir, messages)
    vendors = window.page("vendors")
    vendors.detail.set_vendor(ids["Acme"])
    tab = vendors.detail.commercials
    vendors.detail.tabs.setCurrentWidget(tab)
    tab.set_vendor(ids["Acme"])
    field, other = tab.fields[key], tab.fields["pricing_model"]
    messages.steal_to = other
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, bad)
    qtbot.keyClick(field, press)
    assert len(messages.errors) == 1, messages.errors
    assert messages.shown[0][1].startswith(f"Commercials: {LABELS[key]}")
    assert field.text() == bad  # the user's words are kept
    for _ in range(3):  # focus passes through the field holding the rejected text: nothing said again
        field.setFocus()
        other.setFocus()
    tab.autosaves[key].flush()
    assert len(messages.errors) == 1, messages.errors
    qtbot.keyClicks(field, "1")  # changed: the new words are checked (and said) again
    field.setFocus()
    qtbot.keyClicks(field, "x")
    other.setFocus()
    assert len(messages.errors) == 2, messages.errors
    assert window.session.ws.commercials.get(ids["Acme"]).value(key) is None
