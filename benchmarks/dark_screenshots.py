"""Render the main screens of the sample workspace in a dark palette (Fusion), to check them by eye.

Run:  PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/dark_screenshots.py [--out DIR] [--light]
With no --out, writes the two kept in the docs: docs/screenshots/dark-compare-matrix.png and
dark-compare-charts.png. With --out DIR, writes every screen (vendor list, claims, scorecard editor, compare
ranking/matrix/charts, consensus, rubric browser) to DIR; --light renders the same with Fusion's light palette.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1280, 800)
DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
KEPT = {"compare-matrix", "compare-charts"}
DARK = {"Window": "#2b2b2b", "WindowText": "#e6e6e6", "Base": "#1e1e1e", "AlternateBase": "#262626",
        "ToolTipBase": "#333333", "ToolTipText": "#e6e6e6", "Text": "#e6e6e6", "Button": "#353535",
        "ButtonText": "#e6e6e6", "BrightText": "#ff5555", "Link": "#6ab0ff", "Highlight": "#2f65ca",
        "HighlightedText": "#ffffff", "PlaceholderText": "#8a8a8a", "Mid": "#444444", "Dark": "#202020",
        "Light": "#505050", "Midlight": "#404040", "Shadow": "#101010"}


def render(out: Path, *, dark: bool = True, only: set[str] | None = None, prefix: str = "") -> list[Path]:
    """Write the screens (all, or those named in ``only``) as ``prefix + name + .png``; returns their paths."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication, QWidget

    from vendoreval.services.demo import load_sample
    from vendoreval.services.workspace import Workspace
    from vendoreval.ui.app import application
    from vendoreval.ui.main_window import MainWindow
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.tasks import SyncRunner

    app = application()
    app.setStyle("Fusion")
    if dark:
        palette = QPalette()
        for name, colour in DARK.items():
            palette.setColor(getattr(QPalette.ColorRole, name), QColor(colour))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#777777"))
        app.setPalette(palette)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle() -> None:
        for _ in range(8):
            QApplication.processEvents()
            time.sleep(0.02)

    def shot(widget: QWidget, name: str) -> None:
        if only is not None and name not in only:
            return
        settle()
        path = out / f"{prefix}{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["VENDOREVAL_HOME"] = str(Path(tmp) / "home")
        settings = QSettings(str(Path(tmp) / "qsettings.ini"), QSettings.Format.IniFormat)
        folder = Path(tmp) / "sample"
        ws = Workspace(folder, "Dana Whitfield")
        load_sample(ws)
        ws.close()
        window = MainWindow(Workspace(folder, "Dana Whitfield"), messages=RecordingMessages(), runner=SyncRunner(),
                            settings=settings)
        window.resize(*SIZE)
        window.show()
        settle()
        vendors = window.page("vendors")
        rows = vendors.list.model.rows()
        pick = max(rows, key=lambda r: len(window.session.ws.claims.list(r.vendor.id)))
        vendors.list.select(pick.vendor.id)
        shot(window, "vendor-list")
        vendors.detail.tabs.setCurrentWidget(vendors.detail.claims)
        shot(window, "vendor-claims")
        vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
        vendors.detail.scorecards.start_scorecard("gdpr")
        editor = window.page("scorecard")
        editor.list.setFocus()
        for level in (3, 2, 4, 3, 1, 2, 3):
            editor.set_level(level)
            editor.step(1)
        editor.select_row(2)
        shot(window, "scorecard-editor")
        window.show_page("compare")
        compare = window.page("compare")
        compare.refresh_now()
        if compare.comparison and compare.comparison.ranking:
            compare.select_vendor(compare.comparison.ranking[0].vendor_id)
        for i, name in enumerate(["compare-ranking", "compare-matrix", "compare-charts"]):
            compare.tabs.setCurrentIndex(i)
            shot(window, name)
        window.show_page("consensus")
        consensus = window.page("consensus")
        lumen = next(r.vendor.id for r in rows if r.vendor.name == "Lumen Copy")
        consensus.select(lumen, "capabilities")  # the sample's agreed score is on this rubric
        shot(window, "consensus")
        window.show_page("rubrics")
        shot(window, "rubric-browser")
        window.close()
    app.processEvents()
    return written


def main(argv: list[str] | None = None) -> int:
    """Render the screens and list them."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, help="write every screen here (default: the two docs screenshots)")
    parser.add_argument("--light", action="store_true", help="Fusion's light palette instead of the dark one")
    args = parser.parse_args(argv)
    if args.out is None:
        paths = render(DOCS, dark=True, only=KEPT, prefix="dark-")
    else:
        paths = render(args.out, dark=not args.light)
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
