"""Tampered, forged and replayed bundles: each is refused by `bundle import` (exit 2) and nothing changes.

Claire (CMO) sends Paul (procurement) her submitted scorecard in a signed bundle; Paul trusted her key when
he first imported it, and has a draft scorecard of his own. Mallory has a key of her own that nobody trusts.
Every case below starts from Claire's genuine bundle and changes it the way an attacker (or an accident)
would, then runs the CLI on Paul's data folder and checks the refusal text, the exit code and that Paul's
database is exactly as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.integration.test_bundle_roundtrip import add_rubric, rewrite, score_card
from vendoreval.domain.models import ClaimStatus, Scorecard
from vendoreval.exchange.bundle import BundleContent, Handover, Signer, write_bundle
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import Workspace
from vendoreval.services.bundles import BundleService
from vendoreval.services.identity import IdentityService, fingerprint, group_fingerprint

CLAIRE = "Claire (CMO)"


@dataclass
class Key:
    """An attacker's (or any) Ed25519 key with the manifest's view of it."""

    private: Ed25519PrivateKey
    name: str

    @property
    def raw(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    def signer(self, name: str | None = None) -> Signer:
        return Signer(name=name or self.name, fingerprint=self.fingerprint,
                      public_key=base64.b64encode(self.raw).decode())


@dataclass
class World:
    claire: Workspace
    paul: Workspace
    genuine: Path  # Claire's first bundle, already imported by Paul
    claire_fp: str
    paul_fp: str
    claire_card: str
    paul_card: str
    mallory: Key
    tmp: Path


@pytest.fixture
def world(tmp_path: Path):  # type: ignore[no-untyped-def]
    claire = Workspace(tmp_path / "claire", evaluator=CLAIRE, secrets=InMemorySecretStore())
    paul = Workspace(tmp_path / "paul", evaluator="Paul (Procurement)", secrets=InMemorySecretStore())
    try:
        add_rubric(claire)
        vendor = claire.vendors.create("Acme AI")
        doc = tmp_path / "dpa.pdf"
        doc.write_bytes(b"%PDF-1.4 data processing agreement")
        claim = claire.claims.add(vendor.id, "We sign a GDPR Art. 28 DPA.", criteria=["privacy:dpa"], source="deck")
        claire.claims.set_status(claim.id, ClaimStatus.DOCUMENTED)
        ev = claire.evidence.add_file(vendor.id, doc, claim_ids=[claim.id])
        claire_card = score_card(claire, vendor.id, {"lawful_basis": 2, "dpa": 2, "retention": 2, "transfers": 2},
                                 claim_ids=[claim.id], evidence_ids=[ev.id])
        genuine = BundleService(claire).export(tmp_path / "claire-v1.vebundle").path
        claire_fp = claire.store.settings()["identity.fingerprint"]
        IdentityService(paul).signing_key(create=True)  # Paul has a key before he scores: his cards are his
        paul_fp = paul.store.settings()["identity.fingerprint"]
        BundleService(paul).import_bundle(genuine, trust_key=claire_fp, accept_rubrics=True)
        paul.library.reload()
        paul_card = score_card(paul, vendor.id, {"lawful_basis": 1}, submit=False)
        assert paul.store.scorecard(claire_card).owner_key == claire_fp  # type: ignore[union-attr]
        assert paul.store.scorecard(paul_card).owner_key == paul_fp  # type: ignore[union-attr]
        yield World(claire, paul, genuine, claire_fp, paul_fp, claire_card, paul_card,
                    Key(Ed25519PrivateKey.generate(), "Mallory"), tmp_path)
    finally:
        claire.close()
        paul.close()


# --- building bad bundles -------------------------------------------------------------------------


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def manifest_of(path: Path) -> dict[str, Any]:
    return json.loads(members(path)["manifest.json"])


def with_manifest(src: Path, dst: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    manifest = manifest_of(src)
    edit(manifest)
    return rewrite(src, dst, replace={"manifest.json": json.dumps(manifest).encode()})


def forge(src: Path, dst: Path, key: Key, *, name: str | None = None,
          edit: Callable[[BundleContent], BundleContent] = lambda c: c, handovers: list[Handover] | None = None,
          signer: Signer | None = None) -> Path:
    """A bundle re-made from ``src``'s content (after ``edit``) and validly signed by ``key``."""
    files = members(src)
    content = edit(BundleContent.model_validate_json(files["content.json"]))
    the_signer = signer or key.signer(name)
    write_bundle(dst, content, lambda sha: files["evidence/" + sha], exported_by=the_signer.name,
                 sign=lambda msg: (the_signer, key.private.sign(msg)), signer=the_signer, handovers=handovers)
    return dst


