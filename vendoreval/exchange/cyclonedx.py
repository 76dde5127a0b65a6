"""CycloneDX 1.6 attestations: vendors' claims, evidence and our scores as a BOM's ``declarations``.

Pure: ``build`` turns plain data (gathered by services/cyclonedx.py) into the JSON document, ``parse``
reads one back into claims and evidence for one vendor. cyclonedx-python-lib does not model
``declarations``, so the JSON is written here and checked in the tests against the 1.6 schema that
library ships. The mapping, and what is not carried, is docs/cyclonedx.md.

Bom-refs are our record ids with a kind prefix (``claim:<id>``, ``evidence:<id>``, ``vendor:<id>``,
``requirement:<rubric>@<version>/<criterion>``), so they are stable across exports and unique in the
BOM. The serial number is a UUID derived from the content, the timestamp is given by the caller: the
same workspace gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import files
from ..domain.models import (
    DEFAULT_DISCOUNTS,
    Claim,
    ClaimStatus,
    Condition,
    Evidence,
    EvidenceKind,
    EvidenceStrength,
    Vendor,
)
from ..domain.rubric import Rubric
from ..errors import MAX_NESTING, nesting_depth_exceeded
from . import ExchangeError, file_problems, strict_json

SPEC_VERSION = "1.6"
SCHEMA_URL = "http://cyclonedx.org/schema/bom-1.6.schema.json"
#: The namespace of our property names (CycloneDX property taxonomy: an organisation's own prefix).
NS = "vendoreval"
#: The UUID namespace the serial number is derived in (uuid5 of the document's content).
_SERIAL_NAMESPACE = uuid.UUID("5f0c3f55-8a0e-4c52-9a77-0d2b8f1c6e41")


@dataclass(frozen=True)
class RequirementResult:
    """One criterion of one vendor as scored (the combined result of the evaluators' scorecards)."""

    rubric: Rubric
    criterion_id: str
    answer: str | None  # None: not scored
    level: int | None
    top: int
    counts: bool
    claimed: float  # level / top, 0..1
    evidence: float  # evidence-weighted, 0..1
    strength: EvidenceStrength | None
    rationale: str = ""
    contradicted: bool = False
    declined: bool = False
    not_applicable_reason: str | None = None


@dataclass(frozen=True)
class VendorDeclaration:
    """Everything exported about one vendor."""

    vendor: Vendor
    claims: Sequence[Claim]
    evidence: Sequence[Evidence]
    results: Sequence[RequirementResult]  # the criteria it was scored on, rubric by rubric
    evaluators: Sequence[str]  # who scored it (their scorecards count)
    assessor: str  # who attests: the one evaluator, or the workspace's evaluator for a combined result
    overall_claimed: float | None = None  # 0..100
    overall_evidence_weighted: float | None = None
    conditions: Sequence[Condition] = ()  # the conditions to negotiate: a criterion's ones are its mitigation


@dataclass(frozen=True)
class CdxInput:
    """The workspace's part that goes into the document."""

    vendors: Sequence[VendorDeclaration]
    rubrics: Sequence[Rubric]  # every rubric version a claim or result refers to
    timestamp: str  # ISO 8601 UTC (metadata.timestamp)
    evidence_dates: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)  # id -> (from, until)
    claim_reviews: Mapping[str, str] = field(default_factory=dict)  # claim id -> review-by date
    recorded_by: Mapping[str, str] = field(default_factory=dict)  # evidence id -> who recorded it
    tool_version: str = ""


# --------------------------------------------------------------------------------------------------
# writing


def vendor_ref(vendor_id: str) -> str:
    """The bom-ref of a vendor (an organization in targets)."""
    return f"vendor:{vendor_id}"


def claim_ref(claim_id: str) -> str:
    """The bom-ref of a claim."""
    return f"claim:{claim_id}"


def evidence_ref(evidence_id: str) -> str:
    """The bom-ref of an evidence record."""
    return f"evidence:{evidence_id}"


def standard_ref(rubric: Rubric) -> str:
    """The bom-ref of a rubric version (a standard)."""
    return f"standard:{rubric.id}@{rubric.version}"


def requirement_ref(rubric: Rubric, criterion_id: str) -> str:
    """The bom-ref of a criterion of a rubric version (a requirement)."""
    return f"requirement:{rubric.id}@{rubric.version}/{criterion_id}"


