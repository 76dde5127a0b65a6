"""Compare and Consensus edit through the session: weights, decisions and agreed scores are undoable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.integration.test_bundle_roundtrip import add_rubric, score_card
from tests.integration.test_compare_cli import DEFAULT, build_workspace
from vendoreval.domain.models import Decision
from vendoreval.errors import UserError
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import Workspace
from vendoreval.services.bundles import BundleService


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def compare(open_window, data_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    seed = Workspace(data_dir, evaluator="ann")
    build_workspace(seed, tmp_path / "rubrics", DEFAULT)
    seed.close()
    window = open_window(data_dir)
    window.show_page("compare")
    page = window.page("compare")
    assert page.ranked_names() == ["Acme", "Beta", "Gamma"]
    return window, page


def _saved_at(window) -> bool:  # type: ignore[no-untyped-def]
    return window.saved_label.text().startswith("All changes saved ·")


def test_a_weight_change_is_undone_and_redone_in_the_widget_and_the_ranking(compare) -> None:  # type: ignore[no-untyped-def]
    window, page = compare
    spin = page.rubric_spin("skills")
    for value in (1.5, 2.0, 2.5, 3.0):  # a drag: one undo step
        spin.setValue(value)
    page.refresh_now()
    assert page.current_profile().rubric_weights["skills"] == 3.0 and page.comparison.weights["skills"] == 3.0
    assert page.ranked_names()[0] == "Beta" and "edited" in page.edited_label.text()
    assert window.registry["undo"].text() == "&Undo weight of Capabilities: 3"
    window.registry["undo"].trigger()
    page.refresh_now()
    assert spin.value() == 1.0
    assert page.current_profile().rubric_weights["skills"] == 1.0 and page.comparison.weights["skills"] == 1.0
    assert page.ranked_names()[0] == "Acme" and page.edited_label.text() == ""  # back to the profile's weights
    window.registry["redo"].trigger()
    page.refresh_now()
    assert spin.value() == 3.0 and page.comparison.weights["skills"] == 3.0 and page.ranked_names()[0] == "Beta"


def test_each_weight_is_its_own_step(compare) -> None:  # type: ignore[no-untyped-def]
    window, page = compare
    page.rubric_spin("skills").setValue(2.0)
    page.criterion_spin("privacy", "dpa").setValue(4.0)
    window.registry["undo"].trigger()
    assert page.criterion_spin("privacy", "dpa").value() == 1.0 and page.rubric_spin("skills").value() == 2.0
    window.registry["undo"].trigger()
    assert page.rubric_spin("skills").value() == 1.0


def test_a_decision_is_undone_with_ctrl_z_in_the_database_and_on_the_page(qtbot, compare) -> None:  # type: ignore[no-untyped-def]
    window, page = compare
    ws = window.session.ws
    acme = ws.vendors.find("Acme")
    page.select_vendor(acme.id)
    page.decision.setCurrentIndex(page.decision.findData(Decision.GO_WITH_CONDITIONS.value))
    page.conditions.setPlainText("Signed DPA\nExit plan")
    window.saved_label.setText("")
    page.record_button.click()
    assert ws.vendors.get(acme.id).decision == Decision.GO_WITH_CONDITIONS
    assert page.ranking_model.index(0, 9).data() == "Go with conditions (2 conditions)"
    assert _saved_at(window)
    window.saved_label.setText("")
    page.ranking.setFocus()
    qtbot.keyClick(page.ranking, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    vendor = ws.vendors.get(acme.id)
    assert (vendor.decision, vendor.conditions) == (Decision.NOT_STARTED, [])
    assert page.ranking_model.index(0, 9).data() == "Not started"
    assert page.decision.currentData() == Decision.NOT_STARTED.value and page.conditions.toPlainText() == ""
    assert _saved_at(window), "an undo is saved like any edit"
    window.registry["redo"].trigger()
    assert ws.vendors.get(acme.id).conditions == ["Signed DPA", "Exit plan"]


def test_a_refused_decision_says_not_saved(compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window, page = compare
    ws = window.session.ws

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise UserError.at("the decision was changed by someone else meanwhile", field="decision")

    monkeypatch.setattr(ws.vendors, "decide", refuse)
    assert not page.record_decision(ws.vendors.find("Beta").id, Decision.NO_GO, [])
    assert window.saved_label.text() == "Last change NOT saved"
    assert "Decision: The decision was changed" in window.messages.errors[-1]
    assert not window.session.undo_stack.canUndo()


def test_saving_weights_as_a_profile_is_undoable(compare) -> None:  # type: ignore[no-untyped-def]
    window, page = compare
    ws = window.session.ws
    page.rubric_spin("skills").setValue(3.0)
    assert page.save_profile("skills heavy") is not None
    assert ws.profiles.get("skills heavy").rubric_weights["skills"] == 3.0 and _saved_at(window)
    window.registry["undo"].trigger()
    assert "skills heavy" not in [p.name for p in ws.profiles.list()]


@pytest.fixture
def consensus(open_window, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Procurement's workspace with the CMO's scorecard imported and its own: two evaluators on Acme AI."""
    cmo = Workspace(tmp_path / "cmo", evaluator="Claire (CMO)", secrets=InMemorySecretStore())
    add_rubric(cmo)
    score_card(cmo, cmo.vendors.create("Acme AI").id, {"lawful_basis": 4, "dpa": 2, "retention": 1, "transfers": 3})
    fingerprint = BundleService(cmo).export(tmp_path / "claire.vebundle").manifest.signer.fingerprint
    cmo.close()
    folder = tmp_path / "proc"
    proc = Workspace(folder, evaluator="ann", secrets=InMemorySecretStore())
    BundleService(proc).import_bundle(tmp_path / "claire.vebundle", accept_rubrics=True, trust_key=fingerprint)
    score_card(proc, proc.vendors.find("Acme AI").id, {"lawful_basis": 4, "dpa": 4, "retention": 1, "transfers": 2})
    proc.close()
    window = open_window(folder, secrets=InMemorySecretStore())
    window.show_page("consensus")
    page = window.page("consensus")
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "DPA")
    return window, page, row


