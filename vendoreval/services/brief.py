"""Use case: gather the data for a board brief, fingerprint it, render the PDF, and verify a PDF later."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import files
from ..domain.analysis import DEFAULT_SAMPLES, DEFAULT_SEED, Comparison
from ..domain.models import AgreedScore, Claim, Evidence, Scorecard, Vendor
from ..domain.risks import Risk
from ..reports.brief_data import (
    PURPOSES,
    AreaInput,
    BriefData,
    BriefInput,
    BriefOptions,
    RankInput,
    VendorRecord,
    build_brief,
)
from .comparison import ComparisonService, cost_chart, cost_text
from .public_record import public_records
from .settings import logo_bytes
from .signals import signals_of
from .workspace import ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace

#: Timestamps change on every save without changing what a record says: the fingerprint leaves them out.
_VOLATILE = {"created_at", "updated_at", "submitted_at", "agreed_at"}
FINGERPRINT_FORMAT = 1


class VerifyStatus(Enum):
    """What `--verify` found."""

    MATCH = "match"
    CHANGED = "changed"  # the workspace no longer holds the data the brief was made from
    ALTERED = "altered"  # the workspace still does, but the file's bytes were changed after export
    NOT_A_BRIEF = "not_a_brief"


@dataclass(frozen=True)
class VerifyResult:
    """The verdict on a PDF, with the fingerprints compared and a message for the user."""

    status: VerifyStatus
    message: str
    stored: str = ""
    current: str = ""


#: ``BriefRequest.fallback`` when the procurement stops if the conditions fail.
FALLBACK_STOP = "stop"

#: The ask's text fields of a request, stored in the PDF only when given.
_ASK_TEXTS = ("owner", "owner_role", "agenda_item", "paper", "paper_version", "author", "contract_to")


class BriefError(ServiceError):
    """A brief request refused; ``field`` names the setting to change (fallback, purpose, ...)."""


@dataclass(frozen=True)
class BriefRequest:
    """What the user asked for at export (vendor ids None: every vendor not archived).

    The ask (owner … contract_by) feeds the cover's document control and the draft resolution;
    ``fallback`` is a vendor id, ``FALLBACK_STOP`` or '' (none).
    """

    date: dt.date
    title: str = ""
    decision: str = ""
    vendor_ids: tuple[str, ...] | None = None
    profile: str | None = None
    owner: str = ""
    owner_role: str = ""
    meeting_date: dt.date | None = None
    agenda_item: str = ""
    paper: str = ""
    paper_version: str = ""
    author: str = ""
    purpose: str = "decision"
    fallback: str = ""
    contract_to: str = ""
    contract_by: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        """The request as plain data (stored in the PDF so --verify can rebuild the same brief).

        The ask's keys are written only when given, so a request without them has the bytes (and the
        fingerprint) it had before they existed.
        """
        data: dict[str, Any] = {
            "date": self.date.isoformat(),
            "title": self.title,
            "decision": self.decision,
            "vendor_ids": None if self.vendor_ids is None else list(self.vendor_ids),
            "profile": self.profile,
        }
        for key in _ASK_TEXTS:
            if getattr(self, key):
                data[key] = getattr(self, key)
        for key in ("meeting_date", "contract_by"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value.isoformat()
        if self.purpose != "decision":
            data["purpose"] = self.purpose
        if self.fallback:
            data["fallback"] = self.fallback
        return data

    @classmethod
    def from_json(cls, data: Any) -> BriefRequest:
        """Read a request stored by ``as_json``; ValueError when it is malformed."""
        if not isinstance(data, dict):
            raise ValueError("options are not an object")
        ids = data.get("vendor_ids")
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            raise ValueError("vendor_ids is not a list of ids")
        profile = data.get("profile")
        purpose = str(data.get("purpose") or "decision")
        if purpose not in PURPOSES:
            raise ValueError(f"purpose '{purpose}' is not one of {', '.join(PURPOSES)}")

        def day(key: str) -> dt.date | None:
            value = data.get(key)
            return None if value is None else dt.date.fromisoformat(str(value))

        return cls(
            date=dt.date.fromisoformat(str(data["date"])),
            title=str(data.get("title") or ""),
            decision=str(data.get("decision") or ""),
            vendor_ids=None if ids is None else tuple(ids),
            profile=None if profile is None else str(profile),
            meeting_date=day("meeting_date"),
            contract_by=day("contract_by"),
            purpose=purpose,
            fallback=str(data.get("fallback") or ""),
            **{key: str(data.get(key) or "") for key in _ASK_TEXTS},
        )


@dataclass(frozen=True)
class BriefResult:
    """A rendered brief: where, how many pages, and its fingerprint."""

    path: Path
    pages: int
    fingerprint: str
    data: BriefData
    annex: Path | None = None  # the annex's own PDF, when it was asked for apart
    annex_pages: int = 0


def _plain(model: Any) -> Any:
    """A pydantic model (or list of them) as JSON data without volatile timestamps."""
    if isinstance(model, list | tuple):
        return [_plain(m) for m in model]
    data = model.model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in _VOLATILE}


def _scorecard(card: Scorecard) -> dict[str, Any]:
    data = _plain(card)
    data["scores"] = {cid: {k: v for k, v in s.items() if k not in _VOLATILE}
                      for cid, s in sorted(data["scores"].items())}
    return dict(data)


def canonical_json(data: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class BriefService:
    """Builds board briefs from the workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def settings(self) -> tuple[str, bytes | None]:
        """Organisation name and the logo's bytes (from the evidence store) from the settings (empty / None)."""
        org = self.ws.store.settings().get("organisation")
        return (org.strip() if isinstance(org, str) else ""), logo_bytes(self.ws)

    def resolve_vendors(self, names: Iterable[str]) -> tuple[str, ...]:
        """Vendor ids for names given on the command line (NotFound names the missing one)."""
        return tuple(dict.fromkeys(self.ws.vendors.find(n).id for n in names))

    def gather(self, request: BriefRequest, samples: int = DEFAULT_SAMPLES) -> tuple[BriefInput, Comparison]:
        """Collect everything the brief is built from, with its fingerprint."""
        comparisons = ComparisonService(self.ws)
        profile = comparisons.resolve_profile(request.profile)
        comparison = comparisons.compare(request.vendor_ids, None, profile, samples=samples, seed=DEFAULT_SEED)
        vendor_ids = [r.vendor_id for r in comparison.ranking]
        totals = self.ws.totals.vendor_totals(profile, vendor_ids, comparison.rubric_ids) if vendor_ids else []
        wanted = set(vendor_ids)
        evidence = [e for e in self.ws.store.evidence() if e.vendor_id in wanted]
        organisation, logo = self.settings()
        public = public_records(self.ws, vendor_ids, request.date) if vendor_ids else {}
        agreed: dict[tuple[str, str], dict[str, AgreedScore]] = {}
        for a in self.ws.store.agreed_scores():
            if a.vendor_id in wanted:
                agreed.setdefault((a.vendor_id, a.rubric_hash), {})[a.criterion_id] = a
        vendors: list[VendorRecord] = []
        fallback_name = self.fallback_name(request)
        for t in sorted(totals, key=lambda t: t.vendor.id):
            areas = tuple(
                AreaInput(r.rubric, comparison.weights.get(rid, 1.0), r.scorecards, r.scores, r.score,
                          agreed.get((t.vendor.id, r.rubric.content_hash), {}))
                for rid, r in sorted(t.rubrics.items())
            )
            claims = tuple(sorted(t.claims.values(), key=lambda c: c.id))
            vendors.append(VendorRecord(t.vendor, areas, t.overall, claims,
                                       tuple(sorted((e for e in evidence if e.vendor_id == t.vendor.id),
                                                    key=lambda e: e.id)), t.context,
                                       tuple(public[t.vendor.id].sentences()) if t.vendor.id in public else (),
                                       tuple(self.ws.store.conditions(t.vendor.id))))
        ranking = tuple(
            RankInput(r.vendor_id, r.rank, r.overall, r.claimed, r.knocked_out, tuple(r.knockout_reasons),
                      r.rank_stability)
            for r in comparison.ranking
        )
        options = BriefOptions(
            date=request.date, title=request.title, decision_asked=request.decision, organisation=organisation,
            logo=logo, profile=profile.name, vendor_ids=request.vendor_ids,
            owner=request.owner, owner_role=request.owner_role, meeting_date=request.meeting_date,
            agenda_item=request.agenda_item, paper=request.paper, paper_version=request.paper_version,
            author=request.author, purpose=request.purpose, fallback_vendor=fallback_name,
            fallback_stop=request.fallback == FALLBACK_STOP, contract_to=request.contract_to,
            contract_by=request.contract_by,
        )
        risks = tuple(r for r in self.ws.risks.list(profile=profile, as_of=request.date)
                      if r.vendor_id in wanted or not r.vendor_id) if vendor_ids else ()
        costs = tuple((vid, cost_text(total)) for vid, total in sorted(comparison.total_costs.items())
                      if total is not None and vid in wanted)
        cases = tuple((c.vendor_id, c.category, c.use_case, c.benefit, c.benefit_claim)
                      for c in self.ws.store.commercials_all()
                      if c.vendor_id in wanted and (c.category or c.use_case or c.benefit or c.benefit_claim))
        fingerprint = self.fingerprint(request, profile.model_dump(mode="json"), organisation, logo,
                                       [v.vendor for v in vendors], [c for v in vendors for c in v.claims],
                                       evidence, [c for v in vendors for a in v.areas for c in a.scorecards],
                                       vendors, samples, risks=risks, costs=costs, cases=cases)
        # the brief says how sure in its own block (domain.sensitivity): the per-vendor 'keeps first place in
        # 100 % of 1,000 weightings' sentences, which only move the weights, are left out of the summary
        stability = {r.stability_sentence for r in comparison.ranking if r.stability_sentence}
        solidity = tuple(t for t in comparison.stability_sentences if t not in stability)
        src = BriefInput(options, tuple(vendors), ranking, solidity, fingerprint, samples=samples, risks=risks,
                         costs=costs, cases=cases, signals=signals_of(self.ws, comparison),
                         # the chart's costs are the printed ones (fingerprinted as ``costs``), its scores the ranking's
                         cost_chart=cost_chart(comparison))
        return src, comparison

    def fingerprint(self, request: BriefRequest, profile: dict[str, Any], organisation: str, logo: bytes | None,
                    vendors: list[Vendor], claims: list[Claim], evidence: list[Evidence],
                    cards: list[Scorecard], inputs: list[VendorRecord], samples: int,
                    risks: Iterable[Risk] = (), costs: Iterable[tuple[str, str]] = (),
                    cases: Iterable[tuple[str, ...]] = ()) -> str:
        """SHA-256 over the canonical JSON of exactly the data the brief is built from."""
        logo_hash = hashlib.sha256(logo).hexdigest() if logo else None
        agreed = sorted(
            (a for a in self.ws.store.agreed_scores() if a.vendor_id in {v.id for v in vendors}),
            key=lambda a: (a.vendor_id, a.rubric_hash, a.criterion_id),
        )
        data = {
            "format": FINGERPRINT_FORMAT,
            "request": request.as_json(),
            "samples": samples,
            "seed": DEFAULT_SEED,
            "profile": profile,
            "organisation": organisation,
            "logo_sha256": logo_hash,
            "vendors": _plain(sorted(vendors, key=lambda v: v.id)),
            "claims": _plain(sorted(claims, key=lambda c: c.id)),
            "evidence": _plain(sorted(evidence, key=lambda e: e.id)),
            "scorecards": [_scorecard(c) for c in sorted(cards, key=lambda c: c.id)],
            "agreed": _plain(agreed),
            "rubrics": sorted({(a.rubric.id, a.rubric.version, a.rubric.content_hash)
                               for v in inputs for a in v.areas}),
        }
        contexts = {v.vendor.id: v.context.as_json() for v in inputs if not v.context.is_empty()}
        if contexts:  # only when answered, so briefs made before contexts existed still verify
            data["contexts"] = contexts
        public = {v.vendor.id: list(v.public) for v in inputs if v.public}
        if public:  # likewise: only when there is a public record to show
            data["public_record"] = public
        register = [r.as_json() for r in risks]
        if register:  # only when there is a register, so briefs made before it existed still verify
            data["risks"] = register
        cost_lines = [list(c) for c in costs]
        if cost_lines:
            data["costs"] = cost_lines
        case_lines = [list(c) for c in cases]
        if case_lines:
            data["cases"] = case_lines
        conditions = {v.vendor.id: _plain(list(v.condition_records)) for v in inputs if v.condition_records}
        if conditions:  # likewise: the records' positions and owners, only when there are any
            data["conditions"] = conditions
        if request.fallback and request.fallback != FALLBACK_STOP:  # the fallback vendor's name is printed
            data["fallback_name"] = self.fallback_name(request)
        return hashlib.sha256(canonical_json(data)).hexdigest()

    def fallback_name(self, request: BriefRequest) -> str:
        """The fallback vendor's name ('' for none or stop; NotFound when the vendor is gone)."""
        if not request.fallback or request.fallback == FALLBACK_STOP:
            return ""
        return self.ws.vendors.get(request.fallback).name

    def resolve_fallback(self, text: str) -> str:
        """``BriefRequest.fallback`` for what the user typed: 'stop' (any case) or a vendor's name."""
        text = text.strip()
        if not text:
            return ""
        if text.casefold() == FALLBACK_STOP:
            return FALLBACK_STOP
        return self.ws.vendors.find(text).id

    def build(self, request: BriefRequest, samples: int = DEFAULT_SAMPLES) -> BriefData:
        """The brief's content for a request (BriefError when the fallback is the recommended vendor)."""
        check_dates(request)
        src, _ = self.gather(request, samples)
        data = build_brief(src)
        check_fallback(request, data)
        return data

    def export(self, request: BriefRequest, out: Path,
               progress: Callable[[str], None] | None = None, annex: Path | None = None) -> BriefResult:
        """Build and write the PDF (atomically: a partial file never replaces a good one): the board pack
        with the annex after it, or, with ``annex``, the pack in ``out`` and the annex in its own PDF."""
        say = progress or (lambda _msg: None)
        say("Gathering the data…")
        data = self.build(request)
        say("Drawing the PDF…")
        return write_brief(data, request, out, annex)

    def export_docx(self, request: BriefRequest, out: Path, annex: Path | None = None) -> BriefResult:
        """Build the brief and write its board pack as DOCX (atomically), from the same view-model as the PDF,
        and with ``annex`` the annex as its own PDF. A DOCX is not verified; its properties carry the fingerprint."""
        return write_docx(self.build(request), request, out, annex)

    def verify(self, pdf_path: Path) -> VerifyResult:
        """Whether a brief PDF is, byte for byte, the brief the workspace makes from the request stored in it.

        The request is read from the file and the brief rebuilt from the workspace: a different
        fingerprint means the workspace changed since the export (CHANGED); the same fingerprint but
        other bytes than the rebuilt PDF means the file was altered after it was written (ALTERED): a
        number edited in the page text, a page added, a PDF editor's incremental save.
        """
        import io

        from ..reports.pdf import PARTS, WHOLE, parse_brief_metadata, read_brief_bytes, render_pdf

        try:
            raw = read_brief_bytes(Path(pdf_path))
            meta = parse_brief_metadata(raw)
            stored = str(meta["fingerprint"])
            request = BriefRequest.from_json(meta.get("options"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return VerifyResult(VerifyStatus.NOT_A_BRIEF, f"{pdf_path} is not a vendoreval brief ({exc}).")
        try:
            src, _ = self.gather(request)
        except ServiceError as exc:
            return VerifyResult(VerifyStatus.CHANGED, f"The workspace no longer matches: {exc}", stored, "")
        if src.fingerprint != stored:
            return VerifyResult(
                VerifyStatus.CHANGED,
                f"The workspace has changed since this brief was made (brief {stored[:16]}…, now "
                f"{src.fingerprint[:16]}…).",
                stored, src.fingerprint,
            )
        rebuilt = io.BytesIO()
        part = meta.get("part", WHOLE)
        if part not in PARTS:
            return VerifyResult(VerifyStatus.NOT_A_BRIEF, f"{pdf_path} is not a vendoreval brief (unknown part "
                                f"{str(part)[:40]!r}).", stored, "")
        render_pdf(build_brief(src), rebuilt, request.as_json(), part)
        if rebuilt.getvalue() != raw:
            return VerifyResult(
                VerifyStatus.ALTERED,
                f"{pdf_path} was altered after it was exported: the workspace still holds the data of this brief "
                f"({stored[:16]}…), but the file's bytes are not the ones vendoreval writes for it (its text, pages "
                "or images were edited). Export the brief again rather than trusting this copy.",
                stored, src.fingerprint,
            )
        return VerifyResult(VerifyStatus.MATCH, f"The workspace still matches this brief ({stored[:16]}…), and the "
                            "file is the one vendoreval wrote.", stored, src.fingerprint)


def check_dates(request: BriefRequest) -> None:
    """Refuse a final-contract date before the meeting that is to approve it, or before the brief's own date
    (BriefError naming 'contract-by'): 'the final contract … by 1 January 2026' in a brief of December 2026."""
    by = request.contract_by
    if by is None:
        return
    if request.meeting_date is not None and by < request.meeting_date:
        raise BriefError(f"the final contract is due {by.isoformat()}, before the meeting of "
                         f"{request.meeting_date.isoformat()} that is to approve it: give a later date",
                         field="contract-by")
    if by < request.date:
        raise BriefError(f"the final contract is due {by.isoformat()}, before the brief's own date "
                         f"{request.date.isoformat()}: give a later date", field="contract-by")


def check_fallback(request: BriefRequest, data: BriefData) -> None:
    """Refuse a fallback that is the vendor the brief recommends (BriefError naming 'fallback')."""
    rec = data.summary.recommendation
    if request.fallback and data.recommended_id is not None and request.fallback == data.recommended_id:
        raise BriefError(f"{rec.vendor} is the recommended vendor, so it cannot be the fallback too: name "
                         f"another vendor, or '{FALLBACK_STOP}'", field="fallback")


def write_brief(data: BriefData, request: BriefRequest, out: Path, annex: Path | None = None) -> BriefResult:
    """Render built brief data to PDF atomically (pure work: safe to run off the UI thread): the pack and
    then the annex in ``out``, or with ``annex`` the pack in ``out`` and the annex in ``annex``."""
    from ..reports.pdf import ANNEX, PACK, WHOLE, render_pdf

    out = Path(out)
    if annex is not None and Path(annex).resolve() == out.resolve():
        raise ServiceError(f"The annex cannot be written to the pack's own file {out}.", file=str(out))
    annex_pages = 0
    try:
        with files.atomic_output(out) as fh:
            pages = render_pdf(data, fh, request.as_json(), PACK if annex is not None else WHOLE)
        if annex is not None:
            with files.atomic_output(Path(annex)) as fh:
                annex_pages = render_pdf(data, fh, request.as_json(), ANNEX)
    except files.FileProblem as exc:
        raise ServiceError(str(exc), file=exc.file) from None
    return BriefResult(out, pages, data.fingerprint, data, None if annex is None else Path(annex), annex_pages)


def write_docx(data: BriefData, request: BriefRequest, out: Path, annex: Path | None = None) -> BriefResult:
    """Render built brief data as a DOCX board pack atomically (pure work: safe off the UI thread), and with
    ``annex`` the annex as its own PDF (a DOCX holds the pack only). The result's ``pages`` is 0: a word
    processor lays the DOCX out."""
    from ..reports.docx import render_docx
    from ..reports.pdf import ANNEX, render_pdf

    out = Path(out)
    if annex is not None and Path(annex).resolve() == out.resolve():
        raise ServiceError(f"The annex cannot be written to the pack's own file {out}.", file=str(out))
    annex_pages = 0
    try:
        with files.atomic_output(out) as fh:
            render_docx(data, fh)
        if annex is not None:
            with files.atomic_output(Path(annex)) as fh:
                annex_pages = render_pdf(data, fh, request.as_json(), ANNEX)
    except files.FileProblem as exc:
        raise ServiceError(str(exc), file=exc.file) from None
    return BriefResult(out, 0, data.fingerprint, data, None if annex is None else Path(annex), annex_pages)


def write_any(data: BriefData, request: BriefRequest, out: Path, annex: Path | None = None) -> BriefResult:
    """The board pack in the format its file name asks for (.docx → DOCX, else PDF), with an optional annex PDF."""
    if Path(out).suffix.lower() == ".docx":
        return write_docx(data, request, out, annex)
    return write_brief(data, request, out, annex)
