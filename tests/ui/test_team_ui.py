"""Settings → Team folder and the "Team: N members, synced X min ago" status item: join, a colleague's
bundle appears untrusted, Trust (name and full fingerprint, confirmed) imports it, leave; syncs in the
background, never two at once, and the pages hear of what a worker connection imported."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from tests.factories import criterion, rubric
from vendoreval.domain.models import Answer
from vendoreval.domain.rubric import Rubric
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services.outside import OUTSIDE
from vendoreval.services.team import TeamService
from vendoreval.services.workspace import Change, Workspace
from vendoreval.ui.dialogs.team_dialog import TeamDialog, full_fingerprint
from vendoreval.ui.main_window import MainWindow
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.session import Session
from vendoreval.ui.tasks import ThreadRunner
from vendoreval.ui.team import TeamController

RUBRIC = rubric("privacy", [criterion("lawful_basis"), criterion("dpa")], version="1.0")


def add_rubric(ws: Workspace, r: Rubric = RUBRIC) -> None:
    """Make the test rubric known to a workspace (a user rubric snapshot)."""
    with ws.store.transaction():
        ws.store.save_rubric_version(r, origin="user")
    ws.library.remember(r)


def score(ws: Workspace, vendor: str, level: int) -> str:
    """This evaluator's submitted scorecard of ``vendor`` with ``level`` on every criterion."""
    v = ws.store.vendor_by_name(vendor) or ws.vendors.create(vendor)
    card = ws.scorecards.create(v.id, RUBRIC.id, RUBRIC.version)
    if card.status == "submitted":
        card = ws.scorecards.reopen(card.id)
    for cid in ("lawful_basis", "dpa"):
        ws.scorecards.set_score(card.id, cid, Answer.LEVEL, level=level, rationale=f"{ws.evaluator} on {cid}")
    ws.scorecards.submit(card.id)
    return card.id


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """The folder the team syncs (no real sync client: the members' apps read and write it directly)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder


@pytest.fixture
def colleague(tmp_path: Path, shared: Path) -> Iterator[Callable[..., tuple[Workspace, TeamService]]]:
    """Another member in their own data folder with their own key store, joined and published."""
    opened: list[Workspace] = []

    def make(evaluator: str = "Paul (Procurement)", level: int = 3) -> tuple[Workspace, TeamService]:
        ws = Workspace(tmp_path / evaluator.split()[0].lower(), evaluator=evaluator, secrets=InMemorySecretStore())
        opened.append(ws)
        add_rubric(ws)
        score(ws, "Acme AI", level)
        svc = TeamService(ws)
        svc.join(shared)
        assert svc.sync().published
        return ws, svc

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def ann(open_window: Callable[..., MainWindow], data_dir: Path) -> MainWindow:
    """Ann's window (a memory key store), with a scorecard of her own to publish."""
    window = open_window(data_dir, secrets=InMemorySecretStore())
    add_rubric(window.session.ws)
    score(window.session.ws, "Acme AI", 4)
    return window


def messages(window: MainWindow) -> RecordingMessages:
    m = window.session.messages
    assert isinstance(m, RecordingMessages)
    return m


def join(window: MainWindow, folder: Path, name: str | None = None) -> TeamDialog:
    """Settings → Team folder → Join…: the folder typed, the name as offered (or ``name``), Join."""
    dialog = window.commands.team_dialog()
    jd = dialog.join_dialog()
    if name is not None:
        jd.name.setText(name)
    jd.folder.setText(str(folder))
    assert dialog.join_with(jd)
    return dialog


def cards_by(ws: Workspace) -> dict[str, int | None]:
    """evaluator -> level on lawful_basis, for every scorecard in the workspace."""
    return {c.evaluator: c.scores["lawful_basis"].level for c in ws.store.scorecards()}