def assessor_ref(name: str) -> str:
    """The bom-ref of an evaluator (an assessor): stable for a name whatever its case or spacing."""
    key = " ".join(name.split()).casefold()
    return "assessor:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def condition_ref(condition_id: str) -> str:
    """The bom-ref of a condition to negotiate (an evidence entry describing a mitigation strategy)."""
    return f"condition:{condition_id}"


def condition_criterion(c: Condition) -> tuple[str, str] | None:
    """(rubric id, criterion id) of a condition derived from a criterion's result, None for a manual one."""
    parts = c.origin.split(":", 2)
    if len(parts) != 3 or parts[0] != "derived" or "/" not in parts[2]:
        return None
    rubric_id, _, criterion_id = parts[2].partition("/")
    return rubric_id, criterion_id


def _condition_entry(c: Condition, vendor: Vendor) -> dict[str, Any]:
    lines = [f"{label}: {value}" for label, value in (("Vendor's position", c.current), ("We ask for", c.target),
                                                      ("Least we accept", c.walk_away)) if value.strip()]
    out: dict[str, Any] = {"bom-ref": condition_ref(c.id), "propertyName": f"{NS}:condition",
                           "description": f"Condition {c.number} for {vendor.name}: {c.text}"}
    if lines:
        out["data"] = [{"name": "terms", "contents": {"attachment": {"contentType": "text/plain",
                                                                     "content": "\n".join(lines)}}}]
    out["created"] = c.created_at
    if c.owner.strip():
        out["author"] = {"name": c.owner.strip()}
    return out


def _prop(name: str, subject: str, value: str) -> dict[str, str]:
    return {"name": f"{NS}:{name}", "value": f"{subject} {value}"}


def _fraction(x: float) -> float:
    """A 0..1 score, rounded to 4 places and clamped (a rounding ulp must not leave the schema's range)."""
    return min(1.0, max(0.0, round(x, 4)))


def _expires(valid_until: str) -> str:
    """The end of the last valid day as a date-time."""
    return f"{valid_until}T23:59:59Z"


def _conformance(r: RequirementResult) -> tuple[float, str]:
    if r.not_applicable_reason is not None:
        return 0.0, f"Not applicable here: {r.not_applicable_reason}."
    if r.answer is None:
        return 0.0, "Not scored yet (counts as the lowest level)."
    if r.answer == "not_applicable":
        return 0.0, "Scored not applicable; the criterion drops out of the rubric score."
    what = {"level": f"Level {r.level} of {r.top}", "not_disclosed": "Not disclosed (counts as level 0)",
            "disclosed_no": f"Disclosed: no (counts as level {r.level} of {r.top})"}.get(r.answer, r.answer)
    parts = [what]
    if r.contradicted:
        parts.append("rests on a contradicted claim, so its evidence-weighted score is 0")
    elif r.declined:
        parts.append("the vendor declined to answer, so its evidence-weighted score is 0")
    elif r.strength is not None:
        parts.append(f"discounted by its evidence strength ({r.strength.label}, x{DEFAULT_DISCOUNTS[r.strength]:g})")
    text = "; ".join(parts) + "."
    if r.rationale.strip():
        text += f" Rationale: {r.rationale.strip()}"
    return _fraction(r.evidence), text


def _confidence(r: RequirementResult) -> tuple[float, str] | None:
    if r.strength is None:
        return None
    return _fraction(DEFAULT_DISCOUNTS[r.strength]), f"Evidence strength: {r.strength.label}."


def _reasoning(c: Claim) -> str:
    parts = [f"Status: {c.status.label}."]
    if c.status_note.strip():
        parts.append(c.status_note.strip())
    where = ", ".join(p for p in (c.source, f"page {c.page}" if c.page else "",
                                  f"on {c.said_on.isoformat()}" if c.said_on else "",
                                  f"to {c.said_to}" if c.said_to else "") if p)
    if where:
        parts.append(f"Said in {where}.")
    return " ".join(parts)


