"""Single-row and bulk writes of the store store the same rows and read back the same models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.factories import rubric
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
    Vendor,
)
from vendoreval.store.repositories.vendors import VendorRepository
from vendoreval.store.store import Store

RUBRIC = rubric("privacy", version="1.2")
_TABLES = {"vendors": "id", "claims": "id", "evidence": "id", "scorecards": "id",
           "scores": "scorecard_id, criterion_id", "agreed_scores": "vendor_id, rubric_hash, criterion_id",
           "audit": "id"}


@dataclass
class Models:
    vendors: list[Vendor]
    claims: list[Claim]
    evidence: list[Evidence]
    cards: list[Scorecard]
    agreed: list[AgreedScore]
    audit: list[AuditEntry]


def models(edited: bool = False) -> Models:
    """Two of everything, with the awkward values: non-ASCII, dates, figures, None strength, links."""
    tag = " (edited)" if edited else ""
    at = "2026-03-04T05:06:07Z" if edited else "2026-01-02T03:04:05Z"
    vendors = [
        Vendor(id="v1", name="Acme Ünïcode" + tag, product="Chat", conditions=["DPA signed — in €", "SOC 2"],
               decision=Decision.GO_WITH_CONDITIONS, created_at=at, updated_at=at),
        Vendor(id="v2", name="Beta" + tag, archived=not edited, created_at=at, updated_at=at),
    ]
    claims = [
        Claim(id="c1", vendor_id="v1", text="We never train on your data" + tag, said_on=dt.date(2025, 12, 1),
              status=ClaimStatus.DOCUMENTED, criteria=[CriterionRef(rubric_id="privacy", criterion_id="a")],
              evidence_ids=["e1"], created_at=at, updated_at=at),
        Claim(id="c2", vendor_id="v2", text="Données hébergées en UE" + tag, created_at=at, updated_at=at),
    ]
    evidence = [
        Evidence(id="e1", vendor_id="v1", kind=EvidenceKind.FILE, sha256="ab" * 32, original_name="dpa.pdf",
                 size=1234, title="DPA" + tag, created_at=at),
        Evidence(id="e2", vendor_id="v2", kind=EvidenceKind.URL, url="https://example.test/trust", created_at=at),
    ]
    scores = {
        "a": Score(criterion_id="a", answer=Answer.LEVEL, level=3 if edited else 2, figure=1.5e12,
                   strength=EvidenceStrength.CONTRACT, rationale="per §4" + tag, claim_ids=["c1"],
                   evidence_ids=["e1"], updated_at=at),
        "b": Score(criterion_id="b", answer=Answer.NOT_DISCLOSED, updated_at=at),
    }
    cards = [
        Scorecard(id="s1", vendor_id="v1", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                  rubric_hash=RUBRIC.content_hash, evaluator="ann", scores=scores, created_at=at, updated_at=at,
                  status=ScorecardStatus.SUBMITTED if edited else ScorecardStatus.DRAFT,
                  submitted_at=at if edited else None),
        Scorecard(id="s2", vendor_id="v2", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                  rubric_hash=RUBRIC.content_hash, evaluator="bob", evaluator_key="f" * 16,
                  scores={"a": scores["b"].model_copy(update={"criterion_id": "a"})}, created_at=at, updated_at=at),
    ]
    agreed = [AgreedScore(vendor_id="v1", rubric_id=RUBRIC.id, rubric_hash=RUBRIC.content_hash, criterion_id="a",
                          answer=Answer.LEVEL, level=2, strength=None if edited else EvidenceStrength.ASSERTION,
                          rationale="agreed" + tag, agreed_by="ann", agreed_at=at)]
    audit = [AuditEntry(id=i, at=at, actor="ann", action="update", entity="vendor", entity_id="v1", vendor_id=v,
                        field="name", old=None, new="Acme Ünïcode", summary=f"entry {i}")
             for i, v in ((1, "v1"), (2, None))]
    return Models(vendors, claims, evidence, cards, agreed, audit)


def write_single(store: Store, data: Models) -> None:
    """Every model through the one-row writers the services use for an edit."""
    for v in data.vendors:
        store.save_vendor(v)
    for e in data.evidence:
        store.save_evidence(e)
    for c in data.claims:
        store.save_claim(c)
    for card in data.cards:
        store.save_scorecard_header(card)
        for s in card.scores.values():
            store.save_score(card.id, s)
    for a in data.agreed:
        store.save_agreed_score(a)


def write_bulk(store: Store, data: Models, *, upsert: bool) -> None:
    """Every model through the bulk writers of an import (insert, or insert-or-update)."""
    store.insert_vendors_bulk(data.vendors, upsert=upsert)
    store.insert_evidence_bulk(data.evidence, upsert=upsert)
    store.insert_claims_bulk(data.claims, upsert=upsert)
    if upsert:
        store.save_scorecard_headers(data.cards)
        store.save_scores((c.id, s) for c in data.cards for s in c.scores.values())
    else:
        store.insert_scorecards_bulk(data.cards)
    store.insert_agreed_bulk(data.agreed, upsert=upsert)


def dump(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of the written tables, as stored, in key order."""
    return {t: store.db.execute_returning_dicts(f"SELECT * FROM {t} ORDER BY {key}") for t, key in _TABLES.items()}


