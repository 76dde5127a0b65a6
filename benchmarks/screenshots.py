"""Render the main screens of the sample workspace to docs/screenshots/*.png (offscreen, 1280×800).

Run:  PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1280, 800)


def render(out: Path) -> list[Path]:
    """Write the six screenshots; returns their paths."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from vendoreval.services.demo import load_sample
    from vendoreval.services.settings import AppSettings, load_settings, save_settings
    from vendoreval.services.workspace import Workspace
    from vendoreval.ui.app import application
    from vendoreval.ui.dialogs.settings_dialog import SettingsDialog
    from vendoreval.ui.main_window import MainWindow
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.tasks import SyncRunner

    app = application()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle() -> None:
        for _ in range(5):
            QApplication.processEvents()

    def shot(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["VENDOREVAL_HOME"] = str(Path(tmp) / "home")
        settings = QSettings(str(Path(tmp) / "qsettings.ini"), QSettings.Format.IniFormat)

        def window_on(folder: Path) -> MainWindow:
            w = MainWindow(Workspace(folder, "Dana Whitfield"), messages=RecordingMessages(), runner=SyncRunner(),
                           settings=settings)
            w.resize(*SIZE)
            w.show()
            settle()
            return w

        empty = window_on(Path(tmp) / "empty")
        shot(empty, "first-run")
        empty.close()

        folder = Path(tmp) / "sample"
        ws = Workspace(folder, "Dana Whitfield")
        load_sample(ws)
        save_settings(ws, AppSettings(evaluator="Dana Whitfield", organisation="Northwind Retail — Marketing"))
        ws.close()
        window = window_on(folder)
        vendors = window.page("vendors")
        rows = vendors.list.model.rows()
        pick = max(rows, key=lambda r: len(window.session.ws.claims.list(r.vendor.id)))
        vendors.list.select(pick.vendor.id)
        shot(window, "vendor-list")

        vendors.detail.tabs.setCurrentWidget(vendors.detail.claims)
        shot(window, "vendor-claims")

        # Dana's own draft, part-scored by keyboard, shows progress and the unscored criteria
        vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
        card = vendors.detail.scorecards.start_scorecard("gdpr")
        editor = window.page("scorecard")
        editor.list.setFocus()
        for level in (3, 2, 4, 3, 1, 2, 3):
            editor.set_level(level)
            editor.step(1)
        editor.select_row(2)
        assert card is not None
        shot(window, "scorecard-editor")

        window.show_page("rubrics")
        browser = window.page("rubrics")
        entries = browser.model.rows()
        idx = next((i for i, e in enumerate(entries) if e.rubric.id == "gdpr"), 0)
        browser.table.selectRow(idx)
        shot(window, "rubric-browser")

        dialog = SettingsDialog(load_settings(window.session.ws), str(folder), window)
        dialog.show()
        shot(dialog, "settings")
        dialog.close()
        window.close()
    app.processEvents()
    return written


def main(argv: list[str] | None = None) -> int:
    """Render the screenshots and list them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "screenshots")
    args = parser.parse_args(argv)
    for path in render(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
