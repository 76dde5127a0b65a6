"""Colours that carry meaning (levels, knock-outs, flags) stay readable in a light and a dark palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from tests.integration.test_compare_cli import DEFAULT, build_workspace
from vendoreval.ui import colours
from vendoreval.ui.models import comparison_model as cm
from vendoreval.ui.models.comparison_model import MatrixModel, RankingModel
from vendoreval.ui.views import consensus_view as cv
from vendoreval.ui.views.compare_view import CompareView
from vendoreval.ui.widgets import charts

LIGHT_BASE, DARK_BASE = QColor("#ffffff"), QColor("#1e1e1e")
LIGHT_TEXT, DARK_TEXT = QColor("#000000"), QColor("#e6e6e6")


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the small test rubrics: fast."""
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


def test_text_on_picks_the_readable_side() -> None:
    assert colours.text_on(QColor("#ffffff")) == colours.DARK_TEXT
    assert colours.text_on(QColor("#101010")) == colours.LIGHT_TEXT
    assert colours.text_on(QColor("#1f5f8b")) == colours.LIGHT_TEXT  # a mid-dark blue takes light text
    assert colours.contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)


@pytest.mark.parametrize("background", [*cm.LEVEL_COLOURS, cm.NON_ANSWER_BG, cm.TOTAL_BG, cm.KO_ROW_BG, cm.KO_BG,
                                        cv.AGREED_BG, cv.FLAG_BG])
def test_every_fixed_cell_colour_has_readable_text(background: Any) -> None:
    bg = QColor(background)
    assert colours.contrast(colours.text_on(bg), bg) >= colours.TEXT_CONTRAST


def test_meaning_colours_on_their_own_backgrounds() -> None:
    for fg, bg in ((cm.KO_FG, cm.KO_BG), (cm.KO_FG, cm.KO_ROW_BG), (cv.FLAG_FG, cv.FLAG_BG)):
        assert colours.contrast(fg, bg) >= colours.TEXT_CONTRAST, (fg.name(), bg.name())


def test_chart_ink_follows_the_palette() -> None:
    light = charts.ink_for(LIGHT_BASE, LIGHT_TEXT)
    dark = charts.ink_for(DARK_BASE, DARK_TEXT)
    assert light.ko == charts.KO_COLOUR and light.evidence == charts.EVIDENCE_COLOUR  # unchanged where readable
    assert light.text == LIGHT_TEXT and dark.text == DARK_TEXT
    for ink, base in ((light, LIGHT_BASE), (dark, DARK_BASE)):
        assert colours.contrast(ink.text, base) >= colours.TEXT_CONTRAST
        assert colours.contrast(ink.ko, base) >= colours.TEXT_CONTRAST
        assert colours.contrast(ink.muted, base) >= colours.TEXT_CONTRAST
        assert colours.contrast(ink.evidence, base) >= colours.GRAPHIC_CONTRAST
        assert colours.contrast(ink.claimed, base) >= colours.GRAPHIC_CONTRAST
    # lightened, not replaced: knocked-out red stays red in the dark palette
    assert dark.ko.red() > 2 * dark.ko.green() and dark.ko.red() > 2 * dark.ko.blue()
    # a palette whose text would vanish on the base gets a readable text colour instead
    assert charts.ink_for(DARK_BASE, QColor("#222222")).text == colours.LIGHT_TEXT


def test_muted_hint_is_readable_in_a_dark_palette(qtbot: Any) -> None:
    label = QLabel("hint")
    qtbot.addWidget(label)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    label.setPalette(palette)
    colours.mute(label)
    role = QPalette.ColorRole
    text, window = label.palette().color(role.WindowText), label.palette().color(role.Window)
    assert colours.contrast(text, window) >= colours.TEXT_CONTRAST
    assert colours.contrast(text, window) < colours.contrast(QColor("#e6e6e6"), window)  # softer than body text


def _cells_readable(model: RankingModel | MatrixModel) -> int:
    """Check every cell that sets a background also sets a text colour readable on it; returns how many."""
    checked = 0
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            bg = model.data(index, Qt.ItemDataRole.BackgroundRole)
            if bg is None:
                continue
            fg = model.data(index, Qt.ItemDataRole.ForegroundRole)
            assert fg is not None, (row, col)  # otherwise the palette's text is used: light on light in dark mode
            assert colours.contrast(fg.color(), bg.color()) >= colours.TEXT_CONTRAST, (row, col)
            checked += 1
    return checked


def test_compare_tables_colour_text_with_their_backgrounds(qtbot: Any, ws: Any, tmp_path: Path) -> None:
    build_workspace(ws, tmp_path / "rubrics", DEFAULT)  # Gamma is knocked out
    view = CompareView(ws)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.refresh_now()
    assert _cells_readable(view.ranking_model) > 0  # the knocked-out row
    assert _cells_readable(view.matrix_model) > 10  # levels, totals and the knock-out line


def test_bundle_status_lines_stay_readable_in_both_palettes(qtbot: Any) -> None:
    from vendoreval.ui.dialogs import bundle_dialog

    for window, kept in ((QColor("#efefef"), True), (QColor("#2b2b2b"), False)):
        label = QLabel("Signed by Claire")
        qtbot.addWidget(label)
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.Window, window)
        label.setPalette(palette)
        bundle_dialog._tone(label, bundle_dialog._WARN, bold=True)
        style = label.styleSheet()
        colour = QColor(style.split("color:")[1].split(";")[0].strip())
        assert colours.contrast(colour, window) >= colours.TEXT_CONTRAST, style
        assert (colour == bundle_dialog._WARN) == kept and "bold" in style  # amber kept where it reads