def read(store: Store) -> Models:
    return Models(store.vendors(), store.claims(), store.evidence(), store.scorecards(), store.agreed_scores(),
                  store.audit_ascending())


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[list[Store]]:
    made = []
    for name in ("single", "bulk", "upsert"):
        s = Store(tmp_path / name)
        with s.transaction():
            s.save_rubric_version(RUBRIC)
        made.append(s)
    yield made
    for s in made:
        s.close()


def test_new_rows_written_one_by_one_and_in_bulk_are_the_same(stores: list[Store]) -> None:
    single, bulk, upsert = stores
    data = models()
    with single.transaction():
        write_single(single, data)
        single.add_audit(data.audit[0])
        single.add_audit(data.audit[1])
    with bulk.transaction():
        write_bulk(bulk, data, upsert=False)
        bulk.insert_audit_rows(data.audit)
    with upsert.transaction():
        write_bulk(upsert, data, upsert=True)
        upsert.add_audit_entries(data.audit)
    assert dump(single)["scores"], "the dump must hold the rows written"
    assert dump(bulk) == dump(single)
    assert dump(upsert) == dump(single)
    assert read(single) == read(bulk) == read(upsert) == data


def test_edits_written_one_by_one_and_as_a_bulk_upsert_are_the_same(stores: list[Store]) -> None:
    single, upsert = stores[0], stores[2]
    for s in (single, upsert):
        with s.transaction():
            write_single(s, models())
    edited = models(edited=True)
    with single.transaction():
        write_single(single, edited)
    with upsert.transaction():
        write_bulk(upsert, edited, upsert=True)
    assert dump(upsert) == dump(single)
    assert dump(single)["vendors"][0]["name"] == "Acme Ünïcode (edited)"
    # every row written twice is at revision 2, whatever revision the edited model carried (1)
    assert {r["revision"] for t, rows in dump(single).items() if t != "audit" for r in rows} == {2}
    got = read(single)
    assert (got.vendors, got.claims, got.evidence, got.cards, got.agreed) == revised(edited, 2)
    assert read(upsert) == got


def test_every_write_raises_the_revision_by_one(stores: list[Store]) -> None:
    store = stores[0]
    for _ in range(3):
        with store.transaction():
            write_single(store, models())
    with store.transaction():
        write_bulk(store, models(), upsert=True)
    assert {r["revision"] for t, rows in dump(store).items() if t != "audit" for r in rows} == {4}
    assert store.vendor("v1").revision == 4
    assert store.scorecard("s1").scores["a"].revision == 4


def revised(data: Models, revision: int) -> tuple[list[Any], ...]:
    """The records of ``data`` (not the audit) as read back at ``revision``."""
    def at(items: list[Any]) -> list[Any]:
        return [i.model_copy(update={"revision": revision}) for i in items]
    cards = [c.model_copy(update={"revision": revision, "scores": {k: s.model_copy(update={"revision": revision})
                                                                   for k, s in c.scores.items()}})
             for c in data.cards]
    return at(data.vendors), at(data.claims), at(data.evidence), cards, at(data.agreed)


def test_a_repository_works_on_its_own(stores: list[Store]) -> None:
    store = stores[0]
    vendors = VendorRepository(store.db, store.path)
    with store.transaction():
        vendors.save_vendor(models().vendors[0])
    assert store.vendor("v1") == vendors.vendor("v1") == models().vendors[0]
