"""`vendoreval compare`: vendors side by side under a weight profile, with the sensitivity figures."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..domain.analysis import whole_percents
from ..domain.models import Decision
from ..domain.scoring import score_gap
from ..services.comparison import ComparisonService, comparison_json, cost_text
from .common import EXIT_OK, CliError, Context, fmt, print_json, print_table

if TYPE_CHECKING:
    pass


def register(sub: Any) -> None:
    """Add the `compare` subcommand."""
    p = sub.add_parser("compare", help="rank vendors side by side, with how solid the ranking is")
    p.add_argument("--vendor", metavar="NAME", action="append", default=None,
                   help="a vendor to compare (repeat; default: every vendor that is not archived)")
    p.add_argument("--rubric", metavar="ID", action="append", default=None,
                   help="a rubric to count (repeat; default: every rubric the vendors were scored on)")
    p.add_argument("--profile", metavar="NAME", help="weight profile (default: balanced)")
    p.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table", help="output format")
    p.add_argument("--out", metavar="PATH", help="write to this file (required for xlsx)")
    p.add_argument("--samples", type=int, default=1000, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_compare)


def cmd_compare(ctx: Context, args: argparse.Namespace) -> int:
    """Compare vendors and print or write the result."""
    from ..services.public_record import public_records

    ws = ctx.ws
    vendor_ids = [ws.vendors.find(name).id for name in args.vendor] if args.vendor else None
    if args.samples < 1000:
        raise CliError("--samples: at least 1000 random weightings are used")
    service = ComparisonService(ws)
    comparison = service.compare(vendor_ids, args.rubric, args.profile, samples=args.samples)
    if args.format == "xlsx" and not args.out:
        raise CliError("--format xlsx needs --out PATH (a workbook cannot go to the terminal)")
    if args.format in ("csv", "xlsx") and args.out:
        path = service.export(comparison, args.out, args.format)
        print(f"Wrote {path}", file=sys.stderr)
        return EXIT_OK
    if args.format == "csv":
        from ..exchange.comparison_export import comparison_csv

        sys.stdout.write(comparison_csv(comparison))
        return EXIT_OK
    if args.format == "json":
        data = comparison_json(comparison)
        public = public_records(ws, [r["vendor_id"] for r in data["ranking"]])
        for row in data["ranking"]:
            row.update(public[row["vendor_id"]].as_json())
        if args.out:
            import json

            from ..files import write_text_atomic

            write_text_atomic(args.out, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            return EXIT_OK
        print_json(data)
        return EXIT_OK
    if not comparison.ranking:
        print("No vendors to compare.")
        return EXIT_OK
    percents = whole_percents(comparison.shares)  # they add up to 100 %, as on the Compare page
    print(f"Weight profile: {comparison.profile_name}   "
          + "   ".join(f"{comparison.rubric_titles.get(r, r)} {s} %" for r, s in percents.items()))
    print()
    print_table(
        ["RANK", "VENDOR", "SCORE", "TOTAL COST", "CLAIMED", "GAP", "STABLE", "DECISION", "KNOCKED OUT"],
        [[r.rank, r.name, fmt(r.overall), cost_text(comparison.total_costs.get(r.vendor_id)), fmt(r.claimed),
          fmt(score_gap(r.claimed, r.overall)),
          "—" if r.rank_stability is None else f"{100 * r.rank_stability:.0f} %",
          Decision(r.decision).label if r.decision in Decision._value2member_map_ else r.decision,
          "; ".join(r.knockout_reasons)] for r in comparison.ranking],
    )
    if comparison.stability_sentences:
        print()
        for s in comparison.stability_sentences:
            print(s)
    public = public_records(ws, [r.vendor_id for r in comparison.ranking])
    notes = []
    for r in comparison.ranking:
        bits = public[r.vendor_id].notes()
        if bits:
            notes.append(f"{r.name}: " + "; ".join(bits))
    if notes:
        print()
        for n in notes:
            print(n)
    return EXIT_OK
