"""Bundle format 2: decisions, conditions, agreed scores, contexts, commercials, risk notes, models and claim
edits travel; each record is owned by the key that created it and replaced only by a higher revision signed by
that key; evidence files can live beside the bundles; format-1 bundles still import."""

from __future__ import annotations

import hashlib
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.integration.test_bundle_roundtrip import add_rubric, rewrite, score_card
from tests.integration.test_bundle_tamper import Key, forge, members, state, unsigned
from vendoreval.domain.models import Answer, ClaimStatus, Decision
from vendoreval.exchange import ExchangeError
from vendoreval.exchange.bundle import FORMAT_VERSION, BundleContent, Signer, write_bundle
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import Workspace
from vendoreval.services.bundles import BundleService
from vendoreval.services.consensus import ConsensusService
from vendoreval.services.identity import IdentityService, group_fingerprint
from vendoreval.services.supply_chain import SupplyChainService

CLAIRE = "Claire (CMO)"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "bundle-format1.vebundle"
FIXTURE_KEY = "b3e2a826079e12db0916d898dc9272516cff32446cfbcfc79b51164461312d5a"


class Team:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.claire = Workspace(tmp / "claire", evaluator=CLAIRE, secrets=InMemorySecretStore())
        self.paul = Workspace(tmp / "paul", evaluator="Paul (Procurement)", secrets=InMemorySecretStore())
        c = self.claire
        IdentityService(c).signing_key(create=True)
        add_rubric(c)
        self.vendor = c.vendors.create("Acme AI")
        doc = tmp / "dpa.pdf"
        doc.write_bytes(b"%PDF-1.4 data processing agreement")
        self.claim = c.claims.add(self.vendor.id, "We sign a GDPR Art. 28 DPA.", criteria=["privacy:dpa"],
                                  source="deck")
        c.claims.set_status(self.claim.id, ClaimStatus.DOCUMENTED)
        self.ev = c.evidence.add_file(self.vendor.id, doc, claim_ids=[self.claim.id])
        self.card = score_card(c, self.vendor.id, {"lawful_basis": 2, "dpa": 2, "retention": 2, "transfers": 2},
                               claim_ids=[self.claim.id], evidence_ids=[self.ev.id])
        c.vendors.decide(self.vendor.id, Decision.GO_WITH_CONDITIONS, ["Cap IP indemnity at €2M"])
        c.conditions.set(self.vendor.id, 1, owner="Legal", target="€2M cap")
        c.contexts.set(self.vendor.id, {"gpai-model": "third-party"})
        c.commercials.set(self.vendor.id, {"one_off": "12000.50", "annual": "0.10", "currency": "EUR",
                                           "term_months": 24})
        c.risks.set("", "do_nothing", mitigation="Keep the agency for one more year", owner="CMO")
        SupplyChainService(c).add(self.vendor.id, "OpenAI", "GPT-4o", version="2024-08-06")
        ConsensusService(c).agree(self.vendor.id, "privacy", "dpa", level=3, rationale="DPA seen")
        IdentityService(self.paul).signing_key(create=True)
        self.claire_fp = c.store.settings()["identity.fingerprint"]
        self.paul_fp = self.paul.store.settings()["identity.fingerprint"]

    def export(self, name: str, **kw: Any) -> Path:
        return BundleService(self.claire).export(self.tmp / name, **kw).path

    def close(self) -> None:
        self.claire.close()
        self.paul.close()


@pytest.fixture
def team(tmp_path: Path):  # type: ignore[no-untyped-def]
    t = Team(tmp_path)
    yield t
    t.close()


def _first(team: Team) -> Path:
    """Claire's first bundle, imported by Paul with her key trusted."""
    path = team.export("claire-1.vebundle")
    BundleService(team.paul).import_bundle(path, trust_key=team.claire_fp, accept_rubrics=True)
    team.paul.library.reload()
    return path


