"""`vendoreval decide VENDOR DECISION [--condition TEXT ...]`: record go / go with conditions / no-go."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.models import Decision
from .common import EXIT_OK, CliError, Context


def register(sub: Any) -> None:
    """Add the `decide` subcommand."""
    p = sub.add_parser("decide", help="record the decision on a vendor and the conditions to negotiate")
    p.add_argument("vendor", metavar="VENDOR", help="vendor name")
    p.add_argument("decision", choices=[d.value for d in Decision], metavar="DECISION",
                   help="one of: " + ", ".join(d.value for d in Decision))
    p.add_argument("--condition", metavar="TEXT", action="append", default=None,
                   help="a condition to negotiate (repeat; replaces the current list)")
    p.add_argument("--clear-conditions", action="store_true", help="remove every condition (go and no_go take none)")
    p.set_defaults(func=cmd_decide)


def cmd_decide(ctx: Context, args: argparse.Namespace) -> int:
    """Record the decision (validated and audit-logged by the vendor service)."""
    if args.condition and args.clear_conditions:
        raise CliError("--condition and --clear-conditions cannot be used together")
    vendor = ctx.ws.vendors.find(args.vendor)
    conditions = [] if args.clear_conditions else args.condition
    # the vendor service refuses a decision its conditions do not fit (a UserError: exit 2)
    updated = ctx.ws.vendors.decide(vendor.id, Decision(args.decision), conditions)
    line = f"{updated.name}: {Decision(updated.decision).label}"
    if updated.conditions:
        line += "\n" + "\n".join(f"  - {c}" for c in updated.conditions)
    print(line)
    return EXIT_OK
