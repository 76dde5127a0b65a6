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

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator

from .. import files
from ..domain.context import ContextError, EngagementContext
from ..domain.models import (
    AgreedScore,
    AuditEntry,
    Claim,
    Evidence,
    EvidenceKind,
    Scorecard,
    Vendor,
    WeightProfile,
    weight_problems,
)
from ..domain.rubric import Rubric
from ..domain.rules import level_problem
from ..errors import MAX_NESTING, nesting_depth_exceeded
from . import ExchangeError, file_problems

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
    added_at: str
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
    trusted_at: str


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


def _path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a JSON path: vendors[3].name."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


class _RefusedJson(ValueError):
    """Valid to Python's JSON parser but refused here: NaN/Infinity, huge integers, duplicate keys."""


def _no_constant(name: str) -> float:
    # NaN and Infinity are not JSON; Python's parser accepts them unless told otherwise
    raise _RefusedJson(f"{name} is not a JSON number")


#: No field of a workspace file needs a longer integer; Python refuses past 4300 digits with a bare ValueError.
_MAX_INT_DIGITS = 30


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > _MAX_INT_DIGITS:
        raise _RefusedJson(f"a number with {digits} digits ({text[:12]}…) is too large")
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Python keeps the last of duplicate keys silently; a file saying two things about one field is refused
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _RefusedJson(f"key {key!r} appears twice in one object")
        obj[key] = value
    return obj


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
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_int=_int, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"{source}, line {exc.lineno} column {exc.colno}: malformed JSON ({exc.msg})") from None
    except _RefusedJson as exc:
        raise ExchangeError(f"{source}: malformed JSON ({exc})") from None
    except RecursionError:
        raise ExchangeError(f"{source}: JSON nested too deeply", file=source) from None
    _refuse_lone_surrogates(raw, text, data, source)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f"{source}: not a vendoreval workspace file (field 'format' is not '{FORMAT}')")
    if data.get("format_version") != FORMAT_VERSION:
        raise ExchangeError(
            f"{source}: field 'format_version' is {data.get('format_version')!r}; this vendoreval reads version "
            f"{FORMAT_VERSION} (a newer vendoreval may have written it)"
        )
    try:
        doc = WorkspaceDocument.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        lines = [f"{_path(tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in errors[:10]]
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ExchangeError(f"{source}: invalid workspace file{more}:\n  " + "\n  ".join(lines)) from None
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
