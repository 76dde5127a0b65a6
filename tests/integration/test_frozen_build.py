"""The desktop bundle: build.spec builds with PyInstaller and the frozen app passes its self-test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXE = ".exe" if sys.platform == "win32" else ""
#: A regression guard: the bundle is ~230 MB on Linux; QtWebEngine alone would add ~300 MB.
MAX_BUNDLE_MB = 400


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundle once for this module; returns the onedir folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is not installed: `pip install -e .[test]` installs it (needed for this test)")
    work = tmp_path_factory.mktemp("pyinstaller")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--workpath", str(work / "build"), "--distpath", str(work / "dist"), str(REPO / "build.spec")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    print(f"bundle built in {time.perf_counter() - started:.0f} s")
    return work / "dist" / "vendoreval"


def _run(bundle: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment: no PYTHONPATH, so nothing can come from the source tree.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(QT_QPA_PLATFORM="offscreen", VENDOREVAL_HOME=str(home))
    return subprocess.run([str(bundle / f"vendoreval{EXE}"), *args], cwd=home.parent, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_frozen_bundle_passes_its_self_test(bundle: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    r = _run(bundle, "--self-test", home=tmp_path / "home")
    seconds = time.perf_counter() - started
    assert r.returncode == 0, r.stdout + r.stderr
    assert "(frozen;" in r.stdout
    assert "self-test passed" in r.stdout
    assert "FAIL" not in r.stdout
    resources = next(line for line in r.stdout.splitlines() if "resources" in line)
    assert str(bundle) in resources  # rubrics and fonts come from inside the bundle
    keyring_line = next(line for line in r.stdout.splitlines() if "keyring" in line)
    assert "SecretService" in keyring_line and "Windows" in keyring_line  # backends + entry points shipped
    assert seconds < 30, f"self-test took {seconds:.1f} s"
    print(r.stdout, f"self-test wall time {seconds:.2f} s, bundle {_size_mb(bundle):.0f} MB")


@pytest.mark.slow
def test_frozen_bundle_runs_the_cli_and_leaves_unused_qt_out(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    r = _run(bundle, "rubrics", "list", home=home)
    assert r.returncode == 0, r.stderr
    assert "fmti" in r.stdout  # subcommands are discovered in the frozen build, rubrics found
    r = _run(bundle, "backup", home=home)
    assert r.returncode == 0, r.stderr
    assert list((home / "backups").glob("vendoreval-*.db"))

    names = [p.name for p in bundle.rglob("*")]
    for unused in ("QtWebEngine", "Qt3D", "QtMultimedia", "QtQuick", "QtQml", "QtCharts", "QtPdf", "QtNetwork",
                   "Qt6Network"):
        assert not [n for n in names if unused in n], f"{unused} is in the bundle"
    assert _size_mb(bundle) < MAX_BUNDLE_MB
