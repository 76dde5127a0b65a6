"""The board brief's content as one frozen data object, computed purely from service results.

Nothing here draws: the renderer (pdf.py) only lays out what ``build_brief`` assembled — the ranking, the
methodology and the appendix, and the verdict of ``domain.verdict`` (which vendor is recommended, the
risks, the conditions), the same one the Compare page shows. Keeping this pure lets tests check it
exactly without reading a PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..domain.analysis import DEFAULT_SAMPLES
from ..domain.conditions import parse_key
from ..domain.context import QUESTIONS, UNKNOWN, EngagementContext, answer_phrase
from ..domain.cost_chart import CostScoreChart
from ..domain.models import (
    DEFAULT_DISCOUNTS,
    AgreedScore,
    Answer,
    Claim,
    ClaimStatus,
    Condition,
    Decision,
    Evidence,
    EvidenceKind,
    EvidenceStrength,
    Score,
    Scorecard,
    Vendor,
)
from ..domain.risks import Risk
from ..domain.rubric import FRAMEWORKS, Criterion, Rubric
from ..domain.rubric import crosswalk_titles as rubric_crosswalk_titles
from ..domain.scoring import (
    OverallScore,
    RubricScore,
    criterion_spreads,
    krippendorff_alpha_ordinal,
    percent_agreement,
    score_gap,
)
from ..domain.sensitivity import AreaScores, VendorScores, reasons_ahead, sensitivity
from ..domain.signals import Signals
from ..domain.text import page_label
from ..domain.verdict import (
    DUTY_SOON_DAYS,
    AreaFacts,
    Duty,
    RankedVendor,
    decide_verdict,
    duties_soon,
    law_as_of,
    legal_duties,
)

CONFIDENTIAL = "Confidential — for the board only"
DEFAULT_TITLE = "AI vendor evaluation"
MAX_KEY_CLAIMS = 8
MAX_SUMMARY_RANKS = 8

#: A logo file larger than this is left out of the brief (and out of its fingerprint).
MAX_LOGO_BYTES = 10 * 1024 * 1024


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefOptions:
    """What the user chose at export."""

    date: dt.date
    title: str = ""
    decision_asked: str = ""
    organisation: str = ""
    logo: bytes | None = None  # the image's bytes (PNG or JPEG), from the workspace's evidence store
    profile: str = ""
    vendor_ids: tuple[str, ...] | None = None  # None: every vendor not archived
    # --- the ask: who decides what, when, and what happens if the negotiation fails ---
    owner: str = ""  # the decision owner's name
    owner_role: str = ""  # and role ('Chief Procurement Officer')
    meeting_date: dt.date | None = None
    agenda_item: str = ""
    paper: str = ""  # the paper's number ('BP-2026-14')
    paper_version: str = ""
    author: str = ""
    purpose: str = "decision"  # PURPOSES: 'decision' or 'information'
    fallback_vendor: str = ""  # the vendor's name to turn to if the conditions fail ('' for none)
    fallback_stop: bool = False  # True: if the conditions fail, the procurement stops
    contract_to: str = ""  # who gets the final contract ('the Audit Committee')
    contract_by: dt.date | None = None


#: What a brief is for: the board decides, or the board is informed.
PURPOSES = ("decision", "information")


@dataclass(frozen=True)
class AreaInput:
    """A vendor's combined result on one rubric (from the totals service)."""

    rubric: Rubric
    weight: float
    scorecards: tuple[Scorecard, ...]
    scores: Mapping[str, Score]
    score: RubricScore
    agreed: Mapping[str, AgreedScore] = field(default_factory=dict)  # criterion id -> agreed score