def _evidence_entry(e: Evidence, data: CdxInput, reviewer: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"bom-ref": evidence_ref(e.id), "propertyName": f"{NS}:evidence:{e.kind}",
                           "description": e.title or e.original_name or e.url or e.note[:80] or str(e.kind)}
    items: list[dict[str, Any]] = []
    if e.kind == EvidenceKind.URL and e.url:
        items.append({"name": "url", "contents": {"url": e.url}})
    if e.kind == EvidenceKind.FILE:
        items.append({"name": e.original_name or "file",
                      "contents": {"attachment": {"contentType": "text/plain",
                                                  "content": f"sha256:{e.sha256} ({e.size or 0} bytes; "
                                                             "the file itself is not carried)"}}})
    if e.note.strip():
        items.append({"name": "note", "contents": {"attachment": {"contentType": "text/plain", "content": e.note}}})
    if items:
        out["data"] = items
    out["created"] = e.created_at
    valid_until = data.evidence_dates.get(e.id, (None, None))[1]
    if valid_until:
        out["expires"] = _expires(valid_until)
    if author := data.recorded_by.get(e.id):
        out["author"] = {"name": author}
    if reviewer:
        out["reviewer"] = {"name": reviewer}
    return out


def build(data: CdxInput) -> dict[str, Any]:
    """The CycloneDX 1.6 document (a plain dict, keys in CycloneDX's usual order)."""
    assessors: dict[str, str] = {}
    attestations: list[dict[str, Any]] = []
    claims_out: list[dict[str, Any]] = []
    evidence_out: list[dict[str, Any]] = []
    organizations: list[dict[str, Any]] = []
    components: list[dict[str, Any]] = []
    props: list[dict[str, str]] = []
    for vd in sorted(data.vendors, key=lambda d: (d.vendor.name.casefold(), d.vendor.id)):
        v = vd.vendor
        vref = vendor_ref(v.id)
        org: dict[str, Any] = {"bom-ref": vref, "name": v.name}
        if v.website.strip():
            org["url"] = [v.website.strip()]
        organizations.append(org)
        if v.product.strip():
            components.append({"type": "application", "bom-ref": f"product:{v.id}", "name": v.product.strip(),
                               "supplier": {"name": v.name}})
        for name in (*vd.evaluators, vd.assessor):
            assessors.setdefault(assessor_ref(name), name)
        claims = sorted(vd.claims, key=lambda c: (c.created_at, c.id))
        contradicted = {c.id for c in claims if c.status == ClaimStatus.CONTRADICTED}
        for c in claims:
            entry: dict[str, Any] = {"bom-ref": claim_ref(c.id), "target": vref, "predicate": c.text}
            refs = [evidence_ref(i) for i in c.evidence_ids]
            if refs:
                entry["counterEvidence" if c.id in contradicted else "evidence"] = refs
            entry["reasoning"] = _reasoning(c)
            claims_out.append(entry)
            props.append(_prop("status", claim_ref(c.id), str(c.status)))
            if review := data.claim_reviews.get(c.id):
                props.append(_prop("review-by", claim_ref(c.id), review))
        reviewer = vd.assessor if vd.results else None
        for e in sorted(vd.evidence, key=lambda e: (e.created_at, e.id)):
            evidence_out.append(_evidence_entry(e, data, reviewer))
            # evidence a claim cites belongs to that claim's target; the rest is tied to its vendor here
            props.append(_prop("vendor", evidence_ref(e.id), vref))
            effective = data.evidence_dates.get(e.id, (None, None))[0]
            if effective:
                props.append(_prop("effective-on", evidence_ref(e.id), effective))
        mitigations: dict[tuple[str, str], list[str]] = {}
        for cond in sorted(vd.conditions, key=lambda c: (c.number, c.id)):
            if (key := condition_criterion(cond)) is not None:
                evidence_out.append(_condition_entry(cond, v))
                mitigations.setdefault(key, []).append(condition_ref(cond.id))
        mapping: list[dict[str, Any]] = []
        for r in vd.results:
            req = requirement_ref(r.rubric, r.criterion_id)
            linked = [c for c in claims if any(ref.rubric_id == r.rubric.id and ref.criterion_id == r.criterion_id
                                               for ref in c.criteria)]
            m: dict[str, Any] = {"requirement": req}
            if ok := [claim_ref(c.id) for c in linked if c.id not in contradicted]:
                m["claims"] = ok
            if counter := [claim_ref(c.id) for c in linked if c.id in contradicted]:
                m["counterClaims"] = counter
            score, rationale = _conformance(r)
            m["conformance"] = {"score": score, "rationale": rationale}
            if plans := mitigations.pop((r.rubric.id, r.criterion_id), None):
                m["conformance"]["mitigationStrategies"] = plans
            if (conf := _confidence(r)) is not None:
                m["confidence"] = {"score": conf[0], "rationale": conf[1]}
            mapping.append(m)
            props.append(_prop("claimed", f"{vref} {req}", f"{_fraction(r.claimed):g}"))
        # claims tied to no scored criterion still belong in the attestation, under their criteria
        scored = {(r.rubric.id, r.criterion_id) for r in vd.results}
        by_rubric = {rb.id: rb for rb in data.rubrics}
        unscored: dict[str, list[Claim]] = {}
        for c in claims:
            for ref in c.criteria:
                if (ref.rubric_id, ref.criterion_id) not in scored and ref.rubric_id in by_rubric:
                    rb = by_rubric[ref.rubric_id]
                    if any(cr.id == ref.criterion_id for cr in rb.criteria):
                        unscored.setdefault(requirement_ref(rb, ref.criterion_id), []).append(c)
        for req, linked in sorted(unscored.items()):
            m = {"requirement": req}
            if ok := [claim_ref(c.id) for c in linked if c.id not in contradicted]:
                m["claims"] = ok
            if counter := [claim_ref(c.id) for c in linked if c.id in contradicted]:
                m["counterClaims"] = counter
            m["conformance"] = {"score": 0.0, "rationale": "Not scored yet."}
            mapping.append(m)
        if vd.overall_claimed is not None:
            props.append(_prop("overall-claimed", vref, f"{round(vd.overall_claimed, 2):g}"))
        if vd.overall_evidence_weighted is not None:
            props.append(_prop("overall-evidence-weighted", vref, f"{round(vd.overall_evidence_weighted, 2):g}"))
        summary = f"{v.name}: {len(claims)} claims, {len(vd.evidence)} evidence records"
        if vd.evaluators:
            summary += f"; scored by {', '.join(vd.evaluators)}"
        if vd.overall_evidence_weighted is not None and vd.overall_claimed is not None:
            summary += (f"; overall {vd.overall_evidence_weighted:.1f} evidence-weighted "
                        f"(claimed {vd.overall_claimed:.1f}) of 100")
        att: dict[str, Any] = {"summary": summary, "assessor": assessor_ref(vd.assessor)}
        if mapping:
            att["map"] = mapping
        attestations.append(att)
    standards = []
    for rb in sorted(data.rubrics, key=lambda r: (r.id, r.version)):
        reqs = []
        for cr in rb.criteria:
            item: dict[str, Any] = {"bom-ref": requirement_ref(rb, cr.id), "identifier": cr.id, "title": cr.title,
                                    "text": cr.question}
            if cr.guidance.strip():
                item["descriptions"] = [cr.guidance.strip()]
            item["properties"] = [{"name": f"{NS}:rubric", "value": rb.id},
                                  {"name": f"{NS}:criterion", "value": cr.id},
                                  {"name": f"{NS}:weight", "value": f"{cr.weight:g}"}]
            reqs.append(item)
        std: dict[str, Any] = {"bom-ref": standard_ref(rb), "name": rb.title, "version": rb.version}
        if rb.description.strip():
            std["description"] = rb.description.strip()
        if rb.attribution:
            std["owner"] = rb.attribution
        std["requirements"] = reqs
        standards.append(std)
    declarations: dict[str, Any] = {
        "assessors": [{"bom-ref": ref, "thirdParty": True, "organization": {"name": name}}
                      for ref, name in sorted(assessors.items(), key=lambda kv: (kv[1].casefold(), kv[0]))],
        "attestations": attestations,
        "claims": claims_out,
        "evidence": evidence_out,
        "targets": {"organizations": organizations, **({"components": components} if components else {})},
    }
    tool: dict[str, Any] = {"type": "application", "name": "vendoreval"}
    if data.tool_version:
        tool["version"] = data.tool_version
    doc: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": "",
        "version": 1,
        "metadata": {"timestamp": data.timestamp, "tools": {"components": [tool]}},
        "declarations": declarations,
        "definitions": {"standards": standards},
    }
    if props:
        doc["properties"] = props
    doc["serialNumber"] = "urn:uuid:" + str(uuid.uuid5(_SERIAL_NAMESPACE, _canonical(doc)))
    return doc


