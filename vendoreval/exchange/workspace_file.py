"""The workspace file: one UTF-8 JSON document holding a whole workspace, evidence bytes included.

Deterministic by construction: every list is sorted by its record's id, keys are sorted, and nothing
in it depends on when or where it was written, so export -> import -> export gives the same bytes.
The pydantic models below validate a file on import and generate docs/workspace.schema.json.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictInt, StrictStr, model_validator

from .. import files
from ..domain.commercials import FIELDS as COMMERCIAL_FIELDS
from ..domain.commercials import Commercials, CommercialsError
from ..domain.context import ContextError, EngagementContext
from ..domain.models import (
    AgreedScore,
    AuditEntry,
    Claim,
    Condition,
    Evidence,
    EvidenceKind,
    Scorecard,
    Vendor,
    WeightProfile,
    weight_problems,
)
from ..domain.risks import RiskNote
from ..domain.rubric import Rubric
from ..domain.rules import level_problem
from ..domain.strict import Timestamp
from ..errors import MAX_NESTING, nesting_depth_exceeded
from . import ExchangeError, file_problems, strict_json

FORMAT = "vendoreval-workspace"
FORMAT_VERSION = 1


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class AuditRecord(AuditEntry):
    """An audit entry as kept in the file: its id is required (the restore keeps it)."""

    id: int = Field(ge=1)


class RubricSnapshot(_Record):
    """An exact rubric version some scorecard was scored against, with where it came from."""

    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    origin: str = "shipped"
    added_at: Timestamp
    rubric: Rubric

    @model_validator(mode="after")
    def _hash_matches(self) -> RubricSnapshot:
        if self.rubric.content_hash != self.content_hash:
            raise ValueError(f"the rubric's content does not hash to {self.content_hash} (it was changed)")
        return self


class EvidenceFile(_Record):
    """The bytes of one evidence file, base64-encoded, named by their SHA-256."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    data_base64: str

    def data(self) -> bytes:
        """The decoded bytes (checked against size and hash when the file is validated)."""
        return base64.b64decode(self.data_base64, validate=True)

    @model_validator(mode="after")
    def _bytes_match(self) -> EvidenceFile:
        try:
            raw = self.data()
        except (binascii.Error, ValueError):
            raise ValueError("data_base64 is not valid base64") from None
        if len(raw) != self.size:
            raise ValueError(f"data is {len(raw)} bytes, size says {self.size}")
        if hashlib.sha256(raw).hexdigest() != self.sha256:
            raise ValueError("data does not hash to sha256 (the file was damaged)")
        return self


class TrustedKey(_Record):
    """A signing key the workspace trusts."""

    fingerprint: str = Field(min_length=1)
    public_key: str
    name: str = ""
    trusted_at: Timestamp


class ModelRecord(_Record):
    """A model a vendor's product is built on (the supply chain; vendoreval models …)."""

    id: str = Field(min_length=1)
    vendor_id: str = Field(min_length=1)
    provider: str = Field(min_length=1, max_length=200)
    model: str = Field(min_length=1, max_length=200)
    version: str = Field(default="", max_length=100)
    own: bool = False
    note: str = Field(default="", max_length=2000)
    created_at: str
    updated_at: str


class EvidenceDatesRecord(_Record):
    """When an evidence document was issued and until when it is valid."""

    evidence_id: str = Field(min_length=1)
    effective_on: dt.date | None = None
    valid_until: dt.date | None = None
    updated_at: str


class ClaimReviewRecord(_Record):
    """The date by which a claim should be looked at again."""

    claim_id: str = Field(min_length=1)
    review_by: dt.date
    updated_at: str


class CadenceRecord(_Record):
    """A vendor's chosen reassessment cadence."""

    vendor_id: str = Field(min_length=1)
    months: int = Field(ge=1, le=60)
    updated_at: str


class RecheckRecord(_Record):
    """An evaluator's confirmation of a score marked to re-check."""

    scorecard_id: str = Field(min_length=1)
    criterion_id: str = Field(min_length=1)
    trigger_key: str = Field(min_length=1)
    confirmed_at: str
    actor: str
    note: str = ""


class AgeingSection(_Record):
    """The dates that make claims and evidence age (docs/baselines.md, "Ageing")."""

    evidence: list[EvidenceDatesRecord] = Field(default_factory=list)
    claims: list[ClaimReviewRecord] = Field(default_factory=list)
    cadence: list[CadenceRecord] = Field(default_factory=list)
    rechecks: list[RecheckRecord] = Field(default_factory=list)


