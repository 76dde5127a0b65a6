"""Crash safety: SIGKILL the app at random moments during edits and imports; nothing acknowledged is lost.

A child Python process drives the services the desktop app uses (create vendors, add claims, score,
re-score, import claims and scores CSVs). It prints ``BEGIN <n> <plan>`` before each edit and
``ACK <n> <kind> <json>`` once the edit has returned, i.e. is committed. The parent kills it (SIGKILL,
seeded random moments, some during start-up and recovery), starts it again on the same workspace, and
at the end checks ``PRAGMA integrity_check`` and that every acknowledged edit is in the database.
An edit that overwrites (a re-score) must show the last acknowledged value, or the value of the one
edit that was in flight when the process died.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from vendoreval.services import Workspace

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

REPO = Path(__file__).resolve().parents[2]
KILLS = 24
SEED = 20261127

CHILD = r"""
import json, random, sys
from pathlib import Path

from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService

data_dir, run = Path(sys.argv[1]), int(sys.argv[2])
rng = random.Random(f"crash-{run}")
ws = Workspace(data_dir, evaluator="crash")
exchange = ExchangeService(ws)
rubric = ws.library.latest_all()[0]
crits = [c for c in rubric.criteria]
print("READY", flush=True)

def ack(n, kind, **data):
    print(f"ACK {n} {kind} {json.dumps(data)}", flush=True)

