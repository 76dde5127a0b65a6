"""The sample workspace: five fictional marketing-AI vendors, their claims, evidence and two evaluators' scores.

Everything is fixed (ids are uuid5 of names, dates are constants), so screenshots and sample briefs come
out the same on every machine. The sample is built as a workspace file and restored through the same
path as `vendoreval import`, which is also what the desktop app's "Load sample workspace" calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain.models import Answer, ClaimStatus, Decision, EvidenceStrength, SourceKind
from ..domain.rubric import Criterion, Rubric, ScaleKind
from ..domain.text import counted
from ..exchange import workspace_file as wf
from .exchange import ExchangeService, ImportResult
from .settings import AppSettings, load_settings
from .workspace import ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace

NAMESPACE = uuid.UUID("8d3b5f2a-1c4e-4f7a-9b2d-5e6f7a8b9c0d")
SAMPLE_RUBRICS = ("training-data", "capabilities", "gdpr", "copyright", "ai-act", "viability")
EVALUATORS = ("Maya Lind (Marketing Ops)", "Tom Okafor (Procurement)")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
#: The fictional organisation on the sample brief's cover.
ORGANISATION = "Northwind Retail — Marketing"


#: Each sample vendor's commercial terms (amounts as decimal text; Pixelmuse prices in US dollars, so the
#: comparison shows its total apart from the euro ones; Quillstack has recorded no exit terms).
COMMERCIALS: dict[str, dict[str, Any]] = {
    "Lumen Copy": {"pricing_model": "per seat per month (25 seats)", "one_off": "8000", "annual": "42000",
                   "exit_cost": "5000", "currency": "EUR", "term_months": 36, "renewal": "manual",
                   "notice_months": 3, "category": "Copywriting assistant",
                   "use_case": "First drafts of campaign copy, subject lines and product descriptions in six "
                               "languages, edited by our copywriters",
                   "benefit": "Subject lines that lift open rates (7.8% in our own pilot) and campaign copy in "
                              "days rather than weeks", "benefit_claim": ("Lumen Copy", "pilot")},
    "Brightwave Insights": {"pricing_model": "platform fee plus usage", "one_off": "15000", "annual": "60000",
                            "exit_cost": "12000", "currency": "EUR", "term_months": 24, "renewal": "auto",
                            "notice_months": 6, "category": "Audience analytics and segmentation",
                            "use_case": "Segments for e-mail and paid campaigns from our CRM and web data",
                            "benefit": "Higher conversion from better-targeted segments (the vendor says 30%)",
                            "benefit_claim": ("Brightwave Insights", "uplift")},
    "Pixelmuse Studio": {"pricing_model": "credits: USD 0.04 per generated image, 1 million images a year",
                         "one_off": "0", "annual": "40000", "exit_cost": "0", "currency": "USD", "term_months": 12,
                         "renewal": "auto", "notice_months": 1, "category": "Image generation",
                         "use_case": "Product and lifestyle images for campaigns, instead of part of the stock "
                                     "photo budget"},
    "Nordlicht Personalisation": {"pricing_model": "per 1,000 e-mails sent", "one_off": "20000", "annual": "36000",
                                  "exit_cost": "8000", "currency": "EUR", "term_months": 36, "renewal": "auto",
                                  "notice_months": 6, "category": "Personalisation engine",
                                  "use_case": "Personalised e-mail content per customer"},
    "Quillstack": {"pricing_model": "flat subscription", "annual": "18000", "currency": "EUR", "term_months": 12,
                   "renewal": "auto", "category": "Copywriting assistant",
                   "use_case": "First drafts of campaign copy"},
}
#: What the evaluators wrote on a few of the sample's derived risks: (kind, vendor name or '' for the
#: evaluation, criterion) -> owner, mitigation, residual.
RISK_NOTES: dict[tuple[str, str, str], tuple[str, str, str]] = {
    ("knockout", "Nordlicht Personalisation", "gdpr/dpa"): (
        EVALUATORS[1], "Ask for a DPA covering GDPR Art. 28(3)(a)-(h) before any pilot; no personal data until "
                       "it is signed", "Low once signed; until then the vendor stays out"),
    ("lock_in", "Lumen Copy", ""): (
        EVALUATORS[1], "Cap the exit fee and add a data-export clause (CSV or JSON within 30 days of notice)",
        "Medium"),
    ("low_agreement", "Lumen Copy", ""): (
        EVALUATORS[0], "Consensus session on the criteria the two evaluators scored apart, before the board meets",
        "Low"),
    ("contradicted_claim", "Brightwave Insights", "training-data/own-model"): (
        EVALUATORS[0], "Ask Brightwave to name, in writing, the third-party model it runs on and that provider's "
                       "terms", "Medium"),
    ("do_nothing", "", ""): (
        "Head of Marketing", "Keep the agency contract and the manual copy process until the decision; no "
                             "unassessed AI tools in the meantime", "Medium: campaign output stays at today's level"),
}


def sample_id(*parts: str) -> str:
    """The fixed id of a sample record."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class SampleClaim:
    """A claim of the sample, with the criteria it bears on."""

    key: str
    text: str
    source_kind: SourceKind
    source: str
    page: str
    said_on: str
    said_to: str
    status: ClaimStatus
    criteria: tuple[str, ...]
    status_note: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class SampleEvidence:
    """A URL, a note or a small text file."""

    key: str
    kind: str
    title: str
    url: str | None = None
    note: str = ""
    file_name: str | None = None
    file_text: str | None = None


