"""Rubrics: the file-defined criteria a vendor is scored against, parsed and validated from TOML."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import files
from ..errors import MAX_NESTING, UserError, toml_too_deep
from .strict import FiniteFloat
from .text import plural

#: The largest weight a rubric file may give (relative weights; far below where sums overflow to infinity).
MAX_RUBRIC_WEIGHT = 1e15


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use (launch time)


class ScaleKind(StrEnum):
    """How a criterion is answered."""

    ORDINAL = "ordinal"
    BINARY = "binary"
    NUMERIC = "numeric"


class Level(_Strict):
    """One anchored level of a scale: the number, a short label and what it takes to earn it."""

    level: int = Field(ge=0, le=10)
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)
    #: A worked example of an answer that earns this level (calibration; does not change the meaning).
    example: str | None = None


class Scale(_Strict):
    """Ordinal levels 0..n, binary (0/1), or numeric thresholds mapping a figure onto levels."""

    kind: ScaleKind = ScaleKind.ORDINAL
    levels: list[Level] = Field(min_length=2)
    unit: str | None = None
    # numeric only: ascending cut-offs; a figure >= thresholds[i] reaches level i+1
    thresholds: list[FiniteFloat] | None = None
    # numeric only, one per threshold: where a figure exactly on the threshold belongs ("higher", the
    # default, or "lower": the band below is closed at its upper end)
    at_threshold: list[Literal["higher", "lower"]] | None = None

    @model_validator(mode="after")
    def _check(self) -> Scale:
        numbers = [lv.level for lv in self.levels]
        if numbers != list(range(len(numbers))):
            raise ValueError(f"levels must be numbered 0, 1, 2, ... in order; got {numbers}")
        if self.kind == ScaleKind.BINARY and len(numbers) != 2:
            raise ValueError("a binary scale has exactly two levels (0 and 1)")
        if self.kind == ScaleKind.NUMERIC:
            if not self.thresholds:
                raise ValueError("a numeric scale needs thresholds")
            if len(self.thresholds) != len(numbers) - 1:
                raise ValueError(
                    f"a numeric scale with {plural(len(numbers), 'level')} needs "
                    f"{plural(len(numbers) - 1, 'threshold')},"
                    f" got {len(self.thresholds)}"
                )
            if any(b <= a for a, b in zip(self.thresholds, self.thresholds[1:], strict=False)):
                raise ValueError("thresholds must be strictly ascending")
            if self.at_threshold is not None and len(self.at_threshold) != len(self.thresholds):
                raise ValueError(f"at_threshold needs one entry per threshold ({len(self.thresholds)}),"
                                 f" got {len(self.at_threshold)}")
        elif self.thresholds is not None:
            raise ValueError("thresholds are only allowed on a numeric scale")
        elif self.at_threshold is not None:
            raise ValueError("at_threshold is only allowed on a numeric scale")
        return self

    @functools.cached_property
    def top(self) -> int:
        """The highest level of the scale."""
        return self.levels[-1].level

    def level_for_figure(self, figure: float) -> int:
        """The level a numeric figure (e.g. training tokens) reaches on this scale."""
        if self.kind != ScaleKind.NUMERIC or not self.thresholds:
            raise ValueError("only a numeric scale maps figures to levels")
        at = self.at_threshold or ["higher"] * len(self.thresholds)
        level = 0
        for i, cut in enumerate(self.thresholds):
            if figure > cut or (figure == cut and at[i] == "higher"):
                level = i + 1
        return level

    def same_meaning(self, other: Scale) -> bool:
        """Whether two scales score alike (worked examples aside): a level carries over between them."""
        return _without_examples(self) == _without_examples(other)

    def describe(self, level: int) -> Level:
        """The anchored description of one level."""
        return self.levels[level]


DisclosedNo = int | Literal["not_applicable"]


def _without_examples(scale: Scale) -> dict[str, Any]:
    data = scale.model_dump(mode="json")
    for lv in data["levels"]:
        lv.pop("example", None)
    if data.get("at_threshold") is not None and all(a == "higher" for a in data["at_threshold"]):
        data["at_threshold"] = None  # the default written out
    return data


#: The frameworks a criterion's crosswalk may name, as the user reads them, in display order.
FRAMEWORKS: dict[str, str] = {"iso42001": "ISO/IEC 42001", "nist-ai-rmf": "NIST AI RMF"}


class CrosswalkRef(_Strict):
    """A control or subcategory of a management-system standard the criterion maps to (id and short title)."""

    framework: Literal["iso42001", "nist-ai-rmf"]
    id: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)

    @property
    def label(self) -> str:
        """'ISO/IEC 42001 A.7.4 — Data quality'."""
        return f"{FRAMEWORKS[self.framework]} {self.id} — {self.title}"


class ChangeEntry(_Strict):
    """One entry of a rubric's legal change log: what changed in a version, when reviewed, on which sources."""

    version: str = Field(min_length=1)
    date: dt.date
    changes: list[str] = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)


