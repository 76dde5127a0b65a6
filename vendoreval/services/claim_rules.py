"""Reading the claim finder's rules (rubrics/data/claim-rules.toml) beside the rubric library.

The file is parsed by ``domain.claim_finder.parse_finder_rules``; here it is read (size-limited, UTF-8,
TOML) and checked against the rubrics: a rule naming a criterion that no rubric has is an error that
names the entry, so a rubric author's typo is seen when the finder starts, not as a silently missing
link. Read once per process while the file and the rubric folder stay the same.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from pathlib import Path

from .. import files
from ..domain.claim_finder import FinderRules, FinderRulesError, criterion_refs, parse_finder_rules
from ..domain.rubric import Rubric, load_rubric_file
from ..errors import toml_too_deep
from ..paths import rubrics_dir

MAX_RULES_BYTES = 1 << 20


def rules_path() -> Path:
    """The shipped rules file."""
    return rubrics_dir() / "data" / "claim-rules.toml"


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


@functools.cache
def _shipped_refs(folder: str, _stamps: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    return frozenset(criterion_refs(load_rubric_file(p) for p in sorted(Path(folder).glob("*.toml"))))


def shipped_criterion_refs() -> frozenset[str]:
    """Every "rubric:criterion" of the shipped rubric library."""
    folder = rubrics_dir()
    return _shipped_refs(str(folder), tuple(_stamp(p) for p in sorted(folder.glob("*.toml"))))


@functools.cache
def _load(path: str, _stamp: tuple[str, int, int], known: frozenset[str]) -> FinderRules:
    raw = files.read_bytes(path, max_bytes=MAX_RULES_BYTES, what="claim-finder rules file")
    try:
        text = raw.decode("utf-8")
        if toml_too_deep(text):
            raise FinderRulesError(f"{path}: nested too deeply to be a rules file", file=path)
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise FinderRulesError(f"{path}: not UTF-8 text; save the file as UTF-8", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise FinderRulesError(f"{path}: not a readable TOML file: {exc}", file=path) from None
    return parse_finder_rules(data, source=path, known_criteria=known)


def load_finder_rules(path: Path | None = None, rubrics: Iterable[Rubric] | None = None) -> FinderRules:
    """The finder's rules: the shipped file, or ``path``; FinderRulesError (a UserError) when unusable.

    Criteria are checked against ``rubrics`` when given (say, the workspace's library), else against the
    shipped rubric files.
    """
    target = path or rules_path()
    known = frozenset(criterion_refs(rubrics)) if rubrics is not None else shipped_criterion_refs()
    return _load(str(target), _stamp(target), known)
