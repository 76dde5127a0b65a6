"""Scorecards travel between two data folders as signed bundles and merge; bad bundles import nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.factories import criterion, rubric
from vendoreval.domain.models import Answer, ClaimStatus
from vendoreval.domain.rubric import Rubric
from vendoreval.exchange import ExchangeError
from vendoreval.exchange.bundle import Limits
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import ServiceError, Workspace
from vendoreval.services.bundles import BundleService
from vendoreval.services.consensus import ConsensusService

RUBRIC = rubric("privacy", [criterion("lawful_basis"), criterion("dpa"), criterion("retention"),
                            criterion("transfers")], version="1.0")


def add_rubric(ws: Workspace, r: Rubric = RUBRIC) -> None:
    """Make a rubric built in the test known to a workspace (as a user rubric snapshot)."""
    with ws.store.transaction():
        ws.store.save_rubric_version(r, origin="user")
    ws.library.remember(r)


def score_card(ws: Workspace, vendor_id: str, levels: dict[str, int], claim_ids: list[str] | None = None,
               evidence_ids: list[str] | None = None, submit: bool = True) -> str:
    """This evaluator's scorecard with the given levels; returns its id."""
    card = ws.scorecards.create(vendor_id, RUBRIC.id, RUBRIC.version)
    for cid, level in levels.items():
        ws.scorecards.set_score(card.id, cid, Answer.LEVEL, level=level, rationale=f"{ws.evaluator} on {cid}",
                                claim_ids=claim_ids if cid == "dpa" else None,
                                evidence_ids=evidence_ids if cid == "dpa" else None)
    if submit:
        ws.scorecards.submit(card.id)
    return card.id


def snapshot(ws: Workspace) -> tuple[dict[str, int], int]:
    """Row counts and the newest audit id: what 'nothing imported' is checked against."""
    audit = ws.store.audit(limit=1)
    return ws.store.counts(), (audit[0].id or 0) if audit else 0


