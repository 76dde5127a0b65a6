"""The team folder: each member publishes its own signed bundle into a folder the organisation already
syncs (OneDrive, Dropbox, Syncthing, a network share) and imports the others' bundles under the trust rules.

Layout of the folder (see docs/team.md)::

    FOLDER/<member-slug>-<fingerprint8>.vebundle   each member's signed bundle (written to a temporary
                                                   name in the same folder, fsynced, then renamed)
    FOLDER/members/<member-slug>-<fingerprint8>.json  a small presence file: name, key, last published

Nothing here trusts a clock for ordering: which copy of a scorecard wins is the bundle merge's rule
(version counter, never a clock). Times are only shown. What sync clients leave behind (conflicted
copies, partial downloads, placeholders, damaged or foreign files) is recognised, skipped with a reason,
and never imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__, files
from ..domain.models import Scorecard, ScorecardStatus, utc_now
from ..domain.rules import sentence
from ..domain.text import plural
from ..errors import UserError
from ..exchange import ZIP_ERRORS, ExchangeError
from ..exchange.bundle import MANIFEST, BundleContent, canonical_json
from .bundles import BundleService
from .consensus import ConsensusService
from .identity import IdentityService, group_fingerprint, key_problem, normalise_fingerprint
from .settings import SETTING_TEAM_FOLDER, SETTING_TEAM_NAME, SETTING_TEAM_STATE
from .workspace import ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace

BUNDLE_SUFFIX = ".vebundle"
MEMBERS_DIR = "members"
PRESENCE_FORMAT = "vendoreval-team-member"
#: A member's own file: its name's slug, a dash, the first 8 hex digits of its key's fingerprint.
_MEMBER_FILE_RE = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<fp8>[0-9a-f]{8})\.vebundle$")
#: Conflicted copies: Dropbox "(conflicted copy)", "(Claire's conflicted copy 2026-12-01)"; Syncthing
#: ".sync-conflict-20261201-101500-ABCDEFG"; OneDrive/SharePoint "-DESKTOP-1", "-LAPTOP-AB12"; Google Drive
#: and file managers " (1)", " - Copy", "copy of".
_CONFLICT_RES = (
    re.compile(r"conflicted copy", re.IGNORECASE),
    re.compile(r"\.sync-conflict-", re.IGNORECASE),
    re.compile(r"-(DESKTOP|LAPTOP|PC|MACBOOK|WIN|WORKSTATION)[-_A-Za-z0-9]*\.vebundle$", re.IGNORECASE),
    # OneDrive's "-<MACHINE>-<n>": the machine name has a capital letter, so a member file whose name ends in
    # digits and whose fingerprint starts with 8 decimal digits ("member-09-72710380") is not taken for one.
    re.compile(r"-(?=[A-Z0-9]*[A-Z])[A-Z0-9]+-\d+\.vebundle$"),
    re.compile(r"\s\(\d+\)\.vebundle$"),
    re.compile(r"\s-\s?copy(\s\(\d+\))?\.vebundle$", re.IGNORECASE),
    re.compile(r"^copy of ", re.IGNORECASE),
)
#: Partial downloads and temporary files of sync clients, browsers and office programs.
_PARTIAL_SUFFIXES = (".partial", ".part", ".tmp", ".temp", ".crdownload", ".download", ".!sync", ".sync",
                     ".dropbox", ".syncthing")
_PARTIAL_PREFIXES = ("~$", ".~", ".syncthing.", "~", ".#")


def slug(name: str) -> str:
    """The member name as it appears in file names: lowercase letters and digits joined by dashes."""
    text = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in name.strip().lower())
    text = re.sub(r"-+", "-", text).strip("-")[:40].strip("-")
    return text or "member"


def member_file_name(name: str, fingerprint: str) -> str:
    """``<slug>-<fingerprint8>.vebundle``: the one file a member writes its bundle to."""
    return f"{slug(name)}-{fingerprint[:8]}{BUNDLE_SUFFIX}"


def classify_name(name: str) -> str | None:
    """Why a file in the team folder is not a member's bundle to read (None when it may be one).

    Files that have nothing to do with bundles (``desktop.ini``, ``.DS_Store``, notes) are not asked
    about: ``is_bundle_related`` says which are.
    """
    lower = name.lower()
    if files.is_partial(name):
        return "being written by a vendoreval app (temporary file)"
    if lower.startswith(_PARTIAL_PREFIXES) or lower.endswith(_PARTIAL_SUFFIXES):
        return "a partial download or temporary file of the sync client: skipped until it is complete"
    if not lower.endswith(BUNDLE_SUFFIX):
        return "not a bundle file"
    if any(r.search(name) for r in _CONFLICT_RES):
        return ("a conflicted copy left by the sync client: skipped (the member's own file is imported; "
                "you may delete this copy)")
    if _MEMBER_FILE_RE.match(name) is None:
        return "not a team member file (a member's file is named member-1234abcd.vebundle): skipped"
    return None


def is_bundle_related(name: str) -> bool:
    """True for names that mention a bundle (``x.vebundle``, ``x.vebundle.partial``, ``~$x.vebundle``…)."""
    return BUNDLE_SUFFIX in name.lower() or files.is_partial(name)


def content_digest(content: BundleContent) -> str:
    """SHA-256 of the records a bundle would carry (as the bundle serialises them): what changed since last time."""
    body = content.model_dump(mode="json", exclude={"scorecards": {"__all__": {"owner_key"}}})
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def ago(text: str | None, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', '2 days ago' (local clock, for display only); 'never' for None."""
    at = _parse_time(text)
    if at is None:
        return "never"
    seconds = ((now or datetime.now(UTC)) - at).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