class Duty(_Strict):
    """A legal duty a rubric tracks that is not tied to one criterion, with the date it applies from."""

    duty: str = Field(min_length=1)
    source: str = Field(min_length=1)
    applies_from: dt.date


#: Keys added after the first release; left out of the canonical JSON while empty, so the content hash of
#: a rubric that does not use them is what it was before they existed.
_LATER_KEYS = frozenset({"example", "at_threshold", "applies_when", "see_also", "crosswalk",
                         "law_reviewed_on", "changelog", "duties"})


def _prune_later_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune_later_keys(v) for k, v in value.items()
                if not (k in _LATER_KEYS and v in (None, [], {}))}
    if isinstance(value, list):
        return [_prune_later_keys(v) for v in value]
    return value


def _check_positive_weight(v: float) -> float:
    """A criterion's or rubric's weight, which must be greater than 0."""
    if not v > 0:
        raise ValueError("weight must be greater than 0")
    if v == float("inf"):  # an infinite weight made every score NaN (inf / inf)
        raise ValueError("weight must be a finite number")
    return v


#: ``applies_when``: one table of conditions, or an array of them (either of).
_AppliesWhen = dict[str, list[str]] | list[dict[str, list[str]]]


class Criterion(_Strict):
    """One question put to the vendor, with guidance, a weight, a scale and the sources it rests on."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$", max_length=80)]
    title: str = Field(min_length=1)
    question: str = Field(min_length=1)
    guidance: str = ""
    weight: float = 1.0
    scale: Scale
    sources: list[str] = Field(default_factory=list)
    knockout_below: int | None = None
    knockout_reason: str | None = None
    duty_applies_from: dt.date | None = None
    disclosed_no: DisclosedNo = 0
    group: str | None = None
    #: When the criterion applies, by engagement-context answer (domain/context.py): every key listed must
    #: match (a list answer matches when it shares a value); an unanswered key matches. An array of such
    #: tables means "either of": the criterion applies when any one of them matches.
    applies_when: _AppliesWhen = Field(default_factory=dict)
    #: Criteria elsewhere that score a fact this criterion touches ("rubric-id/criterion-id"); shown, unscored.
    see_also: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*/[a-z0-9][a-z0-9_.\-]*$")]] = Field(
        default_factory=list)
    crosswalk: list[CrosswalkRef] = Field(default_factory=list)

    _positive_weight = field_validator("weight")(_check_positive_weight)

    @field_validator("applies_when")
    @classmethod
    def _check_applies_when(cls, v: _AppliesWhen) -> _AppliesWhen:
        from .context import check_applies_when

        problems = check_applies_when(v)
        if problems:
            raise ValueError("; ".join(problems))
        return v

    @model_validator(mode="after")
    def _check_levels(self) -> Criterion:
        top = self.scale.top
        if self.knockout_below is not None and not 0 < self.knockout_below <= top:
            raise ValueError(f"knockout_below must be between 1 and the top level {top}")
        if isinstance(self.disclosed_no, int) and not 0 <= self.disclosed_no <= top:
            raise ValueError(f"disclosed_no must be a level between 0 and {top}, or 'not_applicable'")
        return self

    def crosswalk_text(self) -> str:
        """The crosswalk in one line: 'ISO/IEC 42001 A.7.4 — …; NIST AI RMF MAP 4.1 — …' ('' when none)."""
        return "; ".join(ref.label for ref in self.crosswalk)

    def crosswalk_ids(self, framework: str) -> list[str]:
        """The ids this criterion maps to in one framework, in file order."""
        return [ref.id for ref in self.crosswalk if ref.framework == framework]

    def canonical(self) -> dict[str, Any]:
        """The criterion as plain data, for comparing versions and hashing."""
        return dict(_prune_later_keys(self.model_dump(mode="json")))


class Rubric(_Strict):
    """A versioned set of criteria for one area (GDPR, copyright, capabilities, ...)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=60)]
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-+]*$")]
    title: str = Field(min_length=1)
    area: str = Field(min_length=1)
    description: str = ""
    attribution: str | None = None
    license: str | None = None
    weight: float = 1.0
    #: When the rubric's legal content was last checked against the primary texts.
    law_reviewed_on: dt.date | None = None
    #: What changed in each version and on which sources, newest first.
    changelog: list[ChangeEntry] = Field(default_factory=list)
    #: Duties not tied to one criterion's ``duty_applies_from`` (listed in the brief when they start soon).
    duties: list[Duty] = Field(default_factory=list)
    criteria: list[Criterion] = Field(min_length=1)

    _positive_weight = field_validator("weight")(_check_positive_weight)

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                raise ValueError(f"duplicate criterion id '{c.id}'")
            seen.add(c.id)
        return self

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the rubric: the exact content a scorecard was scored against."""
        return content_hash(self)

    @property
    def key(self) -> RubricKey:
        """id + version + content hash."""
        return RubricKey(id=self.id, version=self.version, content_hash=self.content_hash)

    @functools.cached_property
    def _criteria_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id (KeyError if absent)."""
        return self._criteria_by_id[criterion_id]

    def criterion_ids(self) -> list[str]:
        """Criterion ids in file order."""
        return [c.id for c in self.criteria]

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no whitespace): the snapshot kept in the database."""
        data = _prune_later_keys(self.model_dump(mode="json"))
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class RubricKey(_Strict):
    """Identifies the exact rubric content a scorecard was scored against."""

    id: str
    version: str
    content_hash: str


def content_hash(rubric: Rubric) -> str:
    """SHA-256 hex of the rubric's canonical JSON."""
    return hashlib.sha256(rubric.to_json().encode("utf-8")).hexdigest()


