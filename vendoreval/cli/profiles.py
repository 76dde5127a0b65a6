"""`vendoreval profiles list|show|set|delete`: weight profiles (shipped and the user's own)."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.models import MAX_WEIGHT, WeightProfile
from ..services.workspace import NotFound
from .common import EXIT_OK, CliError, Context, print_json, print_table


def register(sub: Any) -> None:
    """Add the `profiles` subcommands."""
    p = sub.add_parser("profiles", help="list, show or set weight profiles")
    ps = p.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    lp = ps.add_parser("list", help="every profile")
    lp.add_argument("--json", action="store_true", help="print JSON")
    lp.set_defaults(func=cmd_list)
    sp = ps.add_parser("show", help="one profile's weights")
    sp.add_argument("name")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.set_defaults(func=cmd_show)
    setp = ps.add_parser("set", help="create or change a user profile's weights")
    setp.add_argument("name")
    setp.add_argument("weights", nargs="*", metavar="RUBRIC=W | RUBRIC:CRITERION=W",
                      help="rubric weight (gdpr=3) or criterion weight (gdpr:dpa=2)")
    setp.add_argument("--from", dest="base", metavar="PROFILE", help="start from this profile's weights")
    setp.add_argument("--description", help="what the profile is for")
    setp.add_argument("--unset", metavar="KEY", action="append", default=[],
                      help="drop a rubric or rubric:criterion weight (back to the rubric file's)")
    setp.set_defaults(func=cmd_set)
    dp = ps.add_parser("delete", help="delete a user profile")
    dp.add_argument("name")
    dp.set_defaults(func=cmd_delete)


def _json(p: WeightProfile) -> dict[str, Any]:
    return {"name": p.name, "description": p.description, "builtin": p.builtin,
            "rubric_weights": dict(p.rubric_weights), "criterion_weights": dict(p.criterion_weights)}


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """List profiles."""
    profiles = ctx.ws.profiles.list()
    if args.json:
        print_json([_json(p) for p in profiles])
        return EXIT_OK
    print_table(["NAME", "KIND", "DESCRIPTION"],
                [[p.name, "shipped" if p.builtin else "user", p.description] for p in profiles])
    return EXIT_OK


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Show one profile's weights."""
    p = ctx.ws.profiles.get(args.name)
    if args.json:
        print_json(_json(p))
        return EXIT_OK
    print(f"{p.name} ({'shipped' if p.builtin else 'user'}): {p.description}")
    rows = [[k, f"{w:g}"] for k, w in sorted(p.rubric_weights.items())]
    rows += [[k, f"{w:g}"] for k, w in sorted(p.criterion_weights.items())]
    if rows:
        print_table(["WEIGHT OF", "WEIGHT"], rows)
    else:
        print("Every rubric and criterion keeps the weight its rubric file gives it.")
    return EXIT_OK


def _parse_weight(text: str) -> tuple[str, float]:
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise CliError(f"'{text}': write RUBRIC=WEIGHT or RUBRIC:CRITERION=WEIGHT")
    try:
        w = float(value)
    except ValueError:
        raise CliError(f"'{text}': the weight '{value}' is not a number") from None
    if not w >= 0:
        raise CliError(f"'{text}': a weight must be 0 or more")
    if w > MAX_WEIGHT:
        raise CliError(f"'{text}': a weight must be at most {MAX_WEIGHT:,} (weights are relative)")
    return key, w


def cmd_set(ctx: Context, args: argparse.Namespace) -> int:
    """Create or update a user profile."""
    ws = ctx.ws
    if not args.name.strip():
        raise CliError("a profile needs a name")
    base: WeightProfile | None = None
    try:
        base = ws.profiles.get(args.name)
    except NotFound:  # a new profile
        base = None
    if args.base:
        base = ws.profiles.get(args.base)
    if base is not None and base.builtin and base.name.casefold() == args.name.strip().casefold():
        raise CliError(f"'{base.name}' is a shipped profile; save your weights under another name "
                       f"(e.g. profiles set 'my {base.name}' --from '{base.name}' ...)")
    rubric_w = dict(base.rubric_weights) if base else {}
    crit_w = dict(base.criterion_weights) if base else {}
    known = set(ws.library.ids())
    for item in args.weights:
        key, w = _parse_weight(item)
        rid = key.partition(":")[0]
        if known and rid not in known:
            raise CliError(f"'{item}': no rubric '{rid}' (known: {', '.join(sorted(known))})")
        if ":" in key:
            crit_w[key] = w
        else:
            rubric_w[key] = w
    for key in args.unset:
        rubric_w.pop(key, None)
        crit_w.pop(key, None)
    description = args.description if args.description is not None else (
        base.description if base is not None and not base.builtin else "")
    saved = ws.profiles.save(WeightProfile(name=args.name.strip(), description=description,
                                           rubric_weights=rubric_w, criterion_weights=crit_w))
    print(f"Saved weight profile '{saved.name}'.")
    return EXIT_OK


def cmd_delete(ctx: Context, args: argparse.Namespace) -> int:
    """Delete a user profile."""
    ctx.ws.profiles.delete(args.name)
    print(f"Deleted weight profile '{args.name}'.")
    return EXIT_OK
