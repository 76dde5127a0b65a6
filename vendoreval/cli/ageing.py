"""`vendoreval due`, `vendoreval dates evidence|claim|cadence …` and `vendoreval recheck list|confirm`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from ..domain.ageing import DateRuleError, parse_date
from ..domain.text import plural
from ..services.ageing import AgeingService, today
from .common import EXIT_OK, CliError, Context, print_json, print_table


def register(sub: Any) -> None:
    """Add the `due`, `dates` and `recheck` subcommands."""
    p = sub.add_parser("due", help="what needs a look: stale or soon-due evidence, claims and reassessments")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day to judge staleness on (default: today)")
    p.add_argument("--vendor", metavar="VENDOR", action="append", help="only this vendor (repeatable)")
    p.add_argument("--all", action="store_true", help="every dated item, also those not due yet")
    p.set_defaults(func=cmd_due)

    d = sub.add_parser("dates", help="set the dates that make evidence and claims age, and a vendor's cadence")
    ds = d.add_subparsers(dest="dates_command", metavar="WHAT", required=True)
    ep = ds.add_parser("evidence", help="when a document was issued, and until when it is valid")
    ep.add_argument("vendor", metavar="VENDOR")
    ep.add_argument("evidence", metavar="EVIDENCE", help="title, file name, a unique part of them, or the id")
    ep.add_argument("--effective", metavar="YYYY-MM-DD|none", help="the date the document was issued")
    ep.add_argument("--valid-until", metavar="YYYY-MM-DD|none", help="e.g. a certificate's or SOC report's end")
    ep.set_defaults(func=cmd_evidence)
    cp = ds.add_parser("claim", help="the date by which a claim should be looked at again")
    cp.add_argument("vendor", metavar="VENDOR")
    cp.add_argument("claim", metavar="CLAIM", help="a unique part of the claim's text, or its id")
    cp.add_argument("--review-by", metavar="YYYY-MM-DD|none", required=True)
    cp.set_defaults(func=cmd_claim)
    kp = ds.add_parser("cadence", help="how often the vendor is reassessed (default 12 months; 6 if high-risk)")
    kp.add_argument("vendor", metavar="VENDOR")
    kp.add_argument("months", metavar="MONTHS|default")
    kp.set_defaults(func=cmd_cadence)

    r = sub.add_parser("recheck", help='scores marked "to re-check" after a model version or an expiry')
    rs = r.add_subparsers(dest="recheck_command", metavar="ACTION", required=True)
    rl = rs.add_parser("list", help="the scores to re-check, with the reason")
    rl.add_argument("vendor", metavar="VENDOR", nargs="?")
    rl.add_argument("--json", action="store_true", help="print JSON")
    rl.set_defaults(func=cmd_recheck_list)
    rc = rs.add_parser("confirm", help="confirm a score after re-checking it (recorded in the audit log)")
    rc.add_argument("vendor", metavar="VENDOR")
    rc.add_argument("criterion", metavar="RUBRIC:CRITERION")
    rc.add_argument("--evaluator", help="whose scorecard (default: yours, else the only one marked)")
    rc.add_argument("--note", default="", help="what was checked")
    rc.set_defaults(func=cmd_recheck_confirm)


def _day(text: str | None, what: str) -> dt.date | None:
    if text is None or text.strip().lower() == "none":
        return None
    try:
        return parse_date(text, what)
    except DateRuleError as exc:
        raise CliError(str(exc)) from None


def cmd_due(ctx: Context, args: argparse.Namespace) -> int:
    """What is due."""
    as_of = _day(args.as_of, "--as-of") or today()
    ids = [ctx.ws.vendors.find(v).id for v in args.vendor] if args.vendor else None
    items = AgeingService(ctx.ws).due(as_of, ids, include_current=args.all)
    if args.json:
        print_json({"as_of": as_of.isoformat(), "items": [
            {"vendor": i.vendor, "vendor_id": i.vendor_id, "kind": i.kind, "id": i.item_id, "title": i.title,
             "due_on": i.due_on.isoformat(), "status": i.status(as_of), "reason": i.reason} for i in items]})
        return EXIT_OK
    if not items:
        print(f"Nothing due as of {as_of.isoformat()}.")
        return EXIT_OK
    print_table(["DUE", "STATUS", "VENDOR", "WHAT", "REASON"],
                [[i.due_on.isoformat(), i.status(as_of), i.vendor, f"{i.kind}: {i.title}", i.reason] for i in items])
    stale = sum(1 for i in items if i.stale(as_of))
    print(f"\n{plural(stale, 'item')} stale, {len(items) - stale} due within 30 days (as of {as_of.isoformat()}).")
    return EXIT_OK


def cmd_evidence(ctx: Context, args: argparse.Namespace) -> int:
    """Set an evidence record's dates."""
    vendor = ctx.ws.vendors.find(args.vendor)
    svc = AgeingService(ctx.ws)
    item = svc.find_evidence(vendor.id, args.evidence)
    old = svc.evidence_dates(item.id)
    effective = old.effective_on if args.effective is None else _day(args.effective, "--effective")
    until = old.valid_until if args.valid_until is None else _day(args.valid_until, "--valid-until")
    new = svc.set_evidence_dates(item.id, effective, until)
    shown = ", ".join(p for p in (new.effective_on and f"issued {new.effective_on}",
                                  new.valid_until and f"valid until {new.valid_until}") if p) or "no dates"
    print(f"{vendor.name}: evidence \u201c{item.title or item.original_name or item.url}\u201d: {shown}")
    return EXIT_OK


