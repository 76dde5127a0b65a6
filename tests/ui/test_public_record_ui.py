"""The public record in the app (Baselines 2–4): the FMTI baseline of the model behind a vendor on its
scorecard (header and the criteria it bears on) and in compare, and scores to re-check after a new
model version, confirmed from the scorecard."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from vendoreval.services.ageing import AgeingService
from vendoreval.services.supply_chain import SupplyChainService
from vendoreval.ui.models.comparison_model import PUBLIC_COLUMN


def _brightwave(window):  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Brightwave"})
    ws = window.session.ws
    SupplyChainService(ws).add(vendor.id, "OpenAI", "GPT-4o", version="2024-08-06")
    vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
    card = vendors.detail.scorecards.start_scorecard("training-data")
    assert card is not None
    return vendor, card, window.page("scorecard")


def _select(editor, criterion_id: str) -> None:  # type: ignore[no-untyped-def]
    row = next(i for i, c in enumerate(editor.model.criteria) if c.id == criterion_id)
    editor.select_row(row)


def test_the_scorecard_shows_the_baseline_of_the_model_behind_the_vendor(window) -> None:  # type: ignore[no-untyped-def]
    _vendor, _card, editor = _brightwave(window)
    header = editor.record_label.text()
    assert "Built on OpenAI GPT-4o (2024-08-06): OpenAI: 35/100 in FMTI December 2025" in header
    _select(editor, "text-tokens")
    assert ("Public record — OpenAI in FMTI December 2025 (35/100): Data size: not disclosed"
            in editor.sources.text())
    _select(editor, "source-decomposition")
    assert "Public record — OpenAI" in editor.sources.text()
    assert not editor.recheck_button.isVisible()


def test_a_new_model_version_marks_scores_to_recheck_until_confirmed(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    vendor, card, editor = _brightwave(window)
    _select(editor, "text-tokens")
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_2)
    ws = window.session.ws
    assert ws.scorecards.get(card.id).scores["text-tokens"].level == 2
    time.sleep(1.05)  # time stamps have whole seconds: the new version comes after the score
    SupplyChainService(ws).set_version(vendor.id, "GPT-4o", "2024-11-20")
    qtbot.waitUntil(lambda: "to re-check" in editor.record_label.text(), timeout=3000)
    assert "↻ 1 score to re-check" in editor.record_label.text()
    assert "↻ To re-check: Brightwave: OpenAI GPT-4o version 2024-08-06 → 2024-11-20" in editor.sources.text()
    assert editor.recheck_button.isVisibleTo(editor)
    editor.recheck_button.click()
    assert not [r for r in AgeingService(ws).rechecks(vendor.id) if r.scorecard_id == card.id]
    qtbot.waitUntil(lambda: not editor.recheck_button.isVisibleTo(editor), timeout=3000)
    assert "to re-check" not in editor.record_label.text()
    assert any(e.field == "recheck" for e in ws.history(vendor.id))


def test_compare_shows_the_public_record_column_only_when_there_is_one(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    plain = vendors.new_vendor({"name": "Plain"})
    ws = window.session.ws
    for v in (plain,):
        card = ws.scorecards.create(v.id, "viability")
        ws.scorecards.set_score(card.id, ws.scorecards.rubric_of(card).criteria[0].id, level=2)
    window.show_page("compare")
    page = window.page("compare")
    page.refresh_now()
    qtbot.waitUntil(lambda: len(page.ranked_names()) == 1, timeout=5000)
    assert page.ranking.isColumnHidden(PUBLIC_COLUMN)
    SupplyChainService(ws).add(plain.id, "OpenAI", "GPT-4o")
    page.refresh_now()
    qtbot.waitUntil(lambda: not page.ranking.isColumnHidden(PUBLIC_COLUMN), timeout=5000)
    cell = page.ranking_model.index(0, PUBLIC_COLUMN)
    assert cell.data() == "FMTI 35/100"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == ("Plain is built on OpenAI GPT-4o, whose developer OpenAI "
                                                      "scores 35/100 in FMTI December 2025.")


def test_compare_fits_cost_and_public_record_at_1280_without_scrolling(open_window, data_dir, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The sample workspace (costs recorded) with a model behind one vendor: every column in sight, and
    the columns that say the same for every vendor (all 100 % stable, all fully scored) are left out."""
    from vendoreval.services.demo import load_sample
    from vendoreval.services.workspace import Workspace

    seed = Workspace(data_dir, evaluator="ann")
    load_sample(seed)
    SupplyChainService(seed).add(seed.vendors.find("Brightwave Insights").id, "OpenAI", "GPT-4o")
    seed.close()
    window = open_window(data_dir)
    window.resize(1280, 800)
    window.show_page("compare")
    page = window.page("compare")
    table, header = page.ranking, page.ranking.horizontalHeader()
    qtbot.waitUntil(lambda: table.viewport().width() > 600 and len(page.ranked_names()) == 5, timeout=5000)
    shown = [page.ranking_model.headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())
             if not table.isColumnHidden(c)]
    assert shown == ["Rank", "Vendor", "Score", "Total\ncost", "Claimed", "Gap", "Decision", "Public\nrecord",
                     "Status"]
    assert table.horizontalScrollBar().maximum() == 0


