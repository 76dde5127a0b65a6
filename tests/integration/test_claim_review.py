"""Reviewing the claim finder's candidates: edited words and statuses recorded in one unit of work, the
document stored once, rejections remembered per vendor (the finder and `claims find` leave them out)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.data.claim_corpus import build
from vendoreval.domain.models import ClaimStatus
from vendoreval.services.claim_finder import ClaimFinderService, sentence_key
from vendoreval.services.workspace import ServiceError, Workspace


@pytest.fixture
def helix_pdf(tmp_path: Path) -> Path:
    return build.build(build.load_spec(build.HERE / "helix-whitepaper.toml"), tmp_path / "docs")


def _texts(found: Any) -> list[str]:
    return [c.text for c in found.candidates]


def test_reject_is_remembered_for_that_vendor_only(ws: Workspace, helix_pdf: Path) -> None:
    helix, other = ws.vendors.create("Helix"), ws.vendors.create("Other")
    svc = ClaimFinderService(ws)
    first = svc.find(helix.id, helix_pdf)
    assert (first.rejected_earlier, first.recorded_already) == (0, 0)
    rejected = [first.candidates[1].text, first.candidates[4].text]
    evidence, claims = svc.accept(helix.id, first, [], rejected=[2, 5])
    assert evidence is None and claims == []  # rejections only: no claim, no evidence
    assert ws.claims.list(helix.id) == [] and ws.evidence.list(helix.id) == []
    assert set(ws.store.claim_rejections(helix.id)) == {sentence_key(t) for t in rejected}
    again = svc.find(helix.id, helix_pdf)
    assert _texts(again) == [t for t in _texts(first) if t not in rejected]
    assert again.rejected_earlier == 2
    # the same sentence with other line breaks and case is the same rejection
    assert sentence_key("  " + rejected[0].upper().replace(" ", "\n ")) == sentence_key(rejected[0])
    # another vendor is offered everything still
    theirs = svc.find(other.id, helix_pdf)
    assert _texts(theirs) == _texts(first) and theirs.rejected_earlier == 0


def test_accept_takes_edited_words_and_statuses_in_one_unit_and_stores_the_document_once(
        ws: Workspace, helix_pdf: Path) -> None:
    helix = ws.vendors.create("Helix")
    svc = ClaimFinderService(ws)
    found = svc.find(helix.id, helix_pdf)
    c1, c3, c4 = found.candidates[0], found.candidates[2], found.candidates[3]
    audit_before = len(ws.history(helix.id))
    evidence, claims = svc.accept(helix.id, found, [1, 3, 4], texts={3: "  Helix uses Claude\n from Anthropic. "},
                                  statuses={4: ClaimStatus.DOCUMENTED}, rejected=[2])
    assert evidence is not None
    stored = {c.id: c for c in ws.claims.list(helix.id)}
    assert [(stored[c.id].text, stored[c.id].page, ClaimStatus(stored[c.id].status)) for c in claims] == [
        (c1.text, str(c1.page), ClaimStatus.ASSERTED),
        ("Helix uses Claude from Anthropic.", str(c3.page), ClaimStatus.ASSERTED),
        (c4.text, str(c4.page), ClaimStatus.DOCUMENTED)]
    assert all(stored[c.id].evidence_ids == [evidence.id] for c in claims)
    assert [e.sha256 for e in ws.evidence.list(helix.id)] == [found.sha256]
    assert len(ws.history(helix.id)) > audit_before
    # the finder proposes only what is new: neither the accepted (edited too) nor the rejected ones
    again = svc.find(helix.id, helix_pdf)
    assert _texts(again) == _texts(found)[4:]
    assert (again.rejected_earlier, again.recorded_already) == (1, 3)
    # a second review of the same file keeps the one evidence record
    svc.accept(helix.id, again, [1])
    assert len(ws.evidence.list(helix.id)) == 1


def test_bad_reviews_write_nothing(ws: Workspace, helix_pdf: Path) -> None:
    helix = ws.vendors.create("Helix")
    svc = ClaimFinderService(ws)
    found = svc.find(helix.id, helix_pdf)
    before = ws.store.table_counts()
    for kwargs in ({"positions": [1], "rejected": [1]}, {"positions": [1], "texts": {1: "   "}},
                   {"positions": [], "rejected": [99]}, {"positions": []}):
        with pytest.raises(ServiceError):
            svc.accept(helix.id, found, **kwargs)  # type: ignore[arg-type]
    assert ws.store.table_counts() == before


def test_undo_and_redo_of_a_review(ws: Workspace, helix_pdf: Path) -> None:
    helix = ws.vendors.create("Helix")
    svc = ClaimFinderService(ws)
    found = svc.find(helix.id, helix_pdf)
    before = ws.store.table_counts()
    done = svc.review(helix.id, found, [1, 3], texts={3: "Helix uses Claude."}, rejected=[2])
    svc.undo_review(helix.id, done)
    assert ws.claims.list(helix.id) == [] and ws.evidence.list(helix.id) == []
    assert ws.store.claim_rejections(helix.id) == {}
    assert {k: v for k, v in ws.store.table_counts().items() if k != "audit"} == \
        {k: v for k, v in before.items() if k != "audit"}
    assert len(svc.find(helix.id, helix_pdf).candidates) == len(found.candidates)
    svc.redo_review(helix.id, done, found.sha256)
    assert sorted(c.text for c in ws.claims.list(helix.id)) == sorted([found.candidates[0].text, "Helix uses Claude."])
    assert len(ws.evidence.list(helix.id)) == 1
    assert len(svc.find(helix.id, helix_pdf).candidates) == len(found.candidates) - 3


def test_cli_claims_find_hides_rejections(cli: Any, ws: Workspace, helix_pdf: Path) -> None:
    helix = ws.vendors.create("Helix")
    svc = ClaimFinderService(ws)
    found = svc.find(helix.id, helix_pdf)
    svc.accept(helix.id, found, [], rejected=[1, 2])
    run = cli("claims", "find", "Helix", str(helix_pdf), "--json")
    assert run.code == 0, run.err
    assert [c["text"] for c in json.loads(run.out)] == _texts(found)[2:]
    text = cli("claims", "find", "Helix", str(helix_pdf))
    assert "2 rejected earlier not shown" in text.out
    ws.vendors.create("Other")
    assert [c["text"] for c in json.loads(cli("claims", "find", "Other", str(helix_pdf), "--json").out)] == \
        _texts(found)
