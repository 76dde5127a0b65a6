"""`vendoreval conditions list|add|set|remove|accept|drop`: a vendor's numbered conditions to negotiate,
and the conditions proposed from its declined, asserted or contradicted heavy and knock-out criteria."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.models import MANUAL_ORIGIN, Condition
from ..services.conditions import ConditionError
from .common import EXIT_OK, Context, print_json, print_table

_FIELD_OPTIONS = (("--current", "current", "the vendor's position today"),
                  ("--target", "target", "what we ask for"),
                  ("--walk-away", "walk_away", "the least we accept"),
                  ("--owner", "owner", "who negotiates it (NAME)"))


def register(sub: Any) -> None:
    """Add the `conditions` subcommands."""
    p = sub.add_parser("conditions", help="a vendor's conditions to negotiate, and the proposed ones")
    cs = p.add_subparsers(dest="conditions_command", metavar="ACTION", required=True)

    ls = cs.add_parser("list", help="the numbered conditions (with --proposed: the proposals instead)")
    ls.add_argument("vendor", metavar="VENDOR")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.add_argument("--proposed", action="store_true",
                    help="the proposed conditions (declined, asserted or contradicted heavy or knock-out criteria)")
    ls.set_defaults(func=cmd_list)

    add = cs.add_parser("add", help="add a condition at the end of the list")
    add.add_argument("vendor", metavar="VENDOR")
    add.add_argument("text", metavar="TEXT")
    _field_options(add)
    add.set_defaults(func=cmd_add)

    st = cs.add_parser("set", help="change fields of condition NUMBER")
    st.add_argument("vendor", metavar="VENDOR")
    st.add_argument("number", metavar="NUMBER")
    st.add_argument("--text", metavar="TEXT", default=None, help="the condition itself")
    _field_options(st)
    st.add_argument("--move-to", metavar="N", default=None, help="move it to number N (the others shift)")
    st.set_defaults(func=cmd_set)

    rm = cs.add_parser("remove", help="remove condition NUMBER (the ones after it move up)")
    rm.add_argument("vendor", metavar="VENDOR")
    rm.add_argument("number", metavar="NUMBER")
    rm.set_defaults(func=cmd_remove)

    ac = cs.add_parser("accept", help="accept a proposed condition (KEY from `conditions list --proposed`, or all)")
    ac.add_argument("vendor", metavar="VENDOR")
    ac.add_argument("key", metavar="KEY|all")
    ac.add_argument("--text", metavar="TEXT", default=None, help="accept it with this text instead")
    _field_options(ac)
    ac.set_defaults(func=cmd_accept)

    dr = cs.add_parser("drop", help="drop a proposed condition: it is not proposed again")
    dr.add_argument("vendor", metavar="VENDOR")
    dr.add_argument("key", metavar="KEY")
    dr.set_defaults(func=cmd_drop)


def _field_options(p: argparse.ArgumentParser) -> None:
    for flag, dest, what in _FIELD_OPTIONS:
        p.add_argument(flag, dest=dest, metavar="TEXT" if dest != "owner" else "NAME", default=None, help=what)


def _fields(args: argparse.Namespace) -> dict[str, str]:
    return {dest: getattr(args, dest) for _, dest, _ in _FIELD_OPTIONS if getattr(args, dest, None) is not None}


def _number(text: str, field: str = "number") -> int:
    try:
        n = int(text.strip())
    except ValueError:
        raise ConditionError.at(f"'{text}' is not a condition number (1, 2, ...)", field=field) from None
    if n < 1:
        raise ConditionError.at(f"{n} is not a condition number (they start at 1)", field=field)
    return n


def condition_json(c: Condition) -> dict[str, object]:
    """A condition as `conditions list --json` prints it."""
    return {"number": c.number, "text": c.text, "current": c.current, "target": c.target,
            "walk_away": c.walk_away, "owner": c.owner, "origin": c.origin, "id": c.id,
            "created_at": c.created_at, "updated_at": c.updated_at}


def positions(c: Condition) -> str:
    """'current → target → walk-away' with a dash for a position not given (blank when none is)."""
    parts = [c.current, c.target, c.walk_away]
    return "" if not any(parts) else " → ".join(p or "—" for p in parts)


def _print_list(ctx: Context, vendor_name: str) -> None:
    vendor = ctx.ws.vendors.find(vendor_name)
    conditions = ctx.ws.conditions.list(vendor.id)
    if not conditions:
        print(f"{vendor.name} has no conditions to negotiate.")
    else:
        print(f"Conditions to negotiate with {vendor.name}")
        print_table(["#", "CONDITION", "CURRENT → TARGET → WALK-AWAY", "OWNER", "ORIGIN"],
                    [[c.number, c.text, positions(c), c.owner, "proposed" if c.origin != MANUAL_ORIGIN else ""]
                     for c in conditions])
    proposals = ctx.ws.conditions.propose(vendor.id)
    if proposals:
        print(f"\n{len(proposals)} proposed: `vendoreval conditions list \"{vendor.name}\" --proposed`")


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """Print the conditions (or the proposals)."""
    vendor = ctx.ws.vendors.find(args.vendor)
    if args.proposed:
        proposals = ctx.ws.conditions.propose(vendor.id)
        if args.json:
            print_json([p.as_json() for p in proposals])
        elif not proposals:
            print(f"No condition is proposed for {vendor.name}.")
        else:
            print(f"Proposed conditions for {vendor.name} (accept: `vendoreval conditions accept VENDOR KEY|all`)")
            for p in proposals:
                print(f"\n  {p.text}\n    why: {p.why}\n    key: {p.key}")
        return EXIT_OK
    if args.json:
        print_json([condition_json(c) for c in ctx.ws.conditions.list(vendor.id)])
        return EXIT_OK
    _print_list(ctx, vendor.name)
    return EXIT_OK


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    """Add a condition, then print the list."""
    vendor = ctx.ws.vendors.find(args.vendor)
    fields: dict[str, Any] = _fields(args)
    ctx.ws.conditions.add(vendor.id, args.text, **fields)
    _print_list(ctx, vendor.name)
    return EXIT_OK


def cmd_set(ctx: Context, args: argparse.Namespace) -> int:
    """Change a condition's fields (or its place), then print the list."""
    vendor = ctx.ws.vendors.find(args.vendor)
    number = _number(args.number)
    fields: dict[str, Any] = _fields(args)
    if args.text is not None:
        fields["text"] = args.text
    if args.move_to is not None:
        fields["new_number"] = _number(args.move_to, "move-to")
    if not fields:
        raise ConditionError.at("say what to change: --text, --current, --target, --walk-away, --owner or "
                                "--move-to", field="fields")
    ctx.ws.conditions.set(vendor.id, number, **fields)
    _print_list(ctx, vendor.name)
    return EXIT_OK


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    """Remove a condition, then print the list."""
    vendor = ctx.ws.vendors.find(args.vendor)
    removed = ctx.ws.conditions.remove(vendor.id, _number(args.number))
    print(f"Removed condition {removed.number}: {removed.text}")
    _print_list(ctx, vendor.name)
    return EXIT_OK


def cmd_accept(ctx: Context, args: argparse.Namespace) -> int:
    """Accept one proposal (with edits) or all of them."""
    vendor = ctx.ws.vendors.find(args.vendor)
    edits = _fields(args)
    if args.text is not None:
        edits["text"] = args.text
    if args.key.strip().lower() == "all":
        if edits:
            raise ConditionError.at("edits (--text, --owner, ...) go with one KEY, not with all", field="key")
        accepted = ctx.ws.conditions.accept_all(vendor.id)
        if not accepted:
            print(f"No condition is proposed for {vendor.name}.")
    else:
        ctx.ws.conditions.accept(vendor.id, args.key.strip(), **edits)
    _print_list(ctx, vendor.name)
    return EXIT_OK


def cmd_drop(ctx: Context, args: argparse.Namespace) -> int:
    """Drop a proposal."""
    vendor = ctx.ws.vendors.find(args.vendor)
    dropped = ctx.ws.conditions.drop(vendor.id, args.key.strip())
    print(f"Dropped: {dropped.text} (not proposed again for {vendor.name})")
    return EXIT_OK