def unsigned(src: Path, dst: Path, edit: Callable[[BundleContent], BundleContent]) -> Path:
    files = members(src)
    content = edit(BundleContent.model_validate_json(files["content.json"]))
    write_bundle(dst, content, lambda sha: files["evidence/" + sha], exported_by=CLAIRE,
                 unsigned_reason="no keyring")
    return dst


def bumped(card_id: str, level: int = 4) -> Callable[[BundleContent], BundleContent]:
    """Content edit: the scorecard ``card_id`` one version newer, every answer at ``level`` (50 → 100)."""
    def edit(content: BundleContent) -> BundleContent:
        cards = []
        for card in content.scorecards:
            if card.id == card_id:
                card = card.model_copy(update={"version": card.version + 1, "scores": {
                    k: s.model_copy(update={"level": level}) for k, s in card.scores.items()}})
            cards.append(card)
        return content.model_copy(update={"scorecards": cards})
    return edit


def carrying(card: Scorecard) -> Callable[[BundleContent], BundleContent]:
    """Content edit: ``card`` (a newer copy of a card of Paul's) instead of Claire's scorecards."""
    def edit(content: BundleContent) -> BundleContent:
        return content.model_copy(update={"scorecards": [card]})
    return edit


def newer_copy(ws: Workspace, card_id: str, level: int = 4) -> Scorecard:
    card = ws.store.scorecard(card_id)
    assert card is not None
    return card.model_copy(update={"version": card.version + 1, "owner_key": None, "scores": {
        k: s.model_copy(update={"level": level}) for k, s in card.scores.items()}})


# --- what "nothing changed" means -----------------------------------------------------------------


def state(ws: Workspace) -> tuple[dict[str, int], int, dict[str, Any]]:
    """Every table's row count, the newest audit id and every scorecard as stored (scores, owner, version)."""
    audit = ws.store.audit(limit=1)
    cards = {c.id: c.model_dump(mode="json") for c in ws.store.scorecards()}
    return ws.store.table_counts(), (audit[0].id or 0) if audit else 0, cards


def refused(world: World, path: Path, *flags: str, cli: Any) -> Any:
    before = state(world.paul)
    r = cli("bundle", "import", str(path), "--accept-rubrics", *flags, data=world.paul.data_dir)
    assert r.code == 2, (r.out, r.err)
    assert state(world.paul) == before
    assert world.paul.store.scorecard(world.claire_card).scores["dpa"].level == 2  # type: ignore[union-attr]
    return r


NOTHING = "nothing was imported"


# --- the file was changed after signing: refused whole --------------------------------------------


def test_content_byte_flipped(world, cli):
    files = members(world.genuine)
    body = bytearray(files["content.json"])
    i = body.index(b'"level":2')
    body[i + 8] = ord("4")
    bad = rewrite(world.genuine, world.tmp / "flip.vebundle", replace={"content.json": bytes(body)})
    r = refused(world, bad, cli=cli)
    assert (f"{bad}: member 'content.json' does not match the manifest: it was changed after it was signed. "
            "Nothing was imported.") in r.err


def test_a_raw_byte_flipped_in_the_zip_is_said_in_words(world, cli):
    """A byte flipped in the zip itself (not in the unpacked text) broke the compression: the message was
    zlib's 'Error -3 while decompressing data: invalid distance too far back', without 'Nothing was imported'."""
    raw = bytearray(world.genuine.read_bytes())
    with zipfile.ZipFile(world.genuine) as zf:
        info = zf.getinfo("content.json")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # the compressed bytes
    raw[start + info.compress_size // 2] ^= 0xFF
    bad = world.tmp / "raw-flip.vebundle"
    bad.write_bytes(bytes(raw))
    r = refused(world, bad, cli=cli)
    assert "the bundle is damaged or was altered ('content.json' cannot be unpacked)" in r.err
    assert "Nothing was imported." in r.err and "Error -3" not in r.err


def test_content_changed_and_manifest_digest_updated_under_the_old_signature(world, cli):
    body = members(world.genuine)["content.json"].replace(b'"level":2', b'"level":4')

    def edit(m: dict[str, Any]) -> None:
        m["content"] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}

    bad = with_manifest(world.genuine, world.tmp / "redigest.vebundle", edit)
    bad = rewrite(bad, world.tmp / "redigest2.vebundle", replace={"content.json": body})
    r = refused(world, bad, cli=cli)
    assert f"{bad}: the signature does not verify: the bundle was changed after it was signed, or is damaged." in r.err


