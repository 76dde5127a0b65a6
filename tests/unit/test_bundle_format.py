"""The bundle file format: signed round trip, and every unsafe, damaged or tampered file refused cleanly."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import criterion, lvl, rubric
from vendoreval.domain.models import Evidence, EvidenceKind, Scorecard, Vendor
from vendoreval.exchange import ExchangeError
from vendoreval.exchange.bundle import (
    BundleContent,
    Limits,
    SignatureState,
    Signer,
    check_member_name,
    read_bundle,
    write_bundle,
)
from vendoreval.services.identity import verify

RUBRIC = rubric("mini", [criterion("a"), criterion("b")])
BLOB = b"evidence file body " * 50
SHA = hashlib.sha256(BLOB).hexdigest()


def content() -> BundleContent:
    v = Vendor(id="11111111-1111-4111-8111-111111111111", name="Acme")
    ev = Evidence(vendor_id=v.id, kind=EvidenceKind.FILE, sha256=SHA, original_name="dpa.pdf", size=len(BLOB))
    card = Scorecard(vendor_id=v.id, rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                     rubric_hash=RUBRIC.content_hash, evaluator="ann",
                     scores={"a": lvl("a", 3), "b": lvl("b", 1)})
    return BundleContent(vendors=[v], evidence=[ev], scorecards=[card], rubrics=[RUBRIC])


KEY = Ed25519PrivateKey.generate()
PUB = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
SIGNER = Signer(name="ann", fingerprint=hashlib.sha256(PUB).hexdigest(), public_key=base64.b64encode(PUB).decode())


def write(path: Path, signed: bool = True) -> Path:
    write_bundle(path, content(), lambda sha: BLOB, exported_by="ann",
                 sign=(lambda m: (SIGNER, KEY.sign(m))) if signed else None,
                 signer=SIGNER if signed else None, unsigned_reason=None if signed else "no keyring here")
    return path


def rewrite(src: Path, dst: Path, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None,
            compression: int = zipfile.ZIP_DEFLATED) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression=compression) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in (extra or {}).items():
            zi = zipfile.ZipInfo("x")
            zi.filename = name
            zi.compress_type = compression
            zout.writestr(zi, data)
    return dst


def test_signed_round_trip(tmp_path):
    path = write(tmp_path / "b.vebundle")
    with read_bundle(path, verify) as b:
        assert b.state == SignatureState.VALID and b.signer == SIGNER
        assert b.content == content() or b.content.model_dump(exclude={"vendors", "evidence", "scorecards"}) \
            == content().model_dump(exclude={"vendors", "evidence", "scorecards"})
        assert b.content.scorecards[0].scores["a"].level == 3
        assert b.evidence_bytes(SHA) == BLOB
        assert b.content.rubrics[0].content_hash == RUBRIC.content_hash


def test_unsigned_bundle_says_so(tmp_path):
    path = write(tmp_path / "u.vebundle", signed=False)
    with read_bundle(path, verify) as b:
        assert b.state == SignatureState.UNSIGNED and b.signer is None
        assert b.manifest.unsigned_reason == "no keyring here"


@pytest.mark.parametrize("name", ["../evil", "a/../../evil", "evidence/../../x", "/etc/passwd", "\\share\\x",
                                  "C:/Windows/x", "c:x", "evidence\\..\\x", "x\x00y"])
def test_unsafe_member_names_are_refused(name):
    with pytest.raises(ExchangeError):
        check_member_name(name)


@pytest.mark.parametrize("name", ["manifest.json", "evidence/" + "a" * 64, "dir/file..txt"])
def test_safe_member_names_pass(name):
    check_member_name(name)


@pytest.mark.parametrize(("name", "words"), [("../../evil.sh", "escapes"), ("/tmp/x", "absolute"),
                                              ("D:/x", "drive letter"), ("notes.txt", "unexpected member")])
def test_bundle_with_bad_member_is_refused(tmp_path, name, words):
    bad = rewrite(write(tmp_path / "g"), tmp_path / "bad", extra={name: b"x"})
    with pytest.raises(ExchangeError, match=words):
        read_bundle(bad, verify)


def test_zip_bomb_member_is_refused_before_unpacking(tmp_path):
    bomb = b"\0" * (8 * 1024 * 1024)
    bad = rewrite(write(tmp_path / "g"), tmp_path / "bad",
                  extra={"evidence/" + hashlib.sha256(bomb).hexdigest(): bomb})
    with pytest.raises(ExchangeError, match="zip bomb"):
        read_bundle(bad, verify)


@pytest.mark.parametrize(("limits", "words"), [
    (Limits(max_total_bytes=500), "unpacks to more than"),
    (Limits(max_members=2), "at most 2"),
    (Limits(max_member_bytes=100), "unpacks to"),
    (Limits(max_file_bytes=100), "a bundle may be at most 100 bytes"),
])
def test_size_limits(tmp_path, limits, words):
    with pytest.raises(ExchangeError, match=words):
        read_bundle(write(tmp_path / "g"), verify, limits)


def test_lying_size_header_cannot_inflate_past_the_limit(tmp_path):
    """A member whose header understates its size is cut off at the cap and reported damaged."""
    path = write(tmp_path / "g")
    data = bytearray(path.read_bytes())
    # Shrink the declared uncompressed size of content.json in the central directory.
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("content.json")
    old = info.file_size.to_bytes(4, "little")
    idx = data.rfind(old, 0, len(data))
    data[idx:idx + 4] = (10).to_bytes(4, "little")
    bad = tmp_path / "lying"
    bad.write_bytes(bytes(data))
    with pytest.raises(ExchangeError):
        read_bundle(bad, verify)


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicate_and_unlisted_members_are_refused(tmp_path):
    good = write(tmp_path / "g")
    extra_sha = hashlib.sha256(b"smuggled").hexdigest()
    unlisted = rewrite(good, tmp_path / "u", extra={"evidence/" + extra_sha: b"smuggled"})
    with pytest.raises(ExchangeError, match="not listed in the manifest"):
        read_bundle(unlisted, verify)
    buf = io.BytesIO()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("manifest.json", zin.read("manifest.json"))
    (tmp_path / "d").write_bytes(buf.getvalue())
    with pytest.raises(ExchangeError, match="appears twice"):
        read_bundle(tmp_path / "d", verify)


def test_tampering_is_detected(tmp_path):
    good = write(tmp_path / "g")
    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        body = json.loads(zf.read("content.json"))
    body["scorecards"][0]["scores"]["b"]["level"] = 4
    with pytest.raises(ExchangeError, match="changed after it was signed"):
        read_bundle(rewrite(good, tmp_path / "c", replace={"content.json": json.dumps(body).encode()}), verify)
    with pytest.raises(ExchangeError, match="does not match the manifest"):
        read_bundle(rewrite(good, tmp_path / "e", replace={"evidence/" + SHA: b"forged"}), verify)
    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    swapped = {**manifest, "signer": {**manifest["signer"], "public_key": base64.b64encode(other).decode()}}
    with pytest.raises(ExchangeError, match="fingerprint does not match"):
        read_bundle(rewrite(good, tmp_path / "k", replace={"manifest.json": json.dumps(swapped).encode()}), verify)
    stripped = {**manifest, "signature": None}
    with pytest.raises(ExchangeError, match="signer but no signature"):
        read_bundle(rewrite(good, tmp_path / "s", replace={"manifest.json": json.dumps(stripped).encode()}), verify)
    unsigned = {**manifest, "signature": None, "signer": None}
    with pytest.raises(ExchangeError, match="does not match the manifest"):  # re-labelled unsigned: digests still bite
        read_bundle(rewrite(good, tmp_path / "n", replace={
            "manifest.json": json.dumps(unsigned).encode(), "content.json": json.dumps(body).encode()}), verify)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 truncated", b"not a zip at all"])
def test_not_a_bundle(tmp_path, data):
    p = tmp_path / "x"
    p.write_bytes(data)
    with pytest.raises(ExchangeError, match="not a vendoreval bundle"):
        read_bundle(p, verify)


def test_export_refuses_inconsistent_content(tmp_path):
    c = content()
    c.rubrics = []
    with pytest.raises(ExchangeError, match="not in the bundle"):
        write_bundle(tmp_path / "x", c, lambda sha: BLOB, exported_by="ann")
    assert not (tmp_path / "x").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(min_value=0, max_value=1, exclude_max=True), flip=st.integers(min_value=1, max_value=255))
def test_any_corrupted_byte_is_refused_or_harmless(tmp_path, position, flip):
    """Invariant: a damaged bundle either fails with ExchangeError or reads back exactly what was signed."""
    good = tmp_path / "good"
    if not good.exists():
        write(good)
    data = bytearray(good.read_bytes())
    i = int(position * len(data))
    data[i] ^= flip
    bad = tmp_path / "bad"
    bad.write_bytes(bytes(data))
    try:
        b = read_bundle(bad, verify)
    except ExchangeError:
        return
    with b:
        assert b.state == SignatureState.VALID
        assert b.content.model_dump() == read_bundle(good, verify).content.model_dump()