class ContextRecord(_Record):
    """A vendor's engagement-context answers (vendoreval context …): the answered questions only.

    Keys: gpai-model, personal-data, annex-iii, crawls-or-fine-tunes (one answer each), generates and
    markets (a list; empty means "none"). An absent key is an unanswered question (every criterion applies).
    """

    vendor_id: str = Field(min_length=1)
    answers: dict[str, str | list[str]] = Field(default_factory=dict)
    updated_at: str

    @model_validator(mode="after")
    def _known_answers(self) -> ContextRecord:
        try:
            EngagementContext.from_json(self.answers, "answers")
        except ContextError as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def context(self) -> EngagementContext:
        """The answers as the domain reads them."""
        return EngagementContext.from_json(self.answers)


class DroppedProposal(_Record):
    """A proposed condition the user dropped for a vendor: not proposed again while its cause is the same."""

    vendor_id: str = Field(min_length=1)
    key: str = Field(pattern=r"^derived:(contradicted|declined|assertion):[^/]+/.+$")
    text: str = ""
    dropped_at: str
    actor: str = ""


class ConditionsSection(_Record):
    """The conditions to negotiate (docs/workspace-format.md, "Conditions").

    ``records``: every vendor's numbered conditions (numbers 1..N per vendor); a vendor's ``conditions``
    list in ``vendors`` is then either the same texts in number order or empty. A file without this
    section (written before conditions were records) imports each vendor's ``conditions`` texts as
    records numbered in their order.
    """

    records: list[Condition] = Field(default_factory=list)
    dropped: list[DroppedProposal] = Field(default_factory=list)
class CommercialsRecord(_Record):
    """A vendor's commercial terms (vendoreval commercials …). Amounts are decimal text ("12000.50"), never
    JSON numbers (a float is inexact); a term not recorded is absent or null."""

    vendor_id: str = Field(min_length=1)
    pricing_model: StrictStr = Field(default="", max_length=500)
    one_off: StrictStr | None = Field(default=None, pattern=r"^\d{1,15}(\.\d{1,4})?$")
    annual: StrictStr | None = Field(default=None, pattern=r"^\d{1,15}(\.\d{1,4})?$")
    exit_cost: StrictStr | None = Field(default=None, pattern=r"^\d{1,15}(\.\d{1,4})?$")
    currency: StrictStr | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    term_months: StrictInt | None = Field(default=None, ge=1, le=600)
    renewal: Literal["auto", "manual"] | None = None
    notice_months: StrictInt | None = Field(default=None, ge=0, le=120)
    category: StrictStr = Field(default="", max_length=120)
    use_case: StrictStr = Field(default="", max_length=2000)
    benefit: StrictStr = Field(default="", max_length=2000)
    benefit_claim: StrictStr = Field(default="", max_length=64)
    updated_at: str

    @model_validator(mode="after")
    def _terms_valid(self) -> CommercialsRecord:
        try:
            self.record()
        except CommercialsError as exc:
            raise ValueError(str(exc)) from None
        return self

    def record(self) -> Commercials:
        """The terms as the domain reads them (every value checked by its rules)."""
        terms = Commercials(self.vendor_id, updated_at=self.updated_at, revision=1)
        return terms.with_values({f: getattr(self, f) for f in COMMERCIAL_FIELDS})


class RiskNoteRecord(_Record):
    """What a user wrote on a derived risk (vendoreval risks set …), by its key: kind, vendor id ('' for the
    evaluation as a whole) and criterion ('rubric/criterion' or ''). The risks themselves are derived, never
    stored: a note whose cause is gone is kept and shows again when the cause returns."""

    kind: Literal["knockout", "low_score_heavy", "assertion_decisive", "contradicted_claim", "low_agreement",
                  "lock_in", "stale", "do_nothing"]
    vendor_id: StrictStr = ""
    criterion: StrictStr = Field(default="", max_length=400)
    owner: StrictStr = Field(default="", max_length=200)
    mitigation: StrictStr = Field(default="", max_length=2000)
    residual: StrictStr = Field(default="", max_length=2000)
    impact: StrictInt | None = Field(default=None, ge=1, le=5)
    likelihood: StrictInt | None = Field(default=None, ge=1, le=5)
    updated_at: str

    def note(self) -> RiskNote:
        """The note as the domain keeps it."""
        return RiskNote(self.kind, self.vendor_id, self.criterion, self.owner, self.mitigation, self.residual,
                        self.impact, self.likelihood, self.updated_at, 1)