def test_every_team_record_travels_with_its_owner(team):
    path = team.export("claire.vebundle")
    manifest = json.loads(members(path)["manifest.json"])
    assert manifest["format_version"] == FORMAT_VERSION == 2
    content = json.loads(members(path)["content.json"])
    assert {s: len(content[s]) for s in ("decisions", "conditions", "agreed_scores", "contexts", "commercials",
                                         "risks", "models", "claim_stamps")} == dict.fromkeys(
        ("decisions", "conditions", "agreed_scores", "contexts", "commercials", "risks", "models", "claim_stamps"), 1)
    assert content["commercials"][0]["record"]["one_off"] == "12000.50"  # exact decimal text, never a float
    assert all(content[s][0]["owner"] == team.claire_fp for s in ("decisions", "conditions", "commercials"))

    done = BundleService(team.paul).import_bundle(path, trust_key=team.claire_fp, accept_rubrics=True)
    text = done.describe()
    assert "New decision: Acme AI — decision Go with conditions by Claire (CMO)" in text
    assert 'New condition: Acme AI — condition "Cap IP indemnity at €2M"' in text
    p = team.paul
    vendor = p.vendors.find("Acme AI")
    # The decision rule: only this workspace decides; Claire's decision is shown as her position.
    assert vendor.decision == Decision.NOT_STARTED
    [pos] = p.store.decision_positions(vendor.id)
    assert (pos.decided_by, pos.decision, pos.conditions, pos.owner) == (
        CLAIRE, "go_with_conditions", ("Cap IP indemnity at €2M",), team.claire_fp)
    [cond] = p.conditions.list(vendor.id)
    assert (cond.text, cond.owner, cond.target) == ("Cap IP indemnity at €2M", "Legal", "€2M cap")
    assert p.contexts.get(vendor.id).as_json() == {"gpai-model": "third-party"}
    terms = p.commercials.get(vendor.id)
    assert (terms.one_off, terms.annual, terms.currency, terms.term_months) == (
        Decimal("12000.50"), Decimal("0.10"), "EUR", 24)
    assert [n.mitigation for n in p.store.risk_notes()] == ["Keep the agency for one more year"]
    assert [m.label for m in SupplyChainService(p).models(vendor.id)] == ["OpenAI GPT-4o (2024-08-06)"]
    assert [(a.criterion_id, a.level) for a in p.store.agreed_scores(vendor.id)] == [("dpa", 3)]
    assert p.store.record_owners("condition") == {cond.id: (team.claire_fp, 2)}  # owner, revision it sent
    # Importing the same bundle again changes nothing.
    before = state(p)
    again = BundleService(p).import_bundle(path, accept_rubrics=True)
    assert not again.plan.changes_anything and state(p) == before


def test_edits_travel_and_replace_the_older_revision(team, cli):
    _first(team)
    c = team.claire
    c.claims.update(team.claim.id, text="We sign a GDPR Art. 28 DPA with every customer.")
    c.conditions.set(team.vendor.id, 1, target="€3M cap")
    c.commercials.set(team.vendor.id, {"annual": "4800.00"})
    c.vendors.decide(team.vendor.id, Decision.GO_WITH_CONDITIONS, ["Cap IP indemnity at €2M", "Exit in 30 days"])
    path = team.export("claire-2.vebundle")
    r = cli("bundle", "import", str(path), data=team.paul.data_dir)
    assert r.code == 0, r.err
    assert r.out.splitlines()[1:7] == [
        "Newer decision (revision 3 → 5) replaces your copy: Acme AI — decision Go with conditions by Claire (CMO)",
        'Newer condition (revision 2 → 3) replaces your copy: Acme AI — condition "Cap IP indemnity at €2M"',
        'New condition: Acme AI — condition "Exit in 30 days"',
        "Newer commercial terms record (revision 1 → 2) replaces your copy: Acme AI — commercial terms record",
        'Edited claim (revision 3 → 4) replaces your copy: Acme AI — claim "We sign a GDPR Art. 28 DPA with every '
        'customer."',
        "7 items already here and unchanged"]
    p = team.paul
    vendor = p.vendors.find("Acme AI")
    assert p.claims.get(team.claim.id).text == "We sign a GDPR Art. 28 DPA with every customer."
    assert [(x.text, x.target) for x in p.conditions.list(vendor.id)] == [
        ("Cap IP indemnity at €2M", "€3M cap"), ("Exit in 30 days", "")]
    assert p.commercials.get(vendor.id).annual == Decimal("4800.00")
    assert [x.conditions for x in p.store.decision_positions(vendor.id)] == [
        ("Cap IP indemnity at €2M", "Exit in 30 days")]
    assert vendor.decision == Decision.NOT_STARTED  # still Paul's own (he has not decided)
    actions = {(e.action, e.entity) for e in p.history(limit=50)}
    assert {("replace", "claim"), ("replace", "condition"), ("replace", "commercials"),
            ("replace", "decision")} <= actions


# --- format-2 tamper cases ---------------------------------------------------------------------------


