"""Use cases on evidence: store a file by hash, record a URL or note, hand out a read-only copy."""

from __future__ import annotations

import builtins
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import files
from ..domain.models import Evidence, EvidenceKind
from ..files import display_name
from ..store.blobs import BlobError
from .workspace import NotFound, ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the evidence folder, not yet recorded: where it came from, its hash and size."""

    source: Path
    sha256: str
    size: int


def safe_filename(name: str) -> str:
    """A file name with no folder parts or characters that are unsafe on common file systems."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", base).strip(" .")
    return base[:180] or "evidence"


class EvidenceService:
    """Evidence files, URLs and notes."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def list(self, vendor_id: str | None = None) -> builtins.list[Evidence]:
        """Evidence of a vendor (or all)."""
        return self.ws.store.evidence(vendor_id)

    def get(self, evidence_id: str) -> Evidence:
        """One evidence item (NotFound if missing)."""
        e = self.ws.store.evidence_item(evidence_id)
        if e is None:
            raise NotFound(f"No evidence with id {evidence_id}.")
        return e

    def _record(self, item: Evidence, claim_ids: builtins.list[str]) -> Evidence:
        for c in claim_ids:
            self.ws.claims.get(c)  # NotFound before anything is written
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_evidence(item)
            # the claims are read under the write lock, so a link never overwrites another writer's edit
            for claim in [self.ws.claims.get(c) for c in claim_ids]:
                if item.id not in claim.evidence_ids:
                    self.ws.store.save_claim(claim.model_copy(update={"evidence_ids": [*claim.evidence_ids,
                                                                                       item.id]}))
            uow.audit("create", "evidence", item.id, vendor_id=item.vendor_id,
                      new=item.original_name or item.url or item.title or item.note[:80],
                      summary=f"Added {item.kind} evidence")
            uow.changed("evidence", item.id, item.vendor_id)
        return item

    def add_file(
        self, vendor_id: str, path: Path, *, title: str = "", claim_ids: builtins.list[str] | None = None
    ) -> Evidence:
        """Store a copy of a file by SHA-256 and record it; refuses missing, unreadable or oversized files."""
        self.ws.vendors.get(vendor_id)
        return self.add_stored_file(vendor_id, self.store_file(path), title=title, claim_ids=claim_ids)

    def store_file(self, path: Path, progress: Callable[[int], None] | None = None) -> StoredFile:
        """Copy a file into the evidence folder by SHA-256, without recording it (see ``add_stored_file``).

        Touches no database, so it may run on a worker thread: hashing a 100 MB file takes a while.
        ``progress(bytes_copied)`` is called after each megabyte and may raise to stop the copy.
        """
        path = Path(path)
        self.ws.check_writable()  # before the copy: a read-only workspace takes no file into its evidence folder
        try:
            sha, size = self.ws.store.blobs.put_file(path, progress)
        except BlobError as exc:
            raise ServiceError(str(exc)) from None
        return StoredFile(path, sha, size)

    def add_stored_file(
        self, vendor_id: str, stored: StoredFile, *, title: str = "", claim_ids: builtins.list[str] | None = None
    ) -> Evidence:
        """Record a file copied in by ``store_file`` as evidence of a vendor (linked to claims)."""
        self.ws.vendors.get(vendor_id)
        if not self.ws.store.blobs.has(stored.sha256):
            raise ServiceError(f"{stored.source}: the stored copy is gone; add the file again.")
        name = display_name(stored.source)
        item = Evidence(vendor_id=vendor_id, kind=EvidenceKind.FILE, title=title or name, sha256=stored.sha256,
                        original_name=name, size=stored.size)
        return self._record(item, claim_ids or [])

    def add_url(
        self, vendor_id: str, url: str, *, title: str = "", claim_ids: builtins.list[str] | None = None
    ) -> Evidence:
        """Record a URL as evidence (the app does not fetch it)."""
        self.ws.vendors.get(vendor_id)
        url = url.strip()
        if not url:
            raise ServiceError("A URL is needed.")
        item = Evidence(vendor_id=vendor_id, kind=EvidenceKind.URL, url=url, title=title or url)
        return self._record(item, claim_ids or [])

    def add_note(
        self, vendor_id: str, note: str, *, title: str = "", claim_ids: builtins.list[str] | None = None
    ) -> Evidence:
        """Record a note as evidence."""
        self.ws.vendors.get(vendor_id)
        if not note.strip():
            raise ServiceError("The note is empty.")
        item = Evidence(vendor_id=vendor_id, kind=EvidenceKind.NOTE, note=note, title=title or note[:60])
        return self._record(item, claim_ids or [])

    def read_only_copy(self, evidence_id: str, folder: Path) -> Path:
        """Write a read-only copy of a file under its original name into ``folder``; returns its path."""
        item = self.get(evidence_id)
        if item.kind != EvidenceKind.FILE or not item.sha256:
            raise ServiceError("Only file evidence has a file to open.")
        try:
            data = self.ws.store.blobs.read(item.sha256)
        except BlobError as exc:
            raise ServiceError(str(exc)) from None
        target = Path(folder) / item.sha256[:12] / safe_filename(item.original_name or "evidence")
        try:
            if target.exists():  # Windows refuses to replace a read-only file
                os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
            files.write_bytes_atomic(target, data, parents=True)
            os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        except files.FileProblem as exc:
            raise ServiceError(str(exc), file=exc.file) from None
        except OSError as exc:
            raise ServiceError(f"{target}: cannot write ({exc.strerror or exc})", file=str(target)) from None
        return target

    def delete(self, evidence_id: str) -> Evidence:
        """Delete an evidence record and unlink it from claims (the stored file stays for undo)."""
        item = self.get(evidence_id)
        with self.ws.unit_of_work() as uow:
            # read under the write lock: unlinking never overwrites another writer's edit of a claim
            for c in [c for c in self.ws.store.claims(item.vendor_id) if evidence_id in c.evidence_ids]:
                self.ws.store.save_claim(
                    c.model_copy(update={"evidence_ids": [e for e in c.evidence_ids if e != evidence_id]})
                )
            self.ws.store.delete_evidence(evidence_id)
            uow.audit("delete", "evidence", evidence_id, vendor_id=item.vendor_id,
                      old=item.original_name or item.url or item.title, summary="Deleted evidence")
            uow.changed("evidence", evidence_id, item.vendor_id)
        return item

    # --- undo support (desktop app) -------------------------------------------------------------

    def restore(self, item: Evidence, claim_ids: builtins.list[str]) -> Evidence:
        """Put a deleted evidence record back with its claim links (the inverse of ``delete``, for undo)."""
        if self.ws.store.evidence_item(item.id) is not None:
            raise ServiceError("This evidence item already exists.")
        return self._record(item, [c for c in claim_ids if self.ws.store.claim(c) is not None])