def test_six_vendors_with_every_column_fit_at_1400_by_900(open_window, data_dir, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The sample workspace with six vendors and more (one partly scored, one on a model with a public record):
    the Scored and Public record columns join, and the status with the knock-out reasons keeps its room
    beside them, vendor names are shown whole (wrapped, not cut) and nothing scrolls sideways."""
    from vendoreval.domain.models import EvidenceStrength
    from vendoreval.services.demo import load_sample
    from vendoreval.services.workspace import Workspace

    seed = Workspace(data_dir, evaluator="ann")
    load_sample(seed)
    SupplyChainService(seed).add(seed.vendors.find("Brightwave Insights").id, "OpenAI", "GPT-4o")
    rubric = seed.library.latest_all()[0]
    for name in ("Halcyon Copy Labs", "Corvid Analytics"):
        card = seed.scorecards.create(seed.vendors.create(name).id, rubric.id)
        seed.scorecards.set_score(card.id, rubric.criteria[0].id, level=2, strength=EvidenceStrength.OWN_TEST)
    seed.close()
    window = open_window(data_dir)
    window.resize(1400, 900)
    window.show_page("compare")
    page = window.page("compare")
    table, header, model = page.ranking, page.ranking.horizontalHeader(), page.ranking_model
    qtbot.waitUntil(lambda: table.viewport().width() > 600 and len(page.ranked_names()) == 7, timeout=5000)
    qtbot.wait(50)  # the refit after the layout settled
    assert not table.isColumnHidden(7) and not table.isColumnHidden(10)  # Scored and Public record shown
    assert table.horizontalScrollBar().maximum() == 0
    width = table.viewport().width()
    status = model.columnCount() - 1
    for col in range(header.count()):
        right = header.sectionViewportPosition(col) + header.sectionSize(col)
        assert right <= width, f"column {model.headerData(col, Qt.Orientation.Horizontal)!r} is cut off"
    assert header.sectionSize(status) >= width // 5  # room to read the reasons, not 'St' or '✖ Disc…'
    metrics = table.fontMetrics()
    for row in range(model.rowCount()):
        name = model.index(row, 1).data()
        assert model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole) == name
        # every word of the name fits the column, and the row is tall enough for the lines it wraps to
        assert all(metrics.horizontalAdvance(w) + 8 <= table.columnWidth(1) for w in name.split())
        lines = metrics.boundingRect(0, 0, table.columnWidth(1) - page._pad_x(), 10_000,
                                     int(Qt.TextFlag.TextWordWrap), name).height()
        assert lines <= table.rowHeight(row), f"{name!r} is cut"
