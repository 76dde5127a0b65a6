"""The bundle file: one ZIP with a signed manifest, the content JSON and the evidence files, read safely.

Layout::

    manifest.json          format, signer (name, fingerprint, public key), digests, signature
    content.json           vendors, claims, evidence records, scorecards, rubric versions
    evidence/<sha256>      each evidence file, named by its SHA-256

The signature is Ed25519 over ``SIGNING_PREFIX + digest`` where ``digest`` is the SHA-256 (hex) of the
manifest without its ``signature`` field as canonical JSON (sorted keys, no spaces). The manifest
lists the SHA-256 and size of every other member, so the signature covers every byte of the bundle.

The manifest may also carry ``handovers``: statements, each signed by an evaluator's earlier key, that a
newer key takes over that key's scorecards (Ed25519 by the old key over ``HANDOVER_PREFIX + digest`` of the
statement without its signature). The list is left out of the manifest when empty, so bundles without
hand-overs are byte-for-byte what earlier versions wrote and read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import files
from ..domain.models import Claim, Evidence, Scorecard, Vendor, utc_now
from ..domain.rubric import Rubric
from ..domain.rules import level_problem
from ..domain.strict import Timestamp, input_context
from ..errors import MAX_NESTING, nesting_depth_exceeded
from . import ZIP_ERRORS, ExchangeError, file_problems, strict_json

FORMAT = "vendoreval-bundle"
FORMAT_VERSION = 1
SIGNING_PREFIX = b"vendoreval-bundle-v1:"
HANDOVER_PREFIX = b"vendoreval-handover-v1:"
MANIFEST = "manifest.json"
CONTENT = "content.json"
EVIDENCE_DIR = "evidence/"
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1024 * 1024
#: What zipfile and its decompressors raise on damaged input (found by the corruption property test).


@dataclass(frozen=True)
class Limits:
    """What a bundle may weigh; anything beyond is refused before it is unpacked (zip bombs included)."""

    max_file_bytes: int = 1024 * 1024 * 1024  # the bundle file on disk
    max_members: int = 10_000
    max_member_bytes: int = 100 * 1024 * 1024  # one evidence file (the blob store's limit)
    max_json_bytes: int = 64 * 1024 * 1024  # manifest.json or content.json, uncompressed
    max_total_bytes: int = 2 * 1024 * 1024 * 1024  # all members, uncompressed
    max_ratio: int = 200  # uncompressed / compressed for any member larger than 1 MB


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Signer(_Strict):
    """Who signed: display name, key fingerprint (SHA-256 of the raw key, hex) and the base64 public key."""

    name: str
    fingerprint: str = Field(pattern=r"^[0-9a-f]{64}$")
    public_key: str


class Handover(_Strict):
    """A statement signed by an old key: the key ``new_fingerprint`` takes over the old key's scorecards."""

    old_fingerprint: str = Field(pattern=r"^[0-9a-f]{64}$")
    old_public_key: str
    new_fingerprint: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: str = ""  # the evaluator's display name when the hand-over was signed
    created_at: str
    signature: str | None = None  # hex Ed25519 signature by the old key

    def digest(self) -> str:
        """SHA-256 hex of the canonical JSON of the statement without its signature."""
        return hashlib.sha256(canonical_json(self.model_dump(mode="json", exclude={"signature"}))).hexdigest()

    def signing_message(self) -> bytes:
        """The exact bytes the old key signs."""
        return HANDOVER_PREFIX + self.digest().encode("ascii")


def handover_problem(h: Handover, verify_signature: Callable[[bytes, bytes, bytes], bool]) -> str | None:
    """Why the hand-over ``h`` does not prove the old key's consent; None when its signature verifies."""
    import base64

    try:
        public = base64.b64decode(h.old_public_key, validate=True)
        signature = bytes.fromhex(h.signature or "")
    except ValueError:
        return "its old key or its signature is not readable"
    if hashlib.sha256(public).hexdigest() != h.old_fingerprint:
        return "the old key's fingerprint does not match its public key"
    if not h.signature or not verify_signature(public, signature, h.signing_message()):
        return "it is not signed by the old key"
    return None


