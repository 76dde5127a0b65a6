"""The workspace lock file: taken by the first window, held against a second, stale after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vendoreval.services.instance_lock import LOCK_FILENAME, InstanceLock, LockHolder, process_start


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A live process standing in for another app window."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_the_first_window_takes_the_lock_with_its_pid_and_host(data_dir: Path) -> None:
    lock = InstanceLock(data_dir)
    assert lock.acquire() is None and lock.owned
    data = json.loads((data_dir / LOCK_FILENAME).read_text())
    assert data["pid"] == os.getpid() and data["host"] == lock.host
    assert lock.acquire() is None  # the same process again: still its own
    lock.release()
    assert not (data_dir / LOCK_FILENAME).exists()


def test_a_live_window_holds_the_lock_against_a_second(data_dir: Path, sleeper: subprocess.Popen[bytes]) -> None:
    first = InstanceLock(data_dir, pid=sleeper.pid)
    assert first.acquire() is None
    second = InstanceLock(data_dir)
    holder = second.acquire()
    assert isinstance(holder, LockHolder) and holder.pid == sleeper.pid
    assert not second.owned
    assert f"process {sleeper.pid}" in holder.describe()
    second.release()  # not its lock: left alone
    assert InstanceLock(data_dir).holder() == holder


def test_the_lock_of_a_killed_app_is_taken_over_silently(data_dir: Path, sleeper: subprocess.Popen[bytes]) -> None:
    assert InstanceLock(data_dir, pid=sleeper.pid).acquire() is None
    sleeper.send_signal(signal.SIGKILL)
    sleeper.wait()  # the app was killed: its lock file stays behind
    assert (data_dir / LOCK_FILENAME).exists()
    mine = InstanceLock(data_dir)
    assert mine.acquire() is None and mine.owned
    assert mine.holder().pid == os.getpid()


def test_a_reused_process_id_is_stale(data_dir: Path, sleeper: subprocess.Popen[bytes]) -> None:
    if not process_start(sleeper.pid):
        pytest.skip("no /proc to read process start times from")
    fake = {"pid": sleeper.pid, "host": InstanceLock(data_dir).host, "process_start": "1"}
    (data_dir / LOCK_FILENAME).write_text(json.dumps(fake))
    assert InstanceLock(data_dir).acquire() is None  # the pid runs, but it is not the process that locked


@pytest.mark.parametrize("content", ["", "{not json", json.dumps({"pid": "x"})])
def test_a_torn_or_garbled_lock_is_stale(data_dir: Path, content: str) -> None:
    (data_dir / LOCK_FILENAME).write_text(content)
    lock = InstanceLock(data_dir)
    assert lock.acquire() is None and lock.owned


def test_a_lock_from_another_host_counts_as_held(data_dir: Path) -> None:
    assert InstanceLock(data_dir, pid=1, host="other-laptop").acquire() is None
    holder = InstanceLock(data_dir).acquire()
    assert holder is not None and holder.host == "other-laptop" and "other-laptop" in holder.describe()
