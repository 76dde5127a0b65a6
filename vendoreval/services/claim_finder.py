"""The claim finder as a use case: read a vendor's document, propose candidate claims, record the accepted.

Reading (``exchange.documents``) and judging (``domain.claim_finder``) are pure of the workspace; this
module adds what the workspace knows (the vendor, the rubric library) and writes accepted candidates
as claims in one unit of work, with the document stored once as evidence (by SHA-256) and each claim
pointing to its page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.claim_finder import Candidate, find_candidates
from ..domain.models import Claim, ClaimStatus, Evidence, SourceKind
from ..domain.passages import DocumentText, Passage, split_sentences
from ..exchange.documents import Progress, read_document
from .claim_rules import load_finder_rules
from .workspace import ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace


def sentence_key(text: str) -> str:
    """The SHA-256 of a sentence's normalised text (white space collapsed, case folded): how a rejection
    is remembered, whatever the line breaks of the copy it was rejected in."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Span:
    """Where a candidate stands in its document: the passage (index into ``document.passages``) and the
    sentence's characters in that passage's text (to show it highlighted in its context)."""

    passage: int
    start: int
    end: int


@dataclass(frozen=True)
class Found:
    """What the finder read in one document."""

    path: Path
    document: DocumentText
    candidates: tuple[Candidate, ...]
    sentences: int
    spans: tuple[Span | None, ...] = ()  # one per candidate (None: not located)
    rejected_earlier: int = 0  # candidates left out because the reviewer rejected them before
    recorded_already: int = 0  # candidates left out because the vendor has that claim already
    sha256: str = ""  # of the file as read

    @property
    def said_on(self) -> dt.date:
        """The document's own date, else the file's modification date."""
        if self.document.date:
            return dt.date.fromisoformat(self.document.date)
        return dt.datetime.fromtimestamp(os.stat(self.path).st_mtime, dt.UTC).date()

    def span(self, index: int) -> Span | None:
        """The span of the candidate at ``index`` (0-based)."""
        return self.spans[index] if 0 <= index < len(self.spans) else None


@dataclass(frozen=True)
class Reviewed:
    """What one review recorded: the evidence (None when nothing was accepted), the claims, the number of
    rejections remembered and whether the evidence record is new (undo deletes it then)."""

    evidence: Evidence | None
    claims: list[Claim]
    rejected: list[str]  # text hashes of the rejections newly remembered
    new_evidence: bool
    edited: list[str] = field(default_factory=list)  # text hashes of the sentences accepted in other words


