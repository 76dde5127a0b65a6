"""The things a user records: vendors, claims, evidence, scorecards and scores (pure pydantic models)."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from .strict import FiniteFloat, Timestamp


def new_id() -> str:
    """A fresh UUID4 string, so records can be matched across data folders."""
    return str(uuid.uuid4())


def utc_now() -> str:
    """Current UTC time as ISO-8601 text with seconds precision."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _Model(BaseModel):
    # defer_build: a model's validator is built when it is first used, not when the module is imported
    # (launching the app validates few of them; ~0.1 s of launch CPU, benchmarks/bench_launch.py)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


#: The revision of a stored record: 1 when written first, raised by one by the store on every write. It is
#: kept out of ``model_dump`` (files, bundles, signatures and content comparisons never see it) and out
#: of the JSON schemas; a writer that edits a record names the revision it read (``expected_revision``),
#: and the services refuse the edit when the record has moved on since (``StaleEdit``).
Revision = Annotated[SkipJsonSchema[int], Field(exclude=True, ge=1)]


class Decision(StrEnum):
    """Where a vendor stands."""

    NOT_STARTED = "not_started"
    IN_EVALUATION = "in_evaluation"
    GO = "go"
    GO_WITH_CONDITIONS = "go_with_conditions"
    NO_GO = "no_go"

    @property
    def label(self) -> str:
        """Words for the user."""
        return _DECISION_LABELS[self]


_DECISION_LABELS = {
    Decision.NOT_STARTED: "Not started",
    Decision.IN_EVALUATION: "In evaluation",
    Decision.GO: "Go",
    Decision.GO_WITH_CONDITIONS: "Go with conditions",
    Decision.NO_GO: "No-go",
}


class ClaimStatus(StrEnum):
    """How far a claim has been substantiated."""

    ASSERTED = "asserted"
    DOCUMENTED = "documented"
    COMMITTED = "contractually_committed"
    VERIFIED = "independently_verified"
    CONTRADICTED = "contradicted"
    DECLINED = "declined_to_answer"

    @property
    def label(self) -> str:
        """Words for the user."""
        return _CLAIM_LABELS[self]


_CLAIM_LABELS = {
    ClaimStatus.ASSERTED: "Asserted",
    ClaimStatus.DOCUMENTED: "Documented",
    ClaimStatus.COMMITTED: "Contractually committed",
    ClaimStatus.VERIFIED: "Independently verified",
    ClaimStatus.CONTRADICTED: "Contradicted",
    ClaimStatus.DECLINED: "Declined to answer",
}


class SourceKind(StrEnum):
    """Where a claim was made."""

    DOCUMENT = "document"
    URL = "url"
    MEETING = "meeting"
    EMAIL = "email"
    QUESTIONNAIRE = "vendor_questionnaire"
    OTHER = "other"


class EvidenceStrength(StrEnum):
    """How far a score can be trusted, weakest first."""

    ASSERTION = "sales_assertion"
    DOCUMENTATION = "public_documentation"
    CONTRACT = "contractual_commitment"
    CERTIFICATION = "third_party_certification"
    OWN_TEST = "verified_by_us"

    @property
    def label(self) -> str:
        """Words for the user."""
        return _STRENGTH_LABELS[self]


_STRENGTH_LABELS = {
    EvidenceStrength.ASSERTION: "Sales assertion",
    EvidenceStrength.DOCUMENTATION: "Public documentation",
    EvidenceStrength.CONTRACT: "Contractual commitment",
    EvidenceStrength.CERTIFICATION: "Third-party audit or certification",
    EvidenceStrength.OWN_TEST: "Verified by us",
}

#: The default discount applied to a level by its evidence strength.
DEFAULT_DISCOUNTS: dict[EvidenceStrength, float] = {
    EvidenceStrength.ASSERTION: 0.25,
    EvidenceStrength.DOCUMENTATION: 0.5,
    EvidenceStrength.CONTRACT: 0.75,
    EvidenceStrength.CERTIFICATION: 0.9,
    EvidenceStrength.OWN_TEST: 1.0,
}


class Answer(StrEnum):
    """A level, or one of the three non-answers kept apart."""

    LEVEL = "level"
    NOT_DISCLOSED = "not_disclosed"
    DISCLOSED_NO = "disclosed_no"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """Words for the user."""
        return _ANSWER_LABELS[self]


_ANSWER_LABELS = {
    Answer.LEVEL: "Level",
    Answer.NOT_DISCLOSED: "Not disclosed",
    Answer.DISCLOSED_NO: "Disclosed: no",
    Answer.NOT_APPLICABLE: "Not applicable",
}


