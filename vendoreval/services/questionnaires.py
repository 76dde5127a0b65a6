"""Use cases on vendor questionnaires: send the open questions as XLSX, take the answers back as claims."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.models import Answer, Claim, ClaimStatus, CriterionRef, SourceKind
from ..domain.rubric import Rubric
from ..domain.rules import newest
from ..domain.text import plural
from ..exchange import ExchangeError
from ..exchange.questionnaire import Questionnaire, QuestionRow, XlsxLimits, read_questionnaire, write_questionnaire
from ..files import display_name
from .workspace import ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace

_SETTLED = {Answer.LEVEL, Answer.DISCLOSED_NO, Answer.NOT_APPLICABLE}


@dataclass(frozen=True)
class QuestionnaireImport:
    """What importing a returned questionnaire did."""

    created: list[Claim]
    unchanged: int
    answered_on: dt.date

    def describe(self) -> str:
        """One line for the user."""
        return (f"{plural(len(self.created), 'claim')} recorded from the questionnaire answered on "
                f"{self.answered_on.isoformat()}; {plural(self.unchanged, 'answer')} "
                f"{'was' if self.unchanged == 1 else 'were'} already recorded.")


class QuestionnaireService:
    """Questionnaires sent to a vendor and the answers that come back."""

    def __init__(self, ws: Workspace, limits: XlsxLimits | None = None) -> None:
        self.ws = ws
        self.limits = limits or XlsxLimits()

    def _rubrics(self, vendor_id: str, rubric_ids: Iterable[str] | None) -> list[Rubric]:
        if rubric_ids:
            out = []
            for rid in rubric_ids:
                r = self.ws.library.latest(rid)
                if r is None:
                    raise ServiceError(f"No rubric '{rid}' (known: {', '.join(self.ws.library.ids())}).")
                out.append(r)
            return out
        by_id: dict[str, list[str]] = defaultdict(list)
        for card in self.ws.store.scorecards(vendor_id=vendor_id):
            by_id[card.rubric_id].append(card.rubric_hash)
        scored = []
        for rid in sorted(by_id):
            rubrics = [r for r in (self.ws.library.by_hash(h) for h in by_id[rid]) if r is not None]
            if rubrics:
                scored.append(newest(rubrics, lambda r: r.version))
        return scored or self.ws.library.latest_all()

    def questions(self, vendor_id: str, rubric_ids: Iterable[str] | None = None,
                  include_answered: bool = False) -> list[QuestionRow]:
        """The open questions for a vendor: criteria no evaluator has settled yet, with the claims on record.

        Without ``rubric_ids`` the rubrics the vendor is scored on are used (every rubric when none).
        """
        self.ws.vendors.get(vendor_id)
        claims = self.ws.store.claims(vendor_id)
        settled: set[tuple[str, str]] = set()
        for card in self.ws.store.scorecards(vendor_id=vendor_id):
            for s in card.scores.values():
                if s.answer in _SETTLED:
                    settled.add((card.rubric_id, s.criterion_id))
        rows = []
        follow_ups = self._follow_ups(claims)
        for rubric in self._rubrics(vendor_id, rubric_ids):
            for c in rubric.criteria:
                if not include_answered and (rubric.id, c.id) in settled:
                    continue
                ref = CriterionRef(rubric_id=rubric.id, criterion_id=c.id)
                linked = [cl for cl in claims if ref in cl.criteria]
                on_record = "\n".join(
                    f"“{cl.text}” ({ClaimStatus(cl.status).label}"
                    + (f"; {cl.source}" if cl.source else "") + ")"
                    for cl in linked
                )
                asked = list(dict.fromkeys(q for cl in linked for q in follow_ups.get(cl.id, ())))
                question = f"{c.title}: {c.question}"
                if asked:
                    question += "\n\nAbout what you told us:\n" + "\n".join(f"• {q}" for q in asked)
                rows.append(QuestionRow(str(ref), rubric.title, question, c.guidance, on_record))
        return rows

    def _follow_ups(self, claims: Iterable[Claim]) -> dict[str, tuple[str, ...]]:
        """The claim finder's questions for each claim not yet verified, from the kind of its words (an
        accuracy figure → the test set and error rates; automation → the share done by people; …)."""
        from ..domain.claim_finder import classify
        from .claim_rules import load_finder_rules

        open_claims = [c for c in claims if c.status != ClaimStatus.VERIFIED]
        if not open_claims:
            return {}
        rules = load_finder_rules(rubrics=self.ws.library.latest_all())
        kinds = {k.id: k for k in rules.kinds}
        out = {}
        for c in open_claims:
            kind = classify(c.text, rules).kind
            if kind in kinds:
                out[c.id] = kinds[kind].questions
        return out

    def export(self, vendor_id: str, path: Path, rubric_ids: Iterable[str] | None = None,
               include_answered: bool = False) -> int:
        """Write the vendor's open questions to an XLSX file; returns the number of questions."""
        vendor = self.ws.vendors.get(vendor_id)
        rows = self.questions(vendor_id, rubric_ids, include_answered)
        if not rows:
            raise ServiceError(f"{vendor.name} has no open questions (use all questions to send them anyway).")
        write_questionnaire(Path(path), Questionnaire(vendor.id, vendor.name, dt.date.today(), self.ws.evaluator,
                                                      rows))
        return len(rows)

    def import_file(self, vendor_id: str, path: Path) -> QuestionnaireImport:
        """Record each answer of a returned questionnaire as a claim (source: vendor questionnaire, its date).

        One transaction, one audit entry per claim; an answer already recorded is not recorded twice.
        Anything wrong with the file (formulas, extra sheets, changed headers, another vendor's file,
        unknown questions) refuses the whole file.
        """
        vendor = self.ws.vendors.get(vendor_id)
        path = Path(path)
        returned = read_questionnaire(path, self.limits)
        if returned.vendor_id != vendor.id:
            raise ExchangeError(f"{path}: this questionnaire was sent to "
                                f"{returned.vendor_name or returned.vendor_id}, not {vendor.name}; nothing imported")
        existing = {(tuple(map(str, c.criteria)), c.text, c.said_on) for c in self.ws.store.claims(vendor_id)
                    if c.source_kind == SourceKind.QUESTIONNAIRE}
        created: list[Claim] = []
        unchanged = 0
        for a in returned.answers:
            ref = CriterionRef.parse(a.ref)
            rubric = self.ws.library.latest(ref.rubric_id)
            if rubric is None or not any(ref.criterion_id in r.criterion_ids()
                                         for r in self.ws.library.versions(ref.rubric_id)):
                raise ExchangeError(f"{path}: Questions!A{a.row}: unknown question '{a.ref}'; nothing imported")
            if ((a.ref,), a.text, returned.answered_on) in existing:
                unchanged += 1
                continue
            source = f"Vendor questionnaire ({display_name(path)})"
            if returned.answered_by:
                source += f", answered by {returned.answered_by}"
            if a.source:
                source += f"; {a.source}"
            created.append(Claim(vendor_id=vendor.id, text=a.text, source_kind=SourceKind.QUESTIONNAIRE,
                                 source=source, page=a.page, said_on=returned.answered_on,
                                 said_to=returned.sent_by, status=ClaimStatus.ASSERTED, criteria=[ref]))
            existing.add(((a.ref,), a.text, returned.answered_on))
        if created:
            with self.ws.unit_of_work() as uow:
                for claim in created:
                    self.ws.store.save_claim(claim)
                    uow.audit("import", "claim", claim.id, vendor_id=vendor.id, field=str(claim.criteria[0]),
                              new=claim.text[:200],
                              summary=f"Answer from the vendor questionnaire {display_name(path)} "
                              f"({returned.answered_on.isoformat()}) recorded as a claim")
                uow.changed("claim", created[0].id, vendor.id)
        return QuestionnaireImport(created, unchanged, returned.answered_on)