@dataclass(frozen=True)
class VendorRecord:
    """Everything recorded about one vendor that the brief uses."""

    vendor: Vendor
    areas: tuple[AreaInput, ...]
    overall: OverallScore
    claims: tuple[Claim, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    context: EngagementContext = UNKNOWN  # the engagement context the scores were computed under
    #: The public record as of the brief's date, in sentences (domain.public_record): the FMTI score of
    #: each model's developer, claims the record contradicts, what is past its review date.
    public: tuple[str, ...] = ()
    #: The vendor's conditions to negotiate as records (number, current → target → walk-away, owner).
    condition_records: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class RankInput:
    """One row of the comparison's ranking."""

    vendor_id: str
    rank: int
    score: float | None  # the overall evidence-weighted score the ranking uses
    claimed: float | None
    knocked_out: bool
    knockout_reasons: tuple[str, ...] = ()
    stability: float | None = None  # share (0..1) of random weightings that keep this rank


@dataclass(frozen=True)
class BriefInput:
    """All the data the brief is built from."""

    options: BriefOptions
    vendors: tuple[VendorRecord, ...]
    ranking: tuple[RankInput, ...]
    solidity: tuple[str, ...] = ()  # the comparison's sentences: the flip and rank stability
    fingerprint: str = ""
    risks: tuple[Risk, ...] = ()  # the register of the brief's vendors (and doing nothing), highest first
    costs: tuple[tuple[str, str], ...] = ()  # (vendor id, total cost over the term as printed), when recorded
    #: The business cases: (vendor id, product category, use case, expected benefit, id of the claim it rests on).
    cases: tuple[tuple[str, str, str, str, str], ...] = ()
    samples: int = DEFAULT_SAMPLES  # how many random weightings RankInput.stability was drawn from
    signals: Signals | None = None  # the AI-washing signals of the comparison (domain.signals)
    #: Evidence-weighted score against total cost, per currency (domain.cost_chart, as the Compare page draws it).
    cost_chart: CostScoreChart | None = None


# --- output -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    """The cover page."""

    organisation: str
    logo: bytes | None
    title: str
    date: str
    confidentiality: str
    law: str = ""  # 'Law as of 1 December 2026.'
    #: The document-control box: (label, value) rows, empty values left out (``document_control``).
    control: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """Who the brief recommends and whether that is a recorded decision."""

    vendor: str | None
    recorded: bool
    text: str
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankRow:
    """One vendor in the ranking."""

    rank: int
    vendor: str
    vendor_id: str
    score: float | None
    claimed: float | None
    gap: float | None
    knocked_out: bool
    knockout_reasons: tuple[str, ...]
    stability: float | None
    decision: str
    areas: tuple[float | None, ...]  # evidence-weighted per area, in the order of Comparison.areas
    cost: str = ""  # total cost over the term ('EUR 42,500'); '' when no commercials are recorded


def _note_letter(index: int) -> str:
    """a, b, …, z, aa, ab, … for the notes under a table (index 0 → a)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def knockout_notes(rows: Sequence[RankRow]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The ranking's 'Knocked out by' cells and the notes under the table. A knocked-out vendor's cell is a short
    mark ("Yes, note a") and its reasons go into note a, so a long legal reason never squeezes into a narrow
    column. Returns (vendor → mark, [(letter, vendor, reasons), …]); vendors not knocked out have no mark."""
    marks: dict[str, str] = {}
    notes: list[tuple[str, str, str]] = []
    for r in rows:
        if not r.knocked_out:
            continue
        if r.knockout_reasons:
            letter = _note_letter(len(notes))
            marks[r.vendor] = f"Yes, note {letter}"
            notes.append((letter, r.vendor, "; ".join(r.knockout_reasons)))
        else:
            marks[r.vendor] = "Yes"
    return marks, notes


@dataclass(frozen=True)
class Summary:
    """The one-page executive summary."""

    decision_asked: str
    recommendation: Recommendation
    ranking: tuple[RankRow, ...]  # at most MAX_SUMMARY_RANKS
    more_vendors: int  # how many ranked vendors the summary leaves to the comparison
    risks: tuple[str, ...]
    conditions: tuple[str, ...]
    solidity: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    """A rubric's area as a column of the comparison."""

    rubric_id: str
    title: str


@dataclass(frozen=True)
class Comparison:
    """The comparison table and the data its charts draw."""

    areas: tuple[Area, ...]
    rows: tuple[RankRow, ...]
    claimed_by_area: Mapping[str, tuple[float | None, ...]]  # vendor id -> claimed per area


@dataclass(frozen=True)
class AreaLine:
    """A vendor's score on one area."""

    title: str
    version: str
    claimed: float | None
    evidence_weighted: float | None
    gap: float | None
    answered: int
    total: int
    knocked_out: bool


@dataclass(frozen=True)
class ClaimLine:
    """A claim as the brief prints it."""

    text: str
    source: str
    status: str
    evidence: str
    note: str = ""


@dataclass(frozen=True)
class VendorPage:
    """One page per vendor."""

    vendor_id: str
    name: str
    product: str
    website: str
    decision: str
    conditions: tuple[str, ...]
    rank: int | None
    score: float | None
    claimed: float | None
    gap: float | None
    areas: tuple[AreaLine, ...]
    knockouts: tuple[str, ...]
    contradicted: tuple[ClaimLine, ...]
    key_claims: tuple[ClaimLine, ...]
    more_claims: int
    #: The engagement-context answers in words ('the product uses no general-purpose AI model'), in the
    #: order the questions are asked; empty when none were given.
    context: tuple[str, ...] = ()
    #: Criteria the context rules out: 'Privacy › Data processing agreement — not applicable: …'.
    not_applicable: tuple[str, ...] = ()
    #: The public record in sentences ("Brightwave is built on OpenAI GPT-4o, whose developer … 35/100 …").
    public_record: tuple[str, ...] = ()

    @property
    def context_sentence(self) -> str:
        """The answers as one sentence: 'Engagement context: the vendor is …; we use the product only in EU.'"""
        return f"Engagement context: {'; '.join(self.context)}." if self.context else ""


@dataclass(frozen=True)
class RubricLine:
    """A rubric used, with its exact version."""

    rubric_id: str
    title: str
    version: str
    content_hash: str
    weight: float


@dataclass(frozen=True)
class AgreementLine:
    """Evaluators of one rubric and how far they agreed (pooled over vendors)."""

    rubric_id: str
    evaluators: tuple[str, ...]
    percent: float | None
    alpha: float | None
    flagged: int


@dataclass(frozen=True)
class Methodology:
    """How the numbers were made."""

    profile: str
    rubrics: tuple[RubricLine, ...]
    agreement: tuple[AgreementLine, ...]
    rules: tuple[str, ...]
    duties_in_force: tuple[Duty, ...]
    duties_to_come: tuple[Duty, ...]  # every duty not in force on the brief's date
    law: str = ""  # 'Law as of 1 December 2026.' (domain.verdict.law_as_of)
    duties_soon: tuple[Duty, ...] = ()  # those of duties_to_come that start within DUTY_SOON_DAYS
    soon_until: str = ""  # the last day of that window, as the brief prints dates


@dataclass(frozen=True)
class CrosswalkRow:
    """One criterion and the framework ids it maps to (one string per framework, in FRAMEWORKS order)."""

    criterion: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class CrosswalkTable:
    """A rubric used, as a compact table criterion → ISO/IEC 42001 and NIST AI RMF ids."""

    rubric_id: str
    title: str
    version: str
    frameworks: tuple[str, ...]  # column headings, e.g. ('ISO/IEC 42001', 'NIST AI RMF')
    rows: tuple[CrosswalkRow, ...]


@dataclass(frozen=True)
class AppendixClaim:
    """A claim verbatim with its source and evidence."""

    vendor: str
    line: ClaimLine


@dataclass(frozen=True)
class Rationale:
    """One score's rationale."""

    vendor: str
    rubric_id: str
    criterion: str
    evaluator: str
    answer: str
    rationale: str


@dataclass(frozen=True)
class RiskLine:
    """One row of the risk register as the brief prints it."""

    title: str  # the kind's title
    vendor: str  # '' for the evaluation as a whole (doing nothing)
    criterion: str  # the criterion's title, or ''
    cause: str
    impact: int
    likelihood: int
    owner: str  # 'no owner yet' when nobody took it
    mitigation: str
    residual: str

    @property
    def score(self) -> int:
        """Impact x likelihood (1..25)."""
        return self.impact * self.likelihood

    @property
    def named(self) -> str:
        """The kind's title and, for a risk on criteria, which: 'Low score on a heavily weighted criterion —
        Proprietary dataset' (two rows of one kind and vendor never read the same). PDF and DOCX print this."""
        return f"{self.title} — {self.criterion}" if self.criterion.strip() else self.title

    @property
    def rating(self) -> str:
        """'4 × 3 = 12'."""
        return f"{self.impact} \u00d7 {self.likelihood} = {self.impact * self.likelihood}"


NO_OWNER = "no owner yet"


@dataclass(frozen=True)
class CaseLine:
    """Why a vendor, in words: its product category, the use case, the benefit expected and its claim."""

    vendor: str
    category: str
    use_case: str
    benefit: str
    rests_on: ClaimLine | None  # the vendor's claim the benefit rests on, with its status and evidence


def alternatives_sentence(lines: Iterable[CaseLine]) -> str:
    """Whether the vendors compared are real alternatives: one sentence from their product categories
    ('' when no category is recorded)."""
    lines = list(lines)
    groups: dict[str, tuple[str, list[str]]] = {}
    for line in lines:
        if line.category:
            groups.setdefault(line.category.casefold(), (line.category, []))[1].append(line.vendor)
    if not groups:
        return ""
    missing = [line.vendor for line in lines if not line.category]
    tail = f" No product category is recorded for {_and(missing)}." if missing else ""
    if len(groups) == 1:
        (category, names), = groups.values()
        if len(names) == 1:
            return f"Only {names[0]} has a product category recorded ({category}).{tail}"
        return (f"{_count_word(len(names)).capitalize()} vendors are in one product category ({category}): real "
                f"alternatives to each other.{tail}")
    parts = "; ".join(f"{category}: {_and(names)}" for category, names in groups.values())
    return (f"The vendors are in {_count_word(len(groups))} product categories ({parts}). Only vendors in the same "
            f"category are real alternatives; the others answer different needs.{tail}")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _count_word(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if n < len(words) else str(n)


def risk_lines(risks: Iterable[Risk]) -> tuple[RiskLine, ...]:
    """The register's rows in its order (highest impact × likelihood first), with an unowned risk said so."""
    return tuple(RiskLine(r.title, r.vendor or "Doing nothing", r.criterion_title, r.cause, r.impact, r.likelihood,
                          r.owner.strip() or NO_OWNER, r.mitigation.strip(), r.residual.strip()) for r in risks)


#: The columns of 'How sure', in the PDF and the DOCX alike: a row's ``changed`` ('No', 'Only below first
#: place', 'Yes: first place') answers the third column's question and reads wrong without it.
HOW_SURE_HEADER = ("What is changed", "Ranks first", "First place changes?")


@dataclass(frozen=True)
class HowSureRow:
    """One scenario of 'How sure': what was changed, who would rank first, whether first place changes."""

    scenario: str
    leader: str
    changed: str


@dataclass(frozen=True)
class HowSure:
    """How sure the ranking is (domain.sensitivity), and why the recommended vendor beats the runner-up."""

    rows: tuple[HowSureRow, ...]
    sentence: str  # what, of everything tested, would change the recommendation
    reasons_title: str = ""  # 'Why Acme rather than Beta'
    reasons: tuple[str, ...] = ()  # at most three, largest first


def how_sure_table(h: HowSure) -> tuple[tuple[int, ...], tuple[tuple[str, ...], ...]] | None:
    """'How sure' as the PDF and the DOCX both print it: the indexes of ``HOW_SURE_HEADER`` kept and the rows'
    cells. Columns that say the same for every row are left out (the sentence names every scenario anyway);
    None when nothing is left but the scenarios (then the sentence says it all)."""
    keep = [i for i in (1, 2) if len({(r.leader, r.changed)[i - 1] for r in h.rows}) > 1]
    if not h.rows or not keep:
        return None
    cols = (0, *keep)
    return cols, tuple(tuple((r.scenario, r.leader, r.changed)[i] for i in cols) for r in h.rows)


@dataclass(frozen=True)
class ConditionRow:
    """One condition of the numbered list: what we ask for, where the vendor stands, how far we go, who owns it."""

    number: int
    text: str
    current: str = ""
    target: str = ""
    walk_away: str = ""
    owner: str = ""
    knockout: bool = False  # accepted from a proposal on a knock-out criterion
    proposed: bool = False  # suggested by the evidence, not (yet) a recorded condition

    @property
    def positions(self) -> str:
        """'current → target → walk-away' ('—' for a part not given; '' when none is)."""
        parts = (self.current, self.target, self.walk_away)
        return " → ".join(p or "—" for p in parts) if any(parts) else ""

    @property
    def decisive(self) -> bool:
        """A condition whose failure ends the negotiation: it has a walk-away point or rests on a knock-out."""
        return bool(self.walk_away) or self.knockout


@dataclass(frozen=True)
class BriefData:
    """The whole brief, ready to render."""

    cover: Cover
    summary: Summary
    comparison: Comparison
    vendors: tuple[VendorPage, ...]
    methodology: Methodology
    claims: tuple[AppendixClaim, ...]
    rationales: tuple[Rationale, ...]
    fingerprint: str
    date: dt.date
    header: str = field(default="")
    crosswalks: tuple[CrosswalkTable, ...] = ()
    #: The short titles of the ids the crosswalk tables use, per framework: ('ISO/IEC 42001', ('A.2.2 AI policy', …)).
    crosswalk_titles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    risk_register: tuple[RiskLine, ...] = ()
    cases: tuple[CaseLine, ...] = ()  # in ranking order; only vendors with something recorded
    alternatives: str = ""  # whether the vendors are real alternatives (alternatives_sentence)
    how_sure: HowSure | None = None
    #: The draft resolution the summary opens with (``draft_resolution``).
    resolution: str = ""
    #: The recommended vendor's conditions as ONE numbered list (``condition_rows``); the resolution's
    #: 'conditions 1–N' are these numbers.
    conditions: tuple[ConditionRow, ...] = ()
    recommended_id: str | None = None  # the id of the vendor the summary recommends
    #: Face-value vs evidence rank, largest gaps, contradicted ownership/training claims ("Claimed versus verified").
    signals: Signals | None = None
    #: How many rationales ``rationales`` leaves out because they say nothing the score does not (see says_something).
    rationales_left_out: int = 0
    #: The board pack's one-page method: the rules in short, and the glossary (term, meaning).
    method_short: tuple[str, ...] = ()
    glossary: tuple[tuple[str, str], ...] = ()
    #: Evidence-weighted score against total cost, per currency; None or no charts: nothing to draw.
    cost_chart: CostScoreChart | None = None


# --- building -----------------------------------------------------------------------------------


def default_decision(n_vendors: int) -> str:
    """The decision asked of the board when the user entered none."""
    if n_vendors == 1:
        return "Approve contract negotiations with the recommended vendor."
    return "Choose which AI vendor to take into contract negotiations, and on what conditions."


def format_date(date: dt.date) -> str:
    """A date as the brief prints it: 27 November 2026."""
    return f"{date.day} {date:%B %Y}"


def numbers_phrase(numbers: Iterable[int], conjunction: str = "and") -> str:
    """Condition numbers in words: '2', '2 and 4', '1–3 and 5' (a run of three or more as a range)."""
    nums = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]


def decision_owner(owner: str, role: str) -> str:
    """Who the resolution names: 'Jane Doe (Chief Procurement Officer)', 'Jane Doe', 'the CPO', 'the decision owner'."""
    owner, role = owner.strip(), role.strip()
    if owner and role:
        return f"{owner} ({role})"
    if owner:
        return owner
    return f"the {role}" if role else "the decision owner"


def _contract_clause(opts: BriefOptions) -> str:
    to = opts.contract_to.strip()
    by = f" by {format_date(opts.contract_by)}" if opts.contract_by is not None else ""
    if not to and not by:
        return ""
    return f"the final contract{' to ' + to if to else ''}{by}"


def draft_resolution(opts: BriefOptions, vendor: str | None, conditions: Sequence[ConditionRow]) -> str:
    """The resolution the board is asked to pass (or to note), in one sentence, from the ask and the verdict.

    'The board approves <owner (role)> to negotiate with <vendor> on conditions 1–N; the final contract to
    <contract-to> by <date>; if condition <the decisive ones: with a walk-away point or on a knock-out
    criterion> fails (or: if any condition fails), <negotiate with the fallback vendor instead | stop the
    procurement>.' A piece not given drops out; for information the board notes instead of approving; with
    no recommended vendor the board resolves not to proceed and to continue the evaluation (or to stop).
    """
    noting = opts.purpose == "information"
    who = decision_owner(opts.owner, opts.owner_role)
    if vendor is None:
        if opts.fallback_stop:
            return ("The board notes that no vendor is recommended and that the procurement stops." if noting
                    else "The board resolves not to proceed with any vendor and to stop the procurement.")
        report = "".join((f" to {opts.contract_to.strip()}" if opts.contract_to.strip() else "",
                          f" by {format_date(opts.contract_by)}" if opts.contract_by is not None else ""))
        report = f" and report{report}" if report else ""
        if noting:
            return f"The board notes that no vendor is recommended and that {who} continues the evaluation{report}."
        return (f"The board resolves not to proceed with any vendor now and asks {who} to continue the "
                f"evaluation{report}.")
    n = len(conditions)
    on = "" if not n else " on condition 1" if n == 1 else f" on conditions {numbers_phrase(range(1, n + 1))}"
    head = (f"The board notes that {who} will negotiate with {vendor}{on}" if noting
            else f"The board approves {who} to negotiate with {vendor}{on}")
    clauses = [head]
    contract = _contract_clause(opts)
    if contract:
        clauses.append(contract)
    fallback = opts.fallback_vendor.strip()
    if fallback or opts.fallback_stop:
        decisive = [c.number for c in conditions if c.decisive]
        if decisive:
            when = f"if condition {numbers_phrase(decisive, 'or')} fails"
        elif n:
            when = "if any condition fails"
        else:
            when = "if the negotiation fails"
        if opts.fallback_stop:
            then = "the procurement stops" if noting else "stop the procurement"
        else:
            then = f"{fallback} is the fallback" if noting else f"negotiate with {fallback} instead"
        clauses.append(f"{when}, {then}")
    return "; ".join(clauses) + "."


def condition_rows(records: Sequence[Condition], suggested: Sequence[str], recorded: Sequence[str] = (),
                   rubrics: Mapping[str, Rubric] | None = None) -> tuple[ConditionRow, ...]:
    """The recommended vendor's conditions as ONE numbered list.

    Its condition records, in their order, with their positions and owner (a record accepted from a
    proposal on a knock-out criterion is marked ``knockout``). When it has no records, the conditions the
    verdict lists (``suggested``): those among ``recorded`` (the vendor's recorded texts) as they are, the
    others marked ``proposed``. Numbered 1..N either way.
    """
    rubrics = rubrics or {}
    if records:
        rows = []
        for i, c in enumerate(sorted(records, key=lambda c: c.number), start=1):
            knockout = False
            parsed = parse_key(c.origin)
            if parsed is not None and parsed[1] in rubrics:
                try:
                    knockout = rubrics[parsed[1]].criterion(parsed[2]).knockout_below is not None
                except KeyError:
                    knockout = False
            rows.append(ConditionRow(i, c.text, c.current, c.target, c.walk_away, c.owner, knockout))
        return tuple(rows)
    own = {t.strip() for t in recorded}
    return tuple(ConditionRow(i, t.strip(), proposed=t.strip() not in own)
                 for i, t in enumerate((t for t in suggested if t.strip()), start=1))


PURPOSE_LABELS = {"decision": "For decision", "information": "For information"}


def document_control(opts: BriefOptions) -> tuple[tuple[str, str], ...]:
    """The cover's document-control rows: paper and version, meeting, agenda item, purpose, owner, author, date.

    Fields not given are left out; purpose and date are always there.
    """
    rows: list[tuple[str, str]] = []
    paper, version = opts.paper.strip(), opts.paper_version.strip()
    if paper or version:
        rows.append(("Paper", f"{paper}, version {version}" if paper and version else paper or f"Version {version}"))
    if opts.meeting_date is not None:
        rows.append(("Meeting", format_date(opts.meeting_date)))
    if opts.agenda_item.strip():
        rows.append(("Agenda item", opts.agenda_item.strip()))
    rows.append(("Purpose", PURPOSE_LABELS.get(opts.purpose, PURPOSE_LABELS["decision"])))
    owner = ", ".join(x for x in (opts.owner.strip(), opts.owner_role.strip()) if x)
    if owner:
        rows.append(("Decision owner", owner))
    if opts.author.strip():
        rows.append(("Author", opts.author.strip()))
    rows.append(("Date", format_date(opts.date)))
    return tuple(rows)


def describe_source(claim: Claim) -> str:
    """Where and when a claim was made, in one line."""
    parts = [claim.source_kind.replace("_", " ")]
    if claim.source.strip():
        parts.append(claim.source.strip())
    if claim.page.strip():
        parts.append(page_label(claim.page))
    if claim.said_on is not None:
        parts.append(claim.said_on.isoformat())
    if claim.said_to.strip():
        parts.append(f"to {claim.said_to.strip()}")
    return ", ".join(parts)


def describe_evidence(item: Evidence) -> str:
    """One evidence item in words: its kind and what identifies it."""
    if item.kind == EvidenceKind.FILE:
        what = item.title or item.original_name or "file"
        extra = f" ({item.original_name}, SHA-256 {(item.sha256 or '')[:12]})" if item.original_name else ""
        return f"File: {what}{extra if item.title else ''}"
    if item.kind == EvidenceKind.URL:
        return f"URL: {item.title + ' — ' if item.title else ''}{item.url}"
    text = item.title or item.note
    return f"Note: {text}" if text else "Note"


def claim_line(claim: Claim, evidence: Mapping[str, Evidence]) -> ClaimLine:
    """A claim with its source, status and the evidence linked to it."""
    items = [describe_evidence(evidence[e]) for e in claim.evidence_ids if e in evidence]
    ev = "; ".join(items) if items else "No evidence linked"
    return ClaimLine(claim.text, describe_source(claim), ClaimStatus(claim.status).label, ev, claim.status_note)


def describe_answer(score: Score, rubric: Rubric) -> str:
    """A score in words: 'Level 3 of 4 (Documented)', 'Not disclosed'."""
    if score.answer != Answer.LEVEL or score.level is None:
        return Answer(score.answer).label
    try:
        criterion = rubric.criterion(score.criterion_id)
        label = criterion.scale.describe(score.level).label
        text = f"Level {score.level} of {criterion.scale.top} ({label})"
    except (KeyError, IndexError):
        text = f"Level {score.level}"
    if score.strength is not None:
        text += f" — {EvidenceStrength(score.strength).label.lower()}"
    return text


def discount_list() -> str:
    """Each evidence strength with its factor, from ``DEFAULT_DISCOUNTS`` (the one place they are set):
    'sales assertion ×0.25, public documentation ×0.5, …'. Every text that states the factors uses this."""
    return ", ".join(f"{s.label.lower()} ×{DEFAULT_DISCOUNTS[s]:g}" for s in EvidenceStrength)


def _in_full_and_less() -> str:
    """'verified by us counts in full; third-party audit or certification ×0.9, …, sales assertion ×0.25':
    the glossary's words for the factors, from ``DEFAULT_DISCOUNTS``, strongest first."""
    full = [s.label.lower() for s in EvidenceStrength if DEFAULT_DISCOUNTS[s] >= 1.0]
    less = [f"{s.label.lower()} ×{DEFAULT_DISCOUNTS[s]:g}" for s in reversed(EvidenceStrength)
            if DEFAULT_DISCOUNTS[s] < 1.0]
    parts = [" or ".join(full) + " counts in full"] if full else []
    if less:
        parts.append(", ".join(less))
    return "; ".join(parts)


def scoring_rules() -> tuple[str, ...]:
    """The scoring rules in plain words (they mirror domain/scoring.py)."""
    discounts = discount_list()
    return (
        "Each criterion is answered with a level on an anchored scale (typically 0 to 4). The level is "
        "turned into a share of the top level (level 3 of 4 = 75%).",
        "An area's score is the weighted mean of those shares over its criteria, from 0 to 100. "
        "'Not applicable' drops a criterion out and the others are re-weighted; 'not disclosed' counts "
        "as the lowest level; 'disclosed: no' counts as the level the rubric sets for it.",
        "The claimed score takes every level at face value. The evidence-weighted score discounts each "
        f"level by the strength of the evidence behind it: {discounts}. A level resting on a "
        "contradicted claim, or only on claims the vendor declined to answer, counts as 0.",
        "The gap between the claimed and the evidence-weighted score is the claim-credibility gap: "
        "how much of the vendor's score rests on its own word.",
        "A knock-out criterion sets a minimum level; a vendor below it on any knock-out criterion is "
        "ranked after every vendor that passes, whatever its score.",
        "Before scoring, each vendor's engagement context is asked (whether the product uses a general-purpose "
        "AI model and whose, the vendor's role for personal data, what it generates, Annex III uses, markets, "
        "crawling or fine-tuning). A criterion the law reaches only in other contexts is not applicable for "
        "that vendor, whatever was scored: it drops out like any 'not applicable', never knocks out, and the "
        "vendor's page gives the reason. An unanswered question applies every criterion.",
        "The overall score is the weighted mean of the area scores under the weight profile. Vendors "
        "are ranked by their overall evidence-weighted score; equal scores share a rank.",
        "With several evaluators, an agreed score wins; otherwise the lower median of their levels "
        "counts. Agreement is the share of criteria on which all evaluators gave the same level, and "
        "Krippendorff's alpha (ordinal): 1 is perfect agreement, 0 no better than chance.",
        "Submitted scorecards count; drafts count only where nothing has been submitted.",
    )


#: Rationales that say only where the level came from in general words: they add nothing to the score.
BOILERPLATE_RATIONALES = frozenset({
    "from the documents reviewed", "as the linked claim shows", "the vendor did not disclose this",
    "not disclosed", "not applicable", "not applicable to this product", "see evidence", "see the evidence",
    "see above", "see documents", "as documented", "documented", "as stated", "as claimed", "per the vendor",
    "to this product", "for this product", "n/a", "na", "none", "ok", "tbd", "-", "—", "",
})


def says_something(rationale: str, answer: str = "", label: str = "") -> bool:
    """Whether a score's rationale tells the reader more than its score does.

    Empty text, or text that is only the level's label and/or a stock phrase such as "from the documents
    reviewed" or "as the linked claim shows" (the sample's and many teams' defaults), says nothing.
    """
    text = " ".join(rationale.split()).strip().casefold()
    for prefix in (label.casefold().strip(), answer.casefold().strip()):
        if prefix and text.startswith(prefix):
            text = text[len(prefix):].lstrip(" :;,.-—–")
    text = text.rstrip(" .!;:")
    return text not in BOILERPLATE_RATIONALES and text not in (label.casefold(), answer.casefold())


#: The words of the board pack, explained on its method page.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("Out of 100", "Every score is a share of the best possible answer, from 0 (nothing) to 100 (the top "
                   "level on every criterion)."),
    ("Claimed", "The score if every answer is taken at the vendor's word."),
    ("Evidence-weighted", "The score after discounting each answer by the evidence behind it: "
                          f"{_in_full_and_less()}. The ranking uses this score."),
    ("Gap", "Claimed minus evidence-weighted: how many points rest only on the vendor's own word."),
    ("Knocked out", "Below the minimum level on a must-have criterion: ranked after every vendor that "
                    "passes, whatever its score, and never recommended."),
    ("Keeps rank", "The share of 1,000 random weightings of the areas under which the vendor keeps its rank."),
)


