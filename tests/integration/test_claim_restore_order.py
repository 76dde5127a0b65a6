"""An undone deletion puts a claim back in its document's order: the claims of one import (or one document
read by the finder) are recorded at one moment and listed as the document has them."""

from __future__ import annotations

from pathlib import Path

from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService

TEXTS = ["First claim of the deck.", "Second claim of the deck.", "Third claim of the deck.",
         "Fourth claim of the deck."]


def _imported(ws: Workspace, tmp_path: Path) -> str:
    v = ws.vendors.create("Acme AI")
    path = tmp_path / "claims.csv"
    path.write_text("vendor,text\r\n" + "".join(f"Acme AI,{t}\r\n" for t in TEXTS), encoding="utf-8")
    ExchangeService(ws).import_file(path)
    assert len({c.created_at for c in ws.claims.list(v.id)}) == 1  # one moment: the order is the rowid's
    return v.id


def test_a_restored_claim_returns_to_its_place(ws: Workspace, tmp_path: Path) -> None:
    vid = _imported(ws, tmp_path)
    second = ws.claims.list(vid)[1]
    position = ws.claims.position(second.id)
    ws.claims.delete(second.id)
    assert [c.text for c in ws.claims.list(vid)] == [TEXTS[0], *TEXTS[2:]]
    ws.claims.restore(second, position=position)
    assert [c.text for c in ws.claims.list(vid)] == TEXTS
    assert ws.claims.get(second.id) == second  # the same claim, every field


def test_without_its_place_or_when_the_place_is_taken_it_comes_after_its_batch(ws: Workspace,
                                                                               tmp_path: Path) -> None:
    vid = _imported(ws, tmp_path)
    claims = ws.claims.list(vid)
    ws.claims.delete(claims[1].id)
    ws.claims.restore(claims[1])
    assert [c.text for c in ws.claims.list(vid)] == [TEXTS[0], TEXTS[2], TEXTS[3], TEXTS[1]]
    last = ws.claims.list(vid)[-1]
    position = ws.claims.position(claims[3].id)
    ws.claims.delete(claims[3].id)
    ws.claims.restore(claims[3], position=ws.claims.position(last.id))  # a place another claim holds
    assert [c.text for c in ws.claims.list(vid)] == [TEXTS[0], TEXTS[2], TEXTS[1], TEXTS[3]]
    assert position is not None and ws.claims.position("no such claim") is None
