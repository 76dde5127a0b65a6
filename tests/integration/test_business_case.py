"""The business case beside the commercial terms (Board paper 5, "why, in words"): the product category, the use
case, the expected benefit and the claim it rests on — stored, on the CLI, in the workspace file, in the brief."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vendoreval.domain.commercials import CommercialsError
from vendoreval.exchange import ExchangeError
from vendoreval.exchange import workspace_file as wf
from vendoreval.reports.brief_data import CaseLine, alternatives_sentence
from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService


def _case(vendor: str, category: str) -> CaseLine:
    return CaseLine(vendor, category, "", "", None)


@pytest.mark.parametrize(("lines", "sentence"), [
    ([], ""),
    ([_case("Acme", ""), _case("Beta", "")], ""),
    ([_case("Acme", "Copywriting assistant"), _case("Beta", "copywriting assistant")],
     "Two vendors are in one product category (Copywriting assistant): real alternatives to each other."),
    ([_case("Acme", "Copywriting assistant"), _case("Beta", "Image generation"), _case("Cora", "Copywriting assistant"),
      _case("Dune", "")],
     "The vendors are in two product categories (Copywriting assistant: Acme and Cora; Image generation: Beta). "
     "Only vendors in the same category are real alternatives; the others answer different needs. "
     "No product category is recorded for Dune."),
    ([_case("Acme", "Image generation"), _case("Beta", "")],
     "Only Acme has a product category recorded (Image generation). No product category is recorded for Beta."),
])
def test_whether_the_vendors_are_real_alternatives(lines: list[CaseLine], sentence: str) -> None:
    assert alternatives_sentence(lines) == sentence


def test_the_benefit_claim_must_be_one_of_the_vendors_claims(ws: Workspace) -> None:
    acme, beta = ws.vendors.create("Acme"), ws.vendors.create("Beta")
    mine = ws.claims.add(acme.id, "Campaigns ship 40% faster.")
    theirs = ws.claims.add(beta.id, "Beta's own claim.")
    terms = ws.commercials.set(acme.id, {"category": "  Copywriting   assistant ", "benefit_claim": mine.id[:8]})
    assert (terms.category, terms.benefit_claim) == ("Copywriting assistant", mine.id)  # prefix → the full id
    before = ws.store.table_counts()
    with pytest.raises(CommercialsError, match="no claim of this vendor has that id") as exc:
        ws.commercials.set(acme.id, {"benefit_claim": theirs.id, "use_case": "drafts"})
    assert exc.value.field == "benefit_claim" and ws.store.table_counts() == before
    assert ws.commercials.get(acme.id).use_case == ""  # nothing of the refused edit was written
    with pytest.raises(CommercialsError, match="at most 2000"):
        ws.commercials.set(acme.id, {"benefit": "x" * 2001})


def test_cli_sets_and_shows_the_case_and_refuses_a_bad_claim(cli: Any, ws: Workspace) -> None:
    acme = ws.vendors.create("Acme")
    claim = ws.claims.add(acme.id, "Campaigns ship 40% faster with our assistant.")
    r = cli("commercials", "set", "Acme", "--category", "Copywriting assistant", "--use-case", "First drafts",
            "--benefit", "Faster campaigns", "--benefit-claim", claim.id[:10])
    assert r.code == 0, r.err
    assert f"claim the benefit rests on  {claim.id[:8]} “Campaigns ship 40% faster with our assistant.”" in r.out
    shown = json.loads(cli("commercials", "show", "Acme", "--json").out)
    assert (shown["category"], shown["use_case"], shown["benefit"], shown["benefit_claim"]) == (
        "Copywriting assistant", "First drafts", "Faster campaigns", claim.id)
    bad = cli("commercials", "set", "Acme", "--benefit-claim", "nope-nope")
    assert bad.code == 2 and bad.err.startswith("vendoreval: --benefit-claim:"), bad.err
    assert json.loads(cli("commercials", "show", "Acme", "--json").out) == shown


def test_the_case_travels_in_the_workspace_file_and_a_dangling_claim_is_refused(ws: Workspace, tmp_path: Path) -> None:
    acme = ws.vendors.create("Acme")
    claim = ws.claims.add(acme.id, "Campaigns ship 40% faster.")
    ws.commercials.set(acme.id, {"category": "Copywriting assistant", "use_case": "Drafts", "benefit": "Speed",
                                 "benefit_claim": claim.id})
    raw = ExchangeService(ws).workspace_bytes()
    other = Workspace(tmp_path / "other", evaluator="bob")
    try:
        path = tmp_path / "w.json"
        path.write_bytes(raw)
        ExchangeService(other).import_file(path)
        got = other.commercials.get(acme.id)
        assert (got.category, got.use_case, got.benefit, got.benefit_claim) == (
            "Copywriting assistant", "Drafts", "Speed", claim.id)
        assert ExchangeService(other).workspace_bytes() == raw
    finally:
        other.close()
    doc = json.loads(raw)
    doc["commercials"][0]["benefit_claim"] = "not-a-claim"
    with pytest.raises(ExchangeError, match=r"commercials\[0\]\.benefit_claim: no claim not-a-claim"):
        wf.parse(json.dumps(doc).encode("utf-8"), "w.json")


def test_the_brief_says_why_in_words_with_the_claim_behind_the_benefit(ws: Workspace) -> None:
    import datetime as dt

    from vendoreval.domain.models import EvidenceStrength
    from vendoreval.services.brief import BriefRequest, BriefService

    ids = {}
    for name in ("Acme", "Beta"):
        v = ws.vendors.create(name)
        card = ws.scorecards.create(v.id, "viability")
        ws.scorecards.set_score(card.id, ws.scorecards.rubric_of(card).criteria[0].id, level=2,
                                strength=EvidenceStrength.DOCUMENTATION)
        ids[name] = v.id
    claim = ws.claims.add(ids["Acme"], "Campaigns ship 40% faster.", source="Sales deck", page="4")
    ws.commercials.set(ids["Acme"], {"category": "Copywriting assistant", "use_case": "Drafts",
                                     "benefit": "Speed", "benefit_claim": claim.id})
    ws.commercials.set(ids["Beta"], {"category": "Image generation"})
    data = BriefService(ws).build(BriefRequest(date=dt.date(2026, 11, 30)))
    acme = next(c for c in data.cases if c.vendor == "Acme")
    assert (acme.category, acme.use_case, acme.benefit) == ("Copywriting assistant", "Drafts", "Speed")
    assert acme.rests_on is not None and acme.rests_on.text == "Campaigns ship 40% faster."
    assert acme.rests_on.status == "Asserted"
    assert data.alternatives.startswith("The vendors are in two product categories (")
