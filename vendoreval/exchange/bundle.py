"""The bundle file: one ZIP with a signed manifest, the content JSON and the evidence files, read safely.

Layout::

    manifest.json          format, signer (name, fingerprint, public key), digests, signature
    content.json           vendors, claims, evidence records, scorecards, rubric versions; format 2 adds
                           decisions, conditions, agreed scores, engagement contexts, commercials, risk
                           notes and models, each with its owner key and revision, and the claims' stamps
    evidence/<sha256>      each evidence file, named by its SHA-256 — or, with ``"external": true`` in the
                           manifest, kept outside the zip in an evidence folder beside the bundles

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
from typing import IO, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import files
from ..domain.models import AgreedScore, Claim, Condition, Decision, Evidence, Scorecard, Vendor, utc_now
from ..domain.rubric import Rubric
from ..domain.rules import level_problem
from ..domain.strict import Timestamp, input_context
from ..errors import MAX_NESTING, nesting_depth_exceeded
from . import ZIP_ERRORS, ExchangeError, file_problems, strict_json
from .workspace_file import CommercialsRecord, ContextRecord, ModelRecord, RiskNoteRecord

FORMAT = "vendoreval-bundle"
FORMAT_VERSION = 2
#: The format versions this reader takes (format 1: scorecards, claims, evidence, vendors, rubrics only).
READABLE_VERSIONS = (1, 2)
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
    """A member's digest and size as recorded in the manifest; ``external``: an evidence file kept outside
    the zip, in the evidence folder beside the bundle (named by its SHA-256), not a member."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    external: bool = False


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
        for entry in body["files"].values():  # left out when false: format-1 manifests digest as they were signed
            if not entry["external"]:
                del entry["external"]
        if not body["content"]["external"]:
            del body["content"]["external"]
        return body

    def digest(self) -> str:
        """SHA-256 hex of the canonical JSON of the manifest without its signature."""
        body = self.as_json()
        del body["signature"]
        return hashlib.sha256(canonical_json(body)).hexdigest()

    def signing_message(self) -> bytes:
        """The exact bytes the Ed25519 signature is made over."""
        return SIGNING_PREFIX + self.digest().encode("ascii")


_FP = r"^[0-9a-f]{64}$"
_MAX_REVISION = 2**62
_R = TypeVar("_R", bound=BaseModel)


class Owned(_Strict, Generic[_R]):
    """A record of bundle format 2 with the key that owns it and the revision its owner gave it.

    ``owner`` is the fingerprint of the key that created the record (None: the exporter had no key, nobody
    vouches for it); only a bundle signed by that key with a higher ``revision`` replaces it.
    """

    owner: str | None = Field(default=None, pattern=_FP)
    revision: int = Field(ge=1, le=_MAX_REVISION)
    record: _R


class ClaimStamp(_Strict):
    """The owner key and revision of one claim of the bundle (format 2): claim edits travel."""

    id: str = Field(min_length=1, max_length=64)
    owner: str | None = Field(default=None, pattern=_FP)
    revision: int = Field(ge=1, le=_MAX_REVISION)


class DecisionRecord(_Strict):
    """An evaluator's decision on a vendor with the conditions it names (shown to others as their position)."""

    vendor_id: str = Field(min_length=1, max_length=64)
    decision: Decision
    conditions: list[str] = Field(default_factory=list, max_length=200)
    decided_by: str = Field(default="", max_length=200)
    decided_at: Timestamp

    @field_validator("conditions")
    @classmethod
    def _short_texts(cls, v: list[str]) -> list[str]:
        if any(len(t) > 2000 or not t.strip() for t in v):
            raise ValueError("each condition is 1 to 2000 characters")
        return v


class ConditionRecord(Condition):
    """A condition record as a bundle carries it: its times are strict ISO-8601 UTC, not in the future."""

    created_at: Timestamp
    updated_at: Timestamp


