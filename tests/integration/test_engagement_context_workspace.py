"""The engagement context end to end: stored per vendor with audit, `context show|set`, and the scores,
comparison, brief and consensus computed under it (a context that makes the DPA not applicable means no
knock-out, and the brief says why)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_compare_cli import write_rubric
from vendoreval.domain.context import EngagementContext
from vendoreval.domain.models import Answer, EvidenceStrength
from vendoreval.services.brief import BriefRequest, BriefService
from vendoreval.services.consensus import ConsensusService
from vendoreval.store.database import DB_FILENAME

SENTENCE = ("Engagement context: the product's general-purpose AI model is a third party's, not the vendor's own; "
            "the vendor is an independent controller of the personal data, not our processor; "
            "we use the product only in EU and US state CA.")
CONTROLLER = "not applicable: the vendor is an independent controller of the personal data, not our processor"


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only this module's small rubrics (the shipped library costs half a second per CLI run)."""
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


def build(ws: Any, tmp: Path) -> dict[str, str]:
    """privacy (dpa: knock-out below 1, applies to processors only; training), skills (quality, speed).

    Acme 100/25 -> 62.5; Gamma has no DPA (level 0) and 4s elsewhere: knocked out until its context
    says it is an independent controller.
    """
    tmp.mkdir(parents=True, exist_ok=True)
    ws.library.add_file(write_rubric(tmp, "privacy", "Data protection", "Privacy", [
        ("dpa", "Data processing agreement",
         'knockout_below = 1\nknockout_reason = "No DPA"\napplies_when = { personal-data = ["processor"] }'),
        ("training", "No training on our data", ""),
    ]))
    ws.library.add_file(write_rubric(tmp, "skills", "What it can do", "Capabilities", [
        ("quality", "Output quality", ""), ("speed", "Speed", ""),
    ]))
    levels = {"Acme": {"privacy": (4, 4), "skills": (1, 1)}, "Gamma": {"privacy": (0, 4), "skills": (4, 4)}}
    ids = {}
    for name, rubrics in levels.items():
        v = ws.vendors.create(name)
        ids[name] = v.id
        for rid, pair in rubrics.items():
            card = ws.scorecards.create(v.id, rid)
            cids = ["dpa", "training"] if rid == "privacy" else ["quality", "speed"]
            for cid, level in zip(cids, pair, strict=True):
                ws.scorecards.set_score(card.id, cid, level=level, strength=EvidenceStrength.OWN_TEST,
                                        rationale=f"{name} {cid}")
    return ids


# --- storage and audit --------------------------------------------------------------------------


def test_answers_are_stored_per_vendor_with_one_audit_entry_per_question(ws: Any, data_dir: Path) -> None:
    a = ws.vendors.create("Acme")
    b = ws.vendors.create("Beta")
    ws.contexts.set(a.id, {"gpai-model": "none", "markets": "uk, eu,us-ca"})
    assert ws.contexts.get(a.id).as_json() == {"gpai-model": "none", "markets": ["eu", "uk", "us-ca"]}
    assert ws.contexts.get(b.id).is_empty()
    entries = [e for e in ws.history(a.id) if e.entity == "engagement_context"]
    assert sorted((e.field, e.old, e.new) for e in entries) == [("gpai-model", None, "none"),
                                                                 ("markets", None, "eu,uk,us-ca")]
    ws.contexts.set(a.id, {"gpai-model": "own", "markets": "eu,uk,us-ca"})  # markets unchanged: no entry
    entries = [e for e in ws.history(a.id) if e.entity == "engagement_context"]
    assert len(entries) == 3 and (entries[0].field, entries[0].old, entries[0].new) == ("gpai-model", "none", "own")
    ws.contexts.set(a.id, {"gpai-model": "unset", "markets": None})
    assert ws.contexts.get(a.id).is_empty()
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    assert conn.execute("SELECT COUNT(*) FROM engagement_contexts").fetchone()[0] == 0  # nothing answered: no row
    conn.close()