class RubricError(UserError):
    """A rubric file that cannot be used; ``problems`` lists each with its location."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems), file=path)


def _location(rubric_data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into 'criterion <id>, field x.y' words."""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "criteria" and isinstance(parts[1], int):
        idx = parts[1]
        crits = rubric_data.get("criteria")
        cid = None
        if isinstance(crits, list) and idx < len(crits) and isinstance(crits[idx], dict):
            cid = crits[idx].get("id")
        rest = ".".join(str(p) for p in parts[2:])
        head = f"criterion '{cid}'" if cid else f"criterion #{idx + 1}"
        return f"{head}, field '{rest}'" if rest else head
    return f"field '{'.'.join(str(p) for p in parts)}'" if parts else "rubric"


def parse_rubric(data: dict[str, Any], source: str = "<rubric>") -> Rubric:
    """Validate parsed rubric data; raises RubricError naming every problem with its criterion and field."""
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{_location(data, tuple(err['loc']))}: {msg}")
        raise RubricError(source, problems) from None
    # Checked on files only (not on snapshots read back from a database, which must always open): sums of
    # huge weights overflow to infinity and every score became NaN.
    heavy = [f"criterion '{c.id}', field 'weight': {c.weight:g} is over the {MAX_RUBRIC_WEIGHT:g} maximum"
             for c in rubric.criteria if c.weight > MAX_RUBRIC_WEIGHT]
    if rubric.weight > MAX_RUBRIC_WEIGHT:
        heavy.insert(0, f"field 'weight': {rubric.weight:g} is over the {MAX_RUBRIC_WEIGHT:g} maximum")
    if heavy:
        raise RubricError(source, heavy)
    return rubric


def loads_rubric(text: str, source: str = "<rubric>") -> Rubric:
    """Parse TOML rubric text; raises RubricError on TOML syntax or validation problems."""
    too_deep = (f"TOML nested too deeply (arrays, inline tables or dotted keys more than {MAX_NESTING} "
                "levels deep)")
    if toml_too_deep(text):
        raise RubricError(source, [too_deep])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(source, [f"TOML syntax error: {exc}"]) from None
    except RecursionError:  # the scan above is rough (it counts brackets in 'literal' strings and comments)
        raise RubricError(source, [too_deep]) from None
    return parse_rubric(data, source)


def load_rubric_text(raw: bytes, source: str) -> Rubric:
    """Decode UTF-8 bytes and parse them as a rubric."""
    try:
        text = files.decode_text(raw, source)
    except files.FileProblem as exc:
        line = f"line {exc.line}: " if exc.line is not None else ""
        raise RubricError(source, [line + exc.reason]) from None
    return loads_rubric(text, source)


#: A rubric file larger than this is refused before it is read.
MAX_RUBRIC_BYTES = 5_000_000


def read_rubric_bytes(path: Path, max_bytes: int = MAX_RUBRIC_BYTES) -> bytes:
    """A rubric file's bytes; RubricError when it is not a readable regular file or is too big."""
    try:
        return files.read_bytes(path, max_bytes=max_bytes, what="a rubric file")
    except files.FileProblem as exc:
        raise RubricError(str(path), [exc.reason]) from None


