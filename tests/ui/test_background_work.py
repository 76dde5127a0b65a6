"""Long work really runs off the UI thread in the app (ThreadRunner): compare refresh, evidence, bundles."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QPushButton

from tests.integration.test_compare_cli import DEFAULT, build_workspace
from vendoreval.services.comparison import ComparisonService
from vendoreval.services.evidence import EvidenceService
from vendoreval.services.workspace import Workspace
from vendoreval.ui import tasks
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.session import Session
from vendoreval.ui.tasks import ThreadRunner
from vendoreval.ui.views.claims_tab import attach_evidence
from vendoreval.ui.views.compare_view import CompareView

RELEASE_S = 10


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def threaded(qtbot, ws: Workspace) -> Session:  # type: ignore[no-untyped-def]
    session = Session(ws, messages=RecordingMessages(), runner=ThreadRunner())
    yield session
    session.close()


def test_compare_refresh_runs_in_a_worker_and_only_the_latest_weights_arrive(
        qtbot, ws: Workspace, threaded: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    build_workspace(ws, tmp_path / "rubrics", DEFAULT)
    view = CompareView(threaded)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.comparison is not None and not view.refreshing, timeout=10_000)
    rid = view.comparison.rubric_ids[0]  # type: ignore[union-attr]

    gate = threading.Event()
    threads: list[bool] = []
    weights_computed: list[float] = []
    real_compare = ComparisonService.compare

    def slow_compare(self: ComparisonService, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        assert self.ws is not ws, "a worker reads through its own connection"
        gate.wait(RELEASE_S)
        result = real_compare(self, *args, **kwargs)
        weights_computed.append(result.weights[rid])
        return result

    monkeypatch.setattr(ComparisonService, "compare", slow_compare)
    spin = view.rubric_spin(rid)
    start = spin.value()
    t0 = time.perf_counter()
    for step in range(1, 6):  # as while dragging: each value starts a recount at once
        spin.setValue(start + step)
        view.refresh_now()
    assert time.perf_counter() - t0 < 1.0, "the UI thread did not wait for the comparison"
    assert view.refreshing
    qtbot.waitUntil(lambda: bool(threads), timeout=5_000)
    gate.set()
    qtbot.waitUntil(lambda: not view.refreshing, timeout=10_000)
    assert view.comparison is not None and view.comparison.weights[rid] == start + 5
    assert threads and not any(threads)
    assert len(weights_computed) <= 2 and weights_computed[-1] == start + 5, \
        "the requests in between were superseded before they started"


def _dialog() -> QProgressDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    return found[0] if found else None


def _slow_copy(monkeypatch: pytest.MonkeyPatch, threads: list[bool]) -> None:
    """Copying a file takes 10 ms a megabyte (a slow disk), so there is time to see progress and cancel."""
    real = EvidenceService.store_file

    def store_file(self: EvidenceService, path: Path, progress: Any = None) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())

        def slow(n: int) -> None:
            time.sleep(0.01)
            if progress is not None:
                progress(n)
        return real(self, path, slow)

    monkeypatch.setattr(EvidenceService, "store_file", store_file)


def test_attaching_a_large_file_can_be_cancelled_and_leaves_nothing(
        qtbot, ws: Workspace, threaded: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tasks, "PROGRESS_DELAY_MS", 50)
    vendor = ws.vendors.create("Acme AI")
    big = tmp_path / "model-card.pdf"
    big.write_bytes(b"%PDF-" + b"x" * (60 * 1024 * 1024))
    threads: list[bool] = []
    _slow_copy(monkeypatch, threads)
    failed: list[str] = []
    threaded.failed.connect(failed.append)
    finished: list[int] = []
    assert attach_evidence(threaded, vendor.id, [big], [], on_finished=finished.append) == 0  # not finished yet
    qtbot.waitUntil(lambda: _dialog() is not None and _dialog().value() > 0, timeout=10_000)  # type: ignore[union-attr]
    dialog = _dialog()
    assert dialog is not None and "model-card.pdf" in dialog.labelText()
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel").click()
    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    assert "cancelled" in failed[0] and not finished
    assert threads == [False], "the file was copied on a worker thread"
    assert ws.evidence.list(vendor.id) == []
    evidence_dir = ws.data_dir / "evidence"
    assert not [p for p in evidence_dir.rglob("*") if p.is_file()], "the partial copy was removed"
    qtbot.waitUntil(lambda: _dialog() is None, timeout=5_000)


def test_attached_files_are_recorded_on_the_ui_thread_and_undoable(
        qtbot, ws: Workspace, threaded: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    vendor = ws.vendors.create("Acme AI")
    files = [tmp_path / "dpa.pdf", tmp_path / "missing.pdf"]
    files[0].write_bytes(b"%PDF-1.7 signed DPA")
    threads: list[bool] = []
    _slow_copy(monkeypatch, threads)
    finished: list[int] = []
    attach_evidence(threaded, vendor.id, files, [], on_finished=finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    assert finished == [1]
    assert [e.original_name for e in ws.evidence.list(vendor.id)] == ["dpa.pdf"]
    assert len(threaded.messages.errors) == 1 and "missing.pdf" in threaded.messages.errors[0]  # type: ignore[attr-defined]
    threaded.undo_stack.undo()
    assert ws.evidence.list(vendor.id) == []


def test_a_bundle_imported_in_the_background_is_announced(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.test_bundle_dialog import make_ws
    from vendoreval.secrets import InMemorySecretStore
    from vendoreval.services.bundles import BundleService
    from vendoreval.ui.dialogs import bundle_dialog
    from vendoreval.ui.dialogs.bundle_dialog import ImportBundleDialog

    cmo = make_ws(tmp_path / "cmo", "Claire (CMO)")
    bundle = BundleService(cmo).export(tmp_path / "b.vebundle").path
    cmo.close()
    proc = Workspace(tmp_path / "proc", evaluator="Paul", secrets=InMemorySecretStore())
    heard: list[str] = []
    proc.subscribe(lambda change: heard.append(change.entity))

    def accept(self: ImportBundleDialog) -> int:
        self.accept_rubrics.setChecked(True)
        self.do_import()  # starts the import in the background: the dialog stays open until it is done
        qtbot.waitUntil(lambda: self.result() == QDialog.DialogCode.Accepted, timeout=10_000)
        return int(self.result())

    monkeypatch.setattr(ImportBundleDialog, "exec", accept)
    results: list[object] = []
    try:
        bundle_dialog.import_bundle(proc, None, messages=RecordingMessages(), path=bundle, runner=ThreadRunner(),
                                    on_finished=results.append)
        qtbot.waitUntil(lambda: bool(results), timeout=10_000)
        assert results[0] is not None and proc.vendors.find("Acme AI")
        assert "workspace" in heard, "views hear of what was written through the worker's connection"
    finally:
        proc.close()
