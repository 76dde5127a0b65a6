"""Row <-> model mappers: the one place that knows how each model is laid out in its table.

Each table has a pair ``X_row(model) -> dict`` (the row a write stores, used by the single-row and the
bulk writers alike) and ``X_from_row(row) -> model`` (what every reader builds from a row). Columns that
hold lists or dicts are JSON text; booleans are 0/1; enums, dates and the like are their JSON values.

Readers of the big tables (vendors, scorecards, scores) build models with ``model_construct``: the rows
were validated when they were written, and validating tens of thousands of scores again on every read made
the totals several times slower. Those readers convert the enum columns themselves so the models hold real
enum members. The other readers validate (their tables are small, and validation turns dates and the
like back into their Python types).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..domain.context import EngagementContext, VendorContext
from ..domain.models import (
    AgreedScore,
    Answer,
    AuditEntry,
    AuditRecord,
    Claim,
    Condition,
    CriterionRef,
    Decision,
    Evidence,
    EvidenceStrength,
    Score,
    Scorecard,
    ScorecardStatus,
    Vendor,
    WeightProfile,
    checked_score_model,
)
from ..domain.rubric import Rubric

#: A database row as a dict of column name -> value (read rows are typed where a mapper turns them into models).
Row = dict[str, Any]
#: A value SQLite stores as it is: a query parameter.
SqlValue = str | int | float | bytes | None

_JSON = json.dumps
_ANSWERS = {a.value: a for a in Answer}
_STRENGTHS = {s.value: s for s in EvidenceStrength}


def _loads(text: str | None, default: Any) -> Any:
    """A JSON column's value; ``default`` for an empty one ('[]', the commonest, skips the decoder)."""
    if not text or text == "[]":
        return [] if text == "[]" else default
    return json.loads(text)


def row_criteria(refs: Iterable[CriterionRef]) -> list[str]:
    """Criterion references as 'rubric:criterion' strings for storage."""
    return [str(r) for r in refs]


# --- vendors ------------------------------------------------------------------------------------------


def vendor_row(vendor: Vendor) -> Row:
    """The ``vendors`` row of a vendor."""
    row = vendor.model_dump(mode="json")
    row["conditions"] = "[]"  # schema 10: the conditions are records of their own (``condition_row``)
    row["archived"] = int(row["archived"])
    row["revision"] = vendor.revision
    return row


