"""The consensus page after a real bundle round trip: spreads, flags in colour and words, agreement, agreed scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.integration.test_bundle_roundtrip import add_rubric, score_card
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import Workspace
from vendoreval.services.bundles import BundleService
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.views.consensus_view import FLAG_BG, FLAG_TEXT, ConsensusView


@pytest.fixture
def merged(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Procurement's workspace after importing the CMO's signed bundle and scoring the vendor too."""
    cmo = Workspace(tmp_path / "cmo", evaluator="Claire (CMO)", secrets=InMemorySecretStore())
    add_rubric(cmo)
    v = cmo.vendors.create("Acme AI")
    score_card(cmo, v.id, {"lawful_basis": 4, "dpa": 2, "retention": 1, "transfers": 3})
    bundle = tmp_path / "claire.vebundle"
    fingerprint = BundleService(cmo).export(bundle).manifest.signer.fingerprint
    cmo.close()
    proc = Workspace(tmp_path / "proc", evaluator="Paul (Procurement)", secrets=InMemorySecretStore())
    BundleService(proc).import_bundle(bundle, accept_rubrics=True, trust_key=fingerprint)
    score_card(proc, proc.vendors.find("Acme AI").id, {"lawful_basis": 4, "dpa": 4, "retention": 1, "transfers": 2})
    yield proc
    proc.close()


def cell(view: ConsensusView, row: int, col: int) -> str:
    item = view.table.item(row, col)
    return item.text() if item is not None else ""


def headers(view: ConsensusView) -> list[str]:
    return [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]


