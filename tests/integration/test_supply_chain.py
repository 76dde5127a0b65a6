"""The model supply chain and public baselines through the CLI: what a user types and sees."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from vendoreval.services.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data" / "fmti"


def test_a_model_is_recorded_listed_with_its_baseline_and_removed(cli, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    ws.vendors.create("Brightwave")
    res = cli("models", "add", "Brightwave", "--provider", "OpenAI LLC", "--model", "GPT-4o",
              "--version", "2024-08-06", "--note", "sub-processor list, Nov 2026")
    assert res.code == 0, res.err
    assert res.out.strip() == ("Brightwave: built on OpenAI LLC GPT-4o (2024-08-06). OpenAI LLC (listed as OpenAI): "
                               "35/100 in FMTI December 2025")
    doc = json.loads(cli("models", "list", "Brightwave", "--json").out)
    (m,) = doc["models"]
    assert (m["provider"], m["model"], m["version"], m["own"]) == ("OpenAI LLC", "GPT-4o", "2024-08-06", False)
    assert m["baseline"]["developer"] == "OpenAI" and m["baseline"]["score"] == 35
    assert m["baseline"]["relevant"]["training-data:text-tokens"] == [{"indicator": "Data size", "value": 0}]
    assert doc["contradictions"] == []
    # the same model twice (case and spaces aside) is refused, nothing written
    dup = cli("models", "add", "Brightwave", "--provider", "openai llc", "--model", " gpt-4o ",
              "--version", "2024-08-06")
    assert dup.code == 2 and "is recorded already" in dup.err
    assert len(json.loads(cli("models", "list", "Brightwave", "--json").out)["models"]) == 1
    assert cli("models", "remove", "Brightwave", "gpt-4o").code == 0
    assert json.loads(cli("models", "list", "Brightwave", "--json").out)["models"] == []
    actions = [(e.action, e.entity) for e in ws.history(ws.vendors.find("Brightwave").id)]
    assert ("create", "model") in actions and ("delete", "model") in actions


@pytest.mark.parametrize(("args", "expected"), [
    (["--provider", "", "--model", "x"], "provider: cannot be empty"),
    (["--provider", "Open\u202eAI", "--model", "x"], "provider: control or format characters are not allowed"),
    (["--provider", "P", "--model", "m" * 201], "model: 201 characters; at most 200"),
])
def test_bad_model_fields_are_refused(cli, ws: Workspace, args: list[str], expected: str) -> None:  # type: ignore[no-untyped-def]
    ws.vendors.create("Brightwave")
    res = cli("models", "add", "Brightwave", *args)
    assert res.code == 2 and expected in res.err
    assert ws.store.vendor_models() == []


def test_a_provider_without_baseline_is_said_so(cli, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    ws.vendors.create("Quill")
    res = cli("models", "add", "Quill", "--provider", "Tiny Lab", "--model", "tl-1")
    assert res.code == 0 and "Tiny Lab: no FMTI baseline (the index does not score this developer)" in res.out
    assert "no baseline" in cli("models", "list", "Quill").out


def test_a_version_change_is_an_event(cli, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    v = ws.vendors.create("Brightwave")
    cli("models", "add", "Brightwave", "--provider", "Mistral AI", "--model", "Mistral Large", "--version", "2407")
    assert cli("models", "set-version", "Brightwave", "Mistral Large", "2411").code == 0
    (m,) = ws.store.vendor_models(v.id)
    assert m.version == "2411"
    event = next(e for e in ws.history(v.id) if e.field == "version")
    assert (event.old, event.new) == ("2407", "2411") and "version 2407 → 2411" in event.summary


def test_an_own_model_claim_with_a_third_party_model_is_flagged(cli, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    v = ws.vendors.create("Brightwave")
    ws.claims.add(v.id, "Brightwave runs on our own proprietary AI model, built in Berlin.")
    ws.claims.add(v.id, "Trained on 2 billion marketing interactions.")
    cli("models", "add", "Brightwave", "--provider", "OpenAI", "--model", "GPT-4o")
    doc = json.loads(cli("models", "list", "Brightwave", "--json").out)
    assert doc["contradictions"] == ["Sold as own model; a third-party model is behind it: OpenAI GPT-4o; "
                                     "OpenAI's FMTI 2025 score is 35/100."]
    # once the vendor records an own model too, the claim may hold for that part: no flag
    cli("models", "add", "Brightwave", "--provider", "Brightwave", "--model", "Muse", "--own")
    assert json.loads(cli("models", "list", "Brightwave", "--json").out)["contradictions"] == []


def test_shipped_baseline_lists_the_dec_2025_scores(cli) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(cli("baselines", "list", "--json").out)
    assert [e["edition"] for e in doc["editions"]] == ["2025-12"] and doc["editions"][0]["source"] == "shipped"
    scores = {d["developer"]: d["scores"] for d in doc["developers"]}
    assert len(scores) == 13 and scores["OpenAI"] == {"2025-12": 35} and scores["IBM"] == {"2025-12": 95}


def test_other_editions_import_as_baselines_not_vendors(cli, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    res = cli("baselines", "import", str(DATA / "October2023_scores.csv"))
    assert res.code == 0 and res.out.startswith("FMTI October 2023 added as a baseline: 10 developers")
    assert cli("baselines", "import", str(DATA / "May2024_scores.csv")).code == 0
    again = cli("baselines", "import", str(DATA / "May2024_scores.csv"))
    assert "imported before; nothing changed" in again.out
    assert ws.vendors.list() == []  # reference data, never vendors
    doc = json.loads(cli("baselines", "list", "--json").out)
    assert [e["edition"] for e in doc["editions"]] == ["2023-10", "2024-05", "2025-12"]
    scores = {d["developer"]: d["scores"] for d in doc["developers"]}
    assert scores["OpenAI"] == {"2023-10": 48, "2024-05": 49, "2025-12": 35}
    assert scores["Stability AI"] == {"2023-10": 47, "2024-05": 58}  # "Stability" in May 2024, one developer
    ws.vendors.create("Brightwave")
    cli("models", "add", "Brightwave", "--provider", "OpenAI", "--model", "GPT-4o")
    (m,) = json.loads(cli("models", "list", "Brightwave", "--json").out)["models"]
    assert [t["score"] for t in m["baseline"]["trend"]] == [48, 49, 35]


def test_edition_given_or_asked_for(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # v1.1 names exactly as the indicator file spells them: two editions score them, so ask
    import csv

    with open("/work/shared/data/fmti/fmti-indicators-v1.csv", encoding="utf-8-sig", newline="") as fh:
        names = [r["Indicator"] for r in csv.DictReader(fh)]
    path = tmp_path / "v1.csv"
    path.write_text("Indicator,Dev A\n" + "".join(f'"{n}",1\n' for n in names), encoding="utf-8")
    res = cli("baselines", "import", str(path))
    assert res.code == 2 and "which 2 editions score (2023-10, 2024-05); say which with --edition" in res.err
    assert cli("baselines", "import", str(path), "--edition", "2024-05").code == 0
    bad = cli("baselines", "import", str(path), "--edition", "1999-01")
    assert bad.code == 2 and "--edition 1999-01: no such FMTI edition (known: 2023-10, 2024-05, 2025-12" in bad.err
    wrong = cli("baselines", "import", str(DATA / "May2024_scores.csv"), "--edition", "2025-12")
    assert wrong.code == 2 and "89 indicator names match no criterion of fmti 2025.12" in wrong.err


def test_a_broken_matrix_is_refused_and_nothing_is_written(cli, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (DATA / "May2024_scores.csv").read_bytes().decode("utf-8").replace("Wages,0,0,0", "Wages,0,7,0")
    path = tmp_path / "may.csv"
    path.write_bytes(text.encode())
    res = cli("baselines", "import", str(path))
    assert res.code == 2 and "line 15, column AI21 Labs: '7' for 'Wages' is not 0 or 1" in res.err
    assert ws.store.baselines() == []


def test_models_travel_in_the_workspace_file(cli, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws.vendors.create("Brightwave")
    cli("models", "add", "Brightwave", "--provider", "OpenAI", "--model", "GPT-4o", "--version", "2024-08-06")
    out = tmp_path / "ws.json"
    assert cli("export", str(out)).code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [(m["provider"], m["model"]) for m in doc["models"]] == [("OpenAI", "GPT-4o")]
    other = tmp_path / "other"
    assert cli("import", str(out), data=other).code == 0  # a restore into an empty workspace
    (m,) = json.loads(cli("models", "list", "Brightwave", "--json", data=other).out)["models"]
    assert m["version"] == "2024-08-06" and m["baseline"]["score"] == 35
    # a newer version travels by merge (edit times have seconds precision); a model of a vendor the file
    # does not hold is refused
    time.sleep(1.05)
    cli("models", "set-version", "Brightwave", "GPT-4o", "2024-11-20")
    assert cli("export", str(out)).code == 0
    assert cli("import", str(out), data=other).code == 0
    (m,) = json.loads(cli("models", "list", "Brightwave", "--json", data=other).out)["models"]
    assert m["version"] == "2024-11-20"
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["models"][0]["vendor_id"] = "nobody"
    out.write_text(json.dumps(doc), encoding="utf-8")
    bad = cli("import", str(out), data=other)
    assert bad.code == 2 and "models[0].vendor_id: no vendor nobody in the file" in bad.err


def test_compare_shows_baseline_stale_items_and_contradictions(cli, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from vendoreval.services.ageing import AgeingService, today

    v = ws.vendors.create("Brightwave")
    ws.vendors.create("Quill")
    claim = ws.claims.add(v.id, "Our own proprietary model writes every email.")
    cli("models", "add", "Brightwave", "--provider", "OpenAI", "--model", "GPT-4o")
    AgeingService(ws).set_review_by(claim.id, today() - dt.timedelta(days=2))
    card = ws.scorecards.create(v.id, "gdpr")
    ws.scorecards.set_score(card.id, "dpa", level=3, rationale="signed DPA")
    ws.scorecards.create(ws.vendors.find("Quill").id, "gdpr")
    doc = json.loads(cli("compare", "--format", "json").out)
    row = next(r for r in doc["ranking"] if r["vendor_id"] == v.id)
    assert row["fmti"] == [{"provider": "OpenAI", "model": "GPT-4o", "developer": "OpenAI", "edition": "2025-12",
                            "score": 35, "out_of": 100}]
    assert [c["id"] for c in row["stale"]["claim"]] == [claim.id] and row["stale"]["evidence"] == []
    assert row["contradictions"] == ["Sold as own model; a third-party model is behind it: OpenAI GPT-4o; "
                                     "OpenAI's FMTI 2025 score is 35/100."]
    table = cli("compare").out
    assert "Brightwave: built on OpenAI GPT-4o (FMTI 2025: 35/100); 1 stale item; Sold as own model" in table


def test_recording_a_model_answers_the_gpai_question(cli, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    """The supply chain is the detail behind the context's gpai-model answer (Baselines 1 / Law)."""
    ws.vendors.create("Brightwave")
    ws.vendors.create("Own Labs")
    assert cli("models", "add", "Brightwave", "--provider", "OpenAI", "--model", "GPT-4o").code == 0
    assert json.loads(cli("context", "show", "Brightwave", "--json").out)["answers"]["gpai-model"] == "third-party"
    assert cli("models", "add", "Own Labs", "--provider", "Own Labs", "--model", "Muse", "--own").code == 0
    assert json.loads(cli("context", "show", "Own Labs", "--json").out)["answers"]["gpai-model"] == "own"
    # a third-party model found later contradicts "own": the user changes the answer first, then records it
    res = cli("models", "add", "Own Labs", "--provider", "Mistral AI", "--model", "Mistral Large")
    assert res.code == 2 and "only the vendor's own model, but Mistral AI Mistral Large is a third-party" in res.err
    assert cli("context", "set", "Own Labs", "gpai-model", "third-party").code == 0
    assert cli("models", "add", "Own Labs", "--provider", "Mistral AI", "--model", "Mistral Large").code == 0
    audit = [(e.action, e.field) for e in ws.history(ws.vendors.find("Own Labs").id)]
    assert audit.count(("context", "gpai-model")) == 2