class ScorecardStatus(StrEnum):
    """A scorecard is edited as a draft and locked when submitted."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class EvidenceKind(StrEnum):
    """What an evidence item is."""

    FILE = "file"
    URL = "url"
    NOTE = "note"


class Vendor(_Model):
    """A company and the product under evaluation, with the decision taken on it."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1, max_length=200)
    product: str = ""
    website: str = ""
    description: str = ""
    decision: Decision = Decision.NOT_STARTED
    conditions: list[str] = Field(default_factory=list)
    archived: bool = False
    created_at: Timestamp = Field(default_factory=utc_now)
    updated_at: Timestamp = Field(default_factory=utc_now)
    revision: Revision = 1

    @field_validator("name")
    @classmethod
    def _strip_name(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("a vendor needs a name")
        return v


class CriterionRef(BaseModel):
    """A criterion of a rubric, independent of the rubric's version."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    rubric_id: str
    criterion_id: str

    def __str__(self) -> str:
        return f"{self.rubric_id}:{self.criterion_id}"

    @classmethod
    def parse(cls, text: str) -> CriterionRef:
        """Read 'rubric:criterion'."""
        rubric_id, sep, criterion_id = text.partition(":")
        if not sep or not rubric_id or not criterion_id:
            raise ValueError(f"'{text}' is not of the form rubric:criterion")
        return cls(rubric_id=rubric_id.strip(), criterion_id=criterion_id.strip())


class Claim(_Model):
    """What the vendor said, verbatim, where and when, and how far it has been substantiated."""

    id: str = Field(default_factory=new_id)
    vendor_id: str
    text: str = Field(min_length=1)
    source_kind: SourceKind = SourceKind.DOCUMENT
    source: str = ""  # document title, URL or meeting name
    page: str = ""
    said_on: dt.date | None = None
    said_to: str = ""
    status: ClaimStatus = ClaimStatus.ASSERTED
    status_note: str = ""
    criteria: list[CriterionRef] = Field(default_factory=list)
    evidence_ids: list[str] = Field(default_factory=list)
    created_at: Timestamp = Field(default_factory=utc_now)
    updated_at: Timestamp = Field(default_factory=utc_now)
    revision: Revision = 1

    @field_validator("text")
    @classmethod
    def _non_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a claim needs the vendor's words")
        return v


class Evidence(_Model):
    """A file (stored by SHA-256), a URL, or a note that supports or contradicts claims."""

    id: str = Field(default_factory=new_id)
    vendor_id: str
    kind: EvidenceKind
    title: str = ""
    sha256: str | None = None
    original_name: str | None = None
    size: int | None = None
    url: str | None = None
    note: str = ""
    created_at: Timestamp = Field(default_factory=utc_now)
    revision: Revision = 1

    @model_validator(mode="after")
    def _check_kind(self) -> Evidence:
        if self.kind == EvidenceKind.FILE and not (self.sha256 and self.original_name):
            raise ValueError("file evidence needs its SHA-256 and original name")
        if self.kind == EvidenceKind.URL and not self.url:
            raise ValueError("URL evidence needs a URL")
        return self


class EvidenceHead(NamedTuple):
    """What a list of due items needs of an evidence record (read without validating the whole record)."""

    id: str
    vendor_id: str
    created_at: str
    title: str
    original_name: str | None
    url: str | None
    note: str


class Score(_Model):
    """One criterion's answer on a scorecard: a level or a non-answer, with why and on what evidence."""

    criterion_id: str
    answer: Answer
    level: int | None = None
    figure: FiniteFloat | None = None  # the raw number for a numeric scale (e.g. training tokens)
    strength: EvidenceStrength | None = None  # None: follow the strongest linked claim
    rationale: str = ""
    claim_ids: list[str] = Field(default_factory=list)
    evidence_ids: list[str] = Field(default_factory=list)
    updated_at: Timestamp = Field(default_factory=utc_now)
    revision: Revision = 1

    @model_validator(mode="after")
    def _level_iff_answer(self) -> Score:
        if self.answer == Answer.LEVEL and self.level is None:
            raise ValueError("a level answer needs a level")
        if self.answer != Answer.LEVEL and self.level is not None:
            raise ValueError("a non-answer carries no level")
        return self


_SCORE_FIELDS = ("criterion_id", "answer", "level", "figure", "strength", "rationale", "claim_ids", "evidence_ids",
                 "updated_at", "revision")
_set_attribute = object.__setattr__


def checked_score_model(criterion_id: str, answer: Answer, level: int | None, figure: float | None,
                        strength: EvidenceStrength | None, rationale: str, claim_ids: list[str],
                        evidence_ids: list[str], updated_at: str, revision: int = 1) -> Score:
    """A ``Score`` of values the write rules already checked (``rules.checked_score``) or the store read back
    (they were checked when written), not validated again.

    Every field is given, so this is ``model_construct`` without its loop over defaults and aliases: a
    scores import builds ten thousand of them, and validating each again cost a fifth of the import; the
    totals read every score of the workspace (50,400 on 200 vendors: ``model_construct`` was half the read).
    tests/unit/test_rules.py checks that it equals the validated ``Score`` for every value the rules accept.
    """
    score = Score.__new__(Score)
    _set_attribute(score, "__dict__", {
        "criterion_id": criterion_id, "answer": answer, "level": level, "figure": figure, "strength": strength,
        "rationale": rationale, "claim_ids": claim_ids, "evidence_ids": evidence_ids, "updated_at": updated_at,
        "revision": revision,
    })
    _set_attribute(score, "__pydantic_fields_set__", set(_SCORE_FIELDS))
    _set_attribute(score, "__pydantic_extra__", None)
    _set_attribute(score, "__pydantic_private__", None)
    return score


class Scorecard(_Model):
    """One evaluator's scores of one vendor against one exact rubric version."""

    id: str = Field(default_factory=new_id)
    vendor_id: str
    rubric_id: str
    rubric_version: str
    rubric_hash: str
    evaluator: str = Field(min_length=1)
    evaluator_key: str | None = None  # fingerprint of the evaluator's signing key, when known
    #: The key whose bundles alone may replace this scorecard here (None: no bundle may). Local state:
    #: set when the scorecard is made or first imported, never taken from a bundle.
    owner_key: str | None = None
    status: ScorecardStatus = ScorecardStatus.DRAFT
    version: int = 1
    scores: dict[str, Score] = Field(default_factory=dict)
    created_at: Timestamp = Field(default_factory=utc_now)
    updated_at: Timestamp = Field(default_factory=utc_now)
    submitted_at: Timestamp | None = None
    revision: Revision = 1


class AuditRecord(NamedTuple):
    """An audit entry on its way to the log: what a unit of work collects (cheap to make by the thousand)."""

    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    vendor_id: str | None
    field: str
    old: str | None
    new: str | None
    summary: str


class AuditEntry(_Model):
    """One committed change: who, when, what, old -> new."""

    id: int | None = None
    at: Timestamp = Field(default_factory=utc_now)
    actor: str
    action: str
    entity: str
    entity_id: str
    vendor_id: str | None = None
    field: str = ""
    old: str | None = None
    new: str | None = None
    summary: str = ""


#: The largest weight a user may give in a profile. Weights are relative; sums of huge ones (1e308) overflow
#: to infinity and turned every score into NaN, which broke the brief. Checked where weights come in
#: (services, CLI, workspace import), not on reading, so a stored profile always still opens.
MAX_WEIGHT = 1_000_000


def weight_problems(profile: WeightProfile) -> list[str]:
    """Weights of ``profile`` over MAX_WEIGHT, as 'weight of KEY ...' texts (empty when all are usable)."""
    return [f"weight of '{key}' is {w:g}; a weight may be at most {MAX_WEIGHT:,} (weights are relative)"
            for weights in (profile.rubric_weights, profile.criterion_weights)
            for key, w in weights.items() if w > MAX_WEIGHT]


class WeightProfile(_Model):
    """A named set of rubric (and optionally criterion) weights used to rank vendors."""

    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    rubric_weights: dict[str, float] = Field(default_factory=dict)
    criterion_weights: dict[str, float] = Field(default_factory=dict)  # "rubric:criterion" -> weight
    builtin: bool = False
    revision: Revision = 1

    @field_validator("rubric_weights", "criterion_weights")
    @classmethod
    def _non_negative(cls, v: dict[str, float]) -> dict[str, float]:
        for key, w in v.items():
            if not w >= 0:
                raise ValueError(f"weight of '{key}' must be 0 or more")
        return v


class AgreedScore(_Model):
    """The consensus answer for one criterion of one vendor, recorded with its rationale."""

    vendor_id: str
    rubric_id: str
    rubric_hash: str
    criterion_id: str
    answer: Answer
    level: int | None = None
    strength: EvidenceStrength | None = None
    rationale: str = ""
    agreed_by: str = ""
    agreed_at: Timestamp = Field(default_factory=utc_now)
    revision: Revision = 1


#: Where a condition came from: typed by a user, or accepted from a proposal derived from the scores and
#: claims (``derived:<kind>:<rubric>/<criterion>``, see domain/conditions.py).
MANUAL_ORIGIN = "manual"


class Condition(_Model):
    """One condition to negotiate with a vendor: what we ask for, where the vendor stands, how far we go.

    ``number`` is its place in the vendor's list (1..N, contiguous, kept so by the service); ``current``
    is the vendor's position today, ``target`` what we ask for, ``walk_away`` the least we accept.
    """

    id: str = Field(default_factory=new_id)
    vendor_id: str
    number: int = Field(ge=1)
    text: str = Field(min_length=1, max_length=2000)
    current: str = Field(default="", max_length=2000)
    target: str = Field(default="", max_length=2000)
    walk_away: str = Field(default="", max_length=2000)
    owner: str = Field(default="", max_length=200)
    origin: str = MANUAL_ORIGIN
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    revision: Revision = 1

    @field_validator("text")
    @classmethod
    def _non_blank_text(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("a condition needs its text")
        return v

    @field_validator("current", "target", "walk_away", "owner")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    @field_validator("origin")
    @classmethod
    def _known_origin(cls, v: str) -> str:
        if v != MANUAL_ORIGIN and not v.startswith("derived:"):
            raise ValueError(f"origin must be '{MANUAL_ORIGIN}' or 'derived:<kind>:<rubric>/<criterion>', not '{v}'")
        return v
