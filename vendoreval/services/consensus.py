"""Consensus among evaluators: per-criterion levels and spread, agreement figures, agreed scores."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.context import applicability
from ..domain.models import AgreedScore, Answer, EvidenceStrength, Score, Scorecard
from ..domain.rubric import Criterion, Rubric
from ..domain.rules import RuleError, check_score, newest, sentence
from ..domain.scoring import Agreement, agreement, criterion_spreads, scorecards_that_count
from .bundle_records import Dispute, agreed_words
from .identity import IdentityService, group_fingerprint
from .scorecards import describe_score
from .settings import SETTING_TEAM_STATE
from .workspace import NotFound, ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace


@dataclass(frozen=True)
class ConsensusRow:
    """One criterion: each evaluator's answer, the spread of their levels, and the agreed score if any."""

    criterion: Criterion
    answers: dict[str, Score | None]  # evaluator (display name) -> score, None when unscored
    median: int | None
    spread: int | None
    flagged: bool  # evaluators differ by two levels or more
    agreed: AgreedScore | None
    #: Set when the vendor's engagement context rules the criterion out: it is not scored, never flagged
    #: and stays out of the agreement figures (the reason, 'not applicable: …').
    not_applicable_reason: str | None = None
    #: Where the team disagrees on the agreed score (a colleague holds another one that the ownership rule
    #: keeps apart from yours), one sentence each; empty when the team holds the same agreed score.
    team_disagreement: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamDisagreement:
    """An agreed score the team does not hold alike: which one, and the sentence that says so."""

    key: str  # vendor + rubric hash + criterion (the bundle record key)
    vendor_id: str
    rubric_hash: str
    criterion_id: str
    line: str


@dataclass(frozen=True)
class Consensus:
    """A vendor's scorecards on one rubric version, side by side."""

    vendor_id: str
    vendor_name: str
    rubric: Rubric
    evaluators: tuple[str, ...]  # display names, in column order
    scorecards: tuple[Scorecard, ...]
    rows: tuple[ConsensusRow, ...]
    agreement: Agreement

    @property
    def flagged(self) -> list[ConsensusRow]:
        """Rows where evaluators differ by two levels or more."""
        return [r for r in self.rows if r.flagged]


def display_names(cards: list[Scorecard]) -> list[Scorecard]:
    """Cards with evaluator names made unique: two keys under one name get the key's start appended.

    The engine keys levels by evaluator name, so two people both called 'Ann' would otherwise merge.
    """
    counts = Counter(c.evaluator for c in cards)
    out = []
    for c in cards:
        if counts[c.evaluator] > 1:
            tag = (c.evaluator_key or c.id)[:8]
            out.append(c.model_copy(update={"evaluator": f"{c.evaluator} ({tag})"}))
        else:
            out.append(c)
    return out