def _agreed_cell(page, row: int) -> str:  # type: ignore[no-untyped-def]
    return page.table.item(row, page.table.columnCount() - 1).text()


def test_an_agreed_score_is_undone_and_redone(consensus) -> None:  # type: ignore[no-untyped-def]
    window, page, row = consensus
    ws = window.session.ws
    page.table.selectRow(row)
    page.level.setCurrentIndex(page.level.findText("3 · L3"))
    page.rationale.setPlainText("Signed DPA seen in the data room")
    window.saved_label.setText("")
    page.record_button.click()
    assert [(a.criterion_id, a.level) for a in ws.store.agreed_scores()] == [("dpa", 3)]
    assert _agreed_cell(page, row) == "✔ 3 · L3" and _saved_at(window)
    page.table.selectRow(row)
    page.level.setCurrentIndex(page.level.findText("4 · L4"))
    page.record_button.click()  # a second agreement replaces the first…
    assert [a.level for a in ws.store.agreed_scores()] == [4]
    window.saved_label.setText("")
    window.registry["undo"].trigger()  # …and undo brings the first back, rationale and all
    agreed = ws.store.agreed_scores()
    assert [(a.level, a.rationale) for a in agreed] == [(3, "Signed DPA seen in the data room")]
    assert _agreed_cell(page, row) == "✔ 3 · L3" and _saved_at(window)
    window.registry["undo"].trigger()
    assert ws.store.agreed_scores() == [] and _agreed_cell(page, row) == ""
    window.registry["redo"].trigger()
    assert [a.level for a in ws.store.agreed_scores()] == [3] and _agreed_cell(page, row) == "✔ 3 · L3"


def test_removing_an_agreed_score_is_undoable(consensus) -> None:  # type: ignore[no-untyped-def]
    window, page, row = consensus
    ws = window.session.ws
    page.table.selectRow(row)
    page.level.setCurrentIndex(page.level.findText("2 · L2"))
    page.rationale.setPlainText("Agreed in the panel")
    page.record_button.click()
    page.table.selectRow(row)
    page.clear_button.click()
    assert ws.store.agreed_scores() == [] and _agreed_cell(page, row) == ""
    assert window.registry["undo"].text() == "&Undo Remove agreed score for DPA"
    window.registry["undo"].trigger()
    assert [(a.level, a.rationale) for a in ws.store.agreed_scores()] == [(2, "Agreed in the panel")]
    assert _agreed_cell(page, row) == "✔ 2 · L2"
