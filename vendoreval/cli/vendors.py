"""`vendoreval vendors list|add`: the vendors in the workspace."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.models import Decision
from .common import EXIT_OK, Context, fmt, print_json, print_table


def register(sub: Any) -> None:
    """Add the `vendors` subcommands."""
    p = sub.add_parser("vendors", help="list or add vendors")
    vs = p.add_subparsers(dest="vendors_command", metavar="ACTION", required=True)
    lp = vs.add_parser("list", help="vendors with decision and overall score")
    lp.add_argument("--json", action="store_true", help="print JSON")
    lp.add_argument("--archived", action="store_true", help="include archived vendors")
    lp.set_defaults(func=cmd_list)
    ap = vs.add_parser("add", help="add a vendor")
    ap.add_argument("name")
    ap.add_argument("--product", default="")
    ap.add_argument("--website", default="")
    ap.add_argument("--description", default="")
    ap.set_defaults(func=cmd_add)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """List vendors."""
    totals = {t.vendor.id: t for t in ctx.ws.totals.vendor_totals(include_archived=args.archived)}
    vendors = ctx.ws.vendors.list(include_archived=args.archived)
    rows: list[dict[str, Any]] = []
    for v in vendors:
        t = totals.get(v.id)
        rows.append({
            "id": v.id, "name": v.name, "product": v.product, "decision": str(v.decision),
            "archived": v.archived,
            "overall": _r(t.overall.evidence_weighted) if t else None,
            "claimed": _r(t.overall.claimed) if t else None,
            "knocked_out": bool(t and t.overall.knocked_out),
        })
    if args.json:
        print_json(rows)
    else:
        print_table(
            ["NAME", "PRODUCT", "DECISION", "SCORE", "CLAIMED", "KNOCKED OUT"],
            [[r["name"], r["product"], Decision(r["decision"]).label, fmt(r["overall"]), fmt(r["claimed"]),
              "yes" if r["knocked_out"] else ""] for r in rows],
        )
    return EXIT_OK


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    """Add a vendor."""
    v = ctx.ws.vendors.create(args.name, product=args.product, website=args.website, description=args.description)
    print(v.id)
    return EXIT_OK