class ClaimFinderService:
    """Candidate claims from a vendor's own documents."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def find(self, vendor_id: str, path: str | Path, *, progress: Progress | None = None) -> Found:
        """Read ``path`` and propose its candidate claims (DocumentError/UserError when it cannot be read).

        Left out: what the vendor has as a claim already, and what a reviewer rejected before for this
        vendor (in this document or another); ``Found`` says how many of each. ``progress`` is passed to
        the reader (it may raise to cancel).
        """
        self.ws.vendors.get(vendor_id)
        doc = read_document(path, progress=progress)
        located: list[tuple[int, Passage]] = []
        for i, p in enumerate(doc.passages):  # a cancel is noticed between passages and every 1,000 sentences
            located.extend((i, s) for s in split_sentences(p))
            if progress is not None and i % 100 == 99:
                progress(i + 1, len(doc.passages))
        rubrics = self.ws.library.latest_all()
        rules = load_finder_rules(rubrics=rubrics)
        where: dict[str, Span] = {}
        for i, s in located:
            where.setdefault(" ".join(s.text.split()), Span(i, s.offset or 0, (s.offset or 0) + len(s.text)))
        have = {" ".join(c.text.split()).casefold() for c in self.ws.store.claims(vendor_id)}
        rejected = self.ws.store.claim_rejections(vendor_id)
        found: list[Candidate] = []
        recorded = earlier = 0
        for c in find_candidates([s for _i, s in located], rules, rubrics, progress=progress):
            decided = rejected.get(sentence_key(c.text))
            if " ".join(c.text.split()).casefold() in have or decided == "edited":
                recorded += 1  # what is recorded already (in the finder's words or edited) is not proposed
            elif decided is not None:  # nor what a reviewer rejected
                earlier += 1
            else:
                found.append(c)
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        return Found(Path(path), doc, tuple(found), len(located), tuple(where.get(c.text) for c in found),
                     rejected_earlier=earlier, recorded_already=recorded, sha256=digest)

    def accept(self, vendor_id: str, found: Found, positions: Sequence[int], *,
               texts: Mapping[int, str] | None = None, statuses: Mapping[int, ClaimStatus] | None = None,
               rejected: Sequence[int] = ()) -> tuple[Evidence | None, list[Claim]]:
        """Record the candidates at ``positions`` (1-based) as claims, in one transaction, with the
        document stored once as evidence and each claim pointing to its page or location.

        ``texts`` and ``statuses`` (by position) replace a candidate's words (edited by the reviewer)
        and its status (asserted otherwise); ``rejected`` positions are remembered as rejected, so the
        finder leaves them out next time. With only rejections nothing but them is written.
        """
        done = self.review(vendor_id, found, positions, texts=texts, statuses=statuses, rejected=rejected)
        return done.evidence, done.claims

    def review(self, vendor_id: str, found: Found, positions: Sequence[int], *,
               texts: Mapping[int, str] | None = None, statuses: Mapping[int, ClaimStatus] | None = None,
               rejected: Sequence[int] = ()) -> Reviewed:
        """``accept``, returning all it wrote (for the app's undo)."""
        n = len(found.candidates)
        bad = [p for p in [*positions, *rejected] if not 1 <= p <= n]
        if bad:
            raise ServiceError(f"--accept: {bad[0]} is not a candidate number (1–{n})")
        if not positions and not rejected:
            raise ServiceError("--accept: no candidate chosen")
        both = set(positions) & set(rejected)
        if both:
            raise ServiceError(f"Candidate {min(both)} is both accepted and rejected")
        texts, statuses = dict(texts or {}), dict(statuses or {})
        words: dict[int, str] = {}
        for p in sorted(set(positions)):  # written in the document's order (candidates are in reading order)
            text = " ".join(texts.get(p, found.candidates[p - 1].text).split())
            if not text:
                raise ServiceError(f"Candidate {p}: the claim's text is empty")
            words[p] = text
        self.ws.vendors.get(vendor_id)
        said_on = found.said_on if words else None
        evidence: Evidence | None = None
        new_evidence = False
        claims: list[Claim] = []
        keys = [sentence_key(found.candidates[p - 1].text) for p in dict.fromkeys(rejected)]
        edited = [sentence_key(found.candidates[p - 1].text) for p, text in words.items()
                  if text.casefold() != " ".join(found.candidates[p - 1].text.split()).casefold()]
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.ws.unit_of_work() as uow:
            if words:
                sha = self.ws.evidence.store_file(found.path)
                existing = next((e for e in self.ws.store.evidence(vendor_id) if e.sha256 == sha.sha256), None)
                new_evidence = existing is None
                evidence = existing or self.ws.evidence.add_stored_file(
                    vendor_id, sha, title=found.document.title or found.path.name)
            for p, text in words.items():
                c = found.candidates[p - 1]
                where = str(c.page) if c.page is not None else (c.location or "")
                assert evidence is not None
                claims.append(self.ws.claims.add(
                    vendor_id, text, source_kind=SourceKind.DOCUMENT, source=found.path.name, page=where,
                    said_on=said_on, status=ClaimStatus(statuses.get(p, ClaimStatus.ASSERTED)),
                    evidence_ids=[evidence.id], criteria=[f"{m.rubric}:{m.criterion}" for m in c.criteria]))
            have = self.ws.store.claim_rejections(vendor_id)
            edited = [k for k in dict.fromkeys(edited) if k not in have]
            self.ws.store.save_claim_rejections(vendor_id, edited, found.sha256, now, "edited")
            if keys:
                keys = [k for k in dict.fromkeys(keys) if k not in have]
                self.ws.store.save_claim_rejections(vendor_id, keys, found.sha256, now)
                uow.audit("reject", "claim_candidate", found.sha256 or found.path.name, vendor_id=vendor_id,
                          new=f"{len(keys)} from {found.path.name}",
                          summary=f"Rejected {len(keys)} candidate claim(s) from {found.path.name}")
                uow.changed("claim", "", vendor_id)
        return Reviewed(evidence, claims, keys, new_evidence, edited)

    def forget_rejections(self, vendor_id: str, text_hashes: Sequence[str]) -> None:
        """Forget remembered rejections (the undo of a review)."""
        if not text_hashes:
            return
        with self.ws.unit_of_work() as uow:
            self.ws.store.forget_claim_rejections(vendor_id, text_hashes)
            uow.audit("unreject", "claim_candidate", "", vendor_id=vendor_id, new=str(len(text_hashes)),
                      summary=f"Forgot {len(text_hashes)} rejected candidate claim(s)")
            uow.changed("claim", "", vendor_id)

    def undo_review(self, vendor_id: str, done: Reviewed) -> None:
        """Take back what ``review`` wrote, in one unit of work: its claims, the evidence record when the
        review made it (the stored file stays, for redo), the rejections it remembered."""
        with self.ws.unit_of_work():
            for claim in done.claims:
                if self.ws.store.claim(claim.id) is not None:
                    self.ws.claims.delete(claim.id)
            if done.new_evidence and done.evidence is not None and \
                    self.ws.store.evidence_item(done.evidence.id) is not None:
                self.ws.evidence.delete(done.evidence.id)
            self.forget_rejections(vendor_id, [*done.rejected, *done.edited])

    def redo_review(self, vendor_id: str, done: Reviewed, document_sha256: str) -> None:
        """Write again what ``undo_review`` took back (the same claims and evidence, by id)."""
        with self.ws.unit_of_work():
            if done.new_evidence and done.evidence is not None:
                self.ws.evidence.restore(done.evidence, [])
            for claim in done.claims:
                self.ws.claims.restore(claim)
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            self.ws.store.save_claim_rejections(vendor_id, done.rejected, document_sha256, now)
            self.ws.store.save_claim_rejections(vendor_id, done.edited, document_sha256, now, "edited")