def test_a_conflict_between_models_and_context_is_refused(cli, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    ws.vendors.create("Plainly")
    assert cli("context", "set", "Plainly", "gpai-model", "none").code == 0
    before = ws.store.table_counts()
    res = cli("models", "add", "Plainly", "--provider", "OpenAI", "--model", "GPT-4o")
    assert res.code == 2
    assert res.err.strip().startswith("vendoreval: Plainly: OpenAI GPT-4o was not recorded: the context says the "
                                      "product uses no general-purpose AI model")
    assert ws.store.table_counts() == before
    # and the other way round: with a third-party model recorded, the context cannot say "none" or "own"
    assert cli("context", "set", "Plainly", "gpai-model", "third-party").code == 0
    assert cli("models", "add", "Plainly", "--provider", "OpenAI", "--model", "GPT-4o").code == 0
    for answer in ("none", "own"):
        res = cli("context", "set", "Plainly", "gpai-model", answer)
        assert res.code == 2 and "gpai-model was not changed" in res.err and "OpenAI GPT-4o" in res.err
    assert json.loads(cli("context", "show", "Plainly", "--json").out)["answers"]["gpai-model"] == "third-party"
    # once the model is removed, the answer may change again
    assert cli("models", "remove", "Plainly", "GPT-4o").code == 0
    assert cli("context", "set", "Plainly", "gpai-model", "none").code == 0
