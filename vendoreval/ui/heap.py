"""The launch's long-lived objects, taken out of the cyclic garbage collector's full passes.

Once the window has painted and the launch's background work (overall scores, the comparison, the
AI-washing signals) has ended, everything alive then — modules, rubrics, pages, the loaded workspace —
lives for the session. CPython's full collection (generation 2) walks every tracked object each time it
runs, and it runs in whichever thread allocated last: on the 200-vendor workspace it took 400–600 ms
while a weight was dragged (a worker's comparison triggered it, holding the interpreter lock, so the UI
thread stalled as long; benchmarks/bench_ui_stall.py, longest gap 440–626 ms). ``gc.freeze()`` moves
those objects to a permanent generation the collector skips: the same drag then stalls at most
63–93 ms (28–33 ms since Compare's signals panel shows a few lines, not one per vendor). Objects
frozen are still freed by reference counting when dropped; only those that were alive at the freeze and
later die in a reference cycle stay until exit — once, for the launch's objects.

Until then, full passes are held back (``hold_full_collections``): the launch's background work builds
most of what is frozen (every vendor's totals, the comparison, the signals), and a full pass in a worker
while it ran took up to 400 ms with the UI thread waiting (longest gaps of 380-680 ms in the first
seconds on 200 vendors). The app's start-up itself (imports, building the window) runs with the collector
off; the young generations collect again from the first paint on.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)

_frozen = False
#: (thresholds, collector was enabled) saved by ``hold_full_collections``, put back at the freeze
_held: tuple[tuple[int, int, int], bool] | None = None
#: The full-pass threshold while held: generation 1 would have to be collected this often first.
HELD_THRESHOLD = 1_000_000


def hold_full_collections() -> None:
    """At start-up: the collector off until ``collect_young_again``, then no full pass until the freeze."""
    global _held
    if _held is not None or _frozen:
        return
    _held = (gc.get_threshold(), gc.isenabled())
    gc.disable()


def collect_young_again() -> None:
    """After the first paint: the young generations are collected again; full passes wait for the freeze."""
    if _held is None:
        return
    (young, middle, _full), enabled = _held
    gc.set_threshold(young, middle, HELD_THRESHOLD)
    if enabled:
        gc.enable()


def release_full_collections() -> None:
    """The collector as it was before ``hold_full_collections`` (at the freeze, or with nothing to wait for)."""
    global _held
    if _held is not None:
        thresholds, enabled = _held
        _held = None
        gc.set_threshold(*thresholds)
        if enabled:
            gc.enable()


def freeze_launch_heap() -> bool:
    """Freeze the objects alive now, once per process, and let full passes run again; True when this call froze."""
    global _frozen
    if _frozen:
        release_full_collections()
        return False
    _frozen = True
    gc.freeze()
    release_full_collections()
    log.info("launch heap frozen: %d objects out of the collector's full passes", gc.get_freeze_count())
    return True


def launch_heap_frozen() -> bool:
    """True once the launch's objects have been frozen."""
    return _frozen