def test_manifest_edited(world, cli):
    bad = with_manifest(world.genuine, world.tmp / "m.vebundle", lambda m: m.update(exported_by="Mallory"))
    r = refused(world, bad, cli=cli)
    assert "the signature does not verify" in r.err and NOTHING.capitalize() in r.err


def test_manifest_from_another_bundle(world, cli):
    vendor = world.claire.vendors.create("Beta Labs")
    score_card(world.claire, vendor.id, {"dpa": 3})
    other = BundleService(world.claire).export(world.tmp / "other2.vebundle").path
    bad = rewrite(world.genuine, world.tmp / "swapped.vebundle",
                  replace={"manifest.json": members(other)["manifest.json"]})
    r = refused(world, bad, cli=cli)
    assert f"{bad}: member 'content.json' does not match the manifest: it was changed after it was signed." in r.err


def test_file_added_after_signing(world, cli):
    bad = rewrite(world.genuine, world.tmp / "added.vebundle", extra={"evidence/" + "0" * 64: b"planted"})
    r = refused(world, bad, cli=cli)
    assert f"{bad}: member 'evidence/{'0' * 64}' is not listed in the manifest (added after signing?)" in r.err


def test_file_removed_after_signing(world, cli):
    files = members(world.genuine)
    gone = next(n for n in files if n.startswith("evidence/"))
    dst = world.tmp / "removed.vebundle"
    with zipfile.ZipFile(dst, "w") as zf:
        for n, data in files.items():
            if n != gone:
                zf.writestr(n, data)
    r = refused(world, dst, cli=cli)
    assert f"{dst}: member '{gone}' listed in the manifest is missing" in r.err


def test_signature_swapped_for_another_bundles(world, cli):
    score_card(world.claire, world.claire.vendors.create("Beta Labs").id, {"dpa": 3})
    other = BundleService(world.claire).export(world.tmp / "other.vebundle").path
    sig = manifest_of(other)["signature"]
    bad = with_manifest(world.genuine, world.tmp / "sig.vebundle", lambda m: m.update(signature=sig))
    r = refused(world, bad, cli=cli)
    assert f"{bad}: the signature does not verify" in r.err


@pytest.mark.parametrize("cut", [2, 1], ids=["shortened", "odd-length"])
def test_signature_truncated(world, cli, cut):
    bad = with_manifest(world.genuine, world.tmp / "short.vebundle",
                        lambda m: m.update(signature=m["signature"][:-cut]))
    r = refused(world, bad, cli=cli)
    expected = "the signature does not verify" if cut == 2 else "the signer's key or the signature is not readable"
    assert f"{bad}: {expected}" in r.err


def test_signing_key_swapped_keeping_claires_signature(world, cli):
    """The colleague's signature with another key (name and fingerprint made to match that key)."""
    signer = world.mallory.signer(CLAIRE).model_dump()
    bad = with_manifest(world.genuine, world.tmp / "key.vebundle", lambda m: m.update(signer=signer))
    r = refused(world, bad, cli=cli)
    assert f"{bad}: the signature does not verify" in r.err


def test_colleagues_public_key_with_another_keys_signature(world, cli):
    forged = forge(world.genuine, world.tmp / "f.vebundle", world.mallory, name=CLAIRE, edit=bumped(world.claire_card))
    claire_signer = manifest_of(world.genuine)["signer"]
    bad = with_manifest(forged, world.tmp / "pk.vebundle", lambda m: m.update(signer=claire_signer))
    r = refused(world, bad, cli=cli)
    assert f"{bad}: the signature does not verify" in r.err


@pytest.mark.parametrize("whose", ["claire", "paul"])
def test_signer_claiming_someone_elses_fingerprint(world, cli, whose):
    """Mallory signs with her key but writes a trusted colleague's (or Paul's own) fingerprint."""
    fp = world.claire_fp if whose == "claire" else world.paul_fp
    signer = world.mallory.signer(CLAIRE).model_copy(update={"fingerprint": fp})
    bad = forge(world.genuine, world.tmp / "fp.vebundle", world.mallory, signer=signer,
                edit=bumped(world.claire_card))
    r = refused(world, bad, cli=cli)
    assert f"{bad}: the signer's fingerprint does not match its public key; refused" in r.err


