"""Workspace.reading(): a read-only twin on its own connection, for background work on other threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from vendoreval.services.workspace import Workspace
from vendoreval.store.database import StoreError


def test_a_twin_reads_what_was_committed_on_its_own_connection(ws: Workspace) -> None:
    ws.vendors.create("Acme AI")
    with ws.reading() as twin:
        assert twin is not ws and twin.store.db.conn is not ws.store.db.conn
        assert [v.name for v in twin.vendors.list()] == ["Acme AI"]
        assert twin.evaluator == ws.evaluator == "ann"
    ws.vendors.create("Beta Copy")
    with ws.reading() as again:
        assert again is twin, "an idle twin is reused, so its caches stay warm"
        assert [v.name for v in again.vendors.list()] == ["Acme AI", "Beta Copy"]


def test_a_twin_cannot_write(ws: Workspace) -> None:
    with ws.reading() as twin, pytest.raises(StoreError, match="read-only"):
        twin.vendors.create("Sneaky")
    assert ws.vendors.list() == []


def test_a_twin_works_on_a_worker_thread_while_the_ui_thread_writes(ws: Workspace) -> None:
    for i in range(20):
        ws.vendors.create(f"Vendor {i:02d}")
    seen: list[int] = []
    errors: list[BaseException] = []
    go = threading.Event()

    def worker() -> None:
        try:
            with ws.reading() as twin:
                go.set()
                for _ in range(30):
                    seen.append(len(twin.vendors.list()))
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    assert go.wait(10)
    for i in range(10):
        ws.vendors.create(f"Later {i}")
    t.join(30)
    assert not errors
    assert seen and all(20 <= n <= 30 for n in seen) and seen == sorted(seen)


def test_the_twins_rubric_library_follows_the_workspace(ws: Workspace, tmp_path: Path) -> None:
    from tests.integration.test_compare_cli import DEFAULT, build_workspace

    with ws.reading() as twin:
        before = set(twin.library.ids())
    build_workspace(ws, tmp_path / "rubrics", DEFAULT)  # adds rubric files and scores
    with ws.reading() as twin:
        assert set(twin.library.ids()) == set(ws.library.ids()) != before
        assert twin.totals.vendor_totals()  # scores through the twin's library


def test_closing_the_workspace_closes_its_twins(data_dir: Path) -> None:
    ws = Workspace(data_dir, evaluator="ann")
    held = ws.reading()
    busy = held.__enter__()
    with ws.reading() as idle:
        assert idle is not busy, "a twin serves one piece of work at a time"
    ws.close()
    with pytest.raises(Exception, match="closed"):
        idle.store.db.execute("SELECT 1")
    busy.vendors.list()  # still usable by the work that holds it…
    held.__exit__(None, None, None)
    with pytest.raises(Exception, match="closed"):  # …and closed when handed back
        busy.store.db.execute("SELECT 1")


def test_a_twin_never_reads_the_library_through_the_workspaces_connection(data_dir: Path) -> None:
    ws = Workspace(data_dir, evaluator="ann")
    try:
        assert ws.library._loaded is None  # nothing has asked for a rubric yet
        calls: list[int] = []
        real = ws.store.rubric_versions
        ws.store.rubric_versions = lambda: calls.append(1) or real()  # type: ignore[method-assign]
        with ws.reading() as twin:  # on a worker, the workspace's connection belongs to the UI thread
            assert twin.library.ids() != []  # the twin read the rubrics through its own connection
            assert calls == [] and ws.library._loaded is None
        assert twin.library.ids() == ws.library.ids()
    finally:
        ws.close()


def test_a_twin_sees_a_second_change_of_the_same_size(ws: Workspace, tmp_path: Path) -> None:
    from tests.factories import rubric

    ws.library.ids()  # loaded
    with ws.reading() as twin:
        assert "twin-a" not in twin.library.ids()
    ws.library.reload()
    ws.library.remember(rubric("twin-a"))
    with ws.reading() as twin:
        assert "twin-a" in twin.library.ids()
    ws.library.reload()  # a new map with the same number of rubric versions as before 'twin-a'
    with ws.reading() as twin:
        assert "twin-a" not in twin.library.ids()
