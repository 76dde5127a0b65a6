"""Work on thousands of records at once without the cyclic garbage collector's pauses in the middle.

Reading a 10,000-row scores CSV makes some 100,000 small objects (cells, rows, scores, audit entries) that
live until the import ends. Each few hundred allocations the collector runs; as the young objects pile up
it scans the whole heap, the workspace's records included, several times per import (a third of its time,
benchmarks/bench_import_scores.py). Nothing of an import forms reference cycles that need the collector:
its objects are freed by reference counting when it ends. Inside ``collector_paused()`` the collector
waits; it runs again as before afterwards. Nesting and threads are counted: it resumes when the last
paused block ends, and only if it was running when the first began.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_resume = False  # whether the collector was enabled when the outermost pause began


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (reference counting still frees memory)."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