@pytest.mark.parametrize("how", ["signature null", "signature removed"])
def test_signer_without_signature(world, cli, how):
    def edit(m: dict[str, Any]) -> None:
        if how == "signature null":
            m["signature"] = None
        else:
            del m["signature"]

    bad = with_manifest(world.genuine, world.tmp / "nosig.vebundle", edit)
    r = refused(world, bad, "--accept-unsigned", cli=cli)
    assert f"{bad}: the bundle has a signer but no signature (or the reverse); refused" in r.err


# --- valid signatures from the wrong key: refused per scorecard -----------------------------------


def claire_refusal(world: World, signer: Key, why_owner: str) -> str:
    return (f"Refused: Acme AI — privacy 1.0 by {CLAIRE} (v2, submitted, 4 scores): it belongs to {why_owner} "
            f"{group_fingerprint(world.claire_fp)}; this bundle is signed by {signer.name}'s key "
            f"{group_fingerprint(signer.fingerprint)}")


def test_resigned_by_untrusted_key_under_colleagues_name(world, cli):
    key = Key(world.mallory.private, CLAIRE)
    bad = forge(world.genuine, world.tmp / "resigned.vebundle", key, edit=bumped(world.claire_card))
    r = refused(world, bad, cli=cli)
    assert claire_refusal(world, key, f"{CLAIRE}'s key") in r.out
    assert f"The signer calls itself '{CLAIRE}', the name of a key you trust" in r.err
    assert "vendoreval: 1 scorecard refused; nothing was imported" in r.err


def test_untrusted_signer_taking_colleagues_scorecard_id(world, cli):
    def edit(content: BundleContent) -> BundleContent:
        content = bumped(world.claire_card)(content)
        return content.model_copy(update={"scorecards": [c.model_copy(update={"evaluator": "Mallory",
                                                                                "evaluator_key": None})
                                                         for c in content.scorecards]})

    bad = forge(world.genuine, world.tmp / "take.vebundle", world.mallory, edit=edit)
    r = refused(world, bad, cli=cli)
    assert (f"it belongs to {CLAIRE}'s key {group_fingerprint(world.claire_fp)}; this bundle is signed by "
            f"Mallory's key {group_fingerprint(world.mallory.fingerprint)}") in r.out


def test_trusted_other_key_cannot_replace_colleagues_scorecard(world, cli):
    """Even a key Paul trusts replaces only scorecards that key owns."""
    BundleService(world.paul).trust(world.mallory.fingerprint, world.mallory.signer().public_key, "Mallory")
    bad = forge(world.genuine, world.tmp / "trusted.vebundle", world.mallory, edit=bumped(world.claire_card))
    r = refused(world, bad, cli=cli)
    assert claire_refusal(world, world.mallory, f"{CLAIRE}'s key") in r.out


def test_untrusted_signer_creating_scorecards_stamped_with_colleagues_key(world, cli):
    def edit(content: BundleContent) -> BundleContent:
        card = content.scorecards[0]
        new = card.model_copy(update={"id": "f" * 32, "evaluator": CLAIRE, "evaluator_key": world.claire_fp})
        return content.model_copy(update={"scorecards": [new]})

    bad = forge(world.genuine, world.tmp / "stamp.vebundle", world.mallory, edit=edit)
    r = refused(world, bad, cli=cli)
    assert (f"it is stamped with {CLAIRE}'s key {group_fingerprint(world.claire_fp)}, but signed by Mallory's key "
            f"{group_fingerprint(world.mallory.fingerprint)}, which you have not trusted: an untrusted signer may "
            "only bring its own scorecards") in r.out


def test_untrusted_bundle_carrying_my_own_scorecard(world, cli):
    card = newer_copy(world.paul, world.paul_card)
    bad = forge(world.genuine, world.tmp / "mine.vebundle", world.mallory, edit=carrying(card))
    r = refused(world, bad, cli=cli)
    assert (f"it is your own scorecard (your key {group_fingerprint(world.paul_fp)}); this bundle is signed by "
            f"Mallory's key {group_fingerprint(world.mallory.fingerprint)}") in r.out


