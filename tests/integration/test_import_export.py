"""Workspace files, claims/scores CSV and FMTI matrices through the CLI: round trips, merges and bad input."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import random
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests import factories
from vendoreval.domain.models import AgreedScore, Answer, ClaimStatus, EvidenceStrength, WeightProfile
from vendoreval.exchange import ExchangeError, detect, workspace_file
from vendoreval.exchange.indicator_csv import rubric_to_toml
from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService

FMTI_DIR = Path("/work/shared/data/fmti")
SHIPPED_FMTI = Path(__file__).resolve().parents[2] / "rubrics" / "fmti-2025-12.toml"


def install_rubrics(ws: Workspace) -> None:
    """Two small rubrics in the workspace's user rubric folder (independent of the shipped library)."""
    folder = ws.data_dir / "rubrics"
    folder.mkdir(exist_ok=True)
    num = factories.criterion("tokens", n_levels=3)
    num["scale"] = {"kind": "numeric", "unit": "tokens", "thresholds": [1e9, 1e13],
                    "levels": factories.levels(3)}
    gdpr = factories.rubric("gdpr-t", [factories.criterion("dpa", knockout_below=1), factories.criterion("subproc"),
                                       num])
    caps = factories.rubric("caps-t", [factories.criterion("demo"), factories.criterion("evals", weight=2)])
    for r in (gdpr, caps):
        (folder / f"{r.id}.toml").write_text(rubric_to_toml(r), encoding="utf-8")
    ws.library.reload()


ANN_RAW = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key().public_bytes(Encoding.Raw,
                                                                                          PublicFormat.Raw)
ANN_PUBLIC, ANN_FP = base64.b64encode(ANN_RAW).decode(), hashlib.sha256(ANN_RAW).hexdigest()


def build_rich(ws: Workspace, tmp: Path) -> dict[str, str]:
    """A workspace using every kind of record: vendors, claims, evidence file/URL/note, scorecards, agreed
    scores, a weight profile, settings, a trusted key and the audit log they leave."""
    install_rubrics(ws)
    acme = ws.vendors.create("Acme Copy", product="CopyBot", website="https://acme.example")
    blue = ws.vendors.create("Bleu Étoile", product="Insights")
    ws.vendors.decide(acme.id, "go_with_conditions", ["Sign the DPA", "Cap on indemnity ≥ €1m"])
    c1 = ws.claims.add(acme.id, "We never train on customer data.", source="DPA v3", page="4",
                       said_on="2026-02-01", criteria=["gdpr-t:dpa"])
    ws.claims.set_status(c1.id, ClaimStatus.VERIFIED, "Checked clause 7")
    c2 = ws.claims.add(blue.id, "Trained on 12 trillion tokens", criteria=["gdpr-t:tokens"])
    f = tmp / "dpa excerpt.txt"
    f.write_bytes("Clause 7 — no training on customer data.\n".encode() + bytes(range(256)))
    ws.evidence.add_file(acme.id, f, claim_ids=[c1.id])
    ws.evidence.add_url(blue.id, "https://bleu.example/trust", claim_ids=[c2.id])
    ws.evidence.add_note(blue.id, "Sales call: they would not name sub-processors.")
    card = ws.scorecards.create(acme.id, "gdpr-t", evaluator="ann")
    ws.scorecards.set_score(card.id, "dpa", level=4, claim_ids=[c1.id], rationale="Signed DPA")
    ws.scorecards.set_score(card.id, "subproc", Answer.NOT_DISCLOSED)
    ws.scorecards.set_score(card.id, "tokens", figure=2.5e12, strength=EvidenceStrength.DOCUMENTATION)
    ws.scorecards.submit(card.id)
    ws.scorecards.reopen(card.id)
    ws.scorecards.submit(card.id)
    bob = ws.scorecards.create(blue.id, "caps-t", evaluator="bob")
    ws.scorecards.set_score(bob.id, "demo", level=2)
    rubric = ws.library.latest("gdpr-t")
    assert rubric is not None
    with ws.store.transaction():
        ws.store.save_agreed_score(AgreedScore(vendor_id=acme.id, rubric_id="gdpr-t", rubric_hash=rubric.content_hash,
                                               criterion_id="subproc", answer=Answer.LEVEL, level=1,
                                               rationale="Panel", agreed_by="ann"))
        ws.store.trust_key(ANN_FP, ANN_PUBLIC, "Ann's key", "2026-01-01T00:00:00Z")
    ws.profiles.save(WeightProfile(name="Legal heavy", rubric_weights={"gdpr-t": 5.0}))
    ws.set_evaluator("ann")
    return {"acme": acme.id, "blue": blue.id, "claim": c1.id}


