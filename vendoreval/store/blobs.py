"""Evidence files stored content-addressed by SHA-256 beside the database."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from .. import files
from ..errors import UserError

MAX_EVIDENCE_BYTES = 100 * 1024 * 1024


class BlobError(UserError):
    """An evidence file that cannot be stored or read; the message names the file and the reason."""


class EvidenceDiskFull(BlobError):
    """The disk holding the evidence folder is full: nothing was stored (no partial file is left)."""


class BlobStore:
    """Files under ``root/ab/abcdef...`` named by their SHA-256."""

    def __init__(self, root: Path, max_bytes: int = MAX_EVIDENCE_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this hash lives."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise BlobError(f"'{sha256}' is not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        """True when the blob is stored."""
        return self.path_for(sha256).is_file()

    def put_file(self, source: Path, progress: Callable[[int], None] | None = None) -> tuple[str, int]:
        """Copy a file in; returns (sha256, size). Refuses missing, unreadable or oversized files.

        ``progress(bytes_copied)`` is called after each megabyte; an exception it raises (a cancel)
        stops the copy and removes the partial file. No database is touched: safe on any thread.
        """
        try:
            files.check_input_file(source, max_bytes=self.max_bytes, what="an evidence file")
        except files.FileProblem as exc:
            raise BlobError(str(exc), file=exc.file) from None
        try:
            fh = source.open("rb")
        except OSError as exc:
            raise BlobError(f"{source}: cannot read ({exc.strerror or exc})") from None

        def read(n: int) -> bytes:
            try:
                return fh.read(n)
            except OSError as exc:  # the user's file, not the evidence folder
                raise BlobError(f"{source}: cannot read ({exc.strerror or exc})") from None

        with fh:
            return self._write_stream(read, str(source), progress)

    def put_bytes(self, data: bytes, label: str = "<data>") -> tuple[str, int]:
        """Store bytes; returns (sha256, size)."""
        if len(data) > self.max_bytes:
            raise BlobError(f"{label}: over the {self.max_bytes // (1024 * 1024)} MB limit for an evidence file")
        chunks = iter([data, b""])
        return self._write_stream(lambda _n: next(chunks), label)

    def _write_stream(self, read: Callable[[int], bytes], label: str,
                      progress: Callable[[int], None] | None = None) -> tuple[str, int]:
        """Copy what ``read`` gives into the store; an OSError here is the evidence folder's, named as such."""
        try:
            return self._copy_in(read, label, progress)
        except OSError as exc:
            if files.is_disk_full(exc):
                raise EvidenceDiskFull(f"{label}: cannot be stored: the disk holding the evidence folder {self.root} "
                                       "is full; nothing was stored. Free some space and try again") from None
            raise BlobError(f"{label}: cannot be stored in the evidence folder {self.root} "
                            f"({exc.strerror or exc}); nothing was stored") from None

    def _copy_in(self, read: Callable[[int], bytes], label: str,
                 progress: Callable[[int], None] | None) -> tuple[str, int]:
        self.root.mkdir(parents=True, exist_ok=True)
        files.remove_stale_partials(self.root)  # what a killed import left
        digest = hashlib.sha256()
        size = 0
        fd, tmp = files.make_partial(self.root / "incoming")
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    chunk = read(1024 * 1024)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise BlobError(f"{label}: over the {self.max_bytes // (1024 * 1024)} MB limit")
                    digest.update(chunk)
                    out.write(chunk)
                    if progress is not None:
                        progress(size)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                os.unlink(tmp)
            else:
                os.replace(tmp, final)
                with contextlib.suppress(OSError):
                    final.chmod(0o444)
            return sha, size
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def read(self, sha256: str) -> bytes:
        """The blob's bytes (BlobError when missing)."""
        try:
            return self.path_for(sha256).read_bytes()
        except OSError as exc:
            raise BlobError(f"evidence file {sha256[:12]}… cannot be read ({exc.strerror or exc})") from None

    def verify(self, sha256: str) -> bool:
        """True when the stored bytes still hash to their name."""
        try:
            return hashlib.sha256(self.read(sha256)).hexdigest() == sha256
        except BlobError:
            return False