class WorkspaceDocument(_Record):
    """A whole workspace: the root object of a vendoreval workspace file."""

    format: Literal["vendoreval-workspace"] = "vendoreval-workspace"
    format_version: Literal[1] = 1
    vendors: list[Vendor] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    files: list[EvidenceFile] = Field(default_factory=list)
    rubrics: list[RubricSnapshot] = Field(default_factory=list)
    scorecards: list[Scorecard] = Field(default_factory=list)
    agreed_scores: list[AgreedScore] = Field(default_factory=list)
    weight_profiles: list[WeightProfile] = Field(default_factory=list)
    settings: dict[str, JsonValue] = Field(default_factory=dict)
    trusted_keys: list[TrustedKey] = Field(default_factory=list)
    models: list[ModelRecord] = Field(default_factory=list)
    ageing: AgeingSection = Field(default_factory=AgeingSection)
    engagement_contexts: list[ContextRecord] = Field(default_factory=list)
    conditions: ConditionsSection = Field(default_factory=ConditionsSection)
    commercials: list[CommercialsRecord] = Field(default_factory=list)
    risks: list[RiskNoteRecord] = Field(default_factory=list)
    audit: list[AuditRecord] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the workspace file, generated from the models."""
    schema = WorkspaceDocument.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://vendoreval.invalid/workspace.schema.json"
    return schema


def json_schema_text() -> str:
    """The JSON Schema as the text committed in docs/workspace.schema.json."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------------
# writing


def dumps(data: dict[str, Any]) -> bytes:
    """Serialise a plain workspace dict (see ``services.exchange``) to the canonical file bytes."""
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


def file_entry(sha256: str, data: bytes) -> dict[str, Any]:
    """The plain dict of one evidence file."""
    return {"sha256": sha256, "size": len(data), "data_base64": base64.b64encode(data).decode("ascii")}


# --------------------------------------------------------------------------------------------------
# reading


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_PAIR = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _refuse_lone_surrogates(raw: bytes, text: str, data: Any, source: str) -> None:
    """Refuse a \\uD800-style escape that is half a UTF-16 pair: valid to JSON's grammar, but not a
    character, so the database cannot store it (it was a traceback on import)."""
    if not re.search(rb"\\u[dD][89a-fA-F]", raw):
        return  # the common case costs one scan of the bytes
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        paired = {m.start() for m in _PAIR.finditer(text)} | {m.start() + 6 for m in _PAIR.finditer(text)}
        where = next((m for m in _SURROGATE_ESCAPE.finditer(text) if m.start() not in paired), None)
        at = f", line {text.count(chr(10), 0, where.start()) + 1}" if where else ""
        escape = where.group(0) if where else "a \\u escape"
        raise ExchangeError(f"{source}{at}: {escape} is half of a UTF-16 surrogate pair, not a character; "
                            "fix the text or export the file again") from None


def parse(raw: bytes, source: str) -> WorkspaceDocument:
    """Validate workspace file bytes; ExchangeError naming the file, line or JSON path and the reason."""
    with file_problems():
        text = files.decode_text(raw, source, advice="a workspace file is UTF-8 JSON")
    if nesting_depth_exceeded(raw):  # deeper documents overflow the parser or the code that walks them
        raise ExchangeError(f"{source}: JSON nested too deeply (more than {MAX_NESTING} levels of arrays or "
                            "objects); a workspace file has a handful", file=source)
    data = strict_json.loads(text, source)
    _refuse_lone_surrogates(raw, text, data, source)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f"{source}: not a vendoreval workspace file (field 'format' is not '{FORMAT}')")
    if data.get("format_version") != FORMAT_VERSION or isinstance(data.get("format_version"), bool):
        raise ExchangeError(
            f"{source}: field 'format_version' is {data.get('format_version')!r}; this vendoreval reads version "
            f"{FORMAT_VERSION} (a newer vendoreval may have written it)"
        )
    # Strict: no boolean as a number, finite numbers, ISO-8601 UTC timestamps not in the future.
    doc = strict_json.validate(WorkspaceDocument, text, source, what="workspace file")
    check_references(doc, source)
    return doc