def export_bytes(ws: Workspace) -> bytes:
    return ExchangeService(ws).workspace_bytes()


def test_round_trip_is_byte_identical(ws: Workspace, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    ids = build_rich(ws, tmp_path)
    first = tmp_path / "ws.json"
    assert cli("export", str(first)).code == 0
    target = tmp_path / "restored"
    res = cli("import", str(first), "--trust-key", ANN_FP, data=target)  # the user confirms the file's key
    assert res.code == 0, res.err
    assert "Restored" in res.out
    second = tmp_path / "again.json"
    assert cli("export", str(second), data=target).code == 0
    assert first.read_bytes() == second.read_bytes()
    doc = json.loads(first.read_bytes())
    assert doc["format"] == "vendoreval-workspace" and len(doc["files"]) == 1
    assert len(doc["audit"]) == len(ws.store.audit_ascending()) > 10
    restored = Workspace(target, evaluator="x")
    try:
        assert [a.model_dump() for a in restored.store.audit_ascending()] == [
            a.model_dump() for a in ws.store.audit_ascending()]
        item = next(e for e in restored.evidence.list(ids["acme"]) if e.kind == "file")
        assert restored.store.blobs.read(item.sha256 or "") == (tmp_path / "dpa excerpt.txt").read_bytes()
        assert restored.vendors.get(ids["acme"]).conditions == ["Sign the DPA", "Cap on indemnity ≥ €1m"]
        totals = {(t.vendor.name, t.rubric.id): t.score.claimed for t in restored.totals.scorecard_totals()}
        assert totals == {(t.vendor.name, t.rubric.id): t.score.claimed for t in ws.totals.scorecard_totals()}
    finally:
        restored.close()


def test_merge_keeps_the_newer_record_and_logs_the_import(ws: Workspace, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ids = build_rich(ws, tmp_path)
    # edits below must be later than the records' creation, which may be the same second (a minute ahead:
    # within the clock skew a file's timestamps may have; further ahead would be refused as in the future)
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    monkeypatch.setattr("vendoreval.services.vendors.utc_now", lambda: later)
    monkeypatch.setattr("vendoreval.services.claims.utc_now", lambda: later)
    other = Workspace(tmp_path / "other", evaluator="bob")
    try:
        ExchangeService(other).import_workspace(workspace_file.parse(export_bytes(ws), "a.json"), "a.json")
        # local edits in the copy: the copy's claim is newer, the original's vendor is newer
        other.claims.update(ids["claim"], text="We never train on customer data (confirmed).")
        ws.vendors.update(ids["acme"], description="Changed after the copy")
        ws.vendors.create("Cobalt AI")
        path = tmp_path / "newer.json"
        ExchangeService(ws).export_workspace(path)
        audit_before = other.store.table_counts()["audit"]
        result = ExchangeService(other).import_file(path)
        assert not result.restored
        assert result.added["vendors"] == 1 and result.updated["vendors"] == 1
        assert result.kept["claims"] >= 1
        assert other.vendors.get(ids["acme"]).description == "Changed after the copy"
        assert other.claims.get(ids["claim"]).text.endswith("(confirmed).")
        assert other.vendors.find("Cobalt AI")
        entries = other.store.audit_ascending()
        assert len(entries) > audit_before
        assert entries[-1].action == "import" and "newer.json" in entries[-1].summary
        # importing the same file again adds nothing new but still records that it happened
        again = ExchangeService(other).import_file(path)
        assert not again.added["vendors"] and not again.updated["vendors"]
    finally:
        other.close()


def test_merge_refuses_a_second_vendor_with_the_same_name(ws: Workspace, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    ws.vendors.create("Acme Copy")
    other = Workspace(tmp_path / "o", evaluator="x")
    other.vendors.create("ACME copy")
    ExchangeService(other).export_workspace(tmp_path / "o.json")
    other.close()
    before = ws.store.table_counts()
    res = cli("import", str(tmp_path / "o.json"))
    assert res.code == 2 and "duplicate vendors" in res.err and "ACME copy" in res.err
    assert ws.store.table_counts() == before


# --- CSV --------------------------------------------------------------------------------------


def test_claims_csv_import_and_export(ws: Workspace, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    install_rubrics(ws)
    ws.vendors.create("Acme Copy")
    ws.vendors.create("Bleu Étoile")
    path = tmp_path / "claims.csv"
    path.write_bytes("\ufeffvendor,text,status,said_on,criteria,source\r\n"
                     "Acme Copy,\"We are \"\"fully\"\" GDPR compliant, really\",Documented,2026-03-01,"
                     "gdpr-t:dpa; gdpr-t:subproc,Website\r\n"
                     "bleu étoile,Nous n’entraînons pas sur vos données,independently_verified,,,\r\n".encode())
    res = cli("import", str(path))
    assert res.code == 0, res.err
    claims = sorted(ws.claims.list(), key=lambda c: c.text)
    assert [c.status for c in claims] == [ClaimStatus.VERIFIED, ClaimStatus.DOCUMENTED]
    assert claims[1].text == 'We are "fully" GDPR compliant, really'
    assert [str(r) for r in claims[1].criteria] == ["gdpr-t:dpa", "gdpr-t:subproc"]
    out = tmp_path / "out.csv"
    assert cli("export", str(out), "--format", "claims-csv").code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,vendor,text")
    before = ws.store.table_counts()
    again = cli("import", str(out), "--json")
    assert again.code == 0 and json.loads(again.out)["kept"] == {"claims": 2}
    assert ws.store.table_counts()["claims"] == before["claims"]


def test_a_claims_file_without_ids_imported_twice_adds_its_claims_once(ws: Workspace, tmp_path: Path,
                                                                       cli) -> None:  # type: ignore[no-untyped-def]
    """A tester imported the same claims file twice and had every claim twice (and a 20 MB file of one
    repeated row previewed as 98,923 new claims): a row without an id that repeats a claim of its vendor,
    recorded or earlier in the file (same words, source and page, spacing and case aside), is left out."""
    ws.vendors.create("Quillstack")
    path = tmp_path / "claims.csv"
    path.write_text("vendor,text,source,page\n"
                    "Quillstack,We never train on your data,Website,\n"
                    "Quillstack,We never  train on YOUR data,website,\n"  # the same claim, spaced and cased otherwise
                    "Quillstack,We never train on your data,DPA,7\n", encoding="utf-8")  # said elsewhere: its own claim
    first = cli("import", str(path), "--json")
    assert first.code == 0, first.err
    assert json.loads(first.out)["added"] == {"claims": 2} and json.loads(first.out)["kept"] == {"claims": 1}
    before = ws.store.table_counts()
    again = cli("import", str(path), "--json")
    assert again.code == 0 and json.loads(again.out)["kept"] == {"claims": 3}
    assert "3 rows without an id repeat a claim the vendor has" in json.loads(again.out)["notes"][0]
    assert ws.store.table_counts()["claims"] == before["claims"] == 2  # (the import itself is in the audit)


def test_scores_csv_import_creates_drafts_and_round_trips(ws: Workspace, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    install_rubrics(ws)
    v = ws.vendors.create("Acme Copy")
    path = tmp_path / "scores.csv"
    path.write_text("vendor;rubric;evaluator;criterion;answer;level;figure;strength;rationale\n"
                    "Acme Copy;gdpr-t;carol;dpa;;3;;contractual_commitment;Signed\n"
                    "Acme Copy;gdpr-t;carol;subproc;not disclosed;;;;\n"
                    "Acme Copy;gdpr-t;carol;tokens;;;2e13;;Whitepaper\n"
                    "Acme Copy;caps-t;;demo;level;1;;Verified by us;\n", encoding="utf-8")
    res = cli("--evaluator", "ann", "import", str(path))
    assert res.code == 0, res.err
    cards = {c.rubric_id: c for c in ws.scorecards.list(v.id)}
    assert cards["gdpr-t"].evaluator == "carol" and cards["caps-t"].evaluator == "ann"
    assert cards["gdpr-t"].scores["dpa"].level == 3 and cards["gdpr-t"].scores["tokens"].level == 2
    assert cards["gdpr-t"].scores["subproc"].answer == Answer.NOT_DISCLOSED
    assert cards["gdpr-t"].status == "draft"
    out = tmp_path / "scores-out.csv"
    assert cli("export", str(out), "--format", "scores-csv").code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert {(r["criterion"], r["level"]) for r in rows} >= {("dpa", "3"), ("tokens", "2"), ("demo", "1")}
    ws.scorecards.submit(cards["gdpr-t"].id)
    again = cli("import", str(out), "--json")  # unchanged rows of a submitted card are fine
    assert again.code == 0, again.err
    assert json.loads(again.out)["kept"]["scores"] == 4


def test_scores_import_reloads_the_library_only_for_a_rubric_version_it_stores(ws: Workspace, tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The first import of a file rubric's scores stores its version (the library reloads after the commit);
    a later import of the same version reloads nothing, and listeners still hear of both imports."""
    install_rubrics(ws)
    ws.vendors.create("Acme Copy")
    reloads: list[int] = []
    real_reload = ws.library.reload
    monkeypatch.setattr(ws.library, "reload", lambda: (reloads.append(1), real_reload())[1])
    heard: list[str] = []
    ws.subscribe(lambda change: heard.append(change.entity))
    path = tmp_path / "scores.csv"
    path.write_text("vendor,rubric,evaluator,criterion,level\nAcme Copy,gdpr-t,carol,dpa,3\n", encoding="utf-8")
    assert ExchangeService(ws).import_file(path).added["scores"] == 1
    assert len(reloads) == 1 and heard.count("workspace") == 1
    path.write_text("vendor,rubric,evaluator,criterion,level\nAcme Copy,gdpr-t,dave,dpa,2\n", encoding="utf-8")
    assert ExchangeService(ws).import_file(path).added["scores"] == 1
    assert len(reloads) == 1 and heard.count("workspace") == 2
    assert ws.library.get("gdpr-t") is not None


# --- FMTI -------------------------------------------------------------------------------------


def fmti_names(csv_name: str) -> list[tuple[str, str, str]]:
    with (FMTI_DIR / csv_name).open(encoding="utf-8-sig", newline="") as fh:
        return [(r["Domain"], r["Subdomain"], r["Indicator"]) for r in csv.DictReader(fh)]


def fmti_matrix(names: list[tuple[str, str, str]], developers: list[str], seed: int = 7, *, domains: bool = True,
                total: bool = True, bom: bool = True) -> tuple[bytes, dict[str, int]]:
    rng = random.Random(seed)
    values = {d: [rng.randint(0, 1) for _ in names] for d in developers}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    lead = ["Domain", "Subdomain"] if domains else []
    w.writerow([*lead, "Indicator", *developers])
    for i, (dom, sub, ind) in enumerate(names):
        # the published files are not tidy: stray spaces and other capitalisation must still match
        shown = f"  {ind.upper()} " if i % 7 == 0 else ind
        w.writerow([*([dom, sub] if domains else []), shown, *(values[d][i] for d in developers)])
    if total:
        w.writerow([*(["Total", "", ""] if domains else ["Total"]),
                    *(sum(values[d]) for d in developers)])
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data if bom else data), {d: sum(v) for d, v in values.items()}


@pytest.mark.skipif(not SHIPPED_FMTI.exists(), reason="shipped FMTI rubric not present")
def test_fmti_dec_2025_matrix_gives_each_developer_its_count(ws: Workspace, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    developers = ["Northwind Labs", "Aurora Models", "Kestrel AI"]
    ws.vendors.create("aurora models")  # an existing vendor is reused, matched by name
    raw, counts = fmti_matrix(fmti_names("Dec2025_indicators.csv"), developers)
    path = tmp_path / "fmti-2025-12.csv"
    path.write_bytes(raw)
    res = cli("import", str(path))
    assert res.code == 0, res.err
    totals = json.loads(cli("scores", "--json", "--rubric", "fmti").out)
    got = {t["vendor"]: t for t in totals}
    assert set(got) == {"Northwind Labs", "aurora models", "Kestrel AI"}
    for dev in developers:
        row = got["aurora models" if dev == "Aurora Models" else dev]
        assert row["claimed"] == counts[dev]
        assert row["status"] == "submitted" and row["evaluator"] == "FMTI 2025.12"
        assert row["rubric_version"] == "2025.12" and row["criteria"] == 100
    # the same matrix again changes nothing; --evaluator names a second evaluator
    assert json.loads(cli("import", str(path), "--json").out)["kept"] == {"scorecards": 3}
    assert cli("import", str(path), "--evaluator", "Our analyst").code == 0
    assert {c.evaluator for c in ws.scorecards.list()} == {"FMTI 2025.12", "Our analyst"}


@pytest.mark.skipif(not SHIPPED_FMTI.exists(), reason="shipped FMTI rubric not present")
def test_fmti_v1_matrix_picks_the_v1_rubric_and_override_lists_unmatched(ws: Workspace, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    raw, counts = fmti_matrix(fmti_names("fmti-indicators-v1.csv"), ["Dev A"], domains=False, total=False, bom=False)
    path = tmp_path / "v1.csv"
    path.write_bytes(raw)
    before = ws.store.table_counts()
    bad = cli("import", str(path), "--rubric", "fmti@2025.12")
    assert bad.code == 2 and "match no criterion of fmti 2025.12" in bad.err and "line " in bad.err
    assert ws.store.table_counts() == before
    res = cli("import", str(path), "--json")
    assert res.code == 0, res.err
    (row,) = json.loads(cli("scores", "--json").out)
    assert row["rubric_version"] != "2025.12" and row["claimed"] == counts["Dev A"]


# --- bad input: message names the file and place, exit 2, nothing written ----------------------


def _ragged(p: Path) -> None:
    p.write_text("vendor,text\nAcme Copy,ok\nAcme Copy,too,many\n", encoding="utf-8")


BAD_INPUTS = {
    "malformed json": ("bad.json", b'{"format": "vendoreval-workspace", "vendors": [\n  {"id": 1,,}\n]}', "line 2"),
    "not a workspace": ("x.json", b'{"hello": 1}', "not a vendoreval workspace file"),
    "newer format": ("x.json", b'{"format": "vendoreval-workspace", "format_version": 9}', "format_version"),
    "invalid field": ("v.json", json.dumps({"format": "vendoreval-workspace", "format_version": 1,
                                            "vendors": [{"id": "v1", "name": "  "}]}).encode(), "vendors[0].name"),
    "dangling claim": ("d.json", json.dumps({"format": "vendoreval-workspace", "format_version": 1, "claims": [
        {"id": "c1", "vendor_id": "nope", "text": "x"}]}).encode(), "claims[0].vendor_id"),
    "damaged evidence bytes": ("e.json", json.dumps({"format": "vendoreval-workspace", "format_version": 1, "files": [
        {"sha256": "0" * 64, "size": 3, "data_base64": "YWJj"}]}).encode(), "files[0]"),
    "binary garbage": ("g.bin", bytes(range(256)) * 4, "binary data"),
    "utf-16": ("u.csv", "vendor,text\nAcme,x\n".encode("utf-16"), "UTF-16"),
    "windows-1252": ("w.csv", "vendor,text\nAcme Copy,Caf\xe9 \u2019ok\u2019\n".encode("cp1252"),
                     "line 2: not UTF-8 text (byte 0xe9 at offset 25) (as Windows-1252 it would read 'é')"),
    "unbalanced quotes": ("q.csv", b'vendor,text\nAcme Copy,"never closed\nAcme Copy,x\n', "line 2: malformed CSV"),
    "unknown vendor": ("v.csv", b"vendor,text\nNobody Inc,x\n", "line 2, column vendor: unknown vendor 'Nobody Inc'"),
    "unknown rubric": ("r.csv", b"vendor,text,criteria\nAcme Copy,x,nope:dpa\n", "unknown rubric 'nope'"),
    "unknown rubric in scores": ("rs.csv", b"vendor,rubric,criterion,level\nAcme Copy,nope,dpa,1\n",
                                 "line 2, column rubric: unknown rubric 'nope'"),
    "unknown rubric version": ("rv.csv", b"vendor,rubric,rubric_version,criterion,level\nAcme Copy,gdpr-t,7.0,dpa,1\n",
                               "rubric 'gdpr-t' has no version 7.0 (known: 1.0)"),
    "unknown criterion": ("c.csv", b"vendor,rubric,criterion,level\nAcme Copy,gdpr-t,zzz,1\n",
                          "line 2, column criterion: rubric gdpr-t 1.0 has no criterion 'zzz'"),
    "level out of range": ("l.csv", b"vendor,rubric,criterion,level\nAcme Copy,gdpr-t,dpa,9\n",
                           "line 2, column level: level 9 is out of range"),
    "unknown column": ("k.csv", b"vendor,txet\nAcme Copy,x\n", "unknown column 'txet'"),
    "unrecognised": ("n.csv", b"a,b,c\n1,2,3\n", "format not recognised"),
    "fmti duplicate vendors": ("f.csv", b"Indicator,Dev A,dev a\nData size,1,0\n", "duplicate vendor"),
    "fmti unknown names": ("f.csv", b"Indicator,Dev A\nData size,1\nFavourite colour,0\n", "'Favourite colour'"),
    "fmti bad cell": ("f.csv", b"Indicator,Dev A\nData size,yes\n", "line 2, column Dev A: 'yes'"),
    "fmti total mismatch": ("f.csv", b"Indicator,Dev A,Dev B\nData size,1,0\nTotal,1,1\n",
                            "Total for 'Dev B' is 1 but its indicators add up to 0"),
}


@pytest.fixture(scope="module")
def shared_ws(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One workspace for all bad-input cases: none of them may change it, which each case checks."""
    w = Workspace(tmp_path_factory.mktemp("bad") / "ws", evaluator="ann")
    install_rubrics(w)
    w.vendors.create("Acme Copy")
    yield w
    w.close()


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_nothing_is_written(case: str, shared_ws: Workspace, tmp_path: Path) -> None:
    name, content, expected = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_bytes(content)
    before = shared_ws.store.table_counts()
    with pytest.raises(ExchangeError) as err:
        ExchangeService(shared_ws).import_file(path)
    assert str(path) in str(err.value) and expected in str(err.value)
    assert shared_ws.store.table_counts() == before


@pytest.mark.parametrize("case", ["malformed json", "windows-1252", "fmti unknown names"])
def test_cli_reports_bad_input_on_stderr_with_exit_2(case: str, ws: Workspace, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    install_rubrics(ws)
    ws.vendors.create("Acme Copy")
    name, content, expected = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_bytes(content)
    before = ws.store.table_counts()
    res = cli("import", str(path))
    assert res.code == 2 and res.out == ""
    assert res.err.startswith(f"vendoreval: {path}") and expected in res.err
    assert ws.store.table_counts() == before


def test_ragged_rows_are_refused(shared_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    _ragged(path)
    before = shared_ws.store.table_counts()
    with pytest.raises(ExchangeError, match=r"line 3: 3 cells but the header has 2 \(ragged row\)"):
        ExchangeService(shared_ws).import_file(path)
    assert shared_ws.store.table_counts() == before


def test_oversized_file_is_refused_before_reading(shared_ws: Workspace, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detect, "MAX_IMPORT_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 101)
    before = shared_ws.store.table_counts()
    with pytest.raises(ExchangeError, match="at most"):
        ExchangeService(shared_ws).import_file(path)
    assert shared_ws.store.table_counts() == before


def test_a_failing_write_rolls_the_whole_import_back(ws: Workspace, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    build_rich(ws, tmp_path)
    data = export_bytes(ws)
    target = Workspace(tmp_path / "t", evaluator="x")
    try:
        def boom(*_a: object, **_k: object) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(target.store, "insert_audit_rows", boom)
        path = tmp_path / "ws.json"
        path.write_bytes(data)
        with pytest.raises(RuntimeError):
            ExchangeService(target).import_file(path)
        counts = target.store.table_counts()
        assert counts["vendors"] == counts["claims"] == counts["scorecards"] == counts["audit"] == 0
    finally:
        target.close()


# --- rubrics import-csv -----------------------------------------------------------------------


def test_rubrics_import_csv_writes_a_valid_rubric(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r" / "fmti-copy.toml"
    res = cli("rubrics", "import-csv", str(FMTI_DIR / "Dec2025_indicators.csv"), "--out", str(out),
              "--id", "fmti-copy", "--version", "2025.12", "--title", "FMTI copy", "--license", "CC BY 4.0")
    assert res.code == 0, res.err
    assert "fmti-copy 2025.12, 100 criteria" in res.out
    assert cli("rubrics", "validate", str(out)).code == 0
    again = cli("rubrics", "import-csv", str(FMTI_DIR / "Dec2025_indicators.csv"), "--out", str(out))
    assert again.code == 2 and "--force" in again.err


def test_rubrics_import_csv_refuses_a_bad_csv(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_bytes("Domain,Subdomain,Indicator,Definition,Notes\nUp,Data,Caf\xe9,x,y\n".encode("cp1252"))
    out = tmp_path / "out.toml"
    res = cli("rubrics", "import-csv", str(bad), "--out", str(out))
    assert res.code == 2 and str(bad) in res.err and "line 2" in res.err and "UTF-8" in res.err
    assert not out.exists()


def test_fmti_developer_that_cannot_be_a_vendor_is_refused(shared_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(b"Indicator," + b"X" * 300 + b"\nData size,1\n")
    before = shared_ws.store.table_counts()
    with pytest.raises(ExchangeError, match="cannot be a vendor name"):
        ExchangeService(shared_ws).import_file(path, "fmti", rubric="fmti@2025.12")
    assert shared_ws.store.table_counts() == before


class _Stop(Exception):
    """What the app's Cancel raises from the preview's check."""


def test_a_preview_can_be_stopped_between_its_steps(ws: Workspace, tmp_path: Path) -> None:
    """A 20 MB file took seconds to preview with no Cancel (a tester): the preview calls its check between
    reading, parsing and checking, and stops with what the check raises; nothing is written either way."""
    ws.vendors.create("Quillstack")
    path = tmp_path / "claims.csv"
    path.write_text("vendor,text\n" + "Quillstack,We never train on your data\n" * 50, encoding="utf-8")
    calls: list[int] = []
    preview = ExchangeService(ws).preview_import(path, check=lambda: calls.append(1))
    assert preview.ok and len(calls) == 3

    def stop() -> None:
        raise _Stop

    before = ws.store.table_counts()
    with pytest.raises(_Stop):
        ExchangeService(ws).preview_import(path, check=stop)
    assert ws.store.table_counts() == before