# --- what the service returns ---------------------------------------------------------------------


#: The folder beside the member bundles that holds each evidence file once, named by its SHA-256.
EVIDENCE_FOLDER = "evidence"


@dataclass(frozen=True)
class FileNote:
    """A file in the team folder that was skipped or refused, and why."""

    file: str
    reason: str

    def line(self) -> str:
        """'file: reason'."""
        return f"{self.file}: {self.reason}"


@dataclass
class MemberStatus:
    """One member as seen from here: who, which key, trusted or not, when published and imported, problems."""

    name: str
    fingerprint: str | None
    trusted: bool
    you: bool = False
    file: str | None = None
    signer_name: str = ""  # the name in the bundle's signature (the member's evaluator name)
    last_published: str | None = None  # from the bundle manifest (the sender's clock: shown, never compared)
    last_imported: str | None = None  # this machine's clock
    app_version: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def grouped(self) -> str:
        """The fingerprint in groups of four, as docs/bundles.md shows it."""
        return group_fingerprint(self.fingerprint) if self.fingerprint else "no signing key"

    def as_json(self) -> dict[str, Any]:
        """A plain dict for ``team status --json``."""
        return {"name": self.name, "signer_name": self.signer_name, "fingerprint": self.fingerprint,
                "grouped": self.grouped if self.fingerprint else None, "trusted": self.trusted, "you": self.you,
                "file": self.file, "last_published": self.last_published, "last_imported": self.last_imported,
                "app_version": self.app_version, "problems": list(self.problems)}


@dataclass
class TeamStatus:
    """What ``team status`` shows (and the app's status item): folder, me, members, skipped files."""

    joined: bool
    folder: Path | None = None
    folder_problem: str | None = None  # the folder is missing (unmounted?) or not a folder
    folder_read_only: bool = False
    me_name: str = ""
    me_fingerprint: str | None = None
    publish_problem: str | None = None  # why this member does not publish (no signing key, read-only folder)
    members: list[MemberStatus] = field(default_factory=list)  # the others
    skipped: list[FileNote] = field(default_factory=list)
    last_sync: str | None = None  # this machine's clock
    last_published: str | None = None  # when this member last published (this machine's clock)

    @property
    def can_publish(self) -> bool:
        """True when this member's bundle can be published (a signing key, a writable folder)."""
        return (self.joined and self.publish_problem is None and self.folder_problem is None
                and not self.folder_read_only)

    def synced_ago(self, now: datetime | None = None) -> str:
        """'synced 2 min ago' or 'never synced'."""
        return "never synced" if self.last_sync is None else f"synced {ago(self.last_sync, now)}"

    def summary(self, now: datetime | None = None) -> str:
        """One line for a status bar: 'Team: 3 members, synced 2 min ago'."""
        if not self.joined:
            return "Team: not joined"
        if self.folder_problem:
            return f"Team: folder unavailable ({self.folder_problem})"
        count = len(self.members) + 1
        waiting = sum(1 for m in self.members if not m.trusted and m.fingerprint)
        extra = f", {waiting} not trusted yet" if waiting else ""
        return f"Team: {plural(count, 'member')}{extra}, {self.synced_ago(now)}"

    def lines(self, now: datetime | None = None) -> list[str]:
        """The status as the CLI prints it."""
        if not self.joined:
            return ["Not in a team folder. Join one with `vendoreval team join FOLDER`."]
        out = [f"Folder: {self.folder}"]
        if self.folder_problem:
            out.append(f"  PROBLEM: {self.folder_problem}")
        elif self.folder_read_only:
            out.append("  The folder is read-only here: publishing is skipped; imports still work.")
        if self.me_fingerprint:
            out.append(f"Me: {self.me_name}, key {group_fingerprint(self.me_fingerprint)}")
        else:
            out.append(f"Me: {self.me_name}, no signing key: imports only")
        if self.publish_problem:
            out.append(f"  Not publishing: {self.publish_problem}")
        elif self.last_published:
            out.append(f"  Last published {ago(self.last_published, now)} ({self.last_published})")
        out.append(self.synced_ago(now).capitalize() + (f" ({self.last_sync})" if self.last_sync else ""))
        if not self.members:
            out.append("No other members' bundles in the folder yet.")
        names = [m.name.casefold() for m in self.members]
        for m in self.members:
            twin = names.count(m.name.casefold()) > 1
            trusted = "trusted" if m.trusted else f"NOT TRUSTED YET: run `vendoreval team trust {_trust_arg(m, twin)}`"
            out.append(f"Member: {m.name}" + (f" (signs as {m.signer_name})" if m.signer_name and
                                              m.signer_name != m.name else ""))
            out.append(f"  key {m.grouped} — {trusted}")
            out.append(f"  last published {m.last_published or 'unknown'}; last imported here "
                       f"{m.last_imported or 'never'}" + (f"; app {m.app_version}" if m.app_version else ""))
            if twin:
                out.append("  Another member uses the same name: tell them apart by the key fingerprint.")
            out.extend(f"  problem: {p}" for p in m.problems)
        out.extend(f"Skipped {n.line()}" for n in self.skipped)
        return out

    def as_json(self) -> dict[str, Any]:
        """A plain dict for ``team status --json``."""
        return {"joined": self.joined, "folder": str(self.folder) if self.folder else None,
                "folder_problem": self.folder_problem, "folder_read_only": self.folder_read_only,
                "me": {"name": self.me_name, "fingerprint": self.me_fingerprint,
                       "grouped": group_fingerprint(self.me_fingerprint) if self.me_fingerprint else None,
                       "can_publish": self.can_publish, "publish_problem": self.publish_problem,
                       "last_published": self.last_published},
                "members": [m.as_json() for m in self.members],
                "skipped": [{"file": n.file, "reason": n.reason} for n in self.skipped],
                "last_sync": self.last_sync, "summary": self.summary()}


