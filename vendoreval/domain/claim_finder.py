"""The claim finder: sentences of a vendor's document → candidate claims, each with its kind, its figure,
the criteria it bears on (with the reason) and the questions to ask.

Pure and deterministic: no I/O, no model, no network. The rules are data (``rubrics/data/claim-rules.toml``,
read by ``services.claim_rules.load_finder_rules``) parsed here by ``parse_finder_rules``; the format is in
docs/rubric-format.md and the reasoning, with the enforcement cases behind the questions, in docs/claims.md.

How a sentence is judged (``classify``), in order:

1. boilerplate (addresses, opening hours, phone numbers, payment terms, copyright, cookie banners,
   navigation, legal notices) and non-assertions (questions, calls to action, greetings) are dropped;
   so are passages shorter than ``min_words`` and headings (no final punctuation, at most
   ``heading_max_words`` words);
2. a hedge ("results may vary") without a figure is dropped;
3. every kind whose pattern matches is a candidate kind; the one with the highest priority wins (a
   first/only/best claim before an accuracy claim, say), and nothing matching means no claim;
4. the criteria rules add the criteria the sentence bears on, each with why; the kind's questions follow.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..errors import UserError
from .figures import FigureError, parse_figure
from .passages import Passage
from .rubric import Rubric

#: The kinds the finder knows, in the order the docs list them (a rules file may define only these).
KINDS = ("accuracy", "automation", "model_ownership", "training_data", "customer_data", "compliance",
         "outcome_roi", "superlative", "availability", "ai_powered")

_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
           "sept", "oct", "nov", "dec"}
_FIGURE = re.compile(
    r"""(?<![\w.,/+:#-])
        (?P<cur>[$€£])?\s?
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?![\d:/])
        (?:(?P<attached>k|m|mn|bn|b|tn|t)\b|\s?(?P<word>thousand|million|billion|trillion)\b)?
        (?:\s?(?P<pct>%|percent\b|per\s+cent\b))?
        (?:(?P<times>x)\b)?
        (?:[\s-]+(?P<unit>[a-z]+)\b)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_WORD_BEFORE = re.compile(r"([\w.]+)\s*$")
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’)\]]*\s*$|[.!?…]['\"”’)\]]*\s+[—–-]")


_SRE: Any = importlib.import_module("re._parser")  # the standard library's own regex parser
_SRE_OPS: Any = importlib.import_module("re._constants")


def _required_literals(items: Any) -> frozenset[str] | None:
    """Lower-case strings one of which occurs in every match of a parsed pattern (None: not known).

    A sequence needs each of its parts: the first literal run of two or more characters will do; a
    branch needs one of its alternatives, so the union of theirs; an optional part needs nothing.
    """
    run = ""
    for op, av in items:
        if op is _SRE_OPS.LITERAL:
            run += chr(av)
            continue
        if len(run) >= 2:
            return frozenset({run.lower()})
        run = ""
        found: frozenset[str] | None = None
        if op is _SRE_OPS.SUBPATTERN:
            found = _required_literals(av[3])
        elif op is _SRE_OPS.BRANCH:
            alternatives = [_required_literals(alt) for alt in av[1]]
            if all(a is not None for a in alternatives):
                found = frozenset().union(*(a for a in alternatives if a is not None))
        elif op in (_SRE_OPS.MAX_REPEAT, _SRE_OPS.MIN_REPEAT) and av[0] >= 1:
            found = _required_literals(av[2])
        if found:
            return found
    return frozenset({run.lower()}) if len(run) >= 2 else None


@dataclass(frozen=True)
class _Matcher:
    """Patterns searched in order, most behind a gate: one case-sensitive search of the lower-cased text
    for the literals one of which each of those patterns' matches needs. Most sentences fail the gate
    of most rules, and that search is many times cheaper than the patterns' (the finder's hot path).
    Patterns with no such literal ("©", a postcode) are searched every time."""

    patterns: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]
    gate: re.Pattern[str] | None

    def search(self, text: str, lowered: str) -> re.Match[str] | None:
        gated: bool | None = None
        for p, literals in self.patterns:
            if literals is not None:
                if gated is None:
                    gated = self.gate is None or self.gate.search(lowered) is not None
                if not gated or not any(lit in lowered for lit in literals):
                    continue
            m = p.search(text)
            if m:
                return m
        return None