class ContextRecord2(ContextRecord):
    """A vendor's engagement context as a bundle carries it (the workspace file's record, timestamp strict)."""

    updated_at: Timestamp


class CommercialsRecord2(CommercialsRecord):
    """A vendor's commercial terms as a bundle carries it: amounts stay exact decimal text, timestamp strict."""

    updated_at: Timestamp


class RiskNoteRecord2(RiskNoteRecord):
    """A risk-register note (owner, mitigation, residual, ratings) as a bundle carries it, timestamp strict."""

    updated_at: Timestamp


class ModelRecord2(ModelRecord):
    """A model behind a vendor's product (the supply chain) as a bundle carries it, timestamps strict."""

    created_at: Timestamp
    updated_at: Timestamp


class BundleContent(_Strict):
    """What a bundle carries: the scorecards and everything needed to read them elsewhere; format 2 adds the
    team's owned records (each replaced only by a higher revision signed by its owner key)."""

    vendors: list[Vendor] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    scorecards: list[Scorecard] = Field(default_factory=list)
    rubrics: list[Rubric] = Field(default_factory=list)
    claim_stamps: list[ClaimStamp] = Field(default_factory=list)
    decisions: list[Owned[DecisionRecord]] = Field(default_factory=list)
    conditions: list[Owned[ConditionRecord]] = Field(default_factory=list)
    agreed_scores: list[Owned[AgreedScore]] = Field(default_factory=list)
    contexts: list[Owned[ContextRecord2]] = Field(default_factory=list)
    commercials: list[Owned[CommercialsRecord2]] = Field(default_factory=list)
    risks: list[Owned[RiskNoteRecord2]] = Field(default_factory=list)
    models: list[Owned[ModelRecord2]] = Field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The content as written: the format-2 sections only when they hold something, and no scorecard's
        ``owner_key`` (this workspace's own record of who may replace it; it does not travel)."""
        body = self.model_dump(mode="json", exclude={"scorecards": {"__all__": {"owner_key"}}})
        for name in FORMAT2_SECTIONS:
            if not body[name]:
                del body[name]
        return body


#: The sections format 2 adds to content.json.
FORMAT2_SECTIONS = ("claim_stamps", "decisions", "conditions", "agreed_scores", "contexts", "commercials", "risks",
                    "models")


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
    problems.extend(_owned_problems(content, vendor_ids, rubric_hashes))
    return problems


def _owned_problems(content: BundleContent, vendor_ids: set[str], rubrics: dict[str, Rubric]) -> list[str]:
    """Format 2: each owned record names a vendor of the bundle and appears once; agreed levels fit the scale."""
    problems: list[str] = []
    claim_ids = {c.id for c in content.claims}
    seen: set[str] = set()
    for stamp in content.claim_stamps:
        if stamp.id not in claim_ids:
            problems.append(f"claim_stamps names claim {stamp.id}, which is not in the bundle")
        if stamp.id in seen:
            problems.append(f"claim_stamps names claim {stamp.id} twice")
        seen.add(stamp.id)
    sections: list[tuple[str, list[Any]]] = [
        ("decisions", content.decisions), ("conditions", content.conditions),
        ("agreed_scores", content.agreed_scores), ("contexts", content.contexts),
        ("commercials", content.commercials), ("risks", content.risks), ("models", content.models)]
    for name, items in sections:
        keys: set[str] = set()
        for item in items:
            key = record_key(name, item.record)
            if name == "decisions":  # one position per vendor and key
                key = f"{key} {item.owner}"
            vendor = getattr(item.record, "vendor_id", "")
            if not (name == "risks" and vendor == "") and vendor not in vendor_ids:
                problems.append(f"{name}: {key} belongs to vendor {vendor}, which is not in the bundle")
            if key in keys:
                problems.append(f"{name}: {key} appears twice")
            keys.add(key)
    numbers: set[tuple[str, int]] = set()
    for item in content.conditions:
        where = (item.record.vendor_id, item.record.number)
        if where in numbers:
            problems.append(f"conditions: vendor {where[0]} has two conditions numbered {where[1]}")
        numbers.add(where)
    for item in content.agreed_scores:
        a = item.record
        rubric = rubrics.get(a.rubric_hash)
        if rubric is None:
            problems.append(f"agreed_scores: {a.rubric_id}/{a.criterion_id} names a rubric version not in the bundle")
            continue
        try:
            crit = rubric.criterion(a.criterion_id)
        except KeyError:
            problems.append(f"agreed_scores: {rubric.id} {rubric.version} has no criterion {a.criterion_id!r}")
            continue
        if a.level is not None and (problem := level_problem(crit, a.level)):
            problems.append(f"agreed_scores: {a.rubric_id}/{a.criterion_id}: {problem}")
    return problems


def record_key(section: str, record: BaseModel) -> str:
    """The key that identifies an owned record of a format-2 section across workspaces."""
    r: Any = record
    if section in ("decisions", "contexts", "commercials"):
        return str(r.vendor_id)
    if section == "agreed_scores":
        return f"{r.vendor_id} {r.rubric_hash} {r.criterion_id}"
    if section == "risks":
        return f"{r.kind} {r.vendor_id} {r.criterion}"
    return str(r.id)  # conditions, models


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
    evidence_dir: Path | None = None,
) -> Manifest:
    """Write ``content`` and its evidence files to ``path`` atomically; sign when ``sign`` gives a key.

    ``signer`` names the key ``sign`` will use (it is part of what is signed); when signing is not
    possible ``unsigned_reason`` is written into the manifest so the reader is told why. With
    ``evidence_dir`` the evidence files go to ``evidence_dir/<sha256>`` instead of into the zip (each written
    atomically, skipped when a file of that name and size is there already) and the manifest lists each with
    its digest, size and ``"external": true``.
    """
    problems = _check_content(content)
    if problems:
        raise ExchangeError(f"{path}: cannot export: " + "; ".join(problems))
    path = Path(path)
    # owner_key is this workspace's own record of who may replace a scorecard: it does not travel
    content_bytes = canonical_json(content.as_json())
    shas = sorted({e.sha256 for e in content.evidence if e.sha256})
    if not path.parent.is_dir():
        raise ExchangeError(f"{path}: cannot write the bundle (the folder {path.parent} does not exist)")
    external: dict[str, FileEntry] = {}
    if evidence_dir is not None:
        sizes = {e.sha256: e.size for e in content.evidence if e.sha256}
        with file_problems():
            external = {EVIDENCE_DIR + sha: write_external_evidence(Path(evidence_dir), sha, read_blob, sizes.get(sha))
                        for sha in shas}
        shas = []
    with file_problems(), files.atomic_output(path) as out, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries: dict[str, FileEntry] = dict(external)
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


