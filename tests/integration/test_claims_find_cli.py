"""`vendoreval claims find VENDOR FILE [--json] [--accept …]` end to end on corpus documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.data.claim_corpus import build
from vendoreval.services.workspace import Workspace


def _doc(tmp: Path, name: str) -> Path:
    return build.build_all(tmp)[name]


def test_find_prints_candidates_with_pages_and_accept_records_them_once(cli: Any, ws: Workspace,
                                                                        tmp_path: Path) -> None:
    ws.vendors.create("Helix")
    pdf = _doc(tmp_path, "helix-whitepaper")
    run = cli("claims", "find", "Helix", str(pdf), "--json")
    assert run.code == 0, run.err
    found = json.loads(run.out)
    assert found and all(isinstance(c["page"], int) and c["page"] >= 1 for c in found)
    assert {"text", "page", "location", "kind", "figure", "criteria", "questions"} <= set(found[0])
    own = next(i for i, c in enumerate(found, 1) if c["text"].startswith("Helix uses Claude from Anthropic"))
    assert found[own - 1]["kind"] == "model_ownership" and found[own - 1]["page"] == 2
    before = ws.store.table_counts()
    run = cli("claims", "find", "Helix", str(pdf), "--accept", f"{own}")
    assert run.code == 0, run.err
    (claim,) = ws.claims.list(ws.vendors.find("Helix").id)
    assert claim.text.startswith("Helix uses Claude from Anthropic") and claim.page == "2"
    assert claim.source == pdf.name and str(claim.status) == "asserted"
    (evidence,) = ws.evidence.list(claim.vendor_id)
    assert claim.evidence_ids == [evidence.id]
    assert ws.store.table_counts()["claims"] == before["claims"] + 1
    again = json.loads(cli("claims", "find", "Helix", str(pdf), "--json").out)
    assert not any(c["text"] == claim.text for c in again)  # what is recorded is not proposed again
    assert len(again) == len(found) - 1


def test_bad_accept_and_bad_files_exit_2_and_write_nothing(cli: Any, ws: Workspace, tmp_path: Path) -> None:
    ws.vendors.create("Helix")
    pdf = _doc(tmp_path, "helix-whitepaper")
    before = ws.store.table_counts()
    for bad in ("0", "x", "999"):
        run = cli("claims", "find", "Helix", str(pdf), "--accept", bad)
        assert run.code == 2 and "--accept" in run.err
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    run = cli("claims", "find", "Helix", str(broken))
    assert run.code == 2 and "broken.pdf" in run.err
    mail = tmp_path / "mail.msg"
    mail.write_bytes(b"\xd0\xcf\x11\xe0 outlook")
    run = cli("claims", "find", "Helix", str(mail))
    assert run.code == 2 and ".eml" in run.err
    assert ws.store.table_counts() == before
