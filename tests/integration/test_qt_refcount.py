"""The Qt binding the app runs on does not lose references to None (issue 11, "Stability").

PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to ``None`` on every Qt call that returns
nothing (``setHidden``, ``setText``, ``setEnabled``...): after a few thousand such calls the refcount of
None reaches zero and the process aborts with ``Fatal Python error: none_dealloc``. pyproject.toml pins
``PySide6-Essentials<6.12``; these tests catch an install that escaped the pin and a binding that leaks.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from pathlib import Path

import pytest
from packaging.requirements import Requirement  # packaging comes with pytest
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
CALLS = 5000
#: How far the count may fall without calling it a leak. The count moves by a few either way as Qt and
#: Python create and free objects (6.11.3 measured +3 over 5,000 calls); a leaking binding loses one
#: reference per call, ~5,000 here (6.12.0 on Python 3.11: 5090 -> 93, then the process aborted).
NOISE = 10

CHILD = textwrap.dedent(f"""
    import sys
    from PySide6.QtWidgets import QApplication, QLabel, QWidget

    app = QApplication([])
    window = QWidget()
    label = QLabel("start", window)
    window.show()
    app.processEvents()
    for _ in range(50):  # warm-up: first calls create caches (method wrappers, signatures)
        label.setText("warm-up"); label.setHidden(False); window.setEnabled(True)
    before = sys.getrefcount(None)
    for i in range({CALLS}):
        kind = i % 3
        if kind == 0:
            label.setHidden(i % 2 == 0)
        elif kind == 1:
            label.setText("call %d" % i)
        else:
            window.setEnabled(i % 2 == 1)
    after = sys.getrefcount(None)
    print(f"NONE_REFCOUNT before={{before}} after={{after}}", flush=True)
    window.close()
""")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: its count cannot fall")
def test_void_qt_calls_do_not_drop_references_to_none() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
    # A leaking binding either aborts (none_dealloc, exit -6/134) or reports the fall below.
    assert proc.returncode == 0, f"child exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr[-3000:]}"
    m = re.search(r"NONE_REFCOUNT before=(\d+) after=(\d+)", proc.stdout)
    assert m, proc.stdout + proc.stderr
    before, after = int(m.group(1)), int(m.group(2))
    assert after >= before - NOISE, (
        f"sys.getrefcount(None) fell from {before} to {after} over {CALLS} void Qt calls: this PySide6 "
        "loses a reference to None per call and will abort long sessions (none_dealloc)")


def _pyside_requirement() -> Requirement:
    """The PySide6-Essentials requirement as pyproject.toml declares it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    found = [r for r in reqs if r.name.lower().replace("_", "-") == "pyside6-essentials"]
    assert len(found) == 1, f"pyproject.toml should declare PySide6-Essentials once: {project['dependencies']}"
    return found[0]


def test_pyproject_pins_pyside_below_612() -> None:
    spec = _pyside_requirement().specifier
    assert Version("6.11.3") in spec
    assert Version("6.12.0") not in spec and Version("6.12.1") not in spec, (
        f"PySide6-Essentials{spec} admits 6.12, which aborts on Python 3.11 (none_dealloc)")


def test_installed_pyside_satisfies_the_pin() -> None:
    import PySide6
    import shiboken6

    spec = _pyside_requirement().specifier
    # What is imported (PySide6.__version__) and the binding generator it runs on (shiboken6, whose
    # libshiboken holds the reference counting) must both be inside the pin.
    for name, installed in (("PySide6", PySide6.__version__), ("shiboken6", shiboken6.__version__)):
        assert Version(installed) in spec, (
            f"{name} {installed} is installed but pyproject.toml requires PySide6-Essentials{spec}: "
            "reinstall with `pip install -e .[test]`")
    try:
        assert Version(dist_version("PySide6-Essentials")) in spec
    except PackageNotFoundError:  # a full PySide6 install provides the same modules under another name
        pass
