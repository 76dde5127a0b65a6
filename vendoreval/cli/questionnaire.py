"""`vendoreval questionnaire export|import`: the vendor questionnaire round trip as XLSX."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..domain.text import plural
from ..services.questionnaires import QuestionnaireService
from .common import EXIT_OK, Context


def register(sub: Any) -> None:
    """Add the `questionnaire` subcommands."""
    p = sub.add_parser("questionnaire", help="send a vendor its open questions as XLSX; import the answers")
    qs = p.add_subparsers(dest="questionnaire_command", metavar="ACTION", required=True)
    ep = qs.add_parser("export", help="write the vendor's open questions and current claims to XLSX")
    ep.add_argument("vendor", metavar="VENDOR")
    ep.add_argument("--out", required=True, metavar="FILE.xlsx")
    ep.add_argument("--rubric", action="append", metavar="ID", help="only this rubric (repeatable)")
    ep.add_argument("--all", action="store_true", help="include criteria already scored")
    ep.set_defaults(func=cmd_export)
    ip = qs.add_parser("import", help="record the vendor's answers as claims (source: vendor questionnaire)")
    ip.add_argument("vendor", metavar="VENDOR")
    ip.add_argument("file", metavar="FILE.xlsx")
    ip.set_defaults(func=cmd_import)


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """Write the questionnaire."""
    vendor = ctx.ws.vendors.find(args.vendor)
    n = QuestionnaireService(ctx.ws).export(vendor.id, Path(args.out), args.rubric, include_answered=args.all)
    print(f"Wrote {plural(n, 'question')} for {vendor.name} to {args.out}")
    return EXIT_OK


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """Import the answers."""
    vendor = ctx.ws.vendors.find(args.vendor)
    result = QuestionnaireService(ctx.ws).import_file(vendor.id, Path(args.file))
    print(result.describe())
    return EXIT_OK