for n in range(10_000):
    tag = f"r{run}n{n}"
    vendors = ws.vendors.list()
    op = rng.choice(["vendor", "claim", "claim", "score", "score", "import_claims", "import_scores"])
    if not vendors:
        op = "vendor"
    if op == "import_claims":
        v = rng.choice(vendors)
        rows = [f'"{v.name}","Imported {tag} #{i}"' for i in range(rng.randint(5, 60))]
        print(f"BEGIN {n} " + json.dumps({"prefix": f"Imported {tag} #", "count": len(rows)}), flush=True)
    else:
        print(f"BEGIN {n} {{}}", flush=True)
    if op == "vendor":
        v = ws.vendors.create(f"Vendor {tag}")
        ack(n, "vendor", id=v.id, name=v.name)
    elif op == "claim":
        v = rng.choice(vendors)
        c = ws.claims.add(v.id, f"Claim {tag}: trained on {rng.randint(1, 99)}T tokens")
        ack(n, "claim", id=c.id, text=c.text)
    elif op == "score":
        v = rng.choice(vendors)
        card = ws.scorecards.create(v.id, rubric.id)
        crit = rng.choice(crits)
        level = rng.randint(0, crit.scale.top)
        ws.scorecards.set_score(card.id, crit.id, level=level, rationale=tag)
        ack(n, "score", vendor=v.id, criterion=crit.id, rationale=tag)
    elif op == "import_claims":
        path = data_dir / f"claims-{tag}.csv"
        path.write_text("vendor,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
        exchange.import_file(path)
        ack(n, "import_claims", prefix=f"Imported {tag} #", count=len(rows))
    else:
        v = rng.choice(vendors)
        path = data_dir / f"scores-{tag}.csv"
        chosen = rng.sample(crits, min(len(crits), rng.randint(3, 12)))
        lines = [f'"{v.name}",{rubric.id},crash,{c.id},{rng.randint(0, c.scale.top)},{tag}' for c in chosen]
        path.write_text("vendor,rubric,evaluator,criterion,level,rationale\n" + "\n".join(lines) + "\n",
                        encoding="utf-8")
        exchange.import_file(path)
        ack(n, "import_scores", vendor=v.id, rubric=rubric.id, criteria=[c.id for c in chosen], rationale=tag)
"""


def _run_child(data_dir: Path, run: int, rng: random.Random) -> list[str]:
    """Start the child on the workspace, SIGKILL it at a random moment; returns the lines it printed."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    err_path = data_dir.parent / f"child-{run}.err"
    with open(err_path, "w") as err:
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(run)], stdout=subprocess.PIPE,
                                stderr=err, env=env, text=True)
        assert proc.stdout is not None
        lines = []
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.05, 0.4))  # kill during start-up: opening, WAL recovery, migrations
        else:
            lines.append(proc.stdout.readline().rstrip("\n"))
            if lines[0] != "READY":
                proc.kill()
                raise AssertionError(f"child did not start: {lines[0]} {err_path.read_text()}")
            time.sleep(rng.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        # Read the rest through the same buffered reader as the first line, so no line is lost.
        lines += proc.stdout.read().splitlines()
        proc.stdout.close()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"child ended on its own ({proc.returncode}): {err_path.read_text()}"
    begun = [int(line.split()[1]) for line in lines if line.startswith("BEGIN ")]
    assert begun == list(range(len(begun))), "a line of the child's output was lost"  # the harness itself
    return lines


def test_sigkill_during_edits_and_imports_loses_nothing_acknowledged(tmp_path: Path) -> None:
    data_dir = tmp_path / "workspace"
    Workspace(data_dir, evaluator="setup").close()  # schema in place; the children do the rest
    rng = random.Random(SEED)
    acked: list[dict[str, Any]] = []
    killed_imports: list[dict[str, Any]] = []  # imports in flight at a kill: all rows or none may be there
    # (vendor, criterion) -> rationale tags the score may show: the last acknowledged write, plus the tag
    # of an edit that was in flight when a later kill struck (it may or may not have committed).
    scores: dict[tuple[str, str], set[str]] = {}
    started = time.perf_counter()
    for run in range(KILLS):
        in_flight: tuple[str, dict[str, Any]] | None = None
        for line in _run_child(data_dir, run, rng):
            if line.startswith("BEGIN "):
                _, n, plan = line.split(" ", 2)
                in_flight = (n, json.loads(plan))
            elif line.startswith("ACK "):
                _, n, kind, payload = line.split(" ", 3)
                entry = {"kind": kind, **json.loads(payload)}
                acked.append(entry)
                in_flight = None
                for key, tag in _score_writes(entry):
                    scores[key] = {tag}
        if in_flight is not None:
            n, plan = in_flight
            for allowed in scores.values():
                allowed.add(f"r{run}n{n}")
            if plan:
                killed_imports.append(plan)
    elapsed = time.perf_counter() - started

    conn = sqlite3.connect(data_dir / "vendoreval.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        vendors = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM vendors")}
        claims = {r[0]: r[1] for r in conn.execute("SELECT id, text FROM claims")}
        rationale = {(r[0], r[1]): r[2] for r in conn.execute(
            "SELECT c.vendor_id, s.criterion_id, s.rationale FROM scores s JOIN scorecards c ON c.id = s.scorecard_id "
            "WHERE c.evaluator = 'crash'")}
    finally:
        conn.close()
    texts = list(claims.values())

    kinds = {e["kind"] for e in acked}
    assert len(acked) >= 20 and {"vendor", "claim", "score", "import_claims", "import_scores"} <= kinds, kinds
    for e in acked:
        if e["kind"] == "vendor":
            assert vendors.get(e["id"]) == e["name"], e
        elif e["kind"] == "claim":
            assert claims.get(e["id"]) == e["text"], e
        elif e["kind"] == "import_claims":
            assert sum(t.startswith(e["prefix"]) for t in texts) == e["count"], e
    for plan in killed_imports:  # never half an import
        assert sum(t.startswith(plan["prefix"]) for t in texts) in (0, plan["count"]), plan
    for key, allowed in scores.items():
        assert rationale.get(key) in allowed, (key, rationale.get(key), allowed)
    print(f"{KILLS} kills, {len(acked)} acknowledged edits checked, {len(killed_imports)} imports killed "
          f"mid-way, {elapsed:.1f} s")


def _score_writes(entry: dict[str, Any]) -> list[tuple[tuple[str, str], str]]:
    """((vendor, criterion), rationale tag) for each score an acknowledged edit wrote."""
    if entry["kind"] == "score":
        return [((entry["vendor"], entry["criterion"]), entry["rationale"])]
    if entry["kind"] == "import_scores":
        return [((entry["vendor"], c), entry["rationale"]) for c in entry["criteria"]]
    return []