def _bump(section: str, **changes: Any) -> Any:
    """Content edit: the first record of ``section`` one revision higher, with ``changes``."""
    def edit(content: BundleContent) -> BundleContent:
        items = list(getattr(content, section))
        first = items[0]
        items[0] = first.model_copy(update={"revision": first.revision + 1,
                                            "record": first.record.model_copy(update=changes)})
        return content.model_copy(update={section: items})
    return edit


def _refused_only(team: Team, path: Path, cli: Any, *flags: str) -> Any:
    before = state(team.paul)
    r = cli("bundle", "import", str(path), "--accept-rubrics", *flags, data=team.paul.data_dir)
    assert r.code == 2, (r.out, r.err)
    assert "refused; nothing was imported" in r.err
    assert state(team.paul) == before
    return r


@pytest.mark.parametrize(("section", "changes", "words"), [
    ("conditions", {"target": "no cap"}, 'Acme AI — condition "Cap IP indemnity at €2M"'),
    ("commercials", {"one_off": "1.00"}, "Acme AI — commercial terms record"),
    ("decisions", {"decision": Decision.GO}, "Acme AI — decision Go"),
])
def test_a_record_replaced_by_another_key_is_refused(team, cli, section, changes, words):
    genuine = _first(team)
    mallory = Key(Ed25519PrivateKey.generate(), "Mallory")
    bad = forge(genuine, team.tmp / "mallory.vebundle", mallory, name=CLAIRE, edit=_bump(section, **changes))
    r = _refused_only(team, bad, cli)
    assert f"Refused: {words}" in r.out
    if section == "decisions":  # a position new to Paul (Mallory's own key): stamped with Claire's, refused
        assert "an untrusted signer may only bring its own decisions" in r.out
    else:
        assert (f"it belongs to {CLAIRE}'s key {group_fingerprint(team.claire_fp)}; this bundle is signed by "
                f"{CLAIRE}'s key {group_fingerprint(mallory.fingerprint)}") in r.out


def test_a_trusted_key_may_not_replace_a_colleagues_record(team, cli):
    genuine = _first(team)
    bob_ws = Workspace(team.tmp / "bob", evaluator="Bob", secrets=InMemorySecretStore())
    try:
        info, key, _problem = IdentityService(bob_ws).signing_key(create=True)
        assert info is not None and key is not None
        signer = Signer(name="Bob", fingerprint=info.fingerprint, public_key=info.public_key)
        BundleService(team.paul).trust(signer.fingerprint, signer.public_key, "Bob")  # Paul trusts Bob
        files = members(genuine)
        content = _bump("commercials", one_off="1.00")(BundleContent.model_validate_json(files["content.json"]))
        bad = team.tmp / "bob.vebundle"
        write_bundle(bad, content, lambda sha: files["evidence/" + sha], exported_by="Bob",
                     sign=lambda m: (signer, key.sign(m)), signer=signer)
        r = _refused_only(team, bad, cli)
        assert ("Refused: Acme AI — commercial terms record: it belongs to Claire (CMO)'s key "
                f"{group_fingerprint(team.claire_fp)}; this bundle is signed by Bob's key") in r.out
    finally:
        bob_ws.close()


def test_a_lower_revision_from_the_owner_is_refused(team, cli):
    older = _first(team)
    team.claire.conditions.set(team.vendor.id, 1, target="€3M cap")
    newer = team.export("claire-2.vebundle")
    assert cli("bundle", "import", str(newer), data=team.paul.data_dir).code == 0
    r = _refused_only(team, older, cli)
    assert ('Refused: Acme AI — condition "Cap IP indemnity at €2M": its revision 2 is not higher than yours (3)'
            in r.out)


def test_an_unsigned_bundle_never_replaces_an_owned_record(team, cli):
    genuine = _first(team)
    bad = unsigned(genuine, team.tmp / "unsigned.vebundle", _bump("conditions", target="no cap"))
    r = _refused_only(team, bad, cli, "--accept-unsigned")
    assert ("the bundle is unsigned; an unsigned bundle may add new conditions but never replace one" in r.out)


def test_an_unsigned_bundle_adding_records_stamped_with_a_key_is_refused(team, cli):
    path = team.export("claire.vebundle")
    bad = unsigned(path, team.tmp / "unsigned.vebundle", lambda c: c)
    r = cli("bundle", "import", str(bad), "--accept-rubrics", "--accept-unsigned", data=team.paul.data_dir)
    assert "but the bundle is unsigned: nothing shows it comes from that key" in r.out
    assert team.paul.store.conditions() == []


