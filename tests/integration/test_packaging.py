"""A plain (non-editable) `pip install .` brings rubrics/ and resources/, found from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_pip_install_ships_rubrics_and_resources(tmp_path):
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", "--target", str(target),
         str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    shipped = sorted(p.name for p in (target / "vendoreval" / "_data" / "rubrics").glob("*.toml"))
    assert "gdpr.toml" in shipped and "fmti-2025-12.toml" in shipped
    assert (target / "vendoreval" / "_data" / "resources").is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    env["VENDOREVAL_HOME"] = str(tmp_path / "home")
    probe = (
        "import vendoreval, vendoreval.paths as p; "
        "print(vendoreval.__file__); print(p.rubrics_dir()); print(p.resource_path('resources'))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=elsewhere, env=env,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(str(target))
    assert lines[1] == str(target / "vendoreval" / "_data" / "rubrics")
    listing = subprocess.run([sys.executable, "-m", "vendoreval", "rubrics", "list"], capture_output=True,
                             text=True, cwd=elsewhere, env=env, timeout=60)
    assert listing.returncode == 0, listing.stderr
    assert "gdpr" in listing.stdout and "shipped" in listing.stdout
