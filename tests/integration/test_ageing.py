"""Claims and evidence that age, the reassessment cadence, `vendoreval due`, and scores to re-check."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from vendoreval.services.ageing import AgeingService, today
from vendoreval.services.supply_chain import SupplyChainService
from vendoreval.services.workspace import Workspace


@pytest.fixture
def vendor(ws: Workspace, tmp_path: Path):  # type: ignore[no-untyped-def]
    v = ws.vendors.create("Brightwave")
    doc = tmp_path / "soc2.pdf"
    doc.write_bytes(b"%PDF-1.4 report")
    ws.evidence.add_file(v.id, doc, title="SOC 2 Type II report")
    ws.claims.add(v.id, "98% accurate audience predictions.")
    return v


def test_dates_set_by_cli_make_items_due_soonest_first(cli, ws: Workspace, vendor) -> None:  # type: ignore[no-untyped-def]
    assert cli("dates", "evidence", "Brightwave", "soc 2", "--effective", "2025-06-01",
               "--valid-until", "2026-05-31").code == 0
    assert cli("dates", "claim", "Brightwave", "98%", "--review-by", "2026-03-01").code == 0
    doc = json.loads(cli("due", "--json", "--as-of", "2026-05-10").out)
    assert [(i["kind"], i["due_on"], i["status"]) for i in doc["items"]] == [
        ("claim", "2026-03-01", "stale"),  # review-by passed
        ("evidence", "2026-05-31", "due soon"),  # 12 months from 2025-06-01 is 2026-06-01; valid until comes first
    ]
    assert doc["items"][1]["reason"] == "valid until 2026-05-31"
    assert [i["kind"] for i in json.loads(cli("due", "--json", "--as-of", "2026-04-01").out)["items"]] == ["claim"]
    # a 6-month cadence makes the report stale from 2025-12-01
    assert cli("dates", "cadence", "Brightwave", "6").code == 0
    doc = json.loads(cli("due", "--json", "--as-of", "2026-04-01").out)
    ev = next(i for i in doc["items"] if i["kind"] == "evidence")
    assert (ev["due_on"], ev["status"]) == ("2025-12-01", "stale")
    assert ev["reason"] == ("issued 2025-06-01; older than the 6-month cadence from 2025-12-01; "
                            "valid until 2026-05-31")
    assert "1 item stale" not in cli("due", "--as-of", "2026-04-01").out  # two are
    assert "2 items stale, 0 due within 30 days (as of 2026-04-01)." in cli("due", "--as-of", "2026-04-01").out
    history = [(e.field, e.new) for e in ws.history(vendor.id)]
    assert ("review_by", "2026-03-01") in history and ("cadence", "6 months") in history


@pytest.mark.parametrize(("args", "expected"), [
    (["evidence", "Brightwave", "soc", "--effective", "2999-01-01"], "effective date 2999-01-01 is in the future"),
    (["evidence", "Brightwave", "soc", "--effective", "2026-01-10", "--valid-until", "2026-01-09"],
     "valid until 2026-01-09 is before the effective date 2026-01-10"),
    (["evidence", "Brightwave", "soc", "--effective", "1.1.2026"],
     "--effective: '1.1.2026' is not a date (YYYY-MM-DD)"),
    (["evidence", "Brightwave", "nope", "--effective", "2026-01-01"], "Brightwave: no evidence 'nope'"),
    (["claim", "Brightwave", "98%", "--review-by", "2026-02-30"], "'2026-02-30' is not a date"),
    (["cadence", "Brightwave", "0"], "cadence: 0 months; give 1 to 60 months"),
    (["cadence", "Brightwave", "six"], "'six' is not a whole number of months"),
])
def test_bad_dates_are_refused_and_nothing_changes(cli, ws: Workspace, vendor, args: list[str],  # type: ignore[no-untyped-def]
                                                   expected: str) -> None:
    before = ws.store.table_counts()
    res = cli("dates", *args)
    assert res.code == 2 and expected in res.err
    assert ws.store.table_counts() == before


def test_a_vendor_is_due_for_reassessment_after_its_cadence(ws: Workspace, vendor) -> None:  # type: ignore[no-untyped-def]
    ws.library.remember(_rubric())
    ws.scorecards.create(vendor.id, "age-test")
    svc = AgeingService(ws)
    in_a_year = dt.date.fromisoformat(ws.store.scorecards(vendor.id)[0].updated_at[:10]).replace(
        year=today().year + 1) + dt.timedelta(days=1)
    (item,) = [i for i in svc.due(in_a_year) if i.kind == "vendor"]
    assert item.stale(in_a_year) and "reassessment every 12 months" in item.reason
    assert [i for i in svc.due(today()) if i.kind == "vendor"] == []


def test_a_new_model_version_puts_model_criteria_to_recheck_until_confirmed(cli, ws: Workspace, vendor) -> None:  # type: ignore[no-untyped-def]
    card = ws.scorecards.create(vendor.id, "training-data")
    ws.scorecards.set_score(card.id, "text-tokens", level=2, rationale="data sheet p. 2")
    ws.scorecards.set_score(card.id, "data-freshness", level=2, rationale="demo")  # not about the model
    SupplyChainService(ws).add(vendor.id, "OpenAI", "GPT-4o", version="2024-08-06")
    assert AgeingService(ws).rechecks(vendor.id) == []
    time.sleep(1.05)  # edit times have seconds precision
    assert cli("models", "set-version", "Brightwave", "GPT-4o", "2024-11-20").code == 0
    rows = json.loads(cli("recheck", "list", "Brightwave", "--json").out)
    assert [(r["criterion"], r["reason"]) for r in rows] == [
        ("training-data:text-tokens", "Brightwave: OpenAI GPT-4o version 2024-08-06 → 2024-11-20")]
    res = cli("recheck", "confirm", "Brightwave", "training-data:text-tokens", "--note", "same data sheet")
    assert res.code == 0 and "confirmed (1 reason cleared)" in res.out
    assert json.loads(cli("recheck", "list", "Brightwave", "--json").out) == []
    again = cli("recheck", "confirm", "Brightwave", "training-data:text-tokens")
    assert again.code == 2 and "is not marked to re-check" in again.err
    assert any(e.action == "confirm" and "same data sheet" in e.summary for e in ws.history(vendor.id))


def test_an_expired_certificate_puts_the_scores_resting_on_it_to_recheck(ws: Workspace, vendor) -> None:  # type: ignore[no-untyped-def]
    ws.library.remember(_rubric())
    (report,) = ws.evidence.list(vendor.id)
    card = ws.scorecards.create(vendor.id, "age-test")
    ws.scorecards.set_score(card.id, "other", level=4, rationale="SOC 2", evidence_ids=[report.id])
    ws.scorecards.set_score(card.id, "text-tokens", level=1, rationale="no report")
    # the score was set a year ago (as if): the certificate expired after it
    old = ws.store.scorecard(card.id).scores["other"].model_copy(update={"updated_at": "2025-12-01T09:00:00Z"})
    with ws.store.transaction():
        ws.store.save_score(card.id, old)
    svc = AgeingService(ws)
    svc.set_evidence_dates(report.id, dt.date(2025, 1, 15), dt.date(2026, 1, 14))
    assert svc.rechecks(vendor.id, as_of=dt.date(2026, 1, 14)) == []  # valid through its last day
    (r,) = svc.rechecks(vendor.id, as_of=dt.date(2026, 2, 1))
    assert (r.criterion_id, r.trigger.reason) == ("other", "evidence “SOC 2 Type II report” expired on 2026-01-14")
    # changing the score after the expiry is a re-check by itself
    ws.scorecards.set_score(card.id, "other", level=3, rationale="SOC 2 expired; bridge letter")
    assert svc.rechecks(vendor.id, as_of=dt.date(2026, 2, 1)) == []


def _rubric():  # type: ignore[no-untyped-def]
    from tests import factories

    return factories.rubric("age-test", [factories.criterion("text-tokens"), factories.criterion("other")])


def test_dates_travel_in_the_workspace_file(cli, ws: Workspace, vendor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("dates", "evidence", "Brightwave", "soc", "--effective", "2025-06-01", "--valid-until", "2026-05-31")
    cli("dates", "claim", "Brightwave", "98%", "--review-by", "2026-03-01")
    cli("dates", "cadence", "Brightwave", "9")
    out = tmp_path / "ws.json"
    assert cli("export", str(out)).code == 0
    ageing = json.loads(out.read_text(encoding="utf-8"))["ageing"]
    assert [d["effective_on"] for d in ageing["evidence"]] == ["2025-06-01"]
    assert [d["review_by"] for d in ageing["claims"]] == ["2026-03-01"] and ageing["cadence"][0]["months"] == 9
    other = tmp_path / "other"
    assert cli("import", str(out), data=other).code == 0
    a = json.loads(cli("due", "--json", "--as-of", "2026-05-10", data=other).out)
    b = json.loads(cli("due", "--json", "--as-of", "2026-05-10").out)
    assert a == b and len(a["items"]) == 2
    # export -> import -> export gives the same bytes
    again = tmp_path / "again.json"
    assert cli("export", str(again), data=other).code == 0
    assert json.loads(again.read_text(encoding="utf-8"))["ageing"] == ageing
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["ageing"]["evidence"][0]["valid_until"] = "2024-01-01"
    out.write_text(json.dumps(doc), encoding="utf-8")
    bad = cli("import", str(out), data=tmp_path / "third")
    assert bad.code == 2 and "ageing.evidence[0].valid_until: 2024-01-01 is before the effective date" in bad.err


def test_a_high_risk_use_halves_the_default_cadence(cli, ws: Workspace, vendor) -> None:  # type: ignore[no-untyped-def]
    assert AgeingService(ws).cadence(vendor.id) == (12, False)
    assert cli("context", "set", "Brightwave", "annex-iii=yes").code == 0
    assert AgeingService(ws).cadence(vendor.id) == (6, False)
    cli("dates", "cadence", "Brightwave", "3")
    assert AgeingService(ws).cadence(vendor.id) == (3, True)


def test_a_source_document_that_changed_puts_the_scores_on_its_claims_to_recheck(
        cli, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws.library.remember(_rubric())
    v = ws.vendors.create("Northwind")
    deck = tmp_path / "deck.pdf"
    deck.write_bytes(b"%PDF-1.4 version one")
    first = ws.evidence.add_file(v.id, deck)
    claim = ws.claims.add(v.id, "Our own model, trained on 2 billion interactions.", evidence_ids=[first.id])
    unrelated = ws.evidence.add_file(v.id, _write(tmp_path / "dpa.pdf", b"%PDF-1.4 dpa"))
    card = ws.scorecards.create(v.id, "age-test")
    ws.scorecards.set_score(card.id, "text-tokens", level=3, rationale="deck", claim_ids=[claim.id])
    ws.scorecards.set_score(card.id, "other", level=2, rationale="DPA", evidence_ids=[unrelated.id])
    with ws.store.transaction():  # both scores were set before the new deck came in
        for cid in ("text-tokens", "other"):
            ws.store.save_score(card.id, ws.store.scorecard(card.id).scores[cid].model_copy(
                update={"updated_at": "2025-12-01T09:00:00Z"}))
    svc = AgeingService(ws)
    ws.evidence.add_file(v.id, _write(tmp_path / "dpa.pdf", b"%PDF-1.4 dpa"))  # same bytes again: no change
    assert svc.rechecks(v.id) == []
    deck.write_bytes(b"%PDF-1.4 version two, with other figures")
    second = ws.evidence.add_file(v.id, deck)
    (r,) = svc.rechecks(v.id)
    assert r.criterion_id == "text-tokens"
    assert r.trigger.reason == (f"source document \u201cdeck.pdf\u201d changed (a new version came in on "
                                f"{second.created_at[:10]}; SHA-256 {second.sha256[:12]}\u2026)")
    rows = json.loads(cli("recheck", "list", "Northwind", "--json").out)
    assert [row["criterion"] for row in rows] == ["age-test:text-tokens"]
    assert cli("recheck", "confirm", "Northwind", "age-test:text-tokens").code == 0
    assert svc.rechecks(v.id) == []
    deck.write_bytes(b"%PDF-1.4 version three")  # a third version marks it again
    ws.evidence.add_file(v.id, deck)
    assert [x.criterion_id for x in svc.rechecks(v.id)] == ["text-tokens"]


def _write(path: Path, raw: bytes) -> Path:
    path.write_bytes(raw)
    return path


def test_due_items_read_evidence_heads_that_match_the_records(ws: Workspace, vendor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The due list reads only ids, dates and names of the evidence (launch shows it for every vendor)."""
    ws.evidence.add_url(vendor.id, "https://example.com/trust")
    ws.evidence.add_note(vendor.id, "Told us on the phone that the DPA is signed")
    heads = ws.store.evidence_heads()
    records = ws.store.evidence()
    assert [(h.id, h.vendor_id, h.created_at, h.title, h.original_name, h.url, h.note) for h in heads] == \
        [(e.id, e.vendor_id, e.created_at, e.title, e.original_name, e.url, e.note) for e in records]