def _trust_arg(m: MemberStatus, twin: bool) -> str:
    if twin or not m.name or m.fingerprint is None:
        return m.fingerprint or "FINGERPRINT"
    return f'"{m.name}"' if " " in m.name else m.name


@dataclass
class SyncReport:
    """What one ``sync`` did: published or why not, what was imported, what was refused or skipped."""

    folder_problem: str | None = None
    published: bool = False
    publish_note: str = ""
    bytes_written: int = 0
    imported: list[tuple[str, str]] = field(default_factory=list)  # (file, what changed)
    unchanged: list[str] = field(default_factory=list)  # files already imported as they are
    untrusted: list[FileNote] = field(default_factory=list)  # bundles of keys not trusted yet: not imported
    refused: list[FileNote] = field(default_factory=list)  # damaged, tampered, foreign, unsigned bundles
    skipped: list[FileNote] = field(default_factory=list)  # conflicted copies, partial downloads, placeholders
    warnings: list[str] = field(default_factory=list)
    #: Agreed scores the team holds differently (``ConsensusService.team_disagreements``), one sentence each:
    #: said at every sync until they are resolved, never "Nothing new to import" alone.
    disagreements: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the folder was there (individual files may still have been refused)."""
        return self.folder_problem is None

    def lines(self) -> list[str]:
        """What the CLI prints after a sync."""
        if self.folder_problem:
            return [f"Team folder unavailable: {self.folder_problem}. Nothing was published or imported; "
                    "everything here is as it was."]
        out = [self.publish_note] if self.publish_note else []
        out.extend(f"Imported {f}: {what}" for f, what in self.imported)
        out.extend(f"Not imported {n.line()}" for n in self.untrusted)
        out.extend(f"Refused {n.line()}" for n in self.refused)
        out.extend(f"Skipped {n.line()}" for n in self.skipped)
        if not self.imported and not self.untrusted and not self.refused:
            out.append("Nothing new to import." if not self.disagreements else "Nothing new to import, but:")
        if self.disagreements:
            out.append(f"The team disagrees on {plural(len(self.disagreements), 'agreed score')} (each member keeps "
                       "their own until its owner records it again):")
            out.extend(f"  {line}" for line in self.disagreements)
        return out


@dataclass(frozen=True)
class TrustCandidate:
    """A key found in the team folder that this workspace does not trust yet."""

    name: str  # the name in the bundle's signature
    member_name: str  # the name in the presence file (what the member chose to be called), or the signer's
    fingerprint: str
    public_key: str
    file: str

    @property
    def grouped(self) -> str:
        """The fingerprint grouped for reading aloud."""
        return group_fingerprint(self.fingerprint)


@dataclass
class TrustAllPlan:
    """What ``team trust --all`` would trust, and what it leaves out with the reason."""

    trust: list[TrustCandidate] = field(default_factory=list)
    left_out: list[tuple[TrustCandidate, str]] = field(default_factory=list)


# --- the service ------------------------------------------------------------------------------------


@dataclass
class _Seen:
    """A verified bundle file: who signed it and its manifest digest (cached by size and manifest bytes)."""

    size: int
    mtime_ns: int
    inode: int = 0
    digest: str = ""
    fingerprint: str | None = None
    public_key: str = ""
    signer_name: str = ""
    created_at: str = ""
    app_version: str = ""
    problem: str | None = None
    manifest_sha: str = ""  # SHA-256 of the manifest.json bytes: what tells one version of the file from another


class _TeamBundles(BundleService):
    """The bundle service, exporting only the scorecards a member publishes (``only``, by id)."""

    only: set[str] | None = None

    def select(self, vendor_ids: Iterable[str] | None = None,
               evaluators: Iterable[str] | None = None) -> list[Scorecard]:
        """The selected scorecards, narrowed to ``only`` when set."""
        cards = super().select(vendor_ids, evaluators)
        return cards if self.only is None else [c for c in cards if c.id in self.only]


class TeamService:
    """Join, leave, publish, import and trust through a team folder, for one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.bundles = _TeamBundles(ws)
        self.identity = IdentityService(ws)
        self._seen: dict[str, _Seen] = {}

    # --- settings (local to this machine: never in a workspace file) --------------------------

    def folder(self) -> Path | None:
        """The team folder this workspace syncs with, or None."""
        value = self.ws.store.settings().get(SETTING_TEAM_FOLDER)
        return Path(value) if isinstance(value, str) and value else None

    def member_name(self) -> str:
        """The name other members see (default: the evaluator)."""
        value = self.ws.store.settings().get(SETTING_TEAM_NAME)
        return value if isinstance(value, str) and value.strip() else self.ws.evaluator

    def _state(self) -> dict[str, Any]:
        value = self.ws.store.settings().get(SETTING_TEAM_STATE)
        return dict(value) if isinstance(value, dict) else {}

    def _save_state(self, state: dict[str, Any]) -> None:
        if self.ws.read_only:
            return
        with self.ws.unit_of_work() as uow:  # bookkeeping only: the imports themselves are audit-logged
            self.ws.store.set_setting(SETTING_TEAM_STATE, state)
            uow.changed("team", "state")

    def join(self, folder: str | os.PathLike[str], name: str | None = None) -> TeamStatus:
        """Use ``folder`` as this workspace's team folder, under ``name`` (default: the evaluator).

        ServiceError when the folder does not exist or is not a folder; joining another folder
        replaces the old one (what was imported stays).
        """
        path = Path(folder).expanduser()
        if not path.exists():
            raise ServiceError(f"{path}: the team folder does not exist (is the drive mounted, has the sync "
                               "client created it?). Nothing was changed.")
        if not path.is_dir():
            raise ServiceError(f"{path}: not a folder. Give the folder your team syncs. Nothing was changed.")
        member = (name if name is not None else self.ws.evaluator).strip()
        if not member or len(member) > 100:
            raise ServiceError("--name: a member name has 1 to 100 characters. Nothing was changed.")
        path = path.resolve()
        old = self.folder()
        with self.ws.unit_of_work() as uow:
            self.ws.store.set_setting(SETTING_TEAM_FOLDER, str(path))
            self.ws.store.set_setting(SETTING_TEAM_NAME, member)
            if old != path:
                self.ws.store.set_setting(SETTING_TEAM_STATE, {})
            uow.audit("team", "settings", "team", field="team folder", old=str(old) if old else None, new=str(path),
                      summary=f"Joined the team folder {path} as {member}")
            uow.changed("team", "joined")
        self._seen.clear()
        return self.status()

    def leave(self) -> None:
        """Stop syncing with the team folder. What was imported stays; the files in the folder are left as they are."""
        old = self.folder()
        if old is None:
            raise ServiceError("This workspace is not in a team folder; nothing to leave.")
        with self.ws.unit_of_work() as uow:
            self.ws.store.set_setting(SETTING_TEAM_FOLDER, "")
            self.ws.store.set_setting(SETTING_TEAM_STATE, {})
            uow.audit("team", "settings", "team", field="team folder", old=str(old), new=None,
                      summary=f"Left the team folder {old}")
            uow.changed("team", "left")
        self._seen.clear()

    def _require_folder(self) -> Path:
        folder = self.folder()
        if folder is None:
            raise ServiceError("This workspace is not in a team folder: run `vendoreval team join FOLDER` first.")
        return folder

    # --- looking at the folder ------------------------------------------------------------------

    @staticmethod
    def folder_problem(folder: Path) -> str | None:
        """Why the team folder cannot be used right now (missing, unmounted, not a folder), or None."""
        try:
            st = os.stat(folder)
        except FileNotFoundError:
            return f"{folder} is not there (an unmounted drive, or the sync client removed it)"
        except OSError as exc:
            return f"{folder} cannot be read ({exc.strerror or exc})"
        if not stat.S_ISDIR(st.st_mode):
            return f"{folder} is not a folder"
        if not os.access(folder, os.R_OK | os.X_OK):
            return f"{folder} cannot be read (permission denied)"
        return None

    @staticmethod
    def folder_writable(folder: Path) -> bool:
        """True when a file can be created in the folder (tried, not guessed from permission bits)."""
        if not os.access(folder, os.W_OK):
            return False
        probe = folder / f".{files.PARTIAL_MARK}-{os.getpid()}-probe.tmp"
        try:
            fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except OSError:
            return False
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)
        return True

    def _scan(self, folder: Path) -> tuple[list[tuple[str, os.stat_result]], list[FileNote]]:
        """(candidate member bundles with their stat, skipped files with the reason)."""
        candidates: list[tuple[str, os.stat_result]] = []
        skipped: list[FileNote] = []
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            return [], [FileNote(str(folder), f"cannot list the folder ({exc.strerror or exc})")]
        for entry in entries:
            name = entry.name
            if not is_bundle_related(name):
                continue
            why = classify_name(name)
            if why is not None:
                if not files.is_partial(name):  # our own temporary files are not worth a line
                    skipped.append(FileNote(name, why))
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                skipped.append(FileNote(name, f"cannot be read ({exc.strerror or exc}): a cloud placeholder not "
                                              "downloaded yet?"))
                continue
            if not stat.S_ISREG(st.st_mode):
                skipped.append(FileNote(name, "not a regular file (a link, a folder or a device): skipped"))
                continue
            if st.st_size == 0:
                skipped.append(FileNote(name, "empty (0 bytes): a placeholder not downloaded yet, or a partial "
                                              "download; skipped until it has content"))
                continue
            if not os.access(entry.path, os.R_OK):
                skipped.append(FileNote(name, "cannot be read (permission denied): a cloud placeholder not "
                                              "downloaded yet?"))
                continue
            candidates.append((name, st))
        return candidates, skipped

    def _inspect(self, folder: Path, name: str, st: os.stat_result) -> _Seen:
        """Open and verify one bundle (cached while its size and its manifest's bytes stay the same).

        Modification times and inodes are no evidence: a file replaced within one tick of a coarse clock
        (FAT, SMB, a sync client that sets the sender's mtime) keeps them, and freed inodes are reused.
        The manifest names the digest of every other member, so it changes whenever the content does;
        reading it is a few kilobytes whatever the bundle weighs.
        """
        quick = _manifest_sha(folder / name)
        cached = self._seen.get(name)
        if cached is not None and quick is not None and (cached.size, cached.manifest_sha) == (st.st_size, quick):
            return cached  # what is imported is always verified again by the import itself
        seen = _Seen(st.st_size, st.st_mtime_ns, st.st_ino, manifest_sha=quick or "")
        try:
            with self.bundles.open(folder / name) as bundle:
                m = bundle.manifest
                seen.digest = m.digest()
                seen.created_at = str(m.created_at)
                seen.app_version = m.app_version
                signer = bundle.signer
                if signer is None:
                    seen.problem = "unsigned: a team member's bundle is always signed; not imported"
                else:
                    seen.fingerprint, seen.public_key, seen.signer_name = (signer.fingerprint, signer.public_key,
                                                                           signer.name)
                    match = _MEMBER_FILE_RE.match(name)
                    if match is None or match.group("fp8") != signer.fingerprint[:8]:
                        seen.problem = (f"its name does not match its signer's key ({signer.name}, "
                                        f"{group_fingerprint(signer.fingerprint)}): a renamed or foreign copy; "
                                        "not imported")
                    elif (problem := key_problem(signer.fingerprint, signer.public_key)) is not None:
                        seen.problem = f"refused: the signer's key {problem}"
        except (ExchangeError, UserError) as exc:
            seen.problem = f"refused: {_short(str(exc), folder / name)}"
        except OSError as exc:  # a placeholder that vanished or cannot be read at the moment
            seen.problem = f"cannot be read ({exc.strerror or exc}): skipped"
        self._seen[name] = seen
        return seen

    def _presence(self, folder: Path) -> dict[str, dict[str, Any]]:
        """Presence files by bundle file name (unreadable or malformed ones are ignored: they are unsigned hints)."""
        out: dict[str, dict[str, Any]] = {}
        try:
            entries = list(os.scandir(folder / MEMBERS_DIR))
        except OSError:
            return out
        for entry in entries:
            if not entry.name.endswith(".json") or classify_name(entry.name[:-5] + BUNDLE_SUFFIX) is not None:
                continue
            try:
                raw = files.read_bytes(entry.path, max_bytes=64 * 1024, what="a member file")
                data = json.loads(raw)
            except (files.FileProblem, ValueError, RecursionError):
                continue
            if isinstance(data, dict) and data.get("format") == PRESENCE_FORMAT:
                out[entry.name[:-5] + BUNDLE_SUFFIX] = data
        return out

    def _own(self) -> tuple[str | None, str | None]:
        """(own fingerprint, why this member cannot sign) without creating a key."""
        info, key, problem = self.identity.signing_key(create=False)
        if info is None:
            reason = self.ws.secrets.unavailable_reason()
            if reason:
                return None, reason
            return None, None  # a key is created on the first publish
        return info.fingerprint, None if key is not None else problem

    # --- status ---------------------------------------------------------------------------------

    def status(self) -> TeamStatus:
        """The team as seen from here (reads the folder; writes nothing)."""
        folder = self.folder()
        if folder is None:
            return TeamStatus(joined=False, me_name=self.member_name())
        state = self._state()
        own_fp, sign_problem = self._own()
        st = TeamStatus(joined=True, folder=folder, me_name=self.member_name(), me_fingerprint=own_fp,
                        last_sync=state.get("last_sync"), last_published=(state.get("published") or {}).get("at"))
        if sign_problem:
            st.publish_problem = f"no signing key: imports only. {sentence(sign_problem)}"
        st.folder_problem = self.folder_problem(folder)
        if st.folder_problem:
            return st
        if not self.folder_writable(folder):
            st.folder_read_only = True
        trusted, _bad = self.bundles.trusted_keys()
        self._remember(state)
        candidates, st.skipped = self._scan(folder)
        presence = self._presence(folder)
        imported: dict[str, Any] = state.get("imported") or {}
        by_key: dict[str, MemberStatus] = {}
        for name, stat_result in candidates:
            seen = self._inspect(folder, name, stat_result)
            if seen.fingerprint is None or seen.problem:
                st.skipped.append(FileNote(name, seen.problem or "unreadable"))
                continue
            if seen.fingerprint == own_fp:
                continue
            record = imported.get(seen.fingerprint) or {}
            pres = presence.get(name) or {}
            shown = pres.get("name") if pres.get("fingerprint") == seen.fingerprint and \
                isinstance(pres.get("name"), str) and pres.get("name") else seen.signer_name
            member = by_key.get(seen.fingerprint)
            if member is None:
                member = MemberStatus(name=str(shown), fingerprint=seen.fingerprint,
                                      trusted=seen.fingerprint in trusted, file=name, signer_name=seen.signer_name,
                                      last_published=seen.created_at, last_imported=record.get("at"),
                                      app_version=seen.app_version)
                by_key[seen.fingerprint] = member
            else:
                member.problems.append(f"a second file {name} for the same key: both are imported (the newer "
                                       "scorecard versions win)")
            if member.trusted and record.get("digest") not in (None, seen.digest):
                member.problems.append("changed since the last import: run `vendoreval team sync`")
        # Members whose presence file is there but whose bundle is not (deleted by the sync client, not synced yet).
        for name, pres in presence.items():
            fp = pres.get("fingerprint")
            if not isinstance(fp, str) or fp in by_key or fp == own_fp:
                continue
            record = imported.get(fp) or {}
            by_key[fp] = MemberStatus(
                name=str(pres.get("name") or "?"), fingerprint=fp, trusted=fp in trusted, file=None,
                last_published=str(pres.get("published_at") or "") or None, last_imported=record.get("at"),
                app_version=str(pres.get("app_version") or ""),
                problems=[f"its bundle {name} is not in the folder (deleted by the sync client, or not synced "
                          "here yet); what was imported from it stays"])
        st.members = sorted(by_key.values(), key=lambda m: (m.name.casefold(), m.fingerprint or ""))
        return st

    # --- sync -----------------------------------------------------------------------------------

    def own_scorecards(self, own_fp: str | None) -> list[Scorecard]:
        """The scorecards this member publishes: the submitted ones its key owns (and its own from before it
        had a key). Drafts wait until they are submitted: in bundle format 1 a scorecard is told apart only by
        its version counter and status, so two different drafts at one version could never converge."""

        def mine(card: Scorecard) -> bool:
            if card.status != ScorecardStatus.SUBMITTED:
                return False
            if own_fp is not None and card.owner_key == own_fp:
                return True
            return (card.owner_key is None and card.evaluator == self.ws.evaluator
                    and card.evaluator_key in (None, own_fp))

        return [card for card in self.ws.store.scorecards() if mine(card)]

    def sync(self) -> SyncReport:
        """Publish this member's bundle if its records changed, then import the others' changed bundles.

        Never raises for what the folder holds: a missing folder, a read-only folder, damaged, foreign,
        tampered or untrusted bundles and sync-client leftovers are reported in the SyncReport. Raises
        ServiceError only when this workspace is not in a team folder.
        """
        folder = self._require_folder()
        report = SyncReport()
        problem = self.folder_problem(folder)
        if problem is not None:
            report.folder_problem = problem
            return report
        state = self._state()
        if self.ws.read_only:
            report.warnings.append(f"This workspace is open read-only ({self.ws.read_only_reason}): nothing is "
                                   "imported or published.")
        else:
            self._publish(folder, state, report)
            self._import_all(folder, state, report)
        state["last_sync"] = utc_now()
        self._save_state(state)
        report.disagreements = [d.line for d in ConsensusService(self.ws).team_disagreements()]
        return report

    def _publish(self, folder: Path, state: dict[str, Any], report: SyncReport) -> None:
        published: dict[str, Any] = dict(state.get("published") or {})
        if not self.folder_writable(folder):
            report.publish_note = "The team folder is read-only here: publishing skipped; imports still work."
            return
        info, key, problem = self.identity.signing_key(create=True)
        if info is None or key is None:
            report.publish_note = f"No signing key: imports only. {sentence(problem or 'no keyring')}"
            return
        cards = self.own_scorecards(info.fingerprint)
        if not cards:
            report.publish_note = "Nothing to publish yet (no submitted scorecards of yours)."
            return
        content = self.bundles.content_for(cards, info.fingerprint)
        digest = content_digest(content)
        name = member_file_name(self.member_name(), info.fingerprint)
        target = folder / name
        still_there = _same_file(target, published)
        if published.get("content_digest") == digest and published.get("file") == name and still_there:
            report.publish_note = "Your bundle is up to date."
            return
        try:
            result = self._export(target, cards)
        except (ExchangeError, UserError) as exc:
            report.publish_note = f"Publishing failed: {exc}. Nothing was lost; the next sync tries again."
            return
        size = target.stat().st_size
        report.bytes_written += size
        at = utc_now()
        old_file = published.get("file")
        presence = {"format": PRESENCE_FORMAT, "name": self.member_name(), "signer_name": self.ws.evaluator,
                    "fingerprint": info.fingerprint, "public_key": info.public_key, "published_at": at,
                    "app_version": __version__, "bundle": name, "manifest_digest": result}
        presence_bytes = json.dumps(presence, indent=2, ensure_ascii=False).encode("utf-8")
        try:
            files.write_bytes_atomic(folder / MEMBERS_DIR / (name[:-len(BUNDLE_SUFFIX)] + ".json"), presence_bytes,
                                     parents=True)
            report.bytes_written += len(presence_bytes)
        except files.FileProblem as exc:
            report.warnings.append(f"The presence file was not written: {exc}")
        if isinstance(old_file, str) and old_file != name and _MEMBER_FILE_RE.match(old_file):
            # A new member name (or key): the old file would look like a second member.
            for old in (folder / old_file, folder / MEMBERS_DIR / (old_file[:-len(BUNDLE_SUFFIX)] + ".json")):
                with contextlib.suppress(OSError):
                    old.unlink()
        st = target.stat()
        state["published"] = {"file": name, "content_digest": digest, "at": at, "size": st.st_size,
                              "mtime_ns": st.st_mtime_ns, "manifest_sha": _manifest_sha(target)}
        report.published = True
        report.publish_note = f"Published {name}: {plural(len(cards), 'scorecard')} ({size} bytes)."

    def _export(self, target: Path, cards: list[Scorecard]) -> str:
        """Export exactly ``cards`` to ``target`` (signed, written atomically); returns the manifest digest.
        Evidence files go once, by hash, into the folder's ``evidence/`` beside the bundles (listed in the
        signed manifest), so a 100 MB PDF is not copied into every member's bundle again at each publish."""
        self.bundles.only = {c.id for c in cards}
        try:
            result = self.bundles.export(target, evidence_dir=target.parent / EVIDENCE_FOLDER)
        finally:
            self.bundles.only = None
        return result.manifest.digest()

    def _import_all(self, folder: Path, state: dict[str, Any], report: SyncReport) -> None:
        own_fp, _problem = self._own()
        trusted, _bad = self.bundles.trusted_keys()
        imported: dict[str, Any] = dict(state.get("imported") or {})
        disputes: dict[str, Any] = dict(state.get("disputes") or {})
        self._remember(state)
        candidates, report.skipped = self._scan(folder)
        verified: dict[str, Any] = {}
        for name, st in candidates:
            seen = self._inspect(folder, name, st)
            if seen.problem or seen.fingerprint is None:
                report.refused.append(FileNote(name, seen.problem or "unreadable"))
                continue
            verified[name] = {"size": seen.size, "mtime_ns": seen.mtime_ns, "inode": seen.inode,
                              "manifest_sha": seen.manifest_sha,
                              "digest": seen.digest, "fingerprint": seen.fingerprint, "public_key": seen.public_key,
                              "signer_name": seen.signer_name, "created_at": seen.created_at,
                              "app_version": seen.app_version}
            if seen.fingerprint == own_fp:
                continue
            if seen.fingerprint not in trusted:
                arg = seen.fingerprint if seen.signer_name.strip() == "" else seen.signer_name
                report.untrusted.append(FileNote(name, f"signed by {seen.signer_name}, key "
                                                       f"{group_fingerprint(seen.fingerprint)}: not trusted yet: run "
                                                       f"`vendoreval team trust {_quote(arg)}`"))
                continue
            record = imported.get(seen.fingerprint) or {}
            done_digests = record.get("digests") or {}
            if done_digests.get(name) == seen.digest:
                report.unchanged.append(name)
                continue
            try:
                result = self.bundles.import_bundle(folder / name, accept_rubrics=True)
            except (ExchangeError, UserError) as exc:
                report.refused.append(FileNote(name, f"refused: {_short(str(exc), folder / name)}"))
                self._seen.pop(name, None)
                continue
            plan = result.plan
            if plan.digest != seen.digest:  # the file changed between looking and importing: look again next time
                self._seen.pop(name, None)
            what = "; ".join(plan.summary_lines() + plan.refusal_lines())
            report.imported.append((name, what))
            report.warnings.extend(f"{name}: {w}" for w in plan.warnings)
            done_digests = dict(done_digests)
            done_digests[name] = plan.digest
            imported[seen.fingerprint] = {"digests": done_digests, "at": utc_now(), "name": seen.signer_name}
            # Their agreed scores that differ from yours and were not taken: the bundle's last word on them.
            disputes[seen.fingerprint] = [d.as_json() for d in plan.disputes]
            if plan.digest != seen.digest:
                verified.pop(name, None)
        state["imported"] = imported
        state["disputes"] = {fp: items for fp, items in disputes.items() if items}
        state["files"] = verified

    def _remember(self, state: dict[str, Any]) -> None:
        """Seed the cache of verified files from the last sync (so an unchanged bundle is not read again)."""
        for name, rec in (state.get("files") or {}).items():
            if name in self._seen or not isinstance(rec, dict):
                continue
            try:
                self._seen[name] = _Seen(int(rec["size"]), int(rec["mtime_ns"]), int(rec.get("inode", 0)),
                                         str(rec["digest"]), str(rec["fingerprint"]), str(rec["public_key"]),
                                         str(rec.get("signer_name", "")), str(rec.get("created_at", "")),
                                         str(rec.get("app_version", "")), None, str(rec.get("manifest_sha", "")))
            except (KeyError, TypeError, ValueError):
                continue

    # --- trust ----------------------------------------------------------------------------------

    def candidates_to_trust(self) -> list[TrustCandidate]:
        """Keys that sign bundles in the team folder and that this workspace does not trust yet (not yours)."""
        folder = self._require_folder()
        if self.folder_problem(folder) is not None:
            return []
        own_fp, _p = self._own()
        trusted, _bad = self.bundles.trusted_keys()
        presence = self._presence(folder)
        out: dict[str, TrustCandidate] = {}
        candidates, _skipped = self._scan(folder)
        for name, st in candidates:
            seen = self._inspect(folder, name, st)
            if seen.problem or seen.fingerprint is None or seen.fingerprint == own_fp or seen.fingerprint in trusted:
                continue
            pres = presence.get(name) or {}
            member = pres.get("name") if pres.get("fingerprint") == seen.fingerprint and \
                isinstance(pres.get("name"), str) and pres.get("name") else seen.signer_name
            out.setdefault(seen.fingerprint, TrustCandidate(seen.signer_name, str(member), seen.fingerprint,
                                                            seen.public_key, name))
        return sorted(out.values(), key=lambda c: (c.member_name.casefold(), c.fingerprint))

    def _trusted_names(self) -> dict[str, str]:
        """casefolded name -> fingerprint of every trusted key (and your own)."""
        trusted, _bad = self.bundles.trusted_keys()
        names = {name.casefold(): fp for fp, name in trusted.items() if name}
        own = self.identity.public()
        if own is not None:
            names.setdefault(self.ws.evaluator.casefold(), own.fingerprint)
            names.setdefault(self.member_name().casefold(), own.fingerprint)
        return names

    def trust(self, name_or_fingerprint: str) -> TrustCandidate:
        """Trust the key of one member found in the folder, by name or fingerprint; returns it.

        ServiceError (nothing trusted) when nothing matches, when a name matches two or more keys (trust by
        fingerprint then), or when a name is given that is already trusted with another key.
        """
        text = name_or_fingerprint.strip()
        if not text:
            raise ServiceError("team trust: give a member's name or key fingerprint.")
        candidates = self.candidates_to_trust()
        typed: str | None
        try:
            typed = normalise_fingerprint(text)
        except ServiceError:
            typed = None
        if typed is not None:
            by_fp = [c for c in candidates if c.fingerprint.startswith(typed)]
            if by_fp:
                chosen = by_fp[0]
                self.bundles.trust(chosen.fingerprint, chosen.public_key, chosen.name)
                return chosen
            trusted, _b = self.bundles.trusted_keys()
            if any(fp.startswith(typed) for fp in trusted):
                raise ServiceError(f"team trust {text}: that key is trusted already.")
            raise ServiceError(f"team trust {text}: no bundle in the team folder is signed by that key. "
                               f"Keys not trusted yet: {_list(candidates)}")
        fold = text.casefold()
        matches = [c for c in candidates if fold in (c.name.casefold(), c.member_name.casefold())]
        if not matches:
            raise ServiceError(f"team trust {text}: no member of that name with a key you have not trusted yet. "
                               f"Keys not trusted yet: {_list(candidates)}")
        if len(matches) > 1:
            raise ServiceError(f"team trust {text}: {len(matches)} keys use that name: "
                               + "; ".join(f"{c.member_name} {c.grouped} ({c.file})" for c in matches)
                               + ". Check with the member which key is theirs and trust it by fingerprint; "
                                 "nothing was trusted.")
        chosen = matches[0]
        problem = self._second_key_problem(chosen)
        if problem is not None:
            raise ServiceError(f"team trust {text}: {problem}; nothing was trusted.")
        self.bundles.trust(chosen.fingerprint, chosen.public_key, chosen.name)
        return chosen

    def _second_key_problem(self, c: TrustCandidate) -> str | None:
        names = self._trusted_names()
        for n in {c.name.casefold(), c.member_name.casefold()}:
            fp = names.get(n)
            if fp is not None and fp != c.fingerprint:
                return (f"the name '{c.member_name}' is already trusted with another key ({group_fingerprint(fp)}); "
                        "a second key under the same name may not be them. If they made a new key, check its "
                        f"fingerprint with them and trust it by fingerprint ({c.fingerprint})")
        return None

    def trust_all_plan(self) -> TrustAllPlan:
        """What ``team trust --all`` would trust: every untrusted key, except names already trusted with another
        key and names two or more untrusted keys use (those are left out, with the reason)."""
        plan = TrustAllPlan()
        candidates = self.candidates_to_trust()
        for c in candidates:
            same = [o for o in candidates if o.fingerprint != c.fingerprint and
                    {o.name.casefold(), o.member_name.casefold()} & {c.name.casefold(), c.member_name.casefold()}]
            if same:
                plan.left_out.append((c, f"{1 + len(same)} keys use the name '{c.member_name}': trust the right one "
                                         "by fingerprint"))
                continue
            problem = self._second_key_problem(c)
            if problem is not None:
                plan.left_out.append((c, problem))
                continue
            plan.trust.append(c)
        return plan

    def trust_all(self, plan: TrustAllPlan) -> list[TrustCandidate]:
        """Trust the keys of a confirmed ``trust_all_plan`` (each audit-logged); returns them."""
        for c in plan.trust:
            self.bundles.trust(c.fingerprint, c.public_key, c.name)
        return list(plan.trust)


