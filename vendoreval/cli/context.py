"""`vendoreval context show|set`: a vendor's engagement context, the questions asked before scoring."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.context import QUESTIONS, allowed_text, answer_text
from ..services.contexts import parse_assignments
from .common import EXIT_OK, Context, print_json


def register(sub: Any) -> None:
    """Add the `context` subcommands."""
    keys = ", ".join(QUESTIONS)
    p = sub.add_parser("context", help="a vendor's engagement context: which criteria apply")
    cs = p.add_subparsers(dest="context_command", metavar="ACTION", required=True)
    sp = cs.add_parser("show", help="the answers, and the criteria they make not applicable")
    sp.add_argument("vendor", metavar="VENDOR")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.set_defaults(func=cmd_show)
    st = cs.add_parser(
        "set", help="answer questions: KEY=VALUE ... (VALUE 'unset' clears one)",
        description=f"Answer engagement-context questions. Keys: {keys}. "
                    + " ".join(f"{k} takes {allowed_text(k)}." for k in QUESTIONS))
    st.add_argument("vendor", metavar="VENDOR")
    st.add_argument("answers", metavar="KEY=VALUE", nargs="+",
                    help="e.g. gpai-model=none personal-data=controller markets=eu,us-ca generates=none")
    st.set_defaults(func=cmd_set)


def _show(ctx: Context, vendor_name: str, as_json: bool) -> None:
    vendor = ctx.ws.vendors.find(vendor_name)
    context = ctx.ws.contexts.get(vendor.id)
    record = ctx.ws.contexts.record(vendor.id)
    ruled_out = ctx.ws.contexts.ruled_out(context)
    if as_json:
        print_json({
            "vendor": vendor.name,
            "vendor_id": vendor.id,
            "answers": context.as_json(),
            "unanswered": [k for k in QUESTIONS if context.get(k) is None],
            "updated_at": record.updated_at if record is not None else None,
            "not_applicable": {f"{r.id}/{c.id}": reason for r, c, reason in ruled_out},
        })
        return
    print(f"Engagement context of {vendor.name}")
    shown = {k: ("unanswered" if (v := context.get(k)) is None else answer_text(k, v)) for k in QUESTIONS}
    width, answer_width = max(len(k) for k in QUESTIONS), max(len(v) for v in shown.values())
    for key, question in QUESTIONS.items():
        print(f"  {key.ljust(width)}  {shown[key].ljust(answer_width)}  {question}")
    print("(an unanswered question applies every criterion it decides)")
    if ruled_out:
        print(f"\nNot applicable under this context ({len(ruled_out)}):")
        ref_width = max(len(f"{r.id}/{c.id}") for r, c, _ in ruled_out)
        for r, c, reason in ruled_out:
            print(f"  {f'{r.id}/{c.id}'.ljust(ref_width)}  {reason}")
    else:
        print("\nEvery criterion applies.")


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Print a vendor's answers and what they rule out."""
    _show(ctx, args.vendor, args.json)
    return EXIT_OK


def cmd_set(ctx: Context, args: argparse.Namespace) -> int:
    """Answer questions (every answer is checked before any is stored)."""
    vendor = ctx.ws.vendors.find(args.vendor)
    answers = parse_assignments(args.answers)
    ctx.ws.contexts.set(vendor.id, answers)
    _show(ctx, vendor.name, False)
    return EXIT_OK