class ConsensusService:
    """Side-by-side scores of several evaluators, and the agreed scores recorded from them."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def rubrics_for(self, vendor_id: str) -> list[Rubric]:
        """The rubric versions a vendor is scored on (newest version per rubric id), by title."""
        return self._newest_rubrics(self.ws.store.scorecard_rubric_versions(vendor_id)).get(vendor_id, [])

    def vendors_with_rubrics(self) -> set[str]:
        """Ids of the vendors that have a scorecard on a known rubric: one query, no scores read.

        The consensus page lists these; it reads one vendor's scorecards only when that vendor is shown.
        """
        return set(self._newest_rubrics(self.ws.store.scorecard_rubric_versions()))

    def _newest_rubrics(self, headers: list[tuple[str, str, str, str]]) -> dict[str, list[Rubric]]:
        """Per vendor, the newest known rubric version per rubric id, sorted by title."""
        by_id: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for vendor_id, rubric_id, version, content_hash in headers:
            by_id[(vendor_id, rubric_id)].append((version, content_hash))
        out: dict[str, list[Rubric]] = {}
        for (vendor_id, _), versions in by_id.items():
            newest_version = newest(versions, lambda v: v[0])
            rubric = self.ws.library.by_hash(newest_version[1])
            if rubric is not None:
                out.setdefault(vendor_id, []).append(rubric)
        for rubrics in out.values():
            rubrics.sort(key=lambda r: (r.title.casefold(), r.id))
        return out

    def for_vendor(self, vendor_id: str, rubric_id: str) -> Consensus:
        """Each evaluator's answer per criterion of the rubric version that counts, with spreads and agreement.

        The scorecards are the ones the comparison counts (``scorecards_that_count``: latest version per
        evaluator), against the newest rubric version any of them used.
        """
        vendor = self.ws.vendors.get(vendor_id)
        rubric = next((r for r in self.rubrics_for(vendor_id) if r.id == rubric_id), None)
        if rubric is None:
            raise NotFound(f"{vendor.name} has no scorecard against rubric '{rubric_id}'.")
        cards = [c for c in self.ws.store.scorecards(vendor_id, rubric_id) if c.rubric_hash == rubric.content_hash]
        counted = display_names(scorecards_that_count(cards))
        context = self.ws.contexts.get(vendor_id)
        spreads = {s.criterion_id: s for s in criterion_spreads(rubric, counted, context)}
        agreed = {a.criterion_id: a for a in self.ws.store.agreed_scores(vendor_id)
                  if a.rubric_hash == rubric.content_hash}
        disagree: dict[str, list[str]] = defaultdict(list)
        for d in self.team_disagreements(vendor_id):
            if d.rubric_hash == rubric.content_hash:
                disagree[d.criterion_id].append(d.line)
        rows = []
        for criterion in rubric.criteria:
            s = spreads[criterion.id]
            rows.append(ConsensusRow(
                criterion,
                {c.evaluator: c.scores.get(criterion.id) for c in counted},
                s.median,
                s.spread,
                s.flagged,
                agreed.get(criterion.id),
                applicability(criterion, context),
                tuple(disagree.get(criterion.id, ())),
            ))
        return Consensus(vendor.id, vendor.name, rubric, tuple(c.evaluator for c in counted), tuple(counted),
                         tuple(rows), agreement(rubric, counted, context))

    def team_disagreements(self, vendor_id: str | None = None) -> list[TeamDisagreement]:
        """Agreed scores this workspace and a team colleague hold differently, which no sync will reconcile
        by itself (docs/bundles.md, "Who may change what": only its owner's key changes a record):

        - a colleague's bundle carried another answer for one, and it was not taken (the last sync that
          imported their bundle recorded it; it stands while yours still differs from theirs);
        - you changed here an agreed score a colleague's key owns: your change does not replace theirs.
        """
        store = self.ws.store
        mine = {f"{a.vendor_id} {a.rubric_hash} {a.criterion_id}": a for a in store.agreed_scores(vendor_id)}
        out: list[TeamDisagreement] = []
        state = store.settings().get(SETTING_TEAM_STATE)
        disputes = state.get("disputes") if isinstance(state, dict) else None
        for items in (disputes or {}).values():
            for raw in items if isinstance(items, list) else []:
                try:
                    d = Dispute(**raw)
                except TypeError:
                    continue
                local = mine.get(d.key)
                if local is None or agreed_words(local) == d.theirs:
                    continue  # removed here, or settled on theirs since
                out.append(TeamDisagreement(d.key, d.vendor_id, d.rubric_hash, d.criterion_id,
                                            d.line(agreed_words(local))))
        seen = {d.key for d in out}
        info = IdentityService(self.ws).public()
        own_fp = info.fingerprint if info is not None else None
        names = {fp: str(e.get("name", "")) for fp, e in store.trusted_keys().items()}
        for key, (owner, sent) in store.record_owners("agreed_score").items():
            local = mine.get(key)
            if local is None or not owner or owner == own_fp or key in seen or local.revision <= sent:
                continue
            who = names.get(owner) or f"the key {group_fingerprint(owner)}"
            out.append(TeamDisagreement(key, local.vendor_id, local.rubric_hash, local.criterion_id, (
                f"You changed here the agreed score {local.rubric_id}/{local.criterion_id} of {who} (to "
                f"{agreed_words(local)}): only {who}'s key changes it for the team, so colleagues keep {who}'s; "
                f"ask {who} to record the agreed score you settle on")))
        return out

    def agree(
        self,
        vendor_id: str,
        rubric_id: str,
        criterion_id: str,
        answer: Answer | str = Answer.LEVEL,
        *,
        level: int | None = None,
        rationale: str,
        strength: EvidenceStrength | str | None = None,
    ) -> AgreedScore:
        """Record the agreed score for one criterion with its rationale (audit-logged); replaces an earlier one."""
        consensus = self.for_vendor(vendor_id, rubric_id)
        rubric = consensus.rubric
        try:
            criterion = rubric.criterion(criterion_id)
        except KeyError:
            raise NotFound(f"Rubric {rubric.id} has no criterion '{criterion_id}'.") from None
        try:
            value = check_score(criterion, answer, level)
            strength_value = EvidenceStrength(strength) if strength else None
        except (RuleError, ValueError) as exc:
            raise ServiceError(f"{criterion.title}: {sentence(str(exc))}", field=getattr(exc, "field", None)) from None
        ans, level = value.answer, value.level
        if not rationale.strip():
            raise ServiceError("An agreed score needs its rationale: say why the evaluators settled on it.")
        old = next((r.agreed for r in consensus.rows if r.criterion.id == criterion_id), None)
        agreed = AgreedScore(vendor_id=vendor_id, rubric_id=rubric.id, rubric_hash=rubric.content_hash,
                             criterion_id=criterion_id, answer=ans, level=level, strength=strength_value,
                             rationale=rationale.strip(), agreed_by=self.ws.evaluator)
        new_words = describe_score(Score(criterion_id=criterion_id, answer=ans, level=level), rubric)
        old_words = describe_score(Score(criterion_id=criterion_id, answer=old.answer, level=old.level), rubric) \
            if old else None
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_agreed_score(agreed)
            uow.audit("agree", "agreed_score", f"{rubric.id}:{criterion_id}", vendor_id=vendor_id,
                      field=criterion_id, old=old_words, new=new_words,
                      summary=f"Agreed score for {criterion.title}: {new_words} — {agreed.rationale[:200]}")
            uow.changed("agreed_score", f"{rubric.id}:{criterion_id}", vendor_id)
        return agreed

    def clear(self, vendor_id: str, rubric_id: str, criterion_id: str) -> None:
        """Remove an agreed score (the evaluators' median counts again), audit-logged."""
        consensus = self.for_vendor(vendor_id, rubric_id)
        old = next((r.agreed for r in consensus.rows if r.criterion.id == criterion_id), None)
        if old is None:
            return
        with self.ws.unit_of_work() as uow:
            self.ws.store.delete_agreed_score(vendor_id, consensus.rubric.content_hash, criterion_id)
            uow.audit("agree", "agreed_score", f"{rubric_id}:{criterion_id}", vendor_id=vendor_id,
                      field=criterion_id, old=old.rationale[:200], new=None,
                      summary=f"Removed the agreed score for {criterion_id}")
            uow.changed("agreed_score", f"{rubric_id}:{criterion_id}", vendor_id)