def _matcher(patterns: Sequence[re.Pattern[str]]) -> _Matcher:
    screened: list[tuple[re.Pattern[str], frozenset[str] | None]] = []
    for p in patterns:
        try:
            found = _required_literals(_SRE.parse(p.pattern, p.flags).data)
        except Exception:  # an unexpected parse tree only costs speed: no gate
            found = None
        screened.append((p, found))
    literals = sorted({x for _p, found in screened for x in found or ()}, key=lambda x: (-len(x), x))
    gate = re.compile("|".join(re.escape(x) for x in literals)) if literals else None
    return _Matcher(tuple(screened), gate)


class FinderRulesError(UserError):
    """The claim-finder rules file is not usable; the message names the file, the entry and the reason."""


@dataclass(frozen=True)
class Figure:
    """A number the sentence states: "40 billion tokens" → 4e10, "tokens"; "98%" → 98.0, "%"."""

    value: float
    unit: str | None
    text: str


class CriterionMatch(NamedTuple):
    """A criterion a candidate bears on, and why the finder thinks so."""

    rubric: str
    criterion: str
    why: str

    @property
    def ref(self) -> str:
        return f"{self.rubric}:{self.criterion}"


@dataclass(frozen=True)
class Candidate:
    """A sentence that asserts something checkable about the product's AI."""

    text: str
    page: int | None
    location: str | None
    kind: str
    kind_why: str  # the rule that gave the kind: 'accuracy: “98% accuracy”'
    figure: Figure | None
    criteria: tuple[CriterionMatch, ...]
    questions: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The candidate as the CLI's ``--json`` prints it."""
        return {
            "text": self.text,
            "page": self.page,
            "location": self.location,
            "kind": self.kind,
            "figure": None if self.figure is None else
            {"value": self.figure.value, "unit": self.figure.unit, "text": self.figure.text},
            "criteria": [{"rubric": c.rubric, "criterion": c.criterion, "why": c.why} for c in self.criteria],
            "questions": list(self.questions),
        }


@dataclass(frozen=True)
class KindRule:
    id: str
    title: str
    priority: int
    patterns: tuple[re.Pattern[str], ...]
    questions: tuple[str, ...]

    @functools.cached_property
    def matcher(self) -> _Matcher:
        return _matcher(self.patterns)


@dataclass(frozen=True)
class CriteriaRule:
    criteria: tuple[tuple[str, str], ...]  # (rubric id, criterion id)
    kinds: tuple[str, ...]  # empty: any kind
    patterns: tuple[re.Pattern[str], ...]  # empty: always (within kinds)
    why: str | None

    @functools.cached_property
    def matcher(self) -> _Matcher:
        return _matcher(self.patterns)


@dataclass(frozen=True)
class DropRule:
    id: str
    patterns: tuple[re.Pattern[str], ...]

    @functools.cached_property
    def matcher(self) -> _Matcher:
        return _matcher(self.patterns)


@dataclass(frozen=True)
class FinderRules:
    """The parsed rules file."""

    kinds: tuple[KindRule, ...]
    criteria: tuple[CriteriaRule, ...]
    boilerplate: tuple[DropRule, ...]
    not_claims: tuple[DropRule, ...]
    hedges: tuple[re.Pattern[str], ...]
    figure_units: frozenset[str]
    not_figure_after: frozenset[str]
    min_words: int = 4
    heading_max_words: int = 7
    source: str = "<claim rules>"

    @functools.cached_property
    def hedge_matcher(self) -> _Matcher:
        return _matcher(self.hedges)

    def kind(self, kind_id: str) -> KindRule:
        for rule in self.kinds:
            if rule.id == kind_id:
                return rule
        raise KeyError(kind_id)

    def criterion_refs(self) -> set[str]:
        """Every "rubric:criterion" the rules name."""
        return {f"{r}:{c}" for rule in self.criteria for r, c in rule.criteria}


