"""`vendoreval demo`: the sample workspace, its determinism, and totals recomputed by hand from the rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# The rules of docs/scoring.md, written out again here on purpose (not imported from the app).
DISCOUNT = {"sales_assertion": 0.25, "public_documentation": 0.5, "contractual_commitment": 0.75,
            "third_party_certification": 0.9, "verified_by_us": 1.0}
STATUS_STRENGTH = {"asserted": "sales_assertion", "documented": "public_documentation",
                   "contractually_committed": "contractual_commitment",
                   "independently_verified": "third_party_certification"}
ORDER = list(DISCOUNT)


def by_hand(rubric: dict[str, Any], scores: dict[str, Any], claims: dict[str, dict[str, Any]]) -> tuple[float, float]:
    """(claimed, evidence-weighted) of one scorecard, 0..100."""
    total_w = claimed = evidence = 0.0
    for crit in rubric["criteria"]:
        top = crit["scale"]["levels"][-1]["level"]
        s = scores.get(crit["id"])
        if s is None:
            level, counts = 0, True
        elif s["answer"] == "not_applicable":
            counts = False
        elif s["answer"] == "not_disclosed":
            level, counts = 0, True
        elif s["answer"] == "disclosed_no":
            counts = crit["disclosed_no"] != "not_applicable"
            level = crit["disclosed_no"] if counts else 0
        else:
            level, counts = s["level"], True
        if not counts:
            continue
        w = crit["weight"]
        frac = level / top
        ev = 0.0
        if s is not None and s["answer"] in ("level", "disclosed_no"):
            linked = [claims[c] for c in s["claim_ids"] if c in claims]
            strength = s["strength"]
            if strength is None:
                found = [STATUS_STRENGTH[c["status"]] for c in linked if c["status"] in STATUS_STRENGTH]
                strength = max(found, key=ORDER.index) if found else "sales_assertion"
            spoiled = any(c["status"] == "contradicted" for c in linked) or (
                bool(linked) and all(c["status"] == "declined_to_answer" for c in linked))
            ev = 0.0 if spoiled else frac * DISCOUNT[strength]
        total_w += w
        claimed += w * frac
        evidence += w * ev
    return 100 * claimed / total_w, 100 * evidence / total_w


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], list[dict[str, Any]]]:
    """One demo workspace for the read-only checks: its folder, its export and `scores --json`."""
    from vendoreval.cli import main

    folder = tmp_path_factory.mktemp("demo") / "ws"
    out = folder.parent / "demo.json"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    assert main(["--data-dir", str(folder), "export", str(out)]) == 0
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["--data-dir", str(folder), "scores", "--json"]) == 0
    return folder, json.loads(out.read_bytes()), json.loads(buf.getvalue())


def test_scores_json_totals_match_the_rules_by_hand(demo_export) -> None:  # type: ignore[no-untyped-def]
    _, doc, totals = demo_export
    rubrics = {r["content_hash"]: r["rubric"] for r in doc["rubrics"]}
    claims = {c["id"]: c for c in doc["claims"]}
    cards = {c["id"]: c for c in doc["scorecards"]}
    assert len(totals) == len(cards) >= 4 * 6 * 2
    for row in totals:
        card = cards[row["scorecard_id"]]
        claimed, evidence = by_hand(rubrics[card["rubric_hash"]], card["scores"], claims)
        assert row["claimed"] == pytest.approx(claimed, abs=0.006), row
        assert row["evidence_weighted"] == pytest.approx(evidence, abs=0.006), row


def test_sample_content_tells_the_story(demo_export) -> None:  # type: ignore[no-untyped-def]
    _, doc, totals = demo_export
    assert len(doc["vendors"]) >= 4
    assert {r["rubric"] for r in totals} >= {"training-data", "capabilities", "gdpr", "copyright", "ai-act",
                                             "viability"}
    assert len({r["evaluator"] for r in totals}) == 2 and all(r["status"] == "submitted" for r in totals)
    statuses = {c["status"] for c in doc["claims"]}
    assert {"documented", "independently_verified", "contradicted", "declined_to_answer"} <= statuses
    assert all(c["source"] and c["said_on"] for c in doc["claims"])
    knocked = {r["vendor"] for r in totals if r["knocked_out"]}
    assert knocked == {"Nordlicht Personalisation"}
    decided = {v["name"]: v for v in doc["vendors"] if v["decision"] != "not_started"}
    assert decided["Nordlicht Personalisation"]["decision"] == "no_go"
    assert decided["Lumen Copy"]["conditions"] and decided["Lumen Copy"]["decision"] == "go_with_conditions"
    assert doc["files"] and any(e["kind"] == "url" for e in doc["evidence"])


def test_demo_is_deterministic(demo_export, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = demo_export
    assert cli("demo", data=tmp_path / "again").code == 0
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("export", str(a), data=folder).code == 0
    assert cli("export", str(b), data=tmp_path / "again").code == 0
    assert a.read_bytes() == b.read_bytes()


def test_demo_refuses_a_workspace_that_is_not_empty(ws, cli) -> None:  # type: ignore[no-untyped-def]
    ws.vendors.create("Our incumbent")
    before = ws.store.table_counts()
    res = cli("demo")
    assert res.code == 2 and "not empty" in res.err and res.out == ""
    assert ws.store.table_counts() == before


def test_sample_names_a_fictional_organisation(demo_export) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.services.demo import ORGANISATION
    from vendoreval.services.settings import load_settings
    from vendoreval.services.workspace import Workspace

    folder, doc, _ = demo_export
    assert doc["settings"]["organisation"] == ORGANISATION
    assert [a["summary"] for a in doc["audit"] if a["entity"] == "settings"] == ["Changed setting organisation"]
    ws = Workspace(folder, evaluator="x")
    try:
        assert load_settings(ws).organisation == ORGANISATION
    finally:
        ws.close()


def test_sample_keeps_the_users_organisation(ws) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.services.demo import load_sample
    from vendoreval.services.settings import load_settings

    ws.store.set_setting("organisation", "Our Real Co")  # set before, with no record yet (so still empty)
    load_sample(ws)
    assert load_settings(ws).organisation == "Our Real Co"