@dataclass(frozen=True)
class SampleVendor:
    """One fictional vendor: profile, base level per rubric, claims, evidence and the decision taken."""

    name: str
    product: str
    website: str
    description: str
    base: dict[str, int]
    strength: EvidenceStrength
    claims: tuple[SampleClaim, ...]
    evidence: tuple[SampleEvidence, ...]
    decision: Decision = Decision.IN_EVALUATION
    conditions: tuple[str, ...] = ()
    figures: dict[str, float] = field(default_factory=dict)  # numeric criteria: the vendor's figure
    answers: dict[str, Answer] = field(default_factory=dict)  # criteria answered with a non-answer
    levels: dict[str, int] = field(default_factory=dict)  # criteria with a fixed level (both evaluators)


D, U, M, E, Q = SourceKind.DOCUMENT, SourceKind.URL, SourceKind.MEETING, SourceKind.EMAIL, SourceKind.QUESTIONNAIRE
NA, ND = Answer.NOT_APPLICABLE, Answer.NOT_DISCLOSED

VENDORS: tuple[SampleVendor, ...] = (
    SampleVendor(
        "Lumen Copy", "Lumen Campaign Writer", "https://lumencopy.example",
        "Generative copywriting for e-mail, social and paid campaigns, on its own fine-tuned model.",
        {"training-data": 3, "capabilities": 3, "gdpr": 4, "copyright": 3, "ai-act": 3, "viability": 3},
        EvidenceStrength.DOCUMENTATION,
        (
            SampleClaim("tokens", "Our writing model was trained on more than 2 trillion tokens of licensed and "
                        "public-domain text, and we publish the AI Office training-content summary.", D,
                        "Lumen Copy model card v4.2", "3", "2026-01-14", "Maya Lind", ClaimStatus.DOCUMENTED,
                        ("training-data:text-tokens", "ai-act:training-summary"), evidence=("modelcard",)),
            SampleClaim("no-training", "Customer prompts and outputs are never used to train our models. That is "
                        "clause 9.2 of our DPA.", D, "Lumen Copy DPA (January 2026)", "clause 9.2", "2026-01-20",
                        "Tom Okafor", ClaimStatus.COMMITTED, ("gdpr:training-on-customer-data", "gdpr:dpa"),
                        evidence=("dpa",)),
            SampleClaim("pilot", "In your pilot on 1,200 past subject lines our variants lifted open rates by 7.8%.",
                        M, "Pilot read-out", "", "2026-02-10", "Maya Lind", ClaimStatus.VERIFIED,
                        ("capabilities:own-data-pilot",), "We re-ran the A/B analysis on our own export."),
            SampleClaim("indemnity", "We indemnify customers against third-party copyright claims on outputs, "
                        "capped at €500,000.", U, "https://lumencopy.example/legal/indemnity", "", "2026-01-14",
                        "Tom Okafor", ClaimStatus.DOCUMENTED, ("copyright:ip-indemnity",)),
        ),
        (
            SampleEvidence("modelcard", "url", "Model card v4.2", url="https://lumencopy.example/model-card"),
            SampleEvidence("dpa", "file", "DPA clause 9.2 (excerpt)", file_name="lumen-dpa-clause-9.txt",
                           file_text="Lumen Copy Data Processing Agreement, January 2026\n\n9.2 The Processor shall "
                                     "not use Customer Personal Data, prompts or outputs to train, retrain or improve "
                                     "any machine-learning model.\n"),
        ),
        Decision.GO_WITH_CONDITIONS,
        ("Raise the IP indemnity cap to €2 million", "Written notice 60 days before any model change",
         "Keep clause 9.2 (no training on our data) in the signed DPA"),
        figures={"text-tokens": 2.1e12},
        answers={"image-count": NA, "audio-hours": NA, "video-hours": NA},
    ),
    SampleVendor(
        "Brightwave Insights", "Audience Studio", "https://brightwave.example",
        "Audience segmentation and campaign analytics with a chat assistant for marketers.",
        {"training-data": 1, "capabilities": 2, "gdpr": 3, "copyright": 2, "ai-act": 2, "viability": 2},
        EvidenceStrength.ASSERTION,
        (
            SampleClaim("own-model", "Brightwave runs on our own proprietary foundation model.", M,
                        "Sales demo", "", "2026-02-03", "Tom Okafor", ClaimStatus.CONTRADICTED,
                        ("training-data:own-model", "viability:model-provider-dependency"),
                        "Their sub-processor list names a third-party LLM API; support confirmed it on 12 Feb.",
                        evidence=("subprocessors", "support-call")),
            SampleClaim("residency", "All EU customer data is stored and processed in Frankfurt.", D,
                        "Brightwave security whitepaper 2025", "7", "2026-02-03", "Tom Okafor",
                        ClaimStatus.DOCUMENTED, ("gdpr:residency-transfers",)),
            SampleClaim("uplift", "Our AI segments beat manual targeting by 30% on conversion.", E,
                        "E-mail from account executive", "", "2026-02-05", "Maya Lind", ClaimStatus.ASSERTED,
                        ("capabilities:evaluations",)),
        ),
        (
            SampleEvidence("subprocessors", "url", "Sub-processor list",
                           url="https://brightwave.example/legal/subprocessors"),
            SampleEvidence("support-call", "note", "Support call 12 Feb",
                           note="Support confirmed the assistant calls a hosted third-party model; no own model."),
        ),
        answers={"text-tokens": ND, "image-count": NA, "audio-hours": NA, "video-hours": NA},
    ),
    SampleVendor(
        "Pixelmuse Studio", "Ad Creative Generator", "https://pixelmuse.example",
        "Generates display and social ad images in the brand's style.",
        {"training-data": 2, "capabilities": 3, "gdpr": 2, "copyright": 1, "ai-act": 2, "viability": 2},
        EvidenceStrength.DOCUMENTATION,
        (
            SampleClaim("licensed-only", "Every image we generate is commercially safe: our model was trained only "
                        "on licensed stock photography.", U, "https://pixelmuse.example/faq", "", "2026-01-28",
                        "Maya Lind", ClaimStatus.CONTRADICTED,
                        ("training-data:licensed-data",),
                        "Their own training-content summary lists a public web-crawl image set.",
                        evidence=("faq",)),
            SampleClaim("c2pa", "Generated images carry C2PA content credentials.", D, "Pixelmuse product sheet",
                        "2", "2026-01-28", "Maya Lind", ClaimStatus.VERIFIED,
                        ("ai-act:synthetic-content-marking",),
                        "Checked 20 sample images with a C2PA verifier: all carried credentials.",
                        evidence=("c2pa-check",)),
            SampleClaim("images", "The image model was trained on about 400 million images.", D,
                        "Pixelmuse training-content summary", "1", "2026-02-02", "Tom Okafor",
                        ClaimStatus.DOCUMENTED, ("training-data:image-count",)),
        ),
        (
            SampleEvidence("faq", "url", "Pixelmuse FAQ", url="https://pixelmuse.example/faq"),
            SampleEvidence("c2pa-check", "note", "C2PA check",
                           note="20 of 20 sample images verified with content credentials (Maya, 4 Feb)."),
        ),
        figures={"image-count": 4.0e8},
        answers={"text-tokens": NA, "audio-hours": NA, "video-hours": NA},
    ),
    SampleVendor(
        "Nordlicht Personalisation", "Nordlicht Mail AI", "https://nordlicht.example",
        "Send-time and content personalisation for newsletters.",
        {"training-data": 2, "capabilities": 2, "gdpr": 1, "copyright": 2, "ai-act": 1, "viability": 2},
        EvidenceStrength.DOCUMENTATION,
        (
            SampleClaim("no-dpa", "We do not sign customer DPAs; our terms of service cover data protection.", E,
                        "Re: DPA request", "", "2026-02-06", "Tom Okafor", ClaimStatus.DOCUMENTED, ("gdpr:dpa",),
                        evidence=("dpa-refusal",)),
            SampleClaim("nightly", "Personalisation models are retrained nightly on all customers' engagement data.",
                        M, "Technical deep-dive", "", "2026-02-06", "Maya Lind", ClaimStatus.DOCUMENTED,
                        ("gdpr:training-on-customer-data",)),
        ),
        (
            SampleEvidence("dpa-refusal", "note", "DPA refused",
                           note="Vendor refused to sign an Art. 28 DPA by e-mail on 6 Feb 2026."),
        ),
        Decision.NO_GO,
        figures={"text-tokens": 3.0e9},
        answers={"image-count": NA, "audio-hours": NA, "video-hours": NA},
        levels={"dpa": 0, "training-on-customer-data": 1},
    ),
    SampleVendor(
        "Quillstack", "Quillstack SEO Writer", "https://quillstack.example",
        "SEO articles and product descriptions at scale.",
        {"training-data": 1, "capabilities": 2, "gdpr": 2, "copyright": 2, "ai-act": 1, "viability": 1},
        EvidenceStrength.ASSERTION,
        (
            SampleClaim("declined", "We cannot share details about our training data.", Q,
                        "Vendor questionnaire, section 3", "3.1", "2026-02-12", "Tom Okafor", ClaimStatus.DECLINED,
                        ("training-data:source-decomposition", "training-data:text-tokens")),
            SampleClaim("soc2", "A SOC 2 Type II report is available under NDA.", E, "E-mail from sales", "",
                        "2026-02-12", "Tom Okafor", ClaimStatus.ASSERTED, ("viability:security-certifications",)),
        ),
        (SampleEvidence("questionnaire", "url", "Questionnaire reply",
                        url="https://quillstack.example/trust/questionnaire"),),
        Decision.NOT_STARTED,
        answers={"text-tokens": ND, "image-count": NA, "audio-hours": NA, "video-hours": NA},
    ),
)


