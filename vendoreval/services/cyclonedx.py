"""CycloneDX 1.6 attestations out of and into a workspace (`export --format cyclonedx`, `import`).

The document is built by the pure ``exchange.cyclonedx`` from what this service gathers: each vendor's
claims and evidence, its combined per-criterion results (TotalsService), the evaluators, the ageing
dates. Import reads one organization's claims and evidence back for an existing vendor, in one unit
of work, everything checked first. docs/cyclonedx.md has the mapping.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..domain.models import Claim, Condition, CriterionRef, Evidence, EvidenceKind, utc_now
from ..domain.rubric import Rubric
from ..domain.text import plural
from ..exchange import ExchangeError, write_output
from ..exchange import cyclonedx as cdx
from ..exchange.detect import ImportFormat
from ..files import display_name
from .exchange import ImportResult

if TYPE_CHECKING:
    from .workspace import Workspace

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_EPOCH = "1970-01-01T00:00:00Z"


class CycloneDxService:
    """Export and import of CycloneDX attestations for one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # --- export -------------------------------------------------------------------------------

    def _timestamp(self) -> str:
        """The newest change to what the document carries: the same workspace gives the same time."""
        store = self.ws.store
        stamps = [v.updated_at for v in store.vendors()] + [c.updated_at for c in store.claims()]
        stamps += [e.created_at for e in store.evidence()] + [c.updated_at for c in store.scorecards()]
        return max(stamps, default=_EPOCH)

    def data(self, *, at: str | None = None) -> cdx.CdxInput:
        """What goes into the document; ``at``: metadata.timestamp (default: the newest record's time)."""
        store = self.ws.store
        totals = {t.vendor.id: t for t in self.ws.totals.vendor_totals(include_archived=True)}
        claims_by_vendor: dict[str, list[Claim]] = {}
        for c in store.claims():
            claims_by_vendor.setdefault(c.vendor_id, []).append(c)
        evidence_by_vendor: dict[str, list[Evidence]] = {}
        for e in store.evidence():
            evidence_by_vendor.setdefault(e.vendor_id, []).append(e)
        conditions: dict[str, list[Condition]] = {}
        for cond in store.conditions():
            conditions.setdefault(cond.vendor_id, []).append(cond)
        rubrics: dict[str, Rubric] = {}
        vendors: list[cdx.VendorDeclaration] = []
        for v in store.vendors(include_archived=True):
            results: list[cdx.RequirementResult] = []
            evaluators: list[str] = []
            t = totals.get(v.id)
            if t is not None:
                for rr in t.rubrics.values():
                    rubrics[rr.rubric.content_hash] = rr.rubric
                    for card in rr.scorecards:
                        if card.evaluator not in evaluators:
                            evaluators.append(card.evaluator)
                    for cr in rr.score.criteria:
                        score = rr.scores.get(cr.criterion_id)
                        results.append(cdx.RequirementResult(
                            rr.rubric, cr.criterion_id, None if cr.answer is None else str(cr.answer), cr.level,
                            cr.top, cr.counts, cr.claimed, cr.evidence, cr.strength,
                            score.rationale if score is not None else "", cr.contradicted, cr.declined,
                            cr.not_applicable_reason))
            claims = claims_by_vendor.get(v.id, [])
            for c in claims:
                for ref in c.criteria:
                    if not any(r.id == ref.rubric_id for r in rubrics.values()):
                        latest = self.ws.library.latest(ref.rubric_id)
                        if latest is not None:
                            rubrics[latest.content_hash] = latest
            assessor = evaluators[0] if len(evaluators) == 1 else self.ws.evaluator
            vendors.append(cdx.VendorDeclaration(
                v, claims, evidence_by_vendor.get(v.id, []), results, sorted(evaluators, key=str.casefold), assessor,
                t.overall.claimed if t is not None else None, t.overall.evidence_weighted if t is not None else None,
                conditions.get(v.id, [])))
        recorded_by: dict[str, str] = {}
        for a in store.audit_ascending():
            if a.entity == "evidence" and a.action == "create" and a.entity_id not in recorded_by:
                recorded_by[a.entity_id] = a.actor
        dates = {k: v for k, v in store.evidence_dates().items()}
        return cdx.CdxInput(vendors, list(rubrics.values()), at or self._timestamp(), dates, store.claim_reviews(),
                            recorded_by, __version__)

    def document(self, *, at: str | None = None) -> dict[str, object]:
        """The CycloneDX document as a plain dict."""
        return cdx.build(self.data(at=at))

    def export(self, path: Path, *, at: str | None = None) -> int:
        """Write the document (atomically); returns its size in bytes."""
        raw = cdx.dumps(self.document(at=at))
        write_output(Path(path), raw, parents=True)
        return len(raw)

    # --- import -------------------------------------------------------------------------------

    def import_declarations(self, raw: bytes, source: str, *, vendor: str | None = None) -> ImportResult:
        """Add the claims and evidence a CycloneDX file declares about one existing vendor.

        The vendor is ``vendor`` (a name) or the file's ``targets.organizations[0].name``. A claim or
        evidence record whose bom-ref carries the id of one already here is kept (or, for a claim whose
        words, status or links changed, updated). Nothing is written unless all of it is valid.
        """
        doc = cdx.parse(raw, source, vendor)
        name = vendor if vendor is not None else doc.organization
        fold = " ".join(name.split()).casefold()
        target = next((v for v in self.ws.store.vendors() if " ".join(v.name.split()).casefold() == fold), None)
        where = "--vendor" if vendor is not None else "declarations.targets.organizations[0].name"
        if target is None:
            other = "" if vendor is not None else ", or name one of yours with --vendor"
            raise ExchangeError(f"{source}: {where}: no vendor '{name[:200]}' in this workspace (add it first, e.g. "
                                f"`vendoreval vendors add`{other})", file=source)
        result = ImportResult(source, ImportFormat.CYCLONEDX)
        store = self.ws.store
        now = utc_now()
        ev_ids: dict[str, str] = {}
        new_evidence: list[Evidence] = []
        dates: list[tuple[str, str | None, str | None]] = []
        have_evidence = {e.id: e for e in store.evidence()}
        for e in doc.evidence:
            eid = _own_id(e.ref, "evidence:")
            known = have_evidence.get(eid) if eid else None
            if known is not None and known.vendor_id != target.id:
                raise ExchangeError(f"{source}: {e.path}.bom-ref: evidence {eid} belongs to another vendor here",
                                    file=source)
            if known is not None:
                ev_ids[e.ref] = known.id
                result.kept["evidence"] += 1
                continue
            fields: dict[str, Any] = {"vendor_id": target.id, "title": e.title, "created_at": now}
            if e.url:
                item = Evidence(kind=EvidenceKind.URL, url=e.url, note=e.note, **fields, **({"id": eid} if eid else {}))
            else:
                item = Evidence(kind=EvidenceKind.NOTE, note=e.note or e.title, **fields,
                                **({"id": eid} if eid else {}))
            ev_ids[e.ref] = item.id
            new_evidence.append(item)
            if e.valid_until or e.effective_on:
                if e.valid_until and e.effective_on and e.valid_until < e.effective_on:
                    raise ExchangeError(f"{source}: {e.path}.expires: {e.valid_until} is before the effective date "
                                        f"{e.effective_on}", file=source)
                dates.append((item.id, _iso(e.effective_on), _iso(e.valid_until)))
        planned: list[tuple[Claim, Claim | None]] = []
        reviews: list[tuple[str, str]] = []
        notes: list[str] = []
        for c in doc.claims:
            criteria = []
            for rubric_id, criterion_id in c.criteria:
                if any(cr.id == criterion_id for r in self.ws.library.versions(rubric_id) for cr in r.criteria):
                    criteria.append(CriterionRef(rubric_id=rubric_id, criterion_id=criterion_id))
                else:
                    notes.append(f"{c.path}: criterion {rubric_id}/{criterion_id} is not in this workspace's rubrics; "
                                 "the claim is imported without it")
            cid = _own_id(c.ref, "claim:")
            old = store.claim(cid) if cid else None
            if old is not None and old.vendor_id != target.id:
                raise ExchangeError(f"{source}: {c.path}.bom-ref: claim {cid} belongs to another vendor here",
                                    file=source)
            changes: dict[str, Any] = {"text": c.text, "status": c.status, "status_note": c.status_note,
                                       "criteria": criteria, "evidence_ids": [ev_ids[r] for r in c.evidence_refs]}
            try:
                if old is None:
                    claim = Claim(vendor_id=target.id, created_at=now, updated_at=now, **changes,
                                  **({"id": cid} if cid else {}))
                else:
                    claim = Claim.model_validate({**old.model_dump(), **changes, "updated_at": now})
            except ValueError as exc:
                raise ExchangeError(f"{source}: {c.path}: {str(exc).splitlines()[-1].strip()}", file=source) from None
            planned.append((claim, old))
            if c.review_by is not None:
                reviews.append((claim.id, c.review_by.isoformat()))
        with self.ws.unit_of_work() as uow:
            for item in new_evidence:
                store.save_evidence(item)
                result.added["evidence"] += 1
                uow.audit("create", "evidence", item.id, vendor_id=target.id, new=item.url or item.title,
                          summary=f"Imported {item.kind} evidence ({display_name(source)})")
            for eid, effective, until in dates:
                store.set_evidence_dates(eid, effective, until, uow.at)
            for claim, old in planned:
                if old is not None and _same(old, claim):
                    result.kept["claims"] += 1
                    continue
                store.save_claim(claim)
                (result.added if old is None else result.updated)["claims"] += 1
                uow.audit("create" if old is None else "update", "claim", claim.id, vendor_id=target.id,
                          old=None if old is None else old.text[:200], new=claim.text[:200],
                          summary=f"Imported a claim ({display_name(source)})")
            for claim_id, review in reviews:
                store.set_claim_review(claim_id, review, uow.at)
            uow.audit("import", "import", display_name(source), vendor_id=target.id, new=ImportFormat.CYCLONEDX.value,
                      summary=f"Imported {display_name(source)} for {target.name}: "
                              f"{plural(result.added['claims'], 'new claim')}, "
                              f"{plural(result.added['evidence'], 'new evidence record')}")
            uow.changed("workspace", source)
        result.notes.extend(notes[:20])
        if len(notes) > 20:
            result.notes.append(f"(and {len(notes) - 20} more criteria left out)")
        return result


def _own_id(ref: str, prefix: str) -> str | None:
    """The record id in one of our bom-refs (``claim:<uuid>``), None for a foreign reference."""
    rest = ref.removeprefix(prefix)
    return rest if rest != ref and _UUID.match(rest) else None


def _iso(day: object) -> str | None:
    return None if day is None else str(day)


def _same(a: Claim, b: Claim) -> bool:
    keys = ("text", "status", "status_note", "criteria", "evidence_ids")
    return all(getattr(a, k) == getattr(b, k) for k in keys)
