"""`vendoreval scorecards upgrade` and `rubrics show --crosswalk`, with test rubrics using the 2026 keys."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests import factories
from vendoreval.exchange.indicator_csv import rubric_to_toml

XWALK = [{"framework": "iso42001", "id": "A.7.4", "title": "Quality of data"},
         {"framework": "nist-ai-rmf", "id": "MAP 4.1", "title": "Legal risks mapped"}]


def write_rubrics(data_dir: Path) -> None:
    folder = data_dir / "rubrics"
    folder.mkdir(parents=True, exist_ok=True)
    old = factories.rubric("law", [factories.criterion("keep"), factories.criterion("reworded"),
                                   factories.criterion("dropped")], version="1.0")
    new = factories.rubric("law", [
        factories.criterion("keep", crosswalk=XWALK, see_also=["other/fact", "missing/thing"]),
        {**factories.criterion("reworded"), "question": "A sharper question?"},
        factories.criterion("added"),
    ], version="2026.12", law_reviewed_on="2026-12-01",
        changelog=[{"version": "2026.12", "date": "2026-12-01", "changes": ["Reworded the question"]}])
    other = factories.rubric("other", [{**factories.criterion("fact"), "title": "Training on customer data"}],
                             area="GDPR")
    for r in (old, new, other):
        (folder / f"{r.id}-{r.version}.toml").write_text(rubric_to_toml(r), encoding="utf-8")


def test_upgrade_carries_unchanged_and_lists_what_to_rescore(cli: Any, data_dir: Path) -> None:
    write_rubrics(data_dir)
    assert cli("vendors", "add", "Acme").code == 0
    from vendoreval.services.workspace import Workspace

    ws = Workspace(data_dir, evaluator="ann")
    try:
        v = ws.vendors.find("Acme")
        card = ws.scorecards.create(v.id, "law", "1.0")
        for cid in ("keep", "reworded", "dropped"):
            ws.scorecards.set_score(card.id, cid, "level", level=2)
    finally:
        ws.close()
    r = cli("--evaluator", "ann", "scorecards", "upgrade", "Acme", "--rubric", "law")
    assert r.code == 0, r.err
    assert "upgraded from 1.0 to 2026.12 (1 score carried over)" in r.out
    assert r.out.splitlines()[1:] == ["To re-score (2):", "  - REWORDED (changed)", "  - ADDED (new)"]
    again = cli("--evaluator", "ann", "scorecards", "upgrade", "Acme", "--rubric", "law")
    assert again.code == 2 and "already uses the newest version (2026.12)" in again.err
    nobody = cli("--evaluator", "bob", "scorecards", "upgrade", "Acme", "--rubric", "law")
    assert nobody.code == 2 and "bob has no scorecard on rubric 'law'" in nobody.err
    unknown = cli("--evaluator", "ann", "scorecards", "upgrade", "Acme", "--rubric", "nope")
    assert unknown.code == 2 and "no rubric 'nope'" in unknown.err


def test_rubrics_show_crosswalk_table_json_and_see_also(cli: Any, data_dir: Path) -> None:
    write_rubrics(data_dir)
    r = cli("rubrics", "show", "law", "--crosswalk")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[1].split() == ["CRITERION", "ISO/IEC", "42001", "NIST", "AI", "RMF"]
    assert lines[3].split() == ["KEEP", "A.7.4", "MAP", "4.1"]
    # the ids' short titles follow the table, one line per framework
    assert lines[-2:] == ["ISO/IEC 42001: A.7.4 Quality of data", "NIST AI RMF: MAP 4.1 Legal risks mapped"]
    j = json.loads(cli("rubrics", "show", "law", "--crosswalk", "--json").out)
    assert j["crosswalk"] == [{"criterion_id": "keep", "criterion": "KEEP", "iso42001": ["A.7.4"],
                               "nist-ai-rmf": ["MAP 4.1"]}]
    assert j["titles"] == {"iso42001": {"A.7.4": "Quality of data"}, "nist-ai-rmf": {"MAP 4.1": "Legal risks mapped"}}
    full = cli("rubrics", "show", "law")
    assert "Crosswalk: ISO/IEC 42001 A.7.4 — Quality of data; NIST AI RMF MAP 4.1 — Legal risks mapped" in full.out
    assert "Scored in: GDPR › Training on customer data; missing/thing" in full.out
    assert "Law reviewed on 2026-12-01" in full.out and "- Reworded the question" in full.out
    data = json.loads(cli("rubrics", "show", "law", "--json").out)
    assert data["criteria"][0]["see_also_titles"] == ["GDPR › Training on customer data", "missing/thing"]
    none = cli("rubrics", "show", "other", "--crosswalk")
    assert none.code == 0 and none.out.splitlines()[-1] == "No criterion of this rubric lists a crosswalk."


def test_after_an_upgrade_only_criteria_whose_rules_changed_are_to_recheck(cli: Any, data_dir: Path) -> None:
    """Baselines 4: a criterion whose levels carry over but whose knock-out or guidance changed is marked
    "to re-check" on the new scorecard only; an untouched one is not; a confirmation clears it."""
    folder = data_dir / "rubrics"
    folder.mkdir(parents=True, exist_ok=True)
    old = factories.rubric("law", [factories.criterion("keep"), factories.criterion("stricter")], version="1.0")
    new = factories.rubric("law", [factories.criterion("keep"),
                                   {**factories.criterion("stricter", knockout_below=2), "guidance": "Ask twice."}],
                           version="2.0")
    for r in (old, new):
        (folder / f"{r.id}-{r.version}.toml").write_text(rubric_to_toml(r), encoding="utf-8")
    assert cli("vendors", "add", "Acme").code == 0
    from vendoreval.services.workspace import Workspace

    ws = Workspace(data_dir, evaluator="ann")
    try:
        v = ws.vendors.find("Acme")
        card = ws.scorecards.create(v.id, "law", "1.0")
        for cid in ("keep", "stricter"):
            ws.scorecards.set_score(card.id, cid, "level", level=2)
    finally:
        ws.close()
    time.sleep(1.05)  # time stamps have whole seconds: the upgrade comes after the scores
    r = cli("--evaluator", "ann", "scorecards", "upgrade", "Acme", "--rubric", "law")
    assert r.code == 0, r.err
    assert r.out.splitlines()[1:] == [
        "Nothing to re-score: every criterion carried over unchanged.",
        "To re-check (1; carried over, `vendoreval recheck confirm` when they still hold):",
        "  - stricter: Rubric law 1.0 → 2.0: the criterion's knock-out and guidance changed",
    ]
    listed = json.loads(cli("recheck", "list", "Acme", "--json").out)
    assert [(x["criterion"], x["reason"]) for x in listed] == [
        ("law:stricter", "Rubric law 1.0 → 2.0: the criterion's knock-out and guidance changed")]
    assert cli("--evaluator", "ann", "recheck", "confirm", "Acme", "law:stricter").code == 0
    assert json.loads(cli("recheck", "list", "Acme", "--json").out) == []
