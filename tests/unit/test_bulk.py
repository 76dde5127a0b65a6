"""The collector pause around bulk work: nested, restored, and never turning the collector on by itself."""

from __future__ import annotations

import gc
import threading

import pytest

from vendoreval.bulk import collector_paused


@pytest.fixture(autouse=True)
def _collector_restored() -> object:
    was = gc.isenabled()
    yield None
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_running_after_even_on_error() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block's end does not resume it: the outer one is still open
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_as_a_decorator_and_across_threads() -> None:
    gc.enable()
    inside = threading.Event()
    release = threading.Event()

    @collector_paused()
    def long_work() -> None:
        inside.set()
        release.wait(5)

    worker = threading.Thread(target=long_work)
    worker.start()
    inside.wait(5)
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the worker's block is still open
    release.set()
    worker.join(5)
    assert gc.isenabled()
