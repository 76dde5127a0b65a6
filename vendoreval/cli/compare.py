"""`vendoreval compare`: vendors side by side under a weight profile, with the sensitivity figures."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..domain.models import Decision
from ..services.comparison import ComparisonService, comparison_json, cost_text
from .common import EXIT_OK, CliError, Context, fmt, print_json, print_table

if TYPE_CHECKING:
    from ..services.workspace import Workspace


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


def public_record(ws: Workspace, vendor_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per vendor: its stale claims and evidence (as of today), the FMTI baseline of each third-party model
    provider, and the claims the public record contradicts."""
    from ..domain.supply_chain import own_model_contradictions, provider_baselines
    from ..services.ageing import AgeingService, today
    from ..services.supply_chain import SupplyChainService, developer_aliases, relevance

    as_of = today()
    chain = SupplyChainService(ws)
    due = [i for i in AgeingService(ws).due(as_of, vendor_ids) if i.stale(as_of)]  # one pass for all vendors
    baselines = chain.baselines()  # read once, not per vendor
    out: dict[str, dict[str, Any]] = {}
    for vid in vendor_ids:
        stale = [i for i in due if i.vendor_id == vid]
        models = chain.models(vid)
        public = provider_baselines(models, baselines, developer_aliases(), relevance())
        claims = [(c.id, c.text) for c in ws.store.claims(vid)]
        out[vid] = {
            "stale": {kind: [{"id": i.item_id, "title": i.title, "due_on": i.due_on.isoformat(), "reason": i.reason}
                             for i in stale if i.kind == kind] for kind in ("claim", "evidence")},
            "reassessment_due": any(i.kind == "vendor" for i in stale),
            "fmti": [{"provider": b.model.provider, "model": b.model.model, "developer": b.latest.developer,
                      "edition": b.latest.edition, "score": b.latest.total, "out_of": b.latest.out_of}
                     for b in public if b.latest is not None],
            "contradictions": [c.sentence for c in own_model_contradictions(claims, models, public)],
        }
    return out


def cmd_compare(ctx: Context, args: argparse.Namespace) -> int:
    """Compare vendors and print or write the result."""
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
        public = public_record(ws, [r["vendor_id"] for r in data["ranking"]])
        for row in data["ranking"]:
            row.update(public[row["vendor_id"]])
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
    print(f"Weight profile: {comparison.profile_name}   "
          + "   ".join(f"{comparison.rubric_titles.get(r, r)} {s:.0f} %" for r, s in comparison.shares.items()))
    print()
    print_table(
        ["RANK", "VENDOR", "SCORE", "TOTAL COST", "CLAIMED", "GAP", "STABLE", "DECISION", "KNOCKED OUT"],
        [[r.rank, r.name, fmt(r.overall), cost_text(comparison.total_costs.get(r.vendor_id)), fmt(r.claimed),
          fmt(r.gap),
          "—" if r.rank_stability is None else f"{100 * r.rank_stability:.0f} %",
          Decision(r.decision).label if r.decision in Decision._value2member_map_ else r.decision,
          "; ".join(r.knockout_reasons)] for r in comparison.ranking],
    )
    if comparison.stability_sentences:
        print()
        for s in comparison.stability_sentences:
            print(s)
    public = public_record(ws, [r.vendor_id for r in comparison.ranking])
    notes = []
    for r in comparison.ranking:
        p = public[r.vendor_id]
        bits = [f"built on {f['provider']} {f['model']} (FMTI {f['edition'][:4]}: {f['score']}/{f['out_of']})"
                for f in p["fmti"]]
        stale = len(p["stale"]["claim"]) + len(p["stale"]["evidence"])
        if stale:
            bits.append(f"{stale} stale item{'s' if stale != 1 else ''}")
        if p["reassessment_due"]:
            bits.append("reassessment due")
        bits.extend(p["contradictions"])
        if bits:
            notes.append(f"{r.name}: " + "; ".join(bits))
    if notes:
        print()
        for n in notes:
            print(n)
    return EXIT_OK
