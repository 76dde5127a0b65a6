"""`vendoreval consensus show|agree|clear`: where evaluators differ, and the agreed scores."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.models import Answer
from ..domain.text import plural
from ..services.consensus import ConsensusService
from ..services.scorecards import describe_score
from .common import EXIT_OK, CliError, Context, print_json, print_table


def register(sub: Any) -> None:
    """Add the `consensus` subcommands."""
    p = sub.add_parser("consensus", help="evaluators side by side: spreads, agreement, agreed scores")
    cs = p.add_subparsers(dest="consensus_command", metavar="ACTION", required=True)
    sp = cs.add_parser("show", help="each evaluator's level per criterion, the spread and agreement")
    sp.add_argument("vendor", metavar="VENDOR")
    sp.add_argument("--rubric", metavar="ID", help="one rubric (default: every rubric the vendor is scored on)")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.set_defaults(func=cmd_show)
    ap = cs.add_parser("agree", help="record the agreed score of one criterion, with its rationale")
    ap.add_argument("vendor", metavar="VENDOR")
    ap.add_argument("criterion", metavar="RUBRIC:CRITERION")
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--level", type=int)
    group.add_argument("--answer", choices=[a.value for a in Answer if a != Answer.LEVEL])
    ap.add_argument("--rationale", required=True, help="why the evaluators settled on it")
    ap.set_defaults(func=cmd_agree)
    clp = cs.add_parser("clear", help="remove an agreed score")
    clp.add_argument("vendor", metavar="VENDOR")
    clp.add_argument("criterion", metavar="RUBRIC:CRITERION")
    clp.set_defaults(func=cmd_clear)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def _alpha(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Print the consensus table of a vendor."""
    svc = ConsensusService(ctx.ws)
    vendor = ctx.ws.vendors.find(args.vendor)
    rubrics = [r.id for r in svc.rubrics_for(vendor.id)]
    if args.rubric:
        if args.rubric not in rubrics:
            raise CliError(f"--rubric: {vendor.name} has no scorecard against '{args.rubric}' "
                           f"(scored: {', '.join(rubrics) or 'none'})")
        rubrics = [args.rubric]
    out = []
    for rid in rubrics:
        c = svc.for_vendor(vendor.id, rid)
        if args.json:
            out.append({
                "rubric": c.rubric.id, "version": c.rubric.version, "evaluators": list(c.evaluators),
                "percent_agreement": c.agreement.percent, "alpha": c.agreement.alpha,
                "criteria": [{
                    "criterion": r.criterion.id,
                    "answers": {e: (describe_score(s) if s else "unscored") for e, s in r.answers.items()},
                    "levels": {e: s.level for e, s in r.answers.items() if s is not None and s.level is not None},
                    "spread": r.spread, "flagged": r.flagged,
                    "agreed": describe_score_agreed(r.agreed), "rationale": r.agreed.rationale if r.agreed else None,
                    "not_applicable_reason": r.not_applicable_reason,
                    "team_disagreement": list(r.team_disagreement),
                } for r in c.rows],
            })
            continue
        print(f"{c.rubric.title} {c.rubric.version} — {vendor.name}")
        print(f"Percent agreement {_pct(c.agreement.percent)}, Krippendorff's alpha (ordinal) "
              f"{_alpha(c.agreement.alpha)}, {plural(len(c.flagged), 'criterion')} two or more levels apart")
        print_table(
            ["CRITERION", *c.evaluators, "SPREAD", "FLAG", "AGREED"],
            [[r.criterion.id,
              *[(str(s.level) if s is not None and s.level is not None else describe_score(s)) for s in
                r.answers.values()],
              "—" if r.spread is None else r.spread, "DIFFER ≥2" if r.flagged else "",
              (describe_score_agreed(r.agreed) or r.not_applicable_reason or "")
              + (" TEAM DISAGREES" if r.team_disagreement else "")] for r in c.rows],
        )
        for r in c.rows:
            for line in r.team_disagreement:
                print(f"The team disagrees on the agreed score of {r.criterion.id}: {line}")
        print()
    if args.json:
        print_json(out)
    return EXIT_OK


def describe_score_agreed(agreed: Any) -> str | None:
    """An agreed score in words, or None."""
    if agreed is None:
        return None
    return f"level {agreed.level}" if agreed.level is not None else Answer(agreed.answer).label.lower()


def _split(ref: str) -> tuple[str, str]:
    rubric_id, sep, criterion_id = ref.partition(":")
    if not sep or not rubric_id or not criterion_id:
        raise CliError(f"'{ref}' is not of the form RUBRIC:CRITERION")
    return rubric_id, criterion_id


def cmd_agree(ctx: Context, args: argparse.Namespace) -> int:
    """Record an agreed score."""
    vendor = ctx.ws.vendors.find(args.vendor)
    rubric_id, criterion_id = _split(args.criterion)
    answer = Answer.LEVEL if args.level is not None else Answer(args.answer)
    svc = ConsensusService(ctx.ws)
    agreed = svc.agree(vendor.id, rubric_id, criterion_id, answer, level=args.level, rationale=args.rationale)
    print(f"Agreed {rubric_id}:{criterion_id} for {vendor.name}: {describe_score_agreed(agreed)}")
    for d in svc.team_disagreements(vendor.id):
        if (d.rubric_hash, d.criterion_id) == (agreed.rubric_hash, criterion_id):
            print(f"Note: {d.line}")
    return EXIT_OK


def cmd_clear(ctx: Context, args: argparse.Namespace) -> int:
    """Remove an agreed score."""
    vendor = ctx.ws.vendors.find(args.vendor)
    rubric_id, criterion_id = _split(args.criterion)
    ConsensusService(ctx.ws).clear(vendor.id, rubric_id, criterion_id)
    return EXIT_OK
