"""Team folder: bytes written per edit and convergence time, for 10 and 50 members x 200 vendors.

Run from the repository root::

    PYTHONPATH=. python benchmarks/team_convergence.py                  # 10 and 50 members, 200 vendors
    PYTHONPATH=. python benchmarks/team_convergence.py --members 10 --edits 20 --per-vendor 10

Set-up, per member count M: M members, each with its own data folder (a temporary directory) and an
in-memory keyring, one shared team folder (a plain local folder: no sync client, so no upload or download
time is counted), everyone trusts everyone. The workload: each of the 200 vendors is scored by
``--per-vendor`` members (default 3, as a vendor is evaluated by marketing, procurement and the DPO),
round-robin, on a 12-criterion rubric (benchmarks/workspace_gen.bench_rubric) with a rationale per score;
so each member owns and publishes 200 x 3 / M submitted scorecards (60 at 10 members, 12 at 50).
``--per-vendor M`` makes every member score every vendor (the largest bundles; slow to set up at 50).

Measured:

* **bytes written per edit**: one member reopens one of its scorecards, changes one level, submits and
  syncs; ``SyncReport.bytes_written`` of that sync (the whole bundle, rewritten, plus the presence file).
  Median over ``--edits`` edits; the bundle size too.
* **one-edit convergence**: after that publish, one sync round over every other member (each imports the
  changed bundle; checked). The round runs the members one after another in this process, so its wall
  time is the sum of M-1 imports; on real laptops they sync in parallel and each member's share is the
  per-member figure (plus the sync client's propagation and the app's poll interval, not measured here).
  Wall and CPU time, median over the edits that got a round (``--budget`` seconds of rounds per member
  count; the later edits only publish, and one catch-up round at the end checks everyone converged).
* **idle sync round**: every member syncs with nothing changed (median of 3).

The machine's core count is printed; the figures in docs/team.md were taken on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.workspace_gen import bench_rubric
from vendoreval.domain.models import Answer
from vendoreval.domain.rubric import Rubric
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import Workspace
from vendoreval.services.team import SyncReport, TeamService, member_file_name

T = TypeVar("T")
RUBRIC = bench_rubric("team-bench", 12)
CRITERIA = [c.id for c in RUBRIC.criteria]


@dataclass
class Member:
    """One member: its workspace, its team service, the scorecards it owns."""

    ws: Workspace
    svc: TeamService
    cards: list[str] = field(default_factory=list)


@dataclass
class Figures:
    """What one member count measured."""

    members: int
    vendors: int
    cards_per_member: int
    setup_s: float = 0.0
    first_round_s: float = 0.0
    bundle_bytes: list[int] = field(default_factory=list)
    written: list[int] = field(default_factory=list)
    publish_s: list[float] = field(default_factory=list)
    round_s: list[float] = field(default_factory=list)
    round_cpu_s: list[float] = field(default_factory=list)
    per_member_s: list[float] = field(default_factory=list)
    idle_s: list[float] = field(default_factory=list)
    edits: int = 0
    notes: list[str] = field(default_factory=list)


def _add_rubric(ws: Workspace, r: Rubric) -> None:
    with ws.unit_of_work():  # every write through the one write path, as the app's
        ws.store.save_rubric_version(r, origin="user")
    ws.library.remember(r)


class Team:
    """Several data folders and one shared team folder (as tests/integration/test_team.py builds them)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "shared"
        self.folder.mkdir()
        self.members: list[Member] = []

    def member(self, evaluator: str) -> Member:
        ws = Workspace(self.root / f"m{len(self.members):03d}", evaluator=evaluator, secrets=InMemorySecretStore())
        _add_rubric(ws, RUBRIC)
        svc = TeamService(ws)
        svc.join(self.folder)
        m = Member(ws, svc)
        self.members.append(m)
        return m

    def close(self) -> None:
        for m in self.members:
            m.ws.close()


