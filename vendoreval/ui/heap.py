"""The launch's long-lived objects, taken out of the cyclic garbage collector's full passes.

Once the window has painted and the launch's background work (overall scores, the comparison, the
AI-washing signals) has ended, everything alive then — modules, rubrics, pages, the loaded workspace —
lives for the session. CPython's full collection (generation 2) walks every tracked object each time it
runs, and it runs in whichever thread allocated last: on the 200-vendor workspace it took 400–600 ms
while a weight was dragged (a worker's comparison triggered it, holding the interpreter lock, so the UI
thread stalled as long; benchmarks/bench_ui_stall.py, longest gap 440–626 ms). ``gc.freeze()`` moves
those objects to a permanent generation the collector skips: the same drag then stalls at most
63–93 ms (what is left is painting the new comparison). Objects frozen are still freed by reference
counting when dropped; only those that were alive at the freeze and later die in a reference cycle stay
until exit — once, for the launch's objects.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)

_frozen = False


def freeze_launch_heap() -> bool:
    """Freeze the objects alive now, once per process; True when this call froze them."""
    global _frozen
    if _frozen:
        return False
    _frozen = True
    gc.freeze()
    log.info("launch heap frozen: %d objects out of the collector's full passes", gc.get_freeze_count())
    return True


def launch_heap_frozen() -> bool:
    """True once the launch's objects have been frozen."""
    return _frozen