def check_references(doc: WorkspaceDocument, source: str) -> None:
    """Refuse duplicate ids and names, and records that point at something the file does not hold."""
    problems: list[str] = []

    def unique(kind: str, keys: list[Any]) -> None:
        seen: set[Any] = set()
        for i, key in enumerate(keys):
            if key in seen:
                problems.append(f"{kind}[{i}]: duplicate {key!r}")
            seen.add(key)

    unique("vendors", [v.id for v in doc.vendors])
    unique("vendors", [v.name.casefold() for v in doc.vendors])
    unique("claims", [c.id for c in doc.claims])
    unique("evidence", [e.id for e in doc.evidence])
    unique("files", [f.sha256 for f in doc.files])
    unique("rubrics", [r.content_hash for r in doc.rubrics])
    unique("scorecards", [c.id for c in doc.scorecards])
    unique("agreed_scores", [(a.vendor_id, a.rubric_hash, a.criterion_id) for a in doc.agreed_scores])
    unique("weight_profiles", [p.name.casefold() for p in doc.weight_profiles])
    unique("trusted_keys", [k.fingerprint for k in doc.trusted_keys])
    unique("audit", [a.id for a in doc.audit])
    unique("models", [m.id for m in doc.models])
    unique("engagement_contexts", [c.vendor_id for c in doc.engagement_contexts])
    vendors = {v.id for v in doc.vendors}
    files = {f.sha256 for f in doc.files}
    rubrics = {r.content_hash: r.rubric for r in doc.rubrics}
    for i, c in enumerate(doc.claims):
        if c.vendor_id not in vendors:
            problems.append(f"claims[{i}].vendor_id: no vendor {c.vendor_id} in the file")
    for i, e in enumerate(doc.evidence):
        if e.vendor_id not in vendors:
            problems.append(f"evidence[{i}].vendor_id: no vendor {e.vendor_id} in the file")
        if e.kind == EvidenceKind.FILE and e.sha256 not in files:
            problems.append(f"evidence[{i}].sha256: the file's bytes are missing from 'files'")
    for i, card in enumerate(doc.scorecards):
        if card.vendor_id not in vendors:
            problems.append(f"scorecards[{i}].vendor_id: no vendor {card.vendor_id} in the file")
        rubric = rubrics.get(card.rubric_hash)
        if rubric is None:
            problems.append(f"scorecards[{i}].rubric_hash: no rubric snapshot {card.rubric_hash[:12]}… in the file")
            continue
        for key, score in card.scores.items():
            where = f"scorecards[{i}].scores.{key}"
            if key != score.criterion_id:
                problems.append(f"{where}: keyed {key!r} but criterion_id is {score.criterion_id!r}")
            try:
                crit = rubric.criterion(score.criterion_id)
            except KeyError:
                problems.append(f"{where}: rubric {rubric.id} {rubric.version} has no criterion {key!r}")
                continue
            if score.level is not None and (problem := level_problem(crit, score.level)):
                problems.append(f"{where}: {problem}")
    claim_ids = {c.id for c in doc.claims}
    evidence_ids = {e.id for e in doc.evidence}
    card_ids = {c.id for c in doc.scorecards}
    unique("ageing.evidence", [d.evidence_id for d in doc.ageing.evidence])
    unique("ageing.claims", [d.claim_id for d in doc.ageing.claims])
    unique("ageing.cadence", [d.vendor_id for d in doc.ageing.cadence])
    for i, d in enumerate(doc.ageing.evidence):
        if d.evidence_id not in evidence_ids:
            problems.append(f"ageing.evidence[{i}].evidence_id: no evidence {d.evidence_id} in the file")
        if d.effective_on and d.valid_until and d.valid_until < d.effective_on:
            problems.append(f"ageing.evidence[{i}].valid_until: {d.valid_until} is before the effective date "
                            f"{d.effective_on}")
    for i, r in enumerate(doc.ageing.claims):
        if r.claim_id not in claim_ids:
            problems.append(f"ageing.claims[{i}].claim_id: no claim {r.claim_id} in the file")
    for i, k in enumerate(doc.ageing.cadence):
        if k.vendor_id not in vendors:
            problems.append(f"ageing.cadence[{i}].vendor_id: no vendor {k.vendor_id} in the file")
    for i, x in enumerate(doc.ageing.rechecks):
        if x.scorecard_id not in card_ids:
            problems.append(f"ageing.rechecks[{i}].scorecard_id: no scorecard {x.scorecard_id} in the file")
    for i, m in enumerate(doc.models):
        if m.vendor_id not in vendors:
            problems.append(f"models[{i}].vendor_id: no vendor {m.vendor_id} in the file")
    for i, ctx in enumerate(doc.engagement_contexts):
        if ctx.vendor_id not in vendors:
            problems.append(f"engagement_contexts[{i}].vendor_id: no vendor {ctx.vendor_id} in the file")
    problems.extend(_condition_problems(doc, vendors))
    unique("commercials", [c.vendor_id for c in doc.commercials])
    for i, com in enumerate(doc.commercials):
        if com.vendor_id not in vendors:
            problems.append(f"commercials[{i}].vendor_id: no vendor {com.vendor_id} in the file")
        if com.benefit_claim and com.benefit_claim not in {c.id for c in doc.claims if c.vendor_id == com.vendor_id}:
            problems.append(f"commercials[{i}].benefit_claim: no claim {com.benefit_claim} of that vendor in the file")
    unique("risks", [(n.kind, n.vendor_id, n.criterion) for n in doc.risks])
    for i, n in enumerate(doc.risks):
        if n.vendor_id and n.vendor_id not in vendors:
            problems.append(f"risks[{i}].vendor_id: no vendor {n.vendor_id} in the file")
        if (n.kind == "do_nothing") != (n.vendor_id == ""):
            why = "doing nothing belongs to no vendor (give '')" if n.kind == "do_nothing" \
                else f"a {n.kind} risk needs a vendor"
            problems.append(f"risks[{i}].vendor_id: {why}")
    for i, profile in enumerate(doc.weight_profiles):
        problems.extend(f"weight_profiles[{i}]: {p}" for p in weight_problems(profile))
    for i, a in enumerate(doc.agreed_scores):
        if a.vendor_id not in vendors:
            problems.append(f"agreed_scores[{i}].vendor_id: no vendor {a.vendor_id} in the file")
        agreed_rubric = rubrics.get(a.rubric_hash)
        if agreed_rubric is None:
            continue  # no snapshot to check against; nothing scores it without one
        try:
            crit = agreed_rubric.criterion(a.criterion_id)
        except KeyError:
            problems.append(f"agreed_scores[{i}].criterion_id: rubric {agreed_rubric.id} {agreed_rubric.version} "
                            f"has no criterion {a.criterion_id!r}")
            continue
        if a.level is not None and (problem := level_problem(crit, a.level)):
            problems.append(f"agreed_scores[{i}]: {problem}")
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise ExchangeError(f"{source}: inconsistent workspace file{more}:\n  " + "\n  ".join(problems[:10]))


