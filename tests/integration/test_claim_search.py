"""Search across the claims of every vendor: text, source and status, through the service and the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain.claim_search import search_claims
from vendoreval.domain.models import Claim, ClaimStatus
from vendoreval.services import Workspace


def fill(ws: Workspace) -> dict[str, str]:
    acme, lumen, old = ws.vendors.create("Acme AI"), ws.vendors.create("lumen Copy"), ws.vendors.create("Gone Ltd")
    ids = {
        "tokens": ws.claims.add(acme.id, "Trained on 40 billion tokens of licensed copy.", source="Product deck",
                                page="12").id,
        "own": ws.claims.add(lumen.id, "Our own model, trained from scratch.", source="Webinar",
                             status=ClaimStatus.CONTRADICTED, status_note="Model card names a third-party model").id,
        "gdpr": ws.claims.add(acme.id, "Fully GDPR compliant.", source="Sales call").id,
        "archived": ws.claims.add(old.id, "Trained on your data only with consent.", source="Product deck").id,
    }
    ws.vendors.set_archived(old.id, True)
    return ids


def test_search_finds_words_in_text_source_and_status_across_vendors(ws: Workspace) -> None:
    ids = fill(ws)
    assert [h.claim.id for h in ws.claims.search("trained")] == [ids["tokens"], ids["archived"], ids["own"]]
    assert [(h.vendor, h.fields) for h in ws.claims.search("product DECK")] == [
        ("Acme AI", ("source",)), ("Gone Ltd", ("source",))]
    assert [h.claim.id for h in ws.claims.search("contradicted")] == [ids["own"]]
    assert [h.claim.id for h in ws.claims.search("third-party model")] == [ids["own"]]  # the note on the status
    assert [h.claim.id for h in ws.claims.search("trained", include_archived=False)] == [ids["tokens"], ids["own"]]
    assert [h.claim.id for h in ws.claims.search("trained", ClaimStatus.CONTRADICTED)] == [ids["own"]]
    assert ws.claims.search("trained gdpr") == []  # every word must appear


def test_cli_claims_search_prints_a_table_or_json(cli: Any, ws: Workspace) -> None:
    ids = fill(ws)
    run = cli("claims", "search", "trained", "--active")
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "VENDOR      STATUS        SOURCE               CLAIM                                           ID",
        "----------  ------------  -------------------  ----------------------------------------------  "
        + "-" * len(ids["tokens"]),
        "Acme AI     Asserted      Product deck, p. 12  Trained on 40 billion tokens of licensed copy.  "
        + ids["tokens"],
        f"lumen Copy  Contradicted  Webinar              Our own model, trained from scratch.            {ids['own']}",
    ]
    data = json.loads(cli("claims", "search", "contradicted", "--json").out)
    assert data == [{"id": ids["own"], "vendor": "lumen Copy", "vendor_id": data[0]["vendor_id"],
                     "text": "Our own model, trained from scratch.", "source_kind": "document", "source": "Webinar",
                     "page": "", "said_on": None, "status": "contradicted",
                     "status_note": "Model card names a third-party model", "criteria": [], "matched": ["status"]}]
    none = cli("claims", "search", "blockchain")
    assert (none.code, none.out) == (0, "No claim matches “blockchain”.\n")
    assert json.loads(cli("claims", "search", "blockchain", "--json").out) == []
    with pytest.raises(SystemExit) as usage:
        cli("claims", "search", "x", "--status", "maybe")
    assert usage.value.code == 2


words = st.text(alphabet="abcde ", max_size=12)


@given(st.lists(st.tuples(words.filter(str.strip), words), min_size=1, max_size=6), words)
def test_a_hit_holds_every_word_and_every_claim_holding_them_is_a_hit(rows: list[tuple[str, str]], query: str) -> None:
    claims = [Claim(id=f"c{i}", vendor_id="v", text=t, source=s) for i, (t, s) in enumerate(rows)]
    hits = {h.claim.id for h in search_claims(claims, query, {"v": "V"})}
    for c in claims:
        hay = f"{c.text} {c.source} {c.page} asserted asserted Asserted".casefold()
        assert (c.id in hits) == all(w in hay for w in query.casefold().split())
