"""The claim finder as a use case: read a vendor's document, propose candidate claims, record the accepted.

Reading (``exchange.documents``) and judging (``domain.claim_finder``) are pure of the workspace; this
module adds what the workspace knows (the vendor, the rubric library) and writes accepted candidates
as claims in one unit of work, with the document stored once as evidence (by SHA-256) and each claim
pointing to its page.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.claim_finder import Candidate, find_candidates
from ..domain.models import Claim, ClaimStatus, Evidence, SourceKind
from ..domain.passages import DocumentText, split_sentences
from ..exchange.documents import read_document
from .claim_rules import load_finder_rules
from .workspace import ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace


@dataclass(frozen=True)
class Found:
    """What the finder read in one document."""

    path: Path
    document: DocumentText
    candidates: tuple[Candidate, ...]
    sentences: int

    @property
    def said_on(self) -> dt.date:
        """The document's own date, else the file's modification date."""
        if self.document.date:
            return dt.date.fromisoformat(self.document.date)
        return dt.datetime.fromtimestamp(os.stat(self.path).st_mtime, dt.UTC).date()


class ClaimFinderService:
    """Candidate claims from a vendor's own documents."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def find(self, vendor_id: str, path: str | Path) -> Found:
        """Read ``path`` and propose its candidate claims (DocumentError/UserError when it cannot be read)."""
        self.ws.vendors.get(vendor_id)
        doc = read_document(path)
        sentences = [s for p in doc.passages for s in split_sentences(p)]
        rubrics = self.ws.library.latest_all()
        rules = load_finder_rules(rubrics=rubrics)
        have = {" ".join(c.text.split()).casefold() for c in self.ws.store.claims(vendor_id)}
        found = [c for c in find_candidates(sentences, rules, rubrics)
                 if " ".join(c.text.split()).casefold() not in have]  # what is recorded already is not proposed
        return Found(Path(path), doc, tuple(found), len(sentences))

    def accept(self, vendor_id: str, found: Found, positions: Sequence[int]) -> tuple[Evidence, list[Claim]]:
        """Record the candidates at ``positions`` (1-based) as asserted claims, in one transaction, with the
        document stored once as evidence and each claim pointing to its page or location."""
        n = len(found.candidates)
        bad = [p for p in positions if not 1 <= p <= n]
        if bad:
            raise ServiceError(f"--accept: {bad[0]} is not a candidate number (1–{n})")
        if not positions:
            raise ServiceError("--accept: no candidate chosen")
        said_on = found.said_on
        with self.ws.unit_of_work():
            sha = self.ws.evidence.store_file(found.path)
            existing = next((e for e in self.ws.store.evidence(vendor_id) if e.sha256 == sha.sha256), None)
            evidence = existing or self.ws.evidence.add_stored_file(
                vendor_id, sha, title=found.document.title or found.path.name)
            claims = []
            for p in dict.fromkeys(positions):
                c = found.candidates[p - 1]
                where = str(c.page) if c.page is not None else (c.location or "")
                claims.append(self.ws.claims.add(
                    vendor_id, c.text, source_kind=SourceKind.DOCUMENT, source=found.path.name, page=where,
                    said_on=said_on, status=ClaimStatus.ASSERTED, evidence_ids=[evidence.id],
                    criteria=[f"{m.rubric}:{m.criterion}" for m in c.criteria]))
        return evidence, claims