def _timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def _score(m: Member, vendor: str, rng: random.Random) -> None:
    v = m.ws.store.vendor_by_name(vendor) or m.ws.vendors.create(vendor)
    card = m.ws.scorecards.create(v.id, RUBRIC.id, RUBRIC.version)
    for cid in CRITERIA:
        m.ws.scorecards.set_score(card.id, cid, Answer.LEVEL, level=rng.randint(0, 4),
                                  rationale=f"{m.ws.evaluator}: {cid} scored from the vendor's documents")
    m.ws.scorecards.submit(card.id)
    m.cards.append(card.id)


def _edit(m: Member, rng: random.Random) -> tuple[str, str, int]:
    """Reopen one of the member's scorecards, change one level, submit; (card id, criterion, new level)."""
    card_id = rng.choice(m.cards)
    card = m.ws.scorecards.reopen(card_id)
    cid = rng.choice(CRITERIA)
    old = card.scores[cid].level if cid in card.scores else None
    level = rng.choice([lv for lv in range(5) if lv != old])
    m.ws.scorecards.set_score(card_id, cid, Answer.LEVEL, level=level, rationale="changed after the demo")
    m.ws.scorecards.submit(card_id)
    return card_id, cid, level


def _file_of(m: Member) -> str:
    key = m.svc.identity.public()
    if key is None:
        raise SystemExit(f"{m.ws.evaluator}: no signing key")
    return member_file_name(m.svc.member_name(), key.fingerprint)


def _round(members: list[Member]) -> list[tuple[SyncReport, float]]:
    out = []
    for m in members:
        report, wall, _cpu = _timed(m.svc.sync)
        if not report.ok or report.refused or report.untrusted:
            raise SystemExit(f"{m.ws.evaluator}: sync failed: {report.lines()}")
        out.append((report, wall))
    return out


@contextmanager
def _team() -> Iterator[Team]:
    with tempfile.TemporaryDirectory(prefix="team-bench-") as tmp:
        team = Team(Path(tmp))
        try:
            yield team
        finally:
            team.close()


def run(n_members: int, n_vendors: int, per_vendor: int, edits: int, budget: float, seed: int) -> Figures:
    """Set up one team, then measure edits, convergence rounds and idle rounds."""
    rng = random.Random(seed)
    k = min(per_vendor, n_members)
    with _team() as team:
        started = time.perf_counter()
        members = [team.member(f"Member {i:02d}") for i in range(n_members)]
        for v in range(n_vendors):  # vendor v is scored by k consecutive members, round-robin
            for j in range(k):
                _score(members[(v * k + j) % n_members], f"Vendor {v:03d}", rng)
        for m in members:  # everyone publishes, then trusts everyone (in a real team: fingerprints checked)
            m.svc.sync()
        for m in members:
            m.svc.sync()
            m.svc.trust_all(m.svc.trust_all_plan())
        fig = Figures(n_members, n_vendors, len(members[0].cards), setup_s=time.perf_counter() - started)
        _r, fig.first_round_s, _c = _timed(lambda: _round(members))  # everyone imports everyone
        _round(members)
        total = sum(len(m.cards) for m in members)
        for m in (members[0], members[-1]):
            if len(m.ws.store.scorecards()) != total or len(m.ws.store.vendors()) != n_vendors:
                raise SystemExit(f"{m.ws.evaluator}: not converged after set-up")
        spent = 0.0
        changed: list[tuple[str, str, int]] = []
        for _e in range(edits):
            i = rng.randrange(n_members)
            editor = members[i]
            changed.append(_edit(editor, rng))
            report, wall, _cpu = _timed(editor.svc.sync)
            if not report.published:
                raise SystemExit(f"{editor.ws.evaluator}: the edit was not published: {report.lines()}")
            fig.written.append(report.bytes_written)
            fig.publish_s.append(wall)
            fig.bundle_bytes.append((team.folder / _file_of(editor)).stat().st_size)
            fig.edits += 1
            if spent < budget:
                others = members[:i] + members[i + 1:]
                reports, wall, cpu = _timed(lambda others=others: _round(others))  # type: ignore[misc]
                spent += wall
                if any(len(r.imported) != 1 for r, _w in reports):
                    raise SystemExit("a member did not import the edit in one round")
                fig.round_s.append(wall)
                fig.round_cpu_s.append(cpu)
                fig.per_member_s.extend(w for _r, w in reports)
        rounds = len(fig.round_s)
        if rounds < fig.edits:
            fig.notes.append(f"{rounds} of {fig.edits} edits got a timed convergence round (--budget {budget:g} s); "
                             "the others only published")
            _round(members)  # catch up
        expected = {(card_id, cid): level for card_id, cid, level in changed}  # the latest level of each edit
        for m in members:
            for (card_id, cid), level in expected.items():
                card = m.ws.store.scorecard(card_id)
                if card is None or card.scores[cid].level != level:
                    raise SystemExit(f"{m.ws.evaluator}: has not converged on {card_id} {cid}")
        for _n in range(3):
            _r, wall, _cpu = _timed(lambda: _round(members))
            fig.idle_s.append(wall)
            if any(r.imported or r.published for r, _w in _r):
                fig.notes.append("an idle round published or imported something")
    return fig