class FileEntry(_Strict):
    """A member's digest and size as recorded in the manifest."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class Manifest(_Strict):
    """The bundle's table of contents; everything but ``signature`` is signed."""

    format: Literal["vendoreval-bundle"]
    format_version: int
    created_at: Timestamp
    app_version: str = ""
    exported_by: str = ""
    signer: Signer | None = None
    unsigned_reason: str | None = None
    content: FileEntry
    files: dict[str, FileEntry] = Field(default_factory=dict)
    handovers: list[Handover] = Field(default_factory=list)
    signature: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The manifest as written: ``handovers`` only when there are some (earlier readers know no such field)."""
        body = self.model_dump(mode="json")
        if not body["handovers"]:
            del body["handovers"]
        return body

    def digest(self) -> str:
        """SHA-256 hex of the canonical JSON of the manifest without its signature."""
        body = self.as_json()
        del body["signature"]
        return hashlib.sha256(canonical_json(body)).hexdigest()

    def signing_message(self) -> bytes:
        """The exact bytes the Ed25519 signature is made over."""
        return SIGNING_PREFIX + self.digest().encode("ascii")


class BundleContent(_Strict):
    """What a bundle carries: the scorecards and everything needed to read them elsewhere."""

    vendors: list[Vendor] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    scorecards: list[Scorecard] = Field(default_factory=list)
    rubrics: list[Rubric] = Field(default_factory=list)


class SignatureState(StrEnum):
    """Whether a bundle's signature verified."""

    VALID = "valid"
    UNSIGNED = "unsigned"


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same bytes for the same data on every machine."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _check_content(content: BundleContent) -> list[str]:
    """Cross-references a well-formed bundle must satisfy."""
    problems = []
    vendor_ids = {v.id for v in content.vendors}
    rubric_hashes = {}
    for r in content.rubrics:
        rubric_hashes[r.content_hash] = r
    for c in content.claims:
        if c.vendor_id not in vendor_ids:
            problems.append(f"claim {c.id} belongs to vendor {c.vendor_id}, which is not in the bundle")
    for e in content.evidence:
        if e.vendor_id not in vendor_ids:
            problems.append(f"evidence {e.id} belongs to vendor {e.vendor_id}, which is not in the bundle")
    for card in content.scorecards:
        if card.vendor_id not in vendor_ids:
            problems.append(f"scorecard {card.id} belongs to vendor {card.vendor_id}, which is not in the bundle")
        rubric = rubric_hashes.get(card.rubric_hash)
        if rubric is None:
            problems.append(
                f"scorecard {card.id} was scored against {card.rubric_id} {card.rubric_version}, "
                "whose rubric version is not in the bundle (or its content does not match its hash)"
            )
        elif rubric.id != card.rubric_id or rubric.version != card.rubric_version:
            problems.append(f"scorecard {card.id} names {card.rubric_id} {card.rubric_version} but its hash "
                            f"is of {rubric.id} {rubric.version}")
        else:
            problems.extend(_score_problems(card, rubric))
    return problems


def _score_problems(card: Scorecard, rubric: Rubric) -> list[str]:
    """Scores naming a criterion the rubric lacks, or a level outside its scale (they would count as given)."""
    problems = []
    for key, score in card.scores.items():
        where = f"scorecard {card.id}, criterion {key!r}"
        if key != score.criterion_id:
            problems.append(f"{where}: keyed {key!r} but its criterion_id is {score.criterion_id!r}")
        try:
            crit = rubric.criterion(score.criterion_id)
        except KeyError:
            problems.append(f"{where}: {rubric.id} {rubric.version} has no criterion {score.criterion_id!r}")
            continue
        if score.level is not None and (problem := level_problem(crit, score.level)):
            problems.append(f"{where}: {problem}")
    return problems


def check_bundle_target(path: Path) -> None:
    """ExchangeError unless a bundle can be written at ``path`` (checked before a signing key is made)."""
    path = Path(path)
    if path.is_dir():
        raise ExchangeError(f"{path}: cannot write the bundle (it is a folder)")
    if not path.parent.is_dir():
        raise ExchangeError(f"{path}: cannot write the bundle (the folder {path.parent} does not exist)")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".bundle-", suffix=".tmp", dir=path.parent)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot write the bundle ({exc.strerror or exc})") from None