def load_rubric_file(path: Path, max_bytes: int = MAX_RUBRIC_BYTES) -> Rubric:
    """Read and validate one rubric TOML file."""
    return load_rubric_text(read_rubric_bytes(path, max_bytes), str(path))


def unchanged_criteria(old: Rubric, new: Rubric) -> set[str]:
    """Criterion ids whose question, scale and rules are identical in both versions (levels carry over)."""
    out = set()
    old_by_id = {c.id: c for c in old.criteria}
    for c in new.criteria:
        prev = old_by_id.get(c.id)
        if prev is not None and prev.scale.same_meaning(c.scale) and prev.question == c.question:
            out.add(c.id)
    return out


#: What a change of these fields means for a score carried over to a new rubric version, in words.
_REVISED_FIELDS = (("knockout_below", "knock-out"), ("knockout_reason", "knock-out"), ("weight", "weight"),
                   ("disclosed_no", "level for 'disclosed: no'"), ("applies_when", "when it applies"),
                   ("guidance", "guidance"), ("duty_applies_from", "legal date"), ("sources", "sources"))


def revised_criteria(old: Rubric, new: Rubric) -> dict[str, str]:
    """Criteria whose levels carry over (``unchanged_criteria``) but whose rules around them changed:
    criterion id → what changed ('knock-out and guidance'). Their carried scores are "to re-check"."""
    old_by_id = {c.id: c for c in old.criteria}
    out: dict[str, str] = {}
    for cid in sorted(unchanged_criteria(old, new)):
        before, after = old_by_id[cid], new.criterion(cid)
        what = dict.fromkeys(label for name, label in _REVISED_FIELDS if getattr(before, name) != getattr(after, name))
        if what:
            out[cid] = " and ".join(what)
    return out


def see_also_label(ref: str, find: Callable[[str], Rubric | None]) -> str:
    """A ``see_also`` reference in words: 'GDPR › Training on customer data' when ``find(rubric_id)`` has the
    rubric and the criterion, else the reference as written ('gdpr/training-on-customer-data')."""
    rubric_id, _, criterion_id = ref.partition("/")
    rubric = find(rubric_id)
    if rubric is None:
        return ref
    try:
        return f"{rubric.area} › {rubric.criterion(criterion_id).title}"
    except KeyError:
        return ref


def see_also_text(criterion: Criterion, find: Callable[[str], Rubric | None]) -> str:
    """'Scored in: GDPR › Training on customer data; …' ('' when the criterion has no ``see_also``)."""
    if not criterion.see_also:
        return ""
    return "Scored in: " + "; ".join(see_also_label(r, find) for r in criterion.see_also)


@dataclass(frozen=True)
class Rescore:
    """A criterion of a new rubric version whose level does not carry over: new, or changed in meaning."""

    criterion_id: str
    title: str
    reason: Literal["new", "changed"]

    def describe(self) -> str:
        """'Title (new)'."""
        return f"{self.title} ({self.reason})"


def to_rescore(old: Rubric, new: Rubric) -> list[Rescore]:
    """What must be (re-)scored after moving from ``old`` to ``new``: every criterion of ``new`` that is not
    ``unchanged_criteria`` of the two, in the new file order, marked new or changed."""
    keep = unchanged_criteria(old, new)
    old_ids = {c.id for c in old.criteria}
    return [Rescore(c.id, c.title, "changed" if c.id in old_ids else "new") for c in new.criteria
            if c.id not in keep]


_NIST_FUNCTIONS = ("GOVERN", "MAP", "MEASURE", "MANAGE")


def _crosswalk_id_key(ref_id: str) -> tuple[int, tuple[int, ...]]:
    """Order ids as the standards do: A.9.4 before A.10.2; GOVERN, MAP, MEASURE, MANAGE, then by number."""
    word = ref_id.split(" ")[0]
    rank = _NIST_FUNCTIONS.index(word) if word in _NIST_FUNCTIONS else 0
    return rank, tuple(int(n) for n in re.findall(r"\d+", ref_id))


def crosswalk_titles(rubrics: Iterable[Rubric]) -> dict[str, list[tuple[str, str]]]:
    """Per framework key (in FRAMEWORKS order), every id the rubrics' crosswalks use with its short title
    (the first one met), in the standards' order; frameworks no criterion uses are left out."""
    seen: dict[str, dict[str, str]] = {fw: {} for fw in FRAMEWORKS}
    for rubric in rubrics:
        for c in rubric.criteria:
            for ref in c.crosswalk:
                seen.setdefault(ref.framework, {}).setdefault(ref.id, ref.title)
    return {fw: [(i, titles[i]) for i in sorted(titles, key=_crosswalk_id_key)]
            for fw, titles in seen.items() if titles}
