"""The 2026 rubric keys in the app: crosswalk, see-also, worked examples and the change log in the rubric
browser and the scorecard editor, and the upgrade's list of what must be re-scored."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.integration.test_cli_upgrade_crosswalk import write_rubrics
from vendoreval.ui.messages import RecordingMessages

SHOTS = os.environ.get("VENDOREVAL_SHOTS")  # a folder to save screenshots in, for a look


def shot(widget: Any, name: str) -> None:
    if SHOTS:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def add_examples(data_dir: Path) -> None:
    """Give level 2 of 'keep' in law 2026.12 a worked example (the rubric files are TOML we wrote)."""
    path = data_dir / "rubrics" / "law-2026.12.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('description = "Level 2 evidence" }', 'description = "Level 2 evidence", '
                        'example = "A DPA listing sub-processors by name" }', 1)
    path.write_text(text, encoding="utf-8")


def test_browser_shows_crosswalk_see_also_examples_and_change_log(open_window: Any, data_dir: Path) -> None:
    write_rubrics(data_dir)
    add_examples(data_dir)
    window = open_window(data_dir)
    window.resize(1300, 800)
    window.show_page("rubrics")
    browser = window.page("rubrics")
    row = next(i for i, e in enumerate(browser.model.rows()) if (e.rubric.id, e.rubric.version) == ("law", "2026.12"))
    browser.table.selectRow(row)
    text = browser.text.toPlainText()
    assert "Crosswalk: ISO/IEC 42001 A.7.4 — Quality of data; NIST AI RMF MAP 4.1 — Legal risks mapped" in text
    assert "Scored in: GDPR › Training on customer data; missing/thing" in text
    assert "Example: A DPA listing sub-processors by name" in text
    assert "Change log" in text and "Reworded the question" in text and "Law reviewed on 2026-12-01" in text
    shot(window, "rubric-browser-2026")
    # read down the page, then pick another rubric: it starts at its title (it kept the scroll, title cut off)
    window.show()
    browser.text.verticalScrollBar().setValue(browser.text.verticalScrollBar().maximum())
    browser.table.selectRow(0 if row else 1)
    assert browser.text.verticalScrollBar().value() == 0


def test_editor_detail_and_upgrade_list(open_window: Any, data_dir: Path) -> None:
    write_rubrics(data_dir)
    add_examples(data_dir)
    messages = RecordingMessages()
    window = open_window(data_dir, messages)
    window.resize(1300, 860)
    ws = window.session.ws
    v = ws.vendors.create("Acme")
    old = ws.scorecards.create(v.id, "law", "1.0")
    ws.scorecards.set_score(old.id, "keep", "level", level=2)
    window.show_scorecard(old.id)
    editor = window.page("scorecard")
    assert editor.upgrade_button.isVisible()
    editor.upgrade()
    assert editor.card.rubric_version == "2026.12"
    info = [t for kind, title, t in messages.shown if kind == "info" and title == "Scorecard upgraded"]
    assert info == ["Now on rubric version 2026.12: 1 score carried over.\n\n"
                    "To re-score:\n• REWORDED (changed)\n• ADDED (new)"]
    editor.select_row(1)
    editor.select_row(0)
    assert "Crosswalk: ISO/IEC 42001 A.7.4 — Quality of data; NIST AI RMF MAP 4.1" in editor.sources.text()
    assert "Scored in: GDPR › Training on customer data; missing/thing" in editor.sources.text()
    assert editor.level_labels[2].text() == "Level 2 evidence\nExample: A DPA listing sub-processors by name"
    shot(window, "editor-2026")