def write_bundle(
    path: Path,
    content: BundleContent,
    read_blob: Callable[[str], bytes],
    *,
    exported_by: str,
    sign: Callable[[bytes], tuple[Signer, bytes] | None] | None = None,
    signer: Signer | None = None,
    unsigned_reason: str | None = None,
    app_version: str = "",
    handovers: list[Handover] | None = None,
) -> Manifest:
    """Write ``content`` and its evidence files to ``path`` atomically; sign when ``sign`` gives a key.

    ``signer`` names the key ``sign`` will use (it is part of what is signed); when signing is not
    possible ``unsigned_reason`` is written into the manifest so the reader is told why.
    """
    problems = _check_content(content)
    if problems:
        raise ExchangeError(f"{path}: cannot export: " + "; ".join(problems))
    path = Path(path)
    # owner_key is this workspace's own record of who may replace a scorecard: it does not travel
    content_bytes = canonical_json(content.model_dump(mode="json", exclude={"scorecards": {"__all__": {"owner_key"}}}))
    shas = sorted({e.sha256 for e in content.evidence if e.sha256})
    if not path.parent.is_dir():
        raise ExchangeError(f"{path}: cannot write the bundle (the folder {path.parent} does not exist)")
    with file_problems(), files.atomic_output(path) as out, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries: dict[str, FileEntry] = {}
        zf.writestr(CONTENT, content_bytes)
        for sha in shas:
            data = read_blob(sha)
            if hashlib.sha256(data).hexdigest() != sha:
                raise ExchangeError(f"evidence file {sha[:12]}… is damaged in the data folder; not exported")
            zf.writestr(EVIDENCE_DIR + sha, data)
            entries[EVIDENCE_DIR + sha] = FileEntry(sha256=sha, size=len(data))
        manifest = Manifest(
            format=FORMAT,
            format_version=FORMAT_VERSION,
            created_at=utc_now(),
            app_version=app_version,
            exported_by=exported_by,
            signer=signer,
            unsigned_reason=None if signer else (unsigned_reason or "no signing key"),
            content=FileEntry(sha256=hashlib.sha256(content_bytes).hexdigest(), size=len(content_bytes)),
            files=entries,
            handovers=list(handovers or []) if signer else [],
        )
        if signer is not None and sign is not None:
            result = sign(manifest.signing_message())
            if result is None:
                raise ExchangeError("the signing key became unavailable while exporting")
            used, signature = result
            if used.fingerprint != signer.fingerprint:
                raise ExchangeError("the signing key changed while exporting")
            manifest.signature = signature.hex()
        zf.writestr(MANIFEST, json.dumps(manifest.as_json(), indent=2, ensure_ascii=False))
    return manifest


def check_member_name(name: str) -> None:
    """Refuse member names that could escape a target folder: '..', absolute paths, drive letters."""
    if "\x00" in name:
        raise ExchangeError(f"member name {name!r} contains a NUL byte")
    if name.startswith(("/", "\\")):
        raise ExchangeError(f"member '{name}' has an absolute path")
    if _DRIVE_RE.match(name):
        raise ExchangeError(f"member '{name}' names a drive letter")
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        raise ExchangeError(f"member '{name}' escapes the bundle folder ('..')")
    if "\\" in name:
        raise ExchangeError(f"member '{name}' uses backslashes in its path")


