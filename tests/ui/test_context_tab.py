"""The Context tab: the engagement-context form on the vendor page (combo boxes, check lists, undo)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from vendoreval.domain.context import CHOICES, US_STATES


def _tab(window):  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Brightwave"})
    tab = vendors.detail.context
    vendors.detail.tabs.setCurrentWidget(tab)
    return tab, vendor


def _tick(box, value: str) -> None:  # type: ignore[no-untyped-def]
    item = next(box.item(i) for i in range(box.count()) if box.item(i).data(Qt.ItemDataRole.UserRole) == value)
    item.setCheckState(Qt.CheckState.Checked if item.checkState() != Qt.CheckState.Checked
                       else Qt.CheckState.Unchecked)


def _ticked(box) -> list[str]:  # type: ignore[no-untyped-def]
    return [box.item(i).data(Qt.ItemDataRole.UserRole) for i in range(box.count())
            if box.item(i).checkState() == Qt.CheckState.Checked]


def test_the_form_offers_the_vocabulary(window) -> None:  # type: ignore[no-untyped-def]
    tab, _ = _tab(window)
    for key, combo in tab.combos.items():
        assert [combo.itemData(i) for i in range(combo.count())] == [None, *CHOICES[key]]
        assert combo.currentIndex() == 0 and combo.isEnabled()
    markets = tab.lists["markets"]
    values = [markets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(markets.count())]
    assert values[:3] == ["none", "eu", "uk"] and {v[3:] for v in values[3:]} == US_STATES
    assert markets.item(3).text() == "Alabama (US) — us-al"
    assert [tab.lists["generates"].item(i).text() for i in range(5)] == [
        "None: it generates no content", "Text", "Images", "Audio", "Video"]
    assert "Every criterion applies" in tab.effect.text()


def test_answers_are_saved_at_once_shown_with_their_effect_and_undone(window) -> None:  # type: ignore[no-untyped-def]
    tab, vendor = _tab(window)
    ws = window.session.ws
    tab.combos["personal-data"].setCurrentIndex(tab.combos["personal-data"].findData("controller"))
    assert ws.contexts.get(vendor.id).as_json() == {"personal-data": "controller"}
    assert ("GDPR › Data processing agreement (Art. 28)</b> — not applicable: the vendor is an independent "
            "controller of the personal data, not our processor") in tab.effect.text()
    _tick(tab.lists["markets"], "us-ca")
    _tick(tab.lists["markets"], "eu")
    assert ws.contexts.get(vendor.id).get("markets") == ("eu", "us-ca")
    _tick(tab.lists["markets"], "none")  # 'None' clears the others
    assert _ticked(tab.lists["markets"]) == ["none"] and ws.contexts.get(vendor.id).get("markets") == ()
    _tick(tab.lists["generates"], "text")
    _tick(tab.lists["generates"], "text")  # nothing ticked: not answered again
    assert ws.contexts.get(vendor.id).get("generates") is None
    entries = [e for e in ws.history(vendor.id) if e.entity == "engagement_context"]
    assert [(e.field, e.new) for e in entries][:2] == [("generates", None), ("generates", "text")]
    window.registry["undo"].trigger()  # generates back to text
    assert ws.contexts.get(vendor.id).get("generates") == ("text",) and _ticked(tab.lists["generates"]) == ["text"]
    for _ in range(4):
        window.registry["undo"].trigger()
    assert ws.contexts.get(vendor.id).as_json() == {"personal-data": "controller"}
    window.registry["undo"].trigger()
    assert ws.contexts.get(vendor.id).is_empty() and tab.combos["personal-data"].currentIndex() == 0
    window.registry["redo"].trigger()
    assert tab.combos["personal-data"].currentData() == "controller"


def test_the_compare_page_no_longer_knocks_out_what_the_form_rules_out(window) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.domain.models import EvidenceStrength

    tab, vendor = _tab(window)
    ws = window.session.ws
    card = ws.scorecards.create(vendor.id, "gdpr")
    ws.scorecards.set_score(card.id, "dpa", level=0, strength=EvidenceStrength.OWN_TEST)
    [before] = ws.totals.vendor_totals()
    assert any(k.criterion_id == "dpa" for k in before.overall.knockouts)
    tab.combos["personal-data"].setCurrentIndex(tab.combos["personal-data"].findData("joint-controller"))
    [after] = ws.totals.vendor_totals()
    assert not any(k.criterion_id == "dpa" for k in after.overall.knockouts)
    dpa = next(r for r in after.rubrics["gdpr"].score.criteria if r.criterion_id == "dpa")
    assert dpa.not_applicable_reason == ("not applicable: the vendor is a joint controller of the personal data "
                                         "with us, not our processor")


def test_screenshot(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab, vendor = _tab(window)
    ws = window.session.ws
    ws.contexts.set(vendor.id, {"gpai-model": "third-party", "personal-data": "controller", "generates": "text",
                                "annex-iii": "no", "markets": "eu,uk,us-ca", "crawls-or-fine-tunes": "no"})
    window.resize(1280, 860)
    tab.refresh()
    out = Path(os.environ.get("VENDOREVAL_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(out / "vendor-context.png"))


def test_the_scorecard_editor_says_when_the_context_rules_a_criterion_out(window) -> None:  # type: ignore[no-untyped-def]
    _, vendor = _tab(window)
    ws = window.session.ws
    card = ws.scorecards.create(vendor.id, "gdpr")
    window.show_scorecard(card.id)
    editor = window.page("scorecard")
    row = next(i for i, c in enumerate(editor.model.criteria) if c.id == "dpa")
    editor.select_row(row)
    assert "Engagement context" not in editor.sources.text()
    ws.contexts.set(vendor.id, {"personal-data": "none"})
    editor.select_row(row)
    assert ("Engagement context — not applicable: the product processes no personal data for us.</b> Whatever "
            "is scored here does not count") in editor.sources.text()


def test_the_consensus_page_marks_a_ruled_out_criterion_na(qtbot, ws) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.domain.models import EvidenceStrength
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.views.consensus_view import FLAG_TEXT, ConsensusView

    v = ws.vendors.create("Acme")
    for evaluator, level in (("ann", 0), ("bob", 4)):
        ws.set_evaluator(evaluator)
        card = ws.scorecards.create(v.id, "gdpr")
        ws.scorecards.set_score(card.id, "dpa", level=level, strength=EvidenceStrength.OWN_TEST)
    view = ConsensusView(ws, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.show()
    view.rubric.setCurrentIndex(view.rubric.findData("gdpr"))
    row = next(r for r in range(view.table.rowCount())
               if view.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "dpa")
    flag_col = view.table.columnCount() - 2
    assert view.table.item(row, flag_col).text() == FLAG_TEXT
    ws.contexts.set(v.id, {"personal-data": "controller"})
    row = next(r for r in range(view.table.rowCount())
               if view.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "dpa")
    flag = view.table.item(row, flag_col)
    assert flag.text() == "N/A" and "independent controller" in flag.toolTip()
