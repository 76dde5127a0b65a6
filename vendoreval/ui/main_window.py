"""The main window: composes the action registry, menus, toolbar, pages and status bar (no logic here)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)
from shiboken6 import isValid

from ..services.profiles import BALANCED
from ..services.settings import recent_workspaces
from ..services.workspace import Workspace
from .actions import ActionRegistry, ActionSpec
from .commands import AppCommands, open_url
from .last_place import LastPlace
from .messages import Messages
from .pages import COMPARE, CONSENSUS, PAGES, RUBRICS, SCORECARD, VENDORS, LazyPage, PageSpec
from .session import Session
from .tasks import Runner, SyncRunner
from .team import TeamController
from .widgets.read_only_banner import READ_ONLY_STATUS, with_read_only_banner
from .widgets.status_notes import StatusNotes
from .widgets.team_status import TeamStatusItem
from .widgets.wheel_guard import install_wheel_guard

if TYPE_CHECKING:
    from .single_instance import Claim
    from .views.vendors_view import VendorsView

SK = QKeySequence.StandardKey
P = TypeVar("P", bound=QWidget)


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y, with the platform's own Redo keys, each once.

    On X11 the standard Redo key *is* Ctrl+Shift+Z; listing it twice made Qt call the shortcut ambiguous
    and fire neither (found in use under Xvfb: redo by keyboard did nothing).
    """
    keys: list[QKeySequence] = []
    for key in [*QKeySequence.keyBindings(SK.Redo), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]:
        if not key.isEmpty() and key not in keys:
            keys.append(key)
    return keys


