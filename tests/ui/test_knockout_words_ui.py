"""What the app says of a knock-out criterion the vendor did not disclose: Compare's ranking says it did not
disclose (not the rubric's level-0 reason as a fact), and the scorecard names the criterion that knocked the
vendor out, in its header and in its criteria list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.integration.test_knockout_not_disclosed import FACT, SAID, not_disclosed_training
from vendoreval.services.workspace import Workspace
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.models.comparison_model import STATUS_COLUMN
from vendoreval.ui.views.compare_view import CompareView


def test_compare_says_the_vendor_did_not_disclose(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    not_disclosed_training(ws)
    view = CompareView(ws, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.ranked_names() == ["Acme"], timeout=10000)
    status = view.ranking_model.index(0, STATUS_COLUMN).data()
    assert SAID in status and FACT not in status


def test_the_scorecard_names_the_knock_out_criterion(open_window, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(data_dir, evaluator="ann")
    card_id = not_disclosed_training(ws)
    ws.close()
    window = open_window(data_dir)
    window.show_scorecard(card_id)
    editor = window.page("scorecard")
    header = editor.scores_label.text()
    assert "<b>knocked out</b> by Training on our data" in header
    marked = [editor.model.index(i).data() for i in range(editor.model.rowCount())
              if "knock-out" in editor.model.index(i).data()]
    assert len(marked) == 1 and marked[0].endswith("Training on our data  ✖ knock-out")
    row = next(i for i in range(editor.model.rowCount()) if "✖" in editor.model.index(i).data())
    assert SAID in editor.model.index(row).data(Qt.ItemDataRole.ToolTipRole)