def test_a_refused_answer_changes_nothing(ws: Any) -> None:
    from vendoreval.domain.context import ContextError

    a = ws.vendors.create("Acme")
    ws.contexts.set(a.id, {"annex-iii": "no"})
    before = len(ws.history(a.id))
    with pytest.raises(ContextError, match="generates: 'pictures' is not allowed; generates takes a comma list"):
        ws.contexts.set(a.id, {"annex-iii": "yes", "generates": "text,pictures"})
    assert ws.contexts.get(a.id).as_json() == {"annex-iii": "no"} and len(ws.history(a.id)) == before


def test_deleting_a_vendor_takes_its_context_and_undo_brings_it_back(ws: Any) -> None:
    a = ws.vendors.create("Acme")
    ws.contexts.set(a.id, {"personal-data": "controller"})
    snap = ws.vendors.delete(a.id)
    assert ws.store.engagement_contexts() == []
    ws.vendors.restore(snap)
    assert ws.contexts.get(a.id) == EngagementContext({"personal-data": "controller"})


# --- the CLI ------------------------------------------------------------------------------------


def test_cli_set_and_show(ws: Any, cli: Any, tmp_path: Path) -> None:
    build(ws, tmp_path / "r")
    r = cli("context", "set", "Gamma", "personal-data=controller", "markets=eu,us-co", "generates=none")
    assert r.code == 0, r.err
    assert "privacy/dpa  " + CONTROLLER in r.out
    r = cli("context", "show", "Gamma", "--json")
    data = json.loads(r.out)
    assert data["answers"] == {"personal-data": "controller", "generates": [], "markets": ["eu", "us-co"]}
    assert data["unanswered"] == ["gpai-model", "annex-iii", "crawls-or-fine-tunes"]
    assert data["not_applicable"] == {"privacy/dpa": CONTROLLER}
    r = cli("context", "set", "Gamma", "annex-iii", "yes")  # KEY VALUE, as the issue writes it
    assert r.code == 0 and json.loads(cli("context", "show", "Gamma", "--json").out)["answers"]["annex-iii"] == "yes"


@pytest.mark.parametrize(("args", "message"), [
    (["colour=red"], "unknown context question 'colour'; the questions are: gpai-model, personal-data, generates, "
                     "annex-iii, markets, crawls-or-fine-tunes"),
    (["markets=eu,fr"], "markets: 'fr' is not allowed; markets takes a comma list of eu, uk, us-<state>"),
    (["markets=us-zz"], "markets: 'us-zz' is not allowed"),
    (["gpai-model=maybe"], "gpai-model: 'maybe' is not an answer; gpai-model takes one of none, third-party, own"),
    (["generates=none,text"], "generates: 'none' cannot be combined with other values"),
    (["annex-iii=yes", "gpai-model"], "'gpai-model' is not KEY=VALUE"),
])
def test_cli_refuses_unknown_keys_and_values_naming_them(ws: Any, cli: Any, args: list[str], message: str) -> None:
    ws.vendors.create("Acme")
    r = cli("context", "set", "Acme", "annex-iii=no")
    assert r.code == 0
    r = cli("context", "set", "Acme", *args)
    assert r.code == 2 and message in r.err and r.out == ""
    assert json.loads(cli("context", "show", "Acme", "--json").out)["answers"] == {"annex-iii": "no"}


# --- totals, compare, scores, brief, consensus ---------------------------------------------------


def test_compare_does_not_knock_out_a_vendor_whose_context_makes_the_dpa_not_applicable(
        ws: Any, cli: Any, tmp_path: Path) -> None:
    ids = build(ws, tmp_path / "r")
    before = json.loads(cli("compare", "--format", "json").out)["ranking"]
    assert [(e["vendor"], e["rank"], e["overall"], e["knocked_out"]) for e in before] == [
        ("Acme", 1, 62.5, False), ("Gamma", 2, 75.0, True)]
    ws.contexts.set(ids["Gamma"], {"personal-data": "controller"})
    after = json.loads(cli("compare", "--format", "json").out)["ranking"]
    # Gamma: privacy = training alone (4/4) = 100, skills 100 -> 100, first
    assert [(e["vendor"], e["rank"], e["overall"], e["knocked_out"]) for e in after] == [
        ("Gamma", 1, 100.0, False), ("Acme", 2, 62.5, False)]
    assert after[0]["knockout_reasons"] == [] and after[0]["not_applicable"] == {"privacy/dpa": CONTROLLER}
    assert after[0]["rubrics"]["privacy"]["claimed"] == 100.0 and after[1]["not_applicable"] == {}
    # a processor: the DPA applies again, and knocks out
    ws.contexts.set(ids["Gamma"], {"personal-data": "processor"})
    again = json.loads(cli("compare", "--format", "json").out)["ranking"]
    assert [(e["vendor"], e["knocked_out"]) for e in again] == [("Acme", False), ("Gamma", True)]


