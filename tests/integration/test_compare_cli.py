"""`vendoreval compare`, `decide` and `profiles` end to end on a real workspace (exact figures)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only this module's small rubrics: parsing the shipped library costs half a second per CLI run."""
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


RUBRIC_TOML = """
id = "{rid}"
version = "1.0"
title = "{title}"
area = "{area}"
weight = 1.0
{criteria}
"""
CRITERION_TOML = """
[[criteria]]
id = "{cid}"
title = "{ctitle}"
question = "How good is {cid}?"
weight = 1.0
{extra}
[criteria.scale]
kind = "ordinal"
[[criteria.scale.levels]]
level = 0
label = "None"
description = "Nothing."
[[criteria.scale.levels]]
level = 1
label = "Some"
description = "Some."
[[criteria.scale.levels]]
level = 2
label = "Most"
description = "Most."
[[criteria.scale.levels]]
level = 3
label = "Nearly all"
description = "Nearly all."
[[criteria.scale.levels]]
level = 4
label = "All"
description = "All of it."
"""


def write_rubric(folder: Path, rid: str, title: str, area: str, criteria: list[tuple[str, str, str]]) -> Path:
    """A small rubric file with 0..4 ordinal criteria (cid, title, extra TOML lines)."""
    body = "".join(CRITERION_TOML.format(cid=c, ctitle=t, extra=x) for c, t, x in criteria)
    path = folder / f"{rid}.toml"
    path.write_text(RUBRIC_TOML.format(rid=rid, title=title, area=area, criteria=body), encoding="utf-8")
    return path


def build_workspace(ws: Any, tmp: Path, vendors: dict[str, dict[str, tuple[int, int]]] | None = None) -> dict[str, str]:
    """Two rubrics (privacy with a DPA knock-out, skills) and scored vendors; returns name -> vendor id.

    Scores are 'verified by us' so claimed == evidence-weighted, except where a test says otherwise.
    """
    from vendoreval.domain.models import EvidenceStrength

    tmp.mkdir(parents=True, exist_ok=True)
    ws.library.add_file(write_rubric(tmp, "privacy", "Data protection", "Privacy", [
        ("dpa", "Data processing agreement", 'knockout_below = 1\nknockout_reason = "No DPA"'),
        ("training", "No training on our data", ""),
    ]))
    ws.library.add_file(write_rubric(tmp, "skills", "What it can do", "Capabilities", [
        ("quality", "Output quality", ""), ("speed", "Speed", ""),
    ]))
    vendors = vendors if vendors is not None else {
        # privacy (dpa, training), skills (quality, speed)
        "Acme": {"privacy": (4, 4), "skills": (1, 1)},  # 100, 25 -> balanced 62.5
        "Beta": {"privacy": (2, 2), "skills": (3, 3)},  # 50, 75 -> 62.5... tie broken below
        "Gamma": {"privacy": (0, 4), "skills": (4, 4)},  # knocked out (no DPA)
    }
    ids = {}
    for name, rubrics in vendors.items():
        v = ws.vendors.create(name)
        ids[name] = v.id
        for rid, (a, b) in rubrics.items():
            card = ws.scorecards.create(v.id, rid)
            cids = ["dpa", "training"] if rid == "privacy" else ["quality", "speed"]
            for cid, level in zip(cids, (a, b), strict=True):
                ws.scorecards.set_score(card.id, cid, level=level, strength=EvidenceStrength.OWN_TEST)
    return ids


DEFAULT = {
    "Acme": {"privacy": (4, 4), "skills": (1, 1)},  # 100, 25 -> balanced 62.5
    "Beta": {"privacy": (2, 2), "skills": (3, 2)},  # 50, 62.5 -> balanced 56.25
    "Gamma": {"privacy": (0, 4), "skills": (4, 4)},  # 50, 100 -> 75 but knocked out (no DPA)
}


