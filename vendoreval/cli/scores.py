"""`vendoreval scores`: every scorecard's claimed and evidence-weighted score."""

from __future__ import annotations

import argparse
from typing import Any

from .common import EXIT_OK, Context, fmt, print_json, print_table


def register(sub: Any) -> None:
    """Add the `scores` subcommand."""
    p = sub.add_parser("scores", help="each scorecard's claimed and evidence-weighted score")
    p.add_argument("--json", action="store_true", help="print a JSON array, one object per scorecard")
    p.add_argument("--rubric", metavar="ID", help="only scorecards of this rubric")
    p.add_argument("--vendor", metavar="NAME", help="only this vendor's scorecards")
    p.set_defaults(func=cmd_scores)


def cmd_scores(ctx: Context, args: argparse.Namespace) -> int:
    """Print scorecard totals."""
    vendor_id = ctx.ws.vendors.find(args.vendor).id if args.vendor else None
    if args.rubric and args.rubric not in ctx.ws.library.ids():
        from .common import CliError

        raise CliError(f"--rubric: no rubric '{args.rubric}' (known: {', '.join(ctx.ws.library.ids())})")
    totals = ctx.ws.totals.scorecard_totals(rubric_id=args.rubric, vendor_id=vendor_id)
    if args.json:
        print_json([t.as_json() for t in totals])
        return EXIT_OK
    print_table(
        ["VENDOR", "RUBRIC", "VERSION", "EVALUATOR", "STATUS", "CLAIMED", "SCORE", "SCORED", "KNOCKED OUT"],
        [[t.vendor.name, t.rubric.id, t.rubric.version, t.card.evaluator, t.card.status, fmt(t.score.claimed),
          fmt(t.score.evidence_weighted), f"{t.score.answered}/{t.score.total}",
          "; ".join(k.reason for k in t.score.knockouts)] for t in totals],
    )
    return EXIT_OK