class _Clock:
    """Fixed, increasing timestamps."""

    def __init__(self) -> None:
        self.t = START

    def tick(self, minutes: int = 3) -> str:
        self.t += dt.timedelta(minutes=minutes)
        return self.t.isoformat().replace("+00:00", "Z")


def _variation(*parts: str) -> int:
    """The second evaluator's deterministic disagreement: -1, 0 or +1."""
    return (-1, 0, 0, 1, 0)[zlib.crc32("/".join(parts).encode()) % 5]


def _score(vendor: SampleVendor, rubric: Rubric, crit: Criterion, evaluator: int,
           claim_links: dict[str, list[str]], at: str) -> dict[str, Any]:
    top = crit.scale.top
    links = claim_links.get(f"{rubric.id}:{crit.id}", [])
    base: dict[str, Any] = {"criterion_id": crit.id, "claim_ids": links, "evidence_ids": [], "updated_at": at,
                            "strength": None if links else str(vendor.strength), "figure": None, "level": None}
    if crit.id in vendor.answers:
        return {**base, "answer": str(vendor.answers[crit.id]), "strength": None,
                "rationale": "Not applicable to this product." if vendor.answers[crit.id] == NA
                else "The vendor did not disclose this."}
    if crit.scale.kind == ScaleKind.NUMERIC and crit.id in vendor.figures:
        figure = vendor.figures[crit.id]
        return {**base, "answer": "level", "level": crit.scale.level_for_figure(figure), "figure": figure,
                "rationale": f"Vendor figure: {figure:,.0f} {crit.scale.unit or ''}".rstrip()}
    if crit.id in vendor.levels:
        level = vendor.levels[crit.id]
    else:
        level = round(vendor.base.get(rubric.id, 2) * top / 4)
        if evaluator == 1:
            level += _variation(vendor.name, rubric.id, crit.id)
        level = max(0, min(top, level))
        if crit.knockout_below is not None:
            level = max(level, crit.knockout_below)  # only the sample's knocked-out vendor fails a knock-out
    label = crit.scale.describe(level).label
    return {**base, "answer": "level", "level": level,
            "rationale": f"{label}: {'as the linked claim shows' if links else 'from the documents reviewed'}."}