def test_compare_json_exact(ws, cli, tmp_path):  # type: ignore[no-untyped-def]
    build_workspace(ws, tmp_path / "r", DEFAULT)
    r = cli("compare", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    ranking = data["ranking"]
    assert [(e["vendor"], e["rank"], e["overall"], e["knocked_out"]) for e in ranking] == [
        ("Acme", 1, 62.5, False), ("Beta", 2, 56.25, False), ("Gamma", 3, 75.0, True)]
    assert set(ranking[0]) >= {"vendor", "rank", "overall", "claimed", "evidence_weighted", "knocked_out",
                               "knockout_reasons", "rank_stability"}
    assert ranking[0]["claimed"] == 62.5 and ranking[0]["evidence_weighted"] == 62.5
    assert ranking[2]["knockout_reasons"] == ["No DPA (Data processing agreement: level 0, minimum 1)"]
    # Acme(x) = 100x + 25(1-x), Beta(x) = 50x + 62.5(1-x): equal at x = 37.5/87.5 = 3/7 of privacy
    flip = data["flip"]
    assert flip["rubric"] == "privacy" and flip["swaps"] == ["Acme", "Beta"]
    assert flip["from_share"] == 50.0 and flip["to_share"] == round(300 / 7, 2)
    assert flip["sentence"] == ("Acme stays first unless Privacy weighs less than 42.9 % of the total "
                                "(now 50 %); then Beta leads.")
    # perturbed privacy shares lie in [0.375, 0.625]; Beta leads below 3/7 in a share of the samples
    assert 0.7 < ranking[0]["rank_stability"] < 0.95
    assert data["profile"] == "balanced" and data["samples"] == 1000


def test_compare_profile_vendor_and_rubric_filters(ws, cli, tmp_path):  # type: ignore[no-untyped-def]
    build_workspace(ws, tmp_path / "r", DEFAULT)
    assert cli("profiles", "set", "skills heavy", "skills=3", "privacy=1").code == 0
    data = json.loads(cli("compare", "--profile", "skills heavy", "--format", "json").out)
    # Acme (100 + 3*25)/4 = 43.75; Beta (50 + 3*62.5)/4 = 59.375
    assert [(e["vendor"], e["overall"]) for e in data["ranking"][:2]] == [("Beta", 59.38), ("Acme", 43.75)]
    data = json.loads(cli("compare", "--vendor", "acme", "--vendor", "Gamma", "--rubric", "skills",
                          "--format", "json").out)
    # on skills alone Gamma is not knocked out: the knock-out sits in privacy
    assert [(e["vendor"], e["overall"], e["knocked_out"]) for e in data["ranking"]] == [
        ("Gamma", 100.0, False), ("Acme", 25.0, False)]
    assert data["rubrics"] == ["skills"]
    assert data["flip"] is None  # one rubric: no share to shift


def test_compare_table_and_errors(ws, cli, tmp_path):  # type: ignore[no-untyped-def]
    build_workspace(ws, tmp_path / "r", DEFAULT)
    r = cli("compare")
    assert r.code == 0
    assert "Acme stays first unless Privacy weighs less than 42.9 %" in r.out
    assert "RANK" in r.out and "No DPA" in r.out
    bad = cli("compare", "--vendor", "Nobody")
    assert bad.code == 2 and "Nobody" in bad.err
    bad = cli("compare", "--rubric", "nope")
    assert bad.code == 2 and "nope" in bad.err
    bad = cli("compare", "--profile", "nope")
    assert bad.code == 2 and "nope" in bad.err
    bad = cli("compare", "--format", "xlsx")
    assert bad.code == 2 and "--out" in bad.err


def test_compare_csv_and_xlsx_files_with_formula_names(ws, cli, tmp_path):  # type: ignore[no-untyped-def]
    build_workspace(ws, tmp_path / "r", {"=HYPERLINK(\"http://x\")": {"skills": (4, 4)},
                                         "+1": {"skills": (2, 2)}, "@SUM": {"skills": (1, 1)}})
    out = tmp_path / "cmp.csv"
    assert cli("compare", "--format", "csv", "--out", str(out)).code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM"]
    assert [float(r[2]) for r in rows[1:]] == [100.0, 50.0, 25.0]
    stdout = cli("compare", "--format", "csv")
    assert stdout.out.replace("\r\n", "\n") == out.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    x = tmp_path / "cmp.xlsx"
    assert cli("compare", "--format", "xlsx", "--out", str(x)).code == 0
    sheet = openpyxl.load_workbook(x)["Ranking"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["=HYPERLINK(\"http://x\")", "+1", "@SUM"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_decide_records_and_audits(ws, cli, tmp_path):  # type: ignore[no-untyped-def]
    build_workspace(ws, tmp_path / "r", DEFAULT)
    r = cli("decide", "Acme", "go_with_conditions", "--condition", "DPA forbids training on our data",
            "--condition", "uncapped IP indemnity")
    assert r.code == 0, r.err
    assert "Go with conditions" in r.out and "uncapped IP indemnity" in r.out
    data = json.loads(cli("compare", "--format", "json").out)
    acme = data["ranking"][0]
    assert acme["decision"] == "go_with_conditions"
    assert acme["conditions"] == ["DPA forbids training on our data", "uncapped IP indemnity"]
    history = [e for e in ws.history() if e.action == "decide"]
    assert {e.field for e in history} == {"decision", "conditions"}
    # the vendor service refuses what the conditions do not fit: exit 2, the field named, nothing stored
    refused = cli("decide", "Beta", "go_with_conditions")
    assert refused.code == 2 and "field conditions" in refused.err and "needs at least one condition" in refused.err
    refused = cli("decide", "Beta", "go", "--condition", "Audit rights")
    assert refused.code == 2 and "field conditions" in refused.err and "takes no conditions" in refused.err
    assert cli("decide", "Acme", "no_go").code == 2  # Acme still has its two conditions
    assert cli("decide", "Acme", "no_go", "--clear-conditions").code == 0
    beta, acme = ws.vendors.find("Beta"), ws.vendors.find("Acme")
    assert (beta.decision, beta.conditions) == ("not_started", [])
    assert (acme.decision, acme.conditions) == ("no_go", [])
    with pytest.raises(SystemExit) as exc:  # argparse refuses an unknown decision
        cli("decide", "Beta", "maybe")
    assert exc.value.code == 2
    assert cli("decide", "Nobody", "go").code == 2
    assert cli("decide", "Gamma", "no_go").code == 0


def test_profiles_list_show_set_delete(ws, cli, tmp_path):  # type: ignore[no-untyped-def]
    build_workspace(ws, tmp_path / "r", DEFAULT)
    listed = json.loads(cli("profiles", "list", "--json").out)
    assert {"balanced", "compliance first", "capability first"} <= {p["name"] for p in listed}
    assert cli("profiles", "set", "mine", "privacy=2", "skills:speed=0").code == 0
    shown = json.loads(cli("profiles", "show", "MINE", "--json").out)
    assert shown["rubric_weights"] == {"privacy": 2.0} and shown["criterion_weights"] == {"skills:speed": 0.0}
    # a criterion weight of 0 drops speed: Beta skills = quality 3/4 = 75 -> (2*50 + 75)/3 = 58.33
    data = json.loads(cli("compare", "--profile", "mine", "--format", "json").out)
    beta = next(e for e in data["ranking"] if e["vendor"] == "Beta")
    assert beta["overall"] == 58.33
    assert cli("profiles", "set", "balanced", "privacy=2").code == 2  # shipped
    assert cli("profiles", "set", "x", "privacy=-1").code == 2
    assert cli("profiles", "set", "x", "privacy=lots").code == 2
    assert cli("profiles", "set", "x", "nosuch=1").code == 2
    assert cli("profiles", "set", "mine", "--unset", "skills:speed").code == 0
    assert json.loads(cli("profiles", "show", "mine", "--json").out)["criterion_weights"] == {}
    assert cli("profiles", "delete", "mine").code == 0
    assert cli("profiles", "show", "mine").code == 2
    assert cli("profiles", "delete", "balanced").code == 2