def vendor_from_row(row: Mapping[str, Any], conditions: list[str] | None = None) -> Vendor:
    """The vendor of a ``vendors`` row (not validated again; see the module docstring); ``conditions``: the
    texts of its condition records in number order (the column itself is no longer written)."""
    return Vendor.model_construct(
        id=row["id"],
        name=row["name"],
        product=row["product"],
        website=row["website"],
        description=row["description"],
        decision=Decision(row["decision"]),
        conditions=conditions if conditions is not None else _loads(row["conditions"], []),
        archived=bool(row["archived"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        revision=row.get("revision", 1),
    )


# --- conditions -------------------------------------------------------------------------------------


def condition_row(condition: Condition) -> Row:
    """The ``conditions`` row of a condition to negotiate."""
    row = condition.model_dump(mode="json")
    row["revision"] = condition.revision
    return row


def condition_from_row(row: Mapping[str, Any]) -> Condition:
    """A condition from its row (validated: the table is small)."""
    return Condition.model_validate(dict(row))


# --- claims -------------------------------------------------------------------------------------------


def claim_row(claim: Claim) -> Row:
    """The ``claims`` row of a claim (criteria as 'rubric:criterion' strings)."""
    row = claim.model_dump(mode="json")
    row["criteria"] = _JSON(row_criteria(claim.criteria))
    row["evidence_ids"] = _JSON(row["evidence_ids"])
    row["revision"] = claim.revision
    return row


def claim_from_row(row: Mapping[str, Any]) -> Claim:
    """The claim of a ``claims`` row."""
    return Claim.model_validate(
        {
            **row,
            "criteria": [CriterionRef.parse(c) for c in _loads(row["criteria"], [])],
            "evidence_ids": _loads(row["evidence_ids"], []),
        }
    )


# --- evidence -----------------------------------------------------------------------------------------


def evidence_row(item: Evidence) -> Row:
    """The ``evidence`` row of an evidence record."""
    return {**item.model_dump(mode="json"), "revision": item.revision}


def evidence_from_row(row: Mapping[str, Any]) -> Evidence:
    """The evidence record of an ``evidence`` row."""
    return Evidence.model_validate(row)


# --- rubric snapshots ---------------------------------------------------------------------------------


def rubric_version_row(rubric: Rubric, origin: str, added_at: str) -> Row:
    """The ``rubric_versions`` row that keeps a snapshot of ``rubric``."""
    return {
        "content_hash": rubric.content_hash,
        "rubric_id": rubric.id,
        "version": rubric.version,
        "title": rubric.title,
        "body": rubric.to_json(),
        "added_at": added_at,
        "origin": origin,
    }


def rubric_from_row(row: Mapping[str, Any]) -> Rubric:
    """The rubric kept in a ``rubric_versions`` row (only its ``body`` is read)."""
    return Rubric.model_validate_json(row["body"])


# --- scorecards and scores ----------------------------------------------------------------------------


def scorecard_row(card: Scorecard) -> Row:
    """The ``scorecards`` row of a scorecard: its header, without the scores (they have their own table)."""
    return {**card.model_dump(mode="json", exclude={"scores"}), "revision": card.revision}


def scorecard_from_row(row: Mapping[str, Any], scores: dict[str, Score] | None = None) -> Scorecard:
    """The scorecard of a ``scorecards`` row with ``scores`` (criterion id -> score; none when not given)."""
    return Scorecard.model_construct(
        **{**row, "status": ScorecardStatus(row["status"])}, scores={} if scores is None else scores
    )


#: The columns of a score in the order ``score_from_columns`` takes them (``scorecard_id`` is the owner's).
SCORE_COLUMNS = (
    "criterion_id", "answer", "level", "figure", "strength", "rationale", "claim_ids", "evidence_ids", "updated_at",
    "revision",
)


#: The columns of a ``scores`` row as a write stores it, in the order of ``score_values``.
SCORE_ROW_COLUMNS = ("scorecard_id", *SCORE_COLUMNS)


def score_values(scorecard_id: str, score: Score) -> tuple[SqlValue, ...]:
    """The ``SCORE_ROW_COLUMNS`` values of one score of scorecard ``scorecard_id`` (a bulk write stores
    thousands of these tuples; ``score_row`` is the same as a dict)."""
    strength = score.strength
    claim_ids, evidence_ids = score.claim_ids, score.evidence_ids
    return (
        scorecard_id,
        score.criterion_id,
        str(score.answer),
        score.level,
        score.figure,
        None if strength is None else str(strength),
        score.rationale,
        _JSON(claim_ids) if claim_ids else "[]",  # most scores link none: the empty list skips the encoder
        _JSON(evidence_ids) if evidence_ids else "[]",
        score.updated_at,
        score.revision,
    )


def score_row(scorecard_id: str, score: Score) -> Row:
    """The ``scores`` row of one score of scorecard ``scorecard_id``."""
    return dict(zip(SCORE_ROW_COLUMNS, score_values(scorecard_id, score), strict=True))


def score_from_columns(
    criterion_id: str,
    answer: str,
    level: int | None,
    figure: float | None,
    strength: str | None,
    rationale: str,
    claim_ids: str,
    evidence_ids: str,
    updated_at: str,
    revision: int = 1,
) -> Score:
    """The score of the ``SCORE_COLUMNS`` of a ``scores`` row (the scorecard reader unpacks plain tuples)."""
    return checked_score_model(criterion_id, _ANSWERS[answer], level, figure,
                               _STRENGTHS[strength] if strength else None, rationale, _loads(claim_ids, []),
                               _loads(evidence_ids, []), updated_at, revision)


def score_from_row(row: Mapping[str, Any]) -> Score:
    """The score of a ``scores`` row (not validated again; see the module docstring)."""
    return score_from_columns(*(row.get(c, 1) if c == "revision" else row[c] for c in SCORE_COLUMNS))


# --- agreed scores ------------------------------------------------------------------------------------


def agreed_score_row(agreed: AgreedScore) -> Row:
    """The ``agreed_scores`` row of an agreed score."""
    return {**agreed.model_dump(mode="json"), "revision": agreed.revision}


def agreed_score_from_row(row: Mapping[str, Any]) -> AgreedScore:
    """The agreed score of an ``agreed_scores`` row."""
    return AgreedScore.model_validate(row)


# --- audit --------------------------------------------------------------------------------------------

#: The columns an appended audit entry fills, in the order of ``audit_values`` (the id is SQLite's).
AUDIT_COLUMNS = ("at", "actor", "action", "entity", "entity_id", "vendor_id", "field", "old", "new", "summary")


def audit_values(entry: AuditEntry | AuditRecord) -> tuple[str | None, ...]:
    """The ``AUDIT_COLUMNS`` values of an entry to append (a unit of work appends thousands as tuples)."""
    if isinstance(entry, AuditRecord):  # already the values, in AUDIT_COLUMNS order
        return entry
    e = entry
    return (e.at, e.actor, e.action, e.entity, e.entity_id, e.vendor_id, e.field, e.old, e.new, e.summary)


def audit_row(entry: AuditEntry) -> Row:
    """The ``audit`` row of an entry with its id (a workspace restore keeps the ids)."""
    return {"id": entry.id, **dict(zip(AUDIT_COLUMNS, audit_values(entry), strict=True))}


def audit_from_row(row: Mapping[str, Any]) -> AuditEntry:
    """The audit entry of an ``audit`` row."""
    return AuditEntry.model_validate(row)


# --- weight profiles ----------------------------------------------------------------------------------


def weight_profile_row(profile: WeightProfile) -> Row:
    """The ``weight_profiles`` row of a profile (weights as JSON with sorted keys)."""
    return {
        "name": profile.name,
        "description": profile.description,
        "rubric_weights": _JSON(profile.rubric_weights, sort_keys=True),
        "criterion_weights": _JSON(profile.criterion_weights, sort_keys=True),
        "builtin": int(profile.builtin),
        "revision": profile.revision,
    }


def weight_profile_from_row(row: Mapping[str, Any]) -> WeightProfile:
    """The weight profile of a ``weight_profiles`` row."""
    return WeightProfile(
        name=row["name"],
        description=row["description"],
        rubric_weights=_loads(row["rubric_weights"], {}),
        criterion_weights=_loads(row["criterion_weights"], {}),
        builtin=bool(row["builtin"]),
        revision=row.get("revision", 1),
    )


# --- settings and trusted keys ------------------------------------------------------------------------


def setting_row(key: str, value: Any) -> Row:
    """The ``settings`` row of one setting (its value as JSON; a new row's revision is 1)."""
    return {"key": key, "value": _JSON(value), "revision": 1}


def setting_from_row(row: Mapping[str, Any]) -> tuple[str, Any]:
    """(key, value) of a ``settings`` row."""
    return row["key"], json.loads(row["value"])


def trusted_key_row(fingerprint: str, public_key: str, name: str, trusted_at: str) -> Row:
    """The ``trusted_keys`` row of a trusted signing key."""
    return {"fingerprint": fingerprint, "public_key": public_key, "name": name, "trusted_at": trusted_at}


def trusted_key_from_row(row: Mapping[str, Any]) -> dict[str, str]:
    """A ``trusted_keys`` row as the dict the signing code reads (fingerprint, public_key, name, trusted_at)."""
    return dict(row)


def context_row(record: VendorContext) -> Row:
    """The ``engagement_contexts`` row of a vendor's answers (the answered keys only, as JSON)."""
    return {"vendor_id": record.vendor_id, "answers": _JSON(record.context.as_json(), sort_keys=True),
            "updated_at": record.updated_at, "revision": max(1, record.revision)}


def context_from_row(row: Mapping[str, Any]) -> VendorContext:
    """A vendor's answers from its row (validated against today's vocabulary)."""
    return VendorContext(row["vendor_id"], EngagementContext.from_json(_loads(row["answers"], {})),
                         row["updated_at"], int(row.get("revision", 1) or 1))
