"""A reproducible large workspace for benchmarks: 200 vendors x 7 rubrics x 12 criteria x 3 evaluators.

Other benchmarks import it::

    from benchmarks.workspace_gen import generate_workspace
    info = generate_workspace(tmp_dir)          # writes the data folder, returns counts and rubric ids

Everything is derived from ``seed`` (uuid5 ids, fixed timestamps, a seeded RNG), so two runs give the
same database content. Records go straight into the store in one transaction, which is how a restore
writes them too; the service layer would take minutes for 50 000 scores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vendoreval.domain.models import (
    AgreedScore,
    Answer,
    AuditEntry,
    Claim,
    ClaimStatus,
    CriterionRef,
    Decision,
    Evidence,
    EvidenceKind,
    EvidenceStrength,
    Score,
    Scorecard,
    ScorecardStatus,
    SourceKind,
    Vendor,
)
from vendoreval.domain.rubric import Rubric, parse_rubric
from vendoreval.store.store import Store

NAMESPACE = uuid.UUID("5b0c1f0e-7a51-4d0b-9a57-6d2f1c0b7e11")
DEFAULT_RUBRIC_IDS = tuple(f"bench-{i:02d}" for i in range(1, 8))
EPOCH = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@dataclass
class GeneratedWorkspace:
    """What was generated: the data folder, the rubrics and the record counts."""

    data_dir: Path
    rubrics: list[Rubric]
    evaluators: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _at(minutes: int) -> str:
    return (EPOCH + dt.timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def bench_rubric(rubric_id: str, n_criteria: int = 12, version: str = "1.0") -> Rubric:
    """A synthetic rubric: ordinal 0-4 criteria, one knock-out, varied weights."""
    criteria = []
    for j in range(1, n_criteria + 1):
        crit: dict[str, Any] = {
            "id": f"c{j:02d}",
            "title": f"Criterion {j} of {rubric_id}",
            "question": f"Does the vendor meet requirement {j}?",
            "guidance": "Score from the evidence, not the sales deck.",
            "weight": float(1 + j % 3),
            "scale": {"kind": "ordinal", "levels": [
                {"level": lv, "label": f"L{lv}", "description": f"Level {lv} evidence"} for lv in range(5)
            ]},
            "sources": [f"Benchmark source {j}"],
        }
        if j == 1:
            crit["knockout_below"] = 1
            crit["knockout_reason"] = "Mandatory requirement not met"
        criteria.append(crit)
    return parse_rubric({"id": rubric_id, "version": version, "title": f"Benchmark {rubric_id}",
                         "area": "Benchmark", "criteria": criteria})


def generate_workspace(
    data_dir: Path,
    *,
    vendors: int = 200,
    rubrics: int = 7,
    criteria: int = 12,
    evaluators: int = 3,
    claims_per_vendor: int = 5,
    files_per_vendor: int = 1,
    file_bytes: int = 2048,
    seed: int = 1,
    rubric_ids: tuple[str, ...] | None = None,
) -> GeneratedWorkspace:
    """Fill an empty data folder with a large deterministic workspace; returns what it holds."""
    started = time.perf_counter()
    rng = random.Random(seed)
    ids = (rubric_ids or DEFAULT_RUBRIC_IDS)[:rubrics]
    if len(ids) < rubrics:
        ids = ids + tuple(f"bench-{i:02d}" for i in range(len(ids) + 1, rubrics + 1))
    rubric_list = [bench_rubric(rid, criteria) for rid in ids]
    names = [f"Evaluator {chr(ord('A') + i)}" for i in range(evaluators)]
    store = Store(Path(data_dir))
    if not store.is_empty():
        store.close()
        raise ValueError(f"{data_dir} is not empty")
    vendor_rows: list[Vendor] = []
    claim_rows: list[Claim] = []
    evidence_rows: list[Evidence] = []
    cards: list[Scorecard] = []
    agreed: list[AgreedScore] = []
    audit: list[AuditEntry] = []
    minute = 0

    def log(action: str, entity: str, entity_id: str, vendor_id: str | None, summary: str) -> None:
        audit.append(AuditEntry(id=len(audit) + 1, at=_at(minute), actor=names[len(audit) % evaluators],
                                action=action, entity=entity, entity_id=entity_id, vendor_id=vendor_id,
                                summary=summary))

    blobs: list[bytes] = []
    statuses = list(ClaimStatus)
    strengths = [*list(EvidenceStrength), None]
    decisions = list(Decision)
    for v in range(vendors):
        minute += 7
        vid = _id(seed, "vendor", v)
        decision = decisions[v % len(decisions)]
        vendor_rows.append(Vendor(
            id=vid, name=f"Vendor {v:04d} {rng.choice(['Analytics', 'Copy', 'Insight', 'Reach', 'Pulse'])}",
            product=f"Product {v}", website=f"https://vendor{v}.example", description="Generated for benchmarks.",
            decision=decision,
            conditions=["Signed DPA", "Exit plan"] if decision == Decision.GO_WITH_CONDITIONS else [],
            created_at=_at(minute), updated_at=_at(minute + 1)))
        log("create", "vendor", vid, vid, f"Created vendor {v}")
        ev_ids = []
        for f in range(files_per_vendor):
            data = (f"Evidence file {f} of vendor {v}\n".encode() * (file_bytes // 30 + 1))[:file_bytes]
            blobs.append(data)
            eid = _id(seed, "evidence-file", v, f)
            evidence_rows.append(Evidence(id=eid, vendor_id=vid, kind=EvidenceKind.FILE, title=f"DPA {v}",
                                          sha256=hashlib.sha256(data).hexdigest(), original_name=f"dpa-{v}-{f}.txt",
                                          size=len(data), created_at=_at(minute)))
            ev_ids.append(eid)
        uid = _id(seed, "evidence-url", v)
        evidence_rows.append(Evidence(id=uid, vendor_id=vid, kind=EvidenceKind.URL, title="Trust centre",
                                      url=f"https://vendor{v}.example/trust", created_at=_at(minute)))
        ev_ids.append(uid)
        claim_ids = []
        for c in range(claims_per_vendor):
            cid = _id(seed, "claim", v, c)
            rid = rubric_list[c % len(rubric_list)]
            claim_rows.append(Claim(
                id=cid, vendor_id=vid, text=f"Our model was trained on {rng.randint(1, 900)} billion tokens ({c}).",
                source_kind=SourceKind.DOCUMENT, source=f"Whitepaper {v}", page=str(c + 1),
                said_on=(EPOCH + dt.timedelta(days=c)).date(), said_to="Procurement",
                status=statuses[(v + c) % len(statuses)],
                criteria=[CriterionRef(rubric_id=rid.id, criterion_id=rid.criteria[c % criteria].id)],
                evidence_ids=[ev_ids[c % len(ev_ids)]],
                created_at=_at(minute + c), updated_at=_at(minute + c)))
            claim_ids.append(cid)
            log("create", "claim", cid, vid, "Recorded a claim")
        for r in rubric_list:
            for e, name in enumerate(names):
                scid = _id(seed, "card", v, r.id, e)
                scores: dict[str, Score] = {}
                for j, crit in enumerate(r.criteria):
                    roll = rng.random()
                    if roll < 0.05:
                        s = Score(criterion_id=crit.id, answer=Answer.NOT_DISCLOSED, updated_at=_at(minute))
                    elif roll < 0.08:
                        s = Score(criterion_id=crit.id, answer=Answer.NOT_APPLICABLE, updated_at=_at(minute))
                    else:
                        s = Score(criterion_id=crit.id, answer=Answer.LEVEL, level=rng.randint(0, 4),
                                  strength=strengths[rng.randrange(len(strengths))],
                                  rationale=f"Evaluator {name} on {crit.id}",
                                  claim_ids=[claim_ids[j % len(claim_ids)]] if j % 4 == 0 else [],
                                  updated_at=_at(minute))
                    scores[crit.id] = s
                submitted = (v + e) % 4 != 0
                cards.append(Scorecard(
                    id=scid, vendor_id=vid, rubric_id=r.id, rubric_version=r.version, rubric_hash=r.content_hash,
                    evaluator=name, status=ScorecardStatus.SUBMITTED if submitted else ScorecardStatus.DRAFT,
                    version=1, scores=scores, created_at=_at(minute), updated_at=_at(minute + 2),
                    submitted_at=_at(minute + 2) if submitted else None))
                log("create", "scorecard", scid, vid, f"Scored {r.id}")
        if v % 10 == 0:
            r = rubric_list[0]
            agreed.append(AgreedScore(vendor_id=vid, rubric_id=r.id, rubric_hash=r.content_hash,
                                      criterion_id=r.criteria[1].id, answer=Answer.LEVEL, level=2,
                                      strength=EvidenceStrength.CONTRACT, rationale="Agreed in panel",
                                      agreed_by=names[0], agreed_at=_at(minute + 3)))
    for data in blobs:
        store.blobs.put_bytes(data)
    with store.transaction():
        store.insert_rubric_version_rows([
            {"content_hash": r.content_hash, "rubric_id": r.id, "version": r.version, "title": r.title,
             "body": r.to_json(), "added_at": _at(0), "origin": "shipped"} for r in rubric_list
        ])
        store.insert_vendors_bulk(vendor_rows)
        store.insert_evidence_bulk(evidence_rows)
        store.insert_claims_bulk(claim_rows)
        store.insert_scorecards_bulk(cards)
        store.insert_agreed_bulk(agreed)
        store.insert_audit_rows(audit)
    counts = store.table_counts()
    store.close()
    return GeneratedWorkspace(Path(data_dir), rubric_list, names, counts, time.perf_counter() - started)


def new_evaluator_scores(scores_csv: str, n: int, evaluator: str) -> list[list[str]]:
    """The header and first ``n`` rows of a scores CSV, re-attributed to a new evaluator: ``n`` new scores."""
    import csv

    rows = list(csv.reader(scores_csv.splitlines()))
    header, body = rows[0], rows[1:n + 1]
    col = header.index("evaluator")
    for row in body:
        row[col] = f"{evaluator} for {row[col]}"
    return [header, *body]


def main(argv: list[str] | None = None) -> int:
    """Generate the benchmark workspace into a folder and print what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    info = generate_workspace(args.data_dir, vendors=args.vendors, seed=args.seed)
    print(f"generated {args.data_dir} in {info.seconds:.2f} s: {info.counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