def _condition_problems(doc: WorkspaceDocument, vendors: set[str]) -> list[str]:
    """Conditions whose vendor is missing, whose numbers are not 1..N, or that disagree with the vendor's texts."""
    problems: list[str] = []
    section = doc.conditions
    seen_ids: set[str] = set()
    by_vendor: dict[str, list[tuple[int, Condition]]] = {}
    for i, c in enumerate(section.records):
        where = f"conditions.records[{i}]"
        if c.id in seen_ids:
            problems.append(f"{where}: duplicate {c.id!r}")
        seen_ids.add(c.id)
        if c.vendor_id not in vendors:
            problems.append(f"{where}.vendor_id: no vendor {c.vendor_id} in the file")
        by_vendor.setdefault(c.vendor_id, []).append((i, c))
    for vendor_id, items in by_vendor.items():
        numbers = sorted(c.number for _, c in items)
        if numbers != list(range(1, len(items) + 1)):
            problems.append(f"conditions.records[{items[0][0]}].number: the conditions of vendor {vendor_id} are "
                            f"numbered {numbers}, not 1..{len(items)}")
            continue
        texts = [c.text for c in sorted((c for _, c in items), key=lambda c: c.number)]
        for j, v in enumerate(doc.vendors):
            if v.id == vendor_id and v.conditions and [t.strip() for t in v.conditions] != texts:
                problems.append(f"vendors[{j}].conditions: {v.conditions!r} differ from the texts of its records in "
                                f"'conditions' ({texts!r}); leave the list empty or make them agree")
    seen_drops: set[tuple[str, str]] = set()
    for i, d in enumerate(section.dropped):
        if (d.vendor_id, d.key) in seen_drops:
            problems.append(f"conditions.dropped[{i}]: duplicate {d.key!r} for vendor {d.vendor_id}")
        seen_drops.add((d.vendor_id, d.key))
        if d.vendor_id not in vendors:
            problems.append(f"conditions.dropped[{i}].vendor_id: no vendor {d.vendor_id} in the file")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Regenerate the committed JSON Schema (default target docs/workspace.schema.json)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("docs/workspace.schema.json")
    files.write_text_atomic(target, json_schema_text())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
