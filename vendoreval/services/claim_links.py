"""A claim's criteria ticked on the scores they bear on: on the evaluator's own draft scorecards only.

When a claim is recorded, or its criteria change, its id is linked to (or unlinked from) the matching
criterion's score on every draft scorecard of the vendor that is **mine**: made by this workspace's
evaluator and owned by this workspace's key (or by no key — made here before there was one). Only
those events write, and only for the criteria that were added or removed: an evaluator who unlinks a
claim on a score keeps it unlinked through every later edit of the claim that does not touch that
criterion (its text, source, status, another criterion). A criterion that is not scored yet gets no
row (a score needs an answer): the links are made when the score is first set
(``ScorecardService.set_score``). Submitted scorecards and colleagues' scorecards are never written;
the editor shows such claims there as suggestions (domain/claim_links.suggested_claims).

Everything here runs inside the caller's unit of work, so the claim and its links commit together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..domain.claim_links import suggested_claims
from ..domain.models import Claim, CriterionRef, Score, Scorecard, ScorecardStatus, utc_now
from .identity import own_fingerprint

if TYPE_CHECKING:
    from .workspace import UnitOfWork, Workspace

#: A score on a scorecard: (scorecard id, criterion id).
ScoreKey = tuple[str, str]


def is_mine(ws: Workspace, card: Scorecard, own_fp: str | None = None) -> bool:
    """True when ``card`` is this evaluator's own: their name on it and, when a key owns it, this workspace's key."""
    if card.evaluator != ws.evaluator:
        return False
    return card.owner_key is None or card.owner_key == (own_fp if own_fp is not None else own_fingerprint(ws))


def my_drafts(ws: Workspace, vendor_id: str) -> list[Scorecard]:
    """The vendor's draft scorecards that are mine (read inside the unit of work: the latest state)."""
    own_fp = own_fingerprint(ws)
    return [c for c in ws.store.scorecards(vendor_id)
            if c.status == ScorecardStatus.DRAFT and is_mine(ws, c, own_fp)]


def _write(ws: Workspace, uow: UnitOfWork, card: Scorecard, old: Score, claim_ids: list[str], what: str) -> None:
    new = old.model_copy(update={"claim_ids": claim_ids, "updated_at": utc_now(), "revision": old.revision + 1})
    ws.store.save_score(card.id, new)
    ws.store.save_scorecard_header(card.model_copy(update={"updated_at": utc_now()}))
    title = old.criterion_id
    rubric = ws.library.by_hash(card.rubric_hash)
    if rubric is not None and old.criterion_id in rubric.criterion_ids():
        title = rubric.criterion(old.criterion_id).title
    uow.audit("score", "score", f"{card.id}:{old.criterion_id}", vendor_id=card.vendor_id, field=old.criterion_id,
              old=", ".join(old.claim_ids), new=", ".join(claim_ids), summary=f"{title}: {what}")
    uow.changed("score", card.id, card.vendor_id)


def relink(ws: Workspace, uow: UnitOfWork, claim: Claim, added: Iterable[CriterionRef],
           removed: Iterable[CriterionRef]) -> list[ScoreKey]:
    """Inside a unit of work: link ``claim`` to the scores of the ``added`` criteria and unlink it from those of
    the ``removed`` ones, on my drafts of its vendor; returns the scores written."""
    add = {(r.rubric_id, r.criterion_id) for r in added}
    drop = {(r.rubric_id, r.criterion_id) for r in removed}
    if not add and not drop:
        return []
    written: list[ScoreKey] = []
    for card in my_drafts(ws, claim.vendor_id):
        for cid, score in card.scores.items():
            key = (card.rubric_id, cid)
            if key in add and claim.id not in score.claim_ids:
                _write(ws, uow, card, score, [*score.claim_ids, claim.id], "claim linked (from the claim's criteria)")
            elif key in drop and key not in add and claim.id in score.claim_ids:
                _write(ws, uow, card, score, [c for c in score.claim_ids if c != claim.id],
                       "claim unlinked (criterion removed from the claim)")
            else:
                continue
            written.append((card.id, cid))
    return written


def linked_scores(ws: Workspace, claim_id: str, vendor_id: str) -> list[ScoreKey]:
    """The scores on my drafts of the vendor that link ``claim_id`` (what deleting the claim unlinks)."""
    return [(card.id, cid) for card in my_drafts(ws, vendor_id)
            for cid, score in card.scores.items() if claim_id in score.claim_ids]


def unlink_everywhere(ws: Workspace, uow: UnitOfWork, claim: Claim) -> list[ScoreKey]:
    """Inside a unit of work: unlink a deleted claim from every score of my drafts of its vendor."""
    written: list[ScoreKey] = []
    for card in my_drafts(ws, claim.vendor_id):
        for cid, score in card.scores.items():
            if claim.id in score.claim_ids:
                _write(ws, uow, card, score, [c for c in score.claim_ids if c != claim.id], "claim deleted, unlinked")
                written.append((card.id, cid))
    return written


def link_to(ws: Workspace, uow: UnitOfWork, claim: Claim, scores: Iterable[ScoreKey]) -> list[ScoreKey]:
    """Inside a unit of work: link ``claim`` to exactly these scores where they are still on my drafts (undo of
    a deletion puts back the links it took away)."""
    wanted = set(scores)
    written: list[ScoreKey] = []
    for card in my_drafts(ws, claim.vendor_id):
        for cid, score in card.scores.items():
            if (card.id, cid) in wanted and claim.id not in score.claim_ids:
                _write(ws, uow, card, score, [*score.claim_ids, claim.id], "claim linked again (deletion undone)")
                written.append((card.id, cid))
    return written


def default_links(ws: Workspace, card: Scorecard, criterion_id: str) -> list[str]:
    """The claims a new score on ``card`` starts linked to: on my drafts, the vendor's claims linked to its
    criterion (oldest first); elsewhere none."""
    if card.status != ScorecardStatus.DRAFT or not is_mine(ws, card):
        return []
    return [c.id for c in suggested_claims(ws.store.claims(card.vendor_id), card.rubric_id, criterion_id, None)]