def test_join_through_the_dialog_publishes_and_shows_the_status_item(ann: MainWindow, shared: Path) -> None:
    item = ann.team_item
    assert not item.isVisible()  # not in a team: nothing in the status bar
    dialog = ann.commands.team_dialog()
    assert dialog.folder.text() == "Not in a team folder"
    assert not dialog.leave_button.isEnabled() and not dialog.sync_button.isEnabled()
    jd = dialog.join_dialog()
    assert jd.name.text() == "ann" and jd.folder.text() == ""  # the member name defaults to the evaluator
    jd.folder.setText(str(shared))
    assert dialog.join_with(jd)

    assert dialog.folder.text() == str(shared.resolve())
    assert dialog.leave_button.isEnabled() and dialog.sync_button.isEnabled()
    assert item.isVisible() and item.text() == "Team: 1 member, synced just now"
    bundles = sorted(p.name for p in shared.glob("*.vebundle"))
    assert len(bundles) == 1 and bundles[0].startswith("ann-")
    fp = ann.team.status.me_fingerprint
    assert fp is not None and any(fp[:4].upper() in t and t.startswith("You publish as ann")
                                  for t in dialog.note_texts())
    assert "Published ann-" in dialog.report.toPlainText()
    assert not dialog.empty.isHidden() and dialog.rows() == []
    # Settings shows the team line and opens the Team folder from there
    from vendoreval.services.settings import load_settings
    from vendoreval.ui.dialogs.settings_dialog import SettingsDialog

    opened: list[bool] = []
    settings = SettingsDialog(load_settings(ann.session.ws), "x", ann, team_summary=ann.commands._team_summary,
                              on_team=lambda: opened.append(ann.team.leave()))
    assert settings.team_summary.text() == "1 member, synced just now"
    settings.team_button.click()  # the Team folder settings open (here: they leave), the line follows
    assert opened == [True] and settings.team_summary.text() == "Not in a team folder"


def test_a_colleague_appears_untrusted_then_trust_confirmed_imports_on_the_next_sync(
        ann: MainWindow, shared: Path, colleague: Callable[..., tuple[Workspace, TeamService]]) -> None:
    paul, paul_team = colleague()
    paul_fp = paul_team.status().me_fingerprint
    assert paul_fp is not None
    dialog = join(ann, shared)
    ws = ann.session.ws
    assert ann.team_item.text() == "Team: 2 members, 1 not trusted yet, synced just now"
    rows = dialog.rows()
    assert len(rows) == 1
    name, key, trusted, published, imported, problems = rows[0]
    assert name == "Paul (Procurement)" and key == full_fingerprint(paul_fp).split("\n")[0]
    assert (trusted, published, imported, problems) == ("Not yet", "just now", "never", "")
    assert "Not imported paul-procurement-" in dialog.report.toPlainText()
    assert set(cards_by(ws)) == {"ann"}  # nothing of Paul's before his key is trusted

    # Trust… shows his name and full fingerprint; saying No trusts nothing
    button = dialog.trust_buttons[paul_fp]
    assert button.accessibleName() == "Trust Paul (Procurement)"
    messages(ann).answer = False
    button.click()
    kind, title, text = messages(ann).shown[-1]
    assert kind == "confirm-no-default" and title == "Trust Paul (Procurement)"
    assert full_fingerprint(paul_fp) in text and "read out" in text
    assert set(cards_by(ws)) == {"ann"} and dialog.rows()[0][2] == "Not yet"

    messages(ann).answer = True
    dialog.trust_buttons[paul_fp].click()
    assert cards_by(ws) == {"ann": 4, "Paul (Procurement)": 3}  # imported by the sync after trusting
    assert dialog.rows()[0][2] == "Trusted" and dialog.rows()[0][4] == "just now"
    assert paul_fp not in dialog.trust_buttons
    assert ann.team_item.text() == "Team: 2 members, synced just now"
    assert "Imported paul-procurement-" in dialog.report.toPlainText()
    assert not messages(ann).errors

    # Paul changes his score: Sync now brings the new version in; nothing new the second time
    score(paul, "Acme AI", 1)
    paul_team.sync()
    dialog.sync_button.click()
    assert cards_by(ws)["Paul (Procurement)"] == 1
    dialog.sync_button.click()
    assert "Nothing new to import." in dialog.report.toPlainText()


def test_leave_asks_first_and_hides_the_status_item(ann: MainWindow, shared: Path) -> None:
    dialog = join(ann, shared)
    messages(ann).answer = False
    assert not dialog.leave()
    assert ann.team.joined and ann.team_item.isVisible()
    messages(ann).answer = True
    dialog.leave_button.click()
    kind, _title, text = messages(ann).shown[-1]
    assert kind == "confirm-no-default" and str(shared.resolve()) in text and "stays" in text
    assert not ann.team.joined and not ann.team_item.isVisible()
    assert dialog.folder.text() == "Not in a team folder" and not dialog.leave_button.isEnabled()
    assert len(list(shared.glob("*.vebundle"))) == 1  # the folder is left as it is
    ann.team.poll()
    assert ann.team.runs == 1  # not joined: no more syncs