class TeamSync:
    """Polling for the app: ``poll_once()`` on a timer syncs when the folder or this workspace changed."""

    def __init__(self, ws: Workspace, service: TeamService | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.ws = ws
        self.service = service or TeamService(ws)
        self._last_marker: tuple[Any, ...] | None = None
        self.last_report: SyncReport | None = None

    def _marker(self) -> tuple[Any, ...]:
        """Cheap: the newest audit entry here and the names, sizes, mtimes and manifest hashes of the folder's
        bundle files (a few kilobytes read per file, whatever it weighs)."""
        folder = self.service.folder()
        audit = self.ws.store.audit(limit=1)
        head = (audit[0].id if audit else 0,)
        if folder is None:
            return (*head, None)
        try:
            listing = tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns,
                                    _manifest_sha(Path(e.path)) if e.name.endswith(BUNDLE_SUFFIX) else None)
                                   for e in os.scandir(folder) if is_bundle_related(e.name)))
        except OSError as exc:
            return (*head, str(folder), f"unavailable: {exc}")
        return (*head, str(folder), listing)

    def poll_once(self) -> SyncReport | None:
        """Sync if anything changed since the last poll; None when not joined or nothing changed."""
        if self.service.folder() is None:
            return None
        marker = self._marker()
        if marker == self._last_marker:
            return None
        report = self.service.sync()
        self.last_report = report
        self._last_marker = self._marker()  # after our own publish and the imports' audit entries
        return report