def sample_document(ws: Workspace) -> wf.WorkspaceDocument:
    """The sample workspace as a workspace file document, scored against the installed rubrics."""
    rubrics = [r for r in (ws.library.latest(rid) for rid in SAMPLE_RUBRICS) if r is not None]
    if not rubrics:
        raise ServiceError("The sample needs the shipped rubrics (training-data, gdpr, ...); none is installed.")
    clock = _Clock()
    audit: list[dict[str, Any]] = []

    def log(action: str, entity: str, entity_id: str, vendor_id: str | None, summary: str, at: str,
            actor: str = EVALUATORS[0], **kw: Any) -> None:
        audit.append({"id": len(audit) + 1, "at": at, "actor": actor, "action": action, "entity": entity,
                      "entity_id": entity_id, "vendor_id": vendor_id, "summary": summary, "field": kw.get("field", ""),
                      "old": kw.get("old"), "new": kw.get("new")})

    data: dict[str, Any] = {"format": wf.FORMAT, "format_version": wf.FORMAT_VERSION, "vendors": [], "claims": [],
                            "evidence": [], "files": [], "scorecards": [], "agreed_scores": [],
                            "weight_profiles": [], "settings": {}, "trusted_keys": [], "audit": audit,
                            "conditions": {"records": [], "dropped": []},
                            "rubrics": [{"content_hash": r.content_hash, "origin": "shipped",
                                         "added_at": START.isoformat().replace("+00:00", "Z"),
                                         "rubric": r.model_dump(mode="json")} for r in rubrics]}
    known = {f"{r.id}:{c.id}" for r in rubrics for c in r.criteria}
    for vendor in VENDORS:
        vid = sample_id("vendor", vendor.name)
        created = clock.tick(60)
        log("create", "vendor", vid, vid, f"Created vendor {vendor.name}", created, new=vendor.name)
        evidence_ids = {}
        for ev in vendor.evidence:
            eid = sample_id("evidence", vendor.name, ev.key)
            evidence_ids[ev.key] = eid
            item: dict[str, Any] = {"id": eid, "vendor_id": vid, "kind": ev.kind, "title": ev.title, "url": ev.url,
                                    "note": ev.note, "created_at": clock.tick()}
            if ev.kind == "file" and ev.file_text is not None:
                raw = ev.file_text.encode("utf-8")
                sha = hashlib.sha256(raw).hexdigest()
                item.update(sha256=sha, original_name=ev.file_name, size=len(raw))
                data["files"].append(wf.file_entry(sha, raw))
            data["evidence"].append(item)
            log("create", "evidence", eid, vid, f"Added {ev.kind} evidence", item["created_at"],
                new=ev.file_name or ev.url or ev.title)
        claim_links: dict[str, list[str]] = {}
        for c in vendor.claims:
            cid = sample_id("claim", vendor.name, c.key)
            refs = [r for r in c.criteria if r in known]
            for r in refs:
                claim_links.setdefault(r, []).append(cid)
            at = clock.tick()
            data["claims"].append({
                "id": cid, "vendor_id": vid, "text": c.text, "source_kind": str(c.source_kind), "source": c.source,
                "page": c.page, "said_on": c.said_on, "said_to": c.said_to, "status": str(c.status),
                "status_note": c.status_note,
                "criteria": [{"rubric_id": r.partition(":")[0], "criterion_id": r.partition(":")[2]} for r in refs],
                "evidence_ids": [evidence_ids[k] for k in c.evidence], "created_at": at, "updated_at": at})
            log("create", "claim", cid, vid, "Recorded a claim", at, new=c.text[:200])
            if c.status != ClaimStatus.ASSERTED:
                log("status", "claim", cid, vid, f"Claim status: {c.status.label}", at, field="status",
                    old="Asserted", new=c.status.label)
        for rubric in rubrics:
            for e, evaluator in enumerate(EVALUATORS):
                card_id = sample_id("scorecard", vendor.name, rubric.id, evaluator)
                at = clock.tick(20)
                scores = {c.id: _score(vendor, rubric, c, e, claim_links, at) for c in rubric.criteria}
                data["scorecards"].append({
                    "id": card_id, "vendor_id": vid, "rubric_id": rubric.id, "rubric_version": rubric.version,
                    "rubric_hash": rubric.content_hash, "evaluator": evaluator, "status": "submitted", "version": 1,
                    "scores": scores, "created_at": at, "updated_at": at, "submitted_at": at})
                log("create", "scorecard", card_id, vid, f"Started scoring {vendor.name} against {rubric.title}",
                    at, actor=evaluator, new=f"{rubric.id} {rubric.version}")
                log("submit", "scorecard", card_id, vid, f"Submitted {rubric.id} scorecard v1", at, actor=evaluator,
                    field="status", old="draft v1", new="submitted v1")
        decided = clock.tick(30)
        data["vendors"].append({
            "id": vid, "name": vendor.name, "product": vendor.product, "website": vendor.website,
            "description": vendor.description, "decision": str(vendor.decision),
            "conditions": list(vendor.conditions), "archived": False, "created_at": created, "updated_at": decided})
        if vendor.decision != Decision.NOT_STARTED:
            log("decide", "vendor", vid, vid, f"Decision on {vendor.name}: {vendor.decision.label}", decided,
                actor=EVALUATORS[1], field="decision", old="Not started", new=vendor.decision.label)
        data["conditions"]["records"] += [  # fixed ids and dates (records with fresh ones differ run to run)
            {"id": sample_id("condition", vendor.name, str(n)), "vendor_id": vid, "number": n, "text": text,
             "created_at": decided, "updated_at": decided} for n, text in enumerate(vendor.conditions, start=1)]
        if vendor.conditions:
            log("decide", "vendor", vid, vid, f"Conditions for {vendor.name} changed", decided, actor=EVALUATORS[1],
                field="conditions", old="", new="; ".join(vendor.conditions))
    data["commercials"], data["risks"] = [], []
    for vendor in VENDORS:
        terms = COMMERCIALS.get(vendor.name)
        if terms is not None:
            vid, at = sample_id("vendor", vendor.name), clock.tick(5)
            claim = terms.get("benefit_claim")
            record = {**terms, "benefit_claim": sample_id("claim", *claim) if claim else ""}
            data["commercials"].append({"vendor_id": vid, **record, "updated_at": at})
            log("update", "commercials", vid, vid, f"Commercials of {vendor.name} recorded", at, actor=EVALUATORS[1])
    for (kind, name, criterion), (owner, mitigation, residual) in RISK_NOTES.items():
        vid = sample_id("vendor", name) if name else ""
        at = clock.tick(5)
        data["risks"].append({"kind": kind, "vendor_id": vid, "criterion": criterion, "owner": owner,
                              "mitigation": mitigation, "residual": residual, "updated_at": at})
        log("update", "risk", f"{kind}|{vid}|{criterion}", vid or None, f"Risk {kind}: owner {owner}", at,
            field="owner", new=owner)
    caps = next((r for r in rubrics if r.id == "capabilities"), None)
    if caps is not None and "evaluations" in caps.criterion_ids():
        vid = sample_id("vendor", VENDORS[0].name)
        at = clock.tick()
        data["agreed_scores"].append({
            "vendor_id": vid, "rubric_id": caps.id, "rubric_hash": caps.content_hash, "criterion_id": "evaluations",
            "answer": "level", "level": 3, "strength": str(EvidenceStrength.DOCUMENTATION),
            "rationale": "Panel review: published benchmark with numbers, not yet reproduced by us.",
            "agreed_by": f"{EVALUATORS[0]}; {EVALUATORS[1]}", "agreed_at": at})
        log("agree", "agreed_score", f"{vid}:{caps.id}:evaluations", vid, "Agreed score for Evaluations", at,
            new="level 3")
    current = load_settings(ws)
    if not current.organisation:
        # Restored with the rest of the sample in one transaction and with a fixed date (save_settings would
        # write apart, stamped now, and make the sample differ from run to run); a user's own name is kept.
        wanted = AppSettings.model_validate({**current.model_dump(), "organisation": ORGANISATION})
        data["settings"]["organisation"] = wanted.organisation
        log("settings", "settings", "organisation", None, "Changed setting organisation", clock.tick(),
            field="organisation", old="", new=wanted.organisation)
    return wf.WorkspaceDocument.model_validate(data)


def load_sample(ws: Workspace) -> ImportResult:
    """Fill an EMPTY workspace with the sample (ServiceError, nothing written, if it is not empty)."""
    counts = ws.store.table_counts()
    used = {k: n for k, n in counts.items()
            if k in ("vendors", "claims", "evidence", "scorecards", "agreed_scores", "audit") and n}
    if used:
        what = ", ".join(counted(n, k.replace("_", " ")) for k, n in used.items())
        raise ServiceError(f"The workspace in {ws.data_dir} is not empty ({what}); the sample only goes into an "
                           "empty workspace. Use another data folder (--data-dir).")
    doc = sample_document(ws)
    return ExchangeService(ws).import_workspace(doc, "sample workspace")