@dataclass(frozen=True)
class Classification:
    """What the finder made of one sentence: its kind, or why it was dropped."""

    kind: str | None
    why: str  # 'accuracy: “98% accuracy”', or 'boilerplate: address', 'no kind matched', ...


# --- the rules file ------------------------------------------------------------------------------

def _term_pattern(term: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s-]+", term.strip()) if w]
    return r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)"


def parse_finder_rules(data: Mapping[str, Any], source: str = "<claim rules>",
                       known_criteria: Collection[str] | None = None) -> FinderRules:
    """The rules from a parsed TOML document; FinderRulesError naming the entry for anything unusable.

    ``known_criteria`` ("rubric:criterion" ids of the rubrics at hand): when given, a rule naming a
    criterion that is not among them is an error (so a rubric author sees a typo at once).
    """
    problems: list[str] = []

    def compile_all(where: str, raw: Any, *, terms: Any = None) -> tuple[re.Pattern[str], ...]:
        out: list[re.Pattern[str]] = []
        for kind_of, items, to_regex in (("patterns", raw, str), ("terms", terms, _term_pattern)):
            if items is None:
                continue
            if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
                problems.append(f"{where}: {kind_of} must be a list of non-empty strings")
                continue
            for text in items:
                try:
                    out.append(re.compile(to_regex(text), re.IGNORECASE))
                except re.error as exc:
                    problems.append(f"{where}: pattern {text!r} is not a regular expression: {exc}")
        return tuple(out)

    def unknown_keys(where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            problems.append(f"{where}: unknown key{'s' if len(extra) > 1 else ''} {', '.join(extra)} "
                            f"(a top-level key written after a [[table]] belongs to that table)")

    unknown_keys("top level", data, {"format", "min_words", "heading_max_words", "figure_units",
                                     "not_figure_after", "hedges", "boilerplate", "not_claims", "kinds", "criteria"})
    if data.get("format", 1) != 1:
        problems.append(f"format {data.get('format')!r} is not known (this version reads format 1)")
    kinds: list[KindRule] = []
    for i, raw in enumerate(data.get("kinds", []), start=1):
        where = f"kinds[{i}]" + (f" ({raw.get('id')})" if isinstance(raw, dict) and raw.get("id") else "")
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a table")
            continue
        unknown_keys(where, raw, {"id", "title", "priority", "patterns", "terms", "questions"})
        kind_id = raw.get("id")
        if kind_id not in KINDS:
            problems.append(f"{where}: id {kind_id!r} is not a kind; use one of {', '.join(KINDS)}")
            continue
        if any(k.id == kind_id for k in kinds):
            problems.append(f"{where}: kind {kind_id} is defined twice")
        priority = raw.get("priority")
        if not isinstance(priority, int) or isinstance(priority, bool):
            problems.append(f"{where}: priority must be a whole number")
            priority = 0
        patterns = compile_all(where, raw.get("patterns"), terms=raw.get("terms"))
        if not patterns:
            problems.append(f"{where}: needs patterns or terms")
        questions = raw.get("questions", [])
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            problems.append(f"{where}: questions must be a list of non-empty strings")
            questions = []
        kinds.append(KindRule(kind_id, str(raw.get("title") or kind_id), priority, patterns, tuple(questions)))
    if not kinds:
        problems.append("no [[kinds]]: the finder would propose nothing")
    kind_ids = {k.id for k in kinds}

    criteria: list[CriteriaRule] = []
    for i, raw in enumerate(data.get("criteria", []), start=1):
        where = f"criteria[{i}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a table")
            continue
        unknown_keys(where, raw, {"kinds", "terms", "patterns", "criteria", "why"})
        refs: list[tuple[str, str]] = []
        for ref in raw.get("criteria") or []:
            rubric, sep, criterion = str(ref).partition(":")
            if not sep or not rubric or not criterion:
                problems.append(f"{where}: {ref!r} is not 'rubric:criterion'")
            elif known_criteria is not None and ref not in known_criteria:
                problems.append(f"{where}: criterion {ref!r} is not in any rubric")
            else:
                refs.append((rubric, criterion))
        if not raw.get("criteria"):
            problems.append(f"{where}: names no criteria")
        rule_kinds = raw.get("kinds", [])
        for k in rule_kinds:
            if k not in kind_ids:
                problems.append(f"{where}: kind {k!r} is not defined in [[kinds]]")
        why = raw.get("why")
        criteria.append(CriteriaRule(tuple(refs), tuple(rule_kinds),
                                     compile_all(where, raw.get("patterns"), terms=raw.get("terms")),
                                     str(why) if why else None))

    def drops(key: str) -> tuple[DropRule, ...]:
        out = []
        for i, raw in enumerate(data.get(key, []), start=1):
            where = f"{key}[{i}]"
            if not isinstance(raw, dict) or not raw.get("id"):
                problems.append(f"{where}: needs an id")
                continue
            unknown_keys(where, raw, {"id", "patterns", "terms"})
            out.append(DropRule(str(raw["id"]), compile_all(where, raw.get("patterns"), terms=raw.get("terms"))))
        return tuple(out)

    boilerplate, not_claims = drops("boilerplate"), drops("not_claims")
    hedges = compile_all("hedges", data.get("hedges", []))
    numbers = {}
    for key, default in (("min_words", 4), ("heading_max_words", 7)):
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{key} must be a whole number ≥ 0")
            value = default
        numbers[key] = value
    words: dict[str, frozenset[str]] = {}
    for key in ("figure_units", "not_figure_after"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            problems.append(f"{key} must be a list of words")
            value = []
        words[key] = frozenset(x.casefold() for x in value)
    if problems:
        raise FinderRulesError(f"{source}: " + "; ".join(problems), file=source)
    return FinderRules(tuple(kinds), tuple(criteria), boilerplate, not_claims, hedges,
                       words["figure_units"], words["not_figure_after"], numbers["min_words"],
                       numbers["heading_max_words"], source)


def criterion_refs(rubrics: Iterable[Rubric]) -> set[str]:
    """Every "rubric:criterion" of some rubrics (any version)."""
    return {f"{r.id}:{c.id}" for r in rubrics for c in r.criteria}


# --- figures -------------------------------------------------------------------------------------

def find_figures(text: str, rules: FinderRules) -> list[Figure]:
    """The figures a sentence states, in order; years, dates, times and numbers in names are skipped."""
    out: list[Figure] = []
    for m in _FIGURE.finditer(text):
        before = _WORD_BEFORE.search(text[: m.start()])
        if before and before.group(1).casefold().rstrip(".") in {w.rstrip(".") for w in rules.not_figure_after}:
            continue
        scale = m["attached"] or m["word"]
        unit_word = (m["unit"] or "").casefold()
        if unit_word in _MONTHS or (before and before.group(1).casefold() in _MONTHS):
            continue
        plain = not (m["cur"] or scale or m["pct"] or m["times"])
        number = m["num"].replace(",", "")
        if plain and re.fullmatch(r"(?:19|20)\d\d", number):
            continue  # a year
        if plain and "." not in number and before and before.group(1)[:1].isupper() and m.start() > 0 \
                and text[m.start() - 1] == " " and unit_word not in rules.figure_units:
            continue  # part of a name: "Autopilot 2", "Detect 3"
        try:
            value = parse_figure(number + (f" {scale}" if scale else ""))
        except FigureError:  # pragma: no cover - the pattern admits only figures
            continue
        end = m.end("times") if m["times"] else m.end("pct") if m["pct"] else \
            m.end("word") if m["word"] else m.end("attached") if m["attached"] else m.end("num")
        if m["cur"]:
            unit: str | None = _CURRENCY[m["cur"]]
        elif m["pct"]:
            unit = "%"
        elif m["times"]:
            unit = "x"
        elif unit_word in rules.figure_units:
            unit, end = unit_word, m.end("unit")
        else:
            unit = None
        out.append(Figure(value, unit, text[m.start():end].strip()))
    return out


def _main_figure(figures: Sequence[Figure]) -> Figure | None:
    """The figure a candidate shows: the first with a unit, a scale or a sign; else the first."""
    for f in figures:
        if f.unit:
            return f
    return figures[0] if figures else None


# --- sentences -----------------------------------------------------------------------------------

def _normal(text: str) -> str:
    return " ".join(text.split())


def _first_match(matcher: _Matcher, text: str, lowered: str) -> re.Match[str] | None:
    return matcher.search(text, lowered)


def _quote(m: re.Match[str]) -> str:
    return f"“{m.group(0).strip()}”"


def classify(text: str, rules: FinderRules) -> Classification:
    """The kind of one sentence, or why it is not a candidate (see the module docstring for the order)."""
    text = _normal(text)
    lowered = text.lower()
    for group, label in ((rules.boilerplate, "boilerplate"), (rules.not_claims, "not a claim")):
        for drop in group:
            if _first_match(drop.matcher, text, lowered):
                return Classification(None, f"{label}: {drop.id}")
    words = len(text.split())
    if words < rules.min_words:
        return Classification(None, f"fewer than {rules.min_words} words")
    if words <= rules.heading_max_words and not _SENTENCE_END.search(text):
        return Classification(None, "a heading")
    if _first_match(rules.hedge_matcher, text, lowered) and not find_figures(text, rules):
        return Classification(None, "a hedge without a figure")
    best: tuple[KindRule, re.Match[str]] | None = None
    for kind in rules.kinds:
        m = _first_match(kind.matcher, text, lowered)
        if m and (best is None or kind.priority > best[0].priority):
            best = (kind, m)
    if best is None:
        return Classification(None, "no kind matched")
    return Classification(best[0].id, f"{best[0].id}: {_quote(best[1])}")


def _criteria_for(text: str, kind: str, rules: FinderRules,
                  known: Collection[str] | None) -> tuple[CriterionMatch, ...]:
    out: dict[tuple[str, str], CriterionMatch] = {}
    lowered = text.lower()
    for rule in rules.criteria:
        if rule.kinds and kind not in rule.kinds:
            continue
        m = _first_match(rule.matcher, text, lowered)
        if rule.patterns and m is None:
            continue
        if m is not None:
            why = f"{rule.why} ({_quote(m)})" if rule.why else f"{kind.replace('_', ' ')} claim mentioning {_quote(m)}"
        else:
            why = rule.why or f"{kind.replace('_', ' ')} claim"
        for rubric, criterion in rule.criteria:
            if known is not None and f"{rubric}:{criterion}" not in known:
                continue
            out.setdefault((rubric, criterion), CriterionMatch(rubric, criterion, why))
    return tuple(out.values())


#: ``find_candidates`` calls its ``progress`` after every this many sentences.
PROGRESS_EVERY = 1000


def find_candidates(sentences: Sequence[Passage], rules: FinderRules,
                    rubrics: Iterable[Rubric] | None = None, *,
                    progress: Callable[[int, int], None] | None = None) -> list[Candidate]:
    """The candidate claims among ``sentences`` (one sentence per passage), in reading order.

    With ``rubrics``, only criteria of those rubrics are proposed (a criterion of a rubric the
    workspace does not have is left out); without, every criterion the rules name. A sentence that
    stands twice (a claim repeated on a later slide) is proposed once, where it first stands.
    ``progress`` is called with (sentences done, all of them) every ``PROGRESS_EVERY`` sentences; what it
    raises (a cancel) passes through.
    """
    known = criterion_refs(rubrics) if rubrics is not None else None
    seen: set[str] = set()
    out: list[Candidate] = []
    total = len(sentences)
    for done, passage in enumerate(sentences):
        if progress is not None and done % PROGRESS_EVERY == 0 and done:
            progress(done, total)
        text = _normal(passage.text)
        key = text.casefold()
        if not text or key in seen:
            continue
        verdict = classify(text, rules)
        if verdict.kind is None:
            continue
        seen.add(key)
        out.append(Candidate(
            text=text, page=passage.page, location=passage.location, kind=verdict.kind,
            kind_why=verdict.why, figure=_main_figure(find_figures(text, rules)),
            criteria=_criteria_for(text, verdict.kind, rules, known),
            questions=rules.kind(verdict.kind).questions,
        ))
    return out