class MainWindow(QMainWindow):
    """Menus and toolbar from the action registry, a page sidebar, and a quiet save indicator."""

    def __init__(self, ws: Workspace, *, messages: Messages | None = None, runner: Runner | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        install_wheel_guard()  # the wheel scrolls forms, not the combo boxes and spin boxes in them
        self.notes = StatusNotes(self.statusBar())  # status-bar notes a toolbar tip does not wipe out
        self.setWindowTitle("vendoreval")
        self.messages = messages or Messages()
        self.runner: Runner = runner or SyncRunner()
        self.qsettings = settings or QSettings("vendoreval", "vendoreval")
        self.open_url = open_url
        self.commands = AppCommands(self)
        self.registry = ActionRegistry(self)
        self.session: Session
        self.instance_claim: Claim | None = None  # the workspace's lock, when ui/app.py took it for this window
        self.place: LastPlace | None = None
        self.painted = False  # the window has painted once (background work of the session waits for it)
        self.lazy_pages: dict[str, LazyPage[Any]] = {}
        self.page_specs: list[PageSpec[Any]] = []
        self.team: TeamController
        self.team_item = TeamStatusItem(self)  # "Team: 3 members, synced 2 min ago"; opens the Team folder
        self.team_item.clicked.connect(self.commands.team_folder)
        self.statusBar().addPermanentWidget(self.team_item)
        self.saved_label = QLabel(self)
        self._failure_note = ""  # the refusal the status bar shows, cleared by the next save
        self.saved_label.setAccessibleName("Save status")
        self.saved_label.setToolTip("Every change is saved the moment you make it")
        self.statusBar().addPermanentWidget(self.saved_label)
        self._build_actions()
        self._build_menus()
        self._show_workspace(ws)
        self.setMinimumSize(800, 560)  # the pages scroll below this; smaller would squash the page list and tabs
        self.resize(1280, 800)
        geometry = self.qsettings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    # --- composition ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        a, c = self.registry, self.commands
        a.add(ActionSpec("new_vendor", "&New vendor…", SK.New, "Add a vendor to evaluate", toolbar=True),
              lambda: self._vendors().new_vendor())
        a.add(ActionSpec("open_workspace", "&Open workspace…", SK.Open, "Switch to another data folder"),
              c.choose_workspace)
        a.add(ActionSpec("load_sample", "Load &sample workspace", None,
                         "Fill this workspace with fictional sample vendors"), c.load_sample)
        a.add(ActionSpec("export_brief", "Export board &brief…", "Ctrl+E", "A PDF for the board", toolbar=True),
              c.export_brief)
        a.add(ActionSpec("export_bundle", "Export for a &colleague…", None,
                         "A signed bundle of your scorecards for another evaluator"),
              c.export_bundle)
        a.add(ActionSpec("import_bundle", "&Import bundle…", None, "Import a colleague's signed bundle"),
              c.import_bundle)
        a.add(ActionSpec("import_file", "Im&port claims or scores…", "Ctrl+I",
                         "Claims or scores from a CSV or XLSX file, previewed before anything is written"),
              lambda: c.import_file())
        a.add(ActionSpec("settings", "Se&ttings…", SK.Preferences if not QKeySequence(SK.Preferences).isEmpty()
                         else "Ctrl+,", "Evaluator, organisation and logo"), c.edit_settings)
        a.add(ActionSpec("team_folder", "&Team folder…", None, "Share scorecards through a folder your team syncs"),
              c.team_folder)
        a.add(ActionSpec("quit", "&Quit", SK.Quit if not QKeySequence(SK.Quit).isEmpty() else "Ctrl+Q"), self.close)
        a.add(ActionSpec("undo", "&Undo", SK.Undo, toolbar=True), lambda: self._step_undo(undo=True))
        a.add(ActionSpec("redo", "&Redo", "Ctrl+Shift+Z", toolbar=True), lambda: self._step_undo(undo=False))
        a.add(ActionSpec("find", "&Find vendor", SK.Find, "Search the vendor list"), self._find)
        a.add(ActionSpec("archive_vendor", "&Archive or unarchive vendor", "Ctrl+Shift+A",
                         "Hide the selected vendor from the list, or bring it back"),
              lambda: self._vendors().archive_current())
        a.add(ActionSpec("delete_vendor", "&Delete vendor…", "Ctrl+Shift+Backspace",
                         "Delete the selected vendor (can be undone)"), lambda: self._vendors().delete_current())
        a.add(ActionSpec("due_review", "&Due for review…", "Ctrl+Shift+D",
                         "Stale or soon-due evidence, claims and reassessments of every vendor"), c.due_review)
        a.add(ActionSpec("shortcuts", "&Keyboard shortcuts", "F1"), c.shortcuts)
        a.add(ActionSpec("log_folder", "Open &log folder", None, "The app's log files, for support"),
              c.open_log_folder)
        a.add(ActionSpec("about", "&About vendoreval", None, "Version and licences"), c.about)
        for key, short in (("undo", "Undo"), ("redo", "Redo"), ("new_vendor", "New vendor"),
                           ("export_brief", "Board brief")):
            a[key].setIconText(short)  # the toolbar keeps a short label while the menu says what is undone
        a["redo"].setShortcuts(redo_shortcuts())

    def _build_menus(self) -> None:
        a = self.registry
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(a["new_vendor"])
        file.addSeparator()
        file.addAction(a["open_workspace"])
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addAction(a["load_sample"])
        file.addSeparator()
        for key in ("import_file", "export_brief", "export_bundle", "import_bundle"):
            file.addAction(a[key])
        file.addSeparator()
        file.addAction(a["settings"])
        file.addAction(a["team_folder"])
        file.addSeparator()
        file.addAction(a["quit"])
        edit = bar.addMenu("&Edit")
        for key in ("undo", "redo"):
            edit.addAction(a[key])
        edit.addSeparator()
        edit.addAction(a["find"])
        vendor = bar.addMenu("&Vendor")
        for key in ("new_vendor", "archive_vendor", "delete_vendor"):
            vendor.addAction(a[key])
        vendor.addSeparator()
        vendor.addAction(a["due_review"])
        self.view_menu = bar.addMenu("V&iew")
        help_menu = bar.addMenu("&Help")
        for key in ("shortcuts", "log_folder", "about"):
            help_menu.addAction(a[key])
        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        for key in self.registry.toolbar_keys():
            self.toolbar.addAction(a[key])
        self.addToolBar(self.toolbar)

    def set_workspace(self, ws: Workspace) -> None:
        """Switch to another workspace: the current one is closed, then ``ws`` is shown."""
        if self.place is not None:
            self.place.stop()  # the old workspace's place is kept as it was
        old = self.session
        self.team.close()
        old.close()
        old.ws.close()
        old.deleteLater()
        self._show_workspace(ws)

    def _show_workspace(self, ws: Workspace) -> None:
        """A new session (fresh undo history) and freshly built pages."""
        self.session = Session(ws, messages=self.messages, runner=self.runner, parent=self)
        self.session.dialog_parent = self
        self.session.saved.connect(self._saved)
        self.session.failed.connect(self._failed)
        self.session.said.connect(lambda text: self.notes.show(text, 8000))
        self.session.typing.connect(lambda: self.saved_label.setText("Saving…"))
        self.session.open_scorecard.connect(self.show_scorecard)
        if not self.painted:
            self.session.hold_until_painted()  # released by the first paintEvent
        self._bind_undo()
        self.team = TeamController(self.session)  # syncs with the team folder in the background
        self.team_item.follow(self.team)
        self.sidebar = _Sidebar(self)
        self.sidebar.setAccessibleName("Pages")
        self.sidebar.setSpacing(2)
        self.sidebar.setStyleSheet("QListWidget::item { padding: 6px 10px; }")  # spacing only: palette colours
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget(self)
        self.lazy_pages, self.page_specs = {}, []
        self.view_menu.clear()
        for i, spec in enumerate(PAGES):
            widget = LazyPage(spec, self.session, self)
            self.lazy_pages[spec.key] = widget
            self.page_specs.append(spec)
            self.stack.addWidget(widget)
            item = QListWidgetItem(spec.title)
            item.setToolTip(spec.tip)
            self.sidebar.addItem(item)
            act = QAction(spec.title, self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.setToolTip(spec.tip)
            act.triggered.connect(lambda _c=False, k=spec.key: self.show_page(k))
            self.view_menu.addAction(act)
        self.sidebar.fit_titles()
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        first_run = self.built(VENDORS).first_run
        first_run.load_sample.connect(self.registry["load_sample"].trigger)
        first_run.open_workspace.connect(self.registry["open_workspace"].trigger)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.sidebar)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([130, 1150])
        split.setChildrenCollapsible(False)
        old_central = self.centralWidget()
        self.setCentralWidget(with_read_only_banner(split, ws))
        if old_central is not None:
            old_central.deleteLater()
        self.setWindowTitle(f"vendoreval — {ws.data_dir}")
        self.saved_label.setText(READ_ONLY_STATUS if ws.read_only else "All changes saved")
        self.place = LastPlace(self.qsettings, ws.data_dir)
        self.place.restore(self)  # reopen where the user was in this workspace
        self.place.watch(self)
        self.team.start()

    def _bind_undo(self) -> None:
        stack = self.session.undo_stack
        undo, redo = self.registry["undo"], self.registry["redo"]

        def update() -> None:
            if not isValid(stack) or not isValid(undo):
                return  # the window is being torn down
            undo.setEnabled(stack.canUndo())
            redo.setEnabled(stack.canRedo())
            undo.setText(f"&Undo {stack.undoText()}" if stack.canUndo() else "&Undo")
            redo.setText(f"&Redo {stack.redoText()}" if stack.canRedo() else "&Redo")

        stack.indexChanged.connect(lambda _i: update())
        update()

    def _step_undo(self, *, undo: bool) -> None:
        """Undo (or redo) the last change and say which in the status bar: it may be on another page (a tester
        undid a rationale from the Rubrics page and saw nothing happen)."""
        stack = self.session.undo_stack
        text = stack.undoText() if undo else stack.redoText()
        if not (stack.canUndo() if undo else stack.canRedo()):
            return
        stack.undo() if undo else stack.redo()
        self.notes.show(f"{'Undone' if undo else 'Redone'}: {text}", 6000)

    # --- navigation -------------------------------------------------------------------------

    def built(self, spec: PageSpec[P]) -> P:
        """The page of this spec (``pages.VENDORS``...), built if it was not shown yet."""
        lazy: LazyPage[P] = self.lazy_pages[spec.key]
        return lazy.build()

    def page(self, key: str) -> QWidget:
        """The page with this id, built if it was not shown yet (for tests and scripts)."""
        return self.lazy_pages[key].build()

    @property
    def pages(self) -> dict[str, QWidget]:
        """Every page, built (for tests and scripts)."""
        return {key: self.page(key) for key in self.lazy_pages}

    def _vendors(self) -> VendorsView:
        self.show_page(VENDORS.key)
        return self.built(VENDORS)

    def shown_profile(self) -> str:
        """The weight profile the Compare page shows, once it has been opened; else 'balanced'."""
        compare = self._if_built(COMPARE)
        name = compare.profile.currentData() if compare is not None else None
        return name if isinstance(name, str) and name else BALANCED

    def compare_weights_edited(self) -> bool:
        """True when the Compare page shows weights edited and not saved as a profile (a brief does not use them)."""
        compare = self._if_built(COMPARE)
        return bool(compare is not None and compare.weights_edited)

    def show_page(self, key: str) -> None:
        """Bring a page to the front."""
        keys = [s.key for s in self.page_specs]
        if key in keys:
            self.sidebar.setCurrentRow(keys.index(key))

    def show_scorecard(self, card_id: str) -> None:
        """Open a scorecard in the editor page."""
        self.show_page(SCORECARD.key)
        self.built(SCORECARD).open_card(card_id)

    def reload_pages(self) -> None:
        """Re-read data shown by pages (after an import or the sample workspace)."""
        vendors = self._if_built(VENDORS)
        if vendors is not None:
            vendors.reload()
            vendors.detail.refill_rubrics()
        rubrics = self._if_built(RUBRICS)
        if rubrics is not None:
            rubrics.refresh()
        compare, consensus = self._if_built(COMPARE), self._if_built(CONSENSUS)
        if compare is not None:
            compare.reload()
        if consensus is not None:
            consensus.reload()

    def _if_built(self, spec: PageSpec[P]) -> P | None:
        lazy: LazyPage[P] = self.lazy_pages[spec.key]
        return lazy.page

    def _find(self) -> None:
        self._vendors().focus_search()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = self.session.ws.data_dir.resolve()
        folders = [p for p in recent_workspaces() if p != current]
        if not folders:
            self.recent_menu.addAction("No other recent workspaces").setEnabled(False)
        for path in folders:
            act = self.recent_menu.addAction(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.commands.open_workspace(p, must_exist=True))

    # --- status -----------------------------------------------------------------------------

    def _saved(self) -> None:
        if self.session.ws.read_only:
            return  # nothing was saved
        self.saved_label.setText(f"All changes saved · {time.strftime('%H:%M')}")
        if self._failure_note and self.notes.current() == self._failure_note:
            self.notes.clear()  # an older refusal no longer describes the last change
        self._failure_note = ""

    def _failed(self, text: str) -> None:
        self.saved_label.setText("Last change NOT saved")
        self._failure_note = text
        self.notes.show(text, 10000)

    # --- closing ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """The first paint releases the session's after-paint work (see Session.after_paint)."""
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            self.session.window_painted()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Commit pending typing, remember the geometry, close the workspace."""
        self.session.flush()
        if self.place is not None:
            self.place.stop()
        self.qsettings.setValue("window/geometry", self.saveGeometry())
        self.qsettings.sync()
        self.team.close()
        self.session.close()
        self.session.ws.close()
        event.accept()

    def open_folder_url(self, url: QUrl) -> None:
        """Open a URL with the desktop (replaced in tests)."""
        self.open_url(url)


class _Sidebar(QListWidget):
    """The page list. Letters typed while it has focus do not pick a page (Qt's type-ahead did: words meant
    for a locked field, which cannot take focus, switched pages); Ctrl+1–5 and the arrows do."""

    def keyboardSearch(self, search: str) -> None:
        """No type-ahead."""

    def fit_titles(self) -> None:
        """As wide as the longest page title with its padding, whatever the font (a fixed 150 px cut
        "Scorecard" and "Consensus" with a larger font)."""
        widest = max((self.fontMetrics().horizontalAdvance(self.item(i).text()) for i in range(self.count())),
                     default=0)
        self.setFixedWidth(widest + 2 * 10 + 2 * self.spacing() + 2 * self.frameWidth() + 12)
