"""The row <-> model mappers: every model survives its row, both as a dict and through a real table."""

from __future__ import annotations

import sqlite3
import string
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from tests.factories import rubric
from vendoreval.domain.models import (
    AgreedScore,
    Answer,
    AuditEntry,
    AuditRecord,
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
    WeightProfile,
)
from vendoreval.store import mappers as m
from vendoreval.store.database import migrate

EXAMPLES = settings(max_examples=50, deadline=None)

ids = st.text(string.ascii_letters + string.digits + "-_.", min_size=1, max_size=12)
texts = st.text(max_size=40)  # any unicode, NUL and newlines included
words = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")
stamps = st.datetimes().map(lambda d: d.replace(microsecond=0).isoformat() + "Z")
strengths = st.none() | st.sampled_from(EvidenceStrength)
id_lists = st.lists(ids, max_size=4)

vendors = st.builds(
    Vendor, id=ids, name=st.text(min_size=1, max_size=200).filter(lambda s: s.strip() != ""), product=texts,
    website=texts, description=texts, decision=st.sampled_from(Decision), conditions=st.lists(texts, max_size=3),
    archived=st.booleans(), created_at=stamps, updated_at=stamps,
)
claims = st.builds(
    Claim, id=ids, vendor_id=ids, text=words, source_kind=st.sampled_from(SourceKind), source=texts, page=texts,
    said_on=st.none() | st.dates(), said_to=texts, status=st.sampled_from(ClaimStatus), status_note=texts,
    criteria=st.lists(st.builds(CriterionRef, rubric_id=ids, criterion_id=ids), max_size=3),
    evidence_ids=id_lists, created_at=stamps, updated_at=stamps,
)


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    kind = draw(st.sampled_from(EvidenceKind))
    sha = st.text("0123456789abcdef", min_size=64, max_size=64)
    return Evidence(
        id=draw(ids), vendor_id=draw(ids), kind=kind, title=draw(texts),
        sha256=draw(sha if kind is EvidenceKind.FILE else st.none() | sha),
        original_name=draw(words if kind is EvidenceKind.FILE else st.none() | words),
        size=draw(st.none() | st.integers(0, 2**40)),
        url=draw(words if kind is EvidenceKind.URL else st.none() | words),
        note=draw(texts), created_at=draw(stamps),
    )


@st.composite
def scores(draw: st.DrawFn, criterion_id: str | None = None) -> Score:
    answer = draw(st.sampled_from(Answer))
    return Score(
        criterion_id=criterion_id or draw(ids), answer=answer,
        level=draw(st.integers(0, 10)) if answer is Answer.LEVEL else None,
        figure=draw(st.none() | st.floats(allow_nan=False, allow_infinity=False)), strength=draw(strengths),
        rationale=draw(texts),
        claim_ids=draw(id_lists), evidence_ids=draw(id_lists), updated_at=draw(stamps),
    )


@st.composite
def scorecards(draw: st.DrawFn) -> Scorecard:
    criteria = draw(st.lists(ids, max_size=4, unique=True))
    return Scorecard(
        id=draw(ids), vendor_id=draw(ids), rubric_id=draw(ids), rubric_version=draw(ids), rubric_hash=draw(ids),
        evaluator=draw(words), evaluator_key=draw(st.none() | ids), status=draw(st.sampled_from(ScorecardStatus)),
        version=draw(st.integers(1, 1000)), scores={c: draw(scores(c)) for c in criteria},
        created_at=draw(stamps), updated_at=draw(stamps), submitted_at=draw(st.none() | stamps),
    )


agreed_scores = st.builds(
    AgreedScore, vendor_id=ids, rubric_id=ids, rubric_hash=ids, criterion_id=ids, answer=st.sampled_from(Answer),
    level=st.none() | st.integers(0, 10), strength=strengths, rationale=texts, agreed_by=texts, agreed_at=stamps,
)
audit_entries = st.builds(
    AuditEntry, id=st.integers(1, 2**62), at=stamps, actor=words, action=ids, entity=ids, entity_id=ids,
    vendor_id=st.none() | ids, field=texts, old=st.none() | texts, new=st.none() | texts, summary=texts,
)
weights = st.dictionaries(texts, st.floats(0, 1e6, allow_nan=False), max_size=4)
profiles = st.builds(
    WeightProfile, name=st.text(min_size=1, max_size=100), description=texts, rubric_weights=weights,
    criterion_weights=weights, builtin=st.booleans(),
)


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    """An in-memory database with the real schema (foreign keys off: each table is tried on its own)."""
    c = sqlite3.connect(":memory:")
    migrate(Database(c))
    yield c
    c.close()


