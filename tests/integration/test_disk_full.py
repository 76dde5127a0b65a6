"""A full disk while evidence is stored is a user error (exit 2) that leaves nothing half-written."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest

from vendoreval.services import Workspace
from vendoreval.services.workspace import ServiceError
from vendoreval.store import blobs
from vendoreval.store.blobs import BlobStore, EvidenceDiskFull


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write into the evidence folder fails as on a full disk (after the temp file was created)."""
    real_fdopen = os.fdopen

    class Full(io.FileIO):
        def write(self, data: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            return Full(fd, "wb", closefd=True)
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(blobs.os, "fdopen", fdopen)


def evidence_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_importing_a_workspace_file_onto_a_full_disk_exits_2_and_writes_nothing(
        ws: Workspace, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    acme = ws.vendors.create("Acme AI")
    doc = tmp_path / "dpa.pdf"
    doc.write_bytes(b"%PDF-1.4 data processing agreement" * 1000)
    ws.evidence.add_file(acme.id, doc)
    export = tmp_path / "ws.json"
    assert cli("export", str(export)).code == 0

    other = tmp_path / "laptop"
    other.mkdir()
    real_fdopen = os.fdopen

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = real_fdopen(fd, mode, *args, **kwargs)
        if "w" in mode:
            def no_space(data: Any) -> int:
                raise OSError(errno.ENOSPC, "No space left on device")
            fh.write = no_space  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr(blobs.os, "fdopen", fdopen)
    r = cli("import", str(export), data=other)
    monkeypatch.undo()
    assert r.code == 2, r.err
    assert "Traceback" not in r.err
    assert "is full" in r.err and "nothing was stored" in r.err
    assert evidence_files(other / "evidence") == []  # no partial copy left behind
    w = Workspace(other, evaluator="bob")
    try:
        assert w.vendors.list() == [] and w.evidence.list() == []
    finally:
        w.close()


def test_adding_an_evidence_file_on_a_full_disk_is_a_service_error(ws: Workspace, tmp_path: Path,
                                                                     full_disk: None) -> None:
    acme = ws.vendors.create("Acme AI")
    doc = tmp_path / "soc2.pdf"
    doc.write_bytes(b"report" * 10_000)
    with pytest.raises(ServiceError, match="is full; nothing was stored"):
        ws.evidence.add_file(acme.id, doc)
    assert ws.evidence.list() == []
    assert evidence_files(ws.store.blobs.root) == []


def test_the_blob_store_says_disk_full_by_its_own_error(tmp_path: Path, full_disk: None) -> None:
    store = BlobStore(tmp_path / "evidence")
    with pytest.raises(EvidenceDiskFull, match=r"evidence 1a2b: cannot be stored: the disk holding the evidence"):
        store.put_bytes(b"bundle evidence", "evidence 1a2b")
    assert evidence_files(tmp_path / "evidence") == []


def test_put_file_checks_the_file_with_check_input_file(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "evidence", max_bytes=1000)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 1001)
    with pytest.raises(blobs.BlobError, match=r"big\.bin: the file is 1001 bytes; an evidence file may be at most "
                                              r"1000 bytes"):
        store.put_file(big)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(blobs.BlobError, match="not a regular file"):
            store.put_file(fifo)