def method_short() -> tuple[str, ...]:
    """The scoring rules in four sentences, for the pack's one-page method (the annex has them in full)."""
    discounts = discount_list()
    return (
        "Each criterion of a rubric is answered with a level on an anchored scale; an area's score is the "
        "weighted share of the top levels, from 0 to 100, and the overall score the weighted mean of the areas "
        "under the weight profile.",
        f"The evidence-weighted score discounts each level by the evidence behind it ({discounts}); a "
        "contradicted claim counts as 0.",
        "A vendor below the minimum of a knock-out criterion ranks after every vendor that passes (only vendors "
        "not scored at all come later). Where several evaluators scored, an agreed score wins, otherwise the "
        "lower median of their levels.",
        "A criterion the engagement context puts out of the law's reach is not applicable for that vendor.",
    )


def crosswalk_table(rubric: Rubric) -> CrosswalkTable | None:
    """The rubric's criteria with a crosswalk, as a compact table (None when no criterion has one)."""
    rows = tuple(CrosswalkRow(c.title, tuple(", ".join(c.crosswalk_ids(fw)) or "—" for fw in FRAMEWORKS))
                 for c in rubric.criteria if c.crosswalk)
    if not rows:
        return None
    return CrosswalkTable(rubric.id, rubric.title, rubric.version, tuple(FRAMEWORKS.values()), rows)