def _med(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(figs: list[Figures], per_vendor: int) -> None:
    """Print the table and RESULT lines."""
    print(f"\nmachine: {os.cpu_count()} cores; scorers per vendor: {per_vendor}")
    head = (f"{'members':>7} {'vendors':>7} {'cards/member':>12} {'bundle':>9} {'written/edit':>12} "
            f"{'publish':>8} {'converge round':>14} {'(cpu)':>7} {'per member':>10} {'idle round':>10} {'edits':>9}")
    print(head)
    print("-" * len(head))
    for f in figs:
        print(f"{f.members:>7} {f.vendors:>7} {f.cards_per_member:>12} {_med(f.bundle_bytes) / 1024:>7.1f}KB "
              f"{_med(f.written) / 1024:>10.1f}KB {_med(f.publish_s) * 1000:>6.0f}ms "
              f"{_med(f.round_s):>12.2f} s {_med(f.round_cpu_s):>5.2f} s {_med(f.per_member_s) * 1000:>8.0f}ms "
              f"{_med(f.idle_s):>8.2f} s {len(f.round_s):>4}/{f.edits:<4}")
    for f in figs:
        print(f"{f.members} members: set-up {f.setup_s:.1f} s; first round (everyone imports everyone) "
              f"{f.first_round_s:.1f} s")
        for n in f.notes:
            print(f"  note: {n}")
    for f in figs:
        p = f"team_{f.members}"
        print(f"RESULT {p}_bundle_kb={_med(f.bundle_bytes) / 1024:.1f} KB")
        print(f"RESULT {p}_written_per_edit_kb={_med(f.written) / 1024:.1f} KB")
        print(f"RESULT {p}_publish_ms={_med(f.publish_s) * 1000:.0f} ms")
        print(f"RESULT {p}_convergence_round_ms={_med(f.round_s) * 1000:.0f} ms")
        print(f"RESULT {p}_convergence_per_member_ms={_med(f.per_member_s) * 1000:.0f} ms")
        print(f"RESULT {p}_idle_round_ms={_med(f.idle_s) * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run each member count, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--per-vendor", type=int, default=3, help="members who score each vendor (default 3)")
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--budget", type=float, default=120.0,
                        help="seconds of timed convergence rounds per member count (default 120)")
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args(argv)
    figs = []
    for n in args.members:
        print(f"{n} members x {args.vendors} vendors ...", flush=True)
        figs.append(run(n, args.vendors, args.per_vendor, args.edits, args.budget, args.seed))
    report(figs, args.per_vendor)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