def test_trusted_colleague_cannot_replace_my_own_scorecard(world, cli):
    card = newer_copy(world.paul, world.paul_card)
    _info, key, _p = IdentityService(world.claire).signing_key(create=False)
    assert key is not None
    bad = forge(world.genuine, world.tmp / "claire-mine.vebundle", Key(key, CLAIRE), edit=carrying(card))
    r = refused(world, bad, cli=cli)
    assert f"it is your own scorecard (your key {group_fingerprint(world.paul_fp)})" in r.out


# --- unsigned bundles: only add, after confirmation, never replace --------------------------------


@pytest.mark.parametrize("target", ["colleague's", "mine"])
def test_unsigned_bundle_with_higher_version_never_replaces(world, cli, target):
    if target == "mine":
        bad = unsigned(world.genuine, world.tmp / "u.vebundle", carrying(newer_copy(world.paul, world.paul_card)))
    else:
        bad = unsigned(world.genuine, world.tmp / "u.vebundle", bumped(world.claire_card))
    yours = " (and this one is yours)" if target == "mine" else ""
    for flags in ((), ("--accept-unsigned",)):
        r = refused(world, bad, *flags, cli=cli)
        assert ("the bundle is unsigned; an unsigned bundle may add new scorecards but never replace "
                f"one{yours}") in r.out
        assert "vendoreval: 1 scorecard refused; nothing was imported" in r.err


def test_unsigned_bundle_adds_only_after_confirmation(world, cli):
    def edit(content: BundleContent) -> BundleContent:
        new = content.scorecards[0].model_copy(update={"id": "d" * 32, "evaluator": "Nadia", "evaluator_key": None})
        return content.model_copy(update={"scorecards": [new]})

    bad = unsigned(world.genuine, world.tmp / "u-new.vebundle", edit)
    r = refused(world, bad, cli=cli)
    assert (f"{bad}: the bundle is UNSIGNED: nobody vouches for who made it or whether it was changed. To add its "
            "new scorecards anyway, confirm it (--accept-unsigned); an unsigned bundle never replaces a scorecard. "
            "Nothing was imported.") in r.err
    r = cli("bundle", "import", str(bad), "--accept-unsigned", data=world.paul.data_dir)
    assert r.code == 0 and "New scorecard: Acme AI — privacy 1.0 by Nadia" in r.out
    card = world.paul.store.scorecard("d" * 32)
    assert card is not None and card.owner_key is None  # nobody owns it: no bundle may ever replace it


def test_unsigned_bundle_cannot_bring_scorecards_stamped_with_a_key(world, cli):
    def edit(content: BundleContent) -> BundleContent:
        new = content.scorecards[0].model_copy(update={"id": "e" * 32, "evaluator_key": world.claire_fp})
        return content.model_copy(update={"scorecards": [new]})

    bad = unsigned(world.genuine, world.tmp / "u-stamp.vebundle", edit)
    r = refused(world, bad, "--accept-unsigned", cli=cli)
    assert (f"it is stamped with {CLAIRE}'s key {group_fingerprint(world.claire_fp)}, but the bundle is unsigned: "
            "nothing shows it comes from that key") in r.out


# --- genuine bundles out of order: yours is kept ---------------------------------------------------


def test_older_genuine_bundle_replayed_over_a_newer_scorecard(world, cli):
    world.claire.scorecards.reopen(world.claire_card)
    world.claire.scorecards.submit(world.claire_card)
    newer = BundleService(world.claire).export(world.tmp / "claire-v2.vebundle").path
    r = cli("bundle", "import", str(newer), data=world.paul.data_dir)
    assert r.code == 0 and "Newer scorecard replaces v1 (submitted)" in r.out
    version = world.paul.store.scorecard(world.claire_card).version  # type: ignore[union-attr]
    assert version == 2
    before = state(world.paul)
    r = cli("bundle", "import", str(world.genuine), data=world.paul.data_dir)
    # Nothing to refuse: the genuine owner's older copy is simply not newer; yours is kept (exit 0).
    assert r.code == 0
    assert f"Your copy of Acme AI — privacy 1.0 by {CLAIRE} (v2, submitted, 4 scores) is newer; kept yours." in r.err
    assert "Nothing new" in r.out
    assert state(world.paul) == before


# --- hand-overs -----------------------------------------------------------------------------------


