"""Use cases of ageing: dates on evidence and claims, the reassessment cadence, what is due, and the
scores put "to re-check" by a new model version or an expired certificate (docs/baselines.md, "Ageing")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ..domain.ageing import (
    DateRuleError,
    DueItem,
    Recheck,
    Trigger,
    cadence_months,
    check_cadence,
    check_evidence_dates,
    claim_due,
    evidence_due,
    soonest_first,
    to_recheck,
    vendor_due,
)
from ..domain.models import Claim, Evidence, EvidenceHead, EvidenceKind
from ..domain.rubric import revised_criteria
from .workspace import NotFound, ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace


_T = TypeVar("_T", Claim, Evidence)


def today() -> dt.date:
    """Today's date in UTC (the app's "as of" unless a brief names its own date)."""
    return dt.datetime.now(dt.UTC).date()


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class EvidenceDates:
    """An evidence record's own dates."""

    effective_on: dt.date | None
    valid_until: dt.date | None


class AgeingService:
    """Dates, cadences, what is due and what to re-check."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def high_risk(self, vendor_id: str) -> bool:
        """Whether a vendor's use is high-risk (AI Act Annex III), which halves its default cadence.

        The engagement context answers it (``annex-iii`` = yes); unanswered, the vendor is not.
        """
        return self.ws.contexts.get(vendor_id).get("annex-iii") == "yes"

    # --- finding what the user names ----------------------------------------------------------

    def find_evidence(self, vendor_id: str, ref: str) -> Evidence:
        """A vendor's evidence by id (or its first 6+ characters), title, file name or a unique part of them."""
        items = self.ws.store.evidence(vendor_id)
        return _pick(items, ref, _title, "evidence", self.ws.vendors.get(vendor_id).name)

    def find_claim(self, vendor_id: str, ref: str) -> Claim:
        """A vendor's claim by id (or its first 6+ characters) or a unique part of its text."""
        return _pick(self.ws.store.claims(vendor_id), ref, lambda c: c.text, "claim",
                     self.ws.vendors.get(vendor_id).name)

    # --- dates ---------------------------------------------------------------------------------

    def evidence_dates(self, evidence_id: str) -> EvidenceDates:
        """The effective and valid-until dates of one evidence record (None where not given)."""
        effective, until = self.ws.store.evidence_dates().get(evidence_id, (None, None))
        return EvidenceDates(_date(effective), _date(until))

    def evidence_dates_by_id(self) -> dict[str, EvidenceDates]:
        """The dates of every evidence record that has any, by evidence id (one read, for a list)."""
        return {eid: EvidenceDates(_date(effective), _date(until))
                for eid, (effective, until) in self.ws.store.evidence_dates().items()}

    def set_evidence_dates(self, evidence_id: str, effective_on: dt.date | None,
                           valid_until: dt.date | None) -> EvidenceDates:
        """Record when a document was issued and until when it is valid (a certificate, a SOC report)."""
        item = self.ws.evidence.get(evidence_id)
        try:
            check_evidence_dates(effective_on, valid_until, today())
        except DateRuleError as exc:
            raise ServiceError(f"Evidence \u201c{_title(item)}\u201d: {exc}") from None
        old = self.evidence_dates(evidence_id)
        new = EvidenceDates(effective_on, valid_until)
        if new == old:
            return old
        with self.ws.unit_of_work() as uow:
            self.ws.store.set_evidence_dates(evidence_id, _iso(effective_on), _iso(valid_until), uow.at)
            uow.audit("update", "evidence", evidence_id, vendor_id=item.vendor_id, field="dates",
                      old=_dates_text(old), new=_dates_text(new),
                      summary=f"Evidence \u201c{_title(item)}\u201d: {_dates_text(new)}")
            uow.changed("evidence", evidence_id, item.vendor_id)
        return new

    def review_by(self, claim_id: str) -> dt.date | None:
        """A claim's review-by date."""
        return _date(self.ws.store.claim_reviews().get(claim_id))

    def set_review_by(self, claim_id: str, review_by: dt.date | None) -> dt.date | None:
        """Set (or with None, clear) the date by which a claim should be looked at again."""
        claim = self.ws.claims.get(claim_id)
        old = self.review_by(claim_id)
        if old == review_by:
            return old
        with self.ws.unit_of_work() as uow:
            self.ws.store.set_claim_review(claim_id, _iso(review_by), uow.at)
            uow.audit("update", "claim", claim_id, vendor_id=claim.vendor_id, field="review_by",
                      old=_iso(old) or "none", new=_iso(review_by) or "none",
                      summary=f"Claim review by {_iso(review_by) or 'no date'}")
            uow.changed("claim", claim_id, claim.vendor_id)
        return review_by

    def cadence(self, vendor_id: str) -> tuple[int, bool]:
        """(months, chosen): the vendor's reassessment cadence and whether it was chosen or is the default."""
        self.ws.vendors.get(vendor_id)
        chosen = self.ws.store.cadences().get(vendor_id)
        return cadence_months(chosen, high_risk=self.high_risk(vendor_id)), chosen is not None

    def set_cadence(self, vendor_id: str, months: int | None) -> int:
        """Choose a vendor's cadence in months (None: back to the default)."""
        vendor = self.ws.vendors.get(vendor_id)
        if months is not None:
            try:
                check_cadence(months)
            except DateRuleError as exc:
                raise ServiceError(f"{vendor.name}: {exc}") from None
        old, chosen = self.cadence(vendor_id)
        with self.ws.unit_of_work() as uow:
            self.ws.store.set_cadence(vendor_id, months, uow.at)
            uow.audit("update", "vendor", vendor_id, vendor_id=vendor_id, field="cadence",
                      old=f"{old} months" + ("" if chosen else " (default)"),
                      new="default" if months is None else f"{months} months",
                      summary=f"{vendor.name}: reassessment "
                              + ("back to the default" if months is None else f"every {months} months"))
            uow.changed("vendor", vendor_id, vendor_id)
        return self.cadence(vendor_id)[0]

    # --- what is due --------------------------------------------------------------------------

    def due(self, as_of: dt.date | None = None, vendor_ids: Iterable[str] | None = None,
            *, include_current: bool = False) -> list[DueItem]:
        """Stale and due-soon items, soonest first (``include_current``: every dated item)."""
        as_of = as_of or today()
        wanted = set(vendor_ids) if vendor_ids is not None else None
        if wanted is not None and len(wanted) <= 20:  # a few (after an edit: one), not the workspace's hundreds
            found = (self.ws.store.vendor(i) for i in sorted(wanted))
            vendors = sorted((v for v in found if v is not None), key=lambda v: (v.name.casefold(), v.id))
        else:
            vendors = [v for v in self.ws.store.vendors() if wanted is None or v.id in wanted]
        vendors = [v for v in vendors if not v.archived]
        dates = self.ws.store.evidence_dates()
        chosen = self.ws.store.cadences()
        by_vendor: dict[str, list[EvidenceHead]] = {}
        for e in self.ws.store.evidence_heads():  # ids, dates and names only: no record is validated
            by_vendor.setdefault(e.vendor_id, []).append(e)
        claims: dict[str, list[tuple[str, str, str]]] = {}  # only claims with a review-by date are due
        for claim_id, vendor_id, text, review_by in self.ws.store.claim_review_heads():
            claims.setdefault(vendor_id, []).append((claim_id, text, review_by))
        last_changed = self.ws.store.scorecards_last_changed()
        contexts = self.ws.contexts.all()  # one read, not one per vendor
        items: list[DueItem] = []
        for v in vendors:
            context = contexts.get(v.id)
            high_risk = context is not None and context.get("annex-iii") == "yes"
            cadence = cadence_months(chosen.get(v.id), high_risk=high_risk)
            last = last_changed.get(v.id)
            if last:
                items.append(vendor_due(v.id, v.name, dt.date.fromisoformat(last[:10]), cadence))
            for e in by_vendor.get(v.id, []):
                effective, until = dates.get(e.id, (None, None))
                items.append(evidence_due(v.id, v.name, e.id, _title(e), dt.date.fromisoformat(e.created_at[:10]),
                                          _date(effective), _date(until), cadence))
            for claim_id, text, review_by in claims.get(v.id, []):
                items.append(claim_due(v.id, v.name, claim_id, text, dt.date.fromisoformat(review_by)))
        if not include_current:
            items = [i for i in items if i.status(as_of) != "current"]
        return soonest_first(items)

    def stale_lines(self, vendor_ids: list[str], as_of: dt.date | None = None) -> dict[str, tuple[str, ...]]:
        """Per vendor, its items past their date as of a day, one line each (the vendor list's Review column)."""
        if not vendor_ids:
            return {}
        as_of = as_of or today()
        out: dict[str, list[str]] = {}
        for i in self.stale_items(vendor_ids, as_of):
            out.setdefault(i.vendor_id, []).append(i.line(as_of))
        return {k: tuple(v) for k, v in out.items()}

    def stale_items(self, vendor_ids: list[str], as_of: dt.date | None = None) -> list[DueItem]:
        """These vendors' items past their date as of a day (default today), soonest first."""
        as_of = as_of or today()
        return [i for i in self.due(as_of, vendor_ids) if i.stale(as_of)]

    def stale(self, vendor_id: str, as_of: dt.date | None = None) -> list[DueItem]:
        """A vendor's stale items (past their date) as of a day."""
        return self.stale_items([vendor_id], as_of)

    # --- to re-check --------------------------------------------------------------------------

    def triggers(self, vendor_id: str, as_of: dt.date | None = None) -> list[tuple[Trigger, frozenset[str]]]:
        """What happened for a vendor that may change its scores, with the criteria or evidence it bears on."""
        from .supply_chain import relevance

        as_of = as_of or today()
        out: list[tuple[Trigger, frozenset[str]]] = []
        model_criteria = frozenset(relevance())
        for entry in self.ws.store.audit(vendor_id):
            if entry.entity == "model" and entry.field == "version":
                out.append((Trigger(f"model:{entry.entity_id}:{entry.new}", entry.at, entry.summary), model_criteria))
            elif entry.entity == "scorecard" and entry.action == "upgrade":
                out.extend(self._upgrade_triggers(entry.entity_id, entry.old or "", entry.at))
        dates = self.ws.store.evidence_dates()
        evidence = self.ws.store.evidence(vendor_id)
        out.extend(_changed_documents(evidence))
        for e in evidence:
            until = _date(dates.get(e.id, (None, None))[1])
            if until is not None and until < as_of:
                expired_at = f"{(until + dt.timedelta(days=1)).isoformat()}T00:00:00Z"
                out.append((Trigger(f"expired:{e.id}", expired_at,
                                    f"evidence \u201c{_title(e)}\u201d expired on {until.isoformat()}"),
                            frozenset({e.id})))
        return out

    def _upgrade_triggers(self, card_id: str, old: str, at: str) -> list[tuple[Trigger, frozenset[str]]]:
        """After an upgrade, the carried-over scores whose criterion's rules changed (knock-out, guidance…)."""
        card = self.ws.store.scorecard(card_id)
        rubric_id, _, version = old.partition(" ")
        if card is None or not version:
            return []
        before = self.ws.library.get(rubric_id, version)
        after = self.ws.library.get(card.rubric_id, card.rubric_version)
        if before is None or after is None:
            return []
        return [(Trigger(f"upgrade:{card_id}:{cid}", at,
                         f"{after.title} {version} → {after.version}: the criterion's {what} changed"),
                 frozenset({f"{card_id}|{card.rubric_id}:{cid}"}))
                for cid, what in revised_criteria(before, after).items()]

    def rechecks(self, vendor_id: str, as_of: dt.date | None = None) -> list[Recheck]:
        """The vendor's scores marked "to re-check", with the reason."""
        triggers = self.triggers(vendor_id, as_of)
        if not triggers:
            return []
        claim_evidence = {c.id: set(c.evidence_ids) for c in self.ws.store.claims(vendor_id)}
        scores = []
        for card in self.ws.store.scorecards(vendor_id):
            for s in card.scores.values():
                evidence = set(s.evidence_ids)
                for cid in s.claim_ids:
                    evidence |= claim_evidence.get(cid, set())
                scores.append((card.id, f"{card.rubric_id}:{s.criterion_id}", s.updated_at, frozenset(evidence)))
        return to_recheck(scores, triggers, self.ws.store.recheck_confirmations())

    def confirm(self, scorecard_id: str, criterion_id: str, note: str = "") -> int:
        """An evaluator confirms a score marked to re-check (every reason at once); returns how many."""
        card = self.ws.store.scorecard(scorecard_id)
        if card is None:
            raise NotFound(f"No scorecard {scorecard_id}")
        pending = [r for r in self.rechecks(card.vendor_id)
                   if r.scorecard_id == scorecard_id and r.criterion_id == criterion_id]
        if not pending:
            raise ServiceError(f"{card.rubric_id}:{criterion_id} on {card.evaluator}'s scorecard is not marked "
                               "to re-check")
        with self.ws.unit_of_work() as uow:
            for r in pending:
                self.ws.store.confirm_recheck(scorecard_id, criterion_id, r.trigger.key, uow.at, uow.actor, note)
                uow.audit("confirm", "score", f"{scorecard_id}:{criterion_id}", vendor_id=card.vendor_id,
                          field="recheck", old=r.trigger.reason, new="confirmed",
                          summary=f"Re-checked {card.rubric_id}:{criterion_id} after {r.trigger.reason}"
                                  + (f": {note}" if note else ""))
            uow.changed("scorecard", scorecard_id, card.vendor_id)
        return len(pending)