def test_scores_json_gives_each_not_applicable_score_its_reason(ws: Any, cli: Any, tmp_path: Path) -> None:
    ids = build(ws, tmp_path / "r")
    acme_card = next(c for c in ws.store.scorecards(vendor_id=ids["Acme"]) if c.rubric_id == "skills")
    ws.scorecards.set_score(acme_card.id, "speed", answer=Answer.NOT_APPLICABLE)
    ws.contexts.set(ids["Gamma"], {"personal-data": "controller"})
    rows = json.loads(cli("scores", "--json").out)
    gamma = next(r for r in rows if r["vendor"] == "Gamma" and r["rubric"] == "privacy")
    assert gamma["knocked_out"] is False and gamma["claimed"] == 100.0
    assert gamma["scores"] == [
        {"criterion": "dpa", "answer": "not_applicable", "level": None, "top": 4, "counts": False,
         "not_applicable_reason": CONTROLLER},
        {"criterion": "training", "answer": "level", "level": 4, "top": 4, "counts": True},
    ]
    acme = next(r for r in rows if r["vendor"] == "Acme" and r["rubric"] == "skills")
    assert acme["scores"][1] == {"criterion": "speed", "answer": "not_applicable", "level": None, "top": 4,
                                 "counts": False, "not_applicable_reason": "not applicable: scored so by ann"}


def test_the_brief_says_why_the_dpa_does_not_apply(ws: Any, tmp_path: Path) -> None:
    ids = build(ws, tmp_path / "r")
    service = BriefService(ws)
    request = BriefRequest(date=dt.date(2026, 12, 3))
    before = service.gather(request)[0].fingerprint
    ws.contexts.set(ids["Gamma"], {"markets": "eu,us-ca", "personal-data": "controller", "gpai-model": "third-party"})
    src, _ = service.gather(request)
    assert src.fingerprint != before  # a changed context is a changed brief (--verify says CHANGED)
    data = service.build(request)
    page = next(p for p in data.vendors if p.name == "Gamma")
    assert page.rank == 1 and page.knockouts == ()
    # the answers read as words, in the order the questions are asked, not as raw keys ('personal-data: controller')
    assert page.context_sentence == SENTENCE
    assert page.not_applicable == (f"Privacy › Data processing agreement — {CONTROLLER}",)
    assert data.summary.recommendation.vendor == "Gamma"
    dpa = next(r for r in data.rationales if r.vendor == "Gamma" and r.criterion == "Data processing agreement")
    assert dpa.answer == f"Level 0 of 4 (None) — verified by us — does not count, {CONTROLLER}"
    acme = next(p for p in data.vendors if p.name == "Acme")
    assert acme.context == () and acme.not_applicable == () and acme.context_sentence == ""
    out = tmp_path / "brief.pdf"
    service.export(request, out)
    import pypdf

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "Not applicable in this engagement" in " ".join(text.split())
    assert SENTENCE in " ".join(text.split())
    assert "personal-data:" not in text and "gpai-model" not in text
    assert service.verify(out).status.value == "match"