def test_handover_signed_by_the_wrong_key(world, cli):
    """Mallory claims Claire handed her scorecards over to Mallory's key, signing the statement herself."""
    BundleService(world.paul).trust(world.mallory.fingerprint, world.mallory.signer().public_key, "Mallory")
    claire_pub = manifest_of(world.genuine)["signer"]["public_key"]
    h = Handover(old_fingerprint=world.claire_fp, old_public_key=claire_pub,
                 new_fingerprint=world.mallory.fingerprint, name=CLAIRE, created_at="2026-01-01T00:00:00Z")
    h.signature = world.mallory.private.sign(h.signing_message()).hex()
    bad = forge(world.genuine, world.tmp / "handover.vebundle", world.mallory, edit=bumped(world.claire_card),
                handovers=[h])
    r = refused(world, bad, cli=cli)
    assert (f"A hand-over from key {group_fingerprint(world.claire_fp)} is ignored: it is not signed by the old "
            "key.") in r.err
    assert claire_refusal(world, world.mallory, f"{CLAIRE}'s key") in r.out
    assert world.paul.store.scorecard_owner_counts().get(world.mallory.fingerprint) is None


def test_genuine_handover_moves_the_scorecards(world, cli):
    """The control case: Claire's new key, handed over by her old one, may replace her scorecard."""
    world.claire.scorecards.reopen(world.claire_card)
    world.claire.scorecards.submit(world.claire_card)
    IdentityService(world.claire).new_key()
    new_fp = world.claire.store.settings()["identity.fingerprint"]
    good = BundleService(world.claire).export(world.tmp / "claire-new-key.vebundle").path
    r = cli("bundle", "import", str(good), "--trust-key", new_fp, data=world.paul.data_dir)
    assert r.code == 0, r.err
    assert "Hand-over: 1 scorecard of key" in r.out
    card = world.paul.store.scorecard(world.claire_card)
    assert card is not None and card.version == 2 and card.owner_key == new_fp


# --- trusted keys never arrive in a workspace file merge ------------------------------------------


def mallory_workspace_file(world: World) -> Path:
    """A workspace file whose trusted keys name Mallory's key (and a key that is no key) as Claire's."""
    from vendoreval.services.exchange import ExchangeService

    ws = Workspace(world.tmp / "mallory", evaluator="Mallory", secrets=InMemorySecretStore())
    try:
        ws.vendors.create("Gamma Labs")
        with ws.store.transaction():
            ws.store.trust_key(world.mallory.fingerprint, world.mallory.signer().public_key, CLAIRE,
                               "2026-01-01T00:00:00Z")
            ws.store.trust_key(hashlib.sha256(b"notakey").hexdigest(), "notakey", CLAIRE, "2026-01-01T00:00:00Z")
        path = world.tmp / "mallory.json"
        ExchangeService(ws).export_workspace(path)
    finally:
        ws.close()
    return path


def test_workspace_file_merge_adds_no_trusted_key(world, cli):
    wsfile = mallory_workspace_file(world)
    keys_before = world.paul.store.trusted_keys()
    before = state(world.paul)
    r = cli("import", str(wsfile), "--trust-key", world.mallory.fingerprint, data=world.paul.data_dir)
    assert r.code == 2
    assert (f"{wsfile}: keys are trusted from a workspace file only when it is restored into an empty workspace; "
            "trust a colleague's key when you import their bundle (bundle import --trust-key FINGERPRINT). "
            "Nothing was imported.") in r.err
    assert state(world.paul) == before
    r = cli("import", str(wsfile), data=world.paul.data_dir)  # a plain merge: the vendor comes, the keys do not
    assert r.code == 0, r.err
    assert f"Not trusted: '{CLAIRE}', a trusted key there, key {world.mallory.fingerprint[:16]}… (a merge never adds "\
           "trusted keys)." in r.out + r.err
    assert world.paul.store.trusted_keys() == keys_before
    bad = forge(world.genuine, world.tmp / "after-merge.vebundle", Key(world.mallory.private, CLAIRE),
                edit=bumped(world.claire_card))
    r = refused(world, bad, cli=cli)  # the forged bundle is still refused after the merge
    assert claire_refusal(world, Key(world.mallory.private, CLAIRE), f"{CLAIRE}'s key") in r.out


def test_restore_refuses_a_trusted_key_that_is_not_a_public_key(world, cli):
    wsfile = mallory_workspace_file(world)
    target = world.tmp / "new-laptop"
    fp = hashlib.sha256(b"notakey").hexdigest()
    r = cli("import", str(wsfile), "--trust-key", fp, data=target)
    assert r.code == 2
    assert f"{wsfile}: the key '{CLAIRE}' ({fp[:16]}…) cannot be trusted:" in r.err and NOTHING.capitalize() in r.err