def _pick(items: list[_T], ref: str, text: Callable[[_T], str], what: str, vendor: str) -> _T:
    wanted = " ".join(ref.split()).casefold()
    hits = [i for i in items if i.id == ref or (len(ref) >= 6 and i.id.startswith(ref))]
    if not hits:
        hits = [i for i in items if " ".join(text(i).split()).casefold() == wanted]
    if not hits and wanted:
        hits = [i for i in items if wanted in " ".join(text(i).split()).casefold()]
    if not hits:
        raise NotFound(f"{vendor}: no {what} '{ref}'")
    if len(hits) > 1:
        listed = "; ".join(f"{i.id[:8]} {text(i)[:50]}" for i in hits[:5])
        raise ServiceError(f"{vendor}: '{ref}' matches {len(hits)} {what} records; give more of it or the id: "
                           f"{listed}")
    return hits[0]


def _changed_documents(evidence: Iterable[Evidence]) -> list[tuple[Trigger, frozenset[str]]]:
    """A stored document whose file came in again with the same name but other bytes (a new SHA-256): the
    scores resting on the older copy — directly or through the claims taken from it — are to re-check.

    One trigger per older copy, from the newest different copy (keyed by its SHA-256, so a third version
    marks a score again after it was confirmed against the second).
    """
    by_name: dict[str, list[Evidence]] = {}
    for e in evidence:
        if e.kind == EvidenceKind.FILE and e.sha256 and e.original_name:
            by_name.setdefault(e.original_name.casefold(), []).append(e)
    out = []
    for copies in by_name.values():
        copies.sort(key=lambda e: e.created_at)  # stable: within one second, the order they were recorded in
        for i, older in enumerate(copies):
            newer = [n for n in copies[i + 1:] if n.sha256 != older.sha256 and n.created_at >= older.created_at]
            if not newer:
                continue
            latest = newer[-1]
            out.append((Trigger(f"document:{older.id}:{latest.sha256}", latest.created_at,
                                f"source document \u201c{older.original_name}\u201d changed (a new version came in on "
                                f"{latest.created_at[:10]}; SHA-256 {str(latest.sha256)[:12]}…)"),
                        frozenset({older.id})))
    return out


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _title(e: Evidence | EvidenceHead) -> str:
    return e.title or e.original_name or e.url or (e.note[:60] if e.note else e.id[:8])


def _dates_text(d: EvidenceDates) -> str:
    parts = []
    if d.effective_on:
        parts.append(f"issued {d.effective_on.isoformat()}")
    if d.valid_until:
        parts.append(f"valid until {d.valid_until.isoformat()}")
    return ", ".join(parts) or "no dates"
