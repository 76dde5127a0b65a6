"""`vendoreval brief`: write the board brief PDF, or check that a brief still matches the workspace."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..domain.text import plural
from ..reports.brief_data import PURPOSES
from ..services.brief import BriefError, BriefRequest, BriefService, VerifyStatus
from ..services.workspace import NotFound
from .common import EXIT_OK, CliError, Context

EXIT_CHANGED = 3  # the workspace changed since the brief was exported
EXIT_ALTERED = 4  # the workspace did not change, but the PDF's bytes did


def register(sub: Any) -> None:
    """Add the `brief` subcommand."""
    p = sub.add_parser("brief", help="write the board brief PDF, or --verify one against the workspace")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", metavar="FILE.pdf", type=Path, help="write the brief to this file")
    what.add_argument("--verify", metavar="FILE.pdf", type=Path,
                      help="exit 0 if the file is the brief the workspace still makes, 3 if the workspace "
                           "changed, 4 if the file was altered, 2 if it is not a brief")
    p.add_argument("--annex", metavar="FILE.pdf", type=Path, default=None,
                   help="write the annex (vendor pages, legal duties, claims, rationales) to its own PDF; "
                        "without it the annex follows the board pack in the same file")
    p.add_argument("--vendor", metavar="NAME", action="append", default=None,
                   help="a vendor to include (repeat; default: every vendor not archived)")
    p.add_argument("--profile", metavar="NAME", help="weight profile (default: balanced)")
    p.add_argument("--title", metavar="TEXT", default="", help="title on the cover")
    p.add_argument("--decision", metavar="TEXT", default="", help="the decision asked of the board")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the brief's date (default: today)")
    ask = p.add_argument_group("the ask (cover's document control and the draft resolution)")
    ask.add_argument("--owner", metavar="NAME", default="", help="the decision owner's name")
    ask.add_argument("--owner-role", metavar="TEXT", default="", help="the decision owner's role")
    ask.add_argument("--meeting-date", metavar="YYYY-MM-DD", help="the date of the board meeting")
    ask.add_argument("--agenda-item", metavar="TEXT", default="", help="the agenda item")
    ask.add_argument("--paper", metavar="TEXT", default="", help="the paper's number")
    ask.add_argument("--paper-version", metavar="TEXT", default="", help="the paper's version")
    ask.add_argument("--author", metavar="NAME", default="", help="who wrote the paper")
    ask.add_argument("--purpose", choices=PURPOSES, default="decision",
                     help="for decision (the board approves) or for information (the board notes)")
    ask.add_argument("--fallback", metavar="VENDOR|stop", default="",
                     help="what happens if the decisive conditions fail: another vendor, or 'stop'")
    ask.add_argument("--contract-to", metavar="TEXT", default="", help="who gets the final contract")
    ask.add_argument("--contract-by", metavar="YYYY-MM-DD", help="when the final contract is due")
    p.set_defaults(func=cmd_brief)


def _date(text: str | None, option: str = "--date") -> dt.date:
    if not text:
        return dt.date.today()
    return _day(text, option)


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option}: '{text}' is not a date of the form YYYY-MM-DD") from None


def cmd_brief(ctx: Context, args: argparse.Namespace) -> int:
    """Write or verify a brief."""
    if args.verify is not None:
        verdict = BriefService(ctx.ws).verify(args.verify)
        if verdict.status == VerifyStatus.NOT_A_BRIEF:
            raise CliError(verdict.message)
        print(verdict.message)
        return {VerifyStatus.MATCH: EXIT_OK, VerifyStatus.ALTERED: EXIT_ALTERED}.get(verdict.status, EXIT_CHANGED)
    date = _date(args.date)
    out: Path = args.out
    as_docx = out.suffix.lower() == ".docx"
    if out.suffix.lower() != ".pdf" and not as_docx:
        raise CliError(f"--out: {out} should end in .pdf or .docx (the format follows the suffix)")
    if not out.parent.is_dir():
        raise CliError(f"--out: the folder {out.parent} does not exist")
    annex: Path | None = args.annex
    if annex is not None:
        if annex.suffix.lower() != ".pdf":
            raise CliError(f"--annex: {annex} should end in .pdf")
        if not annex.parent.is_dir():
            raise CliError(f"--annex: the folder {annex.parent} does not exist")
        if annex.resolve() == out.resolve():
            raise CliError("--annex: the annex needs a file of its own, not the --out file")
    service = BriefService(ctx.ws)
    vendor_ids = service.resolve_vendors(args.vendor) if args.vendor else None
    if args.profile:
        ctx.ws.profiles.get(args.profile)  # NotFound names a missing profile before any work is done
    meeting = _day(args.meeting_date, "--meeting-date") if args.meeting_date else None
    contract_by = _day(args.contract_by, "--contract-by") if args.contract_by else None
    try:
        fallback = service.resolve_fallback(args.fallback)
    except NotFound:
        raise CliError(f"--fallback: no vendor named '{args.fallback.strip()}' (name a vendor, or 'stop')") from None
    request = BriefRequest(date=date, title=args.title, decision=args.decision, vendor_ids=vendor_ids,
                           profile=args.profile, owner=args.owner.strip(), owner_role=args.owner_role.strip(),
                           meeting_date=meeting, agenda_item=args.agenda_item.strip(), paper=args.paper.strip(),
                           paper_version=args.paper_version.strip(), author=args.author.strip(),
                           purpose=args.purpose, fallback=fallback, contract_to=args.contract_to.strip(),
                           contract_by=contract_by)
    try:
        result = service.export_docx(request, out, annex) if as_docx else service.export(request, out, annex=annex)
    except BriefError as exc:
        raise CliError(f"--{exc.field}: {exc}" if exc.field else str(exc)) from None
    if as_docx:
        note = f" and the annex {result.annex} ({plural(result.annex_pages, 'page')})" if result.annex else ""
        print(f"Wrote the board pack {result.path} (DOCX){note}, fingerprint {result.fingerprint}")
        sys.stdout.flush()
        return EXIT_OK
    if result.annex is not None:
        print(f"Wrote the board pack {result.path} ({plural(result.pages, 'page')}) and the annex {result.annex} "
              f"({plural(result.annex_pages, 'page')}), fingerprint {result.fingerprint}")
    else:
        print(f"Wrote {result.path} ({plural(result.pages, 'page')}: the board pack, then the annex), "
              f"fingerprint {result.fingerprint}")
    sys.stdout.flush()
    return EXIT_OK