def _manifest_sha(path: Path, limit: int = 16 * 1024 * 1024) -> str | None:
    """SHA-256 of a bundle's manifest.json bytes, read without verifying anything; None when it cannot be read."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(MANIFEST)
            if info.file_size > limit:
                return None
            with zf.open(info) as fh:
                return hashlib.sha256(fh.read(limit + 1)).hexdigest()
    except (*ZIP_ERRORS, KeyError, RuntimeError):
        return None


def _same_file(path: Path, published: dict[str, Any]) -> bool:
    """True when ``path`` is still the file this member last wrote (the sync client did not delete or replace it)."""
    try:
        st = path.stat()
    except OSError:
        return False
    return (st.st_size == published.get("size") and st.st_mtime_ns == published.get("mtime_ns")
            and _manifest_sha(path) == published.get("manifest_sha"))


def _short(message: str, path: Path) -> str:
    """An error message without the full path in front (the file is named already)."""
    for prefix in (f"{path}: ", f"{path} "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message.replace(str(path), path.name)


def _quote(text: str) -> str:
    return f'"{text}"' if any(ch.isspace() for ch in text) else text


def _list(candidates: list[TrustCandidate]) -> str:
    return "; ".join(f"{c.member_name} {c.grouped}" for c in candidates) or "none"
