"""`vendoreval --self-test`: prove an installed or frozen build works, in a throwaway workspace.

Checks that the shipped rubrics and fonts are found, a new workspace gets its schema (migrations),
a vendor can be scored, a brief renders, the main window opens, and reports which keyring backend is in use
(no keyring is reported, not failed). Prints one line per check; exit 0 when nothing failed.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .domain.text import plural

OK, SKIP, FAIL = "ok", "skip", "FAIL"


@dataclass
class Check:
    """One self-test step: its name, outcome (ok/skip/FAIL), what it found, and how long it took."""

    name: str
    status: str
    detail: str
    seconds: float


class _Skip(Exception):
    """A step that cannot run here (the reason is printed)."""


def _check_resources(state: dict[str, Any]) -> str:
    from .paths import resource_path, rubrics_dir

    rubrics = sorted(rubrics_dir().glob("*.toml"))
    if not rubrics:
        raise RuntimeError(f"no rubric files in {rubrics_dir()}")
    fonts = sorted(resource_path("resources", "fonts").glob("*.ttf"))
    if not fonts:
        raise RuntimeError(f"no fonts in {resource_path('resources', 'fonts')}")
    return f"{plural(len(rubrics), 'rubric file')}, {plural(len(fonts), 'font')} ({rubrics_dir().parent})"


def _check_workspace(state: dict[str, Any]) -> str:
    from .secrets import InMemorySecretStore
    from .services.workspace import Workspace
    from .store.database import schema_version
    from .store.migrations import SCHEMA_VERSION

    # An in-memory secret store: the keyring is looked at (read-only) by its own step, never written.
    ws = Workspace(Path(state["tmp"]) / "workspace", evaluator="self-test", secrets=InMemorySecretStore())
    state["ws"] = ws
    version = schema_version(ws.store.db)
    if version != SCHEMA_VERSION:
        raise RuntimeError(f"schema {version} after migrations, expected {SCHEMA_VERSION}")
    check = ws.store.integrity_check()
    if check != "ok":
        raise RuntimeError(f"integrity check: {check}")
    problems = "; ".join(str(p) for p in ws.library.problems)
    if problems:
        raise RuntimeError(f"shipped rubrics do not load: {problems}")
    return (f"new workspace at schema {version} (migrations applied), integrity ok, "
            f"{plural(len(ws.library.ids()), 'rubric')}")


def _check_scoring(state: dict[str, Any]) -> str:
    from .domain.models import EvidenceStrength

    ws = state["ws"]
    vendor = ws.vendors.create("Self-test Vendor", product="Demo")
    state["vendor"] = vendor
    rubrics = ws.library.latest_all()
    scored = []
    for i, rubric in enumerate(rubrics):
        card = ws.scorecards.create(vendor.id, rubric.id)
        for j, crit in enumerate(rubric.criteria):
            ws.scorecards.set_score(card.id, crit.id, level=(i + j) % (crit.scale.top + 1),
                                    strength=EvidenceStrength.DOCUMENTATION, rationale="self-test")
        scored.append(card)
    totals = ws.totals.scorecard_totals(vendor_id=vendor.id)
    if len(totals) != len(scored) or any(t.score.claimed is None for t in totals):
        raise RuntimeError("a scorecard has no total")
    first = totals[0]
    return (f"{plural(len(scored), 'scorecard')}, {plural(sum(t.score.answered for t in totals), 'score')}; "
            f"{first.rubric.id} "
            f"claimed {first.score.claimed:.1f}, evidence-weighted {first.score.evidence_weighted:.1f}")


def _check_brief(state: dict[str, Any]) -> str:
    import datetime as dt

    from .services.brief import BriefRequest, BriefService

    out = Path(state["tmp"]) / "brief.pdf"
    request = BriefRequest(date=dt.date.today(), title="vendoreval self-test", vendor_ids=(state["vendor"].id,))
    result = BriefService(state["ws"]).export(request, out)
    data = out.read_bytes()
    if not data.startswith(b"%PDF") or result.pages < 1:
        raise RuntimeError(f"{out} is not a PDF")
    return f"PDF brief of 1 vendor: {plural(result.pages, 'page')}, {len(data) / 1024:.0f} KiB (fonts embedded)"


def _check_ui(state: dict[str, Any]) -> str:
    """Build the real main window over the temporary workspace (every page), show it, close it."""
    from .ui.selftest_window import check_main_window

    return check_main_window(state["ws"], Path(state["tmp"]))


def _check_keyring(state: dict[str, Any]) -> str:
    from importlib.metadata import entry_points

    from .secrets import KeyringSecretStore

    bundled = sorted(ep.name for ep in entry_points(group="keyring.backends"))
    store = KeyringSecretStore()
    try:
        backend = store._backend()
        name = f"{type(backend).__module__}.{type(backend).__name__}"
    except Exception as exc:  # discovery itself failing still means "no keyring", not a failed self-test
        name = f"none ({type(exc).__name__})"
    reason = store.unavailable_reason()
    found = f"backend {name}: " + ("usable" if reason is None else "no usable keyring (secrets unavailable)")
    return f"{found}; {plural(len(bundled), 'backend')} bundled ({', '.join(bundled) or 'none'})"


STEPS: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("resources", _check_resources),
    ("workspace", _check_workspace),
    ("scoring", _check_scoring),
    ("brief", _check_brief),
    ("ui", _check_ui),
    ("keyring", _check_keyring),
]


def run(out: TextIO | None = None) -> int:
    """Run every check in a temporary workspace, print a short report; 0 when no check failed, else 1."""
    from . import __version__

    out = out or sys.stdout
    if not _has_display():  # no screen (CI, ssh): Qt would abort rather than fail, so draw offscreen
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"vendoreval {__version__} self-test ({frozen}; Python {platform.python_version()}; "
          f"{platform.system()} {platform.machine()})", file=out)
    started = time.perf_counter()
    checks: list[Check] = []
    state: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="vendoreval-selftest-") as tmp:
        state["tmp"] = tmp
        try:
            for name, step in STEPS:
                t0 = time.perf_counter()
                try:
                    status, detail = OK, step(state)
                except _Skip as exc:
                    status, detail = SKIP, str(exc)
                except Exception as exc:
                    status, detail = FAIL, f"{type(exc).__name__}: {exc}"
                checks.append(Check(name, status, detail, time.perf_counter() - t0))
                c = checks[-1]
                print(f"  {c.status:<4}  {c.name:<9}  {c.detail}  [{c.seconds * 1000:.0f} ms]", file=out, flush=True)
        finally:
            if "ws" in state:
                state["ws"].close()
    failed = [c.name for c in checks if c.status == FAIL]
    total = time.perf_counter() - started
    verdict = f"FAILED ({', '.join(failed)})" if failed else "passed"
    print(f"self-test {verdict} in {total:.2f} s", file=out)
    return 1 if failed else 0


def _has_display() -> bool:
    """True where a GUI can show (Windows, macOS, or an X11/Wayland session)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
