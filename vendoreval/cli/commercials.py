"""`vendoreval commercials set|show`: a vendor's pricing, costs, term, renewal and notice, and the total cost."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.commercials import FIELDS, LABELS, Commercials, CommercialsError
from .common import EXIT_OK, CliError, Context, print_json

#: The option that sets each field (error messages name the option the user typed).
OPTIONS = {
    "pricing_model": "--pricing-model",
    "one_off": "--one-off",
    "annual": "--annual-cost",
    "exit_cost": "--exit-cost",
    "currency": "--currency",
    "term_months": "--term-months",
    "renewal": "--renewal",
    "notice_months": "--notice-months",
    "category": "--category",
    "use_case": "--use-case",
    "benefit": "--benefit",
    "benefit_claim": "--benefit-claim",
}


def register(sub: Any) -> None:
    """Add the `commercials` subcommands."""
    p = sub.add_parser("commercials", help="a vendor's commercial terms and total cost over the term")
    cs = p.add_subparsers(dest="commercials_command", metavar="ACTION", required=True)
    st = cs.add_parser(
        "set", help="record terms (an empty value, e.g. --exit-cost '', clears one)",
        description="Record a vendor's commercial terms; the ones not given keep their values. Amounts are "
                    "digits with an optional decimal point (1200.50), never converted between currencies. "
                    "Total cost over the term = one-off + annual x term months / 12 + exit cost.")
    st.add_argument("vendor", metavar="VENDOR")
    st.add_argument("--pricing-model", metavar="TEXT", dest="pricing_model",
                    help="how the price is made up, e.g. 'per seat per month'")
    st.add_argument("--annual-cost", metavar="N", dest="annual", help="the recurring cost per year")
    st.add_argument("--one-off", metavar="N", dest="one_off", help="set-up and other one-off costs")
    st.add_argument("--exit-cost", metavar="N", dest="exit_cost", help="what leaving costs (data export, migration)")
    st.add_argument("--currency", metavar="CODE", help="ISO 4217 code of the amounts, e.g. EUR")
    st.add_argument("--term-months", metavar="N", dest="term_months", help="the contract term in months")
    st.add_argument("--renewal", metavar="auto|manual", help="does the contract renew automatically")
    st.add_argument("--notice-months", metavar="N", dest="notice_months", help="notice period in months")
    case = st.add_argument_group("business case", "why this vendor, in words (the board brief prints it)")
    case.add_argument("--category", metavar="TEXT",
                      help="the product category, e.g. 'copywriting assistant' (vendors in different categories "
                           "are not real alternatives)")
    case.add_argument("--use-case", metavar="TEXT", dest="use_case", help="what we would use the product for")
    case.add_argument("--benefit", metavar="TEXT", help="the benefit we expect, in words and figures")
    case.add_argument("--benefit-claim", metavar="CLAIM", dest="benefit_claim",
                      help="the id (or its first 6+ characters) of the vendor's claim the benefit rests on")
    st.set_defaults(func=cmd_set)
    sp = cs.add_parser("show", help="the terms and the total cost over the term")
    sp.add_argument("vendor", metavar="VENDOR")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.set_defaults(func=cmd_show)


def _show(name: str, c: Commercials, as_json: bool, claim_text: str = "") -> None:
    if as_json:
        print_json({"vendor": name, **c.as_json()})
        return
    print(f"Commercial terms of {name}")
    width = max(len(LABELS[f]) for f in FIELDS)
    for f in FIELDS:
        text = c.field_text(f) or "not recorded"
        if f == "benefit_claim" and c.benefit_claim:
            text = f"{c.benefit_claim[:8]} \u201c{claim_text[:80]}\u201d"
        print(f"  {LABELS[f].ljust(width)}  {text}")
    total = c.total()
    if total is None:
        print(f"  {'total cost'.ljust(width)}  none: {c.total_problem()}")
    else:
        note = " (rounded)" if total.rounded else ""
        print(f"  {'total cost'.ljust(width)}  {total.text()}{note} over {c.term_months or 0} months")


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Print a vendor's terms."""
    vendor = ctx.ws.vendors.find(args.vendor)
    terms = ctx.ws.commercials.get(vendor.id)
    _show(vendor.name, terms, args.json, _claim_text(ctx, terms))
    return EXIT_OK


def cmd_set(ctx: Context, args: argparse.Namespace) -> int:
    """Record terms (every value is checked before any is stored)."""
    values = {f: getattr(args, f) for f in FIELDS if getattr(args, f) is not None}
    if not values:
        raise CliError("give at least one term to set: " + ", ".join(OPTIONS.values()))
    vendor = ctx.ws.vendors.find(args.vendor)
    try:
        record = ctx.ws.commercials.set(vendor.id, values)
    except CommercialsError as exc:
        option = OPTIONS.get(exc.field or "", exc.field or "")
        reason = str(exc).removeprefix(f"{LABELS.get(exc.field or '', '')}: ")
        raise CliError(f"{option}: {reason}; nothing was changed") from None
    _show(vendor.name, record, False, _claim_text(ctx, record))
    return EXIT_OK


def _claim_text(ctx: Context, c: Commercials) -> str:
    """The words of the claim the benefit rests on ('' when none is chosen)."""
    return ctx.ws.claims.get(c.benefit_claim).text if c.benefit_claim else ""
