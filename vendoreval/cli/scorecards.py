"""`vendoreval scorecards upgrade VENDOR --rubric ID`: move a scorecard to the newest rubric version."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.text import plural
from .common import EXIT_OK, CliError, Context


def register(sub: Any) -> None:
    """Add the `scorecards` subcommands."""
    p = sub.add_parser("scorecards", help="upgrade scorecards to a newer rubric version")
    ss = p.add_subparsers(dest="scorecards_command", metavar="ACTION", required=True)
    up = ss.add_parser("upgrade", help="start a scorecard on the newest rubric version, carrying unchanged "
                                       "criteria, and list what must be re-scored")
    up.add_argument("vendor", metavar="VENDOR", help="vendor name")
    up.add_argument("--rubric", required=True, metavar="ID", help="the rubric whose scorecard to upgrade")
    up.set_defaults(func=cmd_upgrade)


def cmd_upgrade(ctx: Context, args: argparse.Namespace) -> int:
    """Upgrade the current evaluator's scorecard; exit 2 when there is none or it is already the newest."""
    ws = ctx.ws
    vendor = ws.vendors.find(args.vendor)
    if args.rubric not in ws.library.ids():
        raise CliError(f"--rubric: no rubric '{args.rubric}' (known: {', '.join(ws.library.ids()) or 'none'})")
    old = ws.scorecards.for_upgrade(vendor.id, args.rubric)  # a ServiceError (exit 2) says why not
    new = ws.scorecards.upgrade(old.id)
    rescore = ws.scorecards.to_rescore(old, new)
    print(f"{vendor.name}: {args.rubric} scorecard upgraded from {old.rubric_version} to {new.rubric_version} "
          f"({plural(len(new.scores), 'score')} carried over).")
    if rescore:
        print(f"To re-score ({len(rescore)}):")
        for item in rescore:
            print(f"  - {item.describe()}")
    else:
        print("Nothing to re-score: every criterion carried over unchanged.")
    from ..services.ageing import AgeingService

    recheck = [r for r in AgeingService(ws).rechecks(vendor.id) if r.scorecard_id == new.id]
    if recheck:  # carried over, but the rules around the criterion changed: the evaluator confirms or changes
        print(f"To re-check ({len(recheck)}; carried over, `vendoreval recheck confirm` when they still hold):")
        for r in recheck:
            print(f"  - {r.criterion_id}: {r.trigger.reason}")
    return EXIT_OK