def test_consensus_leaves_a_ruled_out_criterion_out_of_the_spread(ws: Any, cli: Any, tmp_path: Path) -> None:
    ids = build(ws, tmp_path / "r")
    ws.set_evaluator("bob")
    card = ws.scorecards.create(ids["Gamma"], "privacy")
    ws.scorecards.set_score(card.id, "dpa", level=4, strength=EvidenceStrength.OWN_TEST)  # ann gave 0
    ws.scorecards.set_score(card.id, "training", level=4, strength=EvidenceStrength.OWN_TEST)
    c = ConsensusService(ws).for_vendor(ids["Gamma"], "privacy")
    assert [r.criterion.id for r in c.flagged] == ["dpa"] and c.agreement.percent == 0.5
    ws.contexts.set(ids["Gamma"], {"personal-data": "joint-controller"})
    c = ConsensusService(ws).for_vendor(ids["Gamma"], "privacy")
    dpa = c.rows[0]
    assert dpa.not_applicable_reason == ("not applicable: the vendor is a joint controller of the personal data "
                                         "with us, not our processor")
    assert dpa.spread is None and not dpa.flagged and c.flagged == [] and c.agreement.percent == 1.0
    data = json.loads(cli("consensus", "show", "Gamma", "--json").out)
    assert data[0]["criteria"][0]["not_applicable_reason"] == dpa.not_applicable_reason
    assert data[0]["criteria"][1]["not_applicable_reason"] is None


# --- the workspace file ---------------------------------------------------------------------------


def test_the_workspace_file_carries_the_context_and_a_merge_keeps_the_newer(
        ws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vendoreval.exchange import workspace_file
    from vendoreval.services.exchange import ExchangeService
    from vendoreval.services.workspace import Workspace

    ids = build(ws, tmp_path / "r")
    ws.contexts.set(ids["Gamma"], {"personal-data": "controller", "generates": "none"})
    first = ExchangeService(ws).workspace_bytes()
    doc = json.loads(first)
    assert doc["engagement_contexts"] == [{"vendor_id": ids["Gamma"], "updated_at": ws.contexts.record(
        ids["Gamma"]).updated_at, "answers": {"generates": [], "personal-data": "controller"}}]
    copy = Workspace(tmp_path / "copy", evaluator="bob")
    try:
        result = ExchangeService(copy).import_workspace(workspace_file.parse(first, "a.json"), "a.json")
        assert result.restored and result.added["engagement contexts"] == 1
        assert copy.contexts.get(ids["Gamma"]) == ws.contexts.get(ids["Gamma"])
        assert ExchangeService(copy).workspace_bytes() == first  # export -> import -> export: same bytes
        gamma = next(t for t in copy.totals.vendor_totals() if t.vendor.name == "Gamma")
        assert not gamma.overall.knocked_out and gamma.overall.claimed == pytest.approx(100.0)
        # the original answers again, later: a merge takes the newer answers
        monkeypatch.setattr("vendoreval.services.contexts.utc_now", lambda: "2099-01-01T00:00:00Z")
        ws.contexts.set(ids["Gamma"], {"personal-data": "processor"})
        merged = ExchangeService(copy).import_workspace(
            workspace_file.parse(ExchangeService(ws).workspace_bytes(), "b.json"), "b.json")
        assert merged.updated["engagement contexts"] == 1
        assert copy.contexts.get(ids["Gamma"]).as_json() == {"personal-data": "processor", "generates": []}
    finally:
        copy.close()


def test_a_released_schema_8_database_gains_the_table_and_keeps_its_version(tmp_path: Path) -> None:
    """0004 runs after 0008 on a database written before it existed: the version is never lowered."""
    import shutil

    from vendoreval.services.workspace import Workspace
    from vendoreval.store.migrations import RELEASED_SCHEMAS, SCHEMA_VERSION

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / f"schema-v{max(RELEASED_SCHEMAS)}.db"
    shutil.copyfile(fixture, tmp_path / DB_FILENAME)
    before = sqlite3.connect(tmp_path / DB_FILENAME)
    # as a database written by a build that had 0008 but not yet 0004
    before.execute("DROP TABLE engagement_contexts")
    before.execute("DELETE FROM _sqlite_migrations WHERE name = '0004_engagement_context'")
    before.commit()
    assert before.execute("SELECT name FROM sqlite_master WHERE name = 'engagement_contexts'").fetchone() is None
    before.close()
    upgraded = Workspace(tmp_path, evaluator="upgrader")
    try:
        assert upgraded.store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        acme = upgraded.vendors.find("Acme AI")
        assert upgraded.contexts.get(acme.id).is_empty()
        upgraded.contexts.set(acme.id, {"gpai-model": "third-party"})
        assert upgraded.contexts.get(acme.id).as_json() == {"gpai-model": "third-party"}
    finally:
        upgraded.close()