def crosswalk_titles(rubrics: Iterable[Rubric]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per framework, every id the rubrics' crosswalks use with its short title ('A.10.3 Suppliers')."""
    return tuple((FRAMEWORKS.get(fw, fw), tuple(f"{i} {t}" for i, t in refs))
                 for fw, refs in rubric_crosswalk_titles(rubrics).items())


def _level_label(score: Score, criterion: Criterion) -> str:
    """The label of a score's level ('Documented'), '' when it has none."""
    if score.answer != Answer.LEVEL or score.level is None:
        return ""
    try:
        return criterion.scale.describe(score.level).label
    except (KeyError, IndexError):
        return ""


def ranked_vendor(record: VendorRecord, rank: RankInput) -> RankedVendor:
    """A vendor of the brief as the verdict's input."""
    areas = tuple(AreaFacts(a.rubric, a.weight, a.score, a.scorecards) for a in record.areas)
    return RankedVendor(record.vendor, rank.rank, rank.score, rank.knocked_out, record.overall, areas,
                        record.claims, rank.stability)


def vendor_scores(record: VendorRecord) -> VendorScores:
    """A vendor of the brief as the sensitivity scenarios' input."""
    areas = tuple(AreaScores(a.rubric, a.weight, a.score, a.scores, a.scorecards, a.agreed) for a in record.areas)
    return VendorScores(record.vendor.id, record.vendor.name, areas, {c.id: c for c in record.claims},
                        record.context)


def how_sure(src: BriefInput, recommended_id: str | None) -> HowSure:
    """The ranking re-ranked under each scenario, the sentence, and the reasons the recommended vendor
    beats the best-ranked other vendor that passes the knock-outs, of its own product category when one is
    recorded (none when it does not rank above it)."""
    records = {v.vendor.id: v for v in src.vendors}
    ranked = [r for r in src.ranking if r.vendor_id in records]
    inputs = [vendor_scores(records[r.vendor_id]) for r in ranked]
    recommended = records[recommended_id].vendor.name if recommended_id in records else None
    result = sensitivity(inputs, stability={r.vendor_id: r.stability for r in ranked}, samples=src.samples,
                         recommended=recommended)
    rows = tuple(HowSureRow(s.label, s.leader_text, s.change_text) for s in result.scenarios)
    title = ""
    reasons: tuple[str, ...] = ()
    mine = next((r for r in ranked if r.vendor_id == recommended_id), None)
    others = [r for r in ranked if r.vendor_id != recommended_id]
    passing = [r for r in others if not r.knocked_out and r.score is not None]
    # the comparison is with a real alternative: the best-ranked passing vendor of the recommended one's
    # product category when categories are recorded ('Only vendors in the same category are real alternatives')
    category = {vid: cat.strip().casefold() for vid, cat, *_rest in src.cases if cat.strip()}
    own = category.get(recommended_id or "")
    same = [r for r in passing if own is not None and category.get(r.vendor_id) == own]
    runner = next(iter(same), None) or next(iter(passing), others[0] if others else None)
    if mine is not None and runner is not None and mine.rank < runner.rank:
        winner, second = vendor_scores(records[mine.vendor_id]), vendor_scores(records[runner.vendor_id])
        reasons = reasons_ahead(winner, second)
        apart = own is not None and runner.vendor_id in category and category[runner.vendor_id] != own
        title = (f"Why {winner.name} rather than {second.name}"
                 + (" (another product category: not a real alternative)" if apart else "")) if reasons else ""
    return HowSure(rows, result.sentence, title, reasons)


def build_brief(src: BriefInput) -> BriefData:
    """Compute the brief's content from the gathered data (pure: same input, same output)."""
    opts = src.options
    vendors = {v.vendor.id: v for v in src.vendors}
    # areas: every rubric any selected vendor was scored on, by area title then id
    rubric_by_id: dict[str, Rubric] = {}
    weight_by_id: dict[str, float] = {}
    for v in src.vendors:
        for a in v.areas:
            rubric_by_id.setdefault(a.rubric.id, a.rubric)
            weight_by_id.setdefault(a.rubric.id, a.weight)
    area_ids = sorted(rubric_by_id, key=lambda r: (rubric_by_id[r].area.casefold(), r))
    areas = tuple(Area(r, rubric_by_id[r].area) for r in area_ids)

    rows: list[RankRow] = []
    costs = dict(src.costs)
    claimed_by_area: dict[str, tuple[float | None, ...]] = {}
    for r in src.ranking:
        found = vendors.get(r.vendor_id)
        if found is None:
            continue
        v = found
        by_area = {a.rubric.id: a.score for a in v.areas}
        rows.append(
            RankRow(
                rank=r.rank,
                vendor=v.vendor.name,
                vendor_id=v.vendor.id,
                score=r.score,
                claimed=r.claimed,
                gap=score_gap(r.claimed, r.score),
                knocked_out=r.knocked_out,
                knockout_reasons=tuple(r.knockout_reasons),
                stability=r.stability,
                decision=Decision(v.vendor.decision).label,
                areas=tuple(by_area[a].evidence_weighted if a in by_area else None for a in area_ids),
                cost=costs.get(v.vendor.id, ""),
            )
        )
        claimed_by_area[v.vendor.id] = tuple(by_area[a].claimed if a in by_area else None for a in area_ids)

    # the verdict (who is recommended, the risks, the conditions) is the domain's, as on the Compare page
    verdict = decide_verdict([ranked_vendor(vendors[r.vendor_id], r) for r in src.ranking if r.vendor_id in vendors],
                             opts.date)
    rec = Recommendation(verdict.vendor, verdict.recorded, verdict.text, verdict.recorded_conditions)
    chosen = vendors.get(verdict.vendor_id) if verdict.vendor_id else None
    numbered = condition_rows(chosen.condition_records if chosen else (), verdict.conditions,
                              chosen.vendor.conditions if chosen else (), rubric_by_id)

    all_rubrics = [rubric_by_id[r] for r in area_ids]
    in_force, to_come = legal_duties(all_rubrics, opts.date)
    law = law_as_of(all_rubrics).describe(format_date) if all_rubrics else ""

    solidity = [t.strip() for t in src.solidity if t.strip()]
    if verdict.lead:
        solidity.append(verdict.lead)
    if not solidity:
        solidity.append("There is nothing to rank yet.")

    summary = Summary(
        decision_asked=opts.decision_asked.strip() or default_decision(len(rows)),
        recommendation=rec,
        ranking=tuple(rows[:MAX_SUMMARY_RANKS]),
        more_vendors=max(0, len(rows) - MAX_SUMMARY_RANKS),
        risks=verdict.risks,
        conditions=verdict.conditions,
        solidity=tuple(solidity),
    )

    rank_by_vendor = {row.vendor_id: row for row in rows}
    pages: list[VendorPage] = []
    appendix: list[AppendixClaim] = []
    rationales: list[Rationale] = []
    left_out = 0
    ordered = [vendors[row.vendor_id] for row in rows] + sorted(
        (v for v in src.vendors if v.vendor.id not in rank_by_vendor), key=lambda v: v.vendor.name.casefold()
    )
    for v in ordered:
        evidence = {e.id: e for e in v.evidence}
        claims = sorted(v.claims, key=lambda c: (c.said_on or dt.date.min, c.text, c.id))
        linked = {cid for a in v.areas for s in a.scores.values() for cid in s.claim_ids}
        key_pool = [c for c in claims if c.status != ClaimStatus.CONTRADICTED]
        key_pool.sort(key=lambda c: (c.id not in linked, not c.criteria))
        row = rank_by_vendor.get(v.vendor.id)
        pages.append(
            VendorPage(
                vendor_id=v.vendor.id,
                name=v.vendor.name,
                product=v.vendor.product,
                website=v.vendor.website,
                decision=Decision(v.vendor.decision).label,
                conditions=tuple(c for c in v.vendor.conditions if c.strip()),
                rank=row.rank if row else None,
                score=v.overall.evidence_weighted,
                claimed=v.overall.claimed,
                gap=score_gap(v.overall.claimed, v.overall.evidence_weighted),
                areas=tuple(
                    AreaLine(a.rubric.area, a.rubric.version, a.score.claimed, a.score.evidence_weighted,
                             score_gap(a.score.claimed, a.score.evidence_weighted), a.score.answered, a.score.total,
                             a.score.knocked_out)
                    for a in sorted(v.areas, key=lambda a: (a.rubric.area.casefold(), a.rubric.id))
                ),
                knockouts=tuple(ko.describe() for ko in v.overall.knockouts),
                contradicted=tuple(
                    claim_line(c, evidence) for c in claims if c.status == ClaimStatus.CONTRADICTED
                ),
                key_claims=tuple(claim_line(c, evidence) for c in key_pool[:MAX_KEY_CLAIMS]),
                more_claims=max(0, len(key_pool) - MAX_KEY_CLAIMS),
                context=tuple(answer_phrase(k, val) for k in QUESTIONS
                              if (val := v.context.get(k)) is not None),
                not_applicable=tuple(
                    f"{a.rubric.area} › {a.rubric.criterion(cr.criterion_id).title} — {cr.not_applicable_reason}"
                    for a in sorted(v.areas, key=lambda a: (a.rubric.area.casefold(), a.rubric.id))
                    for cr in a.score.criteria if cr.not_applicable_reason is not None
                ),
                public_record=v.public,
            )
        )
        appendix.extend(AppendixClaim(v.vendor.name, claim_line(c, evidence)) for c in claims)
        for a in sorted(v.areas, key=lambda a: a.rubric.id):
            ruled_out = {cr.criterion_id: cr.not_applicable_reason for cr in a.score.criteria
                         if cr.not_applicable_reason is not None}
            for card in sorted(a.scorecards, key=lambda c: (c.evaluator.casefold(), c.id)):
                for crit in a.rubric.criteria:
                    s = card.scores.get(crit.id)
                    if s is None:
                        continue
                    answer = describe_answer(s, a.rubric)
                    if not says_something(s.rationale, Answer(s.answer).label, _level_label(s, crit)):
                        left_out += 1
                        continue
                    if crit.id in ruled_out:  # what was scored does not count: say so, and why
                        answer = f"{answer} — does not count, {ruled_out[crit.id]}"
                    rationales.append(
                        Rationale(v.vendor.name, a.rubric.id, crit.title, card.evaluator, answer, s.rationale)
                    )

    agreement_lines = []
    for rid in area_ids:
        units: list[list[int]] = []
        evaluators: set[str] = set()
        flagged = 0
        for v in src.vendors:
            for a in v.areas:
                if a.rubric.id != rid:
                    continue
                evaluators.update(c.evaluator for c in a.scorecards)
                for spread in criterion_spreads(a.rubric, a.scorecards):
                    units.append(list(spread.levels.values()))
                    flagged += spread.flagged
        agreement_lines.append(
            AgreementLine(rid, tuple(sorted(evaluators, key=str.casefold)), percent_agreement(units),
                          krippendorff_alpha_ordinal(units), flagged)
        )

    methodology = Methodology(
        profile=opts.profile,
        rubrics=tuple(
            RubricLine(r, rubric_by_id[r].title, rubric_by_id[r].version, rubric_by_id[r].content_hash,
                       weight_by_id[r])
            for r in area_ids
        ),
        agreement=tuple(agreement_lines),
        rules=scoring_rules(),
        duties_in_force=in_force,
        duties_to_come=to_come,
        law=law,
        duties_soon=duties_soon(all_rubrics, opts.date),
        soon_until=format_date(opts.date + dt.timedelta(days=DUTY_SOON_DAYS)),
    )
    by_case = {c[0]: c for c in src.cases}
    cases = []
    for v in ordered:
        if v.vendor.id not in by_case:
            continue
        _vid, category, use_case, benefit, claim_id = by_case[v.vendor.id]
        claim = next((c for c in v.claims if c.id == claim_id), None) if claim_id else None
        cases.append(CaseLine(v.vendor.name, category, use_case, benefit,
                              claim_line(claim, {e.id: e for e in v.evidence}) if claim else None))
    title = opts.title.strip() or DEFAULT_TITLE
    header = f"{opts.organisation.strip()} · {title}" if opts.organisation.strip() else title
    return BriefData(
        cover=Cover(opts.organisation.strip(), opts.logo, title, format_date(opts.date), CONFIDENTIAL, law,
                    document_control(opts)),
        summary=summary,
        comparison=Comparison(areas, tuple(rows), claimed_by_area),
        vendors=tuple(pages),
        methodology=methodology,
        claims=tuple(appendix),
        rationales=tuple(rationales),
        fingerprint=src.fingerprint,
        date=opts.date,
        header=header,
        crosswalks=tuple(t for t in (crosswalk_table(r) for r in all_rubrics) if t is not None),
        crosswalk_titles=crosswalk_titles(all_rubrics),
        risk_register=risk_lines(src.risks),
        cases=tuple(cases),
        alternatives=alternatives_sentence(cases),
        how_sure=how_sure(src, verdict.vendor_id),
        resolution=draft_resolution(opts, verdict.vendor, numbered),
        conditions=numbered,
        recommended_id=verdict.vendor_id,
        signals=src.signals,
        rationales_left_out=left_out,
        method_short=method_short(),
        glossary=GLOSSARY,
        cost_chart=src.cost_chart if src.cost_chart is not None and src.cost_chart.charts else None,
    )