# --- strict input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("section", "path", "value", "message"), [
    ("decisions", ("record", "decided_at"), "2999-01-01T00:00:00Z", "future"),
    ("decisions", ("record", "decided_at"), "yesterday", "ISO-8601"),
    ("risks", ("record", "impact"), True, "integer"),
    ("commercials", ("record", "one_off"), 12000.5, "string"),
    ("commercials", ("record", "one_off"), "1e400", "pattern"),
    ("conditions", ("revision",), True, "integer"),
    ("conditions", ("record", "updated_at"), "2026-01-01 10:00", "ISO-8601"),
])
def test_format2_fields_are_strict(team, section, path, value, message):
    good = team.export("claire.vebundle")
    files = members(good)
    content = json.loads(files["content.json"])
    target = content[section][0]
    for k in path[:-1]:
        target = target[k]
    target[path[-1]] = value
    # made unsigned with the right digest, so that the content validator is what refuses it
    m = json.loads(files["manifest.json"])
    raw = json.dumps(content).encode()
    m["content"] = {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
    m["signer"] = None
    m["signature"] = None
    m["unsigned_reason"] = "test"
    bad = rewrite(good, team.tmp / "bad.vebundle", replace={"content.json": raw,
                                                            "manifest.json": json.dumps(m).encode()})
    with pytest.raises(ExchangeError, match=message):
        BundleService(team.paul).preview(bad)


# --- format 1 -----------------------------------------------------------------------------------------


def test_a_format1_bundle_from_the_old_writer_still_imports(tmp_path, cli):
    manifest = json.loads(zipfile.ZipFile(FIXTURE).read("manifest.json"))
    assert manifest["format_version"] == 1 and "claim_stamps" not in json.loads(
        zipfile.ZipFile(FIXTURE).read("content.json"))
    data = tmp_path / "paul"
    r = cli("bundle", "import", str(FIXTURE), "--trust-key", FIXTURE_KEY, "--accept-rubrics", data=data)
    assert r.code == 0, r.err
    ws = Workspace(data, evaluator="Paul", secrets=InMemorySecretStore())
    try:
        counts = ws.store.counts()
        assert (counts["vendors"], counts["claims"], counts["evidence"], counts["scorecards"]) == (1, 1, 1, 1)
        card = ws.store.scorecards()[0]
        assert card.owner_key == FIXTURE_KEY and card.scores["dpa"].level == 2
        assert card.scores["dpa"].answer == Answer.LEVEL
    finally:
        ws.close()


# --- evidence beside the bundles ------------------------------------------------------------------------


def test_external_evidence_is_written_once_and_read_back(team):
    folder = team.tmp / "team"
    folder.mkdir()
    path = BundleService(team.claire).export(folder / "claire.vebundle", evidence_dir=folder / "evidence").path
    sha = team.ev.sha256 or ""
    assert (folder / "evidence" / sha).read_bytes() == b"%PDF-1.4 data processing agreement"
    assert [n for n in zipfile.ZipFile(path).namelist() if n.startswith("evidence/")] == []
    manifest = json.loads(members(path)["manifest.json"])
    assert manifest["files"] == {f"evidence/{sha}": {"sha256": sha, "size": 34, "external": True}}
    mtime = (folder / "evidence" / sha).stat().st_mtime_ns
    BundleService(team.claire).export(folder / "claire.vebundle", evidence_dir=folder / "evidence")
    assert (folder / "evidence" / sha).stat().st_mtime_ns == mtime  # already there: not written again
    BundleService(team.paul).import_bundle(path, trust_key=team.claire_fp, accept_rubrics=True)
    assert team.paul.store.blobs.read(sha) == b"%PDF-1.4 data processing agreement"


def test_a_missing_external_file_is_reported_and_the_rest_imports(team):
    folder = team.tmp / "team"
    folder.mkdir()
    path = BundleService(team.claire).export(folder / "claire.vebundle", evidence_dir=folder / "evidence").path
    sha = team.ev.sha256 or ""
    (folder / "evidence" / sha).unlink()
    done = BundleService(team.paul).import_bundle(path, trust_key=team.claire_fp, accept_rubrics=True)
    text = done.describe()
    assert "Refused: Acme AI — evidence dpa.pdf: evidence file" in text and "is not in" in text
    assert "it cites an evidence file that is not in the evidence folder yet" in text
    p = team.paul
    assert p.store.counts()["evidence"] == 0 and p.store.claim(team.claim.id) is None
    assert p.store.scorecards() == []  # the scorecard cites it: it waits for the file too
    assert [c.text for c in p.conditions.list(p.vendors.find("Acme AI").id)] == ["Cap IP indemnity at €2M"]
    # The file arrives (synced later): the same bundle now brings the rest.
    BundleService(team.claire).export(folder / "claire.vebundle", evidence_dir=folder / "evidence")
    again = BundleService(p).import_bundle(path, accept_rubrics=True)
    assert not again.plan.refused_anything
    assert p.store.counts()["evidence"] == 1 and len(p.store.scorecards()) == 1


def test_a_damaged_external_file_is_refused(team):
    folder = team.tmp / "team"
    folder.mkdir()
    path = BundleService(team.claire).export(folder / "claire.vebundle", evidence_dir=folder / "evidence").path
    sha = team.ev.sha256 or ""
    (folder / "evidence" / sha).write_bytes(b"%PDF-1.4 data processing agreemenT")
    done = BundleService(team.paul).import_bundle(path, trust_key=team.claire_fp, accept_rubrics=True)
    assert "does not match its digest in the signed manifest" in done.describe()
    assert team.paul.store.counts()["evidence"] == 0


def test_the_owners_next_revision_replaces_a_local_edit_of_their_record(team):
    _first(team)
    p = team.paul
    vendor = p.vendors.find("Acme AI")
    p.conditions.set(vendor.id, 1, target="Paul's idea")  # Paul edits Claire's condition: his revision moves on
    p.conditions.set(vendor.id, 1, target="Paul's second idea")
    team.claire.conditions.set(team.vendor.id, 1, target="€3M cap")
    done = BundleService(p).import_bundle(team.export("claire-2.vebundle"))
    assert not done.plan.refused_anything, done.describe()
    assert p.conditions.list(vendor.id)[0].target == "€3M cap"  # her revision 3 beats the 2 she last sent


def test_a_partial_external_file_left_by_a_sync_client_is_written_again(team):
    folder = team.tmp / "team"
    (folder / "evidence").mkdir(parents=True)
    sha = team.ev.sha256 or ""
    (folder / "evidence" / sha).write_bytes(b"%PDF-1.4 data")  # half downloaded
    BundleService(team.claire).export(folder / "claire.vebundle", evidence_dir=folder / "evidence")
    assert (folder / "evidence" / sha).read_bytes() == b"%PDF-1.4 data processing agreement"


def test_a_new_condition_with_a_text_the_vendor_has_is_refused(team):
    path = team.export("claire.vebundle")
    p = team.paul
    vendor = p.vendors.create("Acme AI")  # Paul made the vendor and the same condition himself
    p.vendors.decide(vendor.id, Decision.GO_WITH_CONDITIONS, ["Cap IP indemnity at €2M"])
    done = BundleService(p).import_bundle(path, trust_key=team.claire_fp, accept_rubrics=True)
    assert ('Refused: Acme AI — condition "Cap IP indemnity at €2M": the vendor already has the condition '
            "“Cap IP indemnity at €2M” (as another record)") in done.describe()
    assert [c.text for c in p.conditions.list(vendor.id)] == ["Cap IP indemnity at €2M"]
    assert p.vendors.get(vendor.id).decision == Decision.GO_WITH_CONDITIONS  # his own decision stays


def test_a_bundle_carries_your_decision_and_the_positions_you_hold(team):
    _first(team)
    p = team.paul
    vendor = p.vendors.find("Acme AI")
    p.vendors.decide(vendor.id, Decision.IN_EVALUATION)
    back = BundleService(p).export(team.tmp / "paul.vebundle").path
    content = json.loads(members(back)["content.json"])
    owners = sorted((d["owner"], d["record"]["decision"]) for d in content["decisions"])
    assert owners == sorted([(team.paul_fp, "in_evaluation"), (team.claire_fp, "go_with_conditions")])
    done = BundleService(team.claire).import_bundle(back, trust_key=team.paul_fp)
    assert [(x.decided_by, x.decision) for x in team.claire.store.decision_positions(team.vendor.id)] == [
        ("Paul (Procurement)", "in_evaluation")]  # her own position coming back is not stored twice
    assert team.claire.vendors.get(team.vendor.id).decision == Decision.GO_WITH_CONDITIONS
    assert not done.plan.refused_anything, done.describe()
