"""Engine benchmark: write a 200-vendor x 7-rubric x 12-criterion x 3-evaluator workspace, compute every total.

Prints the time to write the workspace through the store, the raw sqlite-utils insert rate for the same
rows into the same schema (no model conversion), and the time to compute every total. Aims: writing at
>= 50 % of the raw rate; every total in <= 200 ms.

    python benchmarks/bench_engine.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlite_utils import Database

from benchmarks.workspace_gen import generate_workspace
from vendoreval.services.workspace import Workspace
from vendoreval.store.store import Store


def _raw_rate(data_dir: Path, tmp: Path) -> tuple[int, float]:
    """Copy every row of the generated workspace into a fresh schema with plain sqlite-utils inserts."""
    src = Database(data_dir / "vendoreval.db")
    tables = ["rubric_versions", "vendors", "evidence", "claims", "scorecards", "scores", "agreed_scores", "audit"]
    rows = {t: list(src[t].rows) for t in tables}
    src.close()
    target = Store(tmp / "raw")  # same schema, migrations applied
    db = target.db
    n = sum(len(r) for r in rows.values())
    start = time.perf_counter()
    with db.atomic():
        for t in tables:
            db[t].insert_all(rows[t], batch_size=2000)  # type: ignore[union-attr]
    seconds = time.perf_counter() - start
    target.close()
    return n, seconds


def _store_write(data_dir: Path, tmp: Path) -> tuple[int, float]:
    """Read the generated workspace as models, then time writing them into a fresh store (one transaction)."""
    src = Store(data_dir)
    rubric_rows = src.rubric_version_rows()
    vendors, claims, evidence = src.vendors(), src.claims(), src.evidence()
    cards, agreed, audit = src.scorecards(), src.agreed_scores(), src.audit_ascending()
    src.close()
    target = Store(tmp / "models")
    n = (len(rubric_rows) + len(vendors) + len(claims) + len(evidence) + len(cards)
         + sum(len(c.scores) for c in cards) + len(agreed) + len(audit))
    start = time.perf_counter()
    with target.transaction():
        target.insert_rubric_version_rows(rubric_rows)
        target.insert_vendors_bulk(vendors)
        target.insert_evidence_bulk(evidence)
        target.insert_claims_bulk(claims)
        target.insert_scorecards_bulk(cards)
        target.insert_agreed_bulk(agreed)
        target.insert_audit_rows(audit)
    seconds = time.perf_counter() - start
    target.close()
    return n, seconds


def main() -> int:
    """Run the benchmark and print figures (RESULT lines are read by benchmarks/run.py)."""
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        data_dir = tmp / "ws"
        gen = generate_workspace(data_dir)
        store_n, store_s = _store_write(data_dir, tmp)
        raw_n, raw_s = _raw_rate(data_dir, tmp)
        write_rate = store_n / store_s
        raw_rate = raw_n / raw_s
        ws = Workspace(data_dir, evaluator="bench")
        start = time.perf_counter()
        totals = ws.totals.vendor_totals()
        cold = time.perf_counter() - start
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            totals = ws.totals.vendor_totals()
            runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        per_card = ws.totals.scorecard_totals()
        card_s = time.perf_counter() - start
        ws.close()
    print(f"workspace: {gen.counts}")
    print(f"generate (build models + write): {gen.seconds * 1000:.0f} ms")
    print(f"write models through the store (one transaction): {store_s * 1000:.0f} ms for {store_n} rows "
          f"= {write_rate:,.0f} rows/s")
    print(f"raw sqlite-utils insert of the same rows (plain dicts): {raw_s * 1000:.0f} ms = {raw_rate:,.0f} rows/s")
    print(f"store write rate / raw rate: {write_rate / raw_rate * 100:.0f} %  (aim >= 50 %)")
    print(f"every vendor total, cold (read database + compute): {cold * 1000:.0f} ms")
    print(f"every vendor total ({len(totals)} vendors x 7 rubrics, 3 evaluators merged), data in memory: "
          f"median {statistics.median(runs) * 1000:.0f} ms, best {min(runs) * 1000:.0f} ms  (aim <= 200 ms)")
    print(f"every scorecard total ({len(per_card)} scorecards, read + compute): {card_s * 1000:.0f} ms")
    print(f"RESULT engine_write_rows_per_s={write_rate:.0f} rows/s")
    print(f"RESULT engine_write_vs_raw_pct={write_rate / raw_rate * 100:.1f} %")
    print(f"RESULT engine_all_totals_ms={statistics.median(runs) * 1000:.1f} ms")
    print(f"RESULT engine_all_totals_cold_ms={cold * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