@dataclass
class Bundle:
    """An opened, verified bundle: manifest, content, signature state; evidence files read on demand."""

    path: Path
    manifest: Manifest
    content: BundleContent
    state: SignatureState
    _zip: zipfile.ZipFile
    _limits: Limits

    @property
    def signer(self) -> Signer | None:
        """Who signed (None for an unsigned bundle)."""
        return self.manifest.signer if self.state == SignatureState.VALID else None

    def evidence_bytes(self, sha256: str) -> bytes:
        """One evidence file's bytes, re-checked against its digest."""
        name = EVIDENCE_DIR + sha256
        entry = self.manifest.files.get(name)
        if entry is None:
            raise ExchangeError(f"{self.path}: evidence file {sha256[:12]}… is not in the bundle")
        data = _read_member(self._zip, name, self._limits.max_member_bytes, self.path)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ExchangeError(f"{self.path}: evidence file {sha256[:12]}… does not match its digest")
        return data

    def close(self) -> None:
        """Close the underlying file."""
        self._zip.close()

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _member_chunks(zf: zipfile.ZipFile, name: str, limit: int, path: Path) -> Iterator[bytes]:
    """A member's bytes in chunks, streamed; ExchangeError past ``limit`` bytes (whatever its header claims)."""
    total = 0
    try:
        with zf.open(name) as fh:
            for chunk in _chunks(fh):
                total += len(chunk)
                if total > limit:
                    raise ExchangeError(f"{path}: member '{name}' is larger than {limit} bytes")
                yield chunk
    except ZIP_ERRORS as exc:
        raise ExchangeError(f"{path}: member '{name}' is damaged or truncated ({exc})") from None