def _canonical(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, allow_nan=False)


def dumps(doc: Mapping[str, Any]) -> bytes:
    """The document's file bytes: UTF-8 JSON, two-space indent, final newline (key order kept)."""
    return (json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------------
# reading

#: Bounds on what is read back (a hostile file must not make a gigabyte claim or a million links).
MAX_TEXT = 20_000  # a claim's words, a note
MAX_SHORT = 2_000  # names, titles, URLs, rationales
MAX_ITEMS = 100_000


class _Loose(BaseModel):
    """A CycloneDX object: the fields read here are checked, the rest of the standard is left alone."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, defer_build=True)


Ref = Field(min_length=1, max_length=MAX_SHORT)


class OrgIn(_Loose):
    """targets.organizations[]."""

    bom_ref: str | None = Field(default=None, alias="bom-ref", max_length=MAX_SHORT)
    name: str = Field(min_length=1, max_length=200)


class TargetsIn(_Loose):
    """declarations.targets."""

    organizations: list[OrgIn] = Field(min_length=1, max_length=10_000)


class ClaimIn(_Loose):
    """declarations.claims[]."""

    bom_ref: str | None = Field(default=None, alias="bom-ref", max_length=MAX_SHORT)
    target: str | None = Field(default=None, max_length=MAX_SHORT)
    predicate: str = Field(min_length=1, max_length=MAX_TEXT)
    reasoning: str = Field(default="", max_length=MAX_TEXT)
    evidence: list[str] = Field(default_factory=list, max_length=10_000)
    counterEvidence: list[str] = Field(default_factory=list, max_length=10_000)


class AttachmentIn(_Loose):
    """An attachment's text."""

    content: str = Field(max_length=MAX_TEXT)


class ContentsIn(_Loose):
    """evidence[].data[].contents."""

    url: str | None = Field(default=None, max_length=MAX_SHORT)
    attachment: AttachmentIn | None = None


class DataIn(_Loose):
    """evidence[].data[]."""

    name: str = Field(default="", max_length=MAX_SHORT)
    contents: ContentsIn | None = None


class EvidenceIn(_Loose):
    """declarations.evidence[]."""

    bom_ref: str | None = Field(default=None, alias="bom-ref", max_length=MAX_SHORT)
    propertyName: str = Field(default="", max_length=MAX_SHORT)
    description: str = Field(default="", max_length=MAX_SHORT)
    data: list[DataIn] = Field(default_factory=list, max_length=100)
    expires: str | None = Field(default=None, max_length=40)


class MapIn(_Loose):
    """declarations.attestations[].map[]."""

    requirement: str | None = Field(default=None, max_length=MAX_SHORT)
    claims: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    counterClaims: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)


