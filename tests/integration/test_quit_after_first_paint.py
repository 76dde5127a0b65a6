"""`vendoreval --quit-after-first-paint`: the real start-up in its own process, exit 0 after the first paint."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 90


def _start(home: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VENDOREVAL_HOME": str(home / "home"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "share"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "vendoreval", *args], env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S, cwd=home)
    return proc, time.perf_counter() - started


def test_opens_the_workspace_paints_the_main_window_and_exits_0(tmp_path: Path) -> None:
    data = tmp_path / "fresh workspace"
    proc, seconds = _start(tmp_path, "--quit-after-first-paint", "--data-dir", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (data / "vendoreval.db").is_file()  # the workspace in --data-dir was opened (created)
    log = (tmp_path / "home" / "logs" / "vendoreval.log").read_text(encoding="utf-8")
    assert f"starting on {data}" in log
    assert "first paint after" in log and "quitting (--quit-after-first-paint)" in log
    assert seconds < 30, f"start-up to first paint took {seconds:.1f} s"


def test_starts_on_a_workspace_with_vendors_and_keeps_it_intact(tmp_path: Path) -> None:
    data = tmp_path / "sample"
    filled, _ = _start(tmp_path, "--data-dir", str(data), "demo")
    assert filled.returncode == 0, filled.stderr
    proc, _ = _start(tmp_path, "--quit-after-first-paint", "--data-dir", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr  # background jobs (vendor list scores) end quietly on the quick close
    listing, _ = _start(tmp_path, "--data-dir", str(data), "vendors", "list")
    assert listing.returncode == 0, listing.stderr
    assert "Lumen Copy" in listing.stdout


def test_refuses_a_command_alongside(tmp_path: Path) -> None:
    proc, _ = _start(tmp_path, "--quit-after-first-paint", "--data-dir", str(tmp_path / "d"), "vendors", "list")
    assert proc.returncode == 2
    assert "give it no COMMAND" in proc.stderr


def test_starting_the_app_leaves_subcommands_and_rubric_files_unread(tmp_path: Path) -> None:
    """Launch cost (benchmarks/bench_launch.py): starting the app imports no subcommand module and the main
    window paints before any rubric file is parsed; both are ~0.35 s CPU on the 2-core reference machine."""
    probe = (
        "import sys, vendoreval.ui.app as app, vendoreval.domain.rubric as rubric\n"
        "parsed = []\n"
        "real = rubric.load_rubric_file\n"
        "rubric.load_rubric_file = lambda *a, **k: parsed.append(a[0]) or real(*a, **k)\n"
        "import vendoreval.services.library as library\n"
        "library.load_rubric_file = rubric.load_rubric_file\n"
        "real_close = app.MainWindow.close\n"
        "def close(self):\n"
        "    print('PARSED_BEFORE_PAINT', len(parsed)); return real_close(self)\n"
        "app.MainWindow.close = close\n"
        "from vendoreval.cli import main\n"
        "rc = main(['--quit-after-first-paint', '--data-dir', sys.argv[1]])\n"
        "print('CLI_MODULES', sorted(m for m in sys.modules if m.startswith('vendoreval.cli.')))\n"
        "sys.exit(rc)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VENDOREVAL_HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "ws")], env=env, capture_output=True,
                          text=True, timeout=TIMEOUT_S, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "CLI_MODULES ['vendoreval.cli.common']" in proc.stdout
    assert "PARSED_BEFORE_PAINT 0" in proc.stdout