def _read_member(zf: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    """A member's bytes, never more than ``limit`` whatever its header claims."""
    return b"".join(_member_chunks(zf, name, limit, path))


def _chunks(fh: IO[bytes]) -> Iterator[bytes]:
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return
        yield chunk


def _digest_member(zf: zipfile.ZipFile, name: str, limit: int, path: Path) -> tuple[str, int]:
    """SHA-256 and size of a member, streamed and capped."""
    digest = hashlib.sha256()
    total = 0
    for chunk in _member_chunks(zf, name, limit, path):
        digest.update(chunk)
        total += len(chunk)
    return digest.hexdigest(), total


def _shallow(raw: bytes, name: str, path: Path) -> bytes:
    """``raw`` when its JSON nests at most MAX_NESTING deep; ExchangeError naming the bundle and member if not."""
    if nesting_depth_exceeded(raw):
        raise ExchangeError(f"{path}: {name}: JSON nested too deeply (more than {MAX_NESTING} levels of arrays or "
                            "objects); not a vendoreval bundle", file=str(path))
    return raw


def _validation_message(exc: ValidationError, limit: int = 5) -> str:
    parts, more = strict_json.validation_lines(exc, limit)
    return "; ".join(parts) + (f" (and {more} more)" if more else "")


_Doc = TypeVar("_Doc", bound=BaseModel)


def _strict(model: type[_Doc], raw: bytes, name: str, path: Path) -> _Doc:
    """A member's JSON as ``model``, strictly (``exchange.strict_json``): no NaN/Infinity, no boolean as a
    number, no duplicate keys, ISO-8601 UTC timestamps not in the future; ExchangeError naming the member."""
    strict_json.loads(raw, f"{path}: {name}")
    try:
        return model.model_validate_json(raw, strict=True, context=input_context())
    except ValidationError as exc:
        raise ExchangeError(f"{path}: {name}: {_validation_message(exc)}") from None


def _check_members(zf: zipfile.ZipFile, path: Path, limits: Limits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise ExchangeError(f"{path}: {len(infos)} members; a bundle may have at most {limits.max_members}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        try:
            check_member_name(name)
        except ExchangeError as exc:
            raise ExchangeError(f"{path}: refused: {exc}") from None
        if name in seen:
            raise ExchangeError(f"{path}: member '{name}' appears twice")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise ExchangeError(f"{path}: member '{name}' is encrypted")
        if name not in (MANIFEST, CONTENT) and not (
            name.startswith(EVIDENCE_DIR) and _SHA_RE.match(name[len(EVIDENCE_DIR):])
        ):
            raise ExchangeError(f"{path}: unexpected member '{name}'")
        cap = limits.max_json_bytes if name in (MANIFEST, CONTENT) else limits.max_member_bytes
        if info.file_size > cap:
            raise ExchangeError(f"{path}: member '{name}' unpacks to {info.file_size} bytes; the limit is {cap}")
        if info.file_size > _CHUNK and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ExchangeError(
                f"{path}: member '{name}' expands {info.file_size // max(info.compress_size, 1)}-fold "
                "(a zip bomb?); refused"
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ExchangeError(f"{path}: the bundle unpacks to more than {limits.max_total_bytes} bytes; refused")
    for required in (MANIFEST, CONTENT):
        if required not in seen:
            raise ExchangeError(f"{path}: not a vendoreval bundle (no {required})")


def read_bundle(
    path: Path,
    verify_signature: Callable[[bytes, bytes, bytes], bool],
    limits: Limits | None = None,
) -> Bundle:
    """Open and verify a bundle; ExchangeError for anything unsafe, damaged, tampered or malformed.

    ``verify_signature(public_key, signature, message)`` checks an Ed25519 signature. A bundle whose
    signature does not verify, or whose members do not match the signed digests, is refused here.
    """
    limits = limits or Limits()
    path = Path(path)
    with file_problems():
        files.check_input_file(path, max_bytes=limits.max_file_bytes, what="a bundle")
    try:
        zf = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise ExchangeError(f"{path}: not a vendoreval bundle, or the file is truncated or damaged ({exc})") from None
    try:
        _check_members(zf, path, limits)
        raw_manifest = _read_member(zf, MANIFEST, limits.max_json_bytes, path)
        manifest = _strict(Manifest, _shallow(raw_manifest, MANIFEST, path), MANIFEST, path)
        if manifest.format_version > FORMAT_VERSION:
            raise ExchangeError(f"{path}: bundle format {manifest.format_version} is newer than this vendoreval "
                                f"reads ({FORMAT_VERSION}); update vendoreval")
        state = _verify(manifest, path, verify_signature)
        listed = {MANIFEST, CONTENT, *manifest.files}
        for name in zf.namelist():
            if name not in listed:
                raise ExchangeError(f"{path}: member '{name}' is not listed in the manifest (added after signing?)")
        for name, entry in [(CONTENT, manifest.content), *manifest.files.items()]:
            if name not in zf.namelist():
                raise ExchangeError(f"{path}: member '{name}' listed in the manifest is missing")
            cap = limits.max_json_bytes if name == CONTENT else limits.max_member_bytes
            sha, n = _digest_member(zf, name, cap, path)
            if sha != entry.sha256 or n != entry.size:
                what = "was changed after it was signed" if state == SignatureState.VALID else "is damaged"
                raise ExchangeError(f"{path}: member '{name}' does not match the manifest: it {what}. "
                                    "Nothing was imported.")
            if name.startswith(EVIDENCE_DIR) and name[len(EVIDENCE_DIR):] != sha:
                raise ExchangeError(f"{path}: member '{name}' is not named by its SHA-256")
        raw_content = _read_member(zf, CONTENT, limits.max_json_bytes, path)
        content = _strict(BundleContent, _shallow(raw_content, CONTENT, path), CONTENT, path)
        problems = _check_content(content)
        for e in content.evidence:
            if e.sha256 and (EVIDENCE_DIR + e.sha256) not in manifest.files:
                problems.append(f"evidence {e.id} ({e.original_name}) has no file in the bundle")
        if problems:
            raise ExchangeError(f"{path}: {CONTENT}: " + "; ".join(problems[:5]))
    except BaseException:
        zf.close()
        raise
    return Bundle(path, manifest, content, state, zf, limits)


def _verify(manifest: Manifest, path: Path, verify_signature: Callable[[bytes, bytes, bytes], bool]) -> SignatureState:
    """VALID or UNSIGNED; ExchangeError when a signature is present but does not verify."""
    import base64

    if manifest.signer is None and manifest.signature is None:
        return SignatureState.UNSIGNED
    if manifest.signer is None or manifest.signature is None:
        raise ExchangeError(f"{path}: the bundle has a signer but no signature (or the reverse); refused")
    try:
        public = base64.b64decode(manifest.signer.public_key, validate=True)
        signature = bytes.fromhex(manifest.signature)
    except ValueError:
        raise ExchangeError(f"{path}: the signer's key or the signature is not readable; refused") from None
    if hashlib.sha256(public).hexdigest() != manifest.signer.fingerprint:
        raise ExchangeError(f"{path}: the signer's fingerprint does not match its public key; refused")
    if not verify_signature(public, signature, manifest.signing_message()):
        raise ExchangeError(
            f"{path}: the signature does not verify: the bundle was changed after it was signed, or is damaged. "
            "Nothing was imported."
        )
    return SignatureState.VALID
