"""`vendoreval team join|status|sync|leave|trust`: a team folder over the file sync the organisation has."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..domain.text import plural
from ..services.team import TeamService
from .common import EXIT_BAD_INPUT, EXIT_OK, CliError, Context, print_json


def register(sub: Any) -> None:
    """Add the `team` subcommands."""
    p = sub.add_parser("team", help="publish and import signed bundles through a folder your team already syncs")
    ts = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    jp = ts.add_parser("join", help="use FOLDER (OneDrive, Dropbox, Syncthing, a share) as the team folder")
    jp.add_argument("folder", metavar="FOLDER")
    jp.add_argument("--name", default=None, metavar="NAME",
                    help="the member name others see (default: your evaluator name)")
    jp.add_argument("--no-sync", action="store_true", help="only join; do not publish and import now")
    jp.set_defaults(func=cmd_join)
    sp = ts.add_parser("status", help="the folder, your key, each member: key, trusted, published, imported")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.set_defaults(func=cmd_status)
    yp = ts.add_parser("sync", help="publish your bundle if it changed, import the trusted members' changed bundles")
    yp.add_argument("--json", action="store_true", help="print JSON")
    yp.set_defaults(func=cmd_sync)
    lp = ts.add_parser("leave", help="stop syncing with the team folder (what was imported stays)")
    lp.set_defaults(func=cmd_leave)
    rp = ts.add_parser("trust", help="trust a member's key (by name or fingerprint), or --all of them")
    rp.add_argument("who", nargs="?", default=None, metavar="NAME|FINGERPRINT")
    rp.add_argument("--all", action="store_true", help="list every untrusted name and fingerprint, then trust "
                                                       "them after confirmation")
    rp.add_argument("--yes", action="store_true", help="with --all: confirm without asking (for scripts)")
    rp.add_argument("--no-sync", action="store_true", help="do not import the newly trusted bundles now")
    rp.set_defaults(func=cmd_trust)


def cmd_join(ctx: Context, args: argparse.Namespace) -> int:
    """Join a team folder (then sync once, unless --no-sync)."""
    svc = TeamService(ctx.ws)
    svc.join(args.folder, args.name)
    print(f"Joined the team folder {svc.folder()} as {svc.member_name()}.")
    if not args.no_sync:
        report = svc.sync()
        _print_report(report)
    print("\n".join(svc.status().lines()))
    return EXIT_OK


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    """Show the team folder's status."""
    status = TeamService(ctx.ws).status()
    if args.json:
        print_json(status.as_json())
    else:
        print("\n".join(status.lines()))
    return EXIT_OK if status.folder_problem is None else EXIT_BAD_INPUT


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    """Publish and import once."""
    report = TeamService(ctx.ws).sync()
    if args.json:
        print_json({"ok": report.ok, "folder_problem": report.folder_problem, "published": report.published,
                    "publish_note": report.publish_note, "bytes_written": report.bytes_written,
                    "imported": [{"file": f, "changes": what} for f, what in report.imported],
                    "unchanged": report.unchanged,
                    "untrusted": [{"file": n.file, "reason": n.reason} for n in report.untrusted],
                    "refused": [{"file": n.file, "reason": n.reason} for n in report.refused],
                    "skipped": [{"file": n.file, "reason": n.reason} for n in report.skipped],
                    "warnings": report.warnings})
    else:
        _print_report(report)
    if report.folder_problem:
        print(f"vendoreval: team folder unavailable: {report.folder_problem}; nothing was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _print_report(report: Any) -> None:
    for w in report.warnings:
        print(f"vendoreval: warning: {w}", file=sys.stderr)
    print("\n".join(report.lines()))


def cmd_leave(ctx: Context, args: argparse.Namespace) -> int:
    """Leave the team folder."""
    svc = TeamService(ctx.ws)
    folder = svc.folder()
    svc.leave()
    print(f"Left the team folder {folder}. What was imported stays here; your last published bundle stays in the "
          "folder (delete it there to withdraw it).")
    return EXIT_OK


def cmd_trust(ctx: Context, args: argparse.Namespace) -> int:
    """Trust one member's key, or every untrusted key after confirmation."""
    svc = TeamService(ctx.ws)
    if args.all == (args.who is not None):
        raise CliError("team trust: give a NAME or FINGERPRINT, or --all (not both)")
    if args.yes and not args.all:
        raise CliError("team trust: --yes goes with --all")
    if args.all:
        plan = svc.trust_all_plan()
        for c, why in plan.left_out:
            print(f"Left out: {c.member_name} ({c.file}) key {c.grouped}: {why}")
        if not plan.trust:
            print("No keys to trust." if not plan.left_out else "Nothing else to trust.")
            return EXIT_BAD_INPUT if plan.left_out else EXIT_OK
        print(f"{plural(len(plan.trust), 'key')} to trust — check each fingerprint with its member:")
        for c in plan.trust:
            signs = f" (signs as {c.name})" if c.name != c.member_name else ""
            print(f"  {c.member_name}{signs}: {c.grouped}\n      ({c.fingerprint})")
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError("team trust --all: not confirmed (no terminal to ask); run again with --yes once you "
                               "have checked the fingerprints. Nothing was trusted.")
            answer = input(f"Trust these {plural(len(plan.trust), 'key')}? [y/N] ").strip().casefold()
            if answer not in ("y", "yes"):
                print("Nothing was trusted.")
                return EXIT_BAD_INPUT
        done = svc.trust_all(plan)
        for c in done:
            print(f"Trusted {c.member_name}'s key {c.grouped}.")
    else:
        c = svc.trust(args.who)
        print(f"Trusted {c.member_name}'s key {c.grouped}.")
    if not args.no_sync:
        _print_report(svc.sync())
    return EXIT_OK