def write_external_evidence(folder: Path, sha: str, read_blob: Callable[[str], bytes],
                            size: int | None = None) -> FileEntry:
    """Write one evidence file to ``folder/<sha>`` atomically and return its manifest entry; nothing is written
    when the file there already has that size and digest (a partial or damaged copy left by a sync client is
    written again)."""
    target = folder / sha
    if size is not None and _holds(target, sha, size):
        return FileEntry(sha256=sha, size=size, external=True)
    data = read_blob(sha)
    if hashlib.sha256(data).hexdigest() != sha:
        raise ExchangeError(f"evidence file {sha[:12]}… is damaged in the data folder; not exported")
    with files.atomic_output(target, parents=True) as fh:
        fh.write(data)
    return FileEntry(sha256=sha, size=len(data), external=True)


def _holds(target: Path, sha: str, size: int) -> bool:
    """True when ``target`` is a regular file of ``size`` bytes whose SHA-256 is ``sha``."""
    try:
        if target.is_symlink() or not target.is_file() or target.stat().st_size != size:
            return False
        digest = hashlib.sha256()
        with target.open("rb") as fh:
            for chunk in _chunks(fh):
                digest.update(chunk)
        return digest.hexdigest() == sha
    except OSError:
        return False


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
    #: Where external evidence files are read from (default: the ``evidence`` folder beside the bundle).
    evidence_dir: Path | None = None

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
        if entry.external:
            return self._external_bytes(sha256, entry)
        data = _read_member(self._zip, name, self._limits.max_member_bytes, self.path)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ExchangeError(f"{self.path}: evidence file {sha256[:12]}… does not match its digest")
        return data

    def is_external(self, sha256: str) -> bool:
        """True when the manifest lists this evidence file as kept outside the zip."""
        entry = self.manifest.files.get(EVIDENCE_DIR + sha256)
        return entry is not None and entry.external

    def external_folder(self) -> Path:
        """The folder external evidence files are read from."""
        return self.evidence_dir if self.evidence_dir is not None else self.path.parent / "evidence"

    def _external_bytes(self, sha256: str, entry: FileEntry) -> bytes:
        where = self.external_folder() / sha256
        if not where.exists():
            raise ExchangeError(f"{self.path}: evidence file {sha256[:12]}… is not in {self.external_folder()} "
                                "(not synced yet?)", file=str(where))
        with file_problems():
            data = files.read_bytes(where, max_bytes=min(entry.size, self._limits.max_member_bytes),
                                    what="an evidence file")
        if len(data) != entry.size or hashlib.sha256(data).hexdigest() != sha256:
            raise ExchangeError(f"{self.path}: evidence file {where} does not match its digest in the signed "
                                "manifest (damaged, or still being synced)", file=str(where))
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
    except ZIP_ERRORS:
        # the zip library's words ('Error -3 while decompressing data: invalid distance too far back') say
        # nothing to a user; the bundle was altered or cut short in transit, and nothing was written
        raise ExchangeError(f"{path}: the bundle is damaged or was altered ('{name}' cannot be unpacked); "
                            "ask for a fresh copy. Nothing was imported.") from None


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
    evidence_dir: Path | None = None,
) -> Bundle:
    """Open and verify a bundle; ExchangeError for anything unsafe, damaged, tampered or malformed.

    ``verify_signature(public_key, signature, message)`` checks an Ed25519 signature. A bundle whose
    signature does not verify, or whose members do not match the signed digests, is refused here.
    Evidence files the manifest lists as external are not checked here: ``Bundle.evidence_bytes`` reads
    each from ``evidence_dir`` (default: the ``evidence`` folder beside the bundle) and checks its digest.
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
        if manifest.format_version not in READABLE_VERSIONS:
            raise ExchangeError(f"{path}: bundle format {manifest.format_version} is not one this vendoreval reads "
                                f"({', '.join(map(str, READABLE_VERSIONS))})")
        if manifest.content.external:
            raise ExchangeError(f"{path}: {CONTENT} cannot be external; refused")
        state = _verify(manifest, path, verify_signature)
        inside = {n: e for n, e in manifest.files.items() if not e.external}
        listed = {MANIFEST, CONTENT, *inside}
        for name in zf.namelist():
            if name not in listed:
                raise ExchangeError(f"{path}: member '{name}' is not listed in the manifest (added after signing?)")
        for name in manifest.files:
            if not (name.startswith(EVIDENCE_DIR) and _SHA_RE.match(name[len(EVIDENCE_DIR):])):
                raise ExchangeError(f"{path}: the manifest lists '{name}', which is not an evidence file; refused")
            if manifest.files[name].external and name[len(EVIDENCE_DIR):] != manifest.files[name].sha256:
                raise ExchangeError(f"{path}: external '{name}' is not named by its SHA-256; refused")
        for name, entry in [(CONTENT, manifest.content), *inside.items()]:
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
    return Bundle(path, manifest, content, state, zf, limits, evidence_dir)


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