def test_round_trip_ends_in_the_consensus_view_with_hand_computed_figures(qtbot, merged):
    view = ConsensusView(merged, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.show()
    assert view.vendor.currentText() == "Acme AI"
    assert headers(view) == ["Criterion", "Claire (CMO)", "Paul (Procurement)", "Spread", "Flag", "Agreed"]
    by_criterion = {cell(view, r, 0): r for r in range(view.table.rowCount())}
    assert set(by_criterion) == {"LAWFUL_BASIS", "DPA", "RETENTION", "TRANSFERS"}
    dpa = by_criterion["DPA"]
    assert (cell(view, dpa, 1), cell(view, dpa, 2), cell(view, dpa, 3)) == ("2 · L2", "4 · L4", "2")
    flag = view.table.item(dpa, 4)
    assert flag.text() == FLAG_TEXT and flag.background().color() == FLAG_BG  # colour AND words
    transfers = by_criterion["TRANSFERS"]
    assert cell(view, transfers, 3) == "1" and cell(view, transfers, 4) == ""
    # Hand computation (see tests/integration/test_bundle_roundtrip.py): 2 of 4 identical = 50%;
    # ordinal alpha = 1 - 7 * 29 / 624 = 421/624 = 0.675.
    text = view.figures.text()
    assert "Percent agreement 50%" in text and f"{421 / 624:.3f}" in text and "1 criterion two" in text


def test_recording_an_agreed_score_shows_it_and_the_comparison_uses_it(qtbot, merged):
    messages = RecordingMessages()
    view = ConsensusView(merged, messages=messages)
    qtbot.addWidget(view)
    view.show()
    dpa = next(r for r in range(view.table.rowCount()) if cell(view, r, 0) == "DPA")
    view.table.selectRow(dpa)
    assert view.record_button.isEnabled() and view.level.currentText() == "2 · L2"  # preset: lower median
    view.level.setCurrentIndex(view.level.findText("4 · L4"))
    assert not view.record_agreed()  # no rationale: refused with a message, nothing saved
    assert "rationale" in messages.errors[-1] and merged.store.counts()["agreed_scores"] == 0
    view.rationale.setPlainText("Signed DPA seen in the data room")
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    assert cell(view, dpa, 5) == "✔ 4 · L4"
    assert merged.totals.vendor_totals()[0].rubrics["privacy"].scores["dpa"].level == 4
    view.table.selectRow(dpa)
    assert view.clear_button.isEnabled()
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert cell(view, dpa, 5) == "" and merged.store.counts()["agreed_scores"] == 0


def test_empty_workspace_explains_what_to_do(qtbot, ws):
    view = ConsensusView(ws, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.show()
    assert view.table.isHidden() and "Import bundle" in view.empty.text()
    assert not view.editor_box.isEnabled()


def test_view_refreshes_after_an_import(qtbot, merged, tmp_path):
    view = ConsensusView(merged, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.show()
    other = Workspace(tmp_path / "third", evaluator="Ines (Legal)", secrets=InMemorySecretStore())
    try:
        add_rubric(other)
        vendor_bundle = tmp_path / "proc.vebundle"
        BundleService(merged).export(vendor_bundle)
        BundleService(other).import_bundle(vendor_bundle, accept_rubrics=True)
        score_card(other, other.vendors.find("Acme AI").id, {"lawful_basis": 0, "dpa": 3})
        back = tmp_path / "ines.vebundle"
        BundleService(other).export(back, evaluators=["Ines (Legal)"])
    finally:
        other.close()
    BundleService(merged).import_bundle(back)
    assert "Ines (Legal)" in headers(view)
    lawful = next(r for r in range(view.table.rowCount()) if cell(view, r, 0) == "LAWFUL_BASIS")
    assert cell(view, lawful, 4) == "4" and view.table.item(lawful, 5).text() == FLAG_TEXT


def test_page_reads_only_the_shown_vendors_scorecards(qtbot, tmp_path, monkeypatch):
    """Building the page and switching vendor read one vendor's scorecards, never every vendor's."""
    ws = Workspace(tmp_path / "many", evaluator="Paul (Procurement)", secrets=InMemorySecretStore())
    try:
        add_rubric(ws)
        ids = {}
        for name in ("Acme AI", "Beta Labs", "Corvid"):
            ids[name] = ws.vendors.create(name).id
            score_card(ws, ids[name], {"lawful_basis": 3, "dpa": 2})
        ws.vendors.create("Unscored Ltd")
        read: list[str | None] = []
        real = ws.store.scorecards

        def spy(vendor_id: str | None = None, rubric_id: str | None = None) -> list:  # type: ignore[type-arg]
            read.append(vendor_id)
            return real(vendor_id, rubric_id)

        monkeypatch.setattr(ws.store, "scorecards", spy)
        view = ConsensusView(ws, messages=RecordingMessages())
        qtbot.addWidget(view)
        assert read == []  # building the page reads nothing until it is shown
        view.show()
        assert [view.vendor.itemText(i) for i in range(view.vendor.count())] == ["Acme AI", "Beta Labs", "Corvid"]
        assert set(read) == {ids["Acme AI"]} and view.table.rowCount() == 4
        read.clear()
        view.vendor.setCurrentIndex(view.vendor.findText("Corvid"))
        assert set(read) == {ids["Corvid"]} and view.consensus is not None
        assert view.consensus.vendor_name == "Corvid"
    finally:
        ws.close()


def test_a_vendor_name_with_markup_is_shown_as_text(qtbot, ws):  # type: ignore[no-untyped-def]
    add_rubric(ws)
    v = ws.vendors.create("<b>Acme & Co</b>")
    score_card(ws, v.id, {"lawful_basis": 4, "dpa": 2, "retention": 1, "transfers": 3})
    view = ConsensusView(ws, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: "<b>Acme & Co</b>" in view.figures.text(), timeout=5000)
    # shown literally: plain text, so the tags are not taken as bold
    assert view.figures.textFormat() == Qt.TextFormat.PlainText


def test_a_rationale_typed_and_not_recorded_is_kept_while_another_row_is_looked_at(qtbot, merged):
    """A tester typed a rationale, clicked another criterion and came back: the words were gone. They are
    kept with the level picked, marked 'not recorded yet', until recorded."""
    view = ConsensusView(merged, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.show()
    rows = {cell(view, r, 0): r for r in range(view.table.rowCount())}
    view.table.selectRow(rows["DPA"])
    view.level.setCurrentIndex(view.level.findText("4 · L4"))
    qtbot.keyClicks(view.rationale, "Signed DPA seen in the data room")
    view.table.selectRow(rows["RETENTION"])
    assert view.rationale.toPlainText() == "" and "not recorded yet" not in view.criterion_label.text()
    view.table.selectRow(rows["DPA"])
    assert view.rationale.toPlainText() == "Signed DPA seen in the data room"
    assert view.level.currentText() == "4 · L4" and "not recorded yet" in view.criterion_label.text()
    assert view.record_agreed()
    dpa = next(r for r in range(view.table.rowCount()) if cell(view, r, 0) == "DPA")
    view.table.selectRow(next(r for r in range(view.table.rowCount()) if cell(view, r, 0) == "RETENTION"))
    view.table.selectRow(dpa)
    assert "not recorded yet" not in view.criterion_label.text()  # recorded: no draft left
    assert view.rationale.toPlainText() == "Signed DPA seen in the data room"  # as stored


def test_a_long_question_is_shortened_and_the_criterion_text_is_never_cut(qtbot, tmp_path: Path,
                                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On the sample, 'Prohibited practices' has a question of several lines: the editor's label was cut at
    the bottom. It shows the start of the question (all of it in the tooltip) and is as tall as its text."""
    from vendoreval.paths import rubrics_dir
    from vendoreval.services.demo import load_sample
    from vendoreval.ui.views.consensus_view import QUESTION_SHOWN

    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", rubrics_dir)  # the sample needs the shipped ones
    ws = Workspace(tmp_path / "sample", evaluator="ann")
    load_sample(ws)
    view = ConsensusView(ws, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.select(ws.vendors.find("Brightwave Insights").id, "ai-act")
    rows = {view.table.item(r, 0).text(): r for r in range(view.table.rowCount())}
    view.table.selectRow(rows["Prohibited practices (Art. 5)"])
    QApplication.processEvents()
    label = view.criterion_label
    assert len(label.toolTip()) > QUESTION_SHOWN and label.toolTip() not in label.text()
    assert " …" in label.text()
    assert label.height() >= label.heightForWidth(label.width())
    # filled before it was laid out, the page fitted its columns to no width and cut two evaluators' answers
    # ('2 · Our data, infor…') beside a wide criterion column; they are fitted again to the table's width
    for col in (1, 2):
        assert view.table.columnWidth(col) >= view.table.sizeHintForColumn(col)
    ws.close()
