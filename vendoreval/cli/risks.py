"""`vendoreval risks list|set`: the derived risk register, and the owner, mitigation and ratings written on it."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.risks import KINDS, Risk, RiskError
from ..services.risks import evaluation_vendor
from .common import EXIT_OK, CliError, Context, print_json, print_table

_OPTIONS = {"owner": "--owner", "mitigation": "--mitigation", "residual": "--residual", "impact": "--impact",
            "likelihood": "--likelihood", "kind": "KIND", "criterion": "--criterion"}


def register(sub: Any) -> None:
    """Add the `risks` subcommands."""
    p = sub.add_parser("risks", help="the risk register: derived risks with owners and mitigations")
    rs = p.add_subparsers(dest="risks_command", metavar="ACTION", required=True)
    ls = rs.add_parser("list", help="the risks of the compared vendors, highest impact x likelihood first")
    ls.add_argument("vendor", metavar="VENDOR", nargs="?", help="one vendor's risks ('-': doing nothing)")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=cmd_list)
    st = rs.add_parser(
        "set", help="write the owner, mitigation, residual risk or ratings of a listed risk",
        description=f"KIND is one of: {', '.join(KINDS)}. VENDOR '-' is the evaluation as a whole (do_nothing). "
                    "What you write stays with the risk's cause: when the cause goes the risk is no longer "
                    "listed, and it returns with your text if the cause returns.")
    st.add_argument("vendor", metavar="VENDOR")
    st.add_argument("kind", metavar="KIND")
    st.add_argument("--criterion", metavar="ID", default="", help="the risk's criterion, as listed (rubric/criterion)")
    st.add_argument("--owner", metavar="NAME")
    st.add_argument("--mitigation", metavar="TEXT")
    st.add_argument("--residual", metavar="TEXT", help="the risk left after the mitigation")
    st.add_argument("--impact", metavar="1-5", help="impact 1..5 ('' returns to the default)")
    st.add_argument("--likelihood", metavar="1-5", help="likelihood 1..5 ('' returns to the default)")
    st.set_defaults(func=cmd_set)


def _vendor_id(ctx: Context, ref: str) -> str:
    vid = evaluation_vendor(ref)
    return vid and ctx.ws.vendors.find(ref).id


def _print(risks: list[Risk]) -> None:
    if not risks:
        print("No risks listed.")
        return
    print_table(["Kind", "Vendor", "Criterion", "I", "L", "Owner", "Mitigation", "Residual", "Cause"],
                [[r.kind, r.vendor or "(evaluation)", r.criterion, r.impact, r.likelihood, r.owner, r.mitigation,
                  r.residual, r.cause] for r in risks])


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """Print the register."""
    risks = ctx.ws.risks.list()
    if args.vendor is not None:
        vid = _vendor_id(ctx, args.vendor)
        risks = [r for r in (ctx.ws.risks.list(vid) if vid else risks) if r.vendor_id == vid]
    if args.json:
        print_json({"risks": [r.as_json() for r in risks]})
    else:
        _print(risks)
    return EXIT_OK


def cmd_set(ctx: Context, args: argparse.Namespace) -> int:
    """Write on one listed risk (checked before anything is stored)."""
    values = {f: getattr(args, f) for f in ("owner", "mitigation", "residual", "impact", "likelihood")
              if getattr(args, f) is not None}
    if not values:
        raise CliError("give at least one of --owner, --mitigation, --residual, --impact, --likelihood")
    vid = _vendor_id(ctx, args.vendor)
    try:
        risk = ctx.ws.risks.set(vid, args.kind, args.criterion.strip(), **values)
    except RiskError as exc:
        option = _OPTIONS.get(exc.field or "", exc.field or "")
        raise CliError(f"{option}: {exc}; nothing was changed") from None
    _print([risk])
    return EXIT_OK
