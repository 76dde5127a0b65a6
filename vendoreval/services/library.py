"""The rubric library: shipped rubric files, user-added ones, and the snapshots kept in the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import files
from ..domain.rubric import Rubric, RubricError, load_rubric_file, load_rubric_text, read_rubric_bytes
from ..domain.rules import version_key
from ..paths import rubrics_dir
from ..store.store import Store

if TYPE_CHECKING:  # the FMTI matrix reader is imported when the editions are first read, not at launch
    from ..exchange.fmti_matrix import Edition

_PARSED: dict[tuple[str, int, int], Rubric] = {}


def _load_cached(path: Path) -> Rubric:
    """Parse a rubric file once per process while its size and modification time stay the same."""
    try:
        st = path.stat()
    except OSError:
        return load_rubric_file(path)  # raises RubricError naming the file and the reason
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    rubric = _PARSED.get(key)
    if rubric is None:
        rubric = load_rubric_file(path)
        _PARSED[key] = rubric
    return rubric


@dataclass(frozen=True)
class LibraryEntry:
    """One rubric version the app knows, and where it came from."""

    rubric: Rubric
    origin: str  # "shipped", "user", or "workspace" (only a snapshot in the database)
    path: Path | None = None


class RubricLibrary:
    """Every rubric version available: shipped files, user files, and database snapshots."""

    def __init__(self, store: Store, user_dir: Path, shipped_dir: Path | None = None) -> None:
        self.store = store
        self.user_dir = user_dir
        self.shipped_dir = shipped_dir if shipped_dir is not None else rubrics_dir()
        # The folders are read on first use, not here: opening a workspace (and so the app's first paint)
        # does not wait for every shipped rubric's TOML to be parsed (~0.15 s CPU for the eight of them).
        self._problems: list[RubricError] = []
        self._loaded: dict[str, LibraryEntry] | None = None
        self._sorted: list[LibraryEntry] | None = None
        self._latest: dict[str, Rubric | None] = {}
        self._generation = 0  # counts changes of the map (reload, remember): what follow() compares
        self._followed: tuple[int, int] | None = None  # (library, generation) that follow() last took

    @property
    def problems(self) -> list[RubricError]:
        """Rubric files that could not be used (read on first use, like every rubric)."""
        self._by_hash  # noqa: B018 - loads the folders
        return self._problems

    @property
    def _by_hash(self) -> dict[str, LibraryEntry]:
        if self._loaded is None:
            self.reload()
        assert self._loaded is not None
        return self._loaded

    def reload(self) -> None:
        """Read the shipped and user rubric folders again and merge the database snapshots."""
        self._problems = []
        by_hash: dict[str, LibraryEntry] = {}
        for origin, folder in (("shipped", self.shipped_dir), ("user", self.user_dir)):
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.toml")):
                try:
                    rubric = _load_cached(path)
                except RubricError as exc:
                    self._problems.append(exc)
                    continue
                by_hash.setdefault(rubric.content_hash, LibraryEntry(rubric, origin, path))
        for rubric, _origin in self.store.rubric_versions():
            by_hash.setdefault(rubric.content_hash, LibraryEntry(rubric, "workspace"))
        self._loaded = by_hash
        self._sorted = None
        self._latest = {}
        self._generation += 1

    def fmti_editions(self) -> list[Edition]:
        """The published FMTI editions (rubrics/data/fmti-editions.toml, then the user's own data file).

        An edition in the user's file replaces the shipped one of the same YYYY-MM.
        """
        from ..exchange.fmti_matrix import parse_editions

        by_edition: dict[str, Edition] = {}
        for folder in (self.shipped_dir, self.user_dir):
            path = folder / "data" / "fmti-editions.toml"
            if path.is_file():
                raw = files.read_bytes(path, max_bytes=1 << 20, what="FMTI editions file")
                for edition in parse_editions(raw, str(path)):
                    by_edition[edition.edition] = edition
        return sorted(by_edition.values(), key=lambda e: e.edition)

    def follow(self, other: RubricLibrary) -> None:
        """Take another library's rubric versions when they changed (a read-only twin follows its original)."""
        source = other._loaded  # never other._by_hash: that would read the other's database on this thread
        if source is None:  # not read yet: this library reads the folders and its own connection itself
            return
        stamp = (id(other), other._generation)
        if self._followed == stamp:
            return
        self._loaded = dict(source)
        self._problems = list(other._problems)
        self._sorted = None
        self._latest = {}
        self._followed = stamp

    def entries(self) -> list[LibraryEntry]:
        """All rubric versions, by id then version (newest last)."""
        if self._sorted is None:
            self._sorted = sorted(self._by_hash.values(), key=lambda e: (e.rubric.id, version_key(e.rubric.version)))
        return list(self._sorted)

    def ids(self) -> list[str]:
        """Distinct rubric ids."""
        return sorted({e.rubric.id for e in self._by_hash.values()})

    def latest_all(self) -> list[Rubric]:
        """The newest version of every rubric id, in id order."""
        return [r for r in (self.latest(i) for i in self.ids()) if r is not None]

    def versions(self, rubric_id: str) -> list[Rubric]:
        """Every version of one rubric, oldest first."""
        return [e.rubric for e in self.entries() if e.rubric.id == rubric_id]

    def latest(self, rubric_id: str) -> Rubric | None:
        """The newest version of a rubric (files win over snapshots of the same version)."""
        if rubric_id in self._latest:
            return self._latest[rubric_id]
        found = self._find_latest(rubric_id)
        self._latest[rubric_id] = found
        return found

    def _find_latest(self, rubric_id: str) -> Rubric | None:
        versions = self.versions(rubric_id)
        if not versions:
            return None
        top = version_key(versions[-1].version)
        same = [e for e in self.entries() if e.rubric.id == rubric_id and version_key(e.rubric.version) == top]
        same.sort(key=lambda e: e.origin == "workspace")
        return same[0].rubric

    def get(self, rubric_id: str, version: str | None = None) -> Rubric | None:
        """A rubric by id and version (latest when version is None)."""
        if version is None:
            return self.latest(rubric_id)
        for e in self.entries():
            if e.rubric.id == rubric_id and e.rubric.version == version and e.origin != "workspace":
                return e.rubric
        for e in self.entries():
            if e.rubric.id == rubric_id and e.rubric.version == version:
                return e.rubric
        return None

    def by_hash(self, content_hash: str) -> Rubric | None:
        """The rubric version with this content hash (file or database snapshot)."""
        entry = self._by_hash.get(content_hash)
        if entry is not None:
            return entry.rubric
        rubric = self.store.rubric_by_hash(content_hash)
        if rubric is not None:
            self.remember(rubric)
        return rubric

    def add_file(self, path: Path) -> Rubric:
        """Validate a rubric file and copy it into the user rubric folder; RubricError if it is invalid."""
        raw = read_rubric_bytes(path)
        rubric = load_rubric_text(raw, str(path))
        target = self.user_dir / f"{rubric.id}-{rubric.version}.toml"
        try:
            files.write_bytes_atomic(target, raw, parents=True)
        except files.FileProblem as exc:
            raise RubricError(str(path), [f"cannot copy into {self.user_dir}: {exc.reason}"]) from None
        self.reload()
        return rubric

    def remember(self, rubric: Rubric) -> None:
        """Make a rubric known for this session (e.g. a snapshot taken from an import)."""
        if rubric.content_hash not in self._by_hash:
            self._by_hash[rubric.content_hash] = LibraryEntry(rubric, "workspace")
            self._sorted = None
            self._latest = {}
            self._generation += 1