def test_errors_a_user_can_cause_are_shown_and_change_nothing(ann: MainWindow, tmp_path: Path) -> None:
    dialog = ann.commands.team_dialog()
    jd = dialog.join_dialog()
    jd.folder.setText(str(tmp_path / "not-there"))
    assert not dialog.join_with(jd)
    assert "does not exist" in messages(ann).errors[-1]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    jd.folder.setText(str(a_file))
    assert not dialog.join_with(jd)
    assert "not a folder" in messages(ann).errors[-1]
    jd.folder.setText(str(tmp_path))
    jd.name.setText("   ")
    assert not dialog.join_with(jd)
    assert "member name" in messages(ann).errors[-1]
    jd.folder.setText("")
    assert not dialog.join_with(jd)
    assert "Give the folder" in messages(ann).errors[-1]
    assert not ann.team.joined and dialog.folder.text() == "Not in a team folder"
    assert not messages(ann).bugs


def test_status_lines_folder_gone_read_only_and_leftovers(ann: MainWindow, shared: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = join(ann, shared)
    (shared / "paul-1234abcd (1).vebundle").write_bytes(b"x")  # a conflicted copy
    (shared / "paul-1234abcd.vebundle.partial").write_bytes(b"x")  # a partial download
    ann.team.sync_now()
    notes = dialog.note_texts()
    assert any(t.startswith("Skipped paul-1234abcd (1).vebundle: a conflicted copy") for t in notes)
    assert any(t.startswith("Skipped paul-1234abcd.vebundle.partial: a partial download") for t in notes)

    monkeypatch.setattr(TeamService, "folder_writable", staticmethod(lambda folder: False))
    ann.team.sync_now()
    notes = dialog.note_texts()
    assert "The folder is read-only here: your bundle is not published; imports still work." in notes
    assert "The team folder is read-only here: publishing skipped" in dialog.report.toPlainText()
    monkeypatch.undo()

    for p in shared.rglob("*"):
        if p.is_file():
            p.unlink()
    (shared / "members").rmdir()
    shared.rmdir()
    ann.team.sync_now()
    assert ann.team_item.text().startswith("Team: folder unavailable (")  # cut in the middle when long
    assert ann.team_item.toolTip().startswith(f"Team: folder unavailable ({shared.resolve()} is not there")
    assert any(t.startswith("The folder is unavailable: ") and "not there" in t for t in dialog.note_texts())
    assert dialog.table.isHidden() is False and dialog.rows() == []
    assert "Nothing was published or imported" in dialog.report.toPlainText()
    assert not messages(ann).errors and not messages(ann).bugs


def test_no_signing_key_means_imports_only(open_window: Callable[..., MainWindow], data_dir: Path,
                                           shared: Path) -> None:
    window = open_window(data_dir, secrets=InMemorySecretStore(unavailable="no keyring on this machine"))
    add_rubric(window.session.ws)
    score(window.session.ws, "Acme AI", 2)
    dialog = join(window, shared)
    assert "Not publishing: no signing key: imports only. No keyring on this machine." in dialog.note_texts()
    assert "No signing key: imports only" in dialog.report.toPlainText()
    assert not list(shared.glob("*.vebundle"))
    assert window.team_item.text() == "Team: 1 member, synced just now"


def test_a_local_edit_publishes_after_a_pause(ann: MainWindow, shared: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    join(ann, shared)
    bundle = next(shared.glob("ann-*.vebundle"))
    before = bundle.read_bytes()
    ann.team.after_edit.setInterval(50)
    runs = ann.team.runs
    score(ann.session.ws, "Acme AI", 1)  # an edit: the session hears of it
    assert ann.team.after_edit.isActive()
    qtbot.waitUntil(lambda: ann.team.runs > runs and bundle.read_bytes() != before, timeout=5000)
    assert ann.team.last_report is not None and ann.team.last_report.published
    # the sync's own bookkeeping is not an edit: no sync after the sync
    assert not ann.team.after_edit.isActive()


def test_sync_runs_off_the_ui_thread_never_twice_at_once_and_pages_hear_of_imports(
        qtbot, tmp_path: Path, shared: Path, colleague: Callable[..., tuple[Workspace, TeamService]],  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    _paul, paul_team = colleague()
    ws = Workspace(tmp_path / "ann", evaluator="ann", secrets=InMemorySecretStore())
    add_rubric(ws)
    TeamService(ws).join(shared)
    session = Session(ws, messages=RecordingMessages(), runner=ThreadRunner())
    team = TeamController(session)
    heard: list[Change] = []
    ws.subscribe(heard.append)
    gate = threading.Event()
    threads: list[bool] = []
    real_sync = TeamService.sync

    def slow_sync(self: TeamService) -> object:
        threads.append(threading.current_thread() is threading.main_thread())
        assert self.ws is not ws, "the worker writes through its own connection"
        gate.wait(10)
        return real_sync(self)

    monkeypatch.setattr(TeamService, "sync", slow_sync)
    try:
        team.start()
        qtbot.waitUntil(lambda: bool(threads), timeout=5000)
        team.sync_now()
        team.poll()
        assert team.running and team.runs == 1  # asked again while running: waits, not a second worker
        gate.set()
        qtbot.waitUntil(lambda: team.runs == 2 and not team.running, timeout=10_000)
        assert threads == [False, False]
        assert team.status.members and not team.status.members[0].trusted

        fp = paul_team.status().me_fingerprint
        assert fp is not None
        assert team.trust(fp)
        qtbot.waitUntil(lambda: not team.running and any(c.evaluator.startswith("Paul") for c in ws.store.scorecards()),
                        timeout=10_000)
        assert Change("workspace", OUTSIDE) in heard  # the pages re-read what the worker imported
        assert team.status.members[0].trusted
        assert team.summary() == "Team: 2 members, synced just now"

        # closing while a sync runs: the worker's connection is closed once it has ended, nothing is shown
        gate.clear()
        team.sync_now()
        qtbot.waitUntil(lambda: len(threads) == 4, timeout=5000)
        worker = team._worker
        assert worker is not None and worker is not ws
        shown: list[object] = []
        team.status_changed.connect(shown.append)
        team.close()
        assert team._worker is worker  # still in use
        gate.set()
        qtbot.waitUntil(lambda: not team.running, timeout=10_000)
        assert team._worker is None and shown == []
    finally:
        gate.set()
        qtbot.waitUntil(lambda: not team.running, timeout=10_000)
        team.close()
        session.close()
        ws.close()


def test_a_window_on_a_joined_workspace_looks_at_the_folder_after_opening(
        open_window: Callable[..., MainWindow], data_dir: Path, shared: Path, qtbot,  # type: ignore[no-untyped-def]
        colleague: Callable[..., tuple[Workspace, TeamService]], monkeypatch: pytest.MonkeyPatch) -> None:
    colleague()
    secrets = InMemorySecretStore()
    ws = Workspace(data_dir, evaluator="ann", secrets=secrets)
    TeamService(ws).join(shared, "Ann Example")
    ws.close()
    monkeypatch.setattr("vendoreval.ui.team.FIRST_LOOK_MS", 60_000)  # the test looks itself, below
    window = open_window(data_dir, secrets=secrets)
    assert window.team_item.isVisible() and window.team_item.text() == "Team: looking at the folder…"
    assert window.team.runs == 0  # opening the window reads nothing in the folder
    window.team.poll()
    assert window.team.runs == 1 and not window.team.running
    assert window.team_item.text() == "Team: 2 members, 1 not trusted yet, synced just now"
    dialog = window.commands.team_dialog()
    assert dialog.join_dialog().name.text() == "Ann Example"  # the name joined with, not the evaluator
    assert [r[0] for r in dialog.rows()] == ["Paul (Procurement)"]


def test_a_read_only_window_does_not_sync_and_says_so(open_window: Callable[..., MainWindow], data_dir: Path,
                                                      shared: Path,
                                                      colleague: Callable[..., tuple[Workspace, TeamService]]) -> None:
    colleague()
    secrets = InMemorySecretStore()
    ws = Workspace(data_dir, evaluator="ann", secrets=secrets)
    TeamService(ws).join(shared)
    ws.close()
    window = open_window(data_dir, secrets=secrets, read_only="another window has it open")
    window.team.poll()
    assert window.team_item.text() == "Team: not syncing (this workspace is open read-only)"
    dialog = window.commands.team_dialog()
    assert dialog.note_texts()[0].startswith("This workspace is open read-only (another window has it open)")
    assert not dialog.join_button.isEnabled() and not dialog.leave_button.isEnabled()
    assert not dialog.sync_button.isEnabled() and not any(b.isEnabled() for b in dialog.trust_buttons.values())
    assert "open read-only" in dialog.report.toPlainText()  # the sync's warning
    assert not list(shared.glob("ann-*.vebundle")) and not messages(window).errors


def test_clicking_the_status_item_opens_the_team_folder(ann: MainWindow, shared: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    join(ann, shared)
    seen: list[str] = []

    def close_it() -> None:
        from PySide6.QtWidgets import QApplication

        modal = QApplication.activeModalWidget()
        seen.append(type(modal).__name__ + ":" + (modal.windowTitle() if modal else ""))
        if modal is not None:
            modal.reject()

    QTimer.singleShot(0, close_it)
    ann.team_item.click()
    assert seen == ["TeamDialog:Settings — Team folder"]


def test_not_in_a_team_the_dialog_is_compact_and_grows_on_join(ann: MainWindow, shared: Path,
                                                                qtbot) -> None:  # type: ignore[no-untyped-def]
    """Seen under Xvfb: not in a team, a 1000×520 dialog showed one sentence floating in the middle of grey."""
    dialog = ann.commands.team_dialog()
    dialog.show()
    qtbot.waitExposed(dialog)
    (sentence,) = dialog.note_labels
    assert sentence.text().startswith("Join the folder your team already syncs")
    assert dialog.height() < 260
    assert sentence.geometry().top() - dialog.join_button.geometry().bottom() < 40  # right under Join…, not adrift
    jd = dialog.join_dialog()
    jd.folder.setText(str(shared))
    assert dialog.join_with(jd)
    qtbot.waitUntil(lambda: dialog.height() >= 500)
    assert dialog.table.isVisibleTo(dialog) or not dialog.empty.isHidden()


@pytest.mark.skipif(not os.environ.get("VENDOREVAL_SCREENSHOTS"), reason="set VENDOREVAL_SCREENSHOTS=DIR to write")
def test_screenshot(ann: MainWindow, shared: Path, colleague: Callable[..., tuple[Workspace, TeamService]],
                    qtbot) -> None:  # type: ignore[no-untyped-def]
    """docs/screenshots/team-folder.png: the Team folder with two colleagues, one trusted, one not yet."""
    _paul, paul_team = colleague()
    colleague("Claire (CMO)", 4)
    dialog = join(ann, shared)
    fp = paul_team.status().me_fingerprint
    assert fp is not None
    dialog.trust_buttons[fp].click()
    (shared / "claire-cmo-1234abcd (1).vebundle").write_bytes(b"x")
    ann.team.sync_now()
    dialog.show()
    qtbot.waitExposed(dialog)
    out = Path(os.environ["VENDOREVAL_SCREENSHOTS"])
    out.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(out / "team-folder.png"))


def test_a_colleagues_new_bundle_is_imported_when_the_watched_folder_changes(
        ann: MainWindow, shared: Path, colleague: Callable[..., tuple[Workspace, TeamService]],
        qtbot) -> None:  # type: ignore[no-untyped-def]
    """No Sync now and no 60-second timer: the watcher sees Paul's sync client drop his new bundle in."""
    paul, paul_team = colleague()
    join(ann, shared)
    assert ann.team.watched() == [str(shared.resolve()), str(shared.resolve() / "members")]
    messages(ann).answer = True
    ann.team.trust(paul_team.status().me_fingerprint or "")
    ws = ann.session.ws
    assert cards_by(ws) == {"ann": 4, "Paul (Procurement)": 3}
    ann.team.after_folder.setInterval(200)  # the settle time, short for the test
    assert ann.team.timer.interval() >= 60_000  # the fallback timer cannot be what imports it
    ann.team.after_edit.stop()  # nor the publish after Ann's own edits (the import above counted as one)
    ann.team.after_edit.setInterval(600_000)
    from vendoreval.ui.team import FIRST_LOOK_MS

    qtbot.wait(FIRST_LOOK_MS + 300)  # nor the first look after the window opened
    assert cards_by(ws)["Paul (Procurement)"] == 3
    score(paul, "Acme AI", 1)
    assert paul_team.sync().published
    qtbot.waitUntil(lambda: cards_by(ws)["Paul (Procurement)"] == 1, timeout=10_000)
    assert ann.team_item.text() == "Team: 2 members, synced just now"
    # the drive is unmounted: nothing is watched; back again, the next look watches it again
    away = shared.with_name("away")
    shared.rename(away)
    ann.team.sync_now()
    assert ann.team.status.folder_problem and ann.team.watched() == []
    away.rename(shared)
    ann.team.sync_now()
    assert ann.team.watched() == [str(shared.resolve()), str(shared.resolve() / "members")]
    # leaving stops the watch
    assert ann.team.leave()
    assert ann.team.watched() == []