@pytest.fixture
def cmo(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The CMO's workspace: one vendor, a claim with an evidence file, a submitted scorecard."""
    ws = Workspace(tmp_path / "cmo", evaluator="Claire (CMO)", secrets=InMemorySecretStore())
    add_rubric(ws)
    vendor = ws.vendors.create("Acme AI", product="Copywriter")
    doc = tmp_path / "dpa.pdf"
    doc.write_bytes(b"%PDF-1.4 data processing agreement, signed 2026-03-01")
    claim = ws.claims.add(vendor.id, "We sign a GDPR Art. 28 DPA with every customer.",
                          criteria=["privacy:dpa"], source="Sales deck p. 12")
    ws.claims.set_status(claim.id, ClaimStatus.DOCUMENTED)
    ev = ws.evidence.add_file(vendor.id, doc, claim_ids=[claim.id])
    score_card(ws, vendor.id, {"lawful_basis": 4, "dpa": 2, "retention": 1, "transfers": 3},
               claim_ids=[claim.id], evidence_ids=[ev.id])
    yield ws
    ws.close()


@pytest.fixture
def proc(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Procurement's workspace: empty, its own evaluator and its own key store."""
    ws = Workspace(tmp_path / "procurement", evaluator="Paul (Procurement)", secrets=InMemorySecretStore())
    yield ws
    ws.close()


def test_round_trip_two_evaluators_ends_in_consensus_with_hand_computed_figures(cmo, proc, tmp_path):
    out = tmp_path / "claire.vebundle"
    result = BundleService(cmo).export(out)
    assert result.signed and result.manifest.signer is not None
    assert result.manifest.signer.name == "Claire (CMO)"
    assert (result.scorecards, result.claims, result.evidence, result.rubrics) == (1, 1, 1, 1)

    svc = BundleService(proc)
    plan = svc.preview(out)
    assert not plan.trusted and "NOT trusted" in plan.signer_line()
    assert [r.id for r in plan.missing_rubrics] == ["privacy"]
    before = snapshot(proc)
    with pytest.raises(ServiceError, match="--accept-rubrics"):
        svc.import_bundle(out)
    assert snapshot(proc) == before  # missing rubric without confirmation: nothing imported

    done = svc.import_bundle(out, accept_rubrics=True, trust_key=result.manifest.signer.fingerprint)
    assert done.trusted_now and done.rubrics_added == 1
    counts = proc.store.counts()
    assert (counts["vendors"], counts["claims"], counts["evidence"], counts["scorecards"]) == (1, 1, 1, 1)
    vendor = proc.vendors.find("Acme AI")
    ev = proc.evidence.list(vendor.id)[0]
    assert proc.store.blobs.read(ev.sha256 or "") == (tmp_path / "dpa.pdf").read_bytes()
    imported = proc.scorecards.list(vendor.id)[0]
    assert imported.evaluator_key == result.manifest.signer.fingerprint  # identified by key, not name
    assert svc.preview(out).trusted

    # Procurement scores the same vendor; the two cards sit side by side.
    score_card(proc, vendor.id, {"lawful_basis": 4, "dpa": 4, "retention": 1, "transfers": 2})
    c = ConsensusService(proc).for_vendor(vendor.id, "privacy")
    assert c.evaluators == ("Claire (CMO)", "Paul (Procurement)")
    spreads = {r.criterion.id: r.spread for r in c.rows}
    assert spreads == {"lawful_basis": 0, "dpa": 2, "retention": 0, "transfers": 1}
    assert [r.criterion.id for r in c.flagged] == ["dpa"]
    # Hand computation. Units (criterion -> levels): (4,4) (2,4) (1,1) (3,2).
    # Percent agreement: 2 of 4 criteria identical = 0.5.
    # Ordinal Krippendorff alpha: coincidences o44=2, o24=o42=1, o11=2, o32=o23=1;
    # n1=2, n2=2, n3=1, n4=3, n=8. delta(c,k) = (sum n_g for g in c..k - (n_c+n_k)/2)^2:
    # d12=4, d13=12.25, d14=30.25, d23=2.25, d24=12.25, d34=4.
    # D_o = 2*(1*12.25) + 2*(1*2.25) = 29.
    # D_e = 2*(2*2*4 + 2*1*12.25 + 2*3*30.25 + 2*1*2.25 + 2*3*12.25 + 1*3*4) = 2*312 = 624.
    # alpha = 1 - (n-1) * D_o / D_e = 1 - 7*29/624 = 421/624.
    assert c.agreement.percent == pytest.approx(0.5)
    assert c.agreement.alpha == pytest.approx(421 / 624)

    # The CMO reopens, revises dpa to 3 and resubmits: version 2 replaces version 1 with an audit entry.
    card_id = cmo.scorecards.list()[0].id
    cmo.scorecards.reopen(card_id)
    cmo.scorecards.set_score(card_id, "dpa", Answer.LEVEL, level=3)
    cmo.scorecards.submit(card_id)
    out2 = tmp_path / "claire-v2.vebundle"
    BundleService(cmo).export(out2)
    plan2 = svc.preview(out2)
    assert plan2.trusted and len(plan2.replaced_scorecards) == 1 and not plan2.new_scorecards
    svc.import_bundle(out2)
    assert proc.store.counts()["scorecards"] == 2
    replaced = [a for a in proc.history() if a.action == "replace"]
    assert len(replaced) == 1 and replaced[0].old == "v1 submitted" and replaced[0].new == "v2 submitted"
    c2 = ConsensusService(proc).for_vendor(vendor.id, "privacy")
    assert {r.criterion.id: r.spread for r in c2.rows}["dpa"] == 1 and not c2.flagged

    # Importing the same bundle again (or the older one) changes nothing at all.
    before = snapshot(proc)
    again = svc.import_bundle(out2)
    assert not again.plan.changes_anything
    svc.import_bundle(out, accept_rubrics=True)
    assert snapshot(proc) == before


def test_agreed_score_is_used_by_the_comparison(cmo, proc, tmp_path):
    out = tmp_path / "b.vebundle"
    BundleService(cmo).export(out)
    BundleService(proc).import_bundle(out, accept_rubrics=True)
    vendor = proc.vendors.find("Acme AI")
    score_card(proc, vendor.id, {"lawful_basis": 4, "dpa": 4, "retention": 1, "transfers": 2})
    totals = proc.totals.vendor_totals()[0].rubrics["privacy"]
    assert totals.scores["dpa"].level == 2  # lower median of (2, 4)
    before_claimed = totals.score.claimed
    svc = ConsensusService(proc)
    with pytest.raises(ServiceError, match="rationale"):
        svc.agree(vendor.id, "privacy", "dpa", level=4, rationale="  ")
    svc.agree(vendor.id, "privacy", "dpa", level=4, rationale="Signed DPA seen in the data room")
    after = proc.totals.vendor_totals()[0].rubrics["privacy"]
    assert after.scores["dpa"].level == 4
    assert after.score.claimed == pytest.approx(before_claimed + 100 * (2 / 4) / 4)
    # The comparison the Compare page and the brief are built from sees the agreed level too.
    from vendoreval.services.comparison import ComparisonService

    ranked = ComparisonService(proc).compare(samples=0).ranking[0]
    assert ranked.rubric_scores["privacy"].claimed == pytest.approx(after.score.claimed)
    assert ranked.claimed == pytest.approx(after.score.claimed)
    row = next(r for r in svc.for_vendor(vendor.id, "privacy").rows if r.criterion.id == "dpa")
    assert row.agreed is not None and row.agreed.agreed_by == "Paul (Procurement)"
    entry = proc.history(limit=1)[0]
    assert entry.action == "agree" and entry.new == "level 4 (L4)" and "data room" in entry.summary


def test_another_evaluators_scorecard_sits_beside_and_own_card_comes_back_unchanged(cmo, proc, tmp_path):
    out = tmp_path / "a.vebundle"
    BundleService(cmo).export(out)
    BundleService(proc).import_bundle(out, accept_rubrics=True)
    vendor = proc.vendors.find("Acme AI")
    score_card(proc, vendor.id, {"lawful_basis": 1})
    back = tmp_path / "back.vebundle"
    BundleService(proc).export(back)
    before = snapshot(cmo)
    plan = BundleService(cmo).preview(back)
    assert [c.evaluator for c in plan.new_scorecards] == ["Paul (Procurement)"]
    assert plan.unchanged >= 3  # vendor, claim, evidence and Claire's own card come back as they left
    BundleService(cmo).import_bundle(back, trust_key=plan.signer.fingerprint)
    assert cmo.store.counts()["scorecards"] == before[0]["scorecards"] + 1
    assert cmo.store.counts()["claims"] == before[0]["claims"]


def test_unsigned_bundle_without_keyring_says_so_and_imports_with_warning(cmo, tmp_path):
    nokey = Workspace(tmp_path / "nokey", evaluator="Nadia", secrets=InMemorySecretStore(unavailable="no keyring"))
    try:
        add_rubric(nokey)
        vendor = nokey.vendors.create("Beta Labs")
        score_card(nokey, vendor.id, {"lawful_basis": 2})
        out = tmp_path / "unsigned.vebundle"
        result = BundleService(nokey).export(out)
        assert not result.signed and "UNSIGNED" in result.describe() and "no keyring" in result.describe()
        with zipfile.ZipFile(out) as zf:
            manifest = json.loads(zf.read("manifest.json"))
        assert manifest["signer"] is None and manifest["signature"] is None
        assert "no keyring" in manifest["unsigned_reason"]
    finally:
        nokey.close()
    plan = BundleService(cmo).preview(out)
    assert plan.signer_line().startswith("UNSIGNED")
    assert any("unsigned" in w for w in plan.warnings)
    with pytest.raises(ServiceError, match="--accept-unsigned"):
        BundleService(cmo).import_bundle(out)
    assert cmo.store.vendor_by_name("Beta Labs") is None
    BundleService(cmo).import_bundle(out, accept_unsigned=True)
    assert cmo.vendors.find("Beta Labs")


# --- bad bundles: a clear message and nothing imported ------------------------------------------


def rewrite(src: Path, dst: Path, *, replace: dict[str, bytes] | None = None,
            extra: dict[str, bytes] | None = None) -> Path:
    """Copy a bundle, replacing or adding members (names written verbatim, even unsafe ones)."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in (extra or {}).items():
            zi = zipfile.ZipInfo("placeholder")
            zi.filename = name
            zout.writestr(zi, data)
    return dst


def tamper_content(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as zf:
        content = json.loads(zf.read("content.json"))
    content["scorecards"][0]["scores"]["dpa"]["level"] = 4
    return rewrite(src, dst, replace={"content.json": json.dumps(content).encode()})


def tamper_manifest(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    manifest["exported_by"] = "Mallory"
    return rewrite(src, dst, replace={"manifest.json": json.dumps(manifest).encode()})


def truncate(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) * 2 // 3])
    return dst


BAD = {
    "tampered content": (tamper_content, "does not match the manifest"),
    "tampered manifest": (tamper_manifest, "signature does not verify"),
    "dot-dot member": (lambda s, d: rewrite(s, d, extra={"../../.bashrc": b"rm -rf ~"}), "escapes"),
    "absolute member": (lambda s, d: rewrite(s, d, extra={"/etc/cron.d/x": b"x"}), "absolute path"),
    "drive letter member": (lambda s, d: rewrite(s, d, extra={"C:/Windows/x.dll": b"x"}), "drive letter"),
    "truncated": (truncate, "truncated"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_bundle_is_refused_and_nothing_is_imported(kind, cmo, proc, tmp_path):
    good = tmp_path / "good.vebundle"
    BundleService(cmo).export(good)
    make, message = BAD[kind]
    bad = make(good, tmp_path / "bad.vebundle")
    before = snapshot(proc)
    with pytest.raises(ExchangeError, match=message):
        BundleService(proc).import_bundle(bad, accept_rubrics=True, accept_unsigned=True)
    assert snapshot(proc) == before
    assert not any((proc.data_dir / "evidence").rglob("*")) if (proc.data_dir / "evidence").exists() else True


def test_oversized_bundle_is_refused_and_nothing_is_imported(cmo, proc, tmp_path):
    good = tmp_path / "good.vebundle"
    BundleService(cmo).export(good)
    before = snapshot(proc)
    svc = BundleService(proc, limits=Limits(max_file_bytes=good.stat().st_size - 1))
    with pytest.raises(ExchangeError, match=r"good.vebundle: the file is \d+ bytes; a bundle may be at most \d+ bytes"):
        svc.import_bundle(good, accept_rubrics=True)
    assert snapshot(proc) == before


def test_cli_import_refusals_exit_2_and_consensus_commands(cmo, proc, tmp_path, cli, capsys):
    good = BundleService(cmo).export(tmp_path / "good.vebundle").path
    data = proc.data_dir
    before = snapshot(proc)
    r = cli("bundle", "import", str(good), data=data)
    assert r.code == 2 and "--accept-rubrics" in r.err and "nothing was imported" in r.err
    r = cli("bundle", "import", str(tamper_content(good, tmp_path / "t.vebundle")), "--accept-rubrics", data=data)
    assert r.code == 2 and "does not match the manifest" in r.err
    r = cli("bundle", "import", str(rewrite(good, tmp_path / "d.vebundle", extra={"../x": b"x"})), data=data)
    assert r.code == 2 and "escapes the bundle folder" in r.err
    assert snapshot(proc) == before
    r = cli("bundle", "import", str(good), "--dry-run", data=data)
    assert r.code == 0 and "NOT trusted" in r.out and "New scorecard" in r.out and snapshot(proc) == before
    fingerprint = cmo.store.settings()["identity.fingerprint"]
    with pytest.raises(SystemExit) as bare:  # the bare flag trusts nothing: argparse refuses it
        cli("bundle", "import", str(good), "--accept-rubrics", "--trust-key", data=data)
    assert bare.value.code == 2 and "expected one argument" in capsys.readouterr().err
    r = cli("bundle", "import", str(good), "--accept-rubrics", "--trust-key", "0" * 64, data=data)
    assert r.code == 2 and "not that one" in r.err and snapshot(proc) == before
    r = cli("bundle", "import", str(good), "--accept-rubrics", "--trust-key", fingerprint, data=data)
    assert r.code == 0 and "Trusted Claire (CMO)'s key" in r.out
    proc.library.reload()  # the CLI ran as another connection: pick up the rubric version it took in
    vendor = proc.vendors.find("Acme AI")
    score_card(proc, vendor.id, {"lawful_basis": 4, "dpa": 4, "retention": 1, "transfers": 2})
    r = cli("consensus", "show", "Acme AI", "--json", data=data)
    assert r.code == 0
    shown = json.loads(r.out)[0]
    assert shown["percent_agreement"] == 0.5 and shown["alpha"] == pytest.approx(421 / 624)
    assert [c["criterion"] for c in shown["criteria"] if c["flagged"]] == ["dpa"]
    r = cli("consensus", "agree", "Acme AI", "privacy:dpa", "--level", "3", "--rationale", "Met halfway", data=data)
    assert r.code == 0 and "level 3" in r.out
    r = cli("consensus", "agree", "Acme AI", "privacy:dpa", "--level", "9", "--rationale", "x", data=data)
    assert r.code == 2 and "DPA: Level 9 is out of range 0..4." in r.err
    r = cli("consensus", "show", "Acme AI", data=data)
    assert r.code == 0 and "DIFFER ≥2" in r.out and "Percent agreement 50%" in r.out


def test_same_vendor_created_independently_is_merged_by_name(cmo, proc, tmp_path):
    add_rubric(proc)
    mine = proc.vendors.create("ACME AI")  # procurement entered the vendor too, with its own UUID
    score_card(proc, mine.id, {"lawful_basis": 1})
    out = BundleService(cmo).export(tmp_path / "b.vebundle").path
    plan = BundleService(proc).preview(out)
    assert not plan.new_vendors and any("merged into your vendor" in w for w in plan.warnings)
    BundleService(proc).import_bundle(out)
    assert [v.name for v in proc.vendors.list()] == ["ACME AI"]
    assert {c.evaluator for c in proc.scorecards.list(mine.id)} == {"Claire (CMO)", "Paul (Procurement)"}
    assert len(proc.claims.list(mine.id)) == 1 and len(proc.evidence.list(mine.id)) == 1
