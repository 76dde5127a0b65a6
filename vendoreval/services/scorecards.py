"""Use cases on scorecards: create against an exact rubric version, score, submit, reopen, upgrade."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from ..domain.models import Answer, EvidenceStrength, Score, Scorecard, ScorecardStatus, utc_now
from ..domain.rubric import Rescore, Rubric, to_rescore, unchanged_criteria
from ..domain.rules import RuleError, check_score, sentence, version_key
from ..domain.text import plural
from .claim_links import default_links
from .identity import own_fingerprint
from .workspace import Locked, NotFound, ServiceError, check_fresh, on_latest

if TYPE_CHECKING:
    from .workspace import Workspace


def describe_score(score: Score | None, rubric: Rubric | None = None) -> str:
    """A score in words for the audit log: 'level 3 (Documented)', 'not disclosed', 'unscored'."""
    if score is None:
        return "unscored"
    if score.answer != Answer.LEVEL:
        return Answer(score.answer).label.lower()
    text = f"level {score.level}"
    if rubric is not None:
        try:
            crit = rubric.criterion(score.criterion_id)
            text += f" ({crit.scale.describe(int(score.level or 0)).label})"
        except (KeyError, IndexError):
            pass
    return text


class ScorecardService:
    """Scorecards and their scores."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def get(self, scorecard_id: str) -> Scorecard:
        """One scorecard with its scores (NotFound if missing)."""
        card = self.ws.store.scorecard(scorecard_id)
        if card is None:
            raise NotFound(f"No scorecard with id {scorecard_id}.")
        return card

    def list(self, vendor_id: str | None = None, rubric_id: str | None = None) -> builtins.list[Scorecard]:
        """Scorecards, filtered by vendor and/or rubric."""
        return self.ws.store.scorecards(vendor_id, rubric_id)

    def rubric_of(self, card: Scorecard) -> Rubric:
        """The exact rubric version a scorecard was scored against."""
        rubric = self.ws.library.by_hash(card.rubric_hash)
        if rubric is None:
            raise NotFound(f"The rubric version {card.rubric_id} {card.rubric_version} of this scorecard is missing.")
        return rubric

    def create(self, vendor_id: str, rubric_id: str, version: str | None = None,
               evaluator: str | None = None) -> Scorecard:
        """This evaluator's draft for a vendor and rubric version (the existing one if there is one)."""
        vendor = self.ws.vendors.get(vendor_id)
        rubric = self.ws.library.get(rubric_id, version)
        if rubric is None:
            raise NotFound(f"No rubric '{rubric_id}'" + (f" version {version}" if version else "") + ".")
        evaluator = evaluator or self.ws.evaluator
        for card in self.ws.store.scorecards(vendor_id, rubric_id):
            if card.rubric_hash == rubric.content_hash and card.evaluator == evaluator:
                return card
        card = Scorecard(vendor_id=vendor_id, rubric_id=rubric.id, rubric_version=rubric.version,
                         rubric_hash=rubric.content_hash, evaluator=evaluator, owner_key=own_fingerprint(self.ws))
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_rubric_version(rubric)
            self.ws.store.save_scorecard_header(card)
            uow.audit("create", "scorecard", card.id, vendor_id=vendor_id,
                      new=f"{rubric.id} {rubric.version}",
                      summary=f"Started scoring {vendor.name} against {rubric.title} {rubric.version}")
            uow.changed("scorecard", card.id, vendor_id)
        return card

    @on_latest
    def set_score(
        self,
        scorecard_id: str,
        criterion_id: str,
        answer: Answer | str | None = Answer.LEVEL,
        *,
        level: int | None = None,
        figure: float | None = None,
        strength: EvidenceStrength | str | None = None,
        rationale: str | None = None,
        claim_ids: builtins.list[str] | None = None,
        evidence_ids: builtins.list[str] | None = None,
        keep_strength: bool = True,
        expected_revision: int | None = None,
    ) -> Score | None:
        """Set (or with answer None, clear) one criterion's score; one transaction, one audit entry.

        Fields left as None keep their current value (rationale, links, strength). A figure on a
        numeric criterion sets the level from the scale's thresholds. ``expected_revision``: the
        revision of the score the edit was made on (0: it was unscored); StaleEdit when the score moved
        on since, carrying the newer score (None when it was cleared). A new score on my draft without
        ``claim_ids`` starts linked to the vendor's claims on its criterion (services/claim_links.py).
        """
        card = self.get(scorecard_id)
        if card.status == ScorecardStatus.SUBMITTED:
            raise Locked("This scorecard is submitted. Reopen it to make changes.")
        rubric = self.rubric_of(card)
        try:
            criterion = rubric.criterion(criterion_id)
        except KeyError:
            raise NotFound(f"Rubric {rubric.id} has no criterion '{criterion_id}'.") from None
        old = card.scores.get(criterion_id)
        what = f"The score of {criterion.title}"
        if expected_revision is not None:
            check_fresh(old, expected_revision, what, field=criterion_id)
        if answer is None:
            if old is None:
                return None
            with self.ws.unit_of_work() as uow:
                fresh = self._fresh_card(card, criterion_id, old, what)
                self.ws.store.delete_score(scorecard_id, criterion_id)
                self._touch(fresh)
                uow.audit("score", "score", f"{scorecard_id}:{criterion_id}", vendor_id=card.vendor_id,
                          field=criterion_id, old=describe_score(old, rubric), new="unscored",
                          summary=f"Cleared {criterion.title}")
                uow.changed("score", scorecard_id, card.vendor_id)
            return None
        try:
            value = check_score(criterion, answer, level, figure,
                                previous_level=old.level if old is not None else None)
        except RuleError as exc:
            raise ServiceError(f"{criterion.title}: {sentence(str(exc))}", field=exc.field) from None
        ans, level, figure = value.answer, value.level, value.figure
        if strength is not None:
            try:
                strength_value: EvidenceStrength | None = EvidenceStrength(strength)
            except ValueError:
                raise ServiceError(f"'{strength}' is not an evidence strength.") from None
        else:
            strength_value = old.strength if (old is not None and keep_strength) else None
        new = Score(
            criterion_id=criterion_id,
            answer=ans,
            level=level,
            figure=figure if figure is not None else (old.figure if old is not None and ans == Answer.LEVEL
                                                      and old.level == level else None),
            strength=strength_value,
            rationale=rationale if rationale is not None else (old.rationale if old else ""),
            claim_ids=list(claim_ids) if claim_ids is not None else (list(old.claim_ids) if old else []),
            evidence_ids=list(evidence_ids) if evidence_ids is not None else (list(old.evidence_ids) if old else []),
        )
        if old is not None and old.model_dump(exclude={"updated_at"}) == new.model_dump(exclude={"updated_at"}):
            return old
        with self.ws.unit_of_work() as uow:
            fresh = self._fresh_card(card, criterion_id, old, what)
            # a score's revisions never repeat, even when it is cleared and set again: a new one starts
            # above its scorecard's revision, which every score write raises
            new = new.model_copy(update={"revision": old.revision + 1 if old is not None else fresh.revision + 1})
            if old is None and claim_ids is None:  # read under the write lock, with the score's own write
                new = new.model_copy(update={"claim_ids": default_links(self.ws, fresh, criterion_id)})
            self.ws.store.save_score(scorecard_id, new)
            self._touch(fresh)
            old_words, new_words = describe_score(old, rubric), describe_score(new, rubric)
            parts = []
            if old_words != new_words:
                parts.append(f"{old_words} → {new_words}")
            if old is not None and old.rationale != new.rationale:
                parts.append("rationale edited")
            if old is None or old.strength != new.strength:
                parts.append(f"strength {EvidenceStrength(new.strength).label if new.strength else 'from claims'}")
            if old is None or old.claim_ids != new.claim_ids or old.evidence_ids != new.evidence_ids:
                parts.append("links changed")
            uow.audit("score", "score", f"{scorecard_id}:{criterion_id}", vendor_id=card.vendor_id,
                      field=criterion_id, old=old_words, new=new_words,
                      summary=f"{criterion.title}: " + "; ".join(parts or ["updated"]))
            uow.changed("score", scorecard_id, card.vendor_id)
        return new

    def restore_score(self, scorecard_id: str, criterion_id: str, score: Score | None) -> None:
        """Put a criterion's score back to an earlier state (for undo)."""
        if score is None:
            self.set_score(scorecard_id, criterion_id, None)
            return
        self.set_score(scorecard_id, criterion_id, score.answer, level=score.level, figure=score.figure,
                       strength=score.strength, rationale=score.rationale, claim_ids=score.claim_ids,
                       evidence_ids=score.evidence_ids, keep_strength=False)

    def _fresh_card(self, card: Scorecard, criterion_id: str, old: Score | None, what: str) -> Scorecard:
        """Inside the unit of work: the scorecard re-read under the write lock, after checking that the score
        and the status are still as read before the unit (StaleEdit, Locked otherwise)."""
        fresh = self.ws.store.scorecard(card.id)
        if fresh is None:
            raise NotFound(f"No scorecard with id {card.id}.")
        if fresh.status == ScorecardStatus.SUBMITTED:
            raise Locked("This scorecard was submitted elsewhere. Reopen it to make changes.")
        check_fresh(fresh.scores.get(criterion_id), 0 if old is None else old.revision, what, field=criterion_id)
        return fresh

    def _touch(self, card: Scorecard) -> None:
        self.ws.store.save_scorecard_header(card.model_copy(update={"updated_at": utc_now()}))

    def _check_card(self, card: Scorecard, expected_revision: int | None) -> None:
        """Inside the unit of work: StaleEdit when the scorecard (header or any score) moved on since it was read."""
        what = f"This {card.rubric_id} scorecard"
        if expected_revision is not None:
            check_fresh(card, expected_revision, what)
        check_fresh(self.ws.store.scorecard(card.id), card.revision, what)

    @on_latest
    def submit(self, scorecard_id: str, *, expected_revision: int | None = None) -> Scorecard:
        """Lock a scorecard as submitted; StaleEdit when it changed since the revision the user saw."""
        card = self.get(scorecard_id)
        if card.status == ScorecardStatus.SUBMITTED:
            return card
        updated = card.model_copy(update={"status": ScorecardStatus.SUBMITTED, "submitted_at": utc_now(),
                                          "updated_at": utc_now(), "revision": card.revision + 1})
        with self.ws.unit_of_work() as uow:
            self._check_card(card, expected_revision)
            self.ws.store.save_scorecard_header(updated)
            uow.audit("submit", "scorecard", card.id, vendor_id=card.vendor_id, field="status",
                      old=f"draft v{card.version}", new=f"submitted v{card.version}",
                      summary=f"Submitted {card.rubric_id} scorecard v{card.version}")
            uow.changed("scorecard", card.id, card.vendor_id)
        return updated

    @on_latest
    def reopen(self, scorecard_id: str, *, expected_revision: int | None = None) -> Scorecard:
        """Reopen a submitted scorecard as a new draft version (version + 1), audit-logged (StaleEdit as in submit)."""
        card = self.get(scorecard_id)
        if card.status != ScorecardStatus.SUBMITTED:
            return card
        updated = card.model_copy(update={"status": ScorecardStatus.DRAFT, "version": card.version + 1,
                                          "submitted_at": None, "updated_at": utc_now(),
                                          "revision": card.revision + 1})
        with self.ws.unit_of_work() as uow:
            self._check_card(card, expected_revision)
            self.ws.store.save_scorecard_header(updated)
            uow.audit("reopen", "scorecard", card.id, vendor_id=card.vendor_id, field="version",
                      old=f"submitted v{card.version}", new=f"draft v{updated.version}",
                      summary=f"Reopened {card.rubric_id} scorecard as draft v{updated.version}")
            uow.changed("scorecard", card.id, card.vendor_id)
        return updated

    def newer_rubric(self, scorecard_id: str) -> Rubric | None:
        """The newest version of the scorecard's rubric, when it is newer than the one scored against."""
        card = self.get(scorecard_id)
        latest = self.ws.library.latest(card.rubric_id)
        if latest is None or latest.content_hash == card.rubric_hash:
            return None
        if version_key(latest.version) < version_key(card.rubric_version):
            return None
        return latest

    def upgrade(self, scorecard_id: str) -> Scorecard:
        """A new draft against the newest rubric version, carrying over the scores of unchanged criteria."""
        card = self.get(scorecard_id)
        new_rubric = self.newer_rubric(scorecard_id)
        if new_rubric is None:
            raise ServiceError("This scorecard already uses the newest version of its rubric.")
        old_rubric = self.rubric_of(card)
        keep = unchanged_criteria(old_rubric, new_rubric)
        for existing in self.ws.store.scorecards(card.vendor_id, card.rubric_id):
            if existing.rubric_hash == new_rubric.content_hash and existing.evaluator == card.evaluator:
                raise ServiceError(
                    f"{card.evaluator} already has a scorecard against {new_rubric.id} {new_rubric.version}."
                )
        new_card = Scorecard(vendor_id=card.vendor_id, rubric_id=new_rubric.id, rubric_version=new_rubric.version,
                             rubric_hash=new_rubric.content_hash, evaluator=card.evaluator,
                             evaluator_key=card.evaluator_key, owner_key=card.owner_key,
                             scores={k: s for k, s in card.scores.items() if k in keep})
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_rubric_version(new_rubric)
            self.ws.store.save_scorecard_header(new_card)
            for s in new_card.scores.values():
                self.ws.store.save_score(new_card.id, s)
            uow.audit("upgrade", "scorecard", new_card.id, vendor_id=card.vendor_id,
                      old=f"{card.rubric_id} {card.rubric_version}",
                      new=f"{new_rubric.id} {new_rubric.version}",
                      summary=f"New scorecard on {new_rubric.title} {new_rubric.version}; "
                              f"{plural(len(new_card.scores), 'score')} carried over")
            uow.changed("scorecard", new_card.id, card.vendor_id)
        return new_card

    def to_rescore(self, old_card: Scorecard, new_card: Scorecard) -> builtins.list[Rescore]:
        """What must be (re-)scored on ``new_card`` after upgrading from ``old_card``: new or changed criteria."""
        return to_rescore(self.rubric_of(old_card), self.rubric_of(new_card))

    def for_upgrade(self, vendor_id: str, rubric_id: str, evaluator: str | None = None) -> Scorecard:
        """This evaluator's newest scorecard of a vendor on a rubric, to upgrade; ServiceError when there is
        none or it already uses the newest rubric version."""
        evaluator = evaluator or self.ws.evaluator
        mine = [c for c in self.ws.store.scorecards(vendor_id, rubric_id) if c.evaluator == evaluator]
        if not mine:
            raise NotFound(f"{evaluator} has no scorecard on rubric '{rubric_id}' for this vendor.")
        card = max(mine, key=lambda c: version_key(c.rubric_version))
        latest = self.ws.library.latest(rubric_id)
        if latest is None or latest.content_hash in {c.rubric_hash for c in mine} or \
                self.newer_rubric(card.id) is None:
            raise ServiceError(f"{evaluator}'s scorecard on '{rubric_id}' already uses the newest version "
                               f"({card.rubric_version}).")
        return card

    def delete(self, scorecard_id: str) -> Scorecard:
        """Delete a scorecard; returns it for undo."""
        card = self.get(scorecard_id)
        with self.ws.unit_of_work() as uow:
            self.ws.store.delete_scorecard(scorecard_id)
            uow.audit("delete", "scorecard", scorecard_id, vendor_id=card.vendor_id,
                      old=f"{card.rubric_id} {card.rubric_version} by {card.evaluator}",
                      summary="Deleted a scorecard")
            uow.changed("scorecard", scorecard_id, card.vendor_id)
        return card

    # --- undo support (desktop app) -------------------------------------------------------------

    def restore(self, card: Scorecard) -> Scorecard:
        """Put a deleted scorecard back with its scores (the inverse of ``delete``, for undo)."""
        if self.ws.store.scorecard(card.id) is not None:
            raise ServiceError("This scorecard already exists.")
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_scorecard_header(card)
            for s in card.scores.values():
                self.ws.store.save_score(card.id, s)
            uow.audit("restore", "scorecard", card.id, vendor_id=card.vendor_id,
                      new=f"{card.rubric_id} {card.rubric_version} by {card.evaluator}",
                      summary="Restored a scorecard")
            uow.changed("scorecard", card.id, card.vendor_id)
        return card