def cmd_claim(ctx: Context, args: argparse.Namespace) -> int:
    """Set a claim's review-by date."""
    vendor = ctx.ws.vendors.find(args.vendor)
    svc = AgeingService(ctx.ws)
    claim = svc.find_claim(vendor.id, args.claim)
    day = svc.set_review_by(claim.id, _day(args.review_by, "--review-by"))
    print(f"{vendor.name}: claim \u201c{claim.text[:60]}\u201d: review by {day.isoformat() if day else 'no date'}")
    return EXIT_OK


def cmd_cadence(ctx: Context, args: argparse.Namespace) -> int:
    """Set a vendor's reassessment cadence."""
    vendor = ctx.ws.vendors.find(args.vendor)
    text = args.months.strip().lower()
    if text == "default":
        months = None
    elif text.isascii() and text.isdigit():
        months = int(text)
    else:
        raise CliError(f"MONTHS: '{args.months}' is not a whole number of months (or 'default')")
    got = AgeingService(ctx.ws).set_cadence(vendor.id, months)
    print(f"{vendor.name}: reassessment every {got} months" + (" (default)" if months is None else ""))
    return EXIT_OK


def _rechecks(ctx: Context, vendor_ids: list[str]) -> list[dict[str, Any]]:
    svc = AgeingService(ctx.ws)
    out = []
    for vid in vendor_ids:
        name = ctx.ws.vendors.get(vid).name
        cards = {c.id: c for c in ctx.ws.store.scorecards(vid)}
        for r in svc.rechecks(vid):
            card = cards[r.scorecard_id]
            out.append({"vendor": name, "scorecard_id": card.id, "evaluator": card.evaluator,
                        "criterion": f"{card.rubric_id}:{r.criterion_id}", "reason": r.trigger.reason,
                        "since": r.trigger.at})
    return out


def cmd_recheck_list(ctx: Context, args: argparse.Namespace) -> int:
    """Scores to re-check."""
    ids = [ctx.ws.vendors.find(args.vendor).id] if args.vendor else [v.id for v in ctx.ws.vendors.list()]
    rows = _rechecks(ctx, ids)
    if args.json:
        print_json(rows)
    elif not rows:
        print("No score is marked to re-check.")
    else:
        print_table(["VENDOR", "EVALUATOR", "CRITERION", "REASON"],
                    [[r["vendor"], r["evaluator"], r["criterion"], r["reason"]] for r in rows])
    return EXIT_OK


def cmd_recheck_confirm(ctx: Context, args: argparse.Namespace) -> int:
    """Confirm a re-checked score."""
    vendor = ctx.ws.vendors.find(args.vendor)
    _rubric, sep, criterion_id = args.criterion.partition(":")
    if not sep:
        raise CliError(f"RUBRIC:CRITERION: '{args.criterion}' is not of the form rubric:criterion")
    marked = [r for r in _rechecks(ctx, [vendor.id]) if r["criterion"] == args.criterion]
    if args.evaluator:
        marked = [r for r in marked if r["evaluator"].casefold() == args.evaluator.casefold()]
    elif len({r["scorecard_id"] for r in marked}) > 1:
        mine = [r for r in marked if r["evaluator"] == ctx.ws.evaluator]
        if not mine:
            raise CliError(f"{args.criterion} is marked on {len(marked)} scorecards; say whose with --evaluator")
        marked = mine
    if not marked:
        raise CliError(f"{vendor.name}: {args.criterion} is not marked to re-check")
    n = AgeingService(ctx.ws).confirm(marked[0]["scorecard_id"], criterion_id, args.note)
    print(f"{vendor.name}: {args.criterion} on {marked[0]['evaluator']}'s scorecard confirmed "
          f"({plural(n, 'reason')} cleared)")
    return EXIT_OK