def stored(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` written to ``table`` and read back as SQLite returns it; rolled back afterwards."""
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    assert sorted(row) == sorted(columns), f"the {table} row must fill every column"
    conn.execute("SAVEPOINT probe")
    try:
        conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        cursor = conn.execute(f"SELECT * FROM {table} WHERE rowid = last_insert_rowid()")
        return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    finally:
        conn.execute("ROLLBACK TO probe")
        conn.execute("RELEASE probe")


@EXAMPLES
@given(vendors)
def test_vendor_round_trip(conn: sqlite3.Connection, vendor: Vendor) -> None:
    # schema 10: the conditions are records of their own; the row's column stays empty, the reader is given them
    assert m.vendor_row(vendor)["conditions"] == "[]"
    assert m.vendor_from_row(m.vendor_row(vendor), list(vendor.conditions)) == vendor
    back = m.vendor_from_row(stored(conn, "vendors", m.vendor_row(vendor)), list(vendor.conditions))
    assert back == vendor
    assert isinstance(back.decision, Decision) and isinstance(back.archived, bool)


@EXAMPLES
@given(claims)
def test_claim_round_trip(conn: sqlite3.Connection, claim: Claim) -> None:
    assert m.claim_from_row(m.claim_row(claim)) == claim
    assert m.claim_from_row(stored(conn, "claims", m.claim_row(claim))) == claim


@EXAMPLES
@given(evidence())
def test_evidence_round_trip(conn: sqlite3.Connection, item: Evidence) -> None:
    assert m.evidence_from_row(m.evidence_row(item)) == item
    assert m.evidence_from_row(stored(conn, "evidence", m.evidence_row(item))) == item


@EXAMPLES
@given(scores(), ids)
def test_score_round_trip(conn: sqlite3.Connection, score: Score, card_id: str) -> None:
    row = m.score_row(card_id, score)
    assert m.score_from_row(row) == score
    back = stored(conn, "scores", row)
    assert back["scorecard_id"] == card_id
    assert m.score_from_row(back) == score
    assert m.score_from_columns(*(back[c] for c in m.SCORE_COLUMNS)) == score
    read = m.score_from_row(back)
    assert isinstance(read.answer, Answer) and (read.strength is None or isinstance(read.strength, EvidenceStrength))


@EXAMPLES
@given(scorecards())
def test_scorecard_header_round_trip(conn: sqlite3.Connection, card: Scorecard) -> None:
    row = m.scorecard_row(card)
    assert "scores" not in row
    assert m.scorecard_from_row(row, card.scores) == card
    back = m.scorecard_from_row(stored(conn, "scorecards", row), card.scores)
    assert back == card and isinstance(back.status, ScorecardStatus)
    assert m.scorecard_from_row(row).scores == {}


@EXAMPLES
@given(agreed_scores)
def test_agreed_score_round_trip(conn: sqlite3.Connection, agreed: AgreedScore) -> None:
    assert m.agreed_score_from_row(m.agreed_score_row(agreed)) == agreed
    assert m.agreed_score_from_row(stored(conn, "agreed_scores", m.agreed_score_row(agreed))) == agreed


@EXAMPLES
@given(audit_entries)
def test_audit_entry_round_trip(conn: sqlite3.Connection, entry: AuditEntry) -> None:
    assert m.audit_from_row(m.audit_row(entry)) == entry
    assert m.audit_from_row(stored(conn, "audit", m.audit_row(entry))) == entry
    # what a unit of work appends (a record, no id yet) is the same row without its id
    record = AuditRecord(*(getattr(entry, c) for c in m.AUDIT_COLUMNS))
    assert m.audit_values(record) == m.audit_values(entry) == tuple(m.audit_row(entry)[c] for c in m.AUDIT_COLUMNS)


@EXAMPLES
@given(profiles)
def test_weight_profile_round_trip(conn: sqlite3.Connection, profile: WeightProfile) -> None:
    assert m.weight_profile_from_row(m.weight_profile_row(profile)) == profile
    assert m.weight_profile_from_row(stored(conn, "weight_profiles", m.weight_profile_row(profile))) == profile


@EXAMPLES
@given(ids, st.recursive(st.none() | st.booleans() | st.integers() | texts,
                         lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                         max_leaves=8))
def test_setting_round_trip(conn: sqlite3.Connection, key: str, value: Any) -> None:
    assert m.setting_from_row(stored(conn, "settings", m.setting_row(key, value))) == (key, value)


def test_rubric_snapshot_round_trip(conn: sqlite3.Connection) -> None:
    r = rubric("privacy", version="2.1")
    row = stored(conn, "rubric_versions", m.rubric_version_row(r, "imported", "2026-01-02T03:04:05Z"))
    assert (row["content_hash"], row["rubric_id"], row["version"], row["origin"]) == (
        r.content_hash, "privacy", "2.1", "imported")
    back = m.rubric_from_row(row)
    assert back == r and back.content_hash == r.content_hash


def test_an_audit_record_is_already_the_row_values_in_column_order() -> None:
    # audit_values hands a record to SQLite as it is, so its fields must be the columns, in order
    assert AuditRecord._fields == m.AUDIT_COLUMNS
