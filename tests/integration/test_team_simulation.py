"""A seeded simulation of a team: 10 members (10 data folders, one shared folder) edit their scorecards
concurrently and sync after random delays on a virtual clock, while a "sync client" leaves conflicted and
partial copies behind. In the end every member sees the same scores and agreement figures: each author's own."""

from __future__ import annotations

import heapq
import random
import time
from pathlib import Path

import pytest

from tests.integration.test_team import RUBRIC, Team, levels_seen
from vendoreval.domain.models import Answer
from vendoreval.services import Workspace
from vendoreval.services.consensus import ConsensusService

pytestmark = pytest.mark.slow

MEMBERS = 10
VENDORS = ("Acme AI", "Brightwave", "Lumen Copy", "Quillstack")
CRITERIA = [c.id for c in RUBRIC.criteria]
EDIT_UNTIL = 8 * 60  # virtual minutes of editing (a working day)
SEED = 20261204


def edit(ws: Workspace, rng: random.Random) -> tuple[str, dict[str, int] | None]:
    """Reopen (or create) this member's scorecard of a random vendor and change some levels.

    Returns the vendor and, when the edit ends with a submit, the scorecard's levels as submitted (a draft
    is not published until it is submitted)."""
    vendor_name = rng.choice(VENDORS)
    vendor = ws.store.vendor_by_name(vendor_name) or ws.vendors.create(vendor_name)
    card = ws.scorecards.create(vendor.id, RUBRIC.id, RUBRIC.version)
    if card.status == "submitted":
        card = ws.scorecards.reopen(card.id)
    for cid in rng.sample(CRITERIA, rng.randint(1, len(CRITERIA))):
        ws.scorecards.set_score(card.id, cid, Answer.LEVEL, level=rng.randint(0, 4), rationale="simulated")
    if rng.random() < 0.2:  # some edits stay drafts until the next one
        return vendor_name, None
    card = ws.scorecards.submit(card.id)
    return vendor_name, {k: sc.level for k, sc in card.scores.items() if sc.level is not None}


def mangle(folder: Path, rng: random.Random) -> None:
    """What a sync client does now and then: a conflicted copy, a partial download, a 0-byte placeholder."""
    bundles = sorted(folder.glob("*.vebundle"))
    if not bundles:
        return
    victim = rng.choice(bundles)
    stem = victim.name[: -len(".vebundle")]
    data = victim.read_bytes()
    kind = rng.randrange(3)
    if kind == 0:
        (folder / f"{stem} (conflicted copy {rng.randint(1, 99)}).vebundle").write_bytes(data)
    elif kind == 1:
        (folder / f"{stem}.vebundle.partial").write_bytes(data[: len(data) // 3])
    else:
        (folder / f"zz-{rng.randrange(16**8):08x}.vebundle").write_bytes(b"")


def test_ten_members_converge_to_the_same_scores(tmp_path: Path) -> None:
    started = time.perf_counter()
    rng = random.Random(SEED)
    team = Team(tmp_path)
    try:
        members = [team.member(f"Member {i:02d}") for i in range(MEMBERS)]
        submitted: dict[tuple[str, str], dict[str, int]] = {}  # what each author last submitted
        for ws, svc in members:  # everyone scores and publishes once, then trusts everyone (checked fingerprints)
            vendor, levels = edit(ws, rng)
            while levels is None:
                vendor, levels = edit(ws, rng)
            submitted[(vendor, ws.evaluator)] = levels
            svc.sync()
        services = [svc for _ws, svc in members]
        for svc in services:
            svc.sync()
            svc.trust_all(svc.trust_all_plan())
        # The virtual clock: (minute, sequence, member, action); each member edits and syncs on its own rhythm.
        queue: list[tuple[float, int, int, str]] = []
        seq = 0
        for i in range(MEMBERS):
            for action in ("edit", "sync"):
                heapq.heappush(queue, (rng.uniform(0, 30), seq, i, action))
                seq += 1
        edits = syncs = 0
        while queue:
            now, _s, i, action = heapq.heappop(queue)
            ws, svc = members[i]
            if action == "edit":
                vendor, levels = edit(ws, rng)
                if levels is not None:
                    submitted[(vendor, ws.evaluator)] = levels
                edits += 1
                if now + 1 < EDIT_UNTIL:
                    heapq.heappush(queue, (now + rng.expovariate(1 / 45), seq, i, "edit"))
            else:
                report = svc.sync()
                assert report.ok and not report.untrusted and not report.refused, report.lines()
                syncs += 1
                if rng.random() < 0.1:
                    mangle(team.folder, rng)
                if now < EDIT_UNTIL:  # sync delays: a laptop offline for a meeting, a slow sync client
                    heapq.heappush(queue, (now + rng.choice([2, 5, 15, 60, 180]) * rng.random(), seq, i, "sync"))
            seq += 1
        # Editing is over: each member syncs in turn until nothing changes any more.
        for _round in range(2):
            for svc in services:
                svc.sync()
        # Every member sees a submitted copy of each colleague's scorecard, never a draft, and none newer than
        # the colleague's own (a scorecard reopened before it was published waits for its next submit).
        for ws, _svc in members:
            for card in ws.store.scorecards():
                if card.evaluator == ws.evaluator:
                    continue
                assert card.status == "submitted"
                author = members[int(card.evaluator.split()[-1])][0]
                own = author.store.scorecard(card.id)
                assert own is not None and (own.version, own.status == "submitted") >= (card.version, True)
        # Everyone submits what is still a draft; after two more rounds all members see exactly the same.
        for ws, _svc in members:
            for card in ws.store.scorecards():
                if card.evaluator == ws.evaluator and card.status != "submitted":
                    ws.scorecards.submit(card.id)
        for _round in range(2):
            for svc in services:
                svc.sync()
        views = [levels_seen(ws) for ws, _svc in members]
        for view in views[1:]:
            assert view == views[0]
        own_cards = {k: v for ws, _svc in members for k, v in levels_seen(ws).items() if k[1] == ws.evaluator}
        assert views[0] == own_cards  # each author's own latest levels, everywhere
        assert set(submitted) <= set(own_cards)
        # The agreement statistics every member computes are the same too.
        stats = []
        for ws, _svc in members:
            per_vendor = []
            for vendor in VENDORS:
                v = ws.store.vendor_by_name(vendor)
                if v is None:
                    continue
                a = ConsensusService(ws).for_vendor(v.id, RUBRIC.id).agreement
                per_vendor.append((vendor, a.evaluators, a.percent, a.alpha, a.flagged))
            stats.append(per_vendor)
        assert all(s == stats[0] for s in stats)
        assert len(stats[0]) == len(VENDORS) and any(len(row[1]) > 2 for row in stats[0])
        assert edits > 50 and syncs > 100
        print(f"\n{MEMBERS} members, {edits} edits, {syncs} syncs: converged; {time.perf_counter() - started:.1f} s")
    finally:
        team.close()
    assert time.perf_counter() - started < 60