class AttestationIn(_Loose):
    """declarations.attestations[]."""

    map: list[MapIn] = Field(default_factory=list, max_length=MAX_ITEMS)


class DeclarationsIn(_Loose):
    """The BOM's declarations."""

    targets: TargetsIn
    claims: list[ClaimIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    attestations: list[AttestationIn] = Field(default_factory=list, max_length=10_000)


class PropertyIn(_Loose):
    """properties[]."""

    name: str = Field(max_length=MAX_SHORT)
    value: str = Field(default="", max_length=MAX_SHORT)


class RequirementIn(_Loose):
    """definitions.standards[].requirements[]."""

    bom_ref: str | None = Field(default=None, alias="bom-ref", max_length=MAX_SHORT)
    identifier: str = Field(default="", max_length=MAX_SHORT)
    properties: list[PropertyIn] = Field(default_factory=list, max_length=100)


class StandardIn(_Loose):
    """definitions.standards[]."""

    requirements: list[RequirementIn] = Field(default_factory=list, max_length=MAX_ITEMS)


class DefinitionsIn(_Loose):
    """The BOM's definitions."""

    standards: list[StandardIn] = Field(default_factory=list, max_length=10_000)


class CdxDocument(_Loose):
    """The part of a CycloneDX 1.6 BOM that is read back."""

    bomFormat: Literal["CycloneDX"]
    specVersion: Literal["1.6"]
    declarations: DeclarationsIn
    definitions: DefinitionsIn = Field(default_factory=DefinitionsIn)
    properties: list[PropertyIn] = Field(default_factory=list, max_length=MAX_ITEMS)


@dataclass
class EvidenceRead:
    """An evidence record read from the file."""

    ref: str
    path: str  # its JSON path, for messages
    title: str
    url: str | None
    note: str
    valid_until: dt.date | None
    effective_on: dt.date | None


@dataclass
class ClaimRead:
    """A claim read from the file."""

    ref: str
    path: str
    text: str
    status: ClaimStatus
    status_note: str
    criteria: list[tuple[str, str]]  # (rubric id, criterion id)
    evidence_refs: list[str]
    review_by: dt.date | None


@dataclass
class Declarations:
    """What import takes from a CycloneDX file: one organization's claims and the evidence they cite."""

    source: str
    organization: str
    claims: list[ClaimRead]
    evidence: list[EvidenceRead]


def _date_of(text: str, where: str, source: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ExchangeError(f"{source}: {where}: {text[:40]!r} is not a date (YYYY-MM-DD)", file=source) from None


def _subject_props(doc: CdxDocument, source: str) -> dict[tuple[str, str], str]:
    """Our namespaced properties, (name, subject ref) -> value."""
    out: dict[tuple[str, str], str] = {}
    for i, p in enumerate(doc.properties):
        if not p.name.startswith(f"{NS}:"):
            continue
        subject, _, value = p.value.rpartition(" ")
        if not subject or not value:
            raise ExchangeError(f"{source}: properties[{i}].value: expected '<bom-ref> <value>', got {p.value[:60]!r}",
                                file=source)
        out[(p.name.removeprefix(f"{NS}:"), subject)] = value
    return out


def parse(raw: bytes, source: str, vendor: str | None = None) -> Declarations:
    """The claims and evidence a CycloneDX 1.6 file declares about one organization.

    ``vendor``: the organization's name (default: ``targets.organizations[0].name``). ExchangeError naming
    the JSON path and the reason for anything malformed, out of bounds or inconsistent.
    """
    with file_problems():
        text = files.decode_text(raw, source, advice="a CycloneDX file is UTF-8 JSON")
    if nesting_depth_exceeded(raw):
        raise ExchangeError(f"{source}: JSON nested too deeply (more than {MAX_NESTING} levels)", file=source)
    data = strict_json.loads(text, source)
    if not isinstance(data, dict) or data.get("bomFormat") != "CycloneDX":
        raise ExchangeError(f"{source}: bomFormat: not a CycloneDX BOM (expected \"CycloneDX\")", file=source)
    if data.get("specVersion") != SPEC_VERSION:
        raise ExchangeError(f"{source}: specVersion: {str(data.get('specVersion'))[:20]!r}; vendoreval reads "
                            f"CycloneDX {SPEC_VERSION} attestations", file=source)
    if not isinstance(data.get("declarations"), dict):
        raise ExchangeError(f"{source}: declarations: missing; this BOM declares no claims or attestations",
                            file=source)
    doc = strict_json.validate(CdxDocument, text, source, what="CycloneDX attestations")
    orgs = doc.declarations.targets.organizations
    if vendor is None:
        org, org_path = orgs[0], "declarations.targets.organizations[0]"
    else:
        want = " ".join(vendor.split()).casefold()
        found = [(i, o) for i, o in enumerate(orgs) if " ".join(o.name.split()).casefold() == want]
        org = found[0][1] if found else orgs[0]
        org_path = f"declarations.targets.organizations[{found[0][0] if found else 0}]"
    props = _subject_props(doc, source)
    # which claims are about this organization: their target is its bom-ref (or there is one target)
    org_refs = {org.bom_ref} if org.bom_ref else set()
    only_one = len(orgs) == 1

    def ours(c: ClaimIn) -> bool:
        return c.target in org_refs or (only_one and (c.target is None or not org_refs))

    requirements: dict[str, tuple[str, str]] = {}
    for std in doc.definitions.standards:
        for req in std.requirements:
            if not req.bom_ref:
                continue
            rp = {p.name: p.value for p in req.properties}
            rubric_id = rp.get(f"{NS}:rubric")
            criterion_id = rp.get(f"{NS}:criterion") or req.identifier
            if rubric_id and criterion_id:
                requirements[req.bom_ref] = (rubric_id, criterion_id)
    criteria_of: dict[str, list[tuple[str, str]]] = {}
    for att in doc.declarations.attestations:
        for m in att.map:
            ref: tuple[str, str] | None = requirements.get(m.requirement or "")
            if ref is None:
                continue
            for cref in (*m.claims, *m.counterClaims):
                if ref not in criteria_of.setdefault(cref, []):
                    criteria_of[cref].append(ref)
    evidence_by_ref: dict[str, tuple[int, EvidenceIn]] = {}
    for i, e in enumerate(doc.declarations.evidence):
        if e.bom_ref:
            if e.bom_ref in evidence_by_ref:
                raise ExchangeError(f"{source}: declarations.evidence[{i}].bom-ref: {e.bom_ref[:60]!r} appears twice",
                                    file=source)
            evidence_by_ref[e.bom_ref] = (i, e)
    claims: list[ClaimRead] = []
    cited: list[str] = []
    seen: set[str] = set()
    for i, c in enumerate(doc.declarations.claims):
        where = f"declarations.claims[{i}]"
        if not ours(c):
            continue
        if not c.predicate.strip():
            raise ExchangeError(f"{source}: {where}.predicate: empty; a claim needs the vendor's words", file=source)
        cref = c.bom_ref or f"#claims[{i}]"
        if cref in seen:
            raise ExchangeError(f"{source}: {where}.bom-ref: {cref[:60]!r} appears twice", file=source)
        seen.add(cref)
        for j, eref in enumerate((*c.evidence, *c.counterEvidence)):
            if eref not in evidence_by_ref:
                field_name = "evidence" if j < len(c.evidence) else "counterEvidence"
                k = j if j < len(c.evidence) else j - len(c.evidence)
                raise ExchangeError(f"{source}: {where}.{field_name}[{k}]: no evidence with bom-ref {eref[:60]!r} "
                                    "in declarations.evidence", file=source)
        said = props.get(("status", cref), "")
        try:
            stated = ClaimStatus(said) if said else None
        except ValueError:
            raise ExchangeError(f"{source}: properties: {NS}:status of {cref[:60]} is {said[:40]!r}, not one of "
                                f"{', '.join(s.value for s in ClaimStatus)}", file=source) from None
        if c.counterEvidence:  # evidence against it: contradicted, whatever else is said
            status = ClaimStatus.CONTRADICTED
        elif stated is not None:
            status = stated
        else:
            status = ClaimStatus.DOCUMENTED if c.evidence else ClaimStatus.ASSERTED
        review = props.get(("review-by", cref))
        refs = list(dict.fromkeys((*c.evidence, *c.counterEvidence)))
        cited.extend(refs)
        note = re.sub(r"^Status: [^.]*\.\s*", "", c.reasoning.strip())  # our own reasoning's first sentence
        claims.append(ClaimRead(cref, where, c.predicate, status, note, criteria_of.get(cref, []), refs,
                                _date_of(review, f"properties ({NS}:review-by of {cref[:60]})", source)
                                if review else None))
    if not claims:
        raise ExchangeError(f"{source}: declarations.claims: no claim about '{org.name}' ({org_path}); "
                            "nothing to import", file=source)
    for (name, subject), value in props.items():
        if name == "vendor" and value in org_refs and subject in evidence_by_ref:
            cited.append(subject)
    evidence: list[EvidenceRead] = []
    for eref in dict.fromkeys(cited):
        i, e = evidence_by_ref[eref]
        where = f"declarations.evidence[{i}]"
        url = next((d.contents.url for d in e.data if d.contents and d.contents.url), None)
        notes = [d.contents.attachment.content for d in e.data
                 if d.contents and d.contents.attachment and d.name != "url"]
        title = e.description.strip() or next((d.name for d in e.data if d.name), "") or eref
        until = _date_of(e.expires, f"{where}.expires", source) if e.expires else None
        effective = props.get(("effective-on", eref))
        evidence.append(EvidenceRead(eref, where, title[:MAX_SHORT], url, "\n\n".join(notes)[:MAX_TEXT], until,
                                     _date_of(effective, f"properties ({NS}:effective-on of {eref[:60]})", source)
                                     if effective else None))
    return Declarations(source, org.name, claims, evidence)
